"""Constructions with exponentially many local minima: Theorem 2 (Lemmas 3–4), Proposition 5
families, and the integer-spectrum generalisation (remark after Proposition 5).

Everything follows one recipe (derivations in ``docs/constructions.md``):

1. A **design**: target residual polynomials ``r_k(u)`` in shifted angles ``u_l = φ_l − a_l``
   (``φ_l = ω_l θ_l``).  ``S_0`` residuals ``sin(J u_l)`` (Lemma 3: each is antisymmetric under
   the shift of its own coordinate and symmetric under the others, common roots
   ``u ∈ (π/J)Z^p``, Jacobian of rank ``p``); ``S_1`` residuals ``ε·b(u) − t`` (Lemma 4: their
   square contributes the linear term ``−2εt·b`` of eq. 19, which separates the ``(2J)^p``
   translates, and the quadratic term ``ε² b²`` of eq. 20, suppressed by taking ``ε`` small).
2. A **realisation** on a QNN: by eq. (12) a residual ``κ r(θ)`` is produced by
   ``ρ = I/d + κ D`` with ``tr(D Φ_ξ(M)) = r̂_ξ`` for ``ξ ≠ 0`` and ``tr D = 0`` (eq. 18) and
   the label ``y = tr(ρ Φ_0(M)) − κ r̂_0``.  Eq. (18) is solved exactly through the Gram matrix
   (any QNN with linear independence, :func:`qnnsym.independence.gram_matrix`) or with a dual
   basis (product QNNs of Proposition 5).  One exact rational ``κ`` makes every ``ρ_k ⪰ 0``
   (checked exactly).  The instance's exact loss is then compared with the designed one:
   ``L = (κ²/m) Σ_k r_k²``.
3. A **certificate** (:func:`certify_design`) that the designed loss has exactly ``(2J)^p``
   local minima, ``(2J)^p − 1`` spurious, the global one at ``θ*``: exact rational inequalities
   (perturbation of ``Σ sin²(J u_l)``, Poincaré–Miranda and diagonal dominance) and exact values
   at the minima.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Sequence

import numpy as np

from .errors import ValidationError
from .expansion import loss_poly, phi, phi_terms
from .independence import _rows, gram_matrix, independence
from .model import Dataset, Gate, INTEGER, Instance, Operator, QNN, Sample, TWO_LEVEL, to_opmatrix, validate_state
from .opmatrix import OpMatrix
from .paulis import PauliSum
from .scalars import GaussianRational, format_scalar, parse_scalar
from .trigpoly import TrigEvaluator, TrigPoly, cos_sin_multiple

__all__ = ["circle_point", "angles_from_spec", "default_angles", "Design", "separable_design", "ising_design",
           "integer_design", "translate", "LandscapeCertificate", "certify_design", "Construction", "realise_design",
           "theorem2_construction", "prop5_qnn", "prop5_construction", "integer_spectrum_qnn",
           "integer_spectrum_construction", "theorem2_instance", "prop5_family_instance", "prop5_coupled_instance",
           "integer_spectrum_instance", "multistart_minima", "coordinate_greedy", "greedy_demo", "critical_check",
           "PI_UPPER"]

#: a rational upper bound of π (355/113 − π ≈ 2.7e-7 > 0)
PI_UPPER = Fraction(355, 113)

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


# --- certificate ------------------------------------------------------------------------------------

@dataclass
class LandscapeCertificate:
    """Exact certificate of the landscape of a designed loss ``Σ sin²(J u_l) + P(u)``.

    ``certified`` is true when all conditions hold; then the loss has exactly ``n_critical``
    critical points per period (one in each box around ``u_l ∈ (π/2J)Z``), ``n_minima`` local
    minima (``u_l ∈ (π/J)Z``), ``n_spurious = n_minima − 1`` and the global minimum is the one
    near (for even designs: exactly at) ``u = 0``, i.e. ``θ = θ*``.
    """

    p: int
    J: int
    certified: bool
    delta1: Fraction
    hrow: Fraction
    conditions: list
    n_critical: int
    n_minima: int
    n_spurious: int
    global_unique: bool
    at_translates: bool
    min_gap: Fraction | None
    minima_values: dict = field(default_factory=dict)
    value_counts: dict = field(default_factory=dict)
    method: str = ""

    def summary(self) -> dict:
        return {"certified": self.certified, "p": self.p, "J": self.J, "n_critical": self.n_critical,
                "n_minima": self.n_minima, "n_spurious": self.n_spurious, "global_unique": self.global_unique,
                "minima_exactly_at_translates": self.at_translates,
                "delta1": format_scalar(self.delta1), "hessian_row_bound": format_scalar(self.hrow),
                "min_gap": format_scalar(self.min_gap) if self.min_gap is not None else None,
                "conditions": self.conditions, "method": self.method}


def _abs_sum(poly: TrigPoly) -> Fraction:
    return sum((abs(v) for v in poly.terms.values()), Fraction(0))


def _cos_multiple(j: int, k: int, J: int) -> Fraction:
    """Exact ``cos(j·kπ/J)`` for J ∈ {1, 2, 3}."""
    r = (j * k) % (2 * J)
    x = Fraction(r, J)  # angle in units of π, in [0, 2)
    table = {Fraction(0): 1, Fraction(1, 3): Fraction(1, 2), Fraction(1, 2): 0, Fraction(2, 3): Fraction(-1, 2),
             Fraction(1): -1, Fraction(4, 3): Fraction(-1, 2), Fraction(3, 2): 0, Fraction(5, 3): Fraction(1, 2)}
    return Fraction(table[x])


def _translate_values(L: TrigPoly) -> tuple[np.ndarray, Fraction]:
    """Exact values of an even (cos-only) two-level loss at all ``u ∈ {0, π}^p``: integer array
    ``V`` and denominator ``D`` with ``L(u_ζ) = V[ζ]/D`` (``ζ`` as a bit mask, bit ``l`` ↔ ``u_l = π``)."""
    p = L.p
    w: dict[int, Fraction] = {}
    for h, v in L.terms.items():
        mask = sum(1 << l for l, j in enumerate(h) if j % 2)
        w[mask] = w.get(mask, 0) + v
    D = 1
    for v in w.values():
        D = D * Fraction(v).denominator // math.gcd(D, Fraction(v).denominator)
    zs = np.arange(2 ** p, dtype=np.int64)
    big = sum(abs(int(v * D)) for v in w.values()) >= 2 ** 62
    V = np.zeros(2 ** p, dtype=object if big else np.int64)
    for mask, v in w.items():
        sign = 1 - 2 * (np.bitwise_count(zs & mask) & 1).astype(np.int64)
        V = V + sign * int(v * D)
    return V, Fraction(D)


def certify_design(design: Design, max_values: int = 64) -> LandscapeCertificate:
    """Certify the landscape of ``design.loss()`` exactly (derivation: ``docs/constructions.md``).

    With ``Q = Σ_l sin²(J u_l)`` and ``P = L − Q``:

    * ``δ₁ = max_l Σ|coeff(∂_l P)| < J`` ⇒ at a critical point ``|sin(2J u_l)| ≤ δ₁/J``: every
      critical point lies in a box around ``u_l ∈ (π/2J)Z``;
    * ``h = max_l Σ_{l'} Σ|coeff(∂_l∂_{l'} P)|`` with ``h² < 4J²(J² − δ₁²)`` ⇒ in each box the
      Hessian is strictly diagonally dominant with the signs of ``cos(2J u_l)`` at the centre:
      exactly one critical point per box (Poincaré–Miranda for existence, the dominance for
      uniqueness), a minimum iff every ``u_l ∈ (π/J)Z``: ``(2J)^p`` minima, ``(4J)^p`` critical points;
    * global minimum: for ``J = 1`` and a cos-only (even) loss the minima are exactly the translates
      ``u ∈ {0, π}^p`` and their values are computed exactly; for a separable loss (``J ≤ 3``) each
      coordinate's minima are bracketed by ``[F(u_k) − δ₁ w, F(u_k)]`` with ``w ≤ π δ₁/(4J²)``.

    Parameters
    ----------
    design : Design
    max_values : int
        List individual minima values when there are at most this many minima.

    Returns
    -------
    LandscapeCertificate

    Examples
    --------
    >>> c = certify_design(separable_design(3))
    >>> c.certified, c.n_minima, c.n_spurious, c.global_unique, c.min_gap
    (True, 8, 7, True, Fraction(1, 1))
    """
    p, J = design.p, design.J
    L = design.loss()
    Q = TrigPoly(p, {}, 1)
    for l in range(p):
        Q = Q + _unit(p, l, 0, Fraction(1, 2)) - _unit(p, l, 2 * J, Fraction(1, 2))
    P = L - Q
    grads = P.gradient_polys()
    delta1 = max((_abs_sum(g) for g in grads), default=Fraction(0))
    hrow = Fraction(0)
    for l in range(p):
        hrow = max(hrow, sum((_abs_sum(grads[l].derivative(k)) for k in range(p)), Fraction(0)))
    c1 = delta1 < J
    c2 = c1 and hrow * hrow < 4 * J * J * (J * J - delta1 * delta1)
    conds = [f"δ₁ = {format_scalar(delta1)} < J = {J}: {'yes' if c1 else 'NO'}",
             f"h² = {format_scalar(hrow * hrow)} < 4J²(J² − δ₁²) = {format_scalar(4 * J * J * (J * J - delta1 * delta1))}: "
             f"{'yes' if c2 else 'NO'}"]
    n_min = (2 * J) ** p
    even = all(j >= 0 for h in L.terms for j in h)
    separable = all(sum(1 for j in h if j) <= 1 for h in L.terms)
    cert = LandscapeCertificate(p, J, False, delta1, hrow, conds, (4 * J) ** p, n_min, n_min - 1, False, False, None)
    if not c2:
        cert.method = "perturbation bounds do not hold: no certificate (use the critical-point engine)"
        return cert
    if J == 1 and even:
        V, D = _translate_values(L)
        v0 = V[0]
        rest = V[1:]
        gap = Fraction(int(rest.min() - v0), 1) / D if len(rest) else None
        cert.global_unique = bool(len(rest) == 0 or (rest > v0).all())
        cert.at_translates = True
        cert.min_gap = gap
        vals, counts = np.unique(V, return_counts=True)
        cert.value_counts = {Fraction(int(v)) / D: int(c) for v, c in zip(vals, counts)}
        if n_min <= max_values:
            cert.minima_values = {z: Fraction(int(V[z])) / D for z in range(n_min)}
        cert.conditions.append("cos-only loss: ∂_l L vanishes on u_l ∈ {0, π}, so the minima are exactly the "
                               "2^p translates; values computed exactly")
        cert.method = "exact perturbation certificate (Poincaré–Miranda + diagonal dominance), exact values"
    elif separable and even and J <= 3:
        gaps = []
        unique = True
        for l in range(p):
            Fl = {h[l]: v for h, v in P.terms.items() if h[l]}
            dl = _abs_sum(grads[l])
            w_bound = PI_UPPER * dl / (4 * J * J)
            vals = [sum((v * _cos_multiple(j, k, J) for j, v in Fl.items()), Fraction(0)) for k in range(2 * J)]
            lows = [v - dl * w_bound for v in vals]
            g = min(lows[1:]) - vals[0]
            gaps.append(g)
            unique &= g > 0
        cert.global_unique = unique
        cert.min_gap = min(gaps)
        cert.conditions.append("separable cos-only loss: per coordinate, the minimum near u_k = kπ/J has value in "
                               "[F(u_k) − δ₁w, F(u_k)], w ≤ (355/113)·δ₁/(4J²); global unique iff "
                               "F(0) < every other lower end (gap lower bound reported)")
        cert.method = "exact perturbation certificate (Poincaré–Miranda + diagonal dominance), bracketed values"
    else:
        cert.method = "counts certified; global minimum not decided by this certificate"
        return cert
    cert.certified = cert.global_unique
    return cert


# --- realisation ----------------------------------------------------------------------------------

@dataclass
class Construction:
    """A realised design: the instance plus everything needed to trust it."""

    instance: Instance
    design: Design
    angles: list
    kappa: Fraction
    loss: TrigPoly
    loss_verified: bool
    certificate: LandscapeCertificate
    solver: str

    @property
    def scale(self) -> Fraction:
        """``κ²/m``: the instance's loss is ``scale · design.loss()(u)``."""
        return self.kappa ** 2 / self.instance.m

    def predicted_minima(self, limit: int = 64) -> list[dict]:
        """The predicted local minima (at most ``limit`` rows): ``ζ``, the point ``(cos φ_l, sin φ_l)``
        of ``θ* + (π/J)ζ/ω`` (two-level) or ``u/π`` (integer spectra), and the exact loss when the
        certificate computed it (two-level cos-only designs with at most 64 minima)."""
        cert = self.certificate
        rows = []
        J = self.design.J
        for idx, zeta in enumerate(product(range(2 * J), repeat=self.design.p)):
            if idx >= limit:
                break
            row = {"zeta": "".join(map(str, zeta)), "kind": "global" if not any(zeta) else "spurious"}
            if J == 1:
                pts = [(c * (1 - 2 * k), s * (1 - 2 * k)) for (c, s), k in zip(self.angles, zeta)]
                row["cos_sin_phi"] = "; ".join(f"{format_scalar(c)}:{format_scalar(s)}" for c, s in pts)
                z = sum(k << l for l, k in enumerate(zeta))
                if z in cert.minima_values:
                    row["loss"] = format_scalar(self.scale * cert.minima_values[z])
            else:
                row["u_over_pi"] = ", ".join(format_scalar(Fraction(k, J)) for k in zeta)
            rows.append(row)
        return rows

    def report(self) -> list[str]:
        """Human-readable account: κ, the scalings, the certificate, why eqs. 16–17 hold."""
        d, inst, cert = self.design, self.instance, self.certificate
        prm = ", ".join(f"{k} = {format_scalar(v)}" for k, v in d.params.items())
        lines = [f"instance: {inst.name}  (p = {inst.p}, d = {inst.dim}, m = {inst.m}: "
                 f"{d.roles.count('S0')} in S_0, {d.roles.count('S1')} in S_1; exact: {inst.exact})",
                 f"design: {d.name} ({prm}); θ* given by (cos φ*_l, sin φ*_l) = "
                 + ", ".join(f"({format_scalar(c)}, {format_scalar(s)})" for c, s in self.angles),
                 f"eq. 18 solved by: {self.solver}; κ = {format_scalar(self.kappa)} (one exact rational for all "
                 f"samples; every ρ_k = I/d + κD_k checked ⪰ 0 exactly)",
                 f"loss = (κ²/m)·Σ_k r_k(u)² with κ²/m = {format_scalar(self.scale)}; instance loss == designed loss "
                 f"(exact comparison of {len(self.loss.terms)} coefficients): {self.loss_verified}"]
        lines.append("Lemma 4 scaling: an S_1 residual ε·b(u) − t contributes −2εt·b (eq. 19, breaks the π/J "
                     "symmetry) + ε²b² (eq. 20, symmetric, suppressed for small ε at fixed εt) + t²")
        lines += [f"certificate: {cert.method}"] + [f"  - {c}" for c in cert.conditions]
        if cert.certified:
            lines.append(f"=> exactly {cert.n_critical} critical points per period, {cert.n_minima} local minima, "
                         f"{cert.n_spurious} spurious, the global one at θ*"
                         + (f"; smallest suboptimality gap {format_scalar(self.scale * cert.min_gap)}"
                            + (" (lower bound)" if not cert.at_translates else "") if cert.min_gap is not None else ""))
            lines.append("eq. 17: on each box N(θ') (around a translate θ') the Hessian is positive definite, so L is "
                         "strictly convex there and its unique critical point is an interior minimiser: L on ∂N(θ') "
                         "exceeds L at that minimiser. eq. 16: the minimum value in N(θ*) is below the minimum value "
                         "in every other N(θ') (exact values / brackets above).")
        return lines


