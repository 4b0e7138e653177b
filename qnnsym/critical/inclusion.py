"""Krawczyk inclusion of the critical points of ``L`` on the torus (boxes in turns): docs/critical-solving.md.

The inclusion side of the branch-and-prune of :mod:`.exhaustion` and :mod:`.globalmin` (``jet`` is a
:class:`~.exhaustion.LossJet`).  A box ``K`` passes :func:`krawczyk_mask` when it holds exactly one zero
of ``∇L``, nonsingular; a *point box* ``κ ⊂ K`` (tiny, Krawczyk too, pairwise disjoint on the torus)
names that zero.  Two ways to cover a box ``X`` of the search by such a ``K``:

* :class:`Enclosures`: around each Newton limit ``z`` the widest cube ``K = z ± 2^-k`` (``k = 3..24``)
  that passes; every later box inside one ``K`` is an inclusion leaf at once.  ``K`` is centred on the
  critical point, so a point on a face or a corner of the dyadic grid (``θ = 0, π/2, …``, common for
  real ansätze with rational data) is covered on every side alike;
* :func:`include_near`: ``K = z ± (|z − m| + r)(1 + 2^-20) ⊇ X`` for a Newton point ``z`` near ``X``.

Several leaves may share one ``K`` and several ``K`` may overlap: each leaf holds at most the zero of
its ``K``'s point box, and the point boxes are listed once each, so every critical point is counted
once (the checker re-proves each ``K``, that it contains its leaf and its point box).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

__all__ = ["Enclosures", "NEAR", "POINT_RADIUS", "Points", "TWO_PI_DN", "TWO_PI_UP", "box_relation", "hessian_radius",
           "include_near", "krawczyk_mask", "newton"]

NEAR = 3.0   #: an inclusion is tried when the Newton point lies within NEAR radii of the box centre
_U = 2.0 ** -53
_SLACK = 1 + 2.0 ** -40
_TINY = 2.0 ** -1000
#: 2π rounded up and down to float64
TWO_PI_UP = float(np.nextafter(2 * math.pi, np.inf))
TWO_PI_DN = float(np.nextafter(2 * math.pi, -np.inf))
#: half-width (turns) of the point boxes κ around a Newton point
POINT_RADIUS = 2.0 ** -30


def hessian_radius(jet, T: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """Bound on ``|H(x) − Ĥ(m)|`` over ``m ± δ`` (φ units, shape (N, p)): the float error plus the least of
    ``Σ_k W_ijk δ_k`` and the Taylor form ``Σ_k |T_ijk(m)| δ_k + ½ Σ_kl W4_ijkl δ_k δ_l``."""
    lip = np.einsum("ijk,nk->nij", jet.W, delta)
    tay = np.einsum("nijk,nk->nij", np.abs(T) + jet.err_third, delta) \
        + 0.5 * np.einsum("ijkl,nk,nl->nij", jet.W4, delta, delta)
    return np.minimum(lip, tay) * _SLACK + jet.err_hess


def krawczyk_mask(jet, c: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Krawczyk on the boxes ``c ± r`` (turns, shape (N, p)): True proves exactly one zero of ``∇L``
    inside, nonsingular (``|Y ∇L(c)| + M δ < δ`` with ``M ≥ |I − Y H(x)|`` on the box)."""
    c, r = np.atleast_2d(c), np.atleast_2d(r)
    N, p = c.shape
    if not N:
        return np.zeros(0, dtype=bool)
    _, G, H, T = jet(c, third=True)
    fin = np.isfinite(G).all(axis=1) & np.isfinite(H).all(axis=(1, 2)) & np.isfinite(T).all(axis=(1, 2, 3))
    Hs = np.where(fin[:, None, None], H, np.eye(p))
    with np.errstate(all="ignore"):
        det_ok = np.abs(np.linalg.det(Hs)) > 0
        Y = np.linalg.inv(np.where(det_ok[:, None, None], Hs, np.eye(p)))
        d_up = TWO_PI_UP * r * (1 + 4 * _U)
        d_lo = TWO_PI_DN * r * (1 - 4 * _U)
        E = hessian_radius(jet, T, d_up)
        aY = np.abs(Y)
        R = np.eye(p) - Y @ H
        # |I − Y H(x)| ≤ |fl(I − YH)| + (p+2)u(1 + |Y||H|) + |Y| E for every x in the box
        M = np.abs(R) + (p + 2) * _U * (1 + aY @ np.abs(H)) + aY @ E
        lhs = (np.einsum("nij,nj->ni", aY, np.abs(G) + jet.err_grad) + np.einsum("nij,nj->ni", M, d_up)) * _SLACK \
            + _TINY
        ok = np.isfinite(lhs).all(axis=1) & (lhs < d_lo).all(axis=1) & np.isfinite(Y).all(axis=(1, 2))
    return ok & fin & det_ok


