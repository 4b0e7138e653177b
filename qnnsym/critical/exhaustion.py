"""Real critical points by exhaustion of the torus (branch-and-prune): docs/critical-solving.md, MATH.md.

The real critical points of ``L`` live on the compact torus.  Here it is written in *turns*
``u_l = ω_l θ_l / 2π ∈ [0, 1)`` (so ``φ_l = 2π u_l``, every box corner is an exact dyadic rational).
A box ``X = m ± r`` is

* **excluded** when ``0 ∉`` the mean-value enclosure of ``∇_φ L`` on it: for ``x ∈ X``
  ``g_i(x) ∈ g_i(m) ± Σ_j (|H_ij(m)| + E_ij) δ_j`` with ``δ = 2π r`` and
  ``E_ij = Σ_k W_ijk δ_k ≥ |H_ij(ξ) − H_ij(m)|``, ``W_ijk = Σ_h |c_h| |h_i h_j h_k|`` (every derivative of a
  harmonic ``cos/sin(h·φ)`` is bounded by the product of its frequencies);
* an **inclusion** leaf when a box ``K ⊇ X`` (mod 1) around a Newton point ``z`` — the widest Krawczyk cube
  centred on ``z``, or one fitted to ``X`` (:mod:`.inclusion`) — passes the
  Krawczyk test: exactly one zero of ``∇L`` (nonsingular), and a tiny Krawczyk box ``κ ⊂ K``
  around ``z`` (the *point*) holds it; points are pairwise disjoint on the torus, so the real
  critical points are exactly one per point;
* else **split** (bisect the widest side: with equal periods, the sides in turn, so the split
  coordinate is ``depth mod p``), down to a minimum width where it stays **unresolved** (near a
  degenerate critical point) instead of looping.

**Float evaluation with an a-priori error bound.**  ``L`` and its derivatives (orders ≤ 3) at box centres
are tensor contractions of the harmonic coefficients ``c_h`` (rounded to float64; the dense tensor, or
term by term for a sparse loss) with per-coordinate tables of ``cos(jφ)``, ``sin(jφ)`` and their
derivatives.  The tables come from python-flint ``arb`` (cached per centre coordinate: boxes share
them), rounded to nearest: absolute error ``≤ |h|^o·2^-51`` for a derivative of order ``o``.  A
computed derivative ``P`` (any order of summation, FMA or not) then differs from the exact one by at
most ``A_P·(p·2^-51 + (n + 1)·u)·(1 + 10^-10) + 2^-1000`` where ``A_P = Σ_h |c_h| Π_l |h_l|^{o_l}``
(sums of nonnegative floats, rounded up), ``n = 1 + p + S + Σ_l K_l`` roundings per term (the coefficient,
one product and ``K_l − 1`` additions per contracted axis, or ``p − 1`` products and ``S − 1`` sums term by
term) and the last term covers underflow (``≤ ΠK·4p``
subnormal roundings of ``2^-1074``).  Nothing overflows (``|P| ≤ A_P`` and the partial sums are
bounded alike; ``A_P < 2^900`` is checked) and a NaN/inf never excludes a box (non-finite
values fail every test).  Every comparison that decides a box is made with a relative slack of
``2^-40`` on sums of nonnegative floats (each such sum of ``≤ 4p²`` terms has relative error
``≤ 2^-45``), so the rounding of the bound itself only enlarges it.  The certificate checker
re-proves every box with its own ball arithmetic (:mod:`qnnsym.certify.checker.exhaustion`).
"""
from __future__ import annotations

import math
import multiprocessing
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import numpy as np

from ..exact.interval import precision
from ..exact.trigpoly import TrigPoly
from .inclusion import NEAR, POINT_RADIUS, TWO_PI_UP, Enclosures, Points, include_near

__all__ = ["EXCLUDED", "SPLIT", "INCLUSION", "UNRESOLVED", "PRUNED", "SADDLE_REGION", "BOTTOM_REGION", "TOP_REGION", "FLAT_BOTTOM_REGION",
           "REGION_CODES", "Cover", "LossJet", "exhaust", "encode_tree", "leaf_box", "split_axis"]