def _kappa_bound(D: Operator, d: int) -> Fraction:
    """A rational ``κ₀`` with ``I/d + κD ⪰ 0`` for ``0 ≤ κ ≤ κ₀`` (``‖D‖ ≤ Σ|c_P|`` or ``‖D‖_F``)."""
    if isinstance(D, PauliSum):
        norm = sum((abs(Fraction(v)) for k, v in D.items() if k != (0, 0)), Fraction(0))
    else:
        fro2 = D.inner(D)
        fro2 = fro2.re if isinstance(fro2, GaussianRational) else Fraction(fro2)
        q = Fraction(fro2)
        norm = Fraction(math.isqrt(q.numerator * q.denominator) + 1, q.denominator)  # ≥ sqrt(q)
    return Fraction(1, 1) if norm == 0 else 1 / (d * norm)


def _choose_kappa(Ds: Sequence[Operator], d: int, kappa) -> Fraction:
    if kappa is not None:
        return _rational(kappa, "kappa")
    k0 = min(_kappa_bound(D, d) for D in Ds)
    cands = [Fraction(1, 2 ** j) for j in range(0, 40) if Fraction(1, 2 ** j) > k0] + [Fraction(1, math.ceil(1 / k0))]
    for k in cands:
        if all(_psd_ok(_state(D, d, k), d) for D in Ds):
            return k
    return k0


