"""A float instance's loss as an exact midpoint plus coefficient radii (level ``verified (coefficients
enclosed to 2^-k)``, docs/certification-levels.md).

An instance is *floating point* when a fixed Pauli rotation ``exp(-iaP)`` has an angle ``2a`` that is not
a multiple of ``π/2``: a float angle (``RX(0.37)``) or an irrational exact one (the
``T`` gate, ``cos 2a = √2/2``): the import stores ``(cos 2a, sin 2a)`` rounded to float64.  Here every
such gate becomes a free two-level gate ``exp(-iψP)`` (frequency 2), the loss ``L(θ, ψ)`` of the
widened circuit is built exactly (eq. 6), and ``ψ`` is then *evaluated* in python-flint ``arb`` on the
angle ``2a`` as stored at import: the exact double of a float angle (``RX(0.37)``: ``0.37``), or ``kπ`` for an
exact multiple of ``π`` (``3π/8``), each a ball of the working precision (200 bits); only a file that gives
``(cos 2a, sin 2a)`` as floats gets ``2a ∈ φ̂ ± η``, ``φ̂ = atan2(sin 2a, cos 2a)`` (float64),
``η = 2^-44·max(1, |φ̂|)``.  Each harmonic of ``θ`` gets a ball ``c_h ± ε_h`` that contains its coefficient
for **every** angle in the angle's ball, the user's angle included.  The midpoints are exact dyadic
rationals.  Odd multiples of ``π/4`` (``T``) need none of this: their tables are exact over ``Q(√2)``
(:mod:`qnnsym.critical.sqrt2`).

Examples
--------
A loss known up to ``2^-30`` per coefficient:

>>> L = TrigPoly(1, {(1,): Fraction(1, 2)})
>>> EnclosedLoss(L, {(1,): Fraction(1, 2 ** 30)}, 30).level
'verified (coefficients enclosed to 2^-30)'
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction

import flint

from ..errors import ValidationError
from ..exact.interval import ball, ball_bounds, precision
from ..exact.scalars import is_exact
from ..exact.trigpoly import TrigPoly

__all__ = ["EnclosedLoss", "enclosed_loss", "ANGLE_RADIUS_BITS"]

#: relative radius ``2^-bits`` of the angle balls around a float fixed angle
ANGLE_RADIUS_BITS = 44
_PREC = 200


@dataclass(frozen=True)
class EnclosedLoss:
    """A set of losses: every ``L'`` with ``|c'_h − mid_h| ≤ radii_h`` for each harmonic ``h`` of ``mid``.

    Attributes
    ----------
    mid : TrigPoly
        Exact (dyadic) midpoint coefficients.
    radii : dict
        ``{h: ε_h}`` (``Fraction ≥ 0``), one per harmonic of ``mid``.
    bits : int
        The largest ``k`` with every ``ε_h ≤ 2^-k``.
    notes : tuple of str
        Where the enclosure comes from (the angles).
    """

    mid: TrigPoly
    radii: dict
    bits: int
    notes: tuple = ()

    @property
    def level(self) -> str:
        """The table's certification level."""
        return f"verified (coefficients enclosed to 2^-{self.bits})"


def _angle_ball(c, s, name: str) -> flint.arb:
    """``φ̂ ± η`` around ``atan2(s, c)``, after checking that it encloses the stored ``(c, s)`` to 2^-40."""
    phi = math.atan2(float(s), float(c))
    eta = Fraction(1, 2 ** ANGLE_RADIUS_BITS) * max(1, abs(Fraction(phi)))
    b = ball(Fraction(phi) - eta, Fraction(phi) + eta)
    tol = flint.arb(2) ** -40
    if not ((b.cos() - ball(Fraction(float(c)))).abs_upper() <= tol
            and (b.sin() - ball(Fraction(float(s)))).abs_upper() <= tol):
        raise ValidationError(name, f"(cos, sin) = ({c}, {s}) is not on the unit circle to 2^-40",
                              expected="the cosine and sine of one float angle")
    return b


def _stored_angle_ball(op) -> flint.arb | None:
    """The angle ``2a`` as stored at import, as a ball: ``kπ`` (``pi_angle``) to the working precision, or the exact
    value of a given float / rational (``angle``); ``None`` when only ``(cos, sin)`` were given."""
    with precision(_PREC):
        if op.pi_angle is not None:
            return flint.arb.pi() * flint.fmpq(op.pi_angle.numerator, op.pi_angle.denominator)
        if op.angle is not None:
            a = Fraction(op.angle)
            return flint.arb(flint.fmpq(a.numerator, a.denominator))
    return None


def _trig(h: int, phi: flint.arb) -> flint.arb:
    """``b_h(φ)``: ``1``, ``cos(hφ)`` (h > 0) or ``sin(|h|φ)`` (h < 0) (the TrigPoly basis)."""
    return flint.arb(1) if h == 0 else (h * phi).cos() if h > 0 else (-h * phi).sin()