#: node codes of the cover tree (breadth-first, one character per node)
EXCLUDED, SPLIT, INCLUSION, UNRESOLVED, PRUNED = "0", "1", "2", "3", "4"
#: region leaves of a degenerate cover (saddle, bottom, top, flat bottom: :mod:`.degenerate`)
SADDLE_REGION, BOTTOM_REGION, TOP_REGION, FLAT_BOTTOM_REGION = "5", "6", "7", "8"
REGION_CODES = (SADDLE_REGION, BOTTOM_REGION, TOP_REGION, FLAT_BOTTOM_REGION)
_U = 2.0 ** -53
_SLACK = 1 + 2.0 ** -40
_TINY = 2.0 ** -1000
#: boxes narrower than this (turns, widest side) try the Krawczyk inclusion test
INCLUSION_WIDTH = 2.0 ** -3


def split_axis(depth: int, p: int) -> int:
    """The coordinate bisected at ``depth`` (sides in turn: every box's widest side, first on ties).

    >>> [split_axis(d, 3) for d in range(5)]
    [0, 1, 2, 0, 1]
    """
    return depth % p


def _splits(depth: int, p: int) -> np.ndarray:
    """How often each coordinate was halved in a box at ``depth``."""
    return np.array([(depth - l + p - 1) // p for l in range(p)])


def leaf_box(depth: int, k, p: int) -> list[tuple[Fraction, Fraction]]:
    """The box of the node ``k`` (integer position) at ``depth``: ``[k_l, k_l + 1]/2^{n_l}`` turns.

    >>> leaf_box(1, (1, 0), 2)
    [(Fraction(1, 2), Fraction(1, 1)), (Fraction(0, 1), Fraction(1, 1))]
    """
    n = _splits(depth, p)
    return [(Fraction(int(k[l]), 2 ** int(n[l])), Fraction(int(k[l]) + 1, 2 ** int(n[l]))) for l in range(p)]


def encode_tree(levels: list[str]) -> str:
    """The breadth-first node codes of all levels as one string (the checker rebuilds the boxes:
    level ``d + 1`` holds the two halves of every ``SPLIT`` node of level ``d``, in order).

    >>> encode_tree(["1", "02"])
    '102'
    """
    return "".join(levels)


class LossJet:
    """Float64 ``L``, ``∇_φ L``, ``∇²_φ L`` at many points of the torus, with a-priori error bounds.

    ``__call__(u)`` (``u`` in turns, shape ``(N, p)``) returns ``(val, grad, hess)`` and the constant
    bounds ``err_val``, ``err_grad`` (p,), ``err_hess`` (p, p) hold for every point.  ``W`` (p, p, p)
    bounds third derivatives (module docstring).

    ``radii`` (optional, ``{h: ε_h}``, rationals ``≥ 0``) make the jet an enclosure of a *set* of losses:
    every loss ``L'`` whose coefficients satisfy ``|c'_h − c_h| ≤ ε_h``.  Then ``|c_h| + ε_h`` bounds
    ``|c'_h|`` in every ``A`` and ``W``, and ``Σ_h ε_h Π_l |h_l|^{o_l}`` is added to every error bound
    (the derivative of ``L' − L`` of that pattern), so each test made with the jet holds for every such
    ``L'`` (level ``verified (coefficients enclosed to 2^-k)``, docs/certification-levels.md).
    """

    def __init__(self, loss: TrigPoly, radii: dict | None = None):
        p = self.p = loss.p
        self.D = D = [max(1, d) for d in loss.degrees()]
        self.K = K = [2 * d + 1 for d in D]
        C = np.zeros(K)
        keys = list(loss.terms)
        for h in keys:
            C[tuple(hl + dl for hl, dl in zip(h, D))] = float(loss.terms[h])
        self.C = C
        # a sparse loss (few terms against the dense tensor, e.g. a circuit at p = 8) is evaluated term by term
        self.sparse = len(keys) * 4 * p < math.prod(K)
        self.idx = np.array([[hl + dl for hl, dl in zip(h, D)] for h in keys], dtype=np.int64).reshape(len(keys), p)
        self.cvec = np.array([float(loss.terms[h]) for h in keys])
        # absolute sums Σ|c_h| Π|h_l|^{o_l} of every derivative pattern up to order 4, rounded up: |c_h|
        # rounded up, products of small integers exact, a sum of S nonnegative terms within (1 + S u)
        S = max(1, len(keys))
        radii = dict(radii or {})
        if any(h not in loss.terms for h in radii):
            raise ValueError("coefficient radii for harmonics the loss does not have (give them a nonzero midpoint)")
        eps = np.array([_up(Fraction(radii.get(h, 0))) for h in keys]) if keys else np.zeros(0)
        cabs = np.array([_up(abs(Fraction(loss.terms[h])) + Fraction(radii.get(h, 0))) for h in keys]) \
            if keys else np.zeros(0)
        habs = np.abs(np.array(keys, dtype=float).reshape(len(keys), p))
        infl = 1 + (S + 8) * 2.0 ** -52
        self.A0 = float(cabs.sum()) * infl
        self.A1 = np.einsum("s,si->i", cabs, habs) * infl
        self.A2 = np.einsum("s,si,sj->ij", cabs, habs, habs) * infl
        self.W = np.einsum("s,si,sj,sk->ijk", cabs, habs, habs, habs) * infl
        self.W4 = np.einsum("s,si,sj,sk,sl->ijkl", cabs, habs, habs, habs, habs) * infl
        # roundings per term: the coefficient, then p − 1 products and S − 1 sums (sparse) or one product and
        # K_l − 1 sums per axis (dense): n = 2 + p + S + ΣK_l covers both
        gamma = (p * 2.0 ** -51 + (2 + p + S + sum(K)) * _U) * (1 + 1e-10)
        if not self.A0 <= 2.0 ** 900:
            raise ValueError("loss coefficients too large for the float enclosure")
        # the coefficient enclosure: Σ_h ε_h Π|h_l|^{o_l} per pattern (sums of nonnegative floats, rounded up)
        self.eps_val = float(eps.sum()) * infl
        self.eps_grad = np.einsum("s,si->i", eps, habs) * infl
        self.eps_hess = np.einsum("s,si,sj->ij", eps, habs, habs) * infl
        self.eps_third = np.einsum("s,si,sj,sk->ijk", eps, habs, habs, habs) * infl
        self.err_val = self.A0 * gamma + self.eps_val + _TINY
        self.err_grad = self.A1 * gamma + self.eps_grad + _TINY
        self.err_hess = self.A2 * gamma + self.eps_hess + _TINY
        self.err_third = self.W * gamma + self.eps_third + _TINY
        #: half-width (turns) of the point boxes κ, a power of two: wider under a coefficient enclosure (zeros move ~ε/|H|)
        self.point_radius = POINT_RADIUS
        if eps.any():
            self.point_radius = max(POINT_RADIUS, 2.0 ** math.ceil(math.log2(float(self.eps_grad.max()) * 2 ** 3)))
        self._cache: list[dict] = [{} for _ in range(p)]
        #: libm tables instead of arb (no error bound: for Newton's guesses only, see :meth:`approximate`)
        self.fast = False

    def approximate(self) -> "LossJet":
        """A copy evaluating with numpy's ``cos``/``sin`` (fast; its values carry no proof)."""
        import copy

        other = copy.copy(self)
        other.fast = True
        return other

    def tables(self, l: int, u: np.ndarray) -> tuple[np.ndarray, ...]:
        """``B_o[n, h + D]`` (``o = 0..3``) = ``d^o/dφ^o`` of ``cos(hφ)`` (``h ≥ 0``) / ``sin(|h|φ)`` (``h < 0``) at ``φ = 2π u_n``."""
        D = self.D[l]
        cache = self._cache[l]
        if self.fast:
            jj = np.arange(1, D + 1)
            ph = 2 * math.pi * u[:, None] * jj
            cs = np.concatenate([np.sin(ph)[:, ::-1], np.ones((len(u), 1)), np.cos(ph)], axis=1)
        else:
            uniq, inv = np.unique(u, return_inverse=True)
            cs = np.empty((len(uniq), 2 * D + 1))
            with precision(80):
                for n, x in enumerate(uniq):
                    row = cache.get(x)
                    if row is None:
                        row = cache[x] = _trig_row(float(x), D)
                    cs[n] = row
            cs = cs[inv]
        j = np.arange(-D, D + 1, dtype=float)
        cosj = cs[:, D:]                         # cos(jφ), j = 0..D
        sinj = cs[:, D - 1::-1] if D else cs[:, :0]   # sin(jφ), j = 1..D
        B0 = cs
        B1 = np.empty_like(cs)
        B1[:, D:] = np.concatenate([np.zeros((len(u), 1)), -sinj], axis=1) * j[D:]
        B1[:, :D] = (cosj[:, 1:] * j[D + 1:])[:, ::-1]
        B2 = cs * -(j * j)
        B3 = B1 * -(j * j)
        return B0, B1, B2, B3

    def __call__(self, u: np.ndarray, third: bool = False):
        u = np.asarray(u, dtype=float).reshape(-1, self.p)
        N, p = len(u), self.p
        tabs = [self.tables(l, u[:, l]) for l in range(p)]
        if self.sparse:
            return self._sparse(tabs, N, third)
        # forward contraction from the last axis: states keyed by the derivative orders of the contracted axes
        states = {(): None}
        for l in range(p - 1, -1, -1):
            new = {}
            for orders, arr in states.items():
                total = sum(orders)
                for o in range((4 if third else 3) - total):
                    Bt = tabs[l][o]
                    if arr is None:        # the first contraction: one matrix product with the coefficients
                        new[(o,) + orders] = Bt @ self.C.reshape(-1, self.K[l]).T
                    else:
                        new[(o,) + orders] = np.einsum("nak,nk->na", arr.reshape(N, -1, self.K[l]), Bt)
            states = new
        val = states[(0,) * p].reshape(N)
        grad = np.empty((N, p))
        hess = np.empty((N, p, p))
        for i in range(p):
            e = [0] * p
            e[i] = 1
            grad[:, i] = states[tuple(e)].reshape(N)
            for j in range(p):
                e2 = [0] * p
                e2[i] += 1
                e2[j] += 1
                hess[:, i, j] = states[tuple(e2)].reshape(N)
        if not third:
            return val, grad, hess
        T = np.empty((N, p, p, p))
        for i in range(p):
            for j in range(p):
                for k in range(p):
                    e3 = [0] * p
                    e3[i] += 1
                    e3[j] += 1
                    e3[k] += 1
                    T[:, i, j, k] = states[tuple(e3)].reshape(N)
        return val, grad, hess, T


def _sparse_jet(self, tabs, N: int, third: bool):
    """Term-by-term evaluation: each derivative pattern touches at most three coordinates, so it is the
    product of the order-0 factors outside them (segment products, computed once) and its own factors."""
    p, c = self.p, self.cvec
    F = [[tabs[l][o][:, self.idx[:, l]] for o in range(4 if third else 3)] for l in range(p)]
    ones = np.ones((N, len(c)))
    seg = {}
    for i in range(p + 1):
        acc = ones
        seg[i, i] = acc
        for j in range(i, p):
            acc = acc * F[j][0]
            seg[i, j + 1] = acc

    def outside(A):
        out, start = None, 0
        for a in list(A) + [p]:
            part = seg[start, a]
            out = part if out is None else out * part
            start = a + 1
        return out

    def pattern(A, orders):
        prod = outside(A)
        for a, o in zip(A, orders):
            prod = prod * F[a][o]
        return prod @ c

    val = seg[0, p] @ c
    grad = np.empty((N, p))
    hess = np.empty((N, p, p))
    for i in range(p):
        grad[:, i] = pattern((i,), (1,))
        hess[:, i, i] = pattern((i,), (2,))
        for j in range(i + 1, p):
            hess[:, i, j] = hess[:, j, i] = pattern((i, j), (1, 1))
    if not third:
        return val, grad, hess
    T = np.empty((N, p, p, p))
    for i in range(p):
        T[:, i, i, i] = pattern((i,), (3,))
        for j in range(p):
            if j == i:
                continue
            a, b = min(i, j), max(i, j)
            v = pattern((a, b), (2, 1) if a == i else (1, 2))           # ∂_i² ∂_j
            for key in ((i, i, j), (i, j, i), (j, i, i)):
                T[(slice(None),) + key] = v
        for j in range(i + 1, p):
            for k in range(j + 1, p):
                v = pattern((i, j, k), (1, 1, 1))
                for key in ((i, j, k), (i, k, j), (j, i, k), (j, k, i), (k, i, j), (k, j, i)):
                    T[(slice(None),) + key] = v
    return val, grad, hess, T


LossJet._sparse = _sparse_jet


def _up(x: Fraction) -> float:
    """A float ``≥ x`` (x ≥ 0)."""
    f = float(x)
    return float(np.nextafter(f, np.inf)) if Fraction(f) < x else f


def _trig_row(x: float, D: int) -> np.ndarray:
    """``[sin(Dφ), …, sin φ, 1, cos φ, …, cos Dφ]`` at ``φ = 2πx`` (arb at the current precision, rounded
    to nearest; a float converts to arb exactly)."""
    a = flint.arb(x)
    row = np.empty(2 * D + 1)
    row[D] = 1.0
    for j in range(1, D + 1):
        t = 2 * j * a
        row[D + j] = float(t.cos_pi().mid())
        row[D - j] = float(t.sin_pi().mid())
    return row


def exclusion_mask(jet: LossJet, G: np.ndarray, H: np.ndarray, T: np.ndarray, r) -> np.ndarray:
    """True where ``0 ∉`` an enclosure of ``∇L`` on ``m ± r`` (``r`` turns, shape (N, p) or (p,)).

    The least of three bounds on ``|g_i(x) − ĝ_i(m)|``: the global ``Σ_j A2_ij δ_j``; second order
    ``Σ_j |H_ij| δ_j + ½ Σ_jk W_ijk δ_j δ_k``; third order ``Σ_j |H_ij| δ_j + ½ Σ_jk |T_ijk| δ_j δ_k +
    ⅙ Σ_jkl W4_ijkl δ_j δ_k δ_l`` (Taylor with Lagrange remainder; float errors added).
    """
    delta = TWO_PI_UP * np.broadcast_to(r, G.shape)
    lin = np.einsum("nij,nj->ni", np.abs(H) + jet.err_hess, delta)
    glob = np.einsum("ij,nj->ni", jet.A2, delta)
    sec = lin + 0.5 * np.einsum("ijk,nj,nk->ni", jet.W, delta, delta)
    thi = lin + 0.5 * np.einsum("nijk,nj,nk->ni", np.abs(T) + jet.err_third, delta, delta) \
        + np.einsum("ijkl,nj,nk,nl->ni", jet.W4, delta, delta, delta) / 6
    R = np.minimum(np.minimum(glob, sec), thi)
    with np.errstate(invalid="ignore"):
        ok = np.abs(G) > (R + jet.err_grad) * _SLACK
    return ok.any(axis=1) & np.isfinite(G).all(axis=1) & np.isfinite(H).all(axis=(1, 2)) & np.isfinite(T).all(axis=(1, 2, 3))


@dataclass
class Cover:
    """The result of :func:`exhaust`: a cover of the torus ``[0, 1)^p`` (turns) by a bisection tree.

    Attributes
    ----------
    tree : str
        Breadth-first node codes (:data:`EXCLUDED`, :data:`SPLIT`, :data:`INCLUSION`,
        :data:`UNRESOLVED`, :data:`PRUNED`).
    inclusions : list of (centre, radius, point)
        Per inclusion leaf (breadth-first order): the Krawczyk box ``K`` (float centre and radii, turns)
        and the index of its point.
    points : list of (centre, radius)
        The point boxes ``κ`` (turns), one real critical point each.
    unresolved : list of (depth, k)
        Leaves left undecided (at the minimum width, or not reached before the budget ran out).
    unresolved_volume : float
        Their total volume, as a fraction of the torus.
    complete : bool
        Every leaf decided: the points are all the real critical points.
    stats : dict
        Boxes processed per kind, depth reached, seconds.
    """

    p: int
    tree: str
    inclusions: list
    points: list
    unresolved: list
    unresolved_volume: float
    complete: bool
    stats: dict = field(default_factory=dict)
    reason: str = ""


_STATE: dict = {}


def _init_worker(jet):
    import signal

    from threadpoolctl import threadpool_limits

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(1)
    _STATE["jet"] = jet


def _exclude_chunk(args):
    """The exclusion mask of the boxes ``centres ± r`` and, per box, whether one Newton step from its centre lands
    within ``NEAR`` radii of it (where a Newton search for an inclusion is worth its cost: a guess, proves nothing)."""
    centres, r = args
    jet = _STATE["jet"]
    _, G, H, T = jet(centres, third=True)
    with np.errstate(all="ignore"):
        fin = np.isfinite(H).all(axis=(1, 2)) & np.isfinite(G).all(axis=1) & (np.abs(np.linalg.det(
            np.where(np.isfinite(H), H, 0.0))) > 0)
        Hs = np.where(fin[:, None, None], H, np.eye(jet.p))
        step = np.linalg.solve(Hs, np.where(fin[:, None], G, 0.0)[..., None])[..., 0]
        near = fin & (np.abs(step) <= NEAR * TWO_PI_UP * np.broadcast_to(r, G.shape)).all(axis=1)
    return exclusion_mask(jet, G, H, T, r), near, centres - step / (2 * math.pi)


def _inclusions(jet: LossJet, encl: Enclosures, m: np.ndarray, r: np.ndarray, near: np.ndarray,
                guess: np.ndarray, singular_skip: bool = False) -> dict:
    """The inclusion leaves among the boxes ``m ± r`` (turns, (N, p)): ``{row: (K centre, K radius, point)}``.

    A box inside an enclosure (the widest Krawczyk cube around a critical point, :class:`.inclusion.Enclosures`)
    is a leaf at once; the one-step Newton guesses of the ``near`` boxes not yet enclosed are polished and
    enclosed first; a near box still outside every enclosure tries ``K = z ± (|z − m| + r)``
    (:func:`.inclusion.include_near`).
    """
    e = encl.inside(m, r)
    ask = np.nonzero((e < 0) & near)[0]
    if len(ask):
        g = np.mod(guess[ask], 1.0)
        g = g[encl.inside(g, np.zeros_like(g)) < 0]
        if len(g) and encl.add_near(g):
            e[ask] = encl.inside(m[ask], r[ask])
    found = {int(t): (encl.c[e[t]], encl.r[e[t]], encl.j[e[t]]) for t in np.nonzero(e >= 0)[0]}
    rest = np.nonzero((e < 0) & near)[0]
    for row, zc, zr, j in include_near(jet, encl.pts, m[rest], r[rest], singular_skip) if len(rest) else []:
        found[int(rest[row])] = (zc, zr, j)
    return found


def exhaust(loss: TrigPoly, budget=None, max_boxes: int | None = None, min_width_bits: int = 24,
            workers: int = 1, progress: bool = False, chunk: int = 4096, radii: dict | None = None,
            regions=None) -> Cover:
    """Cover the torus of ``loss`` by excluded and inclusion boxes (breadth-first branch-and-prune).

    Parameters
    ----------
    loss : TrigPoly
        Exact loss (every ``∂L/∂θ_l`` not identically zero).
    budget : Budget, optional
        Stops between batches when spent: the result is then incomplete, with the unresolved volume.
    max_boxes : int, optional
        Stop after processing this many boxes (a deterministic starvation, for tests).
    min_width_bits : int
        Boxes whose sides reach ``2^-min_width_bits`` turns are left unresolved (degenerate points).
    workers : int
        Processes for the exclusion tests (1 = in-process).
    progress : bool
        A tqdm bar on stderr: resolved fraction of the torus.
    radii : dict, optional
        ``{h: ε_h}``: the cover then holds for every loss whose coefficients lie within ``ε_h`` of
        ``loss``'s (see :class:`LossJet`): every excluded box has no critical point of any of them, and
        each point box holds exactly one critical point of each.
    regions : callable, optional
        ``regions(centres, r, codes, at_min) -> codes`` on each level's non-excluded boxes: may turn a :data:`SPLIT`
        box into a region leaf (:data:`REGION_CODES`; :class:`.degenerate.RegionTests`).

    Examples
    --------
    ``L = cos 2θ`` (one parameter, period π): critical points at θ = 0 and π/2.

    >>> cov = exhaust(TrigPoly(1, {(1,): 1}))
    >>> cov.complete, len(cov.points), sorted(round(float(c[0]), 6) for c, _ in cov.points)
    (True, 2, [0.0, 0.5])
    """
    p = loss.p
    jet = LossJet(loss, radii)
    t0 = time.perf_counter()
    pts = Points(p)
    encl = Enclosures(jet, pts)
    levels: list[str] = []
    inclusions: list = []
    unresolved: list = []
    frontier = np.zeros((1, p), dtype=np.int64)
    depth = 0
    processed = 0
    resolved_vol = 0.0
    stats = {"excluded": 0, "inclusion": 0, "split": 0, "unresolved": 0, "boxes": 0, "depth": 0}
    reason = ""
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=1.0, desc=f"exhaustion p={p}: resolved volume", file=sys.stderr, leave=False,
                   bar_format="{l_bar}{bar}| {n:.4f}/1 [{elapsed}] {postfix}")
    pool = None
    if workers > 1:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_init_worker, initargs=(jet,))
    else:
        _STATE["jet"] = jet
    try:
        while len(frontier):
            if budget is not None:
                rem = budget.remaining()
                if rem is not None and rem <= 0:
                    reason = "time limit reached"
                    break
            if max_boxes is not None and processed + len(frontier) > max_boxes:
                reason = f"box budget of {max_boxes} reached"
                break
            n = _splits(depth, p)
            width = 1.0 / (2.0 ** n)
            r = width / 2
            centres = (frontier + 0.5) * width
            parts = [(centres[i:i + chunk], r) for i in range(0, len(centres), chunk)]
            masks = pool.map(_exclude_chunk, parts) if pool is not None else [_exclude_chunk(a) for a in parts]
            excl = np.concatenate([a for a, _, _ in masks])
            codes = np.full(len(frontier), SPLIT)
            codes[excl] = EXCLUDED
            todo = np.nonzero(~excl)[0]
            at_min = n.min() >= min_width_bits
            if width.max() <= INCLUSION_WIDTH and len(todo):
                near = np.concatenate([b for _, b, _ in masks])[todo]
                guess = np.concatenate([c for _, _, c in masks])[todo]
                found = _inclusions(jet, encl, centres[todo], np.broadcast_to(r, (len(todo), p)), near, guess,
                                    singular_skip=regions is not None)
                for row in sorted(found):          # breadth-first order of the leaves
                    codes[todo[row]] = INCLUSION
                    inclusions.append((depth, todo[row], found[row]))
            if regions is not None and len(todo):
                codes[todo] = regions(centres[todo], r, codes[todo], at_min)
            if at_min:
                left = todo[codes[todo] == SPLIT]
                codes[left] = UNRESOLVED
                unresolved += [(depth, tuple(int(x) for x in frontier[t])) for t in left]
            levels.append("".join(codes))
            vol = float(np.prod(width))
            resolved_vol += vol * int(((codes != SPLIT) & (codes != UNRESOLVED)).sum())
            for key, code in (("excluded", EXCLUDED), ("inclusion", INCLUSION), ("split", SPLIT),
                              ("unresolved", UNRESOLVED)) + tuple((f"region {c}", c) for c in REGION_CODES):
                stats[key] = stats.get(key, 0) + int((codes == code).sum())
            processed += len(frontier)
            s = split_axis(depth, p)
            par = frontier[codes == SPLIT]
            kids = np.repeat(par, 2, axis=0)
            kids[:, s] = 2 * kids[:, s] + np.tile([0, 1], len(par))
            frontier = kids
            depth += 1
            if bar is not None:
                bar.n = resolved_vol
                bar.set_postfix_str(f"depth {depth}, {processed} boxes, {len(pts.c)} points")
                bar.refresh()
    except KeyboardInterrupt:
        reason = "interrupted (Ctrl-C)"
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        if bar is not None:
            bar.close()
    if len(frontier):                  # never processed: unresolved, no code in the tree
        unresolved += [(depth, tuple(int(x) for x in k)) for k in frontier]
    stats["boxes"], stats["depth"], stats["seconds"] = processed, depth, time.perf_counter() - t0
    unres_vol = float(sum(np.prod(1.0 / 2.0 ** _splits(d, p)) for d, _ in unresolved))
    # a point box is listed only when an inclusion leaf reaches it (a point enclosed from a neighbour whose own box
    # became a region leaf of a degenerate cover is covered by that region's claim instead)
    used = {j: k for k, j in enumerate(sorted({j for _, _, (_, _, j) in inclusions}))}
    incl = [(c, rad, used[j]) for _, _, (c, rad, j) in inclusions]
    boxes = [(pts.c[j], pts.r[j]) for j in used]
    return Cover(p, encode_tree(levels), incl, boxes, unresolved, unres_vol,
                 not unresolved and not reason, stats, reason or ("degenerate region: boxes at the minimum width "
                                                                  "undecided" if unresolved else ""))
