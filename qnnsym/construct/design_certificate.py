"""The design certificate: a designed loss has exactly ``(2J)^p`` local minima (Theorem 2).

:func:`certify_design` proves, with exact rational inequalities (perturbation of
``Σ sin²(J u_l)``, Poincaré–Miranda and diagonal dominance) and exact values at the minima, that
the loss of a :class:`~qnnsym.construct.designs.Design` has ``(2J)^p`` local minima, ``(2J)^p − 1``
of them spurious, the global one at ``θ*`` (``docs/constructions.md``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..exact.scalars import format_scalar
from ..exact.trigpoly import TrigPoly
from .designs import Design, _unit

__all__ = ['LandscapeCertificate', 'certify_design', 'PI_UPPER']

#: a rational upper bound of π (355/113 − π ≈ 2.7e-7 > 0)
PI_UPPER = Fraction(355, 113)


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
    >>> from qnnsym.construct.designs import separable_design
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
