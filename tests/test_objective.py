"""Objective kinds (issue 23): square-loss (eq. 6), expectation (the energy) and weighted-square.

Hand-derived answers (a p = 1 energy ``E = cos φ``; a weighted square loss equal to a duplicated
sample's square loss), the float simulators against the exact polynomial for every objective,
the file format, and the checker re-deriving the objective (a forged kind is refused).
"""
from __future__ import annotations

import copy
import json
from fractions import Fraction

import numpy as np
import pytest

from qnnsym.certify.certificate import critical_certificate
from qnnsym.certify.checker import check_certificate, loss_by_interpolation
from qnnsym.certify.checker.instance import instance_digest
from qnnsym.critical.table import critical_table
from qnnsym.errors import InstanceFileError, ValidationError
from qnnsym.exact.paulis import PauliSum
from qnnsym.expansion import loss_poly, output_polys
from qnnsym.model.circuit import QNN, Gate
from qnnsym.model.data import Dataset, Instance, Objective, Sample
from qnnsym.model.instances import instance_from_dict, instance_to_dict, prop5_instance
from qnnsym.sim import simulator


def energy_p1() -> Instance:
    """``U = exp(-iθY)``, ``ρ = |0⟩⟨0|``, ``H = Z``: ``E = cos 2θ = cos φ`` (by hand)."""
    qnn = QNN((Gate(PauliSum.string(1, "Y0")),), n_qubits=1)
    return Instance(qnn, PauliSum.string(1, "Z0"), Dataset((Sample([1, 0], 0),)), objective="energy")


#: a 1-qubit VQE: RY then RZ, H = 3/5 Z + 4/5 X.  Bloch vector (sin φ1 cos φ2, sin φ1 sin φ2, cos φ1), so
#: E = 3/5 cos φ1 + 4/5 sin φ1 cos φ2: minima E = −1 at φ2 ∈ {0, π} (cos φ1 = −3/5), maxima +1, saddles ±3/5
VQE1 = {"n_qubits": 1, "objective": {"kind": "expectation"},
        "circuit": [{"gate": "Y0"}, {"gate": "Z0"}],
        "observable": {"pauli": [["3/5", "Z0"], ["4/5", "X0"]]},
        "samples": [{"state": {"vector": ["1", "0"]}}]}


def test_energy_p1_is_cos_phi_with_one_minimum_and_one_maximum():
    inst = energy_p1()
    E = loss_poly(inst)
    assert E.to_string() == "cos(2θ1)"                       # degree 1 in φ = 2θ (eq. 12), not 2 as a loss
    assert E == output_polys(inst)[0] == loss_by_interpolation(inst)
    t = critical_table(inst)
    assert t.status == "complete"
    got = sorted((cp.kind, cp.loss_exact) for cp in t.points)
    assert got == [("maximum", 1), ("minimum", -1)]          # φ = 0: max E = 1; φ = π: min E = −1
    assert [cp.is_global for cp in t.points if cp.kind == "minimum"] == [True]


def test_energy_certificate_is_checked_and_a_forged_objective_is_refused():
    inst = energy_p1()
    cert = critical_certificate(inst)
    assert cert["loss"]["objective"] == "expectation" and cert["statement"].startswith("The energy (expectation)")
    assert check_certificate(cert).accepted
    # 1. the claim alone changed
    forged = copy.deepcopy(cert)
    forged["loss"]["objective"] = "square-loss"
    assert not check_certificate(forged).accepted
    # 2. the instance's objective changed (label added, digest recomputed): another loss, refused
    forged = copy.deepcopy(cert)
    forged["instance"].pop("objective")
    forged["instance"]["samples"][0]["label"] = "0"
    forged["instance_sha256"] = instance_digest(forged["instance"])
    forged["loss"].pop("objective")
    v = check_certificate(forged)
    assert not v.accepted
    assert any("loss" in x.claim and not x.ok for x in v)
    # 3. a square-loss certificate relabelled as an energy one
    sq = critical_certificate(prop5_instance(1))
    forged = copy.deepcopy(sq)
    forged["loss"]["objective"] = "expectation"
    assert check_certificate(sq).accepted and not check_certificate(forged).accepted


