"""Constructions: Theorem 2 (Lemmas 3-4), Proposition-5 families, integer spectra; certificates
cross-checked with hand-derived answers, numeric multi-start and the critical-point engine."""
import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qnnsym.cli.main import main
from qnnsym.construct.construction import critical_check
from qnnsym.construct.design_certificate import certify_design
from qnnsym.construct.designs import (circle_point, default_angles, integer_design, ising_design, separable_design,
                                      translate)
from qnnsym.construct.independence import cayley_qnn
from qnnsym.construct.integer_spectrum import integer_spectrum_construction
from qnnsym.construct.prop5 import greedy_demo, prop5_construction, prop5_qnn
from qnnsym.construct.realise import realise_design, theorem2_construction
from qnnsym.errors import ValidationError
from qnnsym.exact.paulis import PauliSum
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.expansion.phi import loss_poly
from qnnsym.model.circuit import QNN
from qnnsym.model.instances import builtin_instance, load_instance, prop5_instance
from qnnsym.sim.search import coordinate_greedy, multistart_minima


def _theta(angles, omega=2):
    return np.array([math.atan2(float(s), float(c)) / omega for c, s in angles])


# --- designs and the certificate -------------------------------------------------------------

def test_separable_p1_hand_derived():
    # L = sin²u + (ε cos u − t)² = (1 − ε²) sin²u − 2εt cos u + ε² + t²; minima u = 0 (value (ε − t)²) and
    # u = π (value (ε + t)²) iff 2εt < 2(1 − ε²); gap 4εt
    c = certify_design(separable_design(1, "1/2", "1/4"))
    assert c.certified and c.n_minima == 2 and c.n_critical == 4
    assert c.minima_values == {0: Fraction(1, 16), 1: Fraction(9, 16)} and c.min_gap == Fraction(1, 2)


def test_certificate_refuses_when_a_minimum_disappears():
    # ε = t = 3/4: 2εt = 9/8 > 2(1 − ε²) = 7/8, u = π is no longer a minimum: one minimum per coordinate
    d = separable_design(1, "3/4", "3/4")
    assert not certify_design(d).certified
    L = translate(d.loss(), [(Fraction(1), Fraction(0))], 1)
    assert multistart_minima(L, 64, seed=0)["distinct_minima"] == 1


@pytest.mark.parametrize("p", [1, 2, 3, 5])
def test_generalised_prop5_equals_builtin(p):
    # ε = t = r reproduces the foundation's prop5 instance exactly (same angles, same normalisation)
    con = prop5_construction(p)
    assert con.loss_verified and con.kappa == 1
    assert con.loss == loss_poly(prop5_instance(p))


def test_ising_values_match_numeric_minima():
    con = prop5_construction(3, coupled=True)
    cert = con.certificate
    assert cert.certified and cert.at_translates and cert.n_minima == 8
    res = multistart_minima(con.loss, 800, seed=2)
    assert res["distinct_minima"] == 8
    predicted = sorted(float(con.scale * v) for v in cert.minima_values.values())
    assert np.allclose(sorted(res["values"]), predicted, atol=1e-12)
    # the Ising trap: all-flipped translate is a minimum with value above the global one
    assert cert.minima_values[7] > cert.minima_values[0]


def test_ising_needs_coupling():
    with pytest.raises(ValidationError, match="p"):
        ising_design(1)


# --- Theorem 2 on exact Haar stand-ins --------------------------------------------------------

@pytest.mark.parametrize("d,p", [(4, 1), (4, 2), (8, 2)])
def test_theorem2_cayley(d, p):
    q, M = cayley_qnn(d, p, seed=p + d)
    con = theorem2_construction(q, M)
    inst = con.instance
    assert inst.exact and con.loss_verified and con.certificate.certified
    assert con.certificate.n_minima == 2 ** p and con.certificate.n_spurious == 2 ** p - 1
    # labels y_k = tr(ρ_k Φ_0(M)) − κ r̂_0: S_0 residuals have no constant, their labels are tr(ρ_k Φ_0)
    # independent numeric check: multistart finds exactly 2^p minima, the lowest at θ*
    res = multistart_minima(con.loss, 64 * 2 ** p, seed=1)
    assert res["distinct_minima"] == 2 ** p
    star = _theta(con.angles)
    best = res["points"][np.argmin(res["values"])]
    assert np.allclose(np.mod(best - star + np.pi / 4, np.pi / 2) - np.pi / 4, 0, atol=1e-6)
    assert abs(math.remainder(best[0] - star[0], np.pi)) < 1e-6


def test_theorem2_cross_checked_by_critical_engine():
    q, M = cayley_qnn(8, 2, seed=2)
    cc = critical_check(theorem2_construction(q, M))
    assert cc["minima"] == 4 and cc["spurious_minima"] == 3 and cc["global_at_theta_star"] is True