def newton(jet, u: np.ndarray, steps: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Float Newton on ``∇_φ L`` from ``u`` (turns, (N, p)): the points and a mask of converged ones
    (guesses: every claim about them is proven afterwards)."""
    jet = jet.approximate()
    u = np.array(u, dtype=float)
    ok = np.ones(len(u), dtype=bool)
    for _ in range(steps):
        _, G, H = jet(u)
        with np.errstate(all="ignore"):
            try:
                d = np.linalg.solve(H, G[..., None])[..., 0]
            except np.linalg.LinAlgError:      # a singular Hessian somewhere (degenerate points): batched pseudo-inverse
                fin = np.isfinite(H).all(axis=(1, 2))
                d = np.einsum("nij,nj->ni", np.linalg.pinv(np.where(fin[:, None, None], H, 0.0)),
                              np.where(fin[:, None], G, 0.0))
                d[~fin] = np.nan
            u = u - d / (2 * math.pi)
        ok &= np.isfinite(u).all(axis=1)
        u[~ok] = 0.0
    _, G, H = jet(u)
    scale = 1 + np.abs(H).max(axis=(1, 2))
    return u, ok & (np.abs(G).max(axis=1) < 1e-9 * scale)


def box_relation(c1, r1, c2, r2) -> str:
    """``"inside"`` (``c1 ± r1`` lies in the interior of ``c2 ± r2``), ``"disjoint"`` or ``"meets"``, on the torus
    ``R^p/Z^p`` (boxes narrower than 1/2; the representative of the first nearest the second), exactly.

    >>> box_relation([0.99], [0.001], [0.0], [0.1]), box_relation([0.5], [0.1], [0.0], [0.1])
    ('inside', 'disjoint')
    """
    inside, disjoint = True, False
    for a, ra, b, rb in zip(c1, r1, c2, r2):
        a, ra, b, rb = Fraction(float(a)), Fraction(float(ra)), Fraction(float(b)), Fraction(float(rb))
        a -= round(a - b)
        if abs(a - b) + ra >= rb:
            inside = False
        if abs(a - b) > ra + rb:
            disjoint = True
    return "inside" if inside else "disjoint" if disjoint else "meets"


class Points:
    """The point boxes found so far; matching on the torus (mod 1)."""

    def __init__(self, p: int):
        self.c = np.zeros((0, p))
        self.r = np.zeros((0, p))

    def _near(self, c, r) -> np.ndarray:
        """Indices of the listed boxes that may meet ``c ± r`` (a float prefilter, loose by ``2^-40``: every box
        that meets it is among them; the exact test decides)."""
        if not len(self.c):
            return np.zeros(0, dtype=np.int64)
        c, r = np.asarray(c, dtype=float), np.asarray(r, dtype=float)
        d = np.abs(self.c - c - np.round(self.c - c))
        return np.nonzero((d <= self.r + r + 2.0 ** -40).all(axis=1))[0]

    def inside(self, c, r) -> int | None:
        """A listed point box lying inside ``c ± r`` (mod 1, decided exactly), or None."""
        for j in self._near(c, r):
            if box_relation(self.c[j], self.r[j], c, r) == "inside":
                return int(j)
        return None

    def overlaps(self, c, r) -> bool:
        """Whether ``c ± r`` may meet a listed point box (mod 1, decided exactly)."""
        return any(box_relation(self.c[j], self.r[j], c, r) != "disjoint" for j in self._near(c, r))

    def add(self, c, r) -> int:
        self.c = np.vstack([self.c, c])
        self.r = np.vstack([self.r, r])
        return len(self.c) - 1


def include_near(jet, pts: "Points", m: np.ndarray, r: np.ndarray, singular_skip: bool = False) -> list:
    """Inclusion leaves among the boxes ``m ± r`` (turns, (N, p)): ``[(row, K centre, K radius, point)]``.

    A Newton point ``z`` within ``NEAR·r`` of the box (a box beside a point, too close to exclude) gives
    ``K = z ± (|z − m| + r)(1 + 2^-20) ⊇ X``; Krawczyk on ``K`` proves its zero unique; the zero is a listed point when that point's box lies in ``K``, else a
    new point box ``κ = z ± 2^-30`` (Krawczyk, disjoint from the others) is added.  ``singular_skip`` (degenerate
    covers): no attempt where the least singular value of ``Ĥ(m)`` is below the Hessian's variation on the box
    (Krawczyk cannot succeed there; it only saves time, every claim is proven as before).
    """
    out: list = []
    rows = np.nonzero((r < 1 / 32).all(axis=1))[0]
    if singular_skip and len(rows):
        _, _, H, T = jet.approximate()(m[rows], third=True)
        E = hessian_radius(jet, T, TWO_PI_UP * r[rows])
        with np.errstate(all="ignore"):
            smin = np.linalg.svd(np.where(np.isfinite(H), H, 0.0), compute_uv=False)[:, -1]
        rows = rows[smin > np.sqrt((E * E).sum(axis=(1, 2)))]
    if not len(rows):
        return out
    zs, okz = newton(jet, m[rows])
    zs = zs - np.round(zs - m[rows])
    cand = rows[np.nonzero(okz & (np.abs(zs - m[rows]) <= NEAR * r[rows]).all(axis=1))[0]]
    if not len(cand):
        return out
    z = zs[np.searchsorted(rows, cand)]
    rad = np.nextafter((np.abs(z - m[cand]) + r[cand]) * (1 + 2.0 ** -20), np.inf)
    good = krawczyk_mask(jet, z, rad)
    for i in np.nonzero(good)[0]:
        row, zi, ri = cand[i], z[i], rad[i]
        if not all(Fraction(a) - Fraction(b) <= Fraction(c) - Fraction(d) and Fraction(a) + Fraction(b) >= Fraction(c) + Fraction(d)
                   for a, b, c, d in zip(zi, ri, m[row], r[row])):
            continue
        j = pts.inside(zi, ri)
        if j is None:
            kr = np.full(jet.p, jet.point_radius)
            if (kr >= ri).any() or pts.overlaps(zi, kr) or not krawczyk_mask(jet, zi, kr)[0] \
                    or box_relation(zi, kr, zi, ri) != "inside":
                continue
            j = pts.add(zi, kr)
        out.append((row, zi, ri, j))
    return out


class Enclosures:
    """Krawczyk boxes ``K`` (turns), each proven to hold exactly one critical point (the point box ``κ_j``
    of ``pts``): a search box inside a ``K`` holds no other critical point."""

    def __init__(self, jet, pts: Points):
        self.jet, self.pts = jet, pts
        self.c = np.zeros((0, jet.p))
        self.r = np.zeros((0, jet.p))
        self.j: list[int] = []

    def add_near(self, z: np.ndarray) -> list[int]:
        """Polish the guesses ``z`` (turns, (N, p)) by Newton and prove the widest ``K = z ± 2^-k`` (k = 3..24)
        around each new limit: the indices of the points enclosed."""
        p = self.jet.p
        if not len(z):
            return []
        zs, ok = newton(self.jet, np.atleast_2d(z))
        zs = np.mod(zs[ok], 1.0)
        if len(self.c) and len(zs):
            zs = zs[self.inside(zs, np.zeros_like(zs)) < 0]           # not already enclosed
        if len(zs):
            zs = zs[np.unique(np.round(zs * 2 ** 20).astype(np.int64) % 2 ** 20, axis=0, return_index=True)[1]]
        radii = 2.0 ** -np.arange(3, 25)
        out = []
        for z in zs:
            if len(self.c) and self.inside(z.reshape(1, -1), np.zeros((1, p)))[0] >= 0:
                continue
            good = krawczyk_mask(self.jet, np.repeat(z[None], len(radii), axis=0), radii[:, None] * np.ones(p))
            if not good.any():
                continue
            kr = np.full(p, radii[np.argmax(good)])
            j = self.pts.inside(z, kr)
            if j is None:
                pr = np.full(p, self.jet.point_radius)
                if (pr >= kr).any() or self.pts.overlaps(z, pr) or not krawczyk_mask(self.jet, z, pr)[0]:
                    continue
                j = self.pts.add(z, pr)
            self.c = np.vstack([self.c, z])
            self.r = np.vstack([self.r, kr])
            self.j.append(j)
            out.append(j)
        return out

    def inside(self, m: np.ndarray, r: np.ndarray) -> np.ndarray:
        """Per box ``m ± r``: the index of an enclosure holding it (decided exactly), else −1.

        Candidates come from a periodic k-d tree on the enclosure centres (max-norm distance ≤ the widest
        enclosure radius); a candidate with a margin of ``2^-48`` in floats (≫ the ``2^-50`` error of the
        float test on the torus ``[0, 1)``) holds the box; a borderline one is decided with rationals.
        """
        from scipy.spatial import cKDTree

        out = np.full(len(m), -1)
        if not len(self.c) or not len(m):
            return out
        def torus(x):
            x = np.mod(np.asarray(x, dtype=float), 1.0)
            x[x >= 1.0] = 0.0                   # np.mod(-tiny, 1) rounds to 1
            return x

        tree = cKDTree(torus(self.c), boxsize=1.0)
        mm = torus(m)
        near = tree.query_ball_point(mm, float(self.r.max()), p=np.inf)
        for t, cand in enumerate(near):
            for e in sorted(cand):
                d = np.abs(m[t] - self.c[e] - np.round(m[t] - self.c[e])) + r[t]
                if (d + 2.0 ** -48 < self.r[e]).all() or (
                        (d < self.r[e] * (1 + 2.0 ** -40)).all()
                        and box_relation(m[t], r[t], self.c[e], self.r[e]) == "inside"):
                    out[t] = e
                    break
        return out