def _state(D: Operator, d: int, kappa: Fraction) -> Operator:
    if isinstance(D, PauliSum):
        return PauliSum.identity(D.n, Fraction(1, d)) + D.scale(kappa)
    return OpMatrix.identity(d).scale(Fraction(1, d)) + D.scale(kappa)


def _psd_ok(rho: Operator, d: int) -> bool:
    try:
        validate_state(rho, d, "state")
    except ValidationError:
        return False
    return True


def _solve_gram(qnn: QNN, M: Operator, targets: list[dict]) -> tuple[list[Operator], str]:
    """Least-norm solutions ``D_k = Σ_ξ c_ξ Φ_ξ(M)`` of eq. (18) with ``G c = r̂_k`` (exact)."""
    import flint

    rep = independence(qnn, M)
    if not rep.independent:
        raise ValidationError("qnn", f"the QNN is not with linear independence: {rep.reason}",
                              expected="a QNN whose operators Φ_ξ(M), ξ ≠ 0, are linearly independent (Definition 1)",
                              fix="add qubits/dimension, change the observable, or use fewer parameters")
    if not (qnn.exact and M.exact):
        raise ValidationError("qnn", "the QNN or the observable is not exact",
                              expected="exact generators and observable (rational / Gaussian-rational entries)",
                              fix="use exact stand-ins, e.g. Cayley unitaries (qnnsym.independence.cayley_qnn)")
    keys, G, ops = gram_matrix(qnn, M, exact=True)
    index = {h: i for i, h in enumerate(keys)}
    T = flint.fmpq_mat(len(keys), len(targets))
    for k, tgt in enumerate(targets):
        for h, v in tgt.items():
            if h not in index:
                raise ValidationError("design", f"residual term h = {h} is not a harmonic of this QNN",
                                      expected="residuals within the span of the expansion (eq. 12)")
            T[index[h], k] = flint.fmpq(v.numerator, v.denominator)
    C = G.solve(T)
    R, _ = _rows(ops, True)
    Dmat = C.transpose() * R
    out = []
    pauli = all(isinstance(o, PauliSum) for o in ops)
    if pauli:
        pkeys = sorted({kk for o in ops for kk in o})
    for k in range(len(targets)):
        row = [Fraction(int(v.p), int(v.q)) for v in (Dmat[k, j] for j in range(Dmat.ncols()))]
        if pauli:
            out.append(PauliSum(M.n, dict(zip(pkeys, row))))
        else:
            dd = qnn.dim
            re = flint.fmpq_mat(dd, dd, [flint.fmpq(v.numerator, v.denominator) for v in row[:dd * dd]])
            im = flint.fmpq_mat(dd, dd, [flint.fmpq(v.numerator, v.denominator) for v in row[dd * dd:]])
            out.append(OpMatrix(dd, re, im))
    return out, f"Gram matrix (exact least-norm solution, rank {rep.exact_rank} = {rep.n_ops})"


