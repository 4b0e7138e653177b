"""Exact real critical points: algebraic points given by rational coordinates or an RUR (Sect. 5).

A real solution of the cs system (Sect. 5, ``c_l = cos φ_l``, ``s_l = sin φ_l``, ``φ_l = ω_l θ_l``)
is an :class:`AlgebraicPoint`: either all ``2p`` coordinates are rational, or it is given by a
*rational univariate representation* (RUR):

* a square-free eliminant ``q(u) ∈ Z[u]`` (coefficients low → high),
* coordinates ``x_i = N_i(u) / D(u)`` with ``N_i, D ∈ Q[u]`` (``D = 1`` for a shape-position
  lex basis, ``D = q'`` for msolve's parametrization), ``D`` non-zero at the root,
* an isolating interval ``[lo, hi]`` (``Fraction``) with ``q(lo)·q(hi) < 0`` containing exactly
  one real root of ``q`` (certified when the point is built).

Signs of polynomials in ``(c, s)`` at a point are decided **exactly**: a non-zero sign by interval
arithmetic (python-flint ``arb``) on a refined isolating interval, a zero by exact reduction modulo
``q`` (``gcd`` with the eliminant).  This is what the classification (Hessian index, degenerate
points) builds on.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import flint
import numpy as np

from ..errors import CertificateError, ValidationError
from ..exact.interval import ball_power
from .rootisolation import _arb_bounds, _short_dyadic, _sign_variations, isolate_real_roots

__all__ = ['AlgebraicPoint', 'points_json', 'real_points_from_rur', 'substitute_rur']

CsPoly = Mapping[tuple[int, ...], object]


# --- small exact helpers ---------------------------------------------------------------------------

def _fq(x) -> flint.fmpq:
    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def _frac(x) -> Fraction:
    return Fraction(int(x.p), int(x.q)) if isinstance(x, flint.fmpq) else Fraction(int(x))


def _qpoly(coeffs: Sequence) -> flint.fmpq_poly:
    return flint.fmpq_poly([_fq(c) for c in coeffs])


def _arb(x: Fraction) -> flint.arb:
    """A ball containing the rational ``x``."""
    return flint.arb(_fq(x))


def _sign_at(poly: flint.fmpq_poly, x: Fraction) -> int:
    """Exact sign of ``poly(x)``: ball arithmetic first (cheap), exact rational evaluation if undecided."""
    xq = _fq(x)
    old = flint.ctx.prec
    try:
        for prec in (128, 512, 2048, 8192):
            flint.ctx.prec = prec
            v = flint.arb_poly(poly)(flint.arb(xq))
            if v > 0:
                return 1
            if v < 0:
                return -1
    finally:
        flint.ctx.prec = old
    v = poly(xq)
    return (v > 0) - (v < 0)


class _Prec:
    """Temporarily raise python-flint's working precision."""

    def __init__(self, bits: int):
        self.bits = bits

    def __enter__(self):
        self.old = flint.ctx.prec
        flint.ctx.prec = max(self.old, self.bits)

    def __exit__(self, *exc):
        flint.ctx.prec = self.old


def _monomial_key_check(key: tuple[int, ...], p: int) -> None:
    if len(key) != 2 * p:
        raise ValidationError("cs_poly", f"exponent key {key} has length {len(key)}",
                              expected=f"length 2p = {2 * p} (a_1, b_1, …, a_p, b_p) like TrigPoly.cs_terms()")


