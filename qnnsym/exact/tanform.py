"""The tan form of a cs polynomial system as exact integer coefficient tensors (Sect. 5).

A polynomial ``g(c_1, s_1, …, c_p, s_p)`` of degree ``D_j`` in the pair ``(c_j, s_j)`` becomes, after
an optional rotation ``φ_j = φ'_j + a`` of every angle (``(cos a, sin a)`` rational) and the
substitution ``c'_j = (1 − t_j²)/(1 + t_j²)``, ``s'_j = 2t_j/(1 + t_j²)`` (``t_j = tan(φ'_j/2)``),
multiplied by ``Π_j (1 + t_j²)^{D_j}``, a polynomial in ``t`` of degree ``≤ 2D_j`` in ``t_j``:

    c^a s^b (1+t²)^D  ↦  (ca·(1−t²) − sa·2t)^a (sa·(1−t²) + ca·2t)^b (1+t²)^{D−a−b}.

On the real circle this is a bijection between ``φ'_j ∈ (−π, π)`` and ``t_j ∈ ℝ``; ``φ'_j = π`` is
``t_j = ∞``.  The system is a square system on ``(P^1)^p`` of multidegrees ``(2D_{l1}, …, 2D_{lp})``
(docs/certification-levels.md): this module is part of the trusted base shared by the solver and
the independent checker (it only changes coordinates; it does not solve anything).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np

from ..errors import ValidationError

__all__ = ["ROTATION", "pair_degrees", "tan_system", "tan_tensor"]

#: default rotation of every angle, ``(cos a, sin a)``: rational, and generic enough that structured
#: instances rarely have a critical point at ``φ' = π`` (``t = ∞``), which the affine chart misses
ROTATION = (Fraction(3, 5), Fraction(4, 5))


def pair_degrees(poly: Mapping[tuple[int, ...], object], p: int) -> list[int]:
    """``D_j`` = degree of a cs polynomial in the pair ``(c_j, s_j)`` (0 for the zero polynomial).

    >>> pair_degrees({(2, 0, 0, 1): 1, (0, 1, 0, 0): 3}, 2)
    [2, 1]
    """
    return [max((k[2 * j] + k[2 * j + 1] for k in poly), default=0) for j in range(p)]


def _poly_mul(a: list, b: list) -> list:
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return out


def _poly_pow(a: list, e: int) -> list:
    out = [1]
    for _ in range(e):
        out = _poly_mul(out, a)
    return out


def _pair_matrix(monos: Sequence[tuple[int, int]], D: int, rotation: tuple[Fraction, Fraction]) -> list[list[int]]:
    """Row ``i``: coefficients (low → high, length ``2D+1``) of monomial ``monos[i]`` in ``t``, times ``den^D``.

    With ``(ca, sa) = (x/den, y/den)`` every entry is an integer.
    """
    ca, sa = Fraction(rotation[0]), Fraction(rotation[1])
    den = math.lcm(ca.denominator, sa.denominator)
    x, y = int(ca * den), int(sa * den)
    one_m = [1, 0, -1]                          # 1 − t²
    one_p = [1, 0, 1]                           # 1 + t²
    cr = [x * v for v in one_m]                 # den·c = x(1−t²) − y·2t
    cr[1] -= 2 * y
    sr = [y * v for v in one_m]                 # den·s = y(1−t²) + x·2t
    sr[1] += 2 * x
    rows = []
    for a, b in monos:
        u = _poly_mul(_poly_mul(_poly_pow(cr, a), _poly_pow(sr, b)), _poly_pow(one_p, D - a - b))
        u = [v * den ** (D - a - b) for v in u]     # every monomial scaled by den^D
        u += [0] * (2 * D + 1 - len(u))
        rows.append(u[:2 * D + 1])
    return rows


def tan_tensor(poly: Mapping[tuple[int, ...], object], p: int, degrees: Sequence[int] | None = None,
               rotation: tuple[Fraction, Fraction] = ROTATION) -> np.ndarray:
    """Integer coefficient tensor of the tan form of one cs polynomial.

    Parameters
    ----------
    poly : mapping
        ``{(a_1, b_1, …, a_p, b_p): rational}`` (a cs polynomial, e.g. one ``g_l``).
    p : int
        Number of angle pairs.
    degrees : sequence of int, optional
        ``D_j`` used for the clearing factor ``Π(1+t_j²)^{D_j}`` (default: the degrees of ``poly``).
    rotation : (Fraction, Fraction)
        ``(cos a, sin a)`` with ``cos² + sin² = 1``; ``(1, 0)`` for no rotation.

    Returns
    -------
    numpy.ndarray of Python int (dtype object), shape ``(2D_1+1, …, 2D_p+1)``
        ``T[k_1, …, k_p]`` = coefficient of ``Π t_j^{k_j}``, the polynomial scaled to integer,
        content-free coefficients (the same zero set).

    Examples
    --------
    ``g = s`` (one pair, no rotation): ``2t``.  ``g = c``: ``1 − t²``.

    >>> tan_tensor({(0, 1): 1}, 1, rotation=(1, 0)).tolist(), tan_tensor({(1, 0): 1}, 1, rotation=(1, 0)).tolist()
    ([0, 1, 0], [1, 0, -1])
    """
    ca, sa = Fraction(rotation[0]), Fraction(rotation[1])
    if ca * ca + sa * sa != 1:
        raise ValidationError("rotation", f"({ca}, {sa})", expected="(cos a, sin a) with cos² + sin² = 1 exactly")
    D = list(pair_degrees(poly, p) if degrees is None else degrees)
    den = math.lcm(*(Fraction(v).denominator for v in poly.values())) if poly else 1
    monos = [sorted({(k[2 * j], k[2 * j + 1]) for k in poly}) for j in range(p)]
    index = [{m: i for i, m in enumerate(ms)} for ms in monos]
    C = np.zeros(tuple(len(ms) for ms in monos), dtype=object)
    C[...] = 0
    for k, v in poly.items():
        C[tuple(index[j][(k[2 * j], k[2 * j + 1])] for j in range(p))] = int(Fraction(v) * den)
    T = C
    for j in range(p):
        U = np.array(_pair_matrix(monos[j], D[j], (ca, sa)), dtype=object)      # (n_j, 2D_j+1)
        T = np.tensordot(T, U, axes=([0], [0]))                                   # contracts axis j, appends t_j
    if T.ndim == 0:
        T = np.array(T, dtype=object)
    g = 0
    for v in T.flat:
        g = math.gcd(g, int(v))
    if g > 1:
        T = T // g
    return T


def tan_system(polys: Sequence[Mapping[tuple[int, ...], object]], p: int,
               rotation: tuple[Fraction, Fraction] = ROTATION) -> tuple[list[np.ndarray], list[list[int]]]:
    """Tan forms of ``p`` cs polynomials: ``(tensors, degree matrix d)``, ``T_l`` of shape ``(2d_l1+1, …)``.

    The multihomogeneous Bézout number of the system on ``(P^1)^p`` is ``perm(2d) = 2^p·perm(d)``.
    """
    d = [pair_degrees(g, p) for g in polys]
    return [tan_tensor(g, p, d[l], rotation) for l, g in enumerate(polys)], d
