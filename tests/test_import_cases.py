"""Imports that used to be refused or silently wrong (issues 23 and 27), each checked against the
source tool's own simulation: PennyLane templates and Qiskit library blocks without manual
decomposition; measurements, resets and classical control; Qiskit-ordered density matrices; huge
and non-finite fixed angles; empty or malformed observables; wrong QNode arguments; qml.Hermitian;
exports that cannot be written."""
from __future__ import annotations

import contextlib
import io
import json
import math
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from qnnsym.cli import main
from qnnsym.errors import InteropError
from qnnsym.sim import simulator

ROOT = Path(__file__).resolve().parent.parent


def _cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main(argv)
        except SystemExit as e:
            rc = e.code
    return rc, out.getvalue(), err.getvalue()


def _theta(inst, values: dict) -> np.ndarray:
    """θ from the source's parameter values through the recorded relations ``θ_l = c·t``."""
    rel = inst.meta["interop"]["parameters"]
    return np.array([[float(Fraction(r["factor"])) * values[r["source"]] for r in rel]])


def _energy_data(n: int) -> dict:
    return {"samples": [{"state": {"vector": ["1"] + ["0"] * (2 ** n - 1)}}], "objective": {"kind": "expectation"}}


# --- PennyLane templates --------------------------------------------------------------------------------------

def _pl_templates():
    qml = pytest.importorskip("pennylane")
    n = 3
    dev = qml.device("default.qubit", wires=n)
    H = qml.PauliZ(0) @ qml.PauliZ(1) + 0.5 * qml.PauliX(2)

    @qml.qnode(dev)
    def bel(w):
        qml.BasicEntanglerLayers(w, wires=range(n), rotation=qml.RY)
        return qml.expval(H)

    @qml.qnode(dev)
    def sel(w):
        qml.StronglyEntanglingLayers(w, wires=range(n))
        return qml.expval(H)

    @qml.qnode(dev)
    def s2d(init, w):
        qml.SimplifiedTwoDesign(initial_layer_weights=init, weights=w, wires=range(n))
        return qml.expval(H)

    return qml, n, {"BasicEntanglerLayers": (bel, [(2, n)], 6), "StronglyEntanglingLayers": (sel, [(2, n, 3)], 18),
                    "SimplifiedTwoDesign": (s2d, [(n,), (2, n - 1, 2)], 11)}


@pytest.mark.parametrize("template", ["BasicEntanglerLayers", "StronglyEntanglingLayers", "SimplifiedTwoDesign"])
def test_pennylane_template_qnodes_import_and_agree_with_pennylane(template):
    from qnnsym.interop import from_pennylane

    qml, n, cases = _pl_templates()
    pnp = qml.numpy
    f, shapes, p = cases[template]
    rng = np.random.default_rng(3)
    args = [pnp.array(rng.uniform(-1, 1, s), requires_grad=True) for s in shapes]
    inst = from_pennylane(f, *args, data=_energy_data(n))
    assert inst.p == p and inst.exact and inst.objective.kind == "expectation"
    for _ in range(3):                                   # at other weights than those of the tape
        ws = [rng.uniform(-3, 3, s) for s in shapes]
        values = {f"p{i}[{','.join(map(str, j))}]": w[j] for i, w in enumerate(ws) for j in np.ndindex(w.shape)}
        got = float(simulator(inst).loss(_theta(inst, values))[0])
        assert got == pytest.approx(float(f(*[pnp.array(w) for w in ws])), abs=1e-12)