def _duplicated(inst: Instance, k: int) -> Instance:
    s = inst.dataset.samples
    return Instance(inst.qnn, inst.observable, Dataset(s + (s[k],)))


def test_weighted_square_equals_a_duplicated_sample():
    inst = prop5_instance(2)
    w = [1] * inst.m
    w[1] = 2
    weighted = Instance(inst.qnn, inst.observable, inst.dataset, objective="weighted-square", weights=w)
    dup = _duplicated(inst, 1)
    assert loss_poly(weighted) == loss_poly(dup)
    assert loss_by_interpolation(weighted) == loss_poly(dup)       # the checker's independent route
    # weights are normalised: scaling them changes nothing; (1, ..., 1) is eq. 6
    scaled = Instance(inst.qnn, inst.observable, inst.dataset, objective=Objective("weighted-square",
                                                                                   [Fraction(x, 3) for x in w]))
    assert loss_poly(scaled) == loss_poly(dup)
    ones = Instance(inst.qnn, inst.observable, inst.dataset, objective=Objective("weighted-square", ["1"] * inst.m))
    assert loss_poly(ones) == loss_poly(inst)
    a, b = critical_table(weighted), critical_table(dup)
    assert a.status == b.status == "complete" and a.counts == b.counts


def _instances():
    base = prop5_instance(2)
    yield "square", base
    yield "weighted", Instance(base.qnn, base.observable, base.dataset, objective="weighted-square",
                               weights=["1/2", "3/2", "0", "2"])
    yield "energy", instance_from_dict(dict(VQE1, circuit=VQE1["circuit"] + [{"gate": "Y0"}]))
    yield "energy-2q", instance_from_dict(dict(VQE1, n_qubits=2, circuit=[{"gate": "Y0"}, {"gate": "X0 Y1"},
                                                                           {"gate": "Z0"}],
                                               observable={"pauli": [["1", "Z0 Z1"], ["1/2", "X1"]]},
                                               samples=[{"state": {"vector": ["1", "0", "0", "0"]}}]))


@pytest.mark.parametrize("name,inst", list(_instances()))
@pytest.mark.parametrize("method", ["trig", "statevector", "product"])
def test_float_simulators_agree_with_the_exact_objective(name, inst, method):
    L = loss_poly(inst)
    th = np.random.default_rng(1).uniform(-3, 3, (6, inst.p))
    try:
        sim = simulator(inst, method)
    except ValidationError:
        assert method == "product"                           # not a product instance
        return
    v, g = sim.loss_and_grad(th)
    np.testing.assert_allclose(v, L(th), atol=1e-12)
    np.testing.assert_allclose(sim.loss(th), L(th), atol=1e-12)
    np.testing.assert_allclose(g, L.gradient(th), atol=1e-11)
    np.testing.assert_allclose(sim.hessian(th), L.hessian(th), atol=1e-10)


def test_vqe_energy_table_is_certified_and_agrees_with_a_float_multistart():
    scipy_opt = pytest.importorskip("scipy.optimize")
    inst = instance_from_dict(VQE1)
    t = critical_table(inst)
    assert t.status == "complete"
    minima = [cp for cp in t.points if cp.kind == "minimum"]
    assert all(cp.loss_exact == -1 and cp.is_global for cp in minima)     # ground energy of 3/5 Z + 4/5 X
    assert sorted((cp.kind, cp.loss_exact) for cp in t.points) == sorted(
        [("minimum", -1)] * 2 + [("maximum", 1)] * 2 + [("saddle", Fraction(3, 5))] * 2 + [("saddle", Fraction(-3, 5))] * 2)
    assert check_certificate(critical_certificate(inst, table=t)).accepted
    # an independent float search: dense 2×2 matrices, L-BFGS from 200 starts
    Y, Z = np.array([[0, -1j], [1j, 0]]), np.diag([1.0, -1.0])
    H = 0.6 * Z + 0.8 * np.array([[0, 1], [1, 0]])

    def energy(th):
        psi = np.array([1, 0], dtype=complex)
        for G, a in zip((Y, Z), th):
            psi = np.cos(a) * psi - 1j * np.sin(a) * (G @ psi)
        return float(np.real(psi.conj() @ H @ psi))

    rng = np.random.default_rng(0)
    found = [scipy_opt.minimize(energy, x0, method="L-BFGS-B").fun for x0 in rng.uniform(0, np.pi, (200, 2))]
    assert min(found) == pytest.approx(-1, abs=1e-8)
    assert all(f == pytest.approx(-1, abs=1e-6) or f > -0.6 for f in found)    # no other minimum below the saddles


