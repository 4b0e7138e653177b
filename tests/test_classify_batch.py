"""Batched classification (issue 25): float-interval Hessians of all points at once and worker processes
give the classification of the one-point path (balls, one point at a time); the float kernel covers every
float event (forged inputs at the edges of the float range)."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnnsym import loss_poly
from qnnsym.critical.classify import LossData, certified_inertia, classify_point, classify_points, interval_inertias, \
    mark_global
from qnnsym.critical.dense import dense_instance
from qnnsym.critical.solve import solve_critical
from qnnsym.exact import interval_array
from qnnsym.exact.interval_array import CsArray, cs_enclosures, fraction_bounds
from qnnsym.exact.trigpoly import TrigPoly


def _one_point_path(data, points, complete):
    """The classification before batching: each point alone, inertia by balls (certified_inertia)."""
    out = [classify_point(data, x) for x in points]
    mark_global(out, data, complete)
    return [cp.to_json() for cp in out]


def _same_as_one_point_path(p: int, seed: int, workers: int = 1):
    loss = loss_poly(dense_instance(p, seed=seed))
    res = solve_critical(loss, backend="homotopy", workers=1, seed=seed)
    assert res.real_points
    data = LossData(loss)
    want = _one_point_path(data, res.real_points, res.complete)
    got = [cp.to_json() for cp in classify_points(data, res.real_points, complete=res.complete, workers=workers)]
    assert got == want
    decided = interval_inertias(data, res.real_points)
    assert all(d is None or d == certified_inertia(data, x)[0] for d, x in zip(decided, res.real_points))
    return decided


@pytest.mark.parametrize("seed", [0, 1])
def test_batched_classification_equals_one_point_path_dense_p3(seed):
    decided = _same_as_one_point_path(3, seed, workers=2)        # 74-odd points: two worker chunks
    assert sum(d is not None for d in decided) >= len(decided) - 1   # the batch decides (nearly) all of them


@pytest.mark.slow
def test_batched_classification_equals_one_point_path_dense_p4():
    _same_as_one_point_path(4, 0, workers=2)


def _exact_cs(poly, xs):
    tot = Fraction(0)
    for key, c in poly.items():
        t = Fraction(c)
        for x, e in zip(xs, key):
            t *= Fraction(x) ** e
        tot += t
    return tot


coef = st.fractions(min_value=-10, max_value=10, max_denominator=1000)


@settings(max_examples=40, deadline=None)
@given(polys=st.lists(st.dictionaries(st.tuples(*[st.integers(0, 3)] * 3), coef, min_size=1, max_size=8),
                      min_size=1, max_size=3),
       pts=st.lists(st.tuples(*[st.fractions(-2, 2, max_denominator=10 ** 6)] * 3), min_size=1, max_size=5),
       width=st.sampled_from([Fraction(0), Fraction(1, 10 ** 9), Fraction(1, 7)]))
def test_float_enclosures_contain_the_exact_values(polys, pts, width):
    """Each enclosure contains the exact rational value at the box centre and at its corners."""
    lo, hi = cs_enclosures(CsArray(polys), *fraction_bounds([[x - width for x in pt] for pt in pts],
                                                            [[x + width for x in pt] for pt in pts]))
    for k, pt in enumerate(pts):
        for corner in (pt, [x - width for x in pt], [x + width for x in pt]):
            for i, P in enumerate(polys):
                assert Fraction(lo[i, k]) <= _exact_cs(P, corner) <= Fraction(hi[i, k])


def test_float_enclosures_cover_underflow_and_overflow():
    """Forged inputs: values below the subnormal range are enclosed (a positive value never gets an upper
    bound 0), values beyond the float range give no enclosure (±∞), never a finite wrong one."""
    tiny = Fraction(1, 2 ** 600)
    lo, hi = cs_enclosures(CsArray([{(2,): 1}, {(2,): -3}, {(1,): Fraction(1, 3)}]), *fraction_bounds([[tiny]]))
    exact = [tiny ** 2, -3 * tiny ** 2, tiny / 3]                  # 2^-1200 underflows to 0 in floats
    for i, v in enumerate(exact):
        assert Fraction(lo[i, 0]) <= v <= Fraction(hi[i, 0])
    assert hi[0, 0] > 0 and lo[1, 0] < 0
    lo, hi = cs_enclosures(CsArray([{(2,): 10 ** 300}, {(0,): 1}]), *fraction_bounds([[Fraction(10 ** 10)]]))
    assert np.isneginf(lo[:, 0]).all() and np.isposinf(hi[:, 0]).all()     # one overflow voids the whole point
    with pytest.raises(OverflowError):
        fraction_bounds([[Fraction(10 ** 400)]])


class _ForgedPoint:
    """A point known only by coordinate enclosures (as a box point), placed where the Hessian is singular."""
    p, omega = 1, (1,)

    def __init__(self, ivs):
        self.ivs = ivs

    def is_rational(self):
        return False

    def coordinate_intervals(self, bits=64):
        return self.ivs


def test_interval_inertias_never_guess_at_a_degenerate_point(monkeypatch):
    L = TrigPoly(1, {(1,): 1}, (1,))                  # cos θ: L'' = −cos θ vanishes at θ = π/2 (c = 0, s = 1)
    data = LossData(L)
    eps = Fraction(1, 2 ** 40)
    at_zero = _ForgedPoint([(-eps, eps), (1 - eps, Fraction(1))])
    at_min = _ForgedPoint([(-1 - eps, -1 + eps), (-eps, eps)])       # θ = π: L'' = 1 > 0, a minimum
    assert interval_inertias(data, [at_zero, at_min]) == [None, (0, 0, 1)]
    monkeypatch.setattr(interval_array, "ieee_gradual_underflow", lambda: False)   # a processor with FTZ/DAZ
    assert interval_inertias(data, [at_zero, at_min]) == [None, None]
