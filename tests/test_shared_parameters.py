"""Shared parameters and linear angles (issue 23): gate g at the angle Σ_l a_gl θ_l.

The model and its errors, the instance format (round trip, clear errors), the expansion by
substitution against direct simulation and against the checker's independent interpolation, the
certificate of a tied instance (and a forged one), the importers' parameter expressions (Qiskit,
PennyLane, OpenQASM 3; ``rx(0*a)`` and ``rx(a-a)`` are no free parameter), and the QAOA MaxCut
energy tables cross-checked against a float multistart written without qnnsym.
"""
from __future__ import annotations

import copy
import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnnsym import PauliSum, builtin_instance, loss_poly
from qnnsym.certify import check_certificate, critical_certificate
from qnnsym.certify.checker.instance import instance_digest, unlabelled
from qnnsym.certify.checker.loss import loss_by_interpolation
from qnnsym.errors import InstanceFileError, ValidationError
from qnnsym.expansion import output_polys, outputs_direct_float, run_checks
from qnnsym.expansion.tied import gate_points, substitute_angles, untied_instance
from qnnsym.model import QNN, Gate
from qnnsym.model.instances import dump_instance, instance_from_dict, instance_to_dict

from strategies import pauli_instances  # noqa: E402

V = ["1", "0", "0", "0"]
W = ["0", "3/5", "4/5*I", "0"]


def tied_dict(**over) -> dict:
    """A two-qubit instance with shared parameters a, b and fractional coefficients."""
    d = {"format": "qnnsym-instance/1", "n_qubits": 2, "parameters": ["a", "b"],
         "circuit": [{"gate": {"pauli": "Y0"}, "angle": [["1", "a"]]},
                     {"gate": {"pauli": "Y1"}, "angle": [["1", "a"], ["1/2", "b"]]},
                     {"fixed": {"pauli": "X0 X1", "cos": "0", "sin": "1"}},
                     {"gate": {"pauli": "Z0 Z1"}, "angle": [["-3/2", "b"]]},
                     {"gate": {"pauli": "X0"}, "angle": [["2", "a"], ["-1", "b"]]}],
         "observable": {"pauli": [["1", "Z0"], ["1/2", "X1"], ["1/3", "Y0 Y1"]]},
         "samples": [{"state": {"vector": V}, "label": "1/3"}, {"state": {"vector": W}, "label": "-1/2"}]}
    d.update(over)
    return d


def test_model_counts_parameters_not_gates():
    inst = instance_from_dict(tied_dict())
    q = inst.qnn
    assert (q.p, q.n_gates, inst.p, q.tied) == (2, 4, 2, True)
    # frequencies ω_g·|a_gl|: a → 2, 2, 4 (gcd 2); b → 1, 3, 2 (gcd 1)
    assert q.omega == (2, 1)
    # degree of f in θ_l in units of ω_l: a: (2 + 2 + 4)/2 = 4; b: (1 + 3 + 2)/1 = 6
    assert q.degrees == (4, 6)
    assert q.untied().p == 4 and not q.untied().tied
    assert q.angle_matrix().tolist() == [[1, 0], [1, 0.5], [0, -1.5], [2, -1]]
    L = loss_poly(inst)
    assert all(d <= 2 * c for d, c in zip(L.degrees(), q.degrees)) and L.omega == (2, 1)


@pytest.mark.parametrize("change, field, words", [
    ({"parameters": ["a", "a"]}, "parameters[1]", "duplicate name 'a'"),
    ({"parameters": []}, "parameters", "non-empty list"),
    ({"parameters": ["a", "b", "c"]}, "parameters", "'c' drives no gate"),
])
def test_instance_file_parameter_errors(change, field, words):
    with pytest.raises(InstanceFileError) as e:
        instance_from_dict(tied_dict(**change))
    assert e.value.field == field and words in str(e.value)


