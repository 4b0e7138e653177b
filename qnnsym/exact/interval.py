"""Certified interval arithmetic on trigonometric polynomials (python-flint ``arb`` balls).

Used by the independent checker (:mod:`qnnsym.certify.checker`) and available to any code that needs a
rigorous enclosure of a :class:`~qnnsym.exact.trigpoly.TrigPoly`, its gradient or Hessian over a box of
``θ``, or of a polynomial in ``(c_l, s_l) = (cos φ_l, sin φ_l)`` given like ``TrigPoly.cs_terms()``.

* :func:`ball` / :func:`ball_bounds` — a ball containing ``[lo, hi]`` (rationals) and exact
  rational bounds of a ball;
* :func:`trig_enclosure` — ``T(Θ)`` for a box ``Θ`` of balls;
* :func:`cs_enclosure` — a ``cs_terms`` polynomial over balls of ``c, s``;
* :func:`krawczyk_unique_zero` — the Krawczyk test: proves that ``∇T`` has exactly one zero in a
  box (hence exactly one critical point of ``T`` there);
* :func:`symmetric_inertia` — the certified inertia of every symmetric matrix in an interval
  matrix (Gershgorin after an approximate eigenbasis change), or ``None`` when not separated.
"""
from __future__ import annotations

from contextlib import contextmanager
from fractions import Fraction
from typing import Mapping, Sequence

import flint
import numpy as np

from .trigpoly import TrigPoly

__all__ = ["precision", "ball", "ball_bounds", "ball_power", "TrigBalls", "trig_enclosure", "CsPoly", "cs_enclosure", "krawczyk_unique_zero",
           "symmetric_inertia"]


@contextmanager
def precision(bits: int):
    """Temporarily set python-flint's working precision to at least ``bits``."""
    old = flint.ctx.prec
    flint.ctx.prec = max(old, int(bits))
    try:
        yield
    finally:
        flint.ctx.prec = old


def _fq(x) -> flint.fmpq:
    if not isinstance(x, (Fraction, int)):
        x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def ball(lo, hi=None) -> flint.arb:
    """A ball containing the rational interval ``[lo, hi]`` (``hi`` defaults to ``lo``).

    >>> b = ball(Fraction(1, 3), Fraction(1, 2))
    >>> b.contains(ball(Fraction(2, 5))), b.contains(ball(Fraction(3, 5)))
    (True, False)
    """
    a = flint.arb(_fq(lo))
    return a if hi is None or Fraction(hi) == Fraction(lo) else a.union(flint.arb(_fq(hi)))


def ball_bounds(b: flint.arb) -> tuple[Fraction, Fraction]:
    """Exact rational ``(lo, hi)`` with ``b ⊂ [lo, hi]`` (mid ± rad are dyadic).

    Raises
    ------
    ArithmeticError
        ``b`` is not finite (NaN or infinite radius): no rational interval encloses it.

    >>> ball_bounds(ball(Fraction(1, 4)))
    (Fraction(1, 4), Fraction(1, 4))
    >>> ball_bounds(flint.arb("nan"))
    Traceback (most recent call last):
    ...
    ArithmeticError: non-finite enclosure nan: an interval computation overflowed or produced NaN
    """
    if not b.is_finite():
        raise ArithmeticError(f"non-finite enclosure {b}: an interval computation overflowed or produced NaN")
    m, e = b.mid().man_exp()
    rm, re_ = b.rad().man_exp()
    mid = Fraction(int(m)) * Fraction(2) ** int(e)
    rad = Fraction(int(rm)) * Fraction(2) ** int(re_)
    return mid - rad, mid + rad


class TrigBalls:
    """A :class:`TrigPoly` prepared for repeated :func:`trig_enclosure`: its degrees and its coefficients
    as exact ``fmpq``, computed once (each call converts them to balls at its own precision, as for the
    polynomial itself, so the enclosures are the same).  Calling it evaluates the polynomial in floats.

    >>> T = TrigPoly(1, {(1,): 2, (0,): 1})
    >>> trig_enclosure(TrigBalls(T), [ball(0, Fraction(1, 10))]).mid() == trig_enclosure(T, [ball(0, Fraction(1, 10))]).mid()
    True
    """

    __slots__ = ("poly", "p", "omega", "degs", "terms")

    def __init__(self, T: TrigPoly):
        self.poly, self.p, self.omega = T, T.p, T.omega
        self.degs = T.degrees()
        self.terms = [(h, _fq(v)) for h, v in T.terms.items()]

    def __call__(self, theta):
        return self.poly(theta)