def enclosed_loss(instance) -> EnclosedLoss:
    """The loss of a floating-point instance as an :class:`EnclosedLoss` (module docstring).

    Raises
    ------
    ValidationError
        Float data other than fixed Pauli rotations (a float unitary, float labels or observable),
        or shared parameters.
    """
    from ..exact.paulis import PauliSum
    from ..expansion.phi import loss_poly
    from ..model.circuit import FixedGate, Gate

    qnn = instance.qnn
    if qnn.parameters is not None:
        raise ValidationError("qnn.parameters", "shared parameters in a floating-point instance",
                              expected="one parameter per gate for a verified table")
    ops, free, fixed, angles, names, fixed_ops = [], [], [], [], [], []
    for op in qnn.ops:
        if isinstance(op, FixedGate) and op.pauli is not None and not (is_exact(op.cos2a) and is_exact(op.sin2a)):
            fixed.append(sum(isinstance(o, Gate) for o in ops))
            angles.append(_stored_angle_ball(op) or _angle_ball(op.cos2a, op.sin2a, op.name or "fixed gate"))
            names.append(op.name)
            fixed_ops.append(op)
            ops.append(Gate(PauliSum(op.pauli.n, dict(op.pauli)), name=op.name))
        else:
            if isinstance(op, Gate):
                free.append(sum(isinstance(o, Gate) for o in ops))
            ops.append(op)
    wide = replace(instance, qnn=replace(qnn, ops=tuple(ops)))
    if not wide.exact:
        raise ValidationError("instance", "has floating-point data other than fixed Pauli rotation angles",
                              expected="exact observable, labels and unitaries (only fixed angles may be floats)",
                              fix="write those numbers as exact strings like '3/5'")
    full = loss_poly(wide)
    acc: dict = {}
    with precision(_PREC):
        for h, c in full.terms.items():
            f = ball(Fraction(c))
            for j, phi in zip(fixed, angles):
                f *= _trig(h[j], phi)
            key = tuple(h[j] for j in free)
            acc[key] = acc[key] + f if key in acc else f
    mid, radii = {}, {}
    for key, b in acc.items():
        m = _dyadic(b.mid())
        r = _dyadic(b.rad())
        if m == 0:
            if r == 0:
                continue
            m, r = r, 2 * r
        mid[key], radii[key] = m, r
    loss = TrigPoly(len(free), mid, omega=tuple(full.omega[j] for j in free))
    radii = {h: radii[h] for h in loss.terms}
    worst = max(radii.values(), default=Fraction(0))
    bits = 1000 if worst == 0 else max(0, -math.ceil(math.log2(worst)))
    shown = ", ".join(f"{n or 'fixed'}: 2a = {_shown_angle(op)}" if _stored_angle_ball(op) is not None else
                      f"{n or 'fixed'}: 2a ∈ {float(a.mid()):.17g} ± 2^-{ANGLE_RADIUS_BITS}·max(1, |2a|)"
                      for n, a, op in zip(names, angles, fixed_ops))
    return EnclosedLoss(loss, radii, bits, (f"float fixed angles enclosed: {shown}",))


def _shown_angle(op) -> str:
    """``2a`` as stored: ``1/4*pi`` or the float's repr (exact, evaluated in arb)."""
    from ..model.circuit import format_fixed_angle

    return format_fixed_angle(op.pi_angle, op.angle) + " (exact)"


def _dyadic(x: flint.arb) -> Fraction:
    """The exact value of an arb midpoint or radius (a dyadic number)."""
    m, e = x.mid().man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2 ** e) if e >= 0 else Fraction(m, 2 ** -e)


def _positive_roots(M) -> int:
    """Eigenvalues ``> 0`` of a symmetric rational matrix, exactly: its characteristic polynomial has only real
    roots, so Descartes' rule of signs counts the positive ones exactly."""
    n = len(M)
    cs = [c for c in flint.fmpq_mat(n, n, [flint.fmpq(x.numerator, x.denominator) for row in M for x in row])
          .charpoly().coeffs() if c != 0]
    return sum(1 for a, b in zip(cs, cs[1:]) if (a > 0) != (b > 0))


