"""Positive-dimensional and degenerate critical sets (issues 23/24): the component decomposition
(qnnsym.critical.components) against hand-derived answers and float multistarts done without it."""
from __future__ import annotations

import importlib.util
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from scipy.optimize import minimize
from sympy import QQ
from sympy.polys.orderings import grevlex
from sympy.polys.rings import ring

from qnnsym.critical.components import component_table, decompose
from qnnsym.critical.table import critical_table
from qnnsym.exact.trigpoly import TrigPoly

ROOT = Path(__file__).resolve().parents[1]

#: 1-qubit EfficientSU2 RY(a) RZ(b) RY(c) RZ(d) |0⟩, Z readout: E = cos a cos c − sin a sin c cos b (d idle)
EZ4 = TrigPoly(4, {(1, 0, 1, 0): 1, (-1, 1, -1, 0): -1}, omega=1)


def _ez(x):
    a, b, c = x[:3]
    return np.cos(a) * np.cos(c) - np.sin(a) * np.sin(c) * np.cos(b)


def test_decompose_splits_a_line_and_a_point_and_drops_contained_ones():
    R, x, y = ring("x,y", QQ, grevlex)
    # V(x·y, x·(x − 1)) = {x = 0} ∪ {(1, 0)}; adding (0, 0) twice changes nothing (contained in the line)
    parts = decompose([x * y, x * (x - 1)], R)
    assert sorted(str(G) for G in parts) == ["[x - 1, y]", "[x]"]
    assert decompose([x ** 2 + 1, y], R) == [decompose([x ** 2 + 1, y], R)[0]]      # no real point, still listed
    assert decompose([x - 1, x - 2], R) == []                                          # empty


def test_efficient_su2_z_readout_components_hand_derived():
    """a = c = 0 (any b): maximum, E = 1; b = 0, a + c = π: minimum, E = −1; θ4 idle: every component is a
    2-dimensional manifold in T^4, and nothing else is critical (every critical value is ±1)."""
    t = critical_table(EZ4)
    assert t.status == "complete" and t.certification == "exact" and t.complete
    comps = [c for c in t.components.components if c.real]
    assert {(c.kind, c.value) for c in comps} == {("minimum manifold", -1), ("maximum manifold", 1)}
    assert all(c.dimension == 2 for c in comps)
    assert all(c.is_global == (c.value == -1) for c in comps)
    assert t.min_loss == (Fraction(-1), Fraction(-1)) and t.counts["spurious_minima"] == 0
    assert t.reduction is not None and t.reduction.idle == (3,)
    assert "no independent checker" in t.to_text("md")
    # each listed point is critical with the listed value (float check of the exact claims)
    for c in comps:
        assert abs(EZ4(np.array(c.theta)) - float(c.value)) < 1e-12
        assert np.max(np.abs(EZ4.gradient(np.array(c.theta)))) < 1e-12