def test_pennylane_refuses_mid_circuit_measurement_and_reads_hermitian_observables(tmp_path):
    qml = pytest.importorskip("pennylane")
    from qnnsym.interop import from_pennylane

    pnp = qml.numpy
    dev = qml.device("default.qubit", wires=2)
    A = np.array([[1, 0.5], [0.5, -1]])

    @qml.qnode(dev)
    def mcm(w):
        qml.RX(w[0], 0)
        m = qml.measure(0)
        qml.cond(m, qml.PauliX)(1)
        qml.RY(w[1], 1)
        return qml.expval(qml.PauliZ(1))

    @qml.qnode(dev)
    def herm(w):
        qml.RX(w[0], 0)
        qml.RY(w[1], 0)
        return qml.expval(qml.Hermitian(A, wires=0))

    @qml.qnode(dev)
    def nan_angle(w):
        qml.RX(w[0], 0)
        qml.RY(float("nan"), 1)
        return qml.expval(qml.PauliZ(1))

    w = pnp.array([0.3, -0.8], requires_grad=True)
    with pytest.raises(InteropError, match="MidMeasureMP@1: .*mid-circuit measurement"):
        from_pennylane(mcm, w, data=_energy_data(2))
    with pytest.raises(InteropError, match="RY@1: angle nan is not finite"):
        from_pennylane(nan_angle, w, data=_energy_data(2))
    inst = from_pennylane(herm, w, data=_energy_data(1))            # H = Z + X/2 (read through its matrix)
    v = np.array([1.1, 2.3])
    assert float(simulator(inst).loss(_theta(inst, {"p0": v[0], "p1": v[1]}))[0]) == pytest.approx(float(herm(v)))
    # wrong QNode arguments: one clear line naming --qnode-args, no traceback
    mod = tmp_path / "circuits.py"
    mod.write_text("import pennylane as qml\ndev = qml.device('default.qubit', wires=2)\n@qml.qnode(dev)\n"
                   "def q(w):\n    qml.RX(w[0], 0)\n    qml.RY(w[1], 1)\n    return qml.expval(qml.PauliZ(0))\n")
    for qargs in ("[1]", '["x"]', "[[0.1, 0.2], 5]"):
        rc, out, err = _cli(["import", f"{mod}:q", "--qnode-args", qargs, "--objective", "energy"])
        assert rc == 2 and err.startswith("error: --qnode-args: calling the QNode") and "Traceback" not in err, err
    rc, out, err = _cli(["import", f"{mod}:q", "--qnode-args", "[[0.1, 0.2]]", "--objective", "energy"])
    assert rc == 0 and json.loads(out)["objective"] == {"kind": "expectation"}


# --- Qiskit library blocks ------------------------------------------------------------------------------------

def _qiskit_energy(qc, values: dict, H) -> float:
    from qiskit.quantum_info import Statevector

    bound = qc.assign_parameters({p: values[p.name] for p in qc.parameters})
    return float(np.real(Statevector(bound).expectation_value(H)))


@pytest.mark.parametrize("block", ["efficient_su2", "EfficientSU2", "TwoLocal", "n_local", "real_amplitudes",
                                   "RealAmplitudes", "PauliEvolutionGate"])
def test_qiskit_library_blocks_import_and_agree_with_qiskit(block):
    pytest.importorskip("qiskit")
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.circuit import library as lib
    from qiskit.quantum_info import SparsePauliOp

    from qnnsym.interop import from_qiskit

    n = 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)       # the class forms are deprecated in Qiskit 2
        if block == "PauliEvolutionGate":
            qc = QuantumCircuit(n)
            qc.append(lib.PauliEvolutionGate(SparsePauliOp(["XYZ"]), time=Parameter("t")), range(n))
            qc.ry(Parameter("u"), 1)
        else:
            qc = {"efficient_su2": lambda: lib.efficient_su2(n, reps=1),
                  "EfficientSU2": lambda: lib.EfficientSU2(n, reps=1),
                  "TwoLocal": lambda: lib.TwoLocal(n, ["ry", "rz"], "cz", reps=2),
                  "n_local": lambda: lib.n_local(n, ["ry", "rz"], "cx", reps=1),
                  "real_amplitudes": lambda: lib.real_amplitudes(n, reps=2),
                  "RealAmplitudes": lambda: lib.RealAmplitudes(n, reps=2)}[block]()
    H = SparsePauliOp(["ZZI", "IXX", "YII"], [0.5, -0.25, 1.0])
    inst = from_qiskit(qc, H, _energy_data(n))
    assert inst.p == qc.num_parameters and inst.exact
    rng = np.random.default_rng(0)
    for _ in range(3):
        values = {p.name: rng.uniform(-3, 3) for p in qc.parameters}
        assert float(simulator(inst).loss(_theta(inst, values))[0]) == pytest.approx(_qiskit_energy(qc, values, H),
                                                                                  abs=1e-12)


# --- measurements, resets, classical control ------------------------------------------------------------------