def trig_enclosure(T: TrigPoly | TrigBalls, theta: Sequence[flint.arb]) -> flint.arb:
    """Ball containing ``T(θ)`` for every ``θ`` in the box ``theta`` (one ball per parameter).

    >>> T = TrigPoly(1, {(1,): 2, (0,): 1})                   # 1 + 2 cos 2θ
    >>> trig_enclosure(T, [flint.arb(0)]).contains(3)
    True
    >>> ball(Fraction(29, 10), Fraction(31, 10)).contains(trig_enclosure(T, [ball(0, Fraction(1, 10))]))
    True
    """
    P = T if isinstance(T, TrigBalls) else TrigBalls(T)
    if len(theta) != P.p:
        raise ValueError(f"{len(theta)} balls for a polynomial in {P.p} parameters")
    tables = []
    for l, d in enumerate(P.degs):
        phi = theta[l] * P.omega[l]
        tables.append({j: (phi * j).cos() for j in range(1, d + 1)} | {-j: (phi * j).sin() for j in range(1, d + 1)})
    total = flint.arb(0)
    for h, v in P.terms:
        t = flint.arb(v)
        for l, j in enumerate(h):
            if j:
                t *= tables[l][j]
        total += t
    return total


class CsPoly:
    """A ``cs_terms`` polynomial ``{(a_1, b_1, …): coeff}`` prepared for repeated ball evaluation:
    coefficients converted to ``fmpq`` once, each monomial as its ``(variable, exponent)`` pairs.

    >>> P = CsPoly({(2, 0): Fraction(1, 2), (0, 1): 3})         # c²/2 + 3s
    >>> cs_enclosure(P, [flint.arb(2), flint.arb(1)]).contains(5)
    True
    """

    __slots__ = ("terms", "max_exp")

    def __init__(self, poly: Mapping[tuple[int, ...], object]):
        self.terms = [(tuple((i, e) for i, e in enumerate(key) if e), _fq(coef)) for key, coef in poly.items()]
        n = len(next(iter(poly))) if poly else 0
        self.max_exp = [max((key[i] for key in poly), default=0) for i in range(n)]

    def __bool__(self) -> bool:
        return bool(self.terms)


def ball_power(x: flint.arb, e: int) -> flint.arb:
    """``x^e`` for an integer ``e ≥ 0`` by multiplications.

    (python-flint's ``x ** e`` returns NaN for a ball whose midpoint is exactly 0 and whose radius is not,
    e.g. the enclosure ``[±r]`` of ``cos φ`` at ``φ = π/2``.)

    >>> ball_power(flint.arb(0, 1e-30), 2).is_finite(), ball_power(ball(3), 3)
    (True, 27.0000000000000)
    """
    out, base = flint.arb(1), x
    while e:
        if e & 1:
            out *= base
        e >>= 1
        if e:
            base *= base
    return out


def cs_enclosure(poly: Mapping[tuple[int, ...], object] | CsPoly, xs: Sequence[flint.arb]) -> flint.arb:
    """Ball containing a polynomial ``{(a_1, b_1, …): coeff}`` (or a prepared :class:`CsPoly`) at
    balls ``xs = (c_1, s_1, …)``; each power ``x_i^e`` is computed once."""
    P = poly if isinstance(poly, CsPoly) else CsPoly(poly)
    powers = [[flint.arb(1)] + [ball_power(x, e) for e in range(1, m + 1)] for x, m in zip(xs, P.max_exp)]
    total = flint.arb(0)
    for mono, coef in P.terms:
        t = flint.arb(coef)
        for i, e in mono:
            t *= powers[i][e]
        total += t
    return total


