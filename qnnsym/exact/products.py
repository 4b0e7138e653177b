"""Exact products of trigonometric polynomials: the term-by-term rule and a fast dense product.

:func:`termwise_product` applies the product-to-sum formulas pair of terms by pair of terms (exact
or float; any sparsity).  :func:`trig_product` and :func:`sum_of_squares` compute the same exact
numbers by Kronecker substitution; :func:`kronecker_pays` says when that is the faster one.

The product rule of the real harmonic basis (:mod:`.trigpoly`) costs one Python operation per
pair of terms and per coordinate; for a loss ``L = (1/m) Σ_k (f_k - y_k)²`` (eq. 6) whose outputs
have ``3^p`` terms (eq. 12) that is ``9^p`` pairs per sample.  Here the product is computed the way
computer algebra multiplies dense polynomials:

1. clear denominators: ``a = A / den_a`` with an integer array ``A`` indexed by the harmonic
   index ``h`` (``h_l ∈ [-D_l, D_l]``);
2. change basis per coordinate to the exponentials ``z_l = e^{iφ_l}`` (``cos jφ = (z^j + z^{-j})/2``,
   ``sin jφ = (z^j - z^{-j})/2i``), scaled by 2 per coordinate so that every entry stays a Gaussian
   integer;
3. multiply the two Laurent polynomials as one univariate integer polynomial
   (Kronecker substitution ``z_l = x^{s_l}`` with strides ``s_l`` of the product's shape, so no
   two exponents collide), in FLINT's ``fmpz_poly`` (exact, asymptotically fast);
4. change basis back and divide by ``4^p · den_a · den_b``.

Every step is exact integer arithmetic; :func:`trig_product` returns the same coefficients as the
term-by-term rule (a test compares them on random inputs).
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import lcm, prod
from typing import Mapping

import flint
import numpy as np

__all__ = ["termwise_product", "trig_product", "sum_of_squares", "dense_product_size", "kronecker_pays",
           "kronecker_pays_all"]

Key = tuple[int, ...]
HALF = Fraction(1, 2)

#: integer arrays whose entries are provably below this bound use int64, others Python ints
_INT64_SAFE = 2 ** 62


def _degrees(terms: Mapping[Key, Fraction], p: int) -> list[int]:
    if not terms:
        return [0] * p
    return [int(v) for v in np.abs(np.array(list(terms), dtype=np.int64).reshape(len(terms), p)).max(axis=0)]


def dense_product_size(a: Mapping[Key, Fraction], b: Mapping[Key, Fraction], p: int) -> int:
    """Number of entries ``Π_l (2(Da_l + Db_l) + 1)`` of the dense product array."""
    Da, Db = _degrees(a, p), _degrees(b, p)
    return prod(2 * (x + y) + 1 for x, y in zip(Da, Db))


def _integer_array(terms: Mapping[Key, Fraction], D: list[int], dtype) -> tuple[np.ndarray, int]:
    """``(A, den)`` with ``terms = A / den``, ``A`` indexed by ``h + D``."""
    den = lcm(*(Fraction(v).denominator for v in terms.values())) if terms else 1
    A = np.zeros(tuple(2 * d + 1 for d in D), dtype=dtype)
    for h, v in terms.items():
        v = Fraction(v)
        A[tuple(x + d for x, d in zip(h, D))] = v.numerator * (den // v.denominator)
    return A, den


def _axis_views(X: np.ndarray, axis: int, D: int):
    """Slices of ``X`` along ``axis`` at index ``0`` and at ``±1..±D`` (as ``h + D``)."""
    def take(sl):
        idx = [slice(None)] * X.ndim
        idx[axis] = sl
        return tuple(idx)
    zero = take(slice(D, D + 1))
    pos = take(slice(D + 1, 2 * D + 1))        # h = 1..D
    neg = take(slice(D - 1, None, -1) if D else slice(0, 0))  # h = -1..-D
    return zero, pos, neg


def _to_exponential(R: np.ndarray, D: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Real harmonic basis → 2^p × the exponential-basis coefficients (real, imaginary parts)."""
    I = np.zeros_like(R)
    for axis, d in enumerate(D):
        zero, pos, neg = _axis_views(R, axis, d)
        CR, CI = R.copy(), I.copy()
        CR[zero], CI[zero] = 2 * R[zero], 2 * I[zero]
        # C[j] = X[+j] - i X[-j],  C[-j] = X[+j] + i X[-j]
        CR[pos], CI[pos] = R[pos] + I[neg], I[pos] - R[neg]
        CR[neg], CI[neg] = R[pos] - I[neg], I[pos] + R[neg]
        R, I = CR, CI
    return R, I