def test_qiskit_and_qasm_measurements_resets_and_classical_control():
    pytest.importorskip("qiskit")
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import SparsePauliOp

    from qnnsym.interop import from_qasm, from_qiskit

    t = Parameter("t")
    data = {"samples": [{"state": {"vector": ["1", "0"]}, "label": "0"}]}
    qc = QuantumCircuit(1, 1)
    qc.rx(t, 0)
    qc.measure(0, 0)
    qc.rx(1.0, 0)                                    # the audit's case: dropped, f = 0.841 instead of 0
    with pytest.raises(InteropError, match=r"measure@1: mid-circuit measurement: qubit 0 is measured, then rx@2"):
        from_qiskit(qc, "Z0", data)
    qasm = 'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput angle a;\nqubit[1] q;\nbit[1] c;\nrx(a) q[0];\n' \
           'c[0] = measure q[0];\nrx(1.0) q[0];\n'
    with pytest.raises(InteropError, match="mid-circuit measurement"):
        from_qasm(qasm, "Z0", data)
    qc = QuantumCircuit(1)
    qc.rx(t, 0)
    qc.reset(0)
    with pytest.raises(InteropError, match="reset@1: 'reset' is a reset, not a unitary gate"):
        from_qiskit(qc, "Z0", data)
    qc = QuantumCircuit(2, 1)
    qc.rx(t, 0)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(1)
    with pytest.raises(InteropError, match="if_else@2: .*classically controlled"):
        from_qiskit(qc, "Z1", {"samples": [{"state": {"vector": ["1", "0", "0", "0"]}, "label": "0"}]})
    # a terminal measurement is dropped explicitly (listed), and the loss is Qiskit's
    qc = QuantumCircuit(2, 2)
    qc.rx(t, 0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    inst = from_qiskit(qc, "Z1", _energy_data(2))
    assert inst.meta["interop"]["dropped_terminal_measurements"] == ["measure@2", "measure@3"]
    qc.remove_final_measurements()
    for v in (0.3, 2.0):
        assert float(simulator(inst).loss(_theta(inst, {"t": v}))[0]) == pytest.approx(
            _qiskit_energy(qc, {"t": v}, SparsePauliOp(["ZI"])), abs=1e-12)


# --- state order, huge and non-finite angles, observables -----------------------------------------------------

def test_qiskit_order_density_matrix_equals_the_vector():
    pytest.importorskip("qiskit")
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import DensityMatrix, SparsePauliOp, Statevector

    from qnnsym.expansion import loss_poly
    from qnnsym.interop import from_qiskit

    qc = QuantumCircuit(2)
    qc.ry(Parameter("a"), 0)
    qc.rx(Parameter("b"), 1)
    vec = [Fraction(3, 5), Fraction(4, 5), 0, 0]                     # Qiskit order: 3/5|00> + 4/5|01> (q0 = 1)
    rho = [[str(x * y) for y in vec] for x in vec]
    as_vec = {"qubit_order": "qiskit", "samples": [{"state": {"vector": [str(x) for x in vec]}, "label": "1/3"}]}
    as_mat = {"qubit_order": "qiskit", "samples": [{"state": {"matrix": rho}, "label": "1/3"}]}
    bare = {"qubit_order": "qiskit", "samples": [{"state": rho, "label": "1/3"}]}
    L = [loss_poly(from_qiskit(qc, "Z0 Z1", d)) for d in (as_vec, as_mat, bare)]
    assert L[0] == L[1] == L[2]
    v = {"a": 0.4, "b": -1.3}
    bound = qc.assign_parameters({p: v[p.name] for p in qc.parameters})
    ref = float(np.real(DensityMatrix(Statevector(np.array(vec, dtype=float))).evolve(bound)
                        .expectation_value(SparsePauliOp(["ZZ"]))))
    inst = from_qiskit(qc, "Z0 Z1", as_mat)
    assert float(L[1](_theta(inst, v))[0]) == pytest.approx((ref - 1 / 3) ** 2, abs=1e-12)


@pytest.mark.parametrize("angle", [1e17, 1e300, -7.5e22, 1e6 * math.pi])
def test_huge_fixed_angles_are_not_snapped_and_agree_with_qiskit(angle):
    pytest.importorskip("qiskit")
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import SparsePauliOp

    from qnnsym.interop import from_qiskit

    qc = QuantumCircuit(1)
    qc.ry(Parameter("t"), 0)
    qc.rx(angle, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")               # the instance is inexact (an irrational cos/sin): it says so
        inst = from_qiskit(qc, "Z0", _energy_data(1))
    assert not inst.exact
    for v in (0.0, 0.7):
        assert float(simulator(inst).loss(_theta(inst, {"t": v}))[0]) == pytest.approx(
            _qiskit_energy(qc, {"t": v}, SparsePauliOp(["Z"])), abs=1e-9)


def test_non_finite_angles_and_bad_observables_are_refused(tmp_path):
    pytest.importorskip("qiskit")
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter

    from qnnsym.interop import from_qiskit, import_instance

    for bad in (float("nan"), float("inf"), -float("inf")):
        qc = QuantumCircuit(1)
        qc.ry(Parameter("t"), 0)
        qc.rx(bad, 0)
        with pytest.raises(InteropError, match=r"rx@1: angle -?(nan|inf) is not finite"):
            from_qiskit(qc, "Z0", _energy_data(1))
    from qnnsym.interop import from_qasm

    for text, shown in (("1e999", "inf"), ("-1e999", "-inf"), ("1e999-1e999", "nan")):
        src = f'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput angle a;\nqubit[1] q;\nry(a) q[0];\nrx({text}) q[0];\n'
        with pytest.raises(InteropError, match=f"rx@1: angle {shown} is not finite"):
            from_qasm(src, "Z0", _energy_data(1))
    qasm = tmp_path / "c.qasm"
    qasm.write_text('OPENQASM 3.0;\ninclude "stdgates.inc";\ninput angle a;\nqubit[1] q;\nry(a) q[0];\n')
    with pytest.raises(InteropError, match="observable: empty"):
        import_instance(str(qasm), _energy_data(1), "  ")
    for obs in ("", "[1,2]", "[]", "3"):
        rc, out, err = _cli(["import", str(qasm), "--objective", "energy", "--observable", obs])
        assert rc == 2 and err.startswith("error: --observable") or (obs == "3" and rc == 2), (obs, err)
        assert "Traceback" not in err
    rc, out, err = _cli(["import", str(qasm), "--objective", "energy", "--observable", "Z0",
                         "-o", str(tmp_path / "e.json")])
    assert rc == 0 and "objective expectation" in err
    assert json.loads((tmp_path / "e.json").read_text())["objective"] == {"kind": "expectation"}


def test_export_refuses_what_qiskit_cannot_hold(tmp_path):
    pytest.importorskip("qiskit")
    rc, out, err = _cli(["export", str(ROOT / "examples" / "spin1.json"), "--to", "qiskit"])
    assert rc == 2 and err.startswith("error: n_qubits: not a qubit instance") and "Traceback" not in err
    png = tmp_path / "c.png"
    rc, out, err = _cli(["export", "prop5", "--p", "2", "--to", "qiskit", "-o", str(png)])
    assert rc == 2 and "does not end in .qpy" in err and not png.exists()
    rc, out, err = _cli(["export", "prop5", "--p", "2", "--to", "qiskit", "-o", str(tmp_path / "c.qpy")])
    assert rc == 0 and (tmp_path / "c.qpy").stat().st_size > 0


def test_pennylane_adjoint_template_and_fixed_embedding():
    qml = pytest.importorskip("pennylane")
    from qnnsym.interop import from_pennylane

    pnp = qml.numpy
    dev = qml.device("default.qubit", wires=3)
    H = qml.PauliZ(0) @ qml.PauliZ(2) + 0.5 * qml.PauliY(1)

    @qml.qnode(dev)
    def circ(w):
        qml.AngleEmbedding(np.array([0.4, -1.1, 2.0]), wires=range(3))          # fixed data encoding (an array)
        qml.adjoint(qml.RX)(w[0], wires=0)                                       # a trainable adjoint
        qml.adjoint(qml.StronglyEntanglingLayers)(w[1:].reshape(1, 3, 3), wires=range(3))
        return qml.expval(H)

    inst = from_pennylane(circ, pnp.array(np.linspace(0.1, 1, 10), requires_grad=True), data=_energy_data(3))
    assert inst.p == 10 and not inst.exact                  # the embedding's angles are floats: inexact, and says so
    rng = np.random.default_rng(1)
    for _ in range(3):
        v = rng.uniform(-3, 3, 10)
        vals = {"p1": v[0], **{f"p2[0,{i},{j}]": v[1 + 3 * i + j] for i in range(3) for j in range(3)}}
        assert float(simulator(inst).loss(_theta(inst, vals))[0]) == pytest.approx(float(circ(pnp.array(v))), abs=1e-12)


def test_cli_import_objectives(tmp_path):
    qasm = tmp_path / "c.qasm"
    qasm.write_text('OPENQASM 3.0;\ninclude "stdgates.inc";\ninput angle a;\nqubit[1] q;\nry(a) q[0];\n')
    samples = [{"state": {"vector": ["1", "0"]}, "label": "1/2"}, {"state": {"vector": ["0", "1"]}, "label": "0"}]
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"samples": samples, "objective": {"kind": "weighted-square", "weights": ["1", "3"]}}))
    rc, out, err = _cli(["import", str(qasm), "--data", str(data), "--observable", "Z0"])
    assert rc == 0 and json.loads(out)["objective"] == {"kind": "weighted-square", "weights": ["1", "3"]}
    rc, out, err = _cli(["import", str(qasm), "--data", str(data), "--observable", "Z0", "--objective", "square-loss"])
    assert rc == 0 and "objective" not in json.loads(out)
    data.write_text(json.dumps({"samples": samples}))
    rc, out, err = _cli(["import", str(qasm), "--data", str(data), "--observable", "Z0", "--objective",
                         "weighted-square"])
    assert rc == 2 and err.startswith("error: --objective: weighted-square without weights")
    rc, out, err = _cli(["import", str(qasm), "--data", str(data), "--observable", "Z0", "--objective", "energy"])
    assert rc == 2 and "2 samples for the expectation objective" in err
    rc, out, err = _cli(["import", str(qasm), "--observable", "Z0"])
    assert rc == 2 and err.startswith("error: --data: missing")