def krawczyk_unique_zero(grad: Sequence[TrigPoly], hess: Sequence[Sequence[TrigPoly]],
                         box: Sequence[tuple[Fraction, Fraction]], bits: int = 128) -> bool:
    """True if the Krawczyk operator proves that ``grad`` has exactly one zero in ``box``.

    ``K(X) = y − Y g(y) + (I − Y J(X))(X − y)`` with ``y`` the midpoint, ``J`` an enclosure of the
    Jacobian (``hess``) over ``X`` and ``Y`` any (float) matrix; ``K(X) ⊂ int X`` implies a unique
    zero in ``X`` (Krawczyk 1969, Moore 1977).  ``False`` means "not proven", not "no zero".

    Parameters
    ----------
    grad : sequence of TrigPoly
        ``∂T/∂θ_l``.
    hess : sequence of sequences of TrigPoly
        ``∂²T/∂θ_i∂θ_j``.
    box : sequence of (Fraction, Fraction)
        ``[lo_l, hi_l]`` per parameter.
    bits : int
        Working precision.

    Examples
    --------
    >>> T = TrigPoly(1, {(1,): 1})                           # cos 2θ: critical at θ = 0, π/2
    >>> krawczyk_unique_zero(T.gradient_polys(), T.hessian_polys(), [(Fraction(-1, 100), Fraction(1, 100))])
    True
    >>> krawczyk_unique_zero(T.gradient_polys(), T.hessian_polys(), [(Fraction(1, 10), Fraction(2, 10))])
    False
    """
    p = len(box)
    with precision(bits):
        X = [ball(lo, hi) for lo, hi in box]
        mids = [(Fraction(lo) + Fraction(hi)) / 2 for lo, hi in box]
        y = [ball(m) for m in mids]
        gy = [trig_enclosure(g, y) for g in grad]
        J = [[trig_enclosure(hess[i][j], X) for j in range(p)] for i in range(p)]
        Jm = np.array([[float(h(np.array([float(m) for m in mids]))) for h in row] for row in hess])
        try:
            Yf = np.linalg.inv(Jm)
        except np.linalg.LinAlgError:
            return False
        if not np.all(np.isfinite(Yf)):
            return False
        Y = [[flint.arb(_fq(Fraction(float(Yf[i, j])))) for j in range(p)] for i in range(p)]
        dx = [X[i] - y[i] for i in range(p)]
        for i in range(p):
            k = y[i] - sum((Y[i][j] * gy[j] for j in range(p)), flint.arb(0))
            for j in range(p):
                a = (flint.arb(1) if i == j else flint.arb(0)) - sum((Y[i][t] * J[t][j] for t in range(p)), flint.arb(0))
                k += a * dx[j]
            if not X[i].contains_interior(k):
                return False
    return True


def symmetric_inertia(H: Sequence[Sequence[flint.arb]]) -> tuple[int, int] | None:
    """``(n₋, n₊)`` shared by every symmetric matrix in the interval matrix ``H``, or None.

    With ``Q`` an approximate orthogonal eigenbasis of the midpoint (floats, used exactly), the
    matrix ``QᵀHQ`` is congruent to ``H`` (Sylvester: same inertia, ``Q`` is invertible when the
    enclosure of ``QᵀQ`` excludes singularity — checked by Gershgorin too).  If every Gershgorin
    disc of ``QᵀHQ`` excludes 0, the sign of each disc centre counts one eigenvalue.

    Examples
    --------
    >>> symmetric_inertia([[flint.arb(-2), flint.arb(1)], [flint.arb(1), flint.arb(3)]])
    (1, 1)
    >>> symmetric_inertia([[flint.arb(0), flint.arb(0)], [flint.arb(0), flint.arb(1)]]) is None
    True
    """
    p = len(H)
    mid = np.array([[float(H[i][j].mid()) for j in range(p)] for i in range(p)])
    _, Qf = np.linalg.eigh((mid + mid.T) / 2)
    Q = [[flint.arb(_fq(Fraction(float(Qf[i, j])))) for j in range(p)] for i in range(p)]
    # Q invertible: Gershgorin on QᵀQ around 1
    for i in range(p):
        row = [sum((Q[t][i] * Q[t][j] for t in range(p)), flint.arb(0)) for j in range(p)]
        off = sum((abs(row[j]) for j in range(p) if j != i), flint.arb(0))
        if not (row[i] - off > 0):
            return None
    HQ = [[sum((H[i][t] * Q[t][j] for t in range(p)), flint.arb(0)) for j in range(p)] for i in range(p)]
    B = [[sum((Q[t][i] * HQ[t][j] for t in range(p)), flint.arb(0)) for j in range(p)] for i in range(p)]
    neg = pos = 0
    for i in range(p):
        off = sum((abs(B[i][j]) for j in range(p) if j != i), flint.arb(0))
        if B[i][i] - off > 0:
            pos += 1
        elif B[i][i] + off < 0:
            neg += 1
        else:
            return None
    return neg, pos