@pytest.mark.parametrize("gate, field, words", [
    ({"gate": {"pauli": "Z0"}}, "circuit[5].angle", "missing"),
    ({"gate": {"pauli": "Z0"}, "angle": [["1", "c"]]}, "circuit[5].angle[0]", "unknown parameter \"c\""),
    ({"gate": {"pauli": "Z0"}, "angle": [["0", "a"]]}, "circuit[5].angle", "every coefficient is zero"),
    ({"gate": {"pauli": "Z0"}, "angle": [["1", "a"], ["-1", "a"]]}, "circuit[5].angle", "every coefficient is zero"),
    ({"gate": {"pauli": "Z0"}, "angle": [[0.5, "a"]]}, "circuit[5].angle[0]", "coefficient 0.5"),
    ({"gate": {"pauli": "Z0"}, "angle": [["1/3", "a"]]}, "circuit[5].angle", "frequency 2/3"),
    ({"gate": {"pauli": "Z0"}, "angle": "a"}, "circuit[5].angle", "malformed"),
])
def test_instance_file_angle_errors(gate, field, words):
    d = tied_dict()
    d["circuit"].append(gate)
    with pytest.raises(InstanceFileError) as e:
        instance_from_dict(d)
    assert e.value.field == field and words in str(e.value)


def test_angle_without_parameters_is_refused():
    d = tied_dict()
    del d["parameters"]
    with pytest.raises(InstanceFileError, match=r"circuit\[0\].angle: an angle over named parameters"):
        instance_from_dict(d)
    with pytest.raises(ValidationError, match="names none"):
        QNN((Gate(PauliSum.string(1, "Z0"), angle=((0, 1),)),), n_qubits=1)
    with pytest.raises(ValidationError, match="parameter index 1"):
        QNN((Gate(PauliSum.string(1, "Z0"), angle=((1, 1),)),), n_qubits=1, parameters=("t",))


def test_instance_round_trip():
    inst = instance_from_dict(tied_dict())
    text = dump_instance(inst)
    again = instance_from_dict(json.loads(text))
    assert again == inst and instance_to_dict(again) == json.loads(text)
    assert json.loads(text)["circuit"][1]["angle"] == [["1", "a"], ["1/2", "b"]]


def test_expansion_agrees_with_simulation_and_with_the_checker():
    inst = instance_from_dict(tied_dict())
    fs = output_polys(inst)
    th = np.random.default_rng(3).uniform(-4, 4, (6, 2))
    direct = outputs_direct_float(inst, th)
    assert np.allclose(np.stack([f(th) for f in fs], axis=1), direct, atol=1e-12)
    # the untied expansion at the gate angles t = Aθ
    gate_level = output_polys(untied_instance(inst))
    t = th @ inst.qnn.angle_matrix().T
    assert np.allclose(np.stack([g(t) for g in gate_level], axis=1), direct, atol=1e-12)
    # exactly: the checker's interpolation of tr(UρU†M) (no Φ engine) gives the same loss
    assert loss_by_interpolation(inst) == loss_poly(inst)
    assert all(r.passed for r in run_checks(instance_from_dict(tied_dict(circuit=[
        {"gate": {"pauli": "Y0"}, "angle": [["1", "a"]]}, {"gate": {"pauli": "X1"}, "angle": [["2", "a"], ["-1", "b"]]},
        {"gate": {"pauli": "Z0 Z1"}, "angle": [["1", "b"]]}]))))