def test_coupled_design_on_a_generic_qnn():
    # Lemma 3/4 machinery with coupled residuals on a Haar stand-in (Gram solver of eq. 18)
    q, M = cayley_qnn(8, 2, seed=9)
    con = realise_design(q, M, ising_design(2), default_angles(2))
    assert con.loss_verified and con.certificate.certified and con.certificate.n_minima == 4
    end = coordinate_greedy(con.loss, (_theta(con.angles) + np.pi / 2 + 0.05)[None])
    assert con.loss(end)[0] > con.loss(_theta(con.angles)[None])[0] + 1e-6  # greedy stays in the trap


def test_must_show_haar_stand_in_d8_p3_certified_table():
    # the acceptance check: d = 8, p = 3, certified table: 8 minima, 7 spurious, global at θ*
    q, M = cayley_qnn(8, 3, seed=3)
    con = theorem2_construction(q, M)
    assert con.loss_verified and con.certificate.certified
    cc = critical_check(con)
    assert (cc["minima"], cc["spurious_minima"], cc["global_minima"]) == (8, 7, 1)
    assert cc["global_at_theta_star"] is True and cc["status"] == "complete"


@pytest.mark.slow
@pytest.mark.parametrize("gen", ["spin1", "z1z2"])
def test_integer_spectrum_p3_certified_table(gen):
    con = integer_spectrum_construction(3, gen)
    cc = critical_check(con)
    assert con.certificate.n_minima == cc["minima"] == 64 and cc["global_at_theta_star"] is True


def test_theorem2_refuses_without_linear_independence():
    q = QNN.from_paulis(["Z0", "Z0"], 2)
    with pytest.raises(ValidationError, match="not with linear independence"):
        theorem2_construction(q, PauliSum.from_labels(2, {"Y0": 1, "X1": 1}))
    q, M = cayley_qnn(4, 3, seed=0)
    with pytest.raises(ValidationError, match="dimension condition"):
        theorem2_construction(q, M)


def test_theorem2_on_pauli_qnn_uses_gram_solver_and_theta_star():
    inst = prop5_instance(2)
    con = theorem2_construction(inst.qnn, inst.observable, theta_star="pi/4,3/5:4/5")
    assert con.loss_verified and con.solver.startswith("Gram")
    assert con.angles[0] == (0, 1) and con.angles[1] == (Fraction(3, 5), Fraction(4, 5))


def test_kappa_override_validated():
    inst = prop5_instance(1)
    with pytest.raises(ValidationError, match="kappa"):
        theorem2_construction(inst.qnn, inst.observable, kappa=100)
    con = theorem2_construction(inst.qnn, inst.observable, kappa="1/3")
    assert con.kappa == Fraction(1, 3) and con.loss_verified


# --- Proposition 5 families ---------------------------------------------------------------------

def test_prop5_general_h_m():
    con = prop5_construction(2, h="3/5 X + 4/5 Z", m="Y + 1/2 Z + I")
    assert con.loss_verified and con.certificate.certified
    assert multistart_minima(con.loss, 256, seed=0)["distinct_minima"] == 4


def test_prop5_traceless_m():
    # tr m = 0 (m = Y + Z, h = Z: m + hmh = 2Z, m − hmh = 2Y): E^(0) = Φ^(0)/tr Φ^(0)² is used
    con = prop5_construction(2, m="Y + Z", coupled=True)
    assert con.loss_verified and con.certificate.certified
    assert all(s.label == 0 for s in con.instance.dataset.samples[:2])  # y = tr(ρΦ_0) = tr M/d = 0 for S_0


def test_prop5_condition_checked():
    with pytest.raises(ValidationError, match=r"m\[0\]"):
        prop5_qnn(2, h="Z", m="Z + I")  # m − hmh = 0
    with pytest.raises(ValidationError, match="two-level|H²"):
        prop5_qnn(1, h="X + Z")


def test_greedy_defeated_by_coupled_family_only():
    cpl = greedy_demo(prop5_construction(3, coupled=True), n_random=40)
    assert cpl["stuck"] and cpl["end_loss"] > cpl["global_loss"] + 1e-6
    sep = greedy_demo(prop5_construction(3), n_random=40)
    assert not sep["stuck"] and sep["random_spurious_fraction"] == 0.0


def test_coupled_certified_for_p16():
    con = prop5_construction(16, coupled=True)
    c = con.certificate
    assert con.loss_verified and c.certified and c.n_minima == 2 ** 16 and c.n_spurious == 2 ** 16 - 1


# --- integer spectra ----------------------------------------------------------------------------