def realise_design(qnn: QNN, observable: Operator, design: Design, angles: Sequence[tuple[Fraction, Fraction]],
                   kappa=None, name: str = "", description: str = "", _dual=None) -> Construction:
    """Realise a design on a QNN: samples ``(ρ_k, y_k)`` whose residuals are ``κ r_k(θ)`` (Lemma 3).

    Parameters
    ----------
    qnn, observable
        An exact QNN with linear independence (checked; refused with the reason otherwise).
    design : Design
    angles : list of (cos a_l, sin a_l)
        ``θ*``: ``φ*_l = ω_l θ*_l = a_l``.
    kappa : rational, optional
        Override the automatic choice (largest ``2^{-j}`` passing the exact PSD test).

    Returns
    -------
    Construction

    Raises
    ------
    ValidationError
        QNN without linear independence, inexact QNN, residual outside the expansion's span,
        ``kappa`` too large for ``ρ ⪰ 0``.
    """
    if design.p != qnn.p:
        raise ValidationError("theta_star", f"design for p = {design.p}", expected=f"p = {qnn.p} (the QNN's)")
    omega = qnn.omega
    targets_poly = [translate(r, angles, omega) for r in design.residuals]
    zero = (0,) * qnn.p
    targets = [{h: Fraction(v) for h, v in r.terms.items() if h != zero} for r in targets_poly]
    if _dual is not None:
        Ds, solver, trM = _dual(targets)
    else:
        Ds, solver = _solve_gram(qnn, observable, targets)
        trM = None
    d = qnn.dim
    k = _choose_kappa(Ds, d, kappa)
    terms0 = None
    samples = []
    for D, r in zip(Ds, targets_poly):
        rho = _state(D, d, k)
        if kappa is not None and not _psd_ok(rho, d):
            raise ValidationError("kappa", f"{format_scalar(k)} makes a state non-PSD",
                                  expected="a smaller κ", fix="omit --kappa to choose it automatically")
        if trM is not None:
            y0 = trM
        else:
            if terms0 is None:
                terms0 = phi_terms(qnn, observable).get(zero)
            y0 = Fraction(0) if terms0 is None else _inner(rho, terms0)
        samples.append(Sample(rho, y0 - k * Fraction(r.terms.get(zero, 0))))
    inst = Instance(qnn, observable, Dataset(tuple(samples)), name=name or f"{design.name}(p={design.p})",
                    description=description,
                    meta={"construction": design.name, "p": design.p, "J": design.J, "kappa": format_scalar(k),
                          "params": {a: format_scalar(v) for a, v in design.params.items()},
                          "theta_star_cos_sin": [[format_scalar(c), format_scalar(s)] for c, s in angles]})
    L = loss_poly(inst)
    designed = translate(design.loss(), angles, omega).scale(k * k / inst.m)
    return Construction(inst, design, list(angles), k, L, L == designed, certify_design(design), solver)