# --- the point ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AlgebraicPoint:
    """One real solution ``(c_1, s_1, …, c_p, s_p)`` of the cs system, represented exactly.

    Either ``coords`` (all rational) or the RUR fields ``eliminant``, ``numerators``,
    ``denominator`` (``None`` = 1), ``interval`` are set (see the module docstring).
    ``linear_form`` (integers ``λ`` with ``u = Σ λ_i x_i``) is kept as evidence.

    Parameters
    ----------
    p : int
        Number of parameters.
    omega : tuple of int
        Base frequency per parameter, ``φ_l = ω_l θ_l`` (2 for two-level gates).

    Examples
    --------
    A rational point (``φ = 0`` and ``φ = π/2``):

    >>> pt = AlgebraicPoint(2, (2, 2), coords=(Fraction(1), Fraction(0), Fraction(0), Fraction(1)))
    >>> pt.sign({(1, 0, 0, 0): 1, (0, 0, 0, 1): -1})            # c_1 - s_2 = 0 exactly
    0
    >>> [round(float(t), 6) for t in pt.approx()]
    [0.0, 0.785398]

    An algebraic one, ``c = s = 1/√2`` through ``q(u) = 2u² - 1`` with ``c = s = u``:

    >>> pt = AlgebraicPoint(1, (2,), eliminant=(-1, 0, 2), numerators=((Fraction(0), Fraction(1)),) * 2,
    ...                     interval=(Fraction(1, 2), Fraction(1)))
    >>> pt.sign({(2, 0): 1, (0, 1): -1})                            # c² - s < 0 at c = s = 0.7071
    -1
    >>> pt.sign({(2, 0): 2, (0, 0): -1})                            # 2c² - 1 = 0 exactly
    0
    >>> lo, hi = pt.theta_intervals(bits=30)[0]
    >>> abs(float(lo) - 0.39269908) < 1e-8 and hi - lo < Fraction(1, 2**30)
    True
    """

    p: int
    omega: tuple[int, ...]
    coords: tuple[Fraction, ...] | None = None
    eliminant: tuple[int, ...] | None = None
    numerators: tuple[tuple[Fraction, ...], ...] | None = None
    denominator: tuple[Fraction, ...] | None = None
    interval: tuple[Fraction, Fraction] | None = None
    linear_form: tuple[int, ...] | None = None
    _cache: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "omega", tuple(int(w) for w in self.omega))
        if len(self.omega) != self.p:
            raise ValidationError("omega", f"length {len(self.omega)}", expected=f"{self.p} base frequencies")
        if self.coords is not None:
            object.__setattr__(self, "coords", tuple(Fraction(x) for x in self.coords))
            if len(self.coords) != 2 * self.p:
                raise ValidationError("coords", f"{len(self.coords)} values", expected=f"2p = {2 * self.p}")
            return
        if self.eliminant is None or self.numerators is None or self.interval is None:
            raise ValidationError("AlgebraicPoint", "neither rational coords nor a complete RUR given",
                                  fix="pass coords=... or eliminant=, numerators=, interval=")
        if len(self.numerators) != 2 * self.p:
            raise ValidationError("numerators", f"{len(self.numerators)} polynomials", expected=f"2p = {2 * self.p}")
        object.__setattr__(self, "eliminant", tuple(int(c) for c in self.eliminant))
        if not all(type(c) is Fraction for n in self.numerators for c in n[:1]):
            object.__setattr__(self, "numerators", tuple(tuple(Fraction(c) for c in n) for n in self.numerators))
        if self.denominator is not None:
            object.__setattr__(self, "denominator", tuple(Fraction(c) for c in self.denominator))
        lo, hi = (Fraction(x) for x in self.interval)
        object.__setattr__(self, "interval", (lo, hi))
        q = self._q
        if lo > hi or (lo == hi and q(_fq(lo)) != 0) or (lo < hi and _sign_at(q, lo) * _sign_at(q, hi) >= 0):
            raise CertificateError(f"interval [{lo}, {hi}] does not isolate a simple root of the eliminant "
                                   "(need q(lo)·q(hi) < 0)")
        if self._exact_sign_poly(self._cache["D"]) == 0:
            raise CertificateError("the parametrization's denominator vanishes at the root")

    # --- internal representation ---
    @property
    def _q(self) -> flint.fmpq_poly:
        if "iv" not in self._cache:
            self._cache["iv"] = self.interval
        if "q" not in self._cache:
            self._cache["q"] = flint.fmpq_poly([int(c) for c in self.eliminant])
            self._cache["N"] = [_qpoly(n) for n in self.numerators]
            self._cache["D"] = _qpoly(self.denominator) if self.denominator is not None else flint.fmpq_poly([1])
            self._cache["iv"] = self.interval
        return self._cache["q"]

    def _height(self) -> int:
        """Bits of the largest coefficient in ``q``, ``N_i``, ``D`` (guides the working precision)."""
        if "height" not in self._cache:
            polys = [self._q, self._cache["D"], *self._cache["N"]]
            self._cache["height"] = max(max((abs(int(c)).bit_length() for c in P.numer().coeffs()), default=1)
                                        + int(P.denom()).bit_length() for P in polys)
        return self._cache["height"]

    def _refine(self, bits: int) -> tuple[Fraction, Fraction]:
        """Shrink the isolating interval below width ``2^-bits`` (cached).

        Interval Newton in ball arithmetic, ``N(X) = m − q(m)/q'(X) ∩ X``, which keeps the root
        (mean value theorem) and converges quadratically; exact-sign bisection where it stalls.
        """
        self._q
        lo, hi = self._cache["iv"]
        if lo == hi:
            return lo, hi
        target = Fraction(1, 2 ** bits)
        if hi - lo < target:
            return lo, hi
        tight = self._cache.get("tight")  # a certified ball from flint's root isolation, inside [lo, hi]
        if tight is not None and tight[1] - tight[0] < hi - lo:
            lo, hi = tight
        q = self._q
        dq = q.derivative()
        slo = _sign_at(q, lo)
        while hi - lo >= target:
            width = hi - lo
            prec = 2 * max(bits, width.denominator.bit_length() - width.numerator.bit_length() + 1) \
                + self._height() + 64
            with _Prec(prec):
                mid = _short_dyadic(lo + width / 4, hi - width / 4)
                X = _arb(lo).union(_arb(hi))
                d = flint.arb_poly(dq)(X)
                if not (d > 0 or d < 0):
                    d = None
                else:
                    Nx = _arb(mid) - flint.arb_poly(q)(_arb(mid)) / d
                    a, b = _arb_bounds(Nx)
                    lo, hi = max(lo, a), min(hi, b)
            if d is None or hi - lo > width / 2:   # Newton stalled: one exact bisection step
                mid = (lo + hi) / 2
                sm = _sign_at(q, mid)
                if sm == 0:
                    lo = hi = mid
                    break
                if sm == slo:
                    lo = mid
                else:
                    hi = mid
            if lo > hi:
                raise CertificateError("interval Newton lost the root (inconsistent isolating interval)")
        self._cache["iv"] = (lo, hi)
        return lo, hi

    def _eval_ball(self, poly: flint.fmpq_poly, bits: int) -> flint.arb:
        lo, hi = self._refine(bits)
        with _Prec(bits + 64):
            u = _arb(lo).union(_arb(hi)) if lo != hi else _arb(lo)
            return _ball_poly(poly, u)

    def _exact_sign_poly(self, poly: flint.fmpq_poly) -> int:
        """Exact sign at the root of a polynomial in ``u``: interval evaluation first, zero via gcd with q."""
        q = self._q
        r = poly % q if poly.degree() >= q.degree() else poly
        if r.is_zero():
            return 0
        lo, hi = self._cache["iv"]
        if lo == hi:
            v = r(_fq(lo))
            return (v > 0) - (v < 0)
        for bits in (32, 64, 128):
            b = self._eval_ball(r, bits)
            if b > 0:
                return 1
            if b < 0:
                return -1
        g = r.gcd(q)
        if g.degree() > 0 and _sign_at(g, self._cache["iv"][0]) * _sign_at(g, self._cache["iv"][1]) < 0:
            return 0
        bits = 256
        while True:
            b = self._eval_ball(r, bits)
            if b > 0:
                return 1
            if b < 0:
                return -1
            bits *= 2

    def _composed(self, cs_poly: CsPoly):
        self._q
        return substitute_rur(cs_poly, self.p, self._q, self._cache["N"], self._cache["D"])

    # --- public API ---
    def is_rational(self) -> bool:
        """True when every coordinate is rational (stored exactly in ``coords``)."""
        return self.coords is not None

    def rational_coordinates(self) -> tuple[Fraction, ...] | None:
        """``(c_1, s_1, …)`` as Fractions, or None for an irrational point."""
        return self.coords

    def coordinate_intervals(self, bits: int = 64) -> list[tuple[Fraction, Fraction]]:
        """Certified enclosures of ``c_1, s_1, …, c_p, s_p``, each of width < ``2^-bits``.

        All coordinates come from one ball evaluation of the parametrization per working precision
        (which starts above the coefficients' bit size), cached per ``bits``.
        """
        if self.coords is not None:
            return [(x, x) for x in self.coords]
        key = ("coordinates", bits)
        if key not in self._cache:
            self._q
            N, D = self._cache["N"], self._cache["D"]
            target = Fraction(1, 2 ** bits)
            work = bits + 16 + self._height()
            root_bits = bits + 16
            while True:
                lo, hi = self._refine(root_bits)
                with _Prec(work + 64):
                    u = _arb(lo).union(_arb(hi)) if lo != hi else _arb(lo)
                    d = _ball_poly(D, u)
                    xs = [_ball_poly(n, u) / d for n in N]
                    ivs = [_arb_bounds(x) for x in xs] if all(x.is_finite() for x in xs) else None
                if ivs is not None and all(b - a < target for a, b in ivs):
                    self._cache[key] = ivs
                    break
                root_bits *= 2            # a steep parametrization needs a narrower root enclosure
                work *= 2
                if work > 1 << 18:
                    raise CertificateError("interval refinement did not converge")
        return list(self._cache[key])

    def value_interval(self, cs_poly: CsPoly, bits: int = 64) -> tuple[Fraction, Fraction]:
        """Certified enclosure (width < ``2^-bits``) of a polynomial in ``(c, s)`` at this point.

        ``cs_poly`` is ``{(a_1, b_1, …, a_p, b_p): coefficient}`` as from ``TrigPoly.cs_terms()``.
        """
        if self.coords is not None:
            v = _eval_rational(cs_poly, self.coords, self.p)
            return v, v
        self._q  # fills the cache
        N, D = self._cache["N"], self._cache["D"]
        target = Fraction(1, 2 ** bits)
        work = bits + self._height() + 16
        while True:
            with _Prec(work + 64):
                have = self._cache.get("xs")  # coordinate balls, reused by every query at ≤ this precision
                if have is None or have[0] < work:
                    lo, hi = self._refine(work)
                    u = _arb(lo).union(_arb(hi)) if lo != hi else _arb(lo)
                    den = _ball_poly(D, u)
                    self._cache["xs"] = have = (work, [_ball_poly(n, u) / den for n in N])
                xs = have[1]
                val = flint.arb(0)
                for mono, coef in cs_poly.items():
                    _monomial_key_check(mono, self.p)
                    t = flint.arb(_fq(coef))
                    for i, e in enumerate(mono):
                        if e:
                            t *= ball_power(xs[i], e)
                    val += t
                if val.is_finite():
                    a, b = _arb_bounds(val)
                    if b - a < target:
                        return a, b
            work *= 2
            if work > 1 << 16:
                raise CertificateError("interval refinement did not converge")

    def sign(self, cs_poly: CsPoly) -> int:
        """Exact sign (-1, 0, +1) of a polynomial in ``(c, s)`` at this point.

        Zero is decided exactly (rational arithmetic, or reduction modulo the eliminant and a gcd);
        a non-zero sign by interval refinement, which then always terminates.
        """
        if self.coords is not None:
            v = _eval_rational(cs_poly, self.coords, self.p)
            return (v > 0) - (v < 0)
        # fast path: a coarse enclosure that excludes 0
        lo, hi = self.value_interval(cs_poly, 24)
        if lo > 0:
            return 1
        if hi < 0:
            return -1
        comp, deg = self._composed(cs_poly)
        s = self._exact_sign_poly(comp)
        if deg % 2 and s:
            s *= self._exact_sign_poly(self._cache["D"])
        return s

    def theta_intervals(self, bits: int = 64) -> list[tuple[Fraction, Fraction]]:
        """Certified enclosures of ``θ_l ∈ [0, 2π/ω_l)`` (width < ``2^-bits``)."""
        out = []
        for l in range(self.p):
            key_s = tuple(int(j == 2 * l + 1) for j in range(2 * self.p))
            key_c = tuple(int(j == 2 * l) for j in range(2 * self.p))
            ss = self.sign({key_s: 1})
            w = self.omega[l]
            work = bits + 8
            while True:
                with _Prec(work + 32):
                    if ss == 0:
                        cs = self.sign({key_c: 1})
                        ang = flint.arb(0) if cs > 0 else flint.arb.pi()
                    else:
                        c = self._coordinate_ball(2 * l, work)
                        s = self._coordinate_ball(2 * l + 1, work)
                        ang = flint.arb.atan2(s, c)
                        if ss < 0:
                            ang += 2 * flint.arb.pi()
                    a, b = _arb_bounds(ang / w)
                if b - a < Fraction(1, 2 ** bits):
                    out.append((max(a, Fraction(0)), b))
                    break
                work *= 2
        return out

    def _coordinate_ball(self, i: int, bits: int) -> flint.arb:
        """Ball enclosing coordinate ``i`` (``0 = c_1, 1 = s_1, …``) to about ``bits`` bits."""
        lo, hi = (self.coords[i], self.coords[i]) if self.coords is not None else \
            self.value_interval({tuple(int(j == i) for j in range(2 * self.p)): 1}, bits)
        return _arb(lo).union(_arb(hi))

    def approx(self) -> np.ndarray:
        """Float ``θ`` (shape ``(p,)``), each in ``[0, 2π/ω_l)``."""
        return np.array([float((a + b) / 2) for a, b in self.theta_intervals(bits=60)])

    def to_json(self) -> dict:
        """Exact JSON form (numbers as strings); :meth:`from_json` round-trips it."""
        d: dict = {"p": self.p, "omega": list(self.omega)}
        if self.coords is not None:
            d["coords"] = [str(x) for x in self.coords]
            return d
        d["eliminant"] = [str(c) for c in self.eliminant]
        d["numerators"] = [[str(c) for c in n] for n in self.numerators]
        d["denominator"] = None if self.denominator is None else [str(c) for c in self.denominator]
        d["interval"] = [str(self.interval[0]), str(self.interval[1])]
        d["linear_form"] = None if self.linear_form is None else list(self.linear_form)
        return d

    def check_isolation(self) -> None:
        """Prove that ``interval`` holds exactly one root of ``q`` (Descartes' rule after a Möbius map).

        The constructor only checks a sign change (an odd number of roots); points built by
        :func:`real_points_from_rur` come from a certified isolation of all real roots, while points
        read from files are checked here.

        Raises
        ------
        CertificateError
            If the Descartes bound is not 1 (not isolating, or too wide to tell).
        """
        if self.coords is not None or self.interval[0] == self.interval[1]:
            return
        lo, hi = (_fq(x) for x in self.interval)
        q = self._q
        n = q.degree()
        shifted = q(flint.fmpq_poly([lo, hi - lo]))               # roots in (0, 1)
        c = shifted.coeffs() + [flint.fmpq(0)] * (n + 1 - len(shifted.coeffs()))
        rev = flint.fmpq_poly(list(reversed(c)))                  # roots in (1, ∞)
        moved = rev(flint.fmpq_poly([1, 1]))                      # roots in (0, ∞)
        if _sign_variations(moved.coeffs()) != 1:
            raise CertificateError(f"interval [{self.interval[0]}, {self.interval[1]}] is not proven to isolate "
                                   "exactly one root of the eliminant (Descartes bound ≠ 1)")

    @classmethod
    def from_json(cls, d: dict) -> "AlgebraicPoint":
        """Inverse of :meth:`to_json`; the isolating interval is re-certified (:meth:`check_isolation`)."""
        try:
            if "coords" in d:
                return cls(int(d["p"]), tuple(d["omega"]), coords=tuple(Fraction(x) for x in d["coords"]))
            pt = cls(int(d["p"]), tuple(d["omega"]), eliminant=tuple(int(c) for c in d["eliminant"]),
                       numerators=tuple(tuple(Fraction(c) for c in n) for n in d["numerators"]),
                       denominator=None if d.get("denominator") is None else tuple(Fraction(c) for c in d["denominator"]),
                       interval=(Fraction(d["interval"][0]), Fraction(d["interval"][1])),
                       linear_form=None if d.get("linear_form") is None else tuple(int(x) for x in d["linear_form"]))
        except (KeyError, TypeError, ValueError) as e:
            raise ValidationError("point", f"malformed point JSON ({e})",
                                  expected="the output of AlgebraicPoint.to_json()") from None
        pt.check_isolation()
        return pt