@settings(max_examples=25, deadline=None)
@given(inst=pauli_instances(max_n=2, max_p=3, max_m=2), data=st.data())
def test_tying_any_circuit_matches_its_untied_expansion(inst, data):
    """Property: a random circuit with random half-integer angles Σ_l a_gl θ_l expands to the untied
    expansion at t = Aθ (exactly, at rational points), and to the direct simulation (floats)."""
    import dataclasses

    P = data.draw(st.integers(1, 2))
    coeff = st.sampled_from([Fraction(k, 2) for k in range(-4, 5) if k])
    angles = []
    for _ in inst.qnn.gates:
        ls = data.draw(st.lists(st.integers(0, P - 1), min_size=1, max_size=2, unique=True))
        angles.append(tuple((l, data.draw(coeff)) for l in ls))
    used = {l for a in angles for l, _ in a}
    if used != set(range(P)):
        angles[0] = angles[0] + tuple((l, Fraction(1)) for l in range(P) if l not in used)
    ops, k = [], 0
    for o in inst.qnn.ops:
        ops.append(dataclasses.replace(o, angle=angles[k]))
        k += 1
    tied = dataclasses.replace(inst, qnn=QNN(tuple(ops), n_qubits=inst.qnn.n_qubits, parameters=tuple(f"x{l}" for l in range(P))))
    fs = output_polys(tied)
    th = np.random.default_rng(0).uniform(-3, 3, (3, P))
    assert np.allclose(np.stack([f(th) for f in fs], axis=1), outputs_direct_float(tied, th), atol=1e-10)
    # exact, at θ_l with (cos θ_l, sin θ_l) = (3/5, 4/5): the tied polynomial in φ_l = ω_l θ_l equals the
    # untied one at φ_g = 2t_g = Σ_l 2a_gl θ_l (integer multiples of θ_l: exact cosines)
    from qnnsym.exact.trigpoly import cos_sin_multiple

    doubled = QNN(tuple(dataclasses.replace(o, angle=tuple((l, 2 * a) for l, a in o.angle)) for o in ops),
                  n_qubits=inst.qnn.n_qubits, parameters=tied.qnn.parameters)
    cs_gates = gate_points(doubled, [(Fraction(3, 5), Fraction(4, 5))] * P)
    for f, g in zip(fs, output_polys(inst)):
        phi = [cos_sin_multiple(Fraction(3, 5), Fraction(4, 5), w)[w] for w in f.omega]
        assert f.evaluate_cs(phi) == g.evaluate_cs(cs_gates)


def test_float_simulators_agree_on_shared_parameters():
    from qnnsym.sim import simulator
    from qnnsym.sim.statevector import StatevectorSimulator

    inst = instance_from_dict(tied_dict())
    th = np.random.default_rng(5).uniform(-2, 2, (4, 2))
    trig, sv = simulator(inst), simulator(inst, "statevector")
    assert trig.method == "trig" and type(sv).__name__ == "SharedParameterSimulator" and sv.p == 2
    L1, G1 = trig.loss_and_grad(th)
    L2, G2 = sv.loss_and_grad(th)
    assert np.allclose(L1, L2, atol=1e-12) and np.allclose(G1, G2, atol=1e-10)
    assert np.allclose(trig.hessian(th), sv.hessian(th), atol=1e-9)
    assert np.allclose(L1, loss_poly(inst)(th), atol=1e-12)
    with pytest.raises(ValidationError, match="gates share parameters"):
        StatevectorSimulator(inst)


def test_substitution_is_exact_on_a_known_product():
    # cos 2t₁ · sin 2t₂ with t₁ = θ, t₂ = θ: sin(4θ)/2
    q = QNN((Gate(PauliSum.string(1, "Z0"), angle=((0, 1),)), Gate(PauliSum.string(1, "X0"), angle=((0, 1),))),
            n_qubits=1, parameters=("θ",))
    from qnnsym.exact.trigpoly import TrigPoly

    out = substitute_angles(TrigPoly(2, {(1, -1): Fraction(1)}), q)
    assert out.terms == {(-2,): Fraction(1, 2)} and out.omega == (2,)
    c, s = gate_points(q, [(Fraction(3, 5), Fraction(4, 5))])[0]
    assert (c, s) == (Fraction(3, 5), Fraction(4, 5))


def _tied_dense(seed=0) -> dict:
    d = unlabelled(instance_to_dict(builtin_instance("dense", p=2, seed=seed)))
    d["parameters"] = ["x", "y"]
    gates = [e for e in d["circuit"] if "gate" in e]
    gates[0]["angle"] = [["-1", "x"]]
    gates[1]["angle"] = [["2", "y"]]
    return d


def test_certificate_of_a_tied_instance_and_a_forged_angle():
    inst = instance_from_dict(_tied_dense())
    cert = critical_certificate(inst)
    assert cert["instance"]["parameters"] == ["x", "y"]
    assert all(v.ok for v in check_certificate(cert))
    forged = copy.deepcopy(cert)
    [e for e in forged["instance"]["circuit"] if "gate" in e][1]["angle"] = [["1", "y"]]
    forged["instance_sha256"] = instance_digest(forged["instance"])     # a consistent digest: only the loss can tell
    verdicts = check_certificate(forged)
    bad = [v.claim for v in verdicts if not v.ok]
    assert "the solver's loss is the instance's loss (eq. 6)" in bad


# --- importers ---------------------------------------------------------------------------------------

qiskit = pytest.importorskip("qiskit")