def _inner(rho: Operator, A: Operator) -> Fraction:
    if isinstance(rho, PauliSum) and isinstance(A, PauliSum):
        v = rho.inner(A)
    else:
        v = to_opmatrix(rho).inner(to_opmatrix(A))
    if isinstance(v, GaussianRational):
        v = v.re
    return Fraction(v)


def theorem2_construction(qnn: QNN, observable: Operator, theta_star=None, eps="1/2", t="1/2",
                          kappa=None) -> Construction:
    """Theorem 2 for any exact two-level QNN with linear independence: ``S_0`` (Lemma 3, residuals
    ``sin(φ_l − φ*_l)``) and ``S_1`` (Lemma 4, residuals ``ε cos(φ_l − φ*_l) − t``).

    Examples
    --------
    >>> from qnnsym.independence import cayley_qnn
    >>> q, M = cayley_qnn(4, 1, seed=3)
    >>> c = theorem2_construction(q, M)
    >>> c.loss_verified, c.certificate.n_minima, c.certificate.n_spurious
    (True, 2, 1)
    """
    for i, g in enumerate(qnn.gates):
        if g.kind != TWO_LEVEL:
            raise ValidationError(f"qnn.gates[{i}].kind", g.kind, expected="two-level gates (Theorem 2)",
                                  fix="use integer_spectrum_construction for integer spectra")
    angles = default_angles(qnn.p) if theta_star is None else angles_from_spec(theta_star, qnn.p, qnn.omega)
    return realise_design(qnn, observable, separable_design(qnn.p, eps, t), angles, kappa,
                          name=f"theorem2(p={qnn.p}, d={qnn.dim})",
                          description="Theorem 2 construction: S_0 (Lemma 3) + S_1 (Lemma 4); 2^p minima, 2^p - 1 spurious")


# --- Proposition 5 ----------------------------------------------------------------------------------

def _single(op, field: str) -> PauliSum:
    if isinstance(op, PauliSum):
        if op.n != 1:
            raise ValidationError(field, f"acts on {op.n} qubits", expected="a single-qubit operator")
        return op
    if isinstance(op, str):
        return PauliSum.from_labels(1, _labels_from_text(op, field), field)
    if isinstance(op, dict):
        return PauliSum.from_labels(1, op, field)
    from .paulis import pauli_sum_from_matrix

    return pauli_sum_from_matrix(to_opmatrix(op) if isinstance(op, OpMatrix) else OpMatrix.from_rows(op, field), 1, field)


def _labels_from_text(text: str, field: str) -> dict:
    """``"Y + I"``, ``"3/5 X + 4/5 Z"`` → ``{"Y0": 1, "I": 1}`` (single qubit)."""
    import re

    out: dict = {}
    t = text.replace(" ", "")
    for m in re.finditer(r"([+-]?)([0-9/]*)\*?([IXYZ])", t):
        sign, coef, letter = m.groups()
        c = Fraction(coef) if coef else Fraction(1)
        c = -c if sign == "-" else c
        key = "I" if letter == "I" else f"{letter}0"
        out[key] = out.get(key, 0) + c
    if not out or re.sub(r"([+-]?)([0-9/]*)\*?([IXYZ])", "", t):
        raise ValidationError(field, f"{text!r}", expected='a single-qubit Pauli sum such as "Y + I" or "3/5 X + 4/5 Z"')
    return out


def _embed(op: PauliSum, q: int, n: int) -> PauliSum:
    return PauliSum(n, {(x << q, z << q): v for (x, z), v in op.items()})


def prop5_qnn(p: int, h="Z", m="Y + I") -> tuple[QNN, PauliSum, list, list]:
    """The Proposition-5 circuit: ``H_l = h_l`` on qubit ``l``, ``M = ⊗_l m_l``.

    ``h`` and ``m``: one single-qubit operator for all qubits or a list of ``p``.  Checks the
    proposition's condition ``m_l ± h_l m_l h_l ≠ 0``.

    Returns
    -------
    (QNN, M, hs, ms) with the single-qubit PauliSums.

    Examples
    --------
    >>> q, M, _, _ = prop5_qnn(2)
    >>> q.p, len(M)
    (2, 4)
    """
    if not isinstance(p, int) or p < 1:
        raise ValidationError("p", f"{p!r}", expected="a positive integer")
    hs = [_single(x, f"h[{l}]") for l, x in enumerate(h if isinstance(h, (list, tuple)) else [h] * p)]
    ms = [_single(x, f"m[{l}]") for l, x in enumerate(m if isinstance(m, (list, tuple)) else [m] * p)]
    if len(hs) != p or len(ms) != p:
        raise ValidationError("h/m", f"{len(hs)}/{len(ms)} operators", expected=f"one or {p}")
    for l, (hl, ml) in enumerate(zip(hs, ms)):
        for which, sign in ((0, "+"), (1, "-")):
            if len(phi(which, ml, hl)) == 0:
                raise ValidationError(f"m[{l}]", f"m {sign} h m h = 0 for h = {hl.to_string()}, m = {ml.to_string()}",
                                      expected="m_l + h_l m_l h_l ≠ 0 and m_l − h_l m_l h_l ≠ 0 (Proposition 5)",
                                      fix="add a component of m commuting with h (e.g. I) and one anticommuting (e.g. Y)")
    if np.prod([len(x) for x in ms], dtype=float) > 2e6:
        raise ValidationError("m", "⊗ m_l has more than 2·10^6 Pauli terms", expected="fewer qubits or sparser m_l")
    gates = tuple(Gate(_embed(hl, l, p), TWO_LEVEL, field=f"qnn.gates[{l}]") for l, hl in enumerate(hs))
    M = PauliSum.identity(p)
    for l, ml in enumerate(ms):
        M = M * _embed(ml, l, p)
    return QNN(gates, n_qubits=p), M, hs, ms