def substitute_rur(cs_poly: CsPoly, p: int, q: flint.fmpq_poly, numerators: Sequence[flint.fmpq_poly],
                   denominator: flint.fmpq_poly | None = None) -> tuple[flint.fmpq_poly, int]:
    """``P(N(u)/D(u))·D(u)^e mod q`` for a polynomial ``P`` in ``(c, s)``; returns ``(poly, e)``.

    ``e = Σ_j d_j`` with ``d_j`` the degree of ``P`` in the pair ``(c_j, s_j)`` (so the result is a
    polynomial).

    ``P`` vanishes at every root of ``q`` iff the returned polynomial is 0 (``D`` non-zero at the
    roots).  This is the exact check of a parametrization (docs/math.md "verified parametrization").

    >>> q = flint.fmpq_poly([-1, 0, 2])                      # 2u² - 1, c = s = u
    >>> u = flint.fmpq_poly([0, 1])
    >>> substitute_rur({(2, 0): 1, (0, 2): 1, (0, 0): -1}, 1, q, [u, u])[0].is_zero()   # c² + s² - 1
    True
    """
    D = denominator if denominator is not None else flint.fmpq_poly([1])
    for key in cs_poly:
        _monomial_key_check(key, p)
    # Homogenise per pair (c_j, s_j) with the pair degree d_j, evaluate by a multivariate Horner
    # scheme over the pairs (few large products) and reduce modulo q once at the end (repeated
    # reductions modulo a non-monic q make rational coefficients explode): P(N/D)·D^(Σ d_j) mod q.
    dj = [max((k[2 * j] + k[2 * j + 1] for k in cs_poly), default=0) for j in range(p)]
    pair_cache: dict[tuple[int, int, int], flint.fmpq_poly] = {}

    def pair_mono(j, a, b):
        if (j, a, b) not in pair_cache:
            pair_cache[(j, a, b)] = numerators[2 * j] ** a * numerators[2 * j + 1] ** b * D ** (dj[j] - a - b)
        return pair_cache[(j, a, b)]

    def horner(items, j):
        if j == p:
            return flint.fmpq_poly([sum((_fq(c) for _, c in items), flint.fmpq(0))])
        groups: dict[tuple[int, int], list] = {}
        for key, c in items:
            groups.setdefault((key[2 * j], key[2 * j + 1]), []).append((key, c))
        total = flint.fmpq_poly([])
        for (a, b), sub in groups.items():
            total += horner(sub, j + 1) * pair_mono(j, a, b)
        return total

    total = horner(list(cs_poly.items()), 0) if cs_poly else flint.fmpq_poly([])
    return total % q, sum(dj)


