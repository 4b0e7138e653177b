"""Certified classification of critical points: exact inertia, degenerate points, global/spurious.

The points here come from an independent p = 1 solver written for the tests (tan half-angle
substitution with sympy), so these tests do not depend on the solving backends.
"""
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from qnnsym import loss_poly, prop5_instance
from qnnsym.critical.classify import (LossData, certified_inertia, classify_points, inertia_from_charpoly, kind_of,
                                      mark_global, morse_checks, rational_inertia)
from qnnsym.critical.points import AlgebraicPoint, real_points_from_rur
from qnnsym.critical.system import critical_system
from qnnsym.errors import ValidationError
from qnnsym.exact.trigpoly import TrigPoly


def p1_points(loss):
    """All critical points of a p = 1 loss: t = tan(φ/2) roots of the cleared gradient, plus φ = π."""
    (g,) = critical_system(loss).gradient
    t = sympy.Symbol("t")
    d = max(sum(k) for k in g)
    expr = sum(sympy.Rational(v.numerator, v.denominator) * (1 - t**2) ** a * (2 * t) ** b * (1 + t**2) ** (d - a - b)
               for (a, b), v in g.items())
    P = sympy.Poly(sympy.expand(expr), t)
    sq = sympy.Poly(sympy.quo(P, sympy.gcd(P, P.diff(t))), t, domain="QQ")
    pts = []
    if sq.degree() > 0:
        coeffs = sq.clear_denoms()[1].set_domain("ZZ").all_coeffs()[::-1]
        pts += real_points_from_rur(1, loss.omega, [int(c) for c in coeffs], [(1, 0, -1), (0, 2)], denominator=(1, 0, 1))
    if sum(Fraction(v) * (-1) ** a for (a, b), v in g.items() if b == 0) == 0:
        pts.append(AlgebraicPoint(1, loss.omega, coords=(Fraction(-1), Fraction(0))))
    return pts


def numeric_index(loss, theta):
    return int(np.sum(np.linalg.eigvalsh(loss.hessian(np.asarray(theta))) < 0))


# --- exact inertia ------------------------------------------------------------------------------------------

@given(st.lists(st.integers(-4, 4), min_size=6, max_size=6))
def test_rational_inertia_matches_numpy(entries):
    a, b, c, d, e, f = entries
    M = [[Fraction(a), Fraction(b), Fraction(c)], [Fraction(b), Fraction(d), Fraction(e)], [Fraction(c), Fraction(e), Fraction(f)]]
    neg, zero, pos = rational_inertia(M)
    assert neg + zero + pos == 3
    ev = np.linalg.eigvalsh(np.array(M, dtype=float))
    assert zero == 3 - np.linalg.matrix_rank(np.array(M, dtype=float))
    if zero == 0:
        assert neg == int(np.sum(ev < 0))
    assert (zero > 0) == (sympy.Matrix(M).det() == 0)


def test_inertia_from_charpoly_hand():
    assert inertia_from_charpoly([2, -3, 1]) == (0, 0, 2)      # (t-1)(t-2)
    assert inertia_from_charpoly([0, 0, 1]) == (0, 2, 0)       # t²
    assert inertia_from_charpoly([0, -1, 0, 1]) == (1, 1, 1)   # t³ - t: eigenvalues -1, 0, 1


def test_kind_and_morse():
    assert [kind_of(k, 3) for k in (0, 1, 2, 3, None)] == ["minimum", "saddle", "saddle", "maximum", "degenerate"]
    ok = morse_checks({0: 1, 1: 3, 2: 3, 3: 1}, 3)
    assert ok["euler_ok"] and ok["morse_inequalities_ok"]
    bad = morse_checks({0: 1, 1: 2, 2: 1}, 3)
    assert not bad["morse_inequalities_ok"] and bad["morse_inequalities_failing"] == [1, 2, 3]


# --- p = 1 losses, hand-derived -------------------------------------------------------------------------------

def test_cos_loss_hand():
    """L = cos 2θ: φ = 0 maximum (L = 1), φ = π global minimum (L = -1)."""
    L = TrigPoly(1, {(1,): 1})
    pts = p1_points(L)
    assert sorted(pt.rational_coordinates() for pt in pts) == [(-1, 0), (1, 0)]
    cps = sorted(classify_points(L, pts), key=lambda cp: cp.loss[0])
    assert [(cp.loss_exact, cp.kind, cp.is_global, cp.gap) for cp in cps] == [
        (-1, "minimum", True, (0, 0)), (1, "maximum", False, (2, 2))]
    assert cps[0].theta == pytest.approx((math.pi / 2,))