def _dual_solver(p: int, hs, ms):
    """Eq. (18) for product QNNs: ``D_h = ⊗_l E_l^{(h_l)}`` with the dual basis
    ``tr(E^{(i)} Φ^{(j)}(m_l)) = δ_ij``: ``E^{(j)} = Φ^{(j)}/tr Φ^{(j)}²``, except
    ``E^{(0)} = I/tr m_l`` when ``tr m_l ≠ 0`` (then ``D_h`` acts on the support of ``h`` only)."""
    E = []
    tr_m = Fraction(1)
    for hl, ml in zip(hs, ms):
        f = [phi(j, ml, hl) for j in (0, 1, 2)]
        t0 = Fraction(ml.trace())
        tr_m *= t0
        E.append({0: PauliSum.identity(1, 1 / t0) if t0 else f[0].scale(1 / Fraction(f[0].inner(f[0]))),
                  1: f[1].scale(1 / Fraction(f[1].inner(f[1]))), -1: f[2].scale(1 / Fraction(f[2].inner(f[2])))})

    def solve(targets):
        Ds = []
        for tgt in targets:
            D = PauliSum(p, {})
            for h, v in tgt.items():
                term = PauliSum.identity(p, v)
                for l, j in enumerate(h):
                    term = term * _embed(E[l][j], l, p)
                D = D + term
            Ds.append(D)
        # tr(ρ Φ_0) = tr(M)/d for every ρ = I/d + κD (D ⊥ Φ_0 by duality, tr Φ_0 = tr M)
        return Ds, "dual basis of the product operators (Prop. 5: Φ_ξ(M) mutually orthogonal)", tr_m / 2 ** p

    return solve


def prop5_construction(p: int = 3, h="Z", m="Y + I", coupled: bool = False, theta_star=None, kappa=None,
                       **scalings) -> Construction:
    """Proposition-5 family on ``p`` qubits: separable (``coupled=False``, scalings ``eps``, ``t``)
    or coupled Ising (``coupled=True``, scalings ``eps1, t1, eps2, t2``).

    Examples
    --------
    >>> c = prop5_construction(2)
    >>> c.loss_verified, c.kappa, c.certificate.n_minima
    (True, Fraction(1, 1), 4)
    """
    qnn, M, hs, ms = prop5_qnn(p, h, m)
    design = ising_design(p, **scalings) if coupled else separable_design(p, **scalings)
    angles = default_angles(p) if theta_star is None else angles_from_spec(theta_star, p, qnn.omega)
    kind = "coupled" if coupled else "separable"
    return realise_design(qnn, M, design, angles, kappa, name=f"prop5-{kind}(p={p})",
                          description=f"Proposition-5 {kind} family (h = {hs[0].to_string()}, m = {ms[0].to_string()}): "
                                      "2^p minima, 2^p - 1 spurious",
                          _dual=_dual_solver(p, hs, ms))


# --- integer spectra ------------------------------------------------------------------------------

def _kron(a: OpMatrix, b: OpMatrix) -> OpMatrix:
    import flint

    da, db = a.dim, b.dim
    d = da * db
    re = flint.fmpq_mat(d, d)
    im = flint.fmpq_mat(d, d)
    for i in range(da):
        for j in range(da):
            ar, ai = a.re[i, j], a.im[i, j]
            if ar == 0 and ai == 0:
                continue
            for k in range(db):
                for q in range(db):
                    br, bi = b.re[k, q], b.im[k, q]
                    re[i * db + k, j * db + q] = ar * br - ai * bi
                    im[i * db + k, j * db + q] = ar * bi + ai * br
    return OpMatrix(d, re, im)


def integer_spectrum_qnn(p: int, generator: str = "z1z2") -> tuple[QNN, Operator, int]:
    """Registers with integer-spectrum generators, one per parameter, product observable.

    ``"z1z2"``: ``H_l = Z_a + Z_b`` on qubits ``(2l, 2l+1)`` (spectrum −2, 0, 0, 2: Δ = 4, ω₀ = 2,
    harmonic order J = 2), ``m = I + X_a + X_a X_b``.  ``"spin1"``: ``H_l = S_z = diag(1, 0, −1)`` on a
    qutrit (Δ = 2, ω₀ = 1, J = 2), ``m = I + |0⟩⟨1| + |1⟩⟨0| + |0⟩⟨2| + |2⟩⟨0|``.

    Returns
    -------
    (QNN, M, J)
    """
    if not isinstance(p, int) or p < 1:
        raise ValidationError("p", f"{p!r}", expected="a positive integer")
    if generator == "z1z2":
        n = 2 * p
        gates = tuple(Gate(PauliSum.from_labels(n, {f"Z{2 * l}": 1, f"Z{2 * l + 1}": 1}), INTEGER, field=f"qnn.gates[{l}]")
                      for l in range(p))
        M = PauliSum.identity(n)
        for l in range(p):
            M = M * PauliSum.from_labels(n, {"I": 1, f"X{2 * l}": 1, f"X{2 * l} X{2 * l + 1}": 1})
        return QNN(gates, n_qubits=n), M, 2
    if generator == "spin1":
        sz = OpMatrix.from_rows([[1, 0, 0], [0, 0, 0], [0, 0, -1]])
        m1 = OpMatrix.from_rows([[1, 1, 1], [1, 1, 0], [1, 0, 1]])
        eye = OpMatrix.identity(3)

        def site(op, l):
            out = None
            for k in range(p):
                f = op if k == l else eye
                out = f if out is None else _kron(out, f)
            return out

        M = None
        for l in range(p):
            M = m1 if M is None else _kron(M, m1)
        gates = tuple(Gate(site(sz, l), INTEGER, field=f"qnn.gates[{l}]") for l in range(p))
        return QNN(gates, dim=3 ** p), M, 2
    raise ValidationError("generator", f"{generator!r}", expected="z1z2 or spin1")


