"""Real points of a component of a positive-dimensional critical set (:mod:`.components`): an exact rational
point on the circles, or an exact proof that there is none.

* :func:`exact_real_point`: a float point of ``V(basis)`` on the torus by least squares from random starts, snapped
  to a rational point of the circles (``t = tan(φ/2)`` rational), accepted only when every generator vanishes there
  exactly.
* :func:`no_real_point`: every real point has ``c_l, s_l ∈ [−1, 1]``; a bisection of that box in which every piece
  is excluded by some generator's exact rational interval enclosure proves ``V(basis)`` has no real point.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import numpy as np

from .system import cs_variable_names

__all__ = ["exact_real_point", "no_real_point", "theta_of"]

#: denominators tried when snapping a float point of a component to a rational point of the circles
_SNAP_DENOMINATORS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 64, 256, 4096)


def _float_points(basis, R, p: int, omega, rng, starts: int = 24) -> list[np.ndarray]:
    """Float points ``θ`` with every generator ≈ 0 (least squares on the torus from random starts)."""
    from scipy.optimize import least_squares

    names = cs_variable_names(p)
    w = np.asarray(omega, dtype=float)
    fns = [(g, [(m, float(c)) for m, c in g.terms()]) for g in basis]

    def resid(th):
        c, s = np.cos(w * th), np.sin(w * th)
        vals = np.empty(2 * p)
        vals[0::2], vals[1::2] = c, s
        return np.array([sum(cf * np.prod(vals ** np.asarray(m)) for m, cf in terms) for _, terms in fns])

    out = []
    for _ in range(starts):
        th0 = rng.uniform(0, 2 * np.pi, p) / w
        r = least_squares(resid, th0, xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=400)
        if np.max(np.abs(r.fun)) < 1e-9:
            out.append(np.mod(r.x, 2 * np.pi / w))
    del names
    return out


def _snap(theta: np.ndarray, omega, den: int) -> tuple[Fraction, ...]:
    """A rational point of the circles near ``φ = ωθ``: ``t = tan(φ/2)`` rounded (``φ = π``: ``(−1, 0)``)."""
    out: list[Fraction] = []
    for th, w in zip(theta, omega):
        half = (w * th / 2) % math.pi
        if abs(half - math.pi / 2) < 1e-9:
            out += [Fraction(-1), Fraction(0)]
            continue
        t = Fraction(math.tan(half)).limit_denominator(den)
        out += [(1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)]
    return tuple(out)


def theta_of(cs: Sequence[Fraction], omega) -> tuple[float, ...]:
    return tuple(math.atan2(float(cs[2 * l + 1]), float(cs[2 * l])) % (2 * math.pi) / w for l, w in enumerate(omega))


def exact_real_point(basis, R, p: int, omega, rng):
    """An exact rational real point of ``V(basis)`` on the circles, or ``None`` when none was found."""
    from sympy import QQ

    for th in _float_points(basis, R, p, omega, rng):
        for den in _SNAP_DENOMINATORS:
            cs = _snap(th, omega, den)
            vals = [QQ(x.numerator, x.denominator) for x in cs]
            if all(g(*vals) == 0 for g in basis):
                return cs
    return None


def no_real_point(basis, p: int, max_boxes: int = 4000) -> bool:
    """True when ``V(basis)`` has no real point: every real point has ``c_l, s_l ∈ [−1, 1]``, and a bisection of
    that box ends with every piece excluded (some generator's exact rational interval enclosure misses 0).
    False when ``max_boxes`` pieces did not suffice (nothing is claimed).

    >>> from sympy import QQ
    >>> from sympy.polys.rings import ring
    >>> from sympy.polys.orderings import grevlex
    >>> R, c1, s1 = ring("c1,s1", QQ, grevlex)
    >>> no_real_point([c1 ** 2 + s1 ** 2 - 1, 2 * c1 - 3], 1), no_real_point([c1 ** 2 + s1 ** 2 - 1, 2 * c1 - 1], 1)
    (True, False)
    """
    gens = [[(m, Fraction(int(c.numerator), int(c.denominator))) for m, c in g.terms()] for g in basis]

    def power(iv, e):
        lo, hi = iv
        if e == 0:
            return Fraction(1), Fraction(1)
        a, b = lo ** e, hi ** e
        if e % 2 == 0 and lo <= 0 <= hi:
            return Fraction(0), max(a, b)
        return min(a, b), max(a, b)

    def excludes(box) -> bool:
        for terms in gens:
            lo = hi = Fraction(0)
            for m, c in terms:
                tlo = thi = c
                for iv, e in zip(box, m):
                    if e:
                        a, b = power(iv, e)
                        prods = (tlo * a, tlo * b, thi * a, thi * b)
                        tlo, thi = min(prods), max(prods)
                lo, hi = lo + tlo, hi + thi
            if lo > 0 or hi < 0:
                return True
        return False

    stack = [tuple((Fraction(-1), Fraction(1)) for _ in range(2 * p))]
    boxes = 0
    while stack:
        boxes += 1
        if boxes > max_boxes:
            return False
        box = stack.pop()
        if excludes(box):
            continue
        j = max(range(len(box)), key=lambda i: box[i][1] - box[i][0])
        lo, hi = box[j]
        mid = (lo + hi) / 2
        stack += [box[:j] + ((lo, mid),) + box[j + 1:], box[:j] + ((mid, hi),) + box[j + 1:]]
    return True
