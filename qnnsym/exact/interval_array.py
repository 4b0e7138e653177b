"""Vectorised interval arithmetic on numpy arrays of IEEE double bounds, rounded outward.

The batch counterpart of :mod:`qnnsym.exact.interval` (python-flint balls, one point at a time): the
enclosures of many ``cs_terms`` polynomials at many boxes at once, e.g. every Hessian entry of a
loss at every real critical point of a table (:func:`qnnsym.critical.classify.interval_inertias`).

**Why every float event is covered.**  An interval is a pair of float arrays ``(lo, hi)``.  Each
operation on bounds (a product of two bounds, a sum of two bounds) is computed by numpy in IEEE
double precision; whatever the rounding mode, the float result ``r`` of an exact value ``x`` is one
of the two floats that bracket ``x`` (``x`` itself when representable), in the normal range, in the
subnormal range (underflow) and up to the largest finite float.  So the next float outward,
``nextafter(r, −∞)`` for a lower bound and ``nextafter(r, +∞)`` for an upper bound, is on the far
side of ``x``: every operation's result is moved one float outward.  An overflow gives ``±∞`` and
``∞ − ∞`` or ``0·∞`` gives NaN, which propagate through ``minimum``/``maximum``/``nextafter``: a
result is trusted only when :func:`finite` says that both bounds are finite.  The bracketing holds
only with gradual underflow: a processor flushing subnormals to zero (FTZ/DAZ, set by code compiled
with fast-math) breaks it, so :func:`ieee_gradual_underflow` is checked before any enclosure is
computed (:func:`cs_enclosures` raises ``ArithmeticError`` then, and callers fall back to balls).
Exact rational inputs enter by directed rounding (:func:`fraction_bounds`: the float nearest each
rational, moved outward unless it is the rational itself).

Examples
--------
>>> lo, hi = cs_enclosures(CsArray([{(2, 0): Fraction(1, 3), (0, 1): 1}]),        # c²/3 + s
...                        *fraction_bounds([[Fraction(1, 2), Fraction(1, 4)]]))
>>> bool(lo[0, 0] <= Fraction(1, 12) + Fraction(1, 4) <= hi[0, 0]), float(hi[0, 0] - lo[0, 0]) < 1e-15
(True, True)
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np

__all__ = ["ieee_gradual_underflow", "fraction_bounds", "interval_mul", "interval_add", "finite", "CsArray",
           "cs_enclosures"]

Bounds = tuple[np.ndarray, np.ndarray]


def ieee_gradual_underflow() -> bool:
    """True if numpy's float64 arithmetic keeps subnormal results and operands (no FTZ/DAZ).

    >>> ieee_gradual_underflow()
    True
    """
    tiny = np.array([2.0 ** -1022, 2.0 ** -1074])
    return bool((tiny * np.float64(0.5))[0] == 2.0 ** -1023 and (tiny * np.float64(1.0))[1] != 0)


def _down(x: Fraction) -> float:
    """The largest float ``≤ x`` (``float`` rounds to nearest; one step down when it rounded up)."""
    f = float(x)
    return f if Fraction(f) <= x else float(np.nextafter(f, -np.inf))


def _up(x: Fraction) -> float:
    f = float(x)
    return f if Fraction(f) >= x else float(np.nextafter(f, np.inf))


def fraction_bounds(rows: Sequence[Sequence], hi_rows: Sequence[Sequence] | None = None) -> Bounds:
    """Float arrays ``(lo, hi)`` with ``lo ≤ x ≤ hi`` elementwise for rationals ``rows`` (or intervals
    ``[rows, hi_rows]``); tight: each bound is the nearest float on its side.

    Raises
    ------
    OverflowError
        A rational beyond the float range.

    >>> fraction_bounds([[Fraction(1, 3), 2]])[0][0, 0] < Fraction(1, 3) < fraction_bounds([[Fraction(1, 3)]])[1][0, 0]
    True
    """
    hi_rows = rows if hi_rows is None else hi_rows
    lo = np.array([[_down(Fraction(x)) for x in row] for row in rows], dtype=float)
    hi = np.array([[_up(Fraction(x)) for x in row] for row in hi_rows], dtype=float)
    return lo, hi


def interval_mul(a_lo, a_hi, b_lo, b_hi) -> Bounds:
    """Elementwise (broadcast) enclosure of the product of ``[a_lo, a_hi]`` and ``[b_lo, b_hi]``.

    >>> interval_mul(np.array([-1.0]), np.array([2.0]), np.array([3.0]), np.array([3.0]))
    (array([-3.]), array([6.]))
    """
    p = np.stack(np.broadcast_arrays(a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi))
    return np.nextafter(p.min(axis=0), -np.inf), np.nextafter(p.max(axis=0), np.inf)


def interval_add(a_lo, a_hi, b_lo, b_hi) -> Bounds:
    """Elementwise enclosure of the sum of two intervals."""
    return np.nextafter(a_lo + b_lo, -np.inf), np.nextafter(a_hi + b_hi, np.inf)


def finite(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Where an enclosure is trustworthy: both bounds finite (no overflow, no NaN)."""
    return np.isfinite(lo) & np.isfinite(hi)


