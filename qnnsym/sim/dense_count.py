"""A fast vectorised float count of the local minima of a dense-family loss (proposals only).

The dense family (:mod:`qnnsym.critical.dense`, docs/math.md "Dense random instances") has residuals
``r_k(φ) = Σ_ξ W[k, ξ] χ_ξ(φ)`` with ``χ_ξ = ∏_{ξ_l=1} c_l ∏_{ξ_l=2} s_l`` (``c_l = cos φ_l``,
``s_l = sin φ_l``, ``ξ`` in ``itertools.product(range(3), repeat=p)`` order) and the loss
``L = Σ_k r_k²`` (up to the factor ``κ²/m``, which moves nothing).  :func:`count_minima` runs a
saddle-free damped Newton iteration from many starts at once (numpy, batched ``eigh``), keeps the
points where the gradient vanishes and the Hessian is positive definite, and merges points that
coincide on the torus ``(R / 2πZ)^p``.

This is a **float heuristic**: it may miss minima with tiny basins or merge close ones.  The search
(:mod:`qnnsym.construct.extremal`) uses it only to propose instances; every count it reports is
re-derived by the certified engine.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ..errors import ValidationError
from ..validate import as_int, finite_array

__all__ = ["FloatMinima", "count_minima", "dense_loss_grad_hess", "residual_matrix"]

TWO_PI = 2 * np.pi


def residual_matrix(a, b=None) -> np.ndarray:
    """The ``m × 3^p`` float matrix ``W`` of residuals ``r_k = Σ_ξ a[k][ξ] χ_ξ − b[k]``.

    Parameters
    ----------
    a : sequence of dict
        ``a[k][ξ]`` (``ξ`` a tuple in ``{0,1,2}^p``, or its digit string ``"012"``), as in
        :func:`qnnsym.critical.dense.dense_residuals`; missing keys are 0.
    b : sequence, optional
        Offsets (default 0); subtracted from the ``ξ = 0`` column.

    Examples
    --------
    >>> residual_matrix([{(0,): 1, (1,): 2, (2,): 3}], [1]).tolist()
    [[0.0, 2.0, 3.0]]
    """
    if not a:
        raise ValidationError("a", "no residual", expected="at least one sample's coefficients")
    keys = [tuple(int(c) for c in k) if isinstance(k, str) else tuple(k) for k in a[0]]
    p = len(keys[0])
    xis = list(itertools.product(range(3), repeat=p))
    col = {xi: j for j, xi in enumerate(xis)}
    W = np.zeros((len(a), len(xis)))
    for k, row in enumerate(a):
        for key, v in row.items():
            xi = tuple(int(c) for c in key) if isinstance(key, str) else tuple(key)
            if xi not in col:
                raise ValidationError(f"a[{k}]", f"key {key!r}", expected=f"a multi-index in {{0,1,2}}^{p}")
            W[k, col[xi]] = float(v)
        if b is not None:
            W[k, 0] -= float(b[k])
    return W


def _kron_rows(factors: list[np.ndarray]) -> np.ndarray:
    """Row-wise Kronecker product of ``N × 3`` arrays (first factor most significant)."""
    out = factors[0]
    for f in factors[1:]:
        out = (out[:, :, None] * f[:, None, :]).reshape(out.shape[0], -1)
    return out


def _loss(W: np.ndarray, phi: np.ndarray) -> np.ndarray:
    N, p = phi.shape
    c, s = np.cos(phi), np.sin(phi)
    r = _kron_rows([np.stack([np.ones(N), c[:, l], s[:, l]], 1) for l in range(p)]) @ W.T
    return (r * r).sum(1)


def dense_loss_grad_hess(W: np.ndarray, phi: np.ndarray):
    """``L``, ``∇L`` and the Hessian of ``L = Σ_k r_k²`` at the rows of ``phi`` (``N × p``).

    Examples
    --------
    >>> W = np.array([[0.0, 1.0, 0.0]])                   # r = cos φ, L = cos² φ
    >>> L, g, H = dense_loss_grad_hess(W, np.array([[0.0]]))
    >>> float(L[0]), float(g[0, 0]), float(H[0, 0, 0])
    (1.0, 0.0, -2.0)
    """
    N, p = phi.shape
    c, s = np.cos(phi), np.sin(phi)
    one, zero = np.ones(N), np.zeros(N)
    u = [np.stack([one, c[:, l], s[:, l]], 1) for l in range(p)]
    du = [np.stack([zero, -s[:, l], c[:, l]], 1) for l in range(p)]
    ddu = [np.stack([zero, -c[:, l], -s[:, l]], 1) for l in range(p)]
    r = _kron_rows(u) @ W.T                                              # N × m
    J = np.empty((N, W.shape[0], p))
    for l in range(p):
        J[:, :, l] = _kron_rows([du[j] if j == l else u[j] for j in range(p)]) @ W.T
    H = np.einsum("nkl,nkj->nlj", J, J)
    for l in range(p):
        for j in range(l, p):
            fs = [(ddu[i] if l == j else du[i]) if i in (l, j) else u[i] for i in range(p)]
            R = _kron_rows(fs) @ W.T
            t = np.einsum("nk,nk->n", r, R)
            H[:, l, j] += t
            if j != l:
                H[:, j, l] += t
    return (r * r).sum(1), 2 * np.einsum("nk,nkl->nl", r, J), 2 * H


@dataclass
class FloatMinima:
    """Float local minima found by :func:`count_minima`.

    Attributes
    ----------
    points : ndarray
        ``K × p`` angles ``φ ∈ [0, 2π)`` of the distinct minima, sorted by loss.
    losses : ndarray
        ``L = Σ r_k²`` at each (no ``1/m`` factor).
    starts : int
        Number of starts used.
    """
    points: np.ndarray
    losses: np.ndarray
    starts: int

    @property
    def n_minima(self) -> int:
        return len(self.losses)

    def n_spurious(self, rel_tol: float = 1e-7) -> int:
        """Minima whose loss exceeds the smallest one found (relative tolerance)."""
        if not len(self.losses):
            return 0
        scale = max(1.0, float(np.max(self.losses)))
        return int(np.sum(self.losses > self.losses.min() + rel_tol * scale))


def count_minima(W, starts: int = 512, iters: int = 60, seed: int = 0, tol: float = 1e-7) -> FloatMinima:
    """Count the distinct nondegenerate local minima of ``L = Σ_k (W χ(φ))_k²`` on the torus (floats).

    Parameters
    ----------
    W : array_like
        ``m × 3^p`` residual matrix (:func:`residual_matrix`).
    starts : int
        Random starting points (uniform on the torus, ``default_rng(seed)``).
    iters : int
        Damped saddle-free Newton steps (``|λ|``-modified Hessian, step length ≤ 0.5, halved until
        the loss does not increase).
    seed : int
    tol : float
        Relative tolerance: gradient below ``tol·scale``, smallest Hessian eigenvalue above it, and
        two minima closer than ``1e-4`` (torus distance) are one.

    Returns
    -------
    FloatMinima

    Examples
    --------
    ``r = cos 2φ``-like: the loss ``cos² φ · …``; for ``r_1 = sin φ``, ``r_2 = (cos φ − 1)/2``
    (Proposition 5, one parameter) there are two minima, ``φ = 0`` and ``φ = π``:

    >>> W = np.array([[0.0, 0.0, 1.0], [-0.5, 0.5, 0.0]])
    >>> res = count_minima(W, starts=64)
    >>> res.n_minima, res.n_spurious(), np.round(np.sort(res.points[:, 0]), 6).tolist()
    (2, 1, [0.0, 3.141593])
    """
    W = finite_array(W, "W", real=True).astype(float)     # NaN would count 0 minima
    starts, seed = as_int(starts, "starts", lo=1), as_int(seed, "seed", lo=0)
    if W.ndim != 2 or W.shape[1] < 3:
        raise ValidationError("W", f"shape {W.shape}", expected="an m × 3^p matrix")
    p = int(round(np.log(W.shape[1]) / np.log(3)))
    if 3 ** p != W.shape[1]:
        raise ValidationError("W", f"{W.shape[1]} columns", expected="3^p columns")
    if int(starts) < 1:
        raise ValidationError("starts", f"{starts}", expected="a positive integer")
    rng = np.random.default_rng(seed)
    phi = rng.uniform(0, TWO_PI, size=(int(starts), p))
    scale = max(1.0, float(np.abs(W).sum(1).max()) ** 2)
    L, g, H = dense_loss_grad_hess(W, phi)
    active = np.arange(len(phi))
    for _ in range(iters):
        done = np.linalg.norm(g, axis=1) < 1e-3 * tol * scale
        if done.all():
            break
        keep = ~done
        active, phi_a = active[keep], phi[active[keep]]
        L, g, H = L[keep], g[keep], H[keep]
        lam, V = np.linalg.eigh(H)
        lam = np.maximum(np.abs(lam), 1e-3 * scale)
        step = -np.einsum("nij,nj->ni", V, np.einsum("nji,nj->ni", V, g) / lam)
        norm = np.linalg.norm(step, axis=1, keepdims=True)
        step *= np.minimum(1.0, 0.5 / np.maximum(norm, 1e-300))
        t = np.ones((len(phi_a), 1))
        for _h in range(6):
            bad = _loss(W, np.mod(phi_a + t * step, TWO_PI)) > L + 1e-15 * scale
            if not bad.any():
                break
            t[bad] *= 0.5
        phi[active] = np.mod(phi_a + t * step, TWO_PI)
        L, g, H = dense_loss_grad_hess(W, phi[active])
    L, g, H = dense_loss_grad_hess(W, phi)
    ok = (np.linalg.norm(g, axis=1) < tol * scale) & (np.linalg.eigvalsh(H)[:, 0] > tol * scale)
    pts, vals = phi[ok], L[ok]
    order = np.argsort(vals, kind="stable")
    kept: list[int] = []
    for i in order:
        if not kept or np.min(np.max(np.abs(np.angle(np.exp(1j * (pts[kept] - pts[i])))), axis=1)) > 1e-4:
            kept.append(i)
    return FloatMinima(pts[kept] if kept else np.zeros((0, p)), vals[kept], int(starts))