def _data(n, label="0"):
    return {"samples": [{"state": {"vector": ["1"] + ["0"] * (2 ** n - 1)}, "label": label}]}


def test_qiskit_zero_coefficient_angles_are_fixed_identities():
    """Issue 27: ``rx(0*a)`` and ``rx(a-a)`` were imported as a free θ that changed the loss."""
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter

    from qnnsym.interop import from_qiskit

    a, b = Parameter("a"), Parameter("b")
    for expr in (0 * a, a - a):
        qc = QuantumCircuit(2)
        qc.rx(expr, 0)
        qc.ry(b, 1)
        inst = from_qiskit(qc, "Z0 Z1", _data(2, "1/2"))
        assert inst.p == 1 and inst.qnn.n_gates == 1 and not inst.qnn.tied
        ref = QuantumCircuit(2)
        ref.ry(b, 1)
        assert loss_poly(inst) == loss_poly(from_qiskit(ref, "Z0 Z1", _data(2, "1/2")))


@pytest.mark.filterwarnings("ignore:the instance is inexact")       # the offset 0.5 is a float fixed rotation
def test_qiskit_linear_expressions_against_qiskit():
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import SparsePauliOp, Statevector

    from qnnsym.errors import InteropError
    from qnnsym.interop import from_qiskit

    a, b = Parameter("a"), Parameter("b")
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.rx(2 * a + b, 0)
    qc.cx(0, 1)
    qc.ry(a / 2, 1)
    qc.rzz(b - a / 3 + 0.5, 0, 1)
    M = SparsePauliOp(["ZI", "XX"], [1.0, 0.5])
    inst = from_qiskit(qc, M, _data(2, "0"))
    # a's coefficients 2, 1/2, -1/3 (common denominator 6): θ = a/6; b's 1, 1: θ = b
    assert inst.qnn.parameters == ("a/6", "b")
    f = output_polys(inst)[0]
    for av, bv in [(0.3, -1.1), (2.0, 0.7), (-0.4, 2.5)]:
        ref = Statevector(qc.assign_parameters({a: av, b: bv})).expectation_value(M).real
        assert abs(f([av / 6, bv]) - ref) < 1e-12
    bad = QuantumCircuit(1)
    bad.rx(a * b, 0)
    with pytest.raises(InteropError, match="not linear"):
        from_qiskit(bad, "Z0", _data(1))


def test_openqasm_input_angle_expressions():
    from qnnsym.interop import from_qasm

    text = ('OPENQASM 3.0;\ninclude "stdgates.inc";\ninput angle a;\ninput angle b;\nqubit[2] q;\n'
            "rx(a) q[0];\nrx(a) q[1];\nry(2*b - a) q[0];\nrz(a - a) q[1];\n")
    inst = from_qasm(text, "Z0 Z1", _data(2, "1/4"))
    assert inst.qnn.parameters == ("a", "b") and inst.qnn.n_gates == 3
    assert [g.angle for g in inst.qnn.gates] == [((0, Fraction(1, 2)),), ((0, Fraction(1, 2)),),
                                                  ((0, Fraction(-1, 2)), (1, Fraction(1)))]


# --- QAOA MaxCut ---------------------------------------------------------------------------------------

GRAPHS = {"triangle": [(0, 1), (1, 2), (0, 2)], "4-cycle": [(0, 1), (1, 2), (2, 3), (0, 3)]}


def qaoa_qiskit(graph: str, reps: int):
    from qiskit.circuit.library import qaoa_ansatz
    from qiskit.quantum_info import SparsePauliOp

    E = GRAPHS[graph]
    n = 1 + max(max(e) for e in E)
    H = SparsePauliOp.from_sparse_list([("ZZ", list(e), 1) for e in E], n)
    return qaoa_ansatz(H, reps=reps), H, n