class CsArray:
    """Several ``cs_terms`` polynomials ``{(a_1, b_1, …): coeff}`` in the same variables, prepared for
    :func:`cs_enclosures`: the union of their monomials (exponent matrix) and each polynomial's
    coefficients as float bounds (``0`` exactly where a polynomial lacks a monomial).

    Attributes
    ----------
    exps : numpy.ndarray of int, shape (n_monomials, n_variables)
    coef_lo, coef_hi : numpy.ndarray, shape (n_polys, n_monomials)
    """

    __slots__ = ("exps", "coef_lo", "coef_hi")

    def __init__(self, polys: Sequence[Mapping[tuple[int, ...], object]]):
        monos = sorted({k for P in polys for k in P})
        n = len(monos[0]) if monos else 0
        self.exps = np.array(monos, dtype=np.int64).reshape(len(monos), n)
        self.coef_lo, self.coef_hi = fraction_bounds([[P.get(k, 0) for k in monos] for P in polys])
        self.coef_lo = self.coef_lo.reshape(len(polys), len(monos))
        self.coef_hi = self.coef_hi.reshape(len(polys), len(monos))


def cs_enclosures(P: CsArray, x_lo: np.ndarray, x_hi: np.ndarray) -> Bounds:
    """Enclosures ``(lo, hi)``, shape ``(n_polys, n_points)``, of every polynomial of ``P`` over every
    box ``[x_lo[k], x_hi[k]]`` (shape ``(n_points, n_variables)``).

    Powers by repeated interval products, each monomial as the product of its powers, each term as
    coefficient × monomial, and the terms summed one after the other: every operation rounded
    outward (module docstring).  A point whose enclosures are not all finite gets ``(−∞, +∞)``.

    Raises
    ------
    ArithmeticError
        The processor flushes subnormals to zero (:func:`ieee_gradual_underflow`).
    """
    if not ieee_gradual_underflow():
        raise ArithmeticError("float64 arithmetic flushes subnormals to zero (FTZ/DAZ): outward rounding by one "
                              "float does not cover underflow")
    n_mono = P.coef_lo.shape[1]
    step = max(16, _BLOCK // max(n_mono, 1))          # points per block: the monomial table stays ≈ 16 MB
    with np.errstate(all="ignore"):             # overflow and NaN are expected events, caught by finite()
        parts = [_cs_block(P, x_lo[k:k + step], x_hi[k:k + step]) for k in range(0, max(x_lo.shape[0], 1), step)]
    return np.concatenate([a for a, _ in parts], axis=1), np.concatenate([b for _, b in parts], axis=1)


#: elements of one block's monomial table in :func:`cs_enclosures`
_BLOCK = 1 << 21


def _cs_block(P: CsArray, x_lo: np.ndarray, x_hi: np.ndarray) -> Bounds:
    n_pts = x_lo.shape[0]
    n_polys, n_mono = P.coef_lo.shape
    mono_lo, mono_hi = np.ones((n_pts, n_mono)), np.ones((n_pts, n_mono))
    for v in range(P.exps.shape[1] if n_mono else 0):
        e = P.exps[:, v]
        top = int(e.max())
        if top == 0:
            continue
        pw_lo, pw_hi = [np.ones(n_pts)], [np.ones(n_pts)]
        for _ in range(top):
            lo, hi = interval_mul(pw_lo[-1], pw_hi[-1], x_lo[:, v], x_hi[:, v])
            pw_lo.append(lo)
            pw_hi.append(hi)
        f_lo, f_hi = np.stack(pw_lo, axis=1)[:, e], np.stack(pw_hi, axis=1)[:, e]
        lo, hi = interval_mul(mono_lo, mono_hi, f_lo, f_hi)
        used = e > 0                      # a factor x⁰ = 1 is exact: keep those bounds as they are
        mono_lo, mono_hi = np.where(used, lo, mono_lo), np.where(used, hi, mono_hi)
    acc_lo, acc_hi = np.zeros((n_polys, n_pts)), np.zeros((n_polys, n_pts))
    for j in range(n_mono):
        t_lo, t_hi = interval_mul(P.coef_lo[:, j:j + 1], P.coef_hi[:, j:j + 1], mono_lo[None, :, j], mono_hi[None, :, j])
        acc_lo, acc_hi = interval_add(acc_lo, acc_hi, t_lo, t_hi)
    bad = ~finite(acc_lo, acc_hi).all(axis=0)
    acc_lo[:, bad], acc_hi[:, bad] = -np.inf, np.inf
    return acc_lo, acc_hi