@pytest.mark.parametrize("gen,p", [("spin1", 1), ("spin1", 2), ("z1z2", 1)])
def test_integer_spectrum(gen, p):
    con = integer_spectrum_construction(p, gen)
    assert con.loss_verified and con.certificate.certified
    assert con.certificate.n_minima == 4 ** p  # (2J)^p with J = Δ/ω₀ = 2
    res = multistart_minima(con.loss, 100 * 4 ** p, seed=3)
    assert res["distinct_minima"] == 4 ** p
    best = res["points"][np.argmin(res["values"])]
    star = _theta(con.angles, con.loss.omega[0])
    period = 2 * np.pi / con.loss.omega[0]
    assert np.allclose(np.mod(best - star + period / 2, period) - period / 2, 0, atol=1e-6)


def test_integer_design_rejects_irrational_orders():
    with pytest.raises(ValidationError, match="J"):
        integer_design(1, 4)


# --- angles, helpers ------------------------------------------------------------------------------

def test_circle_point_forms():
    assert circle_point("3/5:4/5") == (Fraction(3, 5), Fraction(4, 5))
    assert circle_point("pi/2") == (-1, 0)
    assert circle_point("3/4*pi") == (0, -1) and circle_point("-pi/4") == (0, -1)
    c, s = circle_point("0.3")
    assert c * c + s * s == 1 and abs(math.atan2(s, c) - 0.6) < 1e-5
    for bad in ("1/2:1/2", "pi/3", "abc", "1/4*pi:1"):
        with pytest.raises(ValidationError):
            circle_point(bad)


@given(st.integers(1, 3), st.integers(0, 10 ** 6))
def test_sparse_evaluator_matches_trigpoly(p, seed):
    rng = np.random.default_rng(seed)
    terms = {tuple(int(x) for x in rng.integers(-2, 3, size=p)): Fraction(int(rng.integers(-5, 6)), 3) for _ in range(6)}
    L = TrigPoly(p, terms, 2)
    th = rng.uniform(0, 4, size=(5, p))
    v, g, hd = L.evaluator()(th)
    # reference: the sympy expression and its exact derivatives (an independent path)
    import sympy
    sy = sympy.symbols(f"t1:{p + 1}", real=True)
    expr = L.to_sympy(sy)
    f = sympy.lambdify(sy, [expr] + [sympy.diff(expr, x) for x in sy] + [sympy.diff(expr, x, 2) for x in sy])
    ref = np.array([f(*t) for t in th], dtype=float)
    assert np.allclose(v, ref[:, 0]) and np.allclose(g, ref[:, 1:p + 1])
    assert np.allclose(hd, ref[:, p + 1:])
    assert np.allclose(hd, np.diagonal(L.hessian(th), axis1=1, axis2=2))


def test_translate_roots():
    # the translated S_0 residual vanishes exactly at φ = a
    a = default_angles(2)
    r = translate(separable_design(2).residuals[1], a, 2)
    assert r.evaluate_cs(a) == 0


# --- built-ins and CLI -------------------------------------------------------------------------------

def test_builtins_load():
    inst = builtin_instance("prop5-coupled", p=2)
    assert inst.m == 5 and inst.exact
    assert builtin_instance("theorem2", p=1, d=4).p == 1


def test_cli_construct_writes_instance(tmp_path, capsys):
    out = tmp_path / "t2.json"
    assert main(["construct", "theorem2", "--qnn", "cayley", "--param", "d=4", "--p", "2", "--seed", "1",
                 "-o", str(out), "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["loss_verified"] and rep["certificate"]["n_minima"] == 4 and len(rep["minima"]) == 4
    inst = load_instance(str(out))
    assert inst.exact and inst.m == 4
    assert main(["independence", str(out)]) == 0
    assert "with linear independence" in capsys.readouterr().out


def test_cli_errors_and_study(capsys):
    assert main(["construct", "theorem2", "--qnn", "cayley", "--param", "d=4", "--p", "3"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: qnn") and "Traceback" not in err
    assert main(["construct", "prop5", "--p", "2", "--m", "Z + I"]) == 2
    assert main(["study", "theorem6", "--d", "4", "--p", "1", "3", "--samples", "10", "--format", "csv", "--quiet"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("d,p,samples") and len(lines) == 3
    assert main(["study", "minima", "--family", "prop5-coupled", "--p", "2", "3", "--starts", "64", "--quiet",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["distinct_minima"] for r in rows] == [4, 8]


@given(st.fractions(min_value=-5, max_value=5, max_denominator=9), st.integers(0, 50))
def test_theorem2_any_rational_theta_star(t, seed):
    # θ* from a rational stereographic parameter: (cos φ*, sin φ*) = ((1 − t²), 2t)/(1 + t²)
    c, s = (1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)
    q, M = cayley_qnn(4, 1, seed=seed)
    con = theorem2_construction(q, M, theta_star=[(c, s)])
    assert con.loss_verified and con.certificate.certified
    # exact: the residuals of S_0 vanish at θ*, and L(θ*) is the global value (ε − t)² κ²/m = 0
    assert con.loss.evaluate_cs([(c, s)]) == 0
    assert con.loss.evaluate_cs([(-c, -s)]) == con.scale  # spurious translate: (ε + t)²·κ²/m = κ²/m