def test_objective_file_format_round_trips_and_refuses_bad_input():
    for obj in (None, {"kind": "weighted-square", "weights": ["1/2", "3/2", "1", "0"]}):
        d = instance_to_dict(prop5_instance(2))
        if obj:
            d["objective"] = obj
        inst = instance_from_dict(d)
        assert instance_from_dict(json.loads(json.dumps(instance_to_dict(inst)))) == inst
        assert ("objective" in instance_to_dict(inst)) == bool(obj)          # eq. 6 files are unchanged
    e = instance_from_dict(VQE1)
    assert e.objective.kind == "expectation" and e.labels == [0] and "label" not in instance_to_dict(e)["samples"][0]
    assert instance_from_dict(instance_to_dict(e)) == e
    assert instance_from_dict(dict(VQE1, objective={"kind": "energy"})) == e
    # a label given with the expectation objective is not used (and not written back)
    labelled = dict(VQE1, samples=[{"state": {"vector": ["1", "0"]}, "label": "5"}])
    assert instance_from_dict(labelled) == e
    d = instance_to_dict(prop5_instance(2))
    bad = [({"kind": "energy"}, "samples"),
           ({"kind": "weighted-square"}, "objective.weights"),
           ({"kind": "weighted-square", "weights": ["1"]}, "objective.weights"),
           ({"kind": "weighted-square", "weights": ["1", "-1", "1", "1"]}, "objective.weights[1]"),
           ({"kind": "weighted-square", "weights": ["0", "0", "0", "0"]}, "objective.weights"),
           ({"kind": "square-loss", "weights": ["1"]}, "objective.weights"),
           ({"kind": "minimax"}, "objective.kind"),
           ("energy", "objective")]
    for obj, field in bad:
        with pytest.raises(InstanceFileError) as ei:
            instance_from_dict(dict(d, objective=obj))
        assert ei.value.field == field, (obj, ei.value)
    nolabel = copy.deepcopy(d)
    del nolabel["samples"][2]["label"]
    with pytest.raises(InstanceFileError, match=r"samples\[2\]\.label"):
        instance_from_dict(nolabel)
    with pytest.raises(ValidationError, match="objective"):
        Instance(e.qnn, e.observable, e.dataset, objective=3)


@pytest.fixture(scope="module")
def prop5_p1():
    return prop5_instance(1, r="1/3")


def test_integer_weights_equal_repeated_samples(prop5_p1):
    """Property: weights (w_k) ∈ ℕ equal the dataset with sample k listed w_k times (exactly)."""
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    inst = prop5_p1

    @hypothesis.settings(max_examples=25, deadline=None)
    @hypothesis.given(st.lists(st.integers(0, 3), min_size=inst.m, max_size=inst.m).filter(any))
    def check(w):
        weighted = Instance(inst.qnn, inst.observable, inst.dataset, objective="weighted-square", weights=w)
        rep = Dataset(tuple(s for s, k in zip(inst.dataset.samples, w) for _ in range(k)))
        L = loss_poly(Instance(inst.qnn, inst.observable, rep))
        assert loss_poly(weighted) == L == loss_by_interpolation(weighted)

    check()