def qaoa_energy_numpy(graph: str, gammas, betas) -> float:
    """⟨C⟩ of QAOA MaxCut, C = Σ Z_iZ_j, by plain numpy (no qnnsym, no Qiskit): Qiskit's ``rzz(2γ)`` is
    ``exp(−iγ Z_iZ_j)`` and ``rx(2β)`` is ``exp(−iβX)``."""
    E = GRAPHS[graph]
    n = 1 + max(max(e) for e in E)
    bits = (np.arange(2 ** n)[:, None] >> np.arange(n)) & 1
    z = 1 - 2 * bits
    C = sum(z[:, i] * z[:, j] for i, j in E).astype(float)
    psi = np.full(2 ** n, 2 ** (-n / 2), dtype=complex)
    for g, b in zip(gammas, betas):
        psi = np.exp(-1j * g * C) * psi
        rx = np.array([[np.cos(b), -1j * np.sin(b)], [-1j * np.sin(b), np.cos(b)]])
        psi = psi.reshape([2] * n)
        for q in range(n):
            psi = np.moveaxis(np.tensordot(rx, psi, axes=([1], [n - 1 - q])), 0, n - 1 - q)
        psi = psi.reshape(-1)
    return float(np.real(np.vdot(psi, C * psi)))


def multistart_minima(fun, p: int, period, starts: int, seed: int = 0):
    """Local minima of ``fun`` from L-BFGS-B (scipy) runs at random starts: ``(θ mod period, value)``."""
    from scipy.optimize import minimize

    rng = np.random.default_rng(seed)
    out = []
    for _ in range(starts):
        r = minimize(fun, rng.uniform(0, period, p), method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
        out.append((np.mod(r.x, period), r.fun))
    return out


def _energy_table(inst):
    from qnnsym.critical.table import critical_table

    return critical_table(output_polys(inst)[0], backend="auto")


def _torus_close(x, y, period, tol):
    d = np.abs(np.mod(x - y + period / 2, period) - period / 2)
    return bool(np.all(d < tol))


@pytest.mark.parametrize("graph, minima, saddles, maxima, degenerate, emin", [
    ("triangle", 2, 3, 0, 1, Fraction(-1)),
    ("4-cycle", 2, 4, 2, 0, Fraction(-2)),
])
def test_qaoa_maxcut_reps1_energy_table_against_multistart(graph, minima, saddles, maxima, degenerate, emin):
    qc, H, n = qaoa_qiskit(graph, 1)
    from qnnsym.interop import from_qiskit

    inst = from_qiskit(qc, H, _data(n, "0"))
    assert inst.qnn.parameters == ("β[0]", "γ[0]") or inst.qnn.parameters == ("γ[0]", "β[0]")
    order = [inst.qnn.parameters.index(nm) for nm in ("γ[0]", "β[0]")]
    f = output_polys(inst)[0]
    tab = _energy_table(inst)
    c = tab.counts
    assert tab.complete and tab.status == "complete"
    assert (c["minima"], c["saddles"], c["maxima"], c["degenerate"]) == (minima, saddles, maxima, degenerate)
    assert tab.min_loss[0] <= emin <= tab.min_loss[1]
    period = math.pi / np.array(tab.omega, dtype=float) * 2
    # the float search, written without qnnsym: every local minimum it finds is a certified minimum
    # (or a degenerate critical point), with the same value; every certified minimum is found
    def energy(x):
        th = np.asarray(x)[order]
        return qaoa_energy_numpy(graph, [th[0]], [th[1]])
    pts = [(np.array(cp.theta), cp) for cp in tab.points]
    hit = set()
    for x, v in multistart_minima(energy, 2, period[0], starts=60):
        near = [i for i, (t, cp) in enumerate(pts) if _torus_close(t, x, period[0], 1e-4)]
        assert near, f"numerical minimum at {x} (E = {v}) is no certified critical point"
        cp = pts[near[0]][1]
        assert cp.kind in ("minimum", "degenerate")
        assert float(cp.loss[0]) - 1e-9 <= v <= float(cp.loss[1]) + 1e-9
        assert abs(f(x) - v) < 1e-9
        hit.add(near[0])
    assert {i for i, (_, cp) in enumerate(pts) if cp.kind == "minimum"} <= hit


def test_checker_rederives_the_common_frequencies():
    """QAOA's outputs have only even harmonics of 2γ, 2β: both the expansion and the checker's
    interpolation write them with ω = 4 (period π/2), so the certificate's loss digest agrees."""
    from qnnsym.certify.checker.loss import outputs_by_interpolation
    from qnnsym.interop import from_qiskit

    qc, H, n = qaoa_qiskit("triangle", 1)
    inst = from_qiskit(qc, H, {"samples": [{"state": {"vector": ["1"] + ["0"] * 7}, "label": "-2"},
                                           {"state": {"vector": ["0"] * 7 + ["1"]}, "label": "1/2"}]})
    assert inst.qnn.omega == (2, 2)
    f = output_polys(inst)
    assert f[0].omega == (4, 4) and outputs_by_interpolation(inst) == f
    assert loss_by_interpolation(inst) == loss_poly(inst)


def test_qaoa_from_pennylane_is_the_qiskit_instance():
    qml = pytest.importorskip("pennylane")
    from pennylane import numpy as pnp

    from qnnsym.interop import from_pennylane, from_qiskit

    for graph, reps in (("4-cycle", 1), ("triangle", 2)):
        E = GRAPHS[graph]
        n = 1 + max(max(e) for e in E)
        Hq = qml.Hamiltonian([1.0] * len(E), [qml.PauliZ(i) @ qml.PauliZ(j) for i, j in E])
        dev = qml.device("default.qubit", wires=n)

        @qml.qnode(dev)
        def circuit(gammas, betas):
            for w in range(n):
                qml.Hadamard(w)
            for layer in range(reps):
                for i, j in E:
                    qml.IsingZZ(2 * gammas[layer], wires=[i, j])
                for w in range(n):
                    qml.RX(2 * betas[layer], wires=w)
            return qml.expval(Hq)

        a = pnp.array([0.1] * reps, requires_grad=True)
        b = pnp.array([0.2] * reps, requires_grad=True)
        pl = from_pennylane(circuit, a, b, data=_data(n, "0"))
        qc, H, _ = qaoa_qiskit(graph, reps)
        qk = from_qiskit(qc, H, _data(n, "0"))
        assert pl.p == qk.p == 2 * reps
        names = {f"gammas[{k}]": f"γ[{k}]" for k in range(reps)} | {f"betas[{k}]": f"β[{k}]" for k in range(reps)}
        perm = [qk.qnn.parameters.index(names[nm]) for nm in pl.qnn.parameters]
        x = np.random.default_rng(1).uniform(0, 3, (5, 2 * reps))
        fp, fq = output_polys(pl)[0], output_polys(qk)[0]
        y = np.empty_like(x)
        y[:, perm] = x
        assert np.allclose(fp(x), fq(y), atol=1e-12)
        g = [x[0][pl.qnn.parameters.index(f"gammas[{k}]")] for k in range(reps)]
        bb = [x[0][pl.qnn.parameters.index(f"betas[{k}]")] for k in range(reps)]
        assert abs(fp(x[0]) - qaoa_energy_numpy(graph, g, bb)) < 1e-12
        assert abs(fp(x[0]) - float(circuit(pnp.array(g), pnp.array(bb)))) < 1e-12


@pytest.mark.filterwarnings("ignore:the instance is inexact")       # the offset −0.3 is a float fixed rotation
def test_pennylane_combined_inputs():
    qml = pytest.importorskip("pennylane")
    from pennylane import numpy as pnp

    from qnnsym.errors import InteropError
    from qnnsym.interop import from_pennylane

    dev = qml.device("default.qubit", wires=2)

    @qml.qnode(dev)
    def circuit(x):
        qml.RY(2 * x[0] + x[1], wires=0)
        qml.CNOT(wires=[0, 1])
        qml.RX(x[1] / 2 - 0.3, wires=1)
        return qml.expval(qml.PauliZ(0) @ qml.PauliZ(1) + 0.5 * qml.PauliX(1))

    inst = from_pennylane(circuit, pnp.array([0.1, 0.2], requires_grad=True), data=_data(2, "0"))
    assert inst.qnn.parameters == ("x[0]", "x[1]/2") and inst.qnn.n_gates == 2
    f = output_polys(inst)[0]
    for v in ([0.3, -0.8], [1.7, 2.2]):
        assert abs(f([v[0], v[1] / 2]) - float(circuit(pnp.array(v)))) < 1e-12

    @qml.qnode(dev)
    def squared(x):
        qml.RY(x[0] * x[0], wires=0)
        qml.RY(x[0], wires=1)
        return qml.expval(qml.PauliZ(0))

    with pytest.raises(InteropError, match="not linear"):
        from_pennylane(squared, pnp.array([0.1], requires_grad=True), data=_data(2, "0"))


@pytest.mark.slow
def test_qaoa_maxcut_reps2_energy():
    """Reps 2: the triangle's energy has a positive-dimensional critical set (no finite table); the
    4-cycle's table (msolve, modular) contains every minimum a float multistart finds, min E = −4."""
    from qnnsym.critical.table import critical_table
    from qnnsym.interop import from_qiskit

    qc, H, n = qaoa_qiskit("triangle", 2)
    tab = critical_table(output_polys(from_qiskit(qc, H, _data(n)))[0])
    assert tab.status == "positive-dimensional" and tab.dimension >= 1
    qc, H, n = qaoa_qiskit("4-cycle", 2)
    inst = from_qiskit(qc, H, _data(n))
    f = output_polys(inst)[0]
    tab = critical_table(f)
    assert tab.points is not None and tab.min_loss[0] <= -4 <= tab.min_loss[1]
    names = inst.qnn.parameters
    gi = [names.index(f"γ[{k}]") for k in range(2)]
    bi = [names.index(f"β[{k}]") for k in range(2)]
    period = 2 * math.pi / f.omega[0]
    pts = [(np.array(cp.theta), cp) for cp in tab.points]
    for x, v in multistart_minima(lambda x: qaoa_energy_numpy("4-cycle", x[gi], x[bi]), 4, period, starts=40):
        near = [cp for t, cp in pts if _torus_close(t, x, period, 1e-4)]
        assert near and near[0].kind == "minimum" and float(near[0].loss[0]) - 1e-8 <= v <= float(near[0].loss[1]) + 1e-8


def test_layer_tied_two_local_against_qiskit():
    """Issue 23: a TwoLocal with one parameter per layer was refused at import."""
    from qiskit.circuit import Parameter
    from qiskit.circuit.library import n_local
    from qiskit.quantum_info import SparsePauliOp, Statevector

    from qnnsym.interop import from_qiskit

    qc = n_local(3, "ry", "cz", reps=2, entanglement="linear")
    layer = [Parameter(f"a{k}") for k in range(3)]
    qc = qc.assign_parameters({p: layer[i // 3] for i, p in enumerate(qc.parameters)})
    M = SparsePauliOp(["ZZI", "IIX"], [1.0, 0.5])
    inst = from_qiskit(qc, M, _data(3))
    assert inst.qnn.parameters == ("a0", "a1", "a2") and inst.qnn.n_gates == 9
    f = output_polys(inst)[0]
    for vals in ([0.3, -0.7, 1.1], [2.0, 0.1, -1.4]):
        ref = Statevector(qc.assign_parameters(dict(zip(layer, vals)))).expectation_value(M).real
        assert abs(f(vals) - ref) < 1e-12


def test_qiskit_library_classes_import_like_their_functions(tmp_path):
    """A library *class* (``QAOAAnsatz``, a ``BlueprintCircuit``: a subclass of ``QuantumCircuit``) is a Qiskit
    circuit to the importer, and gives the instance of the equivalent function ``qaoa_ansatz``."""
    from qnnsym import loss_poly
    from qnnsym.cli.main import main
    from qnnsym.model.instances import load_instance

    src = tmp_path / "path3.py"
    src.write_text("from qiskit.circuit.library import QAOAAnsatz, qaoa_ansatz\n"
                   "from qiskit.quantum_info import SparsePauliOp\n"
                   "cost = SparsePauliOp.from_list([('ZZI', 1.0), ('IZZ', 1.0)])\n"
                   "cls = QAOAAnsatz(cost, reps=1)\n"
                   "fun = qaoa_ansatz(cost, reps=1)\n")
    obs = '{"pauli": [["1", "Z0 Z1"], ["1", "Z1 Z2"]]}'
    for name in ("cls", "fun"):
        assert main(["import", f"{src}:{name}", "--observable", obs, "--objective", "energy",
                     "-o", str(tmp_path / f"{name}.json")]) == 0
    a, b = (load_instance(str(tmp_path / f"{n}.json")) for n in ("cls", "fun"))
    assert a.qnn.n_gates == b.qnn.n_gates == 5
    assert loss_poly(a).terms == loss_poly(b).terms and loss_poly(a).terms