@pytest.mark.parametrize("text, says", [
    ("", "the OpenQASM source is empty"),
    ("// only a comment\n", "the OpenQASM source is empty"),
    ("OPENQASM 3.0;\nqubit[1] q;\nrx(", "no viable alternative"),
    ("OPENQASM 3.0;\nqubit[1] q;\nh q[0]", "OpenQASM 3 parser: "),
])
def test_qasm_parser_errors_say_what_is_wrong(tmp_path, text, says):
    """Issue 27 §5: an empty file was "'NoneType' object has no attribute 'line'", a syntax error an empty
    message (the parser prints it instead of raising it); now one line that says what is wrong."""
    pytest.importorskip("qiskit")
    f = tmp_path / "c.qasm"
    f.write_text(text)
    rc, out, err = _cli(["import", str(f), "--objective", "energy", "--observable", "Z0"])
    line = err.strip().splitlines()
    assert rc == 2 and len(line) == 1 and says in line[0] and "NoneType" not in err, err
    assert not line[0].rstrip().endswith("parser:  (expected valid OpenQASM)"), err


@pytest.mark.parametrize("nq", ['"1"', "1.0", "true", "0", "-2"])
def test_dataset_qubit_count_must_be_a_positive_integer(tmp_path, nq):
    """Issue 27 §5: `"n_qubits": "1"` said "the dataset has 1 qubits, the circuit 1"."""
    pytest.importorskip("qiskit")
    (tmp_path / "c.qasm").write_text('OPENQASM 3.0;\ninclude "stdgates.inc";\ninput angle a;\nqubit[1] q;\nrx(a) q[0];\n')
    (tmp_path / "d.json").write_text('{"n_qubits": %s, "samples": [{"state": {"vector": ["1", "0"]}, "label": "1"}]}' % nq)
    rc, out, err = _cli(["import", str(tmp_path / "c.qasm"), "--data", str(tmp_path / "d.json"), "--observable", "Z0"])
    assert rc == 2 and err.startswith("error: n_qubits: ") and "positive JSON integer" in err, err
