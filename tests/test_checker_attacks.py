"""Attacks on the certificate checker (issue 14): each class of forgery, built by the test, refused.

1. code execution from a certificate, and one file influencing another in a batch;
2. completeness without isolation (a zero equation; bound-many non-isolated points on a curve);
3. claims the checker used not to read (statement, bounds, level, labels, global flags, summary);
4. loose parsing (floats, booleans, strings, duplicate keys, non-finite and huge numbers);
5. exact input that is not what it claims (a "rotation" off the unit circle);
6. independence of the checker from the solver's derivative / normal-form code.
"""
from __future__ import annotations

import copy
import json
import math
from fractions import Fraction
from pathlib import Path

import pytest

from qnnsym import PauliSum, builtin_instance, loss_poly
from qnnsym.certify import check_certificate, critical_certificate, symbolic_identities_certificate
from qnnsym.certify.checker import check as check_mod
from qnnsym.certify.checker.check import check_files
from qnnsym.certify.checker.critical import critical_statement, instance_label, theorem7_bounds
from qnnsym.certify.checker.instance import certificate_instance, instance_digest
from qnnsym.certify.checker.loss import loss_digest
from qnnsym.certify.checker.points import block_bounds
from qnnsym.certify.checker.trig import cs_normal_form, derivative
from qnnsym.cli.main import main
from qnnsym.errors import CertificateError, ValidationError
from qnnsym.model import QNN, Dataset, FixedGate, Gate, Instance, Sample


def accepted(cert) -> bool:
    return all(v.ok for v in check_certificate(cert))


def refused(cert) -> bool:
    """Refused: a failing verdict, or not a well-formed certificate at all (never an exception else)."""
    try:
        return not accepted(cert)
    except CertificateError:
        return True


@pytest.fixture(scope="module")
def dense_cert():
    return critical_certificate(builtin_instance("dense", p=2, seed=0))


@pytest.fixture(scope="module")
def prop5_cert():
    return critical_certificate(builtin_instance("prop5", p=2))


# --- 1. code execution -------------------------------------------------------------------------------

PAYLOADS = ["__import__('os').system('touch {f}')", "A.__class__", "exec('1')", "(lambda: 1)()", "A; import os",
            "open('{f}', 'w')", "A if True else H", "[A for A in (1,)]", "A @ H", "A**(10**9)", "A" + "*(A" * 300]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_expressions_cannot_execute_code(tmp_path, payload):
    marker = tmp_path / "pwned"
    cert = symbolic_identities_certificate()
    cert["claims"].append({"name": "extra", "paper": "", "lhs": payload.format(f=marker), "rhs": "0",
                           "noncommutative": ["A", "H"], "commutative": [], "involutions": ["H"], "circles": [],
                           "trace": False})
    assert refused(cert)
    assert not marker.exists()


def test_a_planted_file_cannot_influence_the_next_one(tmp_path, monkeypatch, dense_cert):
    """Simulate the worst case: checking the first file compromises the checker (here a patched check
    function that, once run, makes every later critical-points check pass).  With each file in its own
    process the forged second file is still refused; checked in one process it would pass."""
    honest = symbolic_identities_certificate()
    forged = copy.deepcopy(dense_cert)
    forged["points"][0]["index"] = 1 - forged["points"][0]["index"] if forged["points"][0]["index"] in (0, 1) else 0
    f1, f2 = tmp_path / "a.json", tmp_path / "b.json"
    f1.write_text(json.dumps(honest))
    f2.write_text(json.dumps(forged))
    real = check_mod._CHECKERS["symbolic-identities"]

    def compromising(data, progress):
        check_mod._CHECKERS["critical-points"] = lambda d, p: [check_mod.Verdict("all good", True)]
        return real(data, progress)

    monkeypatch.setitem(check_mod._CHECKERS, "symbolic-identities", compromising)
    monkeypatch.setitem(check_mod._CHECKERS, "critical-points", check_mod._CHECKERS["critical-points"])
    res = {Path(f).name: v for f, v, err, _ in check_files([f1, f2], workers=1)}
    assert all(v.ok for v in res["a.json"])
    assert not all(v.ok for v in res["b.json"])
    # the same two files in one process: the compromise would carry over (what the isolation prevents)
    check_certificate(f1)
    assert all(v.ok for v in check_certificate(f2))