def _ball_poly(poly: flint.fmpq_poly, u: flint.arb) -> flint.arb:
    return flint.arb_poly(poly)(u) if not poly.is_zero() else flint.arb(0)


def _eval_rational(cs_poly: CsPoly, coords: Sequence[Fraction], p: int) -> Fraction:
    total = Fraction(0)
    for key, coef in cs_poly.items():
        _monomial_key_check(key, p)
        t = Fraction(coef)
        for x, e in zip(coords, key):
            if e:
                t *= x ** e
        total += t
    return total


def real_points_from_rur(p: int, omega: Sequence[int], eliminant: Sequence[int],
                         numerators: Sequence[Sequence[Fraction]], denominator: Sequence[Fraction] | None = None,
                         linear_form: Sequence[int] | None = None,
                         isolation: list | None = None) -> list[AlgebraicPoint]:
    """All real points of a RUR ``x_i = N_i(u)/D(u)``, ``q(u) = 0`` (q square-free), isolated exactly.

    ``q`` is factored over Q (python-flint); a linear factor gives a rational point (coordinates
    computed exactly), the real roots of the other factors are isolated by flint's certified
    complex root finder and each isolating interval is re-checked exactly (``q(lo)·q(hi) < 0``).
    Points are sorted by the root ``u``.

    Parameters
    ----------
    p : int
        Number of parameters (``2p`` coordinates).
    omega : sequence of int
        Base frequencies.
    eliminant : sequence of int
        ``q`` coefficients, low → high (square-free).
    numerators, denominator : sequences of Fraction
        Coefficient lists, low → high; ``denominator=None`` means 1.
    linear_form : sequence of int, optional
        The separating form ``u = Σ λ_i x_i`` (kept as evidence).
    isolation : list, optional
        Precomputed :func:`isolate_real_roots` of ``eliminant`` (e.g. from a worker process).

    Returns
    -------
    list of AlgebraicPoint

    Raises
    ------
    CertificateError
        If ``q`` is not square-free or the denominator vanishes at a real root.

    Examples
    --------
    >>> pts = real_points_from_rur(1, (2,), (0, -1, 0, 1), [(0, 1), (1, 0, -1)])   # u ∈ {-1, 0, 1}: c = u, s = 1 - u²
    >>> [pt.rational_coordinates() for pt in pts]
    [(Fraction(-1, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1))]
    """
    q = flint.fmpz_poly([int(c) for c in eliminant])
    if q.degree() < 1:
        return []
    if q.gcd(q.derivative()).degree() > 0:
        raise CertificateError("the eliminant is not square-free")
    Ns = [_qpoly(n) for n in numerators]
    D = _qpoly(denominator) if denominator is not None else flint.fmpq_poly([1])
    num_fr = tuple(tuple(_frac(c) for c in n.coeffs()) or (Fraction(0),) for n in Ns)
    den_fr = None if denominator is None else tuple(_frac(c) for c in D.coeffs())
    lf = None if linear_form is None else tuple(int(x) for x in linear_form)
    found: list[tuple[Fraction, AlgebraicPoint]] = []
    for f_coeffs, balls in (isolation if isolation is not None else isolate_real_roots(eliminant)):
        f = flint.fmpz_poly(list(f_coeffs))
        if f.degree() == 1:
            a0, a1 = (int(c) for c in f.coeffs())
            root = Fraction(-a0, a1)
            d = D(_fq(root))
            if d == 0:
                raise CertificateError("the parametrization's denominator vanishes at a rational root")
            coords = tuple(_frac(n(_fq(root)) / d) for n in Ns)
            found.append((root, AlgebraicPoint(p, tuple(omega), coords=coords)))
            continue
        fq = flint.fmpq_poly(f)
        f_int = tuple(f_coeffs)
        shared = {"q": fq, "N": [n % fq for n in Ns], "D": D % fq}
        # isolating intervals with short dyadic endpoints in the gaps between consecutive real roots
        # (cheap exact signs, far from the roots); flint's tight balls are kept for refinement
        cuts = [balls[0][0] - 1 if balls else None]
        cuts += [_short_dyadic(a_hi, b_lo) for (_, a_hi), (b_lo, _) in zip(balls, balls[1:])]
        cuts += [balls[-1][1] + 1 if balls else None]
        for i, (blo, bhi) in enumerate(balls):
            lo, hi = _short_dyadic(cuts[i] - 1, cuts[i]) if i == 0 else cuts[i], \
                (_short_dyadic(cuts[-1], cuts[-1] + 1) if i == len(balls) - 1 else cuts[i + 1])
            if not (lo < blo <= bhi < hi) or _sign_at(fq, lo) * _sign_at(fq, hi) >= 0:
                raise CertificateError("could not certify a real root's isolating interval")
            cache = dict(shared, tight=(blo, bhi))
            found.append((lo, AlgebraicPoint(p, tuple(omega), eliminant=f_int, numerators=num_fr, denominator=den_fr,
                                             interval=(lo, hi), linear_form=lf, _cache=cache)))
    found.sort(key=lambda t: t[0])
    return [pt for _, pt in found]