def integer_spectrum_construction(p: int = 2, generator: str = "z1z2", theta_star=None, eps="1/8", t="1/8",
                                  kappa=None) -> Construction:
    """``(2J)^p`` minima (``Ω(Δ^p)``), ``(2J)^p − 1`` spurious, for integer-spectrum generators.

    Examples
    --------
    >>> c = integer_spectrum_construction(1, "spin1")
    >>> c.loss_verified, c.certificate.n_minima, c.certificate.certified
    (True, 4, True)
    """
    qnn, M, J = integer_spectrum_qnn(p, generator)
    angles = default_angles(p) if theta_star is None else angles_from_spec(theta_star, p, qnn.omega)
    return realise_design(qnn, M, integer_design(p, J, eps, t), angles, kappa,
                          name=f"integer-spectrum(p={p}, {generator})",
                          description=f"integer-spectrum construction ({generator}, J = {J}): (2J)^p minima")


# --- built-in factories --------------------------------------------------------------------------

def theorem2_instance(p: int = 2, d: int = 8, seed: int = 0) -> Instance:
    """Theorem-2 dataset on an exact Haar stand-in QNN (Cayley unitaries, ``d``, ``p``)."""
    from .independence import cayley_qnn

    q, M = cayley_qnn(int(d), int(p), int(seed))
    return theorem2_construction(q, M).instance


def prop5_family_instance(p: int = 2, h: str = "Z", m: str = "Y + I") -> Instance:
    """Proposition-5 separable family with any single-qubit ``h`` (two-level) and ``m``."""
    return prop5_construction(int(p), h, m).instance


def prop5_coupled_instance(p: int = 3, h: str = "Z", m: str = "Y + I") -> Instance:
    """Proposition-5 coupled (Ising) family: 2^p minima that defeat coordinate-wise greedy search."""
    return prop5_construction(int(p), h, m, coupled=True).instance


def integer_spectrum_instance(p: int = 2, generator: str = "z1z2") -> Instance:
    """Integer-spectrum generators (Z1+Z2 or spin-1): (2J)^p minima, Ω(Δ^p)."""
    return integer_spectrum_construction(int(p), generator).instance


# --- numerics: multi-start and coordinate-wise greedy ----------------------------------------------

def _descend(fast: TrigEvaluator, theta: np.ndarray, iters: int, gtol: float) -> np.ndarray:
    """Batched descent along ``−g/|diag H|`` (diagonally scaled) with per-start backtracking;
    only unconverged starts are updated."""
    th = theta.copy()
    val, g, hd = fast(th)
    alpha = np.ones(th.shape[0])
    act = np.arange(th.shape[0])
    for _ in range(iters):
        act = act[np.sqrt(np.einsum("ij,ij->i", g[act], g[act])) > gtol]
        if not len(act):
            break
        scale = np.maximum(np.abs(hd[act]), 1e-3 * np.abs(hd[act]).max(axis=1, keepdims=True) + 1e-300)
        step = g[act] / scale
        trial = th[act] - alpha[act, None] * step
        tv, tg, thd = fast(trial)
        ok = tv <= val[act] - 1e-4 * alpha[act] * np.einsum("ij,ij->i", g[act], step)
        idx = act[ok]
        th[idx], val[idx], g[idx], hd[idx] = trial[ok], tv[ok], tg[ok], thd[ok]
        alpha[act] = np.where(ok, np.minimum(1.0, alpha[act] * 2), alpha[act] * 0.5)
    return th


def multistart_minima(loss: TrigPoly, n_starts: int = 1000, seed: int = 0, iters: int = 500, gtol: float = 1e-11,
                      progress: bool = False) -> dict:
    """Distinct local minima found by batched descent from uniform random starts (numeric).

    Converged points are wrapped to one period (``θ_l mod 2π/ω_l``), clustered at ``1e-5``, and a
    cluster counts as a minimum when its Hessian is positive definite.  ``progress`` shows a bar on
    standard error; an interruption keeps the finished chunks of 4096 starts.

    Returns
    -------
    dict
        ``starts``, ``converged``, ``distinct_minima``, ``values`` (minimum values, ascending),
        ``points`` (one representative per minimum, same order), ``global_fraction`` (share of starts ending
        at the lowest value).

    Examples
    --------
    >>> L = prop5_construction(2).loss
    >>> multistart_minima(L, 200, seed=0)["distinct_minima"]
    4
    """
    rng = np.random.default_rng(seed)
    period = 2 * np.pi / np.array(loss.omega, dtype=float)
    th0 = rng.uniform(0, 1, size=(n_starts, loss.p)) * period
    from tqdm import tqdm

    fast = loss.evaluator()
    chunks = []
    try:
        for i in tqdm(range(0, n_starts, 4096), disable=not progress, desc=f"multistart p={loss.p}", unit="chunk"):
            chunks.append(_descend(fast, th0[i:i + 4096], iters, gtol))
    except KeyboardInterrupt:
        if not chunks:
            raise
    th = np.concatenate(chunks)
    n_starts = len(th)
    g = loss.gradient(th)
    conv = np.sqrt(np.einsum("ij,ij->i", g, g)) < 1e-8
    th = np.mod(th[conv], period)
    grid = np.round(th / period * 1e5).astype(np.int64) % 100000
    uniq, idx, inv = np.unique(grid, axis=0, return_index=True, return_inverse=True)
    reps = th[idx]
    H = loss.hessian(reps) if len(reps) else np.zeros((0, loss.p, loss.p))
    ismin = np.linalg.eigvalsh(H)[:, 0] > 1e-9 if len(reps) else np.zeros(0, bool)
    vals = loss(reps) if len(reps) else np.zeros(0)
    mv = vals[ismin]
    best = mv.min() if len(mv) else np.nan
    inv = np.asarray(inv).ravel()
    at_best = np.isin(inv, np.nonzero(ismin & (np.abs(vals - best) < 1e-9 * max(1, abs(best))))[0])
    order = np.argsort(mv)
    return {"starts": n_starts, "converged": int(conv.sum()), "distinct_minima": int(ismin.sum()),
            "values": mv[order], "points": reps[ismin][order],
            "global_fraction": float(at_best.mean()) if len(at_best) else 0.0}


