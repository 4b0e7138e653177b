"""The checker's own calculus on trigonometric polynomials: derivatives and the cs normal form.

The solver differentiates with :meth:`TrigPoly.derivative` and normalises with
:meth:`TrigPoly.cs_terms` (Chebyshev tables).  So that a bug there cannot be confirmed by the
checker, the checker does both itself, with a different algorithm:

* **derivative** term by term from the harmonic basis (``b_j(φ) = cos jφ`` for ``j > 0``,
  ``sin |j|φ`` for ``j < 0``, ``1`` for ``j = 0``; ``φ = ωθ``): ``d/dθ cos jφ = −jω sin jφ``,
  ``d/dθ sin jφ = jω cos jφ``;
* **normal form** by de Moivre: ``cos jφ + i sin jφ = (c + i s)^j`` expanded binomially, then
  ``s² = 1 − c²`` applied to every even power of ``s``, so that each monomial has ``b ∈ {0, 1}``
  in every pair — the same normal form as the solver's, reached independently.

Only :class:`~qnnsym.exact.trigpoly.TrigPoly`'s container and arithmetic (``terms``, ``+``, ``*``)
are used, which the checker trusts (``docs/certification-levels.md``).
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

__all__ = ["derivative", "cs_normal_form", "degree_matrix"]


def derivative(T, l: int):
    """``∂T/∂θ_l`` of a trigonometric polynomial (term by term).

    Examples
    --------
    >>> from qnnsym.exact.trigpoly import TrigPoly
    >>> derivative(TrigPoly(1, {(1,): 3, (-2,): 1}), 0).terms == {(-1,): -6, (2,): 4}
    True
    """
    from ...exact.trigpoly import TrigPoly

    w = T.omega[l]
    out: dict = {}
    for h, v in T.terms.items():
        j = h[l]
        if j == 0:
            continue
        k = list(h)
        k[l] = -j                      # cos jφ ↦ sin jφ (key −j) and sin |j|φ ↦ cos |j|φ (key |j|)
        c = -abs(j) * w if j > 0 else abs(j) * w
        key = tuple(k)
        out[key] = out.get(key, 0) + v * c
    return TrigPoly(T.p, {k: v for k, v in out.items() if v != 0}, T.omega)


@lru_cache(maxsize=None)
def _moivre(j: int) -> dict:
    """``b_j(φ)`` as a polynomial ``{(a, b): coefficient}`` in ``c = cos φ``, ``s = sin φ`` with ``b ∈ {0, 1}``."""
    if j == 0:
        return {(0, 0): Fraction(1)}
    n = abs(j)
    re: dict = {}
    im: dict = {}
    for k in range(n + 1):
        coeff = math.comb(n, k)            # C(n, k) c^{n−k} (i s)^k
        ik = (1, 0, -1, 0)[k % 4], (0, 1, 0, -1)[k % 4]   # i^k = (real, imag)
        # s^k = s^{k mod 2} (1 − c²)^{k // 2}
        for r in range(k // 2 + 1):
            a = n - k + 2 * r
            b = k % 2
            val = coeff * math.comb(k // 2, r) * (-1) ** r
            for target, part in ((re, ik[0]), (im, ik[1])):
                if part:
                    target[(a, b)] = target.get((a, b), 0) + part * val
    poly = re if j > 0 else im
    return {k: Fraction(v) for k, v in poly.items() if v}


def cs_normal_form(T) -> dict:
    """``T`` as a polynomial in ``(c_1, s_1, …, c_p, s_p)``, ``b_l ∈ {0, 1}``: ``{exponents: Fraction}``.

    Examples
    --------
    >>> from qnnsym.exact.trigpoly import TrigPoly
    >>> sorted(cs_normal_form(TrigPoly(1, {(2,): 1, (-2,): 1})).items())   # cos 2φ + sin 2φ
    [((0, 0), Fraction(-1, 1)), ((1, 1), Fraction(2, 1)), ((2, 0), Fraction(2, 1))]
    """
    acc: dict = {}
    for h, v in T.terms.items():
        parts = [((), Fraction(v))]
        for j in h:
            parts = [(k + e, c * t) for k, c in parts for e, t in _moivre(j).items()]
        for k, c in parts:
            acc[k] = acc.get(k, 0) + c
    return {k: c for k, c in acc.items() if c != 0}


def degree_matrix(polys: list[dict], p: int) -> list[list[int]]:
    """``d[l][j]`` = degree of the ``l``-th cs polynomial in the pair ``(c_j, s_j)``."""
    return [[max((k[2 * j] + k[2 * j + 1] for k in g), default=0) for j in range(p)] for g in polys]