def test_cli_batch_with_a_planted_file(tmp_path, capsys, dense_cert):
    planted = symbolic_identities_certificate()
    planted["claims"][0]["lhs"] = "__import__('qnnsym')"
    forged = copy.deepcopy(dense_cert)
    forged["summary"]["minima"] += 1
    (tmp_path / "1.json").write_text(json.dumps(planted))
    (tmp_path / "2.json").write_text(json.dumps(forged))
    rc = main(["check", str(tmp_path / "1.json"), str(tmp_path / "2.json"), "--quiet"])
    out = capsys.readouterr()
    assert rc == 1 and out.out.count("REJECTED") == 2 and "Traceback" not in out.err


# --- 2. completeness without isolation -----------------------------------------------------------------

def _single_qubit_instance(gens, obs="X0"):
    qnn = QNN(tuple(Gate(PauliSum.from_labels(1, {g: 1})) for g in gens), n_qubits=1)
    rho = PauliSum.from_labels(1, {"I": "1/2", "X0": "1/2"})
    return Instance(qnn, PauliSum.from_labels(1, {obs: 1}), Dataset((Sample(rho, "0"),)))


def _forge(inst, blocks, points, summary):
    """A certificate for ``inst`` with the given (forged) block and point claims, every derived field
    computed honestly so that only the mathematical claim is false."""
    loss = loss_poly(inst)
    d, origin = certificate_instance(inst)
    sha = instance_digest(d)
    b7 = theorem7_bounds(loss)
    summ = {"n_real": 0, "n_complex": 0, "complete": True, "minima": 0, "global_minima": 0, "spurious_minima": 0,
            "undecided_global": 0, "saddles": 0, "maxima": 0, "degenerate": 0, **summary}
    return {"format": "qnnsym-certificate/2", "kind": "critical-points",
            "statement": critical_statement(loss.p, summ, b7, instance_label(origin, sha)),
            "instance": d, "origin": origin, "instance_sha256": sha,
            "loss": {"sha256": loss_digest(loss), "n_terms": len(loss.terms)}, "blocks": blocks, "points": points,
            "summary": summ, "bounds": b7, "certification": "verified parametrization"}


def test_constant_loss_is_never_zero_critical_points_complete():
    inst = _single_qubit_instance(["Z0"], obs="Z0")     # the gate commutes with M: L is constant, g ≡ 0
    assert not any(h for h in loss_poly(inst).terms if any(h))
    for elim in (["1", "0"], ["0", "1"], ["1", "1"]):
        blk = {"parameters": [0], "method": "rur", "n_complex": 0, "complete": True,
               "certification": "verified parametrization",
               "bounds": {"bezout": 0, "multihomogeneous": 0, "bezout_generic": 0, "multihomogeneous_generic": 0},
               "rur": {"eliminant": elim, "linear_form": [1, 0], "numerators": [["0"], ["1"]], "denominator": None},
               "points": []}
        assert refused(_forge(inst, [blk], [], {}))