def test_efficient_su2_z_float_multistart_finds_only_the_listed_levels():
    """A float multistart (numpy, L-BFGS-B, 60 starts) counted modulo the flat directions: every minimizer is at
    the one minimum value −1, and lies on a listed minimum component (its generators vanish there)."""
    tab, _ = component_table(TrigPoly(3, {(1, 0, 1): 1, (-1, 1, -1): -1}, omega=1))
    mins = [c for c in tab.components if c.real and c.kind.startswith("minimum")]
    names = sympy.symbols("c1 s1 c2 s2 c3 s3")
    polys = [[sympy.lambdify(names, sympy.sympify(g)) for g in c.basis] for c in mins]
    rng = np.random.default_rng(1)
    for _ in range(60):
        r = minimize(_ez, rng.uniform(0, 2 * np.pi, 3), method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
        assert abs(r.fun + 1) < 1e-8
        cs = [float(f(v)) for v in r.x for f in (np.cos, np.sin)]
        assert any(max(abs(float(g(*cs))) for g in gens) < 1e-5 for gens in polys)


def _qaoa():
    spec = importlib.util.spec_from_file_location("qaoa_maxcut", ROOT / "benchmarks" / "qaoa_maxcut.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


#: QAOA MaxCut on the triangle, reps 1, as `qnnsym import … --objective energy` gives it (θ1 = γ, θ2 = β)
TRIANGLE_R1 = TrigPoly(2, {(0, 0): Fraction(3, 4), (0, 1): Fraction(-3, 4), (1, 0): Fraction(-3, 4),
                           (1, 1): Fraction(3, 4), (-1, -1): Fraction(3, 2)}, omega=4)


def test_qaoa_triangle_r1_degenerate_point_is_the_global_maximum_and_values_match_numpy():
    q = _qaoa()
    rng = np.random.default_rng(0)
    for g, b in rng.uniform(0, np.pi, (5, 2)):
        assert abs(TRIANGLE_R1(np.array([g, b])) - q.energy_numpy("triangle", [g], [b])) < 1e-12
    t = critical_table(TRIANGLE_R1, backend="sympy")
    assert t.complete and t.counts["degenerate"] == 1
    deg = [cp for cp in t.points if cp.kind == "degenerate"]
    assert deg[0].loss_exact == 3
    assert any("a global maximum" in n and "L = 3" in n for n in t.notes)
    assert {cp.loss_exact for cp in t.points if cp.kind == "minimum"} == {-1}
    # the independent numpy simulation: its maximum is 3 and its minima are at −1
    hi = max(-minimize(lambda x: -q.energy_numpy("triangle", [x[0]], [x[1]]), x0, method="L-BFGS-B").fun
             for x0 in rng.uniform(0, np.pi / 2, (20, 2)))
    lo = min(minimize(lambda x: q.energy_numpy("triangle", [x[0]], [x[1]]), x0, method="L-BFGS-B").fun
             for x0 in rng.uniform(0, np.pi / 2, (20, 2)))
    assert abs(hi - 3) < 1e-7 and abs(lo + 1) < 1e-7


def test_a_positive_dimensional_loss_above_the_size_limit_keeps_its_honest_status(monkeypatch):
    import qnnsym.critical.components as comp

    import qnnsym.critical.degenerate as dg

    monkeypatch.setattr(comp, "COMPONENT_MAX_P", 2)
    monkeypatch.setattr(dg, "DEGENERATE_MAX_P", 2)        # the degenerate cover is not tried either
    t = critical_table(EZ4)
    assert t.status == "positive-dimensional" and t.components is None and t.degenerate is None
    assert any("component decomposition not tried" in n for n in t.notes)
    assert any("degenerate exhaustion not tried" in n for n in t.notes)


def test_efficient_su2_x_readout_components():
    """X readout: E = (sin a cos b cos c + cos a sin c) cos d − sin a sin b sin d (no linear redundancy):
    a 2-dimensional minimum manifold at −1, a 2-dimensional maximum manifold at +1, 16 isolated saddles at 0
    (sin a = 0, sin b = 0, sin c = 0, cos d = 0).  (It took ~7 min with sympy's Gröbner bases and factoring;
    with python-flint's, a few seconds.)"""
    EX = TrigPoly(4, {(-1, 1, 1, 1): 1, (1, 0, -1, 1): 1, (-1, -1, 0, -1): -1}, omega=1)
    tab, _ = component_table(EX)
    real = [c for c in tab.components if c.real]
    assert tab.complete
    assert sorted((c.kind, c.dimension, c.value) for c in real if c.dimension) == [
        ("maximum manifold", 2, 1), ("minimum manifold", 2, -1)]
    sad = [c for c in real if c.dimension == 0]
    assert len(sad) == 16 and all(c.kind == "saddle" and c.value == 0 and c.inertia == (2, 0, 2) for c in sad)


def test_modular_groebner_decomposition_equals_the_sympy_one():
    """Two independent Gröbner engines (sympy over Q; msolve modulo primes + rational reconstruction) give the
    same components, values and kinds on the EfficientSU2 Z case."""
    from qnnsym.critical.backends.msolve_backend import available

    if not available():
        pytest.skip("msolve not installed")
    E3 = TrigPoly(3, {(1, 0, 1): 1, (-1, 1, -1): -1}, omega=1)
    a, _ = component_table(E3, modular=False)
    b, _ = component_table(E3, modular=True)
    key = lambda t: sorted((tuple(sorted(c.basis)), c.dimension, c.value, c.kind) for c in t.components)
    assert key(a) == key(b) and len(a.components) == 8
    assert b.modular and any("level modular" in n for n in b.notes)


def test_flint_groebner_basis_equals_sympys(monkeypatch):
    """Two Gröbner engines on critical systems: python-flint's Buchberger (used) and sympy's F5B give the same
    reduced basis (it is unique), on a positive-dimensional and on zero-dimensional systems; past the swell
    limits (here: tiny) sympy's F5B takes over, with the same answer."""
    from sympy.polys import polyconfig
    from sympy.polys.groebnertools import groebner

    import qnnsym.critical.backends.sympy_backend as sb
    from qnnsym.critical.backends.sympy_backend import _groebner
    from qnnsym.critical.system import critical_system

    R, eqs = critical_system(EZ4).to_sympy()
    full = _groebner(eqs, R)
    monkeypatch.setattr(sb, "GROEBNER_LIMITS", (2, 2, 2))
    assert _groebner(eqs, R) == full
    monkeypatch.undo()

    dense = TrigPoly(2, {(1, 0): 3, (0, 1): -2, (1, 1): Fraction(1, 2), (-1, 2): Fraction(5, 3), (2, -1): 1,
                         (2, 2): Fraction(-1, 4)}, omega=1)
    for L in (TrigPoly(3, {(1, 0, 1): 1, (-1, 1, -1): -1}, omega=1), TRIANGLE_R1, dense):
        R, eqs = critical_system(L).to_sympy()
        eqs = [e for e in eqs if e]
        with polyconfig.using(groebner="f5b"):
            assert _groebner(eqs, R) == groebner(eqs, R)


def test_auto_checks_the_dimension_before_the_homotopy(monkeypatch):
    """A positive-dimensional block for which ``auto`` picks the homotopy is found positive-dimensional by
    msolve's leading ideal modulo a prime first; the homotopy (whose paths would end nowhere) is not run.  A finite
    system is left to the homotopy."""
    from qnnsym.critical import solve as solve_mod
    from qnnsym.critical.backends.msolve_backend import available, positive_dimension
    from qnnsym.critical.route import choose_route
    from qnnsym.critical.system import critical_system

    if not available():
        pytest.skip("msolve not installed")
    E3 = TrigPoly(3, {(1, 0, 1): 1, (-1, 1, -1): -1}, omega=1)
    finite = TrigPoly(2, {(1, 0): 1, (0, 1): 1, (1, 1): Fraction(1, 3)}, omega=1)
    assert positive_dimension(critical_system(E3), 30).dimension == 1
    assert positive_dimension(critical_system(finite), 30) is None
    monkeypatch.setattr(solve_mod, "choose_route",
                        lambda B, p, t=None: choose_route(B, p, t, exclude={"sympy", "msolve"}))
    monkeypatch.setattr(solve_mod, "DIMENSION_CHECK_SECONDS", 600.0)     # the check's cap is not under test
    ran = []
    real = solve_mod._solve_with
    monkeypatch.setattr(solve_mod, "_solve_with", lambda name, *a, **k: ran.append(name) or real(name, *a, **k))
    res = solve_mod.solve_critical(E3, workers=1)
    assert res.dimension == 1 and not res.real_points and ran == []
    assert "not run: msolve's dimension check found the critical set positive-dimensional" in res.notes[0]
    assert solve_mod.solve_critical(finite, workers=1).complete and ran == ["homotopy"]


def test_modular_groebner_reads_big_coefficients():
    """msolve misreads integers beyond machine size: the input is reduced modulo each prime first (a basis with
    40-digit coefficients came back as the unit ideal).  Against python-flint's basis over Q."""
    from qnnsym.critical.backends.msolve_backend import available
    from qnnsym.critical.backends.sympy_backend import _groebner
    from qnnsym.critical.modular_groebner import modular_groebner

    if not available():
        pytest.skip("msolve not installed")
    R, x, y = ring("x,y", QQ, grevlex)
    big = QQ(10 ** 40 + 7, 3)
    polys = [x * y - 1, big * x - y, x ** 2 + y ** 2 - 5]      # inconsistent: the unit ideal
    assert modular_groebner(polys, R) == _groebner(polys, R) == [R.one]
    polys = [x * y - big, x - 2 * y]
    assert set(modular_groebner(polys, R)) == set(_groebner(polys, R)) and _groebner(polys, R) != [R.one]
