"""Vectorised homotopy continuation for the tan form of the critical system (docs/math.md "Homotopy continuation").

Target ``F(t) = 0``: the tan form (:mod:`qnnsym.exact.tanform`), ``p`` equations with degree
``≤ e_lj = 2d_lj`` in ``t_j``.  Start system ``G_l(t) = Π_j (t_j^{e_lj} − b_lj)`` with random unit
complex ``b_lj``: its solutions pick one factor per equation, and only permutations ``j = σ(l)``
give solutions, so it has exactly ``perm(e) = 2^p·perm(d)`` regular solutions — the
multihomogeneous bound, the number of paths.  Homotopy ``H(t, τ) = (1 − τ)·γ·G(t) + τ·F(t)`` with a
random complex ``γ`` (gamma trick).

All paths move at once (numpy arrays over paths): Hermite predictor from each path's history, two
Newton steps and at most :data:`CHORD` chord steps as corrector, per-path adaptive step
(:func:`track_paths`); a path fails when its step collapses, diverges when ``|t|`` grows past
:data:`DIVERGED`.  The target is evaluated through the loss (:class:`GradientTarget`,
:func:`~.lossjet.loss_jet`: the compiled kernel of :mod:`.jetkernel`, else :func:`~.lossjet.hessian_jet`,
one real matrix product per derivative slot).  Nothing here is trusted: every endpoint is certified afterwards by
:func:`qnnsym.exact.krawczyk.krawczyk` on the exact system.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import numpy as np

from ..exact.krawczyk import jet
from .jetkernel import START_MAX_P, compiled_gradient_system, compiled_solve, compiled_start_jet, fits, load
from .lossjet import hessian_jet, loss_jet, system_jet

__all__ = ["DIVERGED", "GradientTarget", "RotatedStart", "StartSystem", "from_rotated", "gradient_target",
           "hessian_jet", "loss_jet", "newton", "rotated_start", "rotated_tensor", "start_system", "system_jet",
           "tau_step", "to_rotated", "track_paths"]

#: a path whose |t| passes this is reported as going to infinity
DIVERGED = 1e8


@dataclass
class StartSystem:
    """``G_l(t) = Π_j (t_j^{e[l][j]} − b[l][j])`` and its solutions (one per path)."""

    e: np.ndarray          # (p, p) int degrees
    b: np.ndarray          # (p, p) complex, |b| = 1
    gamma: complex

    @property
    def p(self) -> int:
        return self.e.shape[0]

    def solutions(self) -> np.ndarray:
        """All ``perm(e)`` start solutions, shape ``(n_paths, p)``, in a fixed order."""
        p = self.p
        out = []
        for sigma in itertools.permutations(range(p)):
            es = [int(self.e[l, sigma[l]]) for l in range(p)]
            if 0 in es:
                continue
            roots = [self.b[l, sigma[l]] ** (1 / es[l]) * np.exp(2j * np.pi * np.arange(es[l]) / es[l]) for l in range(p)]
            grid = np.array(list(itertools.product(*roots)))             # (Π es, p), column l is t_{σ(l)}
            sol = np.empty_like(grid)
            for l in range(p):
                sol[:, sigma[l]] = grid[:, l]
            out.append(sol)
        return np.concatenate(out) if out else np.zeros((0, p), dtype=complex)

    def _factors(self, t: np.ndarray, derivative: bool):
        """``q_lj(t_j) = t_j^{e_lj} − b_lj`` (1 where ``e_lj = 0``) and their derivatives, ``(n, p, p)``."""
        e, b = self.e, self.b
        E = int(e.max(initial=0))
        P = np.empty(t.shape + (E + 1,), dtype=complex)              # P[n, j, k] = t_j^k
        P[..., 0] = 1
        for k in range(1, E + 1):
            P[..., k] = P[..., k - 1] * t
        col = np.broadcast_to(np.arange(self.p), e.shape)
        qv = np.where(e > 0, P[:, col, e] - b, 1.0)
        qd = np.where(e > 0, e * P[:, col, np.maximum(e - 1, 0)], 0.0) if derivative else None
        return qv, qd

    def evaluate(self, t: np.ndarray):
        """``G(t)`` (n, p) and ``∂G/∂t`` (n, p, p) (by the compiled kernel of :mod:`.jetkernel` where it is
        available)."""
        if self.p <= START_MAX_P and load() is not None:
            return compiled_start_jet(self.e, self.b, t)
        return _product_jet(*self._factors(t, True))

    def value(self, t: np.ndarray) -> np.ndarray:
        """``G(t)`` alone, (n, p)."""
        return self._factors(t, False)[0].prod(axis=2)


def _product_jet(qv: np.ndarray, qd: np.ndarray):
    """``G_l = Π_j q_lj`` and ``∂G_l/∂x_j = q'_lj · Π_{i≠j} q_li`` from the factor values ``qv`` and
    derivatives ``qd`` (both ``(n, p, p)``): prefix and suffix products, no division."""
    pre = np.ones_like(qv)
    suf = np.ones_like(qv)
    pre[:, :, 1:] = np.cumprod(qv[:, :, :-1], axis=2)
    suf[:, :, :-1] = np.cumprod(qv[:, :, :0:-1], axis=2)[:, :, ::-1]
    return pre[:, :, -1] * qv[:, :, -1], qd * pre * suf


@dataclass
class RotatedStart:
    """A start system in the coordinates ``x_j = (t_j − r_j)/(1 + r_j t_j)`` (``θ_j`` shifted by ``−atan r_j``).

    Equation ``l`` is ``G_l(t(x))`` cleared by ``Π_j (1 − r_j x_j)^{K_j − 1}``, the same factor that
    :func:`rotated_tensor` clears the target by, so the homotopy is the same one, reparametrised: its
    paths end at the same solutions.  ``P[l][j]`` holds the coefficients (lowest first) of the factor
    in ``x_j``.
    """

    P: list
    gamma: complex

    def __post_init__(self):
        self.dP = [[np.polynomial.polynomial.polyder(c) for c in row] for row in self.P]

    @property
    def p(self) -> int:
        return len(self.P)

    def _factors(self, x: np.ndarray, derivative: bool):
        p = self.p
        qv = np.empty((x.shape[0], p, p), dtype=complex)
        qd = np.empty_like(qv) if derivative else None
        for l in range(p):
            for j in range(p):
                qv[:, l, j] = np.polynomial.polynomial.polyval(x[:, j], self.P[l][j])
                if derivative:
                    qd[:, l, j] = np.polynomial.polynomial.polyval(x[:, j], self.dP[l][j])
        return qv, qd

    def evaluate(self, x: np.ndarray):
        """``G(x)`` (n, p) and ``∂G/∂x`` (n, p, p)."""
        return _product_jet(*self._factors(x, True))

    def value(self, x: np.ndarray) -> np.ndarray:
        """``G(x)`` alone, (n, p)."""
        return self._factors(x, False)[0].prod(axis=2)


def _clearing(r: float, K: int, k: int) -> np.ndarray:
    """Coefficients in ``x`` of ``(x + r)^k (1 − r x)^{K−1−k}``, i.e. ``t^k`` cleared by ``(1 − r x)^{K−1}``."""
    P = np.polynomial.polynomial
    return P.polymul(P.polypow([r, 1.0], k), P.polypow([1.0, -r], K - 1 - k))[:K]


def rotated_tensor(T: np.ndarray, r) -> np.ndarray:
    """The system ``T`` in the coordinates ``x_j = (t_j − r_j)/(1 + r_j t_j)``, cleared by ``(1 − r_j x_j)^{K_j−1}``.

    ``t = tan φ`` and ``x = tan(φ − α)`` with ``r = tan α``: a real rotation of each angle, so a real
    tensor again.  Points with large ``|t_j|`` (near ``φ_j = π/2``, where the affine ``t`` chart is
    ill-conditioned) sit at moderate ``|x_j|``.  Floats, for tracking only.
    """
    out = np.asarray(T, dtype=float)
    for j, rj in enumerate(r):
        K = out.shape[1 + j]
        M = np.zeros((K, K))
        for k in range(K):
            c = _clearing(float(rj), K, k)
            M[:len(c), k] = c
        out = np.moveaxis(np.tensordot(out, M, axes=([1 + j], [1])), -1, 1 + j)
    return out


def rotated_start(S: StartSystem, r, K) -> RotatedStart:
    """:class:`StartSystem` ``S`` in the coordinates of :func:`rotated_tensor` (clearing degrees ``K_j − 1``)."""
    P = np.polynomial.polynomial
    p = S.p
    rows = []
    for l in range(p):
        row = []
        for j in range(p):
            e, Kj, rj = int(S.e[l, j]), int(K[j]), float(r[j])
            one = P.polypow([1.0, -rj], Kj - 1)
            if e == 0:
                row.append(one.astype(complex))
            else:
                row.append(P.polysub(_clearing(rj, Kj, e).astype(complex), S.b[l, j] * one))
        rows.append(row)
    return RotatedStart(rows, S.gamma)


def to_rotated(t: np.ndarray, r) -> np.ndarray:
    """``x = (t − r)/(1 + r t)`` per coordinate."""
    r = np.asarray(r, dtype=float)
    return (t - r) / (1 + r * t)


def from_rotated(x: np.ndarray, r) -> np.ndarray:
    """``t = (x + r)/(1 − r x)`` per coordinate."""
    r = np.asarray(r, dtype=float)
    return (x + r) / (1 - r * x)


def start_system(degrees, seed: int = 0) -> StartSystem:
    """Random start system for the degree matrix ``e[l][j] = 2·d[l][j]`` (reproducible from ``seed``)."""
    e = np.asarray(degrees, dtype=int)
    rng = np.random.default_rng(seed)
    b = np.exp(2j * np.pi * rng.random(e.shape))
    gamma = np.exp(2j * np.pi * rng.random())
    return StartSystem(e, b, complex(gamma))


def _H(T, S: StartSystem, t, tau):
    """``H``, ``H_t`` and ``H_τ`` at the points ``t`` (n, p) and times ``tau`` (n,): one evaluation of the
    system and its Jacobian."""
    F, JF = T.jet(t) if isinstance(T, GradientTarget) else system_jet(T, t)
    G, JG = S.evaluate(t)
    a = ((1 - tau) * S.gamma)[:, None]
    b = tau[:, None]
    return a * G + b * F, a[:, :, None] * JG + b[:, :, None] * JF, F - S.gamma * G


def _H_value(T, S: StartSystem, t, tau):
    """``H`` and ``H_τ`` only (no Jacobian: about a third of the work of :func:`_H` for a
    :class:`GradientTarget`)."""
    F = T.value(t) if isinstance(T, GradientTarget) else system_jet(T, t, derivative=False)[0]
    G = S.value(t)
    a = ((1 - tau) * S.gamma)[:, None]
    return a * G + tau[:, None] * F, F - S.gamma * G


def _solve(A, y):
    """``A[n]⁻¹ y[n]`` per path; a singular matrix gives NaNs (its path's step is then rejected)."""
    if A.shape[-1] <= START_MAX_P and load() is not None:
        return compiled_solve(A, y)
    try:
        return np.linalg.solve(A, y[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.full_like(y, np.nan)
        for i in range(len(y)):
            try:
                out[i] = np.linalg.solve(A[i], y[i])
            except np.linalg.LinAlgError:
                pass
        return out


def _inverse(A):
    """Batched inverse; a singular matrix gives NaNs (its path's step is then rejected)."""
    if A.shape[-1] <= START_MAX_P and load() is not None:
        return compiled_solve(A)
    try:
        return np.linalg.inv(A)
    except np.linalg.LinAlgError:
        out = np.full_like(A, np.nan)
        for i in range(len(A)):
            try:
                out[i] = np.linalg.inv(A[i])
            except np.linalg.LinAlgError:
                pass
        return out


def _apply(M, y):
    """``M[n] @ y[n]`` for every path."""
    return np.matmul(M, y[..., None])[..., 0]


def newton(T, t: np.ndarray, iterations: int = 3):
    """Newton's method on ``F`` (float): returns the refined points and the last step sizes."""
    step = np.full(t.shape[0], np.inf)
    for _ in range(iterations):
        F, J = system_jet(T, t)
        d = _solve(J, F)
        t = t - d
        step = np.abs(d).max(axis=1)
    return t, step


def tau_step(tau: np.ndarray, h: np.ndarray):
    """The step ``Δτ`` and the new ``τ`` for steps of at most ``h`` from ``τ``.

    A step that (nearly) reaches ``τ = 1`` lands on 1 exactly: ``τ + h`` can round to ``1 − ulp``, and
    the remaining step of ``1e-16`` is one no corrector can accept (the previous point's error is
    larger than the move), so the path's step would collapse.
    """
    last = h >= (1 - tau) * (1 - 1e-6)
    return np.where(last, 1 - tau, h), np.where(last, 1.0, tau + h)


def _hermite(taus: np.ndarray, xs: np.ndarray, vs: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """Per path, the polynomial of degree ``2m − 1`` through the ``m`` points ``xs`` (shape ``(n, m, p)``) at
    times ``taus`` (``(n, m)``) with slopes ``vs``, evaluated at ``tau`` (``(n,)``): Hermite extrapolation
    by confluent divided differences (each time a double node).  It reproduces polynomials of degree
    ``< 2m`` (a cubic through two points, a quintic through three):

    >>> tt = np.array([[0.0, 0.1, 0.3]]); f = lambda s: s ** 5 - 2 * s ** 2; df = lambda s: 5 * s ** 4 - 4 * s
    >>> x = _hermite(tt, f(tt)[..., None] + 0j, df(tt)[..., None] + 0j, np.array([0.5]))
    >>> bool(abs(x[0, 0] - f(0.5)) < 1e-12)
    True
    """
    m = taus.shape[1]
    z = np.repeat(taus - taus[:, -1:], 2, axis=1)[:, :, None]          # nodes relative to the last point
    s = (tau - taus[:, -1])[:, None]
    Q = list(np.repeat(xs, 2, axis=1).transpose(1, 0, 2))            # column j of the table, in place
    coef = [Q[0]]
    for j in range(1, 2 * m):
        for i in range(2 * m - 1, j - 1, -1):
            if j == 1 and i % 2:
                Q[i] = vs[:, i // 2]
            else:
                Q[i] = (Q[i] - Q[i - 1]) / (z[:, i] - z[:, i - j])
        coef.append(Q[j])
    out = coef[-1]
    for k in range(2 * m - 2, -1, -1):                                 # Horner in the Newton basis
        out = coef[k] + (s - z[:, k]) * out
    return out


#: accepted points before the current one that the predictor interpolates (2: a quintic; 3 measured no better)
HISTORY = 2
#: the predictor's error (the corrector's first step) aimed at, as a fraction of the step's move; a
#: first correction over :data:`JUMP` of the move rejects the step (path jumping).  Measured: looser
#: values save steps (0.05/0.15: 13% fewer steps and jets at dense p = 4, 5) but let paths jump
#: (0.05/0.1: one of 6,144 at p = 4 seed 2; 0.05/0.15: dense p = 6 seed 0, path 1,506,589, even with
#: ``hmax = 0.002``; 0.1/0.3: one at p = 4 seed 0), which costs a re-tracking round
AIM, JUMP = 0.03, 0.05
#: step-size control ``h ← h·clip(SAFETY·(AIM·move/first)^EXPONENTS[m], *GROW)`` for a predictor through
#: ``m`` earlier points (Euler, cubic, quintic); a rejected step shrinks by at least ½.  Euler's error
#: relative to the move is ``O(h)``: exponent 1, so a rejected first step shrinks to the estimate (down
#: to 1/10) instead of halving 3–5 times.  The Hermite exponents are below the asymptotic ``1/(2m + 1)``
#: on purpose (measured: fewer steps; a rejection costs one evaluation)
SAFETY = 0.8
EXPONENTS = np.array([1, 1 / 3, 1 / 3])
GROW = (0.1, 3.0)
#: at most this many chord steps (``H`` alone, the last Jacobian frozen) after the two Newton steps
CHORD = 3


def track_paths(T, S: StartSystem, starts: np.ndarray, deadline: float | None = None, max_steps: int = 2000,
                h0: float = 0.02, hmax: float = 0.1, hmin: float = 1e-9, tol: float = 1e-8, clock=time.monotonic,
                counts: dict | None = None):
    """Track every start solution from ``τ = 0`` to ``τ = 1`` at once.

    Per step and path (docs/math.md, "Tracking"):

    * **predictor** — the Hermite polynomial through the current point and the last :data:`HISTORY`
      accepted ones with their velocities ``dt/dτ = −H_t^{-1} H_τ`` (a quintic; no evaluation; Euler on
      a path's first step);
    * **corrector** — two Newton steps, each one evaluation of ``H`` with its Jacobian (:func:`_H`); the
      second Jacobian also gives the velocity at the new point, accurate to the size of the second
      correction (a velocity from the first, frozen Jacobian is off by ~``10^-4`` relative, which the
      extrapolating predictor amplifies: measured 7× more steps).  Accepted when Newton's error
      estimate ``d₂²/d₁`` is below ``tol``; otherwise up to :data:`CHORD` chord steps with that Jacobian
      frozen (evaluations of ``H`` alone, :func:`_H_value`) until a correction is below ``tol``.
    * **safeguards** against path jumping — the first correction must be below :data:`JUMP` of the
      move and ``10^-2`` of the scale, each later one below a tenth of the one before (contraction);
    * **step size** — aims the first correction at :data:`AIM` of the move (:data:`EXPONENTS`).

    Parameters
    ----------
    counts : dict, optional
        Filled with per-path evaluation counts: ``"jets"`` (``H`` with its Jacobian) and ``"values"``
        (``H`` alone), integer arrays of shape ``(n_paths,)``.

    Returns
    -------
    (endpoints, status, steps)
        ``status``: ``0`` reached ``τ = 1``, ``1`` step collapse / too many steps / time out,
        ``2`` diverged (``|t| > DIVERGED``).
    """
    n, _p = starts.shape
    t = starts.astype(complex).copy()
    tau = np.zeros(n)
    h = np.full(n, min(h0, hmax))
    status = np.full(n, -1)
    steps = np.zeros(n, dtype=int)
    jets = np.zeros(n, dtype=int)
    values = np.zeros(n, dtype=int)
    vel = np.full((n, _p), np.nan, dtype=complex)      # dt/dτ at the current point
    # the last HISTORY accepted points before it, oldest first (Hermite predictor), and how many there are
    t_hist = np.zeros((n, HISTORY, _p), dtype=complex)
    v_hist = np.zeros((n, HISTORY, _p), dtype=complex)
    tau_hist = np.zeros((n, HISTORY))
    n_hist = np.zeros(n, dtype=int)
    active = np.arange(n)
    while active.size:
        if deadline is not None and clock() > deadline:
            status[active] = 1
            break
        need = active[~np.isfinite(vel[active]).all(axis=1)]
        if need.size:          # a path's first velocity (its later ones come with its corrector)
            _, Ht, Htau = _H(T, S, t[need], tau[need])
            vel[need] = -_solve(Ht, Htau)
            jets[need] += 1
        ta, sa, va = t[active], tau[active], vel[active]
        ha, s1 = tau_step(sa, h[active])
        # predictor: Hermite through the current point and up to HISTORY earlier ones (Euler with none)
        x = ta + ha[:, None] * va
        nh = n_hist[active]
        for m in range(1, HISTORY + 1):
            g = np.nonzero(nh == m)[0]
            if g.size:
                i = active[g]
                x[g] = _hermite(np.concatenate([tau_hist[i, HISTORY - m:], sa[g, None]], axis=1),
                                np.concatenate([t_hist[i, HISTORY - m:], ta[g, None]], axis=1),
                                np.concatenate([v_hist[i, HISTORY - m:], va[g, None]], axis=1), s1[g])
        scale = 1 + np.abs(x).max(axis=1)
        move = np.abs(x - ta).max(axis=1)
        ok = np.isfinite(x).all(axis=1)
        x[~ok] = ta[~ok]
        # corrector: two Newton steps (the second Jacobian also gives the velocity there), then at most
        # CHORD chord steps with that Jacobian
        Hv, Ht, _ = _H(T, S, x, s1)
        jets[active] += 1
        d = _solve(Ht, Hv)
        first = np.abs(d).max(axis=1)
        x = x - d
        ok &= np.isfinite(first) & (first < 1e-2 * scale) & (first < JUMP * move + 1e-12 * scale)
        conv = np.zeros(len(active), dtype=bool)
        v_new = np.full_like(x, np.nan)
        last = first.copy()
        sub = np.nonzero(ok)[0]
        if sub.size:
            Hv, Ht, Htau = _H(T, S, x[sub], s1[sub])
            jets[active[sub]] += 1
            M = _inverse(Ht)
            d = _apply(M, Hv)
            v_new[sub] = -_apply(M, Htau)
            nd = np.abs(d).max(axis=1)
            x[sub] = x[sub] - d
            ok[sub] &= np.isfinite(nd) & (nd < 0.1 * last[sub] + 1e-14 * scale[sub])
            # Newton's error after this step is about nd·(nd/last): accepted when below tol
            conv[sub] = ok[sub] & (nd * np.minimum(1, nd / np.maximum(last[sub], 1e-300)) < tol * scale[sub])
            last[sub] = nd
            Mi = np.arange(len(sub))
            for _ in range(CHORD):
                more = np.nonzero(ok[sub[Mi]] & ~conv[sub[Mi]])[0]
                if not more.size:
                    break
                Mi = Mi[more]
                i = sub[Mi]
                Hv, _ = _H_value(T, S, x[i], s1[i])
                values[active[i]] += 1
                d = _apply(M[Mi], Hv)
                nd = np.abs(d).max(axis=1)
                x[i] = x[i] - d
                ok[i] &= np.isfinite(nd) & (nd < 0.1 * last[i] + 1e-14 * scale[i])
                conv[i] = ok[i] & (nd < tol * scale[i])
                last[i] = nd
        # accept / reject
        acc = active[conv]
        rej = active[~conv]
        t_hist[acc] = np.roll(t_hist[acc], -1, axis=1)
        v_hist[acc] = np.roll(v_hist[acc], -1, axis=1)
        tau_hist[acc] = np.roll(tau_hist[acc], -1, axis=1)
        t_hist[acc, -1], v_hist[acc, -1], tau_hist[acc, -1] = t[acc], vel[acc], tau[acc]
        n_hist[acc] = np.minimum(n_hist[acc] + 1, HISTORY)
        t[acc] = x[conv]
        tau[acc] = s1[conv]
        vel[acc] = v_new[conv]
        steps[active] += 1
        # step size: the predictor's error (first correction) scales like h^4 and the move like h
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ratio = (AIM * move / first) ** EXPONENTS[nh]
        grow = np.where(first == 0, GROW[1], np.where(np.isnan(ratio), 0.5, np.clip(SAFETY * ratio, *GROW)))
        hn = ha * np.where(conv, grow, np.minimum(grow, 0.5))
        h[active] = np.minimum(np.maximum(hn, np.where(conv, h[active] * 0.5, 0)), hmax)
        done = acc[tau[acc] >= 1]
        status[done] = 0
        big = acc[np.abs(t[acc]).max(axis=1) > DIVERGED]
        status[big] = 2
        dead = active[(h[active] < hmin) | (steps[active] >= max_steps)]
        status[dead[status[dead] == -1]] = 1
        active = active[status[active] == -1]
    if counts is not None:
        counts["jets"] = jets
        counts["values"] = values
    return t, status, steps


@dataclass
class GradientTarget:
    """The tan system of a loss evaluated through the loss alone (cheaper than ``p`` tensors).

    With ``L̃ = Π_j(1 + t_j²)^{D_j} · L`` (the tan form of the loss), the cleared gradient is
    ``F_l = c_l·((1 + t_l²)∂_l L̃ − 2D_l t_l L̃)``; ``c_l`` matches the equations of the tan system
    (calibrated, and checked, by :func:`gradient_target`).  Used for tracking only: endpoints are
    certified against the exact equation tensors.
    """

    A: np.ndarray
    D: np.ndarray
    c: np.ndarray

    def jet(self, t: np.ndarray):
        """``F`` (``(N, p)``) and its Jacobian (``(N, p, p)``) from the value, gradient and Hessian of ``L̃``
        (in the compiled kernel where it is available)."""
        if fits(self.A.shape):
            return compiled_gradient_system(self.A, self.D, self.c, t)
        v, g, H = loss_jet(self.A, t)
        p = len(self.D)
        c1 = (1 + t * t) * self.c                                         # (N, p): c_l (1 + t_l²)
        cD2 = 2 * self.D * self.c
        # ∂_k F_l = c_l((1 + t_l²) ∂_k∂_l L̃ − 2D_l t_l ∂_k L̃) + δ_lk c_l(2 t_l ∂_l L̃ − 2D_l L̃)
        J = c1[:, :, None] * H - (cD2 * t)[:, :, None] * g[:, None, :]
        J.reshape(len(t), p * p)[:, ::p + 1] += 2 * self.c * t * g - cD2 * v[:, None]
        return c1 * g - (cD2 * t) * v[:, None], J

    def value(self, t: np.ndarray) -> np.ndarray:
        """``F`` alone (the value and gradient of ``L̃``: no Hessian)."""
        v, g, _ = loss_jet(self.A, t, order=1)
        return ((1 + t * t) * g - 2 * self.D * t * v[:, None]) * self.c


def gradient_target(loss_tensor: np.ndarray, D, T: np.ndarray, seed: int = 0) -> GradientTarget | None:
    """A :class:`GradientTarget` equal to the tensors ``T`` (up to the scale it calibrates), or None.

    ``loss_tensor`` is the tan form of the loss with clearing degrees ``D``; returns None unless the
    two evaluations agree at random complex points to rounding (e.g. when some ``g_l`` has a lower
    degree in a pair, so that its tan form is cleared by a smaller factor).
    """
    p = T.shape[0]
    if T.shape[1:] != loss_tensor.shape:
        return None
    G = GradientTarget(loss_tensor.astype(float), np.asarray(D, dtype=float), np.ones(p))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4, p)) + 1j * rng.normal(size=(4, p))
    F0, J0 = jet(T, x)
    F1, J1 = G.jet(x)
    c = F0[0] / F1[0]
    G.c = c
    F1, J1 = G.jet(x)
    scale = np.abs(F0).max() + np.abs(J0).max()
    if not (np.allclose(F0, F1, rtol=1e-9, atol=1e-9 * scale) and np.allclose(J0, J1, rtol=1e-9, atol=1e-9 * scale)):
        return None
    return G
