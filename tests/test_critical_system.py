"""The critical-point polynomial system (Sect. 5): equations, degrees, bounds, tan form, dense instances."""
import math
from fractions import Fraction as F

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from qnnsym import ValidationError, loss_poly, output_polys
from qnnsym.critical.dense import dense_instance, dense_residuals
from qnnsym.critical.system import critical_system
from qnnsym.exact.combinatorics import permanent
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.model.instances import PYTHAGOREAN, builtin_instance


def _eval_cs(poly, cs):
    total = F(0)
    for key, c in poly.items():
        t = F(c)
        for x, e in zip([v for pair in cs for v in pair], key):
            t *= F(x) ** e
        total += t
    return total


def test_permanent_known_values():
    assert permanent([[1]]) == 1
    assert permanent([[1, 1, 1]] * 3) == 6
    assert permanent([[0, 1], [1, 0]]) == 1
    assert permanent([[0, 0], [1, 1]]) == 0


@pytest.mark.parametrize("p", [1, 2, 3])
def test_dense_bounds(p):
    S = critical_system(loss_poly(dense_instance(p, seed=0)))
    b = S.bounds()
    assert b["multihomogeneous"] == math.factorial(p) * 4 ** p  # 4, 32, 384
    assert b["bezout"] == (4 * p) ** p                          # 4, 64, 1728 (Theorem 7)
    assert b["multihomogeneous_generic"] == b["multihomogeneous"]
    assert S.degrees() == [2 * p] * p + [2] * p


def test_integer_spectrum_bound():
    # ω = 1 and loss frequency D = 4 in the single coordinate: p!(2D)^p = 8
    L = TrigPoly(1, {(4,): 1, (-3,): F(1, 2), (1,): 2}, omega=1)
    S = critical_system(L)
    assert S.bounds()["multihomogeneous_generic"] == 8
    assert S.bounds()["multihomogeneous"] == 8
    # and two coordinates with D = (4, 2): 2!·8·4 = 64
    L2 = TrigPoly(2, {(4, 2): 1, (3, -1): 1, (-2, 2): 1, (1, 1): 1}, omega=1)
    assert critical_system(L2).bounds()["multihomogeneous_generic"] == 64


def test_gradient_equations_match_finite_differences():
    L = loss_poly(dense_instance(2, seed=4))
    S = critical_system(L)
    rng = np.random.default_rng(1)
    for _ in range(5):
        i, j = rng.integers(len(PYTHAGOREAN), size=2)
        cs = [PYTHAGOREAN[i], PYTHAGOREAN[j]]
        theta = np.array([math.atan2(s, c) / 2 for c, s in cs])
        h = 1e-6
        for l in range(2):
            e = np.zeros(2)
            e[l] = h
            fd = (L(theta + e) - L(theta - e)) / (2 * h)
            assert abs(float(_eval_cs(S.gradient[l], cs)) - fd) < 1e-6
        for circ in S.circles():
            assert _eval_cs(circ, cs) == 0


def test_integer_equations_same_zero_set():
    S = critical_system(loss_poly(dense_instance(1, seed=2)))
    for eq, ieq in zip(S.equations(), S.integer_equations()):
        assert all(isinstance(v, int) for v in ieq.values())
        ratios = {F(ieq[k]) / eq[k] for k in eq}
        assert len(ratios) == 1 and set(eq) == set(ieq)


def test_tan_form_p1_and_missed_points():
    # L = 7/8 - cos φ/2 - 3/8 cos 2φ: critical φ ∈ {0, π, ±arccos(-1/3)}; the tan form misses φ = π
    L = TrigPoly(1, {(0,): F(7, 8), (1,): F(-1, 2), (2,): F(-3, 8)})
    S = critical_system(L)
    (t,), (P,) = S.tan_form()
    assert P.degree() <= 4
    real = [r for r in sympy.Poly(P).real_roots()]
    assert len(real) == 3
    assert sympy.Integer(0) in real and sympy.sqrt(2) in real and -sympy.sqrt(2) in real  # tan θ: 0, ±√2
    missed = S.tan_missed_equations(0)
    assert _eval_cs(missed[-1], [(-1, 0)]) == 0 and all(_eval_cs(e, [(-1, 0)]) == 0 for e in missed)
    with pytest.raises(ValidationError):
        S.tan_missed_equations(3)


def test_float_loss_rejected():
    with pytest.raises(ValidationError, match="float"):
        critical_system(TrigPoly(1, {(1,): 0.5}))
    with pytest.raises(ValidationError):
        critical_system("not a loss")


@given(st.dictionaries(st.tuples(st.integers(-2, 2), st.integers(-2, 2)), st.integers(-3, 3), max_size=5))
@settings(max_examples=10, deadline=None)
def test_bounds_dominate_solution_count(terms):
    """The complex count with multiplicity (standard monomials) never exceeds either bound."""
    from qnnsym.critical.backends.common import krull_dimension
    from qnnsym.critical.backends.sympy_backend import _groebner, _standard_monomials

    L = TrigPoly(2, terms)
    S = critical_system(L)
    b = S.bounds()
    assert b["multihomogeneous"] <= b["multihomogeneous_generic"] and b["bezout"] <= b["bezout_generic"]
    R, eqs = S.to_sympy()
    G = _groebner([e for e in eqs if e], R)
    lms = [g.LM for g in G]
    if krull_dimension(lms, 4) == 0:
        n = len(_standard_monomials(lms, 4))
        assert n <= b["bezout"] and n <= b["multihomogeneous"]


# --- dense instances ---------------------------------------------------------------------------------

@pytest.mark.parametrize("p,seed", [(1, 0), (2, 5), (3, 1)])
def test_dense_instance_realises_residuals(p, seed):
    inst = dense_instance(p, seed=seed)
    a, b = dense_residuals(p, seed)
    kappa = F(inst.meta["kappa"])
    assert inst.m == 2 * p + 2 and 0 < kappa <= 1
    for k, (f, y) in enumerate(zip(output_polys(inst), inst.labels)):
        r = f - TrigPoly.constant(p, y)
        target = TrigPoly.from_xi(p, {xi: kappa * v for xi, v in a[k].items()}) - TrigPoly.constant(p, kappa * b[k])
        assert r == target


def test_dense_builtin_and_reproducible():
    a1 = builtin_instance("dense", p=2, seed=7)
    a2 = builtin_instance("dense", p=2, seed=7)
    assert loss_poly(a1) == loss_poly(a2)
    assert loss_poly(builtin_instance("dense", p=2, seed=8)) != loss_poly(a1)
    assert builtin_instance("dense", p=1, seed=0, m=7).m == 7


@pytest.mark.parametrize("kw,field", [({"p": 0}, "p"), ({"seed": -1}, "seed"), ({"m": 0}, "m"), ({"seed": "x"}, "seed")])
def test_dense_bad_parameters(kw, field):
    with pytest.raises(ValidationError, match=field):
        dense_instance(**kw)
