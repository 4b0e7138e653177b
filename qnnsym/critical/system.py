"""The critical-point equations of a loss as an exact polynomial system (Sect. 5, Theorem 7).

**cs form.**  Unknowns ``c_l = cos φ_l``, ``s_l = sin φ_l`` (``φ_l = ω_l θ_l``).  With ``P`` the
loss in normal form (``TrigPoly.cs_terms``), ``∂L/∂θ_l`` is again a trigonometric polynomial;
its normal form ``g_l`` (degree ≤ 2p for two-level gates) and the circles ``c_l² + s_l² − 1``
give ``2p`` equations in ``2p`` unknowns whose real solutions are exactly the critical points
of ``L`` on one period ``θ_l ∈ [0, 2π/ω_l)`` — boundary points included.

**tan form.**  ``t_l = tan(φ_l/2)`` (``= tan θ_l`` for two-level gates), ``c_l = (1−t_l²)/(1+t_l²)``,
``s_l = 2t_l/(1+t_l²)``; multiplying ``g_l`` by ``Π_j (1+t_j²)^{d_{lj}}`` gives ``p`` equations in
``p`` unknowns of degree ≤ ``2d_{lj}`` in ``t_j``.  Points with ``φ_l = π`` (``t_l = ∞``) are *not*
solutions of the tan form: :meth:`CriticalSystem.tan_missed_equations` gives the cs system with
``c_l + 1`` added, to check them separately.

**Bounds.**  With ``d_{lj}`` the degree of ``g_l`` in the pair ``(c_j, s_j)``:

* Bézout (Theorem 7 form): ``Π_l deg(g_l) · 2^p`` (``≤ (2p)^p 2^p = (4p)^p``);
* multihomogeneous Bézout for the groups ``{c_j, s_j}``: the coefficient of ``Π z_j²`` in
  ``Π_l 2z_l · Π_l Σ_j d_{lj} z_j``, i.e. ``2^p · perm(d)`` (dense two-level: ``p!·4^p``);
* the generic forms from the loss's per-coordinate frequency ``D_j``: ``(2 Σ_j D_j)^p`` for
  Bézout — ``(4p)^p`` when every ``D_j = 2`` — and ``p! Π_j (2 D_j)`` (``p!(2D)^p`` for integer
  spectra, ``p!·4^p`` for two-level gates).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ..errors import ValidationError
from ..exact.combinatorics import permanent
from ..exact.trigpoly import TrigPoly

__all__ = ['CriticalSystem', 'critical_system', 'permanent', 'cs_variable_names']

CsPoly = dict[tuple[int, ...], Fraction]


def cs_variable_names(p: int) -> list[str]:
    """``["c1", "s1", …, "cp", "sp"]`` (the order of the exponent keys of ``cs_terms``)."""
    return [f"{v}{l + 1}" for l in range(p) for v in ("c", "s")]


def _degree_in_pair(poly: CsPoly, j: int) -> int:
    return max((k[2 * j] + k[2 * j + 1] for k in poly), default=0)


@dataclass(frozen=True)
class CriticalSystem:
    """Exact polynomial system of the critical points of a loss (cs form, Sect. 5).

    Attributes
    ----------
    loss : TrigPoly
        The exact loss.
    gradient : tuple of dict
        ``g_l`` = normal form of ``∂L/∂θ_l`` as ``{(a_1, b_1, …): Fraction}`` (``TrigPoly.cs_terms``).
    """

    loss: TrigPoly
    gradient: tuple[CsPoly, ...]

    @property
    def p(self) -> int:
        return self.loss.p

    @property
    def omega(self) -> tuple[int, ...]:
        return self.loss.omega

    def circles(self) -> list[CsPoly]:
        """``c_l² + s_l² − 1`` for every ``l``."""
        out = []
        for l in range(self.p):
            z = [0] * (2 * self.p)
            a, b, one = list(z), list(z), tuple(z)
            a[2 * l], b[2 * l + 1] = 2, 2
            out.append({tuple(a): Fraction(1), tuple(b): Fraction(1), one: Fraction(-1)})
        return out

    def equations(self) -> list[CsPoly]:
        """``[g_1, …, g_p, circle_1, …, circle_p]``."""
        return list(self.gradient) + self.circles()

    def integer_equations(self) -> list[dict[tuple[int, ...], int]]:
        """The equations scaled to coprime integer coefficients (same zero set)."""
        out = []
        for eq in self.equations():
            den = math.lcm(*(v.denominator for v in eq.values())) if eq else 1
            ints = {k: int(v * den) for k, v in eq.items()}
            g = math.gcd(*ints.values()) if ints else 1
            out.append({k: v // g for k, v in ints.items()})
        return out

    def degrees(self) -> list[int]:
        """Total degrees of ``[g_1, …, g_p, circle_1, …]`` (0 for a zero polynomial)."""
        return [max((sum(k) for k in eq), default=0) for eq in self.equations()]

    def degree_matrix(self) -> list[list[int]]:
        """``d[l][j]`` = degree of ``g_l`` in the pair ``(c_j, s_j)``."""
        return [[_degree_in_pair(g, j) for j in range(self.p)] for g in self.gradient]

    def bounds(self) -> dict:
        """Bounds on the number of isolated complex solutions (see module docstring).

        >>> from qnnsym.exact.trigpoly import TrigPoly
        >>> L = TrigPoly(2, {(2, 0): 1, (1, 1): 1, (0, -2): 1, (-1, 1): 1, (2, 2): 1})
        >>> S = critical_system(L)
        >>> S.degree_matrix(), S.degrees()
        ([[2, 2], [2, 2]], [4, 4, 2, 2])
        >>> S.bounds() == {"bezout": 64, "multihomogeneous": 32, "bezout_generic": 64,
        ...                                 "multihomogeneous_generic": 32}
        True
        """
        p = self.p
        D = self.loss.degrees()
        return {"bezout": math.prod(self.degrees()[:p]) * 2 ** p,
                "multihomogeneous": permanent(self.degree_matrix()) * 2 ** p,
                "bezout_generic": (2 * sum(D)) ** p,
                "multihomogeneous_generic": math.factorial(p) * math.prod(2 * d for d in D)}

    def to_sympy(self):
        """``(ring, equations)``: sympy ``QQ[c1, s1, …]`` ring (grevlex) and its ``PolyElement``s."""
        from sympy import QQ
        from sympy.polys.orderings import grevlex
        from sympy.polys.rings import ring

        R, *_ = ring(",".join(cs_variable_names(self.p)), QQ, grevlex)
        eqs = [R({k: QQ(v.numerator, v.denominator) for k, v in eq.items()}) for eq in self.equations()]
        return R, eqs

    def tan_form(self):
        """``(symbols, polys)``: the tan form as sympy ``Poly`` objects in ``t1, …, tp``."""
        import sympy

        t = sympy.symbols(f"t1:{self.p + 1}")
        d = self.degree_matrix()
        polys = []
        for l, g in enumerate(self.gradient):
            expr = sympy.Integer(0)
            for k, v in g.items():
                term = sympy.Rational(v.numerator, v.denominator)
                for j in range(self.p):
                    a, b = k[2 * j], k[2 * j + 1]
                    # c^a s^b (1+t²)^{d-a-b} · (1+t²)^{a+b} ↦ (1-t²)^a (2t)^b (1+t²)^{d-a-b}
                    term *= (1 - t[j] ** 2) ** a * (2 * t[j]) ** b * (1 + t[j] ** 2) ** (d[l][j] - a - b)
                expr += term
            polys.append(sympy.Poly(sympy.expand(expr), *t, domain="QQ"))
        return t, polys

    def tan_missed_equations(self, l: int) -> list[CsPoly]:
        """The cs equations plus ``c_l + 1`` (the points with ``φ_l = π`` that the tan form misses)."""
        if not 0 <= l < self.p:
            raise ValidationError("l", f"{l}", expected=f"a parameter index 0..{self.p - 1}")
        key = [0] * (2 * self.p)
        key[2 * l] = 1
        return self.equations() + [{tuple(key): Fraction(1), (0,) * (2 * self.p): Fraction(1)}]

    def to_text(self) -> str:
        """Human-readable listing of the equations."""
        names = cs_variable_names(self.p)
        lines = []
        for i, eq in enumerate(self.equations()):
            terms = []
            for k, v in sorted(eq.items(), reverse=True):
                mono = "*".join(f"{n}^{e}" if e > 1 else n for n, e in zip(names, k) if e)
                terms.append(f"({v})" + (f"*{mono}" if mono else ""))
            lines.append(f"{'g' if i < self.p else 'circle'}{i % self.p + 1} = " + (" + ".join(terms) or "0"))
        return "\n".join(lines)


def critical_system(loss: TrigPoly) -> CriticalSystem:
    """The cs-form critical-point system of an exact loss (Sect. 5).

    Parameters
    ----------
    loss : TrigPoly
        Exact loss (``Fraction`` coefficients), e.g. from :func:`qnnsym.loss_poly`.

    Returns
    -------
    CriticalSystem

    Raises
    ------
    ValidationError
        If the loss has float coefficients (no exact system exists).

    Examples
    --------
    ``L = cos 2θ`` (φ = 2θ): ``∂L/∂θ = −2 sin φ``, so ``g = −2 s``; critical points φ ∈ {0, π}.

    >>> S = critical_system(TrigPoly(1, {(1,): 1}))
    >>> S.gradient
    ({(0, 1): Fraction(-2, 1)},)
    >>> S.bounds()["multihomogeneous"], S.degrees()
    (2, [1, 2])
    """
    if not isinstance(loss, TrigPoly):
        raise ValidationError("loss", f"{type(loss).__name__}", expected="a TrigPoly (e.g. qnnsym.loss_poly(instance))")
    if not loss.exact:
        raise ValidationError("loss", "has float coefficients", expected="an exact loss (Fraction coefficients)",
                              fix="build the instance from exact data (strings like '3/5'), or use a numeric method")
    if loss.p < 1:
        raise ValidationError("loss", "has no parameters", expected="p ≥ 1")
    grad = tuple({k: Fraction(v) for k, v in loss.derivative(l).cs_terms().items()} for l in range(loss.p))
    return CriticalSystem(loss, grad)
