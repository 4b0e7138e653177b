"""Vectorised homotopy continuation for the tan form of the critical system (docs/math.md "Homotopy continuation").

Target ``F(t) = 0``: the tan form (:mod:`qnnsym.exact.tanform`), ``p`` equations with degree
``≤ e_lj = 2d_lj`` in ``t_j``.  Start system ``G_l(t) = Π_j (t_j^{e_lj} − b_lj)`` with random unit
complex ``b_lj``: its solutions pick one factor per equation, and only permutations ``j = σ(l)``
give solutions, so it has exactly ``perm(e) = 2^p·perm(d)`` regular solutions — the
multihomogeneous bound, the number of paths.  Homotopy ``H(t, τ) = (1 − τ)·γ·G(t) + τ·F(t)`` with a
random complex ``γ`` (gamma trick).

All paths move at once (numpy arrays over paths): RK4 predictor on ``dt/dτ = −H_t^{-1} H_τ``,
Newton corrector, per-path adaptive step; a path fails when its step collapses, diverges when
``|t|`` grows past :data:`DIVERGED`.  Nothing here is trusted: every endpoint is certified afterwards
by :func:`qnnsym.exact.krawczyk.krawczyk` on the exact system.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import numpy as np

from ..exact.krawczyk import jet, powers, times_columns

__all__ = ["DIVERGED", "GradientTarget", "RotatedStart", "StartSystem", "from_rotated", "gradient_target",
           "hessian_jet", "newton", "rotated_start", "rotated_tensor", "start_system", "tau_step", "to_rotated",
           "track_paths"]

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

    def evaluate(self, t: np.ndarray):
        """``G(t)`` (n, p) and ``∂G/∂t`` (n, p, p)."""
        e, b = self.e, self.b
        tp = t[:, None, :]                                               # (n, 1, p): t_j
        qv = np.where(e > 0, tp ** e - b, 1.0)                           # q_lj(t_j), (n, p, p)
        qd = np.where(e > 0, e * tp ** np.maximum(e - 1, 0), 0.0)
        return _product_jet(qv, qd)


def _product_jet(qv: np.ndarray, qd: np.ndarray):
    """``G_l = Π_j q_lj`` and ``∂G_l/∂x_j = q'_lj · Π_{i≠j} q_li`` from the factor values ``qv`` and
    derivatives ``qd`` (both ``(n, p, p)``)."""
    p = qv.shape[2]
    G = qv.prod(axis=2)
    J = np.empty_like(qv)
    for j in range(p):
        J[:, :, j] = qd[:, :, j] * (np.delete(qv, j, axis=2).prod(axis=2) if p > 1 else 1.0)
    return G, J


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

    def evaluate(self, x: np.ndarray):
        """``G(x)`` (n, p) and ``∂G/∂x`` (n, p, p)."""
        p = self.p
        qv = np.empty((x.shape[0], p, p), dtype=complex)
        qd = np.empty_like(qv)
        for l in range(p):
            for j in range(p):
                qv[:, l, j] = np.polynomial.polynomial.polyval(x[:, j], self.P[l][j])
                qd[:, l, j] = np.polynomial.polynomial.polyval(x[:, j], self.dP[l][j])
        return _product_jet(qv, qd)


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
    """``H``, ``H_t`` and ``H_τ`` at the points ``t`` (n, p) and times ``tau`` (n,)."""
    F, JF = T.jet(t) if isinstance(T, GradientTarget) else jet(T, t)
    G, JG = S.evaluate(t)
    a = ((1 - tau) * S.gamma)[:, None]
    b = tau[:, None]
    return a * G + b * F, a[:, :, None] * JG + b[:, :, None] * JF, F - S.gamma * G


def _solve(A, y):
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


def _velocity(T, S, t, tau):
    _, Ht, Htau = _H(T, S, t, tau)
    return -_solve(Ht, Htau)


def newton(T, t: np.ndarray, iterations: int = 3):
    """Newton's method on ``F`` (float): returns the refined points and the last step sizes."""
    step = np.full(t.shape[0], np.inf)
    for _ in range(iterations):
        F, J = jet(T, t)
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