#: keys of an exact point's JSON that every point of one parametrization shares
_SHARED_RUR = ("eliminant", "numerators", "denominator", "linear_form")


def points_json(points) -> dict:
    """The ``points`` of a table's JSON (:class:`~qnnsym.critical.classify.ClassifiedPoint` s, duck-typed):
    ``{"points": [...], "parametrizations": [...]}``: the rational parametrization that the points of one
    exact solve share (eliminant, numerators: ~430 kB at dense p = 2) is written once, each point refers to
    it by index (``"parametrization": i``) beside its own isolating interval.  (It was repeated in every
    point: 6.1 MB for the 14 points of dense p = 2.)

    >>> points_json(None)
    {'points': None}
    """
    if points is None:
        return {"points": None}
    shared: dict = {}
    out = []
    for cp in points:
        d = cp.to_json()
        pt = d.get("point")
        if isinstance(pt, dict) and "eliminant" in pt:
            key = json.dumps([pt.get(k) for k in _SHARED_RUR])
            i = shared.setdefault(key, len(shared))
            d["point"] = dict({k: v for k, v in pt.items() if k not in _SHARED_RUR}, parametrization=i)
        out.append(d)
    res: dict = {"points": out}
    if shared:
        res["parametrizations"] = [dict(zip(_SHARED_RUR, json.loads(k))) for k in shared]
    return res
