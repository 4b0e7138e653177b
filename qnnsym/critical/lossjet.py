"""Jets of the tracker's target: value, gradient and Hessian of one real polynomial (the tan-form loss
``L̃``) at complex points, and the values and Jacobians of a system of polynomials (docs/math.md "Tracking").

:func:`loss_jet` and :func:`system_jet` use the compiled kernel of :mod:`.jetkernel` where it is available,
else numpy: :func:`hessian_jet` (one real matrix product per derivative slot) and
:func:`qnnsym.exact.krawczyk.jet`.  Untrusted floats, for tracking and the Newton refinement of endpoints.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from ..exact.krawczyk import jet
from .jetkernel import compiled_hessian_jet, fits

__all__ = ["hessian_jet", "loss_jet", "system_jet"]


@functools.lru_cache(maxsize=None)
def _slot_keys(q: int, order: int) -> tuple[tuple[int, ...], ...]:
    """Derivative slots of ``q`` variables up to ``order`` (≤ 2): ``()``, ``(i,)``, ``(i, k)`` with ``i ≤ k``."""
    keys: list[tuple[int, ...]] = [()]
    if order >= 1:
        keys += [(i,) for i in range(q)]
    if order >= 2:
        keys += [(i, k) for i in range(q) for k in range(i, q)]
    return tuple(keys)


def _powers_rows(x: np.ndarray, K: int, order: int) -> np.ndarray:
    """``d^i/dx_j^i x_j^k`` for ``i ≤ order``, ``k < K``, at the points ``x`` (``(N, q)``): shape
    ``(order + 1, q, K, N)`` (:func:`~qnnsym.exact.krawczyk.powers` for every variable, with the points
    contiguous)."""
    out = np.zeros((order + 1, x.shape[1], K, x.shape[0]), dtype=complex)
    V = out[0]
    V[:, 0] = 1
    xt = x.T
    for k in range(1, K):
        np.multiply(V[:, k - 1], xt, out=V[:, k])
    for i in range(1, order + 1):
        if K > i:
            out[i, :, i:] = V[:, :-i] * np.array([math.perm(k, i) for k in range(i, K)], dtype=float)[:, None]
    return out


@functools.lru_cache(maxsize=None)
def _slot_orders(q: int, order: int) -> tuple[tuple[int, ...], ...]:
    """Per slot of :func:`_slot_keys`, the derivative order in each of the ``q`` variables."""
    return tuple(tuple(key.count(j) for j in range(q)) for key in _slot_keys(q, order))


def _monomial_jets(pw: np.ndarray, K, order: int) -> np.ndarray:
    """The monomials ``Π_j x_j^{k_j}`` (``k_j < K_j``) and their derivatives, shape ``(slots, ΠK, N)``.

    Slot ``s`` (in :func:`_slot_keys` order) holds ``∂^key`` of every monomial (row-major in ``k``), at
    each of the ``N`` points, from the powers ``pw`` of their ``q`` coordinates (:func:`_powers_rows`):
    a Kronecker product, built with the products over the leading variables shared.
    """
    q, N = len(K), pw.shape[-1]
    orders = _slot_orders(q, order)
    size = int(np.prod(K, dtype=int))
    out = np.empty((len(orders), size, N), dtype=complex)
    if q == 0:
        out[:] = 1
        return out
    lead: dict = {}                         # products over the leading q − 1 variables, by their orders
    for c in orders:
        for j in range(1, q):
            if c[:j] not in lead:
                lead[c[:j]] = pw[c[0], 0, :K[0]] if j == 1 else \
                    (lead[c[:j - 1]][:, None, :] * pw[c[j - 1], j - 1, :K[j - 1]][None]).reshape(-1, N)
    for s, c in enumerate(orders):
        if q == 1:
            out[s] = pw[c[0], 0, :K[0]]
        else:
            np.multiply(lead[c[:-1]][:, None, :], pw[c[-1], q - 1, :K[-1]][None],
                        out=out[s].reshape(size // K[-1], K[-1], N))
    return out


@functools.lru_cache(maxsize=None)
def _hessian_gather(a: int, b: int) -> np.ndarray:
    """Where :func:`hessian_jet` finds ``∂_i∂_k`` in its stacked rows ``[V0; Vb; Vm]``: a ``(p, p)`` index."""
    p = a + b
    idx = np.empty((p, p), dtype=int)
    for s, (i, k) in enumerate(_slot_keys(a, 2)[1 + a:]):
        idx[i, k] = idx[k, i] = 1 + a + s
    n0 = len(_slot_keys(a, 2))
    for s, (i, k) in enumerate(_slot_keys(b, 2)[1 + b:]):
        idx[a + i, a + k] = idx[a + k, a + i] = n0 + b + s
    n1 = n0 + len(_slot_keys(b, 2)) - 1
    for i in range(a):
        for k in range(b):
            idx[i, a + k] = idx[a + k, i] = n1 + i * b + k
    return idx


def hessian_jet(A: np.ndarray, x: np.ndarray, order: int = 2, back: int | None = None):
    """Value, gradient and (``order = 2``) Hessian of one polynomial given by its coefficient tensor ``A`` (float).

    The axes split into a front and a back block (the back one the larger, ``b = ⌈p/2⌉`` axes).  The
    back monomials and their derivatives up to ``order`` (:func:`_monomial_jets`, all points) meet the
    tensor in **one real matrix product** per derivative slot (``A`` as a ``ΠK_front × ΠK_back`` matrix,
    the complex points as interleaved real columns); each point then combines the rows with its front
    monomial jets (short sums).  Returns ``(N,)``, ``(N, p)`` and ``(N, p, p)`` arrays (``None`` for the
    Hessian when ``order = 1``: about a third of the work at ``p = 4, 5``).

    >>> A = np.zeros((3, 2)); A[2, 1] = 1.0          # x₀² x₁
    >>> v, g, H = hessian_jet(A, np.array([[2.0 + 0j, 3.0 + 0j]]))
    >>> v.real.tolist(), g.real.tolist(), H.real.tolist()
    ([12.0], [[12.0, 4.0]], [[[6.0, 4.0], [4.0, 0.0]]])
    """
    p, N = A.ndim, x.shape[0]
    b = (p + 1) // 2 if back is None else back
    a = p - b
    K = tuple(int(k) for k in A.shape)
    Kf = int(np.prod(K[:a], dtype=int))
    Kb = A.size // Kf
    sb = len(_slot_keys(b, order))
    # points per chunk: the work arrays (back jets, product, front jets) stay within ~2 MB, in cache
    # (measured: at p = 6 the Hessian jet costs ~40 µs/point in chunks of 32, ~90 in chunks of 100-200)
    chunk = int(np.clip(2 ** 21 // (16 * (Kb * sb + 2 * Kf * sb + Kf * len(_slot_keys(a, order)))), 16, 1024))
    if N > chunk:
        parts = [hessian_jet(A, x[i:i + chunk], order, b) for i in range(0, N, chunk)]
        return tuple(None if parts[0][k] is None else np.concatenate([q[k] for q in parts]) for k in range(3))
    pw = _powers_rows(np.asarray(x, dtype=complex), max(K), order)
    Wb = _monomial_jets(pw[:, a:], K[a:], order)                                  # (sb, Kb, N)
    # one real product per slot: A (Kf × Kb) times the interleaved (re, im) columns of the points
    R = np.matmul(np.ascontiguousarray(A, dtype=np.float64).reshape(Kf, Kb), Wb.view(np.float64))
    R = R.view(complex)                                                           # (sb, Kf, N)
    U = _monomial_jets(pw[:, :a], K[:a], order)                                   # (sa, Kf, N)
    V0 = (U * R[0]).sum(axis=1)                       # value, front gradient, front Hessian
    Vb = (U[0] * R[1:]).sum(axis=1)                   # back gradient, back Hessian
    val = V0[0]
    grad = np.concatenate([V0[1:1 + a], Vb[:b]]).T
    if order < 2:
        return val, grad, None
    Vm = (U[1:1 + a, None] * R[None, 1:1 + b]).sum(axis=2).reshape(a * b, N)     # front × back
    rows = np.concatenate([V0, Vb, Vm])
    return val, grad, rows[_hessian_gather(a, b)].transpose(2, 0, 1)


def system_jet(T: np.ndarray, x: np.ndarray, derivative: bool = True):
    """:func:`qnnsym.exact.krawczyk.jet` (values ``(N, q)`` and Jacobians ``(N, q, p)`` of the ``q``
    polynomials ``T``) by the compiled kernel, one polynomial at a time (value and gradient), where it is
    available; else by :func:`~qnnsym.exact.krawczyk.jet` itself.

    >>> T = np.zeros((2, 2, 3)); T[0, 1, 0] = 1.0; T[1, 0, 2] = 2.0     # x₀ and 2x₁²
    >>> F, J = system_jet(T, np.array([[3.0 + 0j, 1.0 + 0j]]))
    >>> F.real.tolist(), J.real.tolist()
    ([[3.0, 2.0]], [[[1.0, 0.0], [0.0, 4.0]]])
    """
    if not fits(T.shape[1:]):
        return jet(T, x, derivative)
    N, q = x.shape[0], T.shape[0]
    F = np.empty((N, q), dtype=complex)
    J = np.empty((N, q, T.ndim - 1), dtype=complex) if derivative else None
    for l in range(q):
        v, g, _ = compiled_hessian_jet(T[l], x, 1)
        F[:, l] = v
        if derivative:
            J[:, l] = g
    return F, J


def loss_jet(A: np.ndarray, x: np.ndarray, order: int = 2):
    """:func:`hessian_jet` by the compiled kernel (:mod:`.jetkernel`) where it is available, else by numpy:
    the same value, gradient and Hessian to rounding.

    >>> A = np.zeros((3, 2)); A[2, 1] = 1.0          # x₀² x₁
    >>> [a.real.tolist() for a in loss_jet(A, np.array([[2.0 + 0j, 3.0 + 0j]]))]
    [[12.0], [[12.0, 4.0]], [[[6.0, 4.0], [4.0, 0.0]]]]
    """
    if order <= 2 and fits(A.shape):
        return compiled_hessian_jet(A, x, order)
    return hessian_jet(A, x, order)