def _to_harmonic(R: np.ndarray, I: np.ndarray, D: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Exponential basis → real harmonic basis (exact inverse of :func:`_to_exponential` up to 2^p)."""
    for axis, d in enumerate(D):
        zero, pos, neg = _axis_views(R, axis, d)
        YR, YI = R.copy(), I.copy()
        # Y[+j] = C[j] + C[-j],  Y[-j] = i (C[j] - C[-j])
        YR[pos], YI[pos] = R[pos] + R[neg], I[pos] + I[neg]
        YR[neg], YI[neg] = I[neg] - I[pos], R[pos] - R[neg]
        R, I = YR, YI
    return R, I


def _kronecker_poly(X: np.ndarray, shape: tuple[int, ...]) -> flint.fmpz_poly:
    E = np.zeros(shape, dtype=X.dtype)
    E[tuple(slice(0, n) for n in X.shape)] = X
    return flint.fmpz_poly(E.ravel().tolist())


def _poly_array(P: flint.fmpz_poly, shape: tuple[int, ...], dtype) -> np.ndarray:
    c = [int(v) for v in P.coeffs()]
    out = np.zeros(prod(shape), dtype=dtype)
    out[:len(c)] = c
    return out.reshape(shape)


def _bound_dtype(norms_a: list[tuple[int, int]], norms_b: list[tuple[int, int]], p: int):
    """int64 when every intermediate entry provably fits, else Python ints.

    Entries are bounded by ``8^p · Σ|num_a|·den_a · Σ|num_b|·den_b`` (each change of basis at most
    doubles the 1-norm per coordinate; a product entry is at most the product of the 1-norms)."""
    bound = 8 ** p * sum(n * d for n, d in norms_a) * sum(n * d for n, d in norms_b)
    return np.int64 if bound < _INT64_SAFE else object


def _norm(terms: Mapping[Key, Fraction]) -> tuple[int, int]:
    return (sum(abs(Fraction(v).numerator) for v in terms.values()),
            lcm(*(Fraction(v).denominator for v in terms.values())))


def _exponential_polys(terms, D, shape, dtype) -> tuple[tuple[flint.fmpz_poly, flint.fmpz_poly], int]:
    A, den = _integer_array(terms, D, dtype)
    R, I = _to_exponential(A, D)
    return (_kronecker_poly(R, shape), _kronecker_poly(I, shape)), den


def _harmonic_terms(PR: flint.fmpz_poly, PI: flint.fmpz_poly, Dp: list[int], shape, dtype,
                    scale: Fraction) -> dict[Key, Fraction]:
    """Back to the harmonic basis; the coefficient at ``h`` is ``Y[h] · scale``."""
    YR, YI = _to_harmonic(_poly_array(PR, shape, dtype), _poly_array(PI, shape, dtype), Dp)
    if np.any(YI != 0):  # pragma: no cover - an arithmetic invariant (real times real is real)
        raise AssertionError("Kronecker product: non-zero imaginary part")
    idx = np.nonzero(YR)
    keys = (np.stack(idx, axis=1) - np.array(Dp, dtype=np.int64)).tolist() if idx[0].size else []
    num, den = scale.numerator, scale.denominator
    return {tuple(k): Fraction(int(v) * num, den) for k, v in zip(keys, YR[idx].tolist())}


def _sin_index(k: int) -> tuple[int, int]:
    """``sin(kφ) = sign * b_idx``; returns ``(idx, sign)``; sign 0 if k = 0."""
    if k == 0:
        return 0, 0
    return (-k, 1) if k > 0 else (k, -1)


@lru_cache(maxsize=None)
def _prod1(i: int, j: int) -> tuple[tuple[int, Fraction], ...]:
    """``b_i b_j`` as ``((index, coefficient), ...)`` (product-to-sum formulas)."""
    if i == 0:
        return ((j, Fraction(1)),)
    if j == 0:
        return ((i, Fraction(1)),)
    a, b = abs(i), abs(j)
    out: dict[int, Fraction] = {}

    def add(idx, c):
        if c:
            out[idx] = out.get(idx, 0) + c

    if i > 0 and j > 0:  # cos a cos b
        add(abs(a - b), HALF)
        add(a + b, HALF)
    elif i < 0 and j < 0:  # sin a sin b
        add(abs(a - b), HALF)
        add(a + b, -HALF)
    else:
        if i < 0:  # sin a cos b = [sin(a+b) + sin(a-b)]/2
            s, c_ = a, b
        else:  # cos a sin b = sin b cos a
            s, c_ = b, a
        idx, sg = _sin_index(s + c_)
        add(idx, HALF * sg)
        idx, sg = _sin_index(s - c_)
        add(idx, HALF * sg)
    # cos(0)=1 appears as index 0
    return tuple((k, v) for k, v in out.items() if v)


def termwise_product(a: Mapping[Key, object], b: Mapping[Key, object]) -> dict[Key, object]:
    """Product in the harmonic basis by the product-to-sum rule, pair of terms by pair of terms
    (exact or float; the reference for :func:`trig_product`)."""
    acc: dict[Key, object] = {}
    for ka, va in a.items():
        for kb, vb in b.items():
            partial = [((), va * vb)]
            for i, j in zip(ka, kb):
                pr = _prod1(i, j)
                if len(pr) == 1:
                    idx, c = pr[0]
                    partial = [(key + (idx,), v * c if c != 1 else v) for key, v in partial]
                else:
                    partial = [(key + (idx,), v * c) for key, v in partial for idx, c in pr]
            for key, v in partial:
                acc[key] = acc.get(key, 0) + v
    return acc


def kronecker_pays(a: Mapping[Key, object], b: Mapping[Key, object], p: int) -> bool:
    """Use the dense exact product (:func:`trig_product`) for large exact operands whose product is
    not much sparser than its dense box (the term-by-term rule is kept for small or sparse ones)."""
    n = len(a) * len(b)
    if n < 256 or not all(type(v) is Fraction for v in a.values()) or not all(type(v) is Fraction for v in b.values()):
        return False
    size = dense_product_size(a, b, p)
    return size <= min(64 * n, 2 ** 26)


def kronecker_pays_all(polys: list[Mapping[Key, object]], p: int) -> bool:
    """One dense pass for ``Σ r_k²`` pays when every square pays and the residuals share their box
    (residuals depending on different parameters, as in Prop. 5, are squared one by one)."""
    if not all(kronecker_pays(r, r, p) for r in polys):
        return False
    box = [max(col) for col in zip(*(_degrees(r, p) for r in polys))]
    return prod(4 * d + 1 for d in box) <= min(64 * sum(len(r) ** 2 for r in polys), 2 ** 26)


def trig_product(a: Mapping[Key, Fraction], b: Mapping[Key, Fraction], p: int) -> dict[Key, Fraction]:
    """Exact product of two real trigonometric polynomials in the harmonic basis.

    Parameters
    ----------
    a, b : mapping
        ``{h: Fraction}`` as in :class:`~qnnsym.exact.trigpoly.TrigPoly` (same base frequencies).
    p : int
        Number of parameters.

    Returns
    -------
    dict
        ``{h: Fraction}``, non-zero coefficients only.

    Examples
    --------
    >>> trig_product({(1,): Fraction(1)}, {(1,): Fraction(1)}, 1)   # cos² φ = 1/2 + cos(2φ)/2
    {(0,): Fraction(1, 2), (2,): Fraction(1, 2)}
    """
    if not a or not b:
        return {}
    Da, Db = _degrees(a, p), _degrees(b, p)
    Dp = [x + y for x, y in zip(Da, Db)]
    shape = tuple(2 * d + 1 for d in Dp)
    dtype = _bound_dtype([_norm(a)], [_norm(b)], p)
    (ar, ai), den_a = _exponential_polys(a, Da, shape, dtype)
    (br, bi), den_b = ((ar, ai), den_a) if a is b else _exponential_polys(b, Db, shape, dtype)
    return _harmonic_terms(ar * br - ai * bi, ar * bi + ai * br, Dp, shape, dtype, Fraction(1, 4 ** p * den_a * den_b))


def sum_of_squares(polys: list[Mapping[Key, Fraction]], p: int, weight: Fraction = Fraction(1)) -> dict[Key, Fraction]:
    """Exact ``weight · Σ_k r_k²`` (the loss of eq. 6 with ``weight = 1/m``), summed before the
    change of basis back.

    Examples
    --------
    >>> sum_of_squares([{(1,): Fraction(1)}, {(-1,): Fraction(1)}], 1)   # cos² + sin² = 1
    {(0,): Fraction(1, 1)}
    """
    polys = [r for r in polys if r]
    if not polys:
        return {}
    D = [max(col) for col in zip(*(_degrees(r, p) for r in polys))]
    Dp = [2 * d for d in D]
    shape = tuple(2 * d + 1 for d in Dp)
    norms = [_norm(r) for r in polys]
    common = lcm(*(d for _, d in norms))
    # r_k = R_k / den_k is brought to the common denominator: Σ (common/den_k)² R_k²
    total = [(sum(n for n, _ in norms), common)]
    dtype = _bound_dtype(total, total, p)
    SR = SI = flint.fmpz_poly(0)
    for r in polys:
        # pad every residual to the common degrees so that all squares share one Kronecker layout
        (xr, xi), den = _exponential_polys(r, D, shape, dtype)
        w = (common // den) ** 2
        SR += w * (xr * xr - xi * xi)
        SI += w * 2 * (xr * xi)
    return _harmonic_terms(SR, SI, Dp, shape, dtype, Fraction(weight) / (4 ** p * common * common))