def _inertia_beyond(H, E) -> int | None:
    """The number of negative eigenvalues shared by every symmetric ``H'`` with ``|H' − H| ≤ E`` entrywise, or
    ``None`` when the enclosure does not decide it.

    ``H`` (floats, read as exact rationals) is symmetrised, ``Ĥ = (H + Hᵀ)/2``, with ``|H' − Ĥ| ≤ (E + Eᵀ)/2``
    (``H'`` is symmetric); ``r = Σ_ij (E + Eᵀ)_ij / 2 ≥ ‖H' − Ĥ‖_F ≥ ‖H' − Ĥ‖₂``.  When exactly as many eigenvalues
    of ``Ĥ`` exceed ``r`` and lie below ``−r`` as there are rows (exact characteristic polynomials,
    :func:`_positive_roots`), Weyl's inequality keeps every sign for every ``H'``.  No float enters the decision.

    >>> _inertia_beyond([[2.0, 0.0], [0.0, -1.0]], [[0.1, 0.0], [0.0, 0.1]]), _inertia_beyond([[2.0, 0.0], [0.0, 0.05]], [[0.1, 0], [0, 0.1]])
    (1, None)
    """
    n = len(H)
    Hq = [[(Fraction(float(H[i][j])) + Fraction(float(H[j][i]))) / 2 for j in range(n)] for i in range(n)]
    if not all(math.isfinite(float(E[i][j])) for i in range(n) for j in range(n)):
        return None
    r = sum((Fraction(float(E[i][j])) + Fraction(float(E[j][i]))) / 2 for i in range(n) for j in range(n))
    above = _positive_roots([[Hq[i][j] - (r if i == j else 0) for j in range(n)] for i in range(n)])
    below = _positive_roots([[-Hq[i][j] - (r if i == j else 0) for j in range(n)] for i in range(n)])
    return below if above + below == n else None


def verified_points(enc: EnclosedLoss, cover, points: list, complete: bool) -> list:
    """Re-state the exact classification of ``enc.mid``'s points for every loss of the enclosure.

    Each point box ``κ = c ± r`` (turns) of ``cover`` holds exactly one critical point ``x'`` of each loss
    ``L'`` of the enclosure (:func:`~qnnsym.critical.exhaustion.exhaust` with radii).  With the jet of the
    enclosure at ``c`` and ``δ = 2π r``: ``|H'(x') − Ĥ(c)| ≤ E`` entrywise (``hessian_radius``), so by Weyl
    the index is the number of negative eigenvalues of ``Ĥ(c)`` when no eigenvalue lies in ``[−r, r]``, ``r ≥ ‖E‖₂``
    (decided exactly: :func:`_inertia_beyond`); else the index is left undecided (``None``, kind ``degenerate``: not resolved by the
    enclosure).  The loss interval is ``L̂(c) ± (err_val + Σ_i (|ĝ_i(c)| + err_grad_i + Σ_j A2_ij δ_j) δ_i)``.
    ``theta_box`` becomes ``κ`` (in θ).  ``is_global`` is decided from the intervals alone (``None`` where they overlap the least upper end).
    """
    import numpy as np

    from .classify import kind_of
    from .exhaustion import LossJet
    from .inclusion import TWO_PI_UP, hessian_radius

    jet = LossJet(enc.mid, enc.radii)
    out = []
    centres = {tuple(float(x) for x in c): (c, r) for c, r in cover.points}
    for cp in points:
        c, r = centres[tuple(float(x) for x in cp.point.centre)]
        c2 = np.atleast_2d(np.asarray(c, dtype=float))
        val, G, H, T = jet(c2, third=True)
        delta = TWO_PI_UP * np.asarray(r, dtype=float)[None, :] * (1 + 2.0 ** -50)
        E = hessian_radius(jet, T, delta)[0]
        p = H.shape[1]
        neg = _inertia_beyond(H[0], E)
        if neg is not None:
            inertia, index = (neg, 0, p - neg), neg
        else:
            inertia, index = cp.inertia, None
        grad_rad = np.abs(G[0]) + jet.err_grad + jet.A2 @ delta[0]
        wid = (float(jet.err_val) + float(grad_rad @ delta[0])) * (1 + 1e-6) + 1e-300
        v = Fraction(float(val[0]))
        w = Fraction(wid)
        with precision(_PREC):       # θ_l ∈ 2π κ_l / ω_l, the box of every loss's point (not the midpoint's)
            box = tuple(ball_bounds(ball(Fraction(float(cl)) - Fraction(float(rl)), Fraction(float(cl)) + Fraction(float(rl)))
                                    * 2 * flint.arb.pi() / w_l) for cl, rl, w_l in zip(c, r, enc.mid.omega))
        out.append(replace(cp, theta_box=box, loss=(v - w, v + w), loss_exact=None, inertia=inertia, index=index,
                           kind=kind_of(index, p), is_global=None, gap=None, cs=None))
    if out and complete:
        least_hi = min(cp.loss[1] for cp in out)
        for i, cp in enumerate(out):
            others_lo = min((o.loss[0] for j, o in enumerate(out) if j != i), default=None)
            glob = True if others_lo is None or cp.loss[1] < others_lo else False if cp.loss[0] > least_hi else None
            out[i] = replace(cp, is_global=glob, gap=(cp.loss[0] - least_hi, cp.loss[1] - min(o.loss[0] for o in out)))
    return out