def _curve_certificate():
    """``L = cos²(2(θ_1 + θ_2))``: whole curves of critical points.  The forgery lists bound-many rational
    points on the curve ``θ_1 + θ_2 = 0`` as an RUR that satisfies every equation, claims they are all."""
    import flint

    inst = _single_qubit_instance(["Z0", "Z0"])
    loss = loss_poly(inst)
    grads = [derivative(loss, l) for l in range(2)]
    eqs = [cs_normal_form(g) for g in grads]
    bounds = block_bounds(loss, eqs)
    B = bounds["multihomogeneous"]
    pts = []
    a = 2
    while len(pts) < B:          # rational points (c, s) = ((1-t²)/(1+t²), 2t/(1+t²)) on the circle
        t = Fraction(1, a)
        c, s = (1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)
        for cs in ((c, s), (c, -s), (-c, s), (-c, -s)):
            if len(pts) < B:
                pts.append(cs)
        a += 1
    # φ_l = 2θ_l: θ_1 + θ_2 = 0 ⇔ (c_2, s_2) = (c_1, −s_1); the point x = (c1, s1, c1, −s1)
    xs = [(c, s, c, -s) for c, s in pts]
    lf = [7, 3, 0, 0]
    us = [sum(l * x for l, x in zip(lf, X)) for X in xs]
    assert len(set(us)) == B
    den = math.lcm(*(u.denominator for u in us))
    q = flint.fmpz_poly([1])
    for u in us:
        q *= flint.fmpz_poly([-u.numerator * (den // u.denominator), den])
    q = flint.fmpz_poly([c // q.content() for c in q.coeffs()])
    nums = []
    for i in range(4):   # Lagrange: N_i(u_k) = x_{k,i}, D = 1
        acc = flint.fmpq_poly([])
        for k, uk in enumerate(us):
            term = flint.fmpq_poly([flint.fmpq(xs[k][i].numerator, xs[k][i].denominator)])
            for j, uj in enumerate(us):
                if j != k:
                    term *= flint.fmpq_poly([-flint.fmpq(uj.numerator, uj.denominator), 1]) / flint.fmpq(
                        (uk - uj).numerator, (uk - uj).denominator)
            acc += term
        nums.append([str(Fraction(int(c.p), int(c.q))) for c in acc.coeffs()])
    blk = {"parameters": [0, 1], "method": "rur", "n_complex": B, "complete": True,
           "certification": "verified parametrization", "bounds": bounds,
           "rur": {"eliminant": [str(c) for c in q.coeffs()], "linear_form": lf, "numerators": nums,
                   "denominator": None}, "points": []}
    return _forge(inst, [blk], [], {"n_complex": B})


def test_curves_of_critical_points_are_not_a_complete_finite_table():
    cert = _curve_certificate()
    verdicts = check_certificate(cert)
    param = [v for v in verdicts if "parametrization" in v.claim]
    assert param and all(v.ok for v in param)          # every listed point does solve the system ...
    comp = [v for v in verdicts if "complete" in v.claim]
    assert comp and not comp[0].ok and "NOT proven" in comp[0].detail   # ... but they are not isolated
    assert not all(v.ok for v in verdicts)


# --- 3. every claim is read ----------------------------------------------------------------------------

def _set(path, value):
    def f(c):
        node = c
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value(node[path[-1]]) if callable(value) else value
    return f


def _del(path):
    def f(c):
        node = c
        for k in path[:-1]:
            node = node[k]
        del node[path[-1]]
    return f


CLAIMS = {
    "statement": _set(["statement"], lambda s: s.replace("exactly", "at most")),
    "statement-bound": _set(["statement"], lambda s: s.replace("(4p)^p", "(4p)^p = 3, and")),
    "top bounds": _set(["bounds", "theorem7"], 3),
    "generic bound": _set(["bounds", "multihomogeneous_generic"], lambda v: v + 1),
    "block bounds": _set(["blocks", 0, "bounds", "multihomogeneous"], lambda v: v * 2),
    "block bezout": _set(["blocks", 0, "bounds", "bezout"], lambda v: v + 1),
    "level": _set(["certification"], "exact"),
    "block level": _set(["blocks", 0, "certification"], "exact"),
    "name": _set(["instance", "name"], "dense(p=3, seed=0)"),
    "description": _set(["instance", "description"], "a dense instance"),
    "meta": _set(["instance", "meta"], {"builtin": "dense"}),
    "origin": _set(["origin", "params", "seed"], 5),
    "origin builtin": _set(["origin", "builtin"], "dense"),
    "no origin": _set(["origin"], None),
    "instance digest": _set(["instance_sha256"], "0" * 64),
    "loss terms": _set(["loss", "n_terms"], lambda v: v + 1),
    "summary missing": _del(["summary", "saddles"]),
    "summary undecided": _set(["summary", "undecided_global"], 1),
    "complete flag": _set(["blocks", 0, "complete"], False),
    "summary complete": _set(["summary", "complete"], False),
    "global on a maximum": lambda c: next(p for p in c["points"] if p["kind"] != "minimum").__setitem__("global", True),
    "global missing": lambda c: next(p for p in c["points"] if p["kind"] == "minimum").pop("global"),
    "extra field": _set(["blocks", 0, "backend"], "msolve"),
    "created_by": _set(["created_by"], "qnnsym 9.9"),
    "theta floats": lambda c: c["points"][0].__setitem__("theta", [0, 1]),
}


@pytest.mark.parametrize("name", list(CLAIMS))
def test_every_claim_is_read(prop5_cert, name):
    c = copy.deepcopy(prop5_cert)
    CLAIMS[name](c)
    assert refused(c), name


def test_proposition5_data_labelled_dense_is_refused(prop5_cert, dense_cert):
    c = copy.deepcopy(prop5_cert)
    c["instance"]["name"] = dense_cert["instance"]["name"]
    c["origin"] = dense_cert["origin"]
    assert refused(c)


def test_verdict_names_the_instance_by_digest(prop5_cert):
    v = check_certificate(prop5_cert)
    assert any(prop5_cert["instance_sha256"][:16] in x.claim for x in v)


# --- 4. loose parsing ------------------------------------------------------------------------------------

RAW = {
    "float for an integer": lambda t: t.replace('"index": 0', '"index": 0.0', 1),
    "truncating float": lambda t: t.replace('"index": 0', '"index": -297.4', 1),
    "boolean for an integer": lambda t: t.replace('"index": 0', '"index": true', 1),
    "string for a boolean": lambda t: t.replace('"complete": true', '"complete": "no"', 1),
    "float parameters": lambda t: t.replace('"parameters": [', '"parameters": [0.2, ', 1),
    "duplicate key": lambda t: t.replace('{"format"', '{"kind": "critical-points", "format"', 1),
    "Infinity": lambda t: t.replace('"index": 0', '"index": Infinity', 1),
    "NaN": lambda t: t.replace('"index": 0', '"index": NaN', 1),
    "5000-digit integer": lambda t: t.replace('"index": 0', '"index": ' + "9" * 5000, 1),
    "5000-digit rational": lambda t: t.replace('"eliminant": ["', '"eliminant": ["' + "9" * 5000, 1),
    "not utf-8": lambda t: t.replace("θ", "\udcff") if "θ" in t else "\udcff" + t,
    "top-level list": lambda t: "[" + t + "]",
    "old format": lambda t: t.replace("qnnsym-certificate/2", "qnnsym-certificate/1"),
    "deep nesting": lambda t: "[" * 100000 + "]" * 100000,
    "empty": lambda t: "",
}


@pytest.mark.parametrize("name", list(RAW))
def test_loose_parsing_is_refused_with_a_reason(tmp_path, capsys, prop5_cert, name):
    text = json.dumps(prop5_cert)
    bad = RAW[name](text)
    assert bad != text
    f = tmp_path / "c.json"
    f.write_bytes(bad.encode("utf-8", "surrogateescape"))
    with pytest.raises(CertificateError):
        check_certificate(f)
    rc = main(["check", str(f)])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("error: ") and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_not_a_certificate_and_missing_file(tmp_path, capsys):
    f = tmp_path / "i.json"
    f.write_text(json.dumps({"format": "qnnsym-instance/1", "n_qubits": 1}))
    assert main(["check", str(f), str(tmp_path / "nope.json"), str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("error: ") == 3 and "Traceback" not in err


# --- 5. exact input is checked exactly ---------------------------------------------------------------------

def test_exact_rotation_off_the_circle_is_refused():
    with pytest.raises(ValidationError, match="cos²"):
        FixedGate(pauli=PauliSum.from_labels(1, {"X0": 1}), cos2a="1", sin2a=f"1/{10 ** 7}")
    FixedGate(pauli=PauliSum.from_labels(1, {"X0": 1}), cos2a="3/5", sin2a="4/5")


def test_certificate_with_a_non_unitary_instance_is_refused(prop5_cert):
    c = copy.deepcopy(prop5_cert)
    c["instance"]["circuit"].insert(0, {"fixed": {"pauli": {"X0": "1"}, "cos": "1", "sin": f"1/{10 ** 7}"}})
    assert refused(c)


# --- 6. the checker does not use the solver's calculus -----------------------------------------------------

def test_checker_does_not_use_the_solvers_derivative_or_normal_form(monkeypatch, dense_cert):
    from qnnsym.exact.trigpoly import TrigPoly

    def boom(*a, **k):
        raise AssertionError("the checker used the solver's code")

    for name in ("derivative", "cs_terms", "gradient_polys", "hessian", "gradient"):
        if hasattr(TrigPoly, name):
            monkeypatch.setattr(TrigPoly, name, boom)
    assert accepted(dense_cert)


def test_origin_integer_parameter_spelled_as_string_is_refused():
    """Found by the fuzz test in CI: origin.params.seed = "2" for seed 2 was accepted; the writer
    stores integer parameters as JSON integers, so another spelling is not a claim it makes."""
    import copy

    from qnnsym.certify.certificate import critical_certificate
    from qnnsym.certify.checker.check import check_certificate
    from qnnsym.model.instances import builtin_instance

    c = critical_certificate(builtin_instance("dense", p=1, seed=2))
    assert all(v.ok for v in check_certificate(c))
    m = copy.deepcopy(c)
    m["origin"]["params"]["seed"] = "2"
    bad = [v for v in check_certificate(m) if not v.ok]
    assert bad and "not an integer" in bad[0].detail