def track_paths(T, S: StartSystem, starts: np.ndarray, deadline: float | None = None, max_steps: int = 2000,
                h0: float = 0.02, hmax: float = 0.1, hmin: float = 1e-9, tol: float = 1e-8, clock=time.monotonic):
    """Track every start solution from ``τ = 0`` to ``τ = 1`` at once.

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
    # the velocity at each path's current point: reused as the next step's first RK4 stage (it is
    # computed by the last corrector evaluation of an accepted step, and a rejected step stays put)
    vel = np.full((n, _p), np.nan, dtype=complex)
    active = np.arange(n)
    while active.size:
        if deadline is not None and clock() > deadline:
            status[active] = 1
            break
        ta, sa = t[active], tau[active]
        ha, s1 = tau_step(sa, h[active])
        # RK4 predictor
        k1 = vel[active]
        need = ~np.isfinite(k1).all(axis=1)
        if need.any():
            k1[need] = _velocity(T, S, ta[need], sa[need])
        k2 = _velocity(T, S, ta + 0.5 * ha[:, None] * k1, sa + 0.5 * ha)
        k3 = _velocity(T, S, ta + 0.5 * ha[:, None] * k2, sa + 0.5 * ha)
        k4 = _velocity(T, S, ta + ha[:, None] * k3, sa + ha)
        x = ta + (ha / 6)[:, None] * (k1 + 2 * k2 + 2 * k3 + k4)
        scale = 1 + np.abs(x).max(axis=1)
        move = np.abs(x - ta).max(axis=1)
        ok = np.isfinite(x).all(axis=1)
        first = None
        for it in range(3):
            Hv, Ht, Htau = _H(T, S, x, s1)
            d = _solve(Ht, Hv)
            if it == 2:      # the velocity here is the next step's k1, to the corrector's last step
                v_next = -_solve(Ht, Htau)
            nd = np.abs(d).max(axis=1)
            ok &= np.isfinite(nd)
            x = x - d
            # the corrector must stay close to the prediction and contract fast; a predictor that landed in
            # another path's basin (path jumping) needs a correction comparable to the step itself
            if it == 0:
                first = nd
                ok &= (nd < 1e-2 * scale) & (nd < 0.05 * move + 1e-12 * scale)
            elif it == 1:
                ok &= nd < 0.1 * first + 1e-14 * scale
        conv = ok & (nd < tol * scale)
        # accept / reject
        acc = active[conv]
        rej = active[~conv]
        t[acc] = x[conv]
        tau[acc] = s1[conv]
        vel[acc] = v_next[conv]
        steps[active] += 1
        fast = conv & (first < 1e-5 * scale)
        h[active[fast]] = np.minimum(h[active[fast]] * 2, hmax)
        h[rej] = h[rej] * 0.5
        done = acc[tau[acc] >= 1]
        status[done] = 0
        big = acc[np.abs(t[acc]).max(axis=1) > DIVERGED]
        status[big] = 2
        dead = active[(h[active] < hmin) | (steps[active] >= max_steps)]
        status[dead[status[dead] == -1]] = 1
        active = active[status[active] == -1]
    return t, status, steps



def hessian_jet(A: np.ndarray, x: np.ndarray):
    """Value, gradient and Hessian of one polynomial given by its coefficient tensor ``A`` (float).

    Forward-mode contraction, last axis first, keeping the partial derivatives of the axes already
    contracted: ``(N,)``, ``(N, p)``, ``(N, p, p)``.
    """
    p, N = A.ndim, x.shape[0]
    chunk = int(np.clip(2 ** 23 // max(1, A.size // A.shape[-1] * 16 * 6), 16, 512))
    if N > chunk:
        parts = [hessian_jet(A, x[i:i + chunk]) for i in range(0, N, chunk)]
        return tuple(np.concatenate([q[k] for q in parts]) for k in range(3))
    pw = [powers(x[:, j], A.shape[j], 2) for j in range(p)]
    # slots: () value, (i,) first derivative, (i, k) second derivative (i ≤ k), axes already contracted
    R = times_columns(A.reshape(-1, A.shape[-1]), np.concatenate(pw[-1], axis=0))      # (…, 3N)
    keys = [(), (p - 1,), (p - 1, p - 1)]
    S = R.reshape(-1, 3, N).transpose(1, 0, 2)
    for j in range(p - 2, -1, -1):
        V, dV, d2V = pw[j]
        K = A.shape[j]
        S4 = S.reshape(S.shape[0], -1, K, N)
        slot = {k: i for i, k in enumerate(keys)}
        out = [np.einsum("makn,nk->man", S4, V)]                          # every old slot, times x_j^k
        new_keys = list(keys)
        firsts = [k for k in keys if len(k) <= 1]
        F = S4[[slot[k] for k in firsts]]
        out.append(np.einsum("makn,nk->man", F, dV))                      # ∂_j of value and of ∂_i
        new_keys += [(j,) if not k else (j, k[0]) for k in firsts]
        out.append(np.einsum("akn,nk->an", S4[slot[()]], d2V)[None])      # ∂_j²
        new_keys.append((j, j))
        S = np.concatenate(out, axis=0)
        keys = new_keys
    slot = {k: i for i, k in enumerate(keys)}
    val = S[slot[()], 0]
    grad = np.empty((N, p), dtype=S.dtype)
    hess = np.empty((N, p, p), dtype=S.dtype)
    for i in range(p):
        grad[:, i] = S[slot[(i,)], 0]
        for k in range(i, p):
            hess[:, i, k] = hess[:, k, i] = S[slot[(i, k)], 0]
    return val, grad, hess


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
        v, g, H = hessian_jet(self.A, t)
        one = 1 + t * t                                                   # (N, p)
        D2 = 2 * self.D
        F = one * g - D2 * t * v[:, None]
        J = one[:, :, None] * H + (2 * t * g)[:, :, None] * np.eye(len(self.D)) \
            - D2[None, :, None] * (np.eye(len(self.D))[None] * v[:, None, None] + t[:, :, None] * g[:, None, :])
        return F * self.c, J * self.c[None, :, None]


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
