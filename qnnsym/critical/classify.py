"""Certified classification of real critical points (docs/math.md "Classification of a real critical point").

For each real solution ``x = (c_1, s_1, …, c_p, s_p)`` of the critical-point system (Sect. 5) this
module decides, without floating point:

* the **loss value** ``L(x)`` as a certified interval (exact when ``x`` is rational or when the
  value is recognised as a rational number and the identity ``L(x) = v`` is proven exactly);
* the **inertia** ``(n₋, n₀, n₊)`` of the Hessian ``∇²_θ L(x)``: first by interval arithmetic on
  refined boxes (Weyl's inequality: every eigenvalue moves by at most ``‖H − M‖_F``), and when that
  does not separate the spectrum from 0, exactly from the signs of the characteristic polynomial's
  coefficients (Descartes' rule is exact for the real-rooted ``det(tI − H)``), each coefficient a
  polynomial in ``(c, s)`` whose sign at ``x`` is decided exactly by
  :meth:`AlgebraicPoint.sign <qnnsym.critical.points.AlgebraicPoint.sign>`;
* the **kind**: ``minimum`` (index 0), ``saddle`` (0 < index < p), ``maximum`` (index p), or
  ``degenerate`` (``det H = 0`` exactly; never guessed);
* **global** or **spurious**, with the certified sub-optimality gap ``L(x) − min L``.

Consistency on the torus ``T^p`` for Morse functions (:func:`morse_checks`):
``Σ (−1)^index = χ(T^p) = 0`` and ``#(index k) ≥ C(p, k)`` (Morse inequalities, Betti numbers of
``T^p``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Sequence

import flint
import numpy as np

from ..errors import ValidationError
from ..exact.interval import CsPoly, ball, ball_bounds, cs_enclosure, precision
from ..exact.interval_array import CsArray, cs_enclosures, fraction_bounds
from ..exact.scalars import format_scalar
from ..exact.trigpoly import TrigPoly

__all__ = ['ClassifiedPoint', 'LossData', 'classify_point', 'classify_points', 'interval_inertias', 'mark_global', 'inertia_from_charpoly', 'rational_inertia', 'kind_of', 'morse_checks', 'fmt_interval', 'fmt_decimal', 'global_word']

Interval = tuple[Fraction, Fraction]
#: fewest points per worker process in :func:`classify_points` (a fork costs more than classifying fewer)
MIN_CHUNK = 64
#: refinement schedule (bits of the coordinate enclosures) used by the interval tests
BITS = (64, 128, 256, 512)


def kind_of(index: int | None, p: int) -> str:
    """``minimum`` / ``saddle`` / ``maximum`` for a non-degenerate index, ``degenerate`` for ``None``.

    >>> kind_of(0, 2), kind_of(1, 2), kind_of(2, 2), kind_of(None, 2)
    ('minimum', 'saddle', 'maximum', 'degenerate')
    """
    if index is None:
        return "degenerate"
    return "minimum" if index == 0 else ("maximum" if index == p else "saddle")


def inertia_from_charpoly(coeffs: Sequence[int]) -> tuple[int, int, int]:
    """Inertia ``(n₋, n₀, n₊)`` of a real symmetric matrix from the signs of ``det(tI − H)``.

    Parameters
    ----------
    coeffs : sequence of int in {-1, 0, 1}
        Signs of the characteristic-polynomial coefficients, lowest degree first.

    Returns
    -------
    (n_neg, n_zero, n_pos)
        ``n₀`` = multiplicity of the root 0; ``n₊`` = sign variations (Descartes' rule, exact
        because the polynomial is real-rooted); ``n₋`` = the rest.

    Examples
    --------
    >>> inertia_from_charpoly([-1, 0, 1])      # t² − 1: eigenvalues ±1
    (1, 0, 1)
    >>> inertia_from_charpoly([0, 1, 1])       # t² + t: eigenvalues 0, −1
    (1, 1, 0)
    """
    deg = len(coeffs) - 1
    n0 = next(i for i, c in enumerate(coeffs) if c != 0)
    nz = [c for c in coeffs if c != 0]
    npos = sum(1 for a, b in zip(nz, nz[1:]) if a != b)
    return deg - npos - n0, n0, npos


def rational_inertia(M: Sequence[Sequence[Fraction]]) -> tuple[int, int, int]:
    """Exact inertia of a rational symmetric matrix (charpoly over Q with python-flint).

    >>> rational_inertia([[Fraction(1), Fraction(2)], [Fraction(2), Fraction(1)]])   # eigenvalues 3, −1
    (1, 0, 1)
    """
    cp = flint.fmpq_mat([[flint.fmpq(x.numerator, x.denominator) for x in row] for row in M]).charpoly()
    return inertia_from_charpoly([_sgn(c) for c in cp.coeffs()])


def _sgn(x) -> int:
    return (x > 0) - (x < 0)


def fmt_decimal(x: Fraction | float, digits: int = 12) -> str:
    """A decimal string with ``digits`` significant digits (display only)."""
    return f"{float(x):.{digits}g}"


def fmt_interval(iv: Interval, digits: int = 12) -> str:
    """``[lo, hi]`` in decimals rounded outward (display of a certified enclosure)."""
    lo, hi = iv
    if lo == hi:
        return format_scalar(lo)
    return f"[{_round(lo, digits, -1)}, {_round(hi, digits, 1)}]"


def _round(x: Fraction, digits: int, direction: int) -> str:
    if x == 0:
        return "0"
    e = math.floor(math.log10(abs(float(x)))) - digits + 1 if float(x) != 0 else -digits
    scale = Fraction(10) ** (-e)
    v = x * scale
    n = math.floor(v) if direction < 0 else math.ceil(v)
    return f"{float(Fraction(n) / scale):.{digits}g}"


class LossData:
    """Exact polynomial data of one loss, computed once and shared by all its points.

    Attributes
    ----------
    loss : TrigPoly
    cs : dict
        ``L`` as a polynomial in ``(c, s)`` (:meth:`TrigPoly.cs_terms`).
    hessian_cs : list of list of dict
        The Hessian ``∂²L/∂θ_i∂θ_j`` in ``(c, s)``.
    p : int
        The number of free parameters: ``free`` (the Hessian is over ``θ_1 … θ_free``; the remaining
        parameters of ``loss`` are pinned, :mod:`qnnsym.critical.sqrt2`), by default every parameter.
    """

    def __init__(self, loss: TrigPoly, free: int | None = None):
        if not isinstance(loss, TrigPoly):
            raise ValidationError("loss", f"got {type(loss).__name__}", expected="a TrigPoly")
        if not loss.exact:
            raise ValidationError("loss", "has floating-point coefficients",
                                  expected="exact (rational) coefficients for a certified table",
                                  fix="build the instance from exact data (strings like '3/5')")
        self.loss = loss
        self.p = loss.p if free is None else free
        self.cs = loss.cs_terms()
        grads = [loss.derivative(l) for l in range(self.p)]
        self.hessian = [[g.derivative(j) for j in range(self.p)] for g in grads]
        self.hessian_cs = [[h.cs_terms() for h in row] for row in self.hessian]
        # the same polynomials prepared once for ball evaluation at every point (exact.interval.CsPoly)
        self.cs_balls = CsPoly(self.cs)
        self.hessian_cs_balls = [[CsPoly(h) for h in row] for row in self.hessian_cs]
        self._charpoly_cs = None
        self._hessian_array = None

    @property
    def hessian_array(self) -> CsArray:
        """The Hessian entries ``i ≤ j`` (row by row) prepared for batched float enclosures."""
        if self._hessian_array is None:
            p = self.p
            self._hessian_array = CsArray([self.hessian_cs[i][j] for i in range(p) for j in range(i, p)])
        return self._hessian_array

    def charpoly_cs(self) -> list[dict]:
        """Polynomials ``e_k`` (sum of principal ``k``-minors of the Hessian), ``k = 0..p``, in ``(c, s)``.

        ``det(tI − H) = Σ_k (−1)^k e_k t^{p−k}``; exact (TrigPoly arithmetic).
        """
        if self._charpoly_cs is None:
            p, H = self.p, self.hessian
            memo: dict = {}

            def det(rows: tuple, cols: tuple) -> TrigPoly:
                if not rows:
                    return TrigPoly.constant(self.loss.p, Fraction(1), self.loss.omega)
                key = (rows, cols)
                if key not in memo:
                    acc = TrigPoly(self.loss.p, {}, self.loss.omega)
                    for j, c in enumerate(cols):
                        if H[rows[0]][c].is_zero():
                            continue
                        term = H[rows[0]][c] * det(rows[1:], cols[:j] + cols[j + 1:])
                        acc = acc + term if j % 2 == 0 else acc - term
                    memo[key] = acc
                return memo[key]

            from itertools import combinations

            e = [TrigPoly.constant(self.loss.p, Fraction(1), self.loss.omega)]
            for k in range(1, p + 1):
                tot = TrigPoly(self.loss.p, {}, self.loss.omega)
                for S in combinations(range(p), k):
                    tot = tot + det(S, S)
                e.append(tot)
            self._charpoly_cs = [x.cs_terms() for x in e]
        return self._charpoly_cs


@dataclass
class ClassifiedPoint:
    """One classified real critical point (of a block, or of the whole loss).

    Attributes
    ----------
    theta : tuple of float
        Decimal ``θ`` in ``[0, 2π/ω_l)`` (display; the certified data is ``theta_box``).
    theta_box : tuple of (Fraction, Fraction)
        Certified enclosures of each ``θ_l``.
    loss : (Fraction, Fraction)
        Certified enclosure of ``L(θ)``; equal ends when ``loss_exact`` is known.
    loss_exact : Fraction or None
        The exact value when proven rational.
    inertia : (int, int, int)
        ``(n₋, n₀, n₊)`` of the Hessian in ``θ``, exact.
    index : int or None
        ``n₋`` when non-degenerate, ``None`` when degenerate.
    kind : str
        ``minimum``, ``saddle``, ``maximum`` or ``degenerate``.
    is_global : bool or None
        Whether ``L(θ) = min L`` (``None``: not decided, e.g. an incomplete list).
    gap : (Fraction, Fraction) or None
        Certified enclosure of ``L(θ) − min L``.
    cs : tuple of Fraction or None
        Exact ``(c_1, s_1, …)`` when the point is rational.
    point : AlgebraicPoint or None
        The exact point (``None`` for a product of block points).
    components : tuple of int or None
        For a product point, the position of each block's point in that block's list.
    """
    theta: tuple[float, ...]
    theta_box: tuple[Interval, ...]
    loss: Interval
    loss_exact: Fraction | None
    inertia: tuple[int, int, int]
    index: int | None
    kind: str
    is_global: bool | None = None
    gap: Interval | None = None
    cs: tuple[Fraction, ...] | None = None
    point: object | None = None
    components: tuple[int, ...] | None = None
    bits: int = field(default=64, repr=False)

    def to_json(self) -> dict:
        """JSON-ready dict: exact strings for enclosures, decimals for display."""
        out = {"theta": [fmt_decimal(t, 15) for t in self.theta],
               "theta_box": [[format_scalar(a), format_scalar(b)] for a, b in self.theta_box],
               "loss": (format_scalar(self.loss_exact) if self.loss_exact is not None else fmt_decimal(sum(self.loss) / 2, 15)),
               "loss_interval": [format_scalar(self.loss[0]), format_scalar(self.loss[1])],
               "loss_exact": self.loss_exact is not None,
               "index": self.index, "inertia": list(self.inertia), "kind": self.kind, "global": self.is_global,
               "gap": None if self.gap is None else [format_scalar(self.gap[0]), format_scalar(self.gap[1])]}
        if self.cs is not None:
            out["cs"] = [format_scalar(x) for x in self.cs]
        if self.point is not None and hasattr(self.point, "to_json"):
            out["point"] = self.point.to_json()
        if self.components is not None:
            out["components"] = list(self.components)
        return out

    def row(self) -> dict:
        """A flat row for :func:`qnnsym.tables.table_text`: one column ``theta_l`` per parameter (decimals;
        the JSON has the enclosures), ``loss``, ``index``, ``kind``, ``global`` (a word), ``gap``."""
        return {**{f"theta_{l + 1}": fmt_decimal(t, 8) for l, t in enumerate(self.theta)},
                "loss": format_scalar(self.loss_exact) if self.loss_exact is not None else _mid(self.loss, 12),
                "index": "-" if self.index is None else self.index,
                "kind": self.kind if self.kind != "degenerate" else f"degenerate {tuple(self.inertia)}",
                "global": global_word(self.is_global, self.kind),
                "gap": "" if self.gap is None else (format_scalar(self.gap[0]) if self.gap[0] == self.gap[1]
                                                    else _mid(self.gap, 6))}


def global_word(is_global: bool | None, kind: str) -> str:
    """Display of the global flag (tables): ``global``, ``spurious`` (a minimum above min L), ``?``, or blank."""
    return {True: "global", False: "spurious" if kind == "minimum" else "", None: "?"}[is_global]


def _mid(iv: Interval, digits: int) -> str:
    """Decimal display of a narrow enclosure (``~`` marks a rounded, inexact value)."""
    return "~" + fmt_decimal((iv[0] + iv[1]) / 2, digits)


def _coordinate_balls(point, bits: int) -> list:
    """Balls enclosing ``(c_1, s_1, …)`` (one certified evaluation of the point per precision)."""
    ivs = point.coordinate_intervals(bits)
    with precision(bits + 64):
        return [ball(lo, hi) for lo, hi in ivs]


def _enclosure(poly, balls, bits: int) -> Interval:
    """Certified rational enclosure of a ``cs`` polynomial over coordinate balls."""
    if not poly:
        return Fraction(0), Fraction(0)
    with precision(bits + 64):
        return ball_bounds(cs_enclosure(poly, balls))


def _midpoint_radius(p: int, entries: Sequence[Interval]) -> tuple[list, Fraction]:
    """Midpoint matrix ``M`` and ``‖H − M‖_F²`` bound from enclosures of the entries ``i ≤ j`` (row by row)."""
    M = [[Fraction(0)] * p for _ in range(p)]
    rad2 = Fraction(0)
    it = iter(entries)
    for i in range(p):
        for j in range(i, p):
            lo, hi = next(it)
            M[i][j] = M[j][i] = (lo + hi) / 2
            r = (hi - lo) / 2
            rad2 += r * r if i == j else 2 * r * r
    return M, rad2


def _interval_hessian(data: LossData, balls: list, bits: int) -> tuple[list, Fraction]:
    """Midpoint matrix ``M`` and a bound on ``‖H − M‖_F²`` from certified entry enclosures."""
    p = data.p
    return _midpoint_radius(p, [_enclosure(data.hessian_cs_balls[i][j], balls, bits) for i in range(p)
                                for j in range(i, p)])


def _upper_sqrt(x: Fraction, bits: int) -> Fraction:
    """A rational ``δ ≥ √x`` within ``2^-bits``."""
    scale = 1 << bits
    n = x.numerator * scale * scale
    q = -(-n // x.denominator)
    return Fraction(math.isqrt(q) + 1, scale)


def _weyl_inertia(M: list, rad2: Fraction, bits: int) -> tuple[int, int, int] | None:
    """Inertia shared by every symmetric ``H`` with ``‖H − M‖_F² ≤ rad2``, when ``M ± δI`` (``δ ≥ √rad2``)
    are both nonsingular with the same inertia (Weyl: each eigenvalue of ``H`` lies within ``δ`` of one of
    ``M``'s); else ``None``."""
    p = len(M)
    delta = _upper_sqrt(rad2, bits + 8)
    plus = [[M[i][j] + (delta if i == j else 0) for j in range(p)] for i in range(p)]
    minus = [[M[i][j] - (delta if i == j else 0) for j in range(p)] for i in range(p)]
    ip, im = rational_inertia(plus), rational_inertia(minus)
    if ip[1] == 0 and im[1] == 0 and ip[0] == im[0]:
        return ip[0], 0, p - ip[0]
    return None


def interval_inertias(data: LossData, points: Sequence, bits: int = 64) -> list[tuple[int, int, int] | None]:
    """The Hessian inertia at many points at once, where interval arithmetic decides it, else ``None``.

    The Hessian entries are enclosed at every point together in float intervals rounded outward
    (:func:`qnnsym.exact.interval_array.cs_enclosures`) over the coordinate enclosures of width
    ``2^-bits``; the midpoints and the radii then go through the same Weyl test as
    :func:`certified_inertia` (exact rationals).  ``None`` (not decided here: rational points, an
    enclosure too wide or not finite, a processor without gradual underflow) sends a point to
    :func:`certified_inertia`, whose refinements and exact signs decide every case.

    Examples
    --------
    >>> from qnnsym.critical.solve import solve_critical
    >>> L = TrigPoly(2, {(1, 0): 1, (0, 1): 2, (1, 1): Fraction(1, 3)})
    >>> data = LossData(L)
    >>> pts = solve_critical(L, backend="homotopy").real_points
    >>> interval_inertias(data, pts) == [certified_inertia(data, x)[0] for x in pts]
    True
    """
    out: list = [None] * len(points)
    todo = [k for k, x in enumerate(points) if not x.is_rational()]
    if not todo:
        return out
    ivs = [points[k].coordinate_intervals(bits) for k in todo]
    try:
        x_lo, x_hi = fraction_bounds([[lo for lo, _ in iv] for iv in ivs], [[hi for _, hi in iv] for iv in ivs])
        lo, hi = cs_enclosures(data.hessian_array, x_lo, x_hi)
    except (ArithmeticError, OverflowError):
        return out
    for col, k in enumerate(todo):
        if np.isfinite(lo[:, col]).all() and np.isfinite(hi[:, col]).all():
            entries = [(Fraction(float(a)), Fraction(float(b))) for a, b in zip(lo[:, col], hi[:, col])]
            out[k] = _weyl_inertia(*_midpoint_radius(data.p, entries), bits)
    return out


def certified_inertia(data: LossData, point, bits_schedule: Iterable[int] = BITS[:3],
                      balls: dict | None = None) -> tuple[tuple[int, int, int], str]:
    """Inertia of ``∇²_θ L`` at an :class:`AlgebraicPoint`, exactly.

    Returns
    -------
    (inertia, method)
        ``method`` is ``"rational"`` (exact rational Hessian), ``"interval"`` (Weyl bound on a
        refined box; implies ``det H ≠ 0``) or ``"exact signs"`` (charpoly coefficient signs
        decided by :meth:`AlgebraicPoint.sign`; the only way a degenerate point is reported).
        ``balls`` optionally caches coordinate balls by precision (``{bits: [balls]}``).
    """
    p = data.p
    balls = {} if balls is None else balls
    rc = point.rational_coordinates() if point.is_rational() else None
    if rc is not None:
        pairs = list(zip(rc[0::2], rc[1::2]))
        M = [[Fraction(data.hessian[i][j].evaluate_cs(pairs)) for j in range(p)] for i in range(p)]
        return rational_inertia(M), "rational"
    for bits in bits_schedule:
        if bits not in balls:
            balls[bits] = _coordinate_balls(point, bits)
        got = _weyl_inertia(*_interval_hessian(data, balls[bits], bits), bits)
        if got is not None:
            return got, "interval"
    e = data.charpoly_cs()
    signs = [point.sign(e[k]) * (-1) ** k if e[k] else 0 for k in range(p + 1)]
    # det(tI − H) = Σ_k (−1)^k e_k t^{p−k}: coefficient of t^j is (−1)^{p−j} e_{p−j}
    return inertia_from_charpoly(signs[::-1]), "exact signs"


def _loss_value(data: LossData, point, bits: int, balls: list | None = None) -> tuple[Interval, Fraction | None]:
    """Certified loss enclosure and, when proven, the exact rational value."""
    if point.is_rational():
        rc = point.rational_coordinates()
        v = Fraction(data.loss.evaluate_cs(list(zip(rc[0::2], rc[1::2]))))
        return (v, v), v
    lo, hi = _enclosure(data.cs_balls, balls if balls is not None else _coordinate_balls(point, bits), bits)
    guess = ((lo + hi) / 2).limit_denominator(1 << 20)
    if lo <= guess <= hi and getattr(point, "proves_zero", True):
        shifted = dict(data.cs)
        z = (0,) * (2 * data.loss.p)
        shifted[z] = shifted.get(z, 0) - guess
        shifted = {k: v for k, v in shifted.items() if v != 0}
        if not shifted or point.sign(shifted) == 0:
            return (guess, guess), guess
    return (lo, hi), None


def _theta_box(point, balls: list | None, bits: int) -> tuple[Interval, ...]:
    """Enclosures of ``θ_l = atan2(s_l, c_l)/ω_l ∈ [0, 2π/ω_l)`` from the coordinate balls.

    Falls back to :meth:`AlgebraicPoint.theta_intervals` when a ball of ``s_l`` contains 0 and
    ``s_l ≠ 0`` (the branch of ``atan2`` is then not decided by the balls).
    """
    if balls is None:
        with precision(bits + 64):
            balls = [ball(x) for x in point.rational_coordinates()]
    out = []
    for l in range(point.p):
        c, s = balls[2 * l], balls[2 * l + 1]
        with precision(bits + 64):
            if s > 0 or s < 0:
                ang = flint.arb.atan2(s, c)
                if s < 0:
                    ang += 2 * flint.arb.pi()
            else:
                key = tuple(int(j == 2 * l + 1) for j in range(2 * point.p))
                if point.sign({key: 1}) != 0:
                    return tuple(point.theta_intervals(bits))
                ang = flint.arb(0) if c > 0 else flint.arb.pi()     # s = 0 exactly: c = ±1
            out.append(ball_bounds(ang / point.omega[l]))
    return tuple((max(lo, Fraction(0)), hi) for lo, hi in out)


def classify_point(data: LossData, point, bits: int = 64,
                   inertia: tuple[int, int, int] | None = None) -> ClassifiedPoint:
    """Classify one real critical point (global status is set later by :func:`mark_global`).

    Parameters
    ----------
    data : LossData
        The loss (``LossData(loss)``), shared between points.
    point : AlgebraicPoint
        A real solution of the cs system of this loss.
    bits : int
        Width ``2^-bits`` of the reported θ and loss enclosures.
    inertia : (int, int, int), optional
        The Hessian's inertia when already certified (:func:`interval_inertias`); else it is decided
        here (:func:`certified_inertia`).

    Returns
    -------
    ClassifiedPoint
    """
    if point.p != data.loss.p:
        raise ValidationError("point", f"has p = {point.p}", expected=f"a point of the loss's system (p = {data.loss.p})")
    balls = {} if point.is_rational() else {bits: _coordinate_balls(point, bits)}
    if inertia is None:
        inertia, _ = certified_inertia(data, point, balls=balls)
    index = inertia[0] if inertia[1] == 0 else None
    loss_iv, exact = _loss_value(data, point, bits, balls.get(bits))
    box = _theta_box(point, balls.get(bits), bits)
    box = box[:data.p]                    # pinned parameters (LossData.free) are not reported
    theta = tuple(float((a + b) / 2) for a, b in box)
    return ClassifiedPoint(theta=theta, theta_box=box, loss=loss_iv, loss_exact=exact, inertia=inertia, index=index,
                           kind=kind_of(index, data.p),
                           cs=tuple(point.rational_coordinates()) if point.is_rational() else None, point=point, bits=bits)


def mark_global(points: list[ClassifiedPoint], data: LossData | None = None, complete: bool = True,
                bits_schedule: Iterable[int] = BITS[1:]) -> Interval | None:
    """Decide global vs spurious and set each point's certified gap (in place).

    The global minimum of ``L`` on the torus is its smallest critical value, so when the list is
    ``complete`` a point is global iff its value equals the least one.  Overlapping enclosures are
    refined (``bits_schedule``); values still not separated and not both exact stay undecided
    (``is_global = None``) rather than guessed.  For an incomplete list only "spurious" (strictly
    above a found value) is certain.

    Returns
    -------
    (Fraction, Fraction) or None
        Enclosure of the least critical value (``None`` for an empty list).
    """
    if not points:
        return None
    schedule = list(bits_schedule)

    def refine(cp: ClassifiedPoint) -> bool:
        if cp.loss_exact is not None or cp.point is None or data is None or not schedule:
            return False
        nxt = [b for b in schedule if b > cp.bits]
        if not nxt:
            return False
        try:
            cp.loss, cp.loss_exact = _loss_value(data, cp.point, nxt[0])
        except ValueError:        # no finite enclosure at this precision (a box point that cannot refine)
            cp.bits = schedule[-1]
            return False
        cp.bits = nxt[0]
        return True

    while True:
        best_hi = min(cp.loss[1] for cp in points)
        cands = [cp for cp in points if cp.loss[0] <= best_hi]
        if len(cands) == 1 or all(cp.loss_exact is not None for cp in cands):
            break
        if not any([refine(cp) for cp in cands if cp.loss_exact is None]):
            break
    best_hi = min(cp.loss[1] for cp in points)
    cands = [cp for cp in points if cp.loss[0] <= best_hi]
    vmin = (min(cp.loss[0] for cp in points), best_hi)
    exact_min = None
    if all(cp.loss_exact is not None for cp in cands):
        exact_min = min(cp.loss_exact for cp in cands)
        vmin = (exact_min, exact_min)
    for cp in points:
        cp.gap = (max(Fraction(0), cp.loss[0] - vmin[1]), cp.loss[1] - vmin[0])
        if cp.loss[0] > vmin[1]:
            cp.is_global = False
        elif not complete:
            cp.is_global = None
        elif exact_min is not None:
            cp.is_global = cp.loss_exact == exact_min
            if cp.is_global:
                cp.gap = (Fraction(0), Fraction(0))
        elif len(cands) == 1:
            cp.is_global = True
            cp.gap = (Fraction(0), Fraction(0))
        else:
            cp.is_global = None
    return vmin


def _classified(data: LossData, points: Sequence, bits: int, progress: bool, chunk: range) -> list[ClassifiedPoint]:
    """:func:`classify_point` over ``points[chunk]``, the inertias batched first (:func:`interval_inertias`)."""
    pts = [points[k] for k in chunk]
    inertias = interval_inertias(data, pts, bits)
    it = zip(pts, inertias)
    if progress and len(pts) > 20:
        from tqdm import tqdm

        it = tqdm(it, total=len(pts), desc="classify", unit="pt", leave=False)
    return [classify_point(data, x, bits, inertia=i) for x, i in it]


def classify_points(loss: TrigPoly | LossData, points: Sequence, complete: bool = True, bits: int = 64,
                    progress: bool = False, workers: int | None = None) -> list[ClassifiedPoint]:
    """Classify every point and mark global/spurious (see :func:`classify_point`, :func:`mark_global`).

    ``workers > 1`` splits the points into that many contiguous chunks (of at least :data:`MIN_CHUNK`
    points) classified by forked local processes (:class:`qnnsym.executor.LocalExecutor`); every point
    is classified by the same code whatever the split, so the result does not depend on ``workers``.
    """
    from functools import partial

    from ..executor import LocalExecutor, check_workers

    data = loss if isinstance(loss, LossData) else LossData(loss)
    n = len(points)
    w = min(check_workers(workers or 1, "workers"), -(-n // MIN_CHUNK) or 1)
    if w == 1:
        out = _classified(data, points, bits, progress, range(n))
    else:
        data.hessian_array                      # prepared once, inherited by the forked workers
        chunks = [range(k * n // w, (k + 1) * n // w) for k in range(w)]
        with LocalExecutor(w) as ex:
            parts = ex.map(partial(_classified_fields, data, points, bits), chunks)
        out = [ClassifiedPoint(**f, point=points[k]) for ch, part in zip(chunks, parts) for k, f in zip(ch, part)]
    mark_global(out, data, complete)
    return out


def _classified_fields(data: LossData, points: Sequence, bits: int, chunk: range) -> list[dict]:
    """:func:`_classified` in a worker process: the fields of each point without the point itself (the
    parent keeps its own point objects, so they are not copied back)."""
    return [{k: getattr(cp, k) for k in ("theta", "theta_box", "loss", "loss_exact", "inertia", "index", "kind", "cs",
                                          "bits")} for cp in _classified(data, points, bits, False, chunk)]


def morse_checks(counts_by_index: dict[int, int], p: int) -> dict:
    """Torus consistency checks for a Morse function (no degenerate point).

    Returns
    -------
    dict
        ``euler_characteristic`` = ``Σ_k (−1)^k n_k`` (must be 0 = χ(T^p)), ``euler_ok``,
        ``morse_inequalities_ok`` (``n_k ≥ C(p, k)`` for all k) and the failing ``k``.

    Examples
    --------
    >>> morse_checks({0: 2, 1: 4, 2: 2}, 2)["euler_ok"]
    True
    >>> morse_checks({0: 1, 1: 1}, 2)["morse_inequalities_ok"]
    False
    """
    chi = sum((-1) ** k * n for k, n in counts_by_index.items())
    bad = [k for k in range(p + 1) if counts_by_index.get(k, 0) < math.comb(p, k)]
    return {"euler_characteristic": chi, "euler_ok": chi == 0, "morse_inequalities_ok": not bad,
            "morse_inequalities_failing": bad}