@pytest.mark.parametrize("r", ["1/2", "1/3", "3/5"])
def test_prop5_p1_four_points(r):
    """Per coordinate: minima at u = 0 (L = 0) and u = π (L = 4r²/2), maxima where cos u = -r²/(1-r²)."""
    inst = prop5_instance(1, r=r)
    L = loss_poly(inst)
    rr = Fraction(r) ** 2
    cps = classify_points(L, p1_points(L))
    assert len(cps) == 4                      # at most 4 per period for p = 1 (Theorem 7)
    mins = sorted(cp.loss_exact for cp in cps if cp.kind == "minimum")
    maxs = [cp for cp in cps if cp.kind == "maximum"]
    assert mins == [0, 2 * rr]
    cu = -rr / (1 - rr)                      # the maxima: irrational points, rational value recognised exactly
    want = ((1 - cu**2) + rr * (cu - 1) ** 2) / 2
    assert [cp.loss_exact for cp in maxs] == [want, want] and all(cp.cs is None for cp in maxs)
    assert sum(cp.is_global for cp in cps) == 1
    spur = [cp for cp in cps if cp.kind == "minimum" and cp.is_global is False]
    assert len(spur) == 1 and spur[0].gap == (2 * rr, 2 * rr)
    for cp in cps:                           # float cross-check of index and value
        assert numeric_index(L, cp.theta) == cp.index
        assert L(np.array(cp.theta)) == pytest.approx(float(cp.loss[0]), abs=1e-12)
        assert np.abs(L.gradient(np.array(cp.theta))).max() < 1e-9
        lo, hi = cp.theta_box[0]
        assert lo <= Fraction(cp.theta[0]) <= hi or hi - lo < Fraction(1, 2**60)


def test_prop5_w_half_is_degenerate():
    """w = s1_copies·r² = 1/2: u = π is a degenerate (quartic) maximum, decided exactly."""
    L = loss_poly(prop5_instance(1, r="1/2", s1_copies=2))
    cps = classify_points(L, p1_points(L))
    assert sorted(cp.kind for cp in cps) == ["degenerate", "minimum"]
    deg = next(cp for cp in cps if cp.kind == "degenerate")
    assert deg.index is None and deg.inertia == (0, 1, 0) and deg.cs is not None


def test_degenerate_irrational_point_exact():
    """L = cos³ 2φ... in θ: cos³ φ (φ = 2θ) = (3 cos φ + cos 3φ)/4; degenerate where cos φ = 0 and
    non-degenerate where sin φ = 0; with ω = 1 and L = cos³(2φ) the degenerate points are irrational."""
    L = TrigPoly(1, {(2,): Fraction(3, 4), (6,): Fraction(1, 4)}, omega=1)   # cos³(2θ)
    pts = p1_points(L)
    data = LossData(L)
    kinds = {}
    for pt in pts:
        inert, method = certified_inertia(data, pt)
        th = float(pt.approx()[0])
        kinds[round(th / (math.pi / 4))] = (inert, method)
    assert sorted(kinds) == list(range(8))
    for k in (1, 3, 5, 7):                    # cos 2θ = 0: θ = kπ/4, c = cos θ = ±1/√2 irrational
        assert kinds[k] == ((0, 1, 0), "exact signs")
    assert kinds[0][0] == (1, 0, 0) and kinds[2][0] == (0, 0, 1)
    assert {m for _, m in kinds.values()} >= {"rational", "exact signs"}


def test_mark_global_ties_and_incomplete():
    L = TrigPoly(1, {(2,): 1})               # cos 2φ: minima at φ = π/2, 3π/2 (equal values)
    cps = classify_points(L, p1_points(L))
    assert sorted((cp.kind, cp.is_global) for cp in cps) == [("maximum", False)] * 2 + [("minimum", True)] * 2
    cps = classify_points(L, p1_points(L), complete=False)
    assert [cp.is_global for cp in cps if cp.kind == "minimum"] == [None, None]
    assert all(cp.is_global is False for cp in cps if cp.kind == "maximum")
    assert mark_global([]) is None


def test_float_loss_rejected():
    with pytest.raises(ValidationError, match="floating-point"):
        LossData(TrigPoly(1, {(1,): 0.5}))
