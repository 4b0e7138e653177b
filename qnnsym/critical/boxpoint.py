"""A real critical point known by a certified box (the *numeric* level, docs/math.md "Certification levels";
:class:`ExhaustionPoint`: the level ``certified (real exhaustion)``).

:class:`BoxPoint` is what the homotopy backend returns for each real solution: a real polydisc
``|t_j − m_j| ≤ r`` in the rotated tan chart (``t_j = tan(φ'_j/2)``, ``φ_j = φ'_j + a``) in which the
Krawczyk test (:func:`qnnsym.exact.krawczyk.krawczyk`) proved exactly one zero of the exact tan
system.  It offers the interface :mod:`.classify` uses (coordinate enclosures at a requested
precision, θ enclosures, signs of polynomials when an enclosure decides them), so classification
is the same code as for exact points.  Finer enclosures are obtained by Newton steps and a Krawczyk
proof in python-flint ``arb`` arithmetic inside the certified box.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import numpy as np

from ..exact.interval import ball, ball_bounds, cs_enclosure, krawczyk_unique_zero, precision, trig_enclosure
from ..exact.trigpoly import TrigPoly

__all__ = ["BoxPoint", "ExhaustionPoint"]


def _poly_arb(T: np.ndarray, xs, deriv: int | None = None):
    """Value (or ``∂/∂t_deriv``) of an integer tensor polynomial at arb arguments (Horner, last axis first)."""
    p = T.ndim
    def rec(A, j):
        if j == p:
            return flint.arb(int(A))
        K = A.shape[0]
        if deriv == j:
            acc = flint.arb(0)
            for k in range(K - 1, 0, -1):
                acc = acc * xs[j] + k * rec(A[k], j + 1)
            return acc
        acc = flint.arb(0)
        for k in range(K - 1, -1, -1):
            acc = acc * xs[j] + rec(A[k], j + 1)
        return acc
    return rec(T, 0)


class _EnclosedPoint:
    """What both kinds of certified box point share: signs decided from enclosures (``value_interval``)."""

    #: :meth:`sign` never returns 0 for a nonzero polynomial (classification skips exactness tests)
    proves_zero = False

    def sign(self, cs_poly: dict) -> int | None:
        """The sign of a cs polynomial at the point when the certified box decides it, else ``None``.

        A box point never proves a polynomial *vanishes* there (no exact arithmetic on the point):
        ``None`` means "not decided", and callers keep enclosures instead of exact values.
        """
        if not cs_poly:
            return 0
        lo, hi = self.value_interval(cs_poly, 64)
        return 1 if lo > 0 else (-1 if hi < 0 else None)


@dataclass(eq=False)
class BoxPoint(_EnclosedPoint):
    """A real solution of the tan system certified in a box.

    Attributes
    ----------
    p, omega : int, tuple of int
    t_mid : tuple of float
        Real centre of the certified polydisc (rotated tan chart).
    radius : float
        Its radius (Krawczyk-certified: exactly one zero inside).
    rotation : (Fraction, Fraction)
        ``(cos a, sin a)`` of the chart rotation.
    tensors : tuple of numpy.ndarray
        The exact integer tan system (for refinements).
    box_index : int
        Position of the box in the block's certified box list.
    chart : tuple of bool
        ``True`` where the coordinate is ``u_j = 1/t_j`` (the box is ``|u_j − m_j| ≤ r``, ``0`` outside it).
    """

    p: int
    omega: tuple[int, ...]
    t_mid: tuple[float, ...]
    radius: float
    rotation: tuple[Fraction, Fraction]
    tensors: tuple = field(repr=False)
    box_index: int = 0
    chart: tuple[bool, ...] = ()
    _cache: dict = field(default_factory=dict, repr=False)

    def is_rational(self) -> bool:
        return False

    def rational_coordinates(self):
        return None

    def t_intervals(self, bits: int = 64) -> list[tuple[Fraction, Fraction]]:
        """Certified enclosures of ``t_j``: the box itself, or a Krawczyk-refined one of width ``≤ 2^-bits``."""
        base = self._base()
        if bits <= 64 or all(hi - lo <= Fraction(1, 2 ** bits) for lo, hi in base):
            return base
        if bits not in self._cache:
            self._cache[bits] = self._refine(bits) or base
        return self._cache[bits]

    def _base(self) -> list[tuple[Fraction, Fraction]]:
        """The certified box as intervals of ``t`` (an inverted coordinate's interval is mapped by ``1/u``)."""
        r = Fraction(self.radius)
        out = []
        for j, m in enumerate(self.t_mid):
            lo, hi = Fraction(m) - r, Fraction(m) + r
            if self.chart and self.chart[j]:
                lo, hi = sorted((1 / hi, 1 / lo))        # 0 ∉ [lo, hi] (checked by the Krawczyk test)
            out.append((lo, hi))
        return out

    def _refine(self, bits: int):
        """Newton in arb from the centre, then a Krawczyk proof on a box of width 2^-bits inside the base box."""
        p, T = self.p, self.tensors
        prec = bits + 64
        with precision(prec):
            x = [ball((lo + hi) / 2) for lo, hi in self._base()]
            for _ in range(2 + int(np.log2(max(bits, 2)))):
                F = [_poly_arb(T[l], x) for l in range(p)]
                J = flint.arb_mat([[_poly_arb(T[l], x, j) for j in range(p)] for l in range(p)])
                try:
                    d = J.solve(flint.arb_mat([[f] for f in F]))
                except (ZeroDivisionError, ValueError):
                    return None
                x = [flint.arb((x[i] - d[i, 0]).mid()) for i in range(p)]
            rad = flint.arb(2) ** (-(bits + 2))
            X = [ball(_arb_mid_fraction(xi)) + flint.arb(0, rad) for xi in x]
            F = [_poly_arb(T[l], x) for l in range(p)]
            JX = [[_poly_arb(T[l], X, j) for j in range(p)] for l in range(p)]
            Jm = np.array([[float(_poly_arb(T[l], x, j).mid()) for j in range(p)] for l in range(p)])
            try:
                Yf = np.linalg.inv(Jm)
            except np.linalg.LinAlgError:
                return None
            Y = [[ball(Fraction(float(Yf[i, j]))) for j in range(p)] for i in range(p)]
            for i in range(p):
                k = x[i] - sum((Y[i][j] * F[j] for j in range(p)), flint.arb(0))
                for j in range(p):
                    a = flint.arb(int(i == j)) - sum((Y[i][m] * JX[m][j] for m in range(p)), flint.arb(0))
                    k += a * (X[j] - x[j])
                if not X[i].contains_interior(k):
                    return None
            out = [ball_bounds(Xi) for Xi in X]
        base = self._base()
        # the refined box must lie in the certified one, so its unique zero is the same point
        if not all(b[0] <= o[0] and o[1] <= b[1] for o, b in zip(out, base)):
            return None
        return out

    def _cs_balls(self, bits: int):
        ca, sa = ball(self.rotation[0]), ball(self.rotation[1])
        out = []
        for lo, hi in self.t_intervals(bits):
            t = ball(lo, hi)
            den = 1 + t * t
            c1, s1 = (1 - t * t) / den, 2 * t / den
            out += [ca * c1 - sa * s1, sa * c1 + ca * s1]
        return out

    def coordinate_intervals(self, bits: int = 64) -> list[tuple[Fraction, Fraction]]:
        """Enclosures of ``(c_1, s_1, …, c_p, s_p)``."""
        with precision(max(bits, 64) + 64):
            return [ball_bounds(b) for b in self._cs_balls(bits)]

    def value_interval(self, cs_poly: dict, bits: int = 64) -> tuple[Fraction, Fraction]:
        with precision(max(bits, 64) + 64):
            return ball_bounds(cs_enclosure(cs_poly, self._cs_balls(bits)))

    def theta_intervals(self, bits: int = 64) -> list[tuple[Fraction, Fraction]]:
        """``θ_l = (2·atan t_l + a)/ω_l`` moved into ``[0, 2π/ω_l)`` (by the centre's period)."""
        out = []
        with precision(max(bits, 64) + 64):
            a = flint.arb.atan2(ball(self.rotation[1]), ball(self.rotation[0]))
            for (lo, hi), w in zip(self.t_intervals(bits), self.omega):
                th = (2 * flint.arb.atan(ball(lo, hi)) + a) / w
                per = 2 * flint.arb.pi() / w
                k = int(np.floor(float(th.mid()) / float(per.mid())))
                out.append(ball_bounds(th - k * per))
        return out

    def approx(self) -> np.ndarray:
        """Decimal ``θ`` (display only)."""
        return np.array([float((lo + hi) / 2) for lo, hi in self.theta_intervals()])

    def to_json(self) -> dict:
        return {"box": self.box_index}


def _arb_mid_fraction(x: flint.arb) -> Fraction:
    m, e = x.mid().man_exp()
    return Fraction(int(m)) * (Fraction(2) ** int(e))


@dataclass(eq=False)
class ExhaustionPoint(_EnclosedPoint):
    """A real critical point known by a Krawczyk box in turns ``u_l = ω_l θ_l / 2π`` (level
    ``certified (real exhaustion)``); the interface :mod:`.classify` uses (like
    :class:`~qnnsym.critical.boxpoint.BoxPoint`).

    ``centre``/``radius`` are floats (exact dyadics); finer enclosures come from an arb Newton step and
    :func:`~qnnsym.exact.interval.krawczyk_unique_zero` on a θ box inside the certified one.
    """

    p: int
    omega: tuple[int, ...]
    centre: tuple[float, ...]
    radius: tuple[float, ...]
    loss: TrigPoly = field(repr=False)
    index_in_cover: int = 0
    _cache: dict = field(default_factory=dict, repr=False)

    def is_rational(self) -> bool:
        return False

    def rational_coordinates(self):
        return None

    def _theta_balls(self, bits: int) -> list:
        """Balls of ``θ_l`` (the certified box, or a refined one at ``bits`` ≥ 40)."""
        box = self._refined(bits) if bits > 40 else None
        if box is not None:
            return [ball(lo, hi) for lo, hi in box]
        out = []
        for c, r, w in zip(self.centre, self.radius, self.omega):
            u = ball(Fraction(c) - Fraction(r), Fraction(c) + Fraction(r))
            out.append(2 * flint.arb.pi() * u / w)
        return out

    def _refined(self, bits: int):
        if bits in self._cache:
            return self._cache[bits]
        grads = self._cache.setdefault("grads", self.loss.gradient_polys())
        hess = self._cache.setdefault("hess", [[g.derivative(j) for j in range(self.p)] for g in grads])
        out = None
        with precision(bits + 64):
            base = [2 * flint.arb.pi() * ball(Fraction(c) - Fraction(r), Fraction(c) + Fraction(r)) / w
                    for c, r, w in zip(self.centre, self.radius, self.omega)]
            x = [flint.arb(b.mid()) for b in base]
            for _ in range(3 + int(math.log2(max(bits, 2)))):
                F = flint.arb_mat([[trig_enclosure(g, x)] for g in grads])
                J = flint.arb_mat([[trig_enclosure(h, x) for h in row] for row in hess])
                try:
                    d = J.solve(F)
                except (ZeroDivisionError, ValueError):
                    break
                x = [flint.arb((x[i] - d[i, 0]).mid()) for i in range(self.p)]
            rad = Fraction(1, 2 ** (bits + 2))
            box = [(_arb_mid_fraction(xi) - rad, _arb_mid_fraction(xi) + rad) for xi in x]
            if all(b.contains(ball(lo, hi)) for b, (lo, hi) in zip(base, box)) and \
                    krawczyk_unique_zero(grads, hess, box, bits=bits + 64):
                out = box
        self._cache[bits] = out
        return out

    def coordinate_intervals(self, bits: int = 64) -> list[tuple[Fraction, Fraction]]:
        """Enclosures of ``(c_1, s_1, …)`` = ``(cos ω_lθ_l, sin ω_lθ_l)``."""
        with precision(max(bits, 64) + 64):
            out = []
            for th, w in zip(self._theta_balls(bits), self.omega):
                out += [ball_bounds((w * th).cos()), ball_bounds((w * th).sin())]
            return out

    def value_interval(self, cs_poly: dict, bits: int = 64) -> tuple[Fraction, Fraction]:
        with precision(max(bits, 64) + 64):
            balls = [ball(lo, hi) for lo, hi in self.coordinate_intervals(bits)]
            return ball_bounds(cs_enclosure(cs_poly, balls))

    def theta_intervals(self, bits: int = 64) -> list[tuple[Fraction, Fraction]]:
        """Enclosures of ``θ_l``, moved into ``[0, 2π/ω_l)`` by the centre's period."""
        out = []
        with precision(max(bits, 64) + 64):
            for th, w in zip(self._theta_balls(bits), self.omega):
                per = 2 * flint.arb.pi() / w
                k = math.floor(float(th.mid()) / float(per.mid()))
                out.append(ball_bounds(th - k * per))
        return out

    def approx(self) -> np.ndarray:
        """Decimal θ (display only)."""
        return np.array([float((lo + hi) / 2) for lo, hi in self.theta_intervals()])

    def to_json(self) -> dict:
        return {"point": self.index_in_cover}