def coordinate_greedy(loss: TrigPoly, starts: np.ndarray, sweeps: int = 30, grid: int = 256) -> np.ndarray:
    """Coordinate-wise greedy optimisation (batched over starts): cycle through the parameters,
    each time moving ``θ_l`` to the global minimum of the 1-D slice (dense grid, then 1-D Newton
    polishing); stop when a sweep changes nothing.

    Returns the final points ``(N, p)``.
    """
    th = np.array(starts, dtype=float).reshape(-1, loss.p).copy()
    N, p = th.shape
    period = 2 * np.pi / np.array(loss.omega, dtype=float)
    fast = loss.evaluator()
    for _ in range(sweeps):
        old = th.copy()
        for l in range(p):
            cand = np.repeat(th, grid, axis=0)
            cand[:, l] = np.tile(np.arange(grid) * period[l] / grid, N)
            v = fast(cand, derivatives=False)[0].reshape(N, grid)
            th[:, l] = cand.reshape(N, grid, p)[np.arange(N), v.argmin(axis=1), l]
            for _ in range(8):
                _, g, h = fast(th)
                th[:, l] -= np.where(h[:, l] > 0, g[:, l] / np.where(h[:, l] > 0, h[:, l], 1), 0.0)
        if np.allclose(np.mod(th - old + period / 2, period) - period / 2, 0, atol=1e-8):
            break
    return np.mod(th, period)


def greedy_demo(con: Construction, n_random: int = 100, seed: int = 0, offset: float = 0.05) -> dict:
    """Coordinate-wise greedy optimisation on a construction (numeric demonstration).

    Starts at the all-flipped translate ``θ* + (π/ω)(1, …, 1)`` shifted by ``offset`` in every
    coordinate, and from ``n_random`` uniform random starts.  For the coupled family the first
    run stays in the spurious all-flipped minimum (no single-coordinate move improves it); for the
    separable family every run reaches ``θ*``.

    Returns
    -------
    dict
        ``start``, ``end``, ``end_loss``, ``global_loss``, ``stuck`` (end is spurious),
        ``random_spurious_fraction``.
    """
    L = con.loss
    om = np.array(L.omega, dtype=float)
    a = np.array([math.atan2(float(s), float(c)) for c, s in con.angles])
    start = ((a + np.pi) / om + offset)[None]
    end = coordinate_greedy(L, start)
    gl = float(L((a / om)[None])[0])
    el = float(L(end)[0])
    tol = 1e-9 * max(1.0, abs(gl))
    rng = np.random.default_rng(seed)
    rs = rng.uniform(0, 1, size=(n_random, L.p)) * (2 * np.pi / om)
    fr = coordinate_greedy(L, rs)
    return {"start": start[0], "end": end[0], "end_loss": el, "global_loss": gl, "stuck": el > gl + tol,
            "random_spurious_fraction": float(np.mean(L(fr) > gl + tol))}


def critical_check(con: Construction, backend: str = "auto", time_limit: float | None = None) -> dict:
    """Cross-check a construction with the critical-point engine (:func:`qnnsym.critical.table.critical_table`):
    counts of minima, the certification level and whether the global minimum is at ``θ*``
    (exact comparison of ``(cos φ_l, sin φ_l)`` when the engine found the point rational, else
    ``|θ − θ*| < 1e-9``).  Independent of :func:`certify_design`.

    Returns
    -------
    dict
        ``minima``, ``spurious_minima``, ``global_minima``, ``certification``, ``status``,
        ``global_at_theta_star`` (True/False/None when undecided), ``seconds``.
    """
    import time

    from .critical.table import critical_table

    t0 = time.perf_counter()
    tab = critical_table(con.instance, backend=backend, time_limit=time_limit)
    om = con.loss.omega
    star = [math.atan2(float(s), float(c)) % (2 * math.pi) / w for (c, s), w in zip(con.angles, om)]
    at_star = None
    glob = [x for x in (tab.points or []) if x.kind == "minimum" and x.is_global]
    if glob:
        at_star = False
        for x in glob:
            if x.cs is not None:
                cs = [(x.cs[2 * l], x.cs[2 * l + 1]) for l in range(con.loss.p)]
                hit = cs == [tuple(a) for a in con.angles]
            else:
                hit = all(abs(math.remainder(t - s, 2 * math.pi / w)) < 1e-9 for t, s, w in zip(x.theta, star, om))
            at_star = at_star or hit
    return {"minima": tab.counts["minima"], "spurious_minima": tab.counts["spurious_minima"],
            "global_minima": tab.counts["global_minima"], "certification": tab.certification, "status": tab.status,
            "global_at_theta_star": at_star, "seconds": round(time.perf_counter() - t0, 2)}
