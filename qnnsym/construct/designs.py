"""Designs: target residual polynomials with ``(2J)^p`` prescribed minima (Lemmas 3–4).

A :class:`Design` lists residuals ``r_k(u)`` in shifted angles ``u_l = φ_l − a_l``: ``S_0`` residuals
``sin(J u_l)`` (Lemma 3: common roots ``u ∈ (π/J)Z^p``, Jacobian of rank ``p``) and ``S_1`` residuals
``ε·b(u) − t`` (Lemma 4: the linear term of eq. 19 separates the translates).  Exact rational
angles ``a_l`` come from :func:`circle_point` (derivations in ``docs/constructions.md``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

from ..errors import ValidationError
from ..validate import as_int

#: largest p of a construction: its design and certificate enumerate the 2^p (or (2J)^p) minima
MAX_DESIGN_P = 24


def design_p(p, field: str = "p", hi: int = MAX_DESIGN_P) -> int:
    """The number of parameters of a construction, ``1 ≤ p ≤ hi`` (refused before ``2^p`` of anything is built)."""
    return as_int(p, field, lo=1, hi=hi)
from ..exact.scalars import format_scalar, parse_scalar
from ..exact.trigpoly import TrigPoly, cos_sin_multiple

__all__ = ['circle_point', 'angles_from_spec', 'default_angles', 'Design', 'separable_design', 'ising_design', 'integer_design', 'translate']

_PYTH = [(Fraction(3, 5), Fraction(4, 5)), (Fraction(5, 13), Fraction(12, 13)), (Fraction(8, 17), Fraction(15, 17)),
         (Fraction(7, 25), Fraction(24, 25)), (Fraction(20, 29), Fraction(21, 29))]


# --- angles ------------------------------------------------------------------------------------

def circle_point(spec, field: str = "theta_star", omega: int = 2) -> tuple[Fraction, Fraction]:
    """An exact point ``(cos φ, sin φ)`` on the unit circle, ``φ = ω θ``.

    ``spec``: a pair ``(c, s)`` or a string ``"c:s"`` (rationals with ``c² + s² = 1``, e.g.
    ``"3/5:4/5"``); a rational multiple of π such as ``"pi/4"`` or ``"3/4*pi"`` (exact when ``ωθ``
    is a multiple of π/2); or a number ``θ`` (``"0.3"``), replaced by the nearby rational point
    with ``tan(φ/2)`` replaced by its best rational approximation with denominator ≤ 1000 (stereographic parametrisation).

    Examples
    --------
    >>> circle_point("3/5:4/5")
    (Fraction(3, 5), Fraction(4, 5))
    >>> circle_point("pi/4")            # φ = 2θ = π/2
    (Fraction(0, 1), Fraction(1, 1))
    >>> c, s = circle_point("0.3"); c * c + s * s == 1
    True
    """
    if isinstance(spec, str) and ":" in spec:
        spec = spec.split(":")
    if isinstance(spec, (tuple, list)):
        if len(spec) != 2:
            raise ValidationError(field, f"{spec!r}", expected="a pair (cos φ, sin φ)")
        c, s = (parse_scalar(v, field) for v in spec)
        if not all(isinstance(v, (int, Fraction)) for v in (c, s)) or c * c + s * s != 1:
            raise ValidationError(field, f"({format_scalar(c)}, {format_scalar(s)}) is not an exact point of the unit circle",
                                  expected="rationals with c² + s² = 1, e.g. 3/5:4/5")
        return Fraction(c), Fraction(s)
    text = str(spec).replace(" ", "").lower()
    if "pi" in text or "π" in text:
        q = text.replace("π", "pi").replace("*pi", "").replace("pi", "1")
        try:
            frac = Fraction(q)
        except (ValueError, ZeroDivisionError):
            raise ValidationError(field, f"{spec!r}", expected="a rational multiple of π such as pi/4 or 3/4*pi") from None
        quarter = frac * omega * 2  # φ in units of π/2
        if quarter.denominator != 1:
            raise ValidationError(field, f"cos and sin of {format_scalar(frac * omega)}π are irrational",
                                  expected="ωθ a multiple of π/2, or give the point as c:s (e.g. 3/5:4/5)")
        return [(Fraction(1), Fraction(0)), (Fraction(0), Fraction(1)), (Fraction(-1), Fraction(0)),
                (Fraction(0), Fraction(-1))][int(quarter) % 4]
    try:
        theta = float(text)
    except ValueError:
        raise ValidationError(field, f"{spec!r}", expected="c:s, a multiple of pi, or a number") from None
    phi_ = omega * theta
    half = math.remainder(phi_, 2 * math.pi) / 2
    if abs(abs(half) - math.pi / 2) < 1e-9:
        return Fraction(-1), Fraction(0)
    t = Fraction(math.tan(half)).limit_denominator(1000)
    return (1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)


def angles_from_spec(spec, p: int, omega: Sequence[int]) -> list[tuple[Fraction, Fraction]]:
    """``p`` exact points from a list (or a comma-separated string) of :func:`circle_point` specs."""
    items = [x for x in spec.split(",")] if isinstance(spec, str) else list(spec)
    if len(items) != p:
        raise ValidationError("theta_star", f"{len(items)} values", expected=f"one per parameter ({p})")
    return [circle_point(x, f"theta_star[{l}]", omega[l]) for l, x in enumerate(items)]


def default_angles(p: int) -> list[tuple[Fraction, Fraction]]:
    """Rational angles ``a_l`` from Pythagorean triples in varied quadrants (all distinct for p ≤ 20)."""
    out = []
    for l in range(p):
        c, s = _PYTH[l % len(_PYTH)]
        out.append([(c, s), (-s, c), (-c, -s), (s, -c)][(l + l // len(_PYTH)) % 4])
    return out


# --- designs -------------------------------------------------------------------------------------

@dataclass
class Design:
    """Target residuals ``r_k(u)`` in shifted angles ``u_l = φ_l − a_l`` (TrigPolys with ω = 1).

    Attributes
    ----------
    p : int
    J : int
        Harmonic order of the symmetry: ``S_0`` residuals are ``sin(J u_l)``; translates
        ``u_l ∈ (π/J)·{0, …, 2J−1}``.
    residuals : list of TrigPoly
    roles : list of str
        ``"S0"`` or ``"S1"`` per residual.
    name : str
    params : dict
        The scalings (``eps``, ``t``, ...), exact.
    """

    p: int
    J: int
    residuals: list
    roles: list
    name: str
    params: dict = field(default_factory=dict)

    def loss(self) -> TrigPoly:
        """``Σ_k r_k(u)²`` (the designed loss up to the factor ``κ²/m``)."""
        total = TrigPoly(self.p, {}, 1)
        for r in self.residuals:
            total = total + r * r
        return total


def _unit(p: int, l: int, j: int, c=Fraction(1)) -> TrigPoly:
    key = [0] * p
    key[l] = j
    return TrigPoly(p, {tuple(key): c}, 1)


def _rational(v, field: str, positive: bool = True) -> Fraction:
    x = parse_scalar(v, field)
    if not isinstance(x, (int, Fraction)) or (positive and x <= 0):
        raise ValidationError(field, f"{v!r}", expected="an exact positive rational, e.g. 1/2")
    return Fraction(x)


def _s0(p: int, J: int) -> tuple[list, list]:
    return [_unit(p, l, -J) for l in range(p)], ["S0"] * p


def separable_design(p: int, eps="1/2", t="1/2") -> Design:
    """Theorem-2 / Proposition-5 design: ``S_0 = {sin u_l}``, ``S_1 = {ε cos u_l − t}``.

    The loss is ``Σ_l [(1 − ε²) sin² u_l − 2εt cos u_l] + const``: per coordinate minima at
    ``u = 0`` (global) and ``u = π`` (spurious, gap ``4εt``) iff ``2εt < 2(1 − ε²)``.

    Examples
    --------
    >>> separable_design(1).loss().to_string()
    '7/8 - 1/2*cos(θ1) - 3/8*cos(2θ1)'
    """
    eps, t = _rational(eps, "eps"), _rational(t, "t")
    res, roles = _s0(p, 1)
    res += [_unit(p, l, 1, eps) - t for l in range(p)]
    roles += ["S1"] * p
    return Design(p, 1, res, roles, "separable", {"eps": eps, "t": t})


def ising_design(p: int, eps1="1/8", t1="1/8", eps2="1/8", t2="1/4") -> Design:
    """Coupled design: ``S_0 = {sin u_l}``, ``S_1 = {ε₁ cos u_l − t₁} ∪ {ε₂ cos u_l cos u_{l+1} − t₂}``.

    On the translates (``s_l = cos u_l = ±1``) the linear term is the Ising energy
    ``−α Σ s_l − β Σ s_l s_{l+1}`` with ``α = 2ε₁t₁``, ``β = 2ε₂t₂``; for ``β > α`` the all-flipped
    translate is a spurious minimum that no single-coordinate move improves, so coordinate-wise
    greedy optimisation started near it stays there.

    Examples
    --------
    >>> d = ising_design(3); len(d.residuals), d.params["alpha"], d.params["beta"]
    (8, Fraction(1, 32), Fraction(1, 16))
    """
    if p < 2:
        raise ValidationError("p", f"{p}", expected="p ≥ 2 (the coupled family needs a coupling)")
    e1, s1, e2, s2 = (_rational(v, n) for v, n in ((eps1, "eps1"), (t1, "t1"), (eps2, "eps2"), (t2, "t2")))
    res, roles = _s0(p, 1)
    res += [_unit(p, l, 1, e1) - s1 for l in range(p)]
    res += [_unit(p, l, 1, e2) * _unit(p, l + 1, 1) - s2 for l in range(p - 1)]
    roles += ["S1"] * (2 * p - 1)
    return Design(p, 1, res, roles, "ising", {"eps1": e1, "t1": s1, "eps2": e2, "t2": s2,
                                              "alpha": 2 * e1 * s1, "beta": 2 * e2 * s2})


def integer_design(p: int, J: int = 2, eps="1/8", t="1/8") -> Design:
    """Integer-spectrum design: ``S_0 = {sin(J u_l)}`` (``(2J)^p`` common roots per period),
    ``S_1 = {ε cos u_l − t}`` (separates them; global at ``u = 0``).

    Examples
    --------
    >>> integer_design(1, 2).residuals[0].to_string()
    'sin(2θ1)'
    """
    if J not in (1, 2, 3):
        raise ValidationError("J", f"{J}", expected="1, 2 or 3 (harmonic order Δ/ω₀ with rational cos(kπ/J))")
    eps, t = _rational(eps, "eps"), _rational(t, "t")
    res, roles = _s0(p, J)
    res += [_unit(p, l, 1, eps) - t for l in range(p)]
    roles += ["S1"] * p
    return Design(p, J, res, roles, "integer", {"J": J, "eps": eps, "t": t})


def translate(poly: TrigPoly, angles: Sequence[tuple[Fraction, Fraction]], omega: Sequence[int] | int = 2) -> TrigPoly:
    """Substitute ``u_l = φ_l − a_l`` (``(cos a_l, sin a_l) = angles[l]``): a TrigPoly in ``θ``
    with base frequencies ``omega`` (exact).

    Examples
    --------
    >>> translate(_unit(1, 0, -1), [(Fraction(3, 5), Fraction(4, 5))]).to_string()   # sin(φ − a)
    '-4/5*cos(2θ1) + 3/5*sin(2θ1)'
    """
    p = poly.p
    if len(angles) != p:
        raise ValidationError("angles", f"{len(angles)}", expected=f"{p} points")
    degs = poly.degrees()
    tables = [cos_sin_multiple(c, s, D) for (c, s), D in zip(angles, degs)]
    acc: dict = {}
    for h, v in poly.terms.items():
        partial = [((), v)]
        for l, j in enumerate(h):
            if j == 0:
                opts = ((0, 1),)
            elif j > 0:
                cj, sj = tables[l][j]
                opts = ((j, cj), (-j, sj))
            else:
                cj, sj = tables[l][-j]
                opts = ((j, cj), (-j, -sj))
            partial = [(k + (i,), c * w) for k, c in partial for i, w in opts if w != 0]
        for k, c in partial:
            acc[k] = acc.get(k, 0) + c
    return TrigPoly(p, acc, omega)
