"""Importers and exporters (qnnsym.interop): one hardware-efficient ansatz built from Qiskit, PennyLane
and OpenQASM 3 gives one exact expansion; float losses agree with Qiskit's and PennyLane's own
simulators; the gate table's matrices; round trips; clear errors."""
import contextlib
import io
import json
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest

qiskit = pytest.importorskip("qiskit")
qml = pytest.importorskip("pennylane")

from qiskit import QuantumCircuit  # noqa: E402
from qiskit.circuit import Gate as QkGate  # noqa: E402
from qiskit.circuit import ParameterVector  # noqa: E402
from qiskit.quantum_info import DensityMatrix, Operator, SparsePauliOp, Statevector  # noqa: E402

from qnnsym import ValidationError, loss_poly, prop5_instance  # noqa: E402
from qnnsym.cli import main  # noqa: E402
from qnnsym.errors import InteropError, InteropWarning  # noqa: E402
from qnnsym.interop import from_pennylane, from_qasm, from_qiskit, reorder_vector, to_qasm3, to_qiskit  # noqa: E402
from qnnsym.interop.ops import build_circuit, decompose  # noqa: E402
from qnnsym.model import Gate, instance_to_dict  # noqa: E402

N, LAYERS = 3, 2
P = N * (LAYERS + 1)          # 9 parameters
# qnnsym vectors: qubit 0 is the most significant bit (index = 4 b0 + 2 b1 + b2)
V1 = ["1", "0", "0", "0", "0", "0", "0", "0"]
V2 = ["3/5", "0", "0", "0", "0", "4/5*I", "0", "0"]          # 3/5 |000> + 4/5 i |101>
V3 = ["0", "1/2", "1/2", "0", "0", "0", "-1/2*I", "1/2"]
DATA = {"samples": [{"state": {"vector": V1}, "label": "1/2"},
                    {"state": {"vector": V2}, "label": "-1/3"},
                    {"state": {"vector": V3}, "label": "0"}]}
# M = 1/2 Z1 Z2 - 1/4 X0 X1 + Y2 (Qiskit labels are little-endian: "ZZI" is Z on qubits 1 and 2)
QISKIT_M = SparsePauliOp(["ZZI", "IXX", "YII"], [0.5, -0.25, 1.0])
QNNSYM_M = {"pauli": [["1/2", "Z1 Z2"], ["-1/4", "X0 X1"], ["1", "Y2"]]}


def hea_qiskit():
    t = ParameterVector("t", P)
    qc = QuantumCircuit(N)
    k = 0
    for _ in range(LAYERS):
        for q in range(N):
            qc.ry(t[k], q)
            k += 1
        qc.cx(0, 1)
        qc.cz(1, 2)
        qc.h(2)
        qc.s(0)
    for q in range(N):
        qc.rz(t[k], q)
        k += 1
    return qc


def hea_body(w):
    k = 0
    for _ in range(LAYERS):
        for q in range(N):
            qml.RY(w[k], q)
            k += 1
        qml.CNOT([0, 1])
        qml.CZ([1, 2])
        qml.Hadamard(2)
        qml.S(0)
    for q in range(N):
        qml.RZ(w[k], q)
        k += 1


def pl_observable():
    return 0.5 * qml.PauliZ(1) @ qml.PauliZ(2) - 0.25 * qml.PauliX(0) @ qml.PauliX(1) + qml.PauliY(2)


HEA_QASM = """OPENQASM 3.0;
include "stdgates.inc";
""" + "".join(f"input angle t{k};\n" for k in range(P)) + """qubit[3] q;
ry(t0) q[0]; ry(t1) q[1]; ry(t2) q[2];
cx q[0], q[1]; cz q[1], q[2]; h q[2]; s q[0];
ry(t3) q[0]; ry(t4) q[1]; ry(t5) q[2];
cx q[0], q[1]; cz q[1], q[2]; h q[2]; s q[0];
rz(t6) q[0]; rz(t7) q[1]; rz(t8) q[2];
"""


def _vec(v):
    from qnnsym.exact.scalars import parse_scalar, to_complex

    return np.array([to_complex(parse_scalar(x)) for x in v])


@pytest.fixture(scope="module")
def three_ways():
    from pennylane import numpy as pnp

    a = from_qiskit(hea_qiskit(), QISKIT_M, DATA)
    tape = qml.tape.QuantumScript.from_queue(_queue(pnp.zeros(P, requires_grad=True)))
    b = from_pennylane(tape, data=DATA)
    c = from_qasm(HEA_QASM, QNNSYM_M, DATA)
    return a, b, c


def _queue(w):
    with qml.queuing.AnnotatedQueue() as q:
        hea_body(w)
        qml.expval(pl_observable())
    return q


def test_hea_three_ways_identical_exact_expansion(three_ways):
    a, b, c = three_ways
    assert a.exact and b.exact and c.exact
    assert a.p == b.p == c.p == P
    La, Lb, Lc = loss_poly(a), loss_poly(b), loss_poly(c)
    assert La.exact and La == Lb == Lc
    assert len(La.terms) > 50                     # a real landscape, not a constant
    assert a.meta["interop"]["parameters"][0]["relation"] == "θ_1 = 1/2·t[0]"


def _theta(inst, t):
    return np.array([float(Fraction(r["factor"])) * t[i] for i, r in enumerate(inst.meta["interop"]["parameters"])])


def test_float_loss_equals_qiskit_and_pennylane(three_ways):
    a, b, c = three_ways
    L = loss_poly(a)
    labels = [0.5, -1 / 3, 0.0]
    dev = qml.device("default.qubit", wires=N)

    @qml.qnode(dev)
    def pl_out(w, vec):
        qml.StatePrep(vec, wires=range(N))
        hea_body(w)
        return qml.expval(pl_observable())

    qc = hea_qiskit()
    rng = np.random.default_rng(12)
    for _ in range(4):
        t = rng.uniform(-np.pi, 2 * np.pi, P)
        bound = qc.assign_parameters(t)
        f_qk = [Statevector(reorder_vector(_vec(v), N)).evolve(bound).expectation_value(QISKIT_M).real
                for v in (V1, V2, V3)]
        f_pl = [float(pl_out(t, _vec(v))) for v in (V1, V2, V3)]
        loss_qk = np.mean([(f - y) ** 2 for f, y in zip(f_qk, labels)])
        loss_pl = np.mean([(f - y) ** 2 for f, y in zip(f_pl, labels)])
        for inst in (a, b, c):
            ours = float(L(_theta(inst, t)[None])[0])
            assert abs(ours - loss_qk) < 1e-12 and abs(ours - loss_pl) < 1e-12


def test_convention_rz_is_exp_minus_i_theta_z_at_half_angle():
    t = 0.731
    from qiskit.circuit.library import RXXGate, RZGate
    from scipy.linalg import expm

    Z = np.diag([1.0, -1.0])
    assert np.allclose(Operator(RZGate(t)).data, expm(-1j * (t / 2) * Z))
    X = np.array([[0, 1], [1, 0]])
    assert np.allclose(Operator(RXXGate(t)).data, expm(-1j * (t / 2) * np.kron(X, X)))
    qc = QuantumCircuit(1)
    qc.rz(ParameterVector("t", 1)[0], 0)
    inst = from_qiskit(qc, "X0", {"samples": [{"state": {"vector": ["1", "0"]}, "label": "0"}]})
    g = inst.qnn.ops[0]
    assert isinstance(g, Gate) and g.generator.to_labels() == [["1", "Z0"]]
    assert inst.meta["interop"]["parameters"][0]["factor"] == "1/2"


def _ops_matrix(entries, n):
    """Product (application order) of the fixed gates of circuit entries, qnnsym qubit order."""
    from qnnsym.model.instances import _circuit_op

    U = np.eye(2 ** n, dtype=complex)
    for i, e in enumerate(entries):
        U = _circuit_op(e, n, f"c[{i}]").matrix().to_numpy() @ U
    return U


@pytest.mark.parametrize("name,nq", [("h", 1), ("s", 1), ("sdg", 1), ("x", 1), ("y", 1), ("z", 1), ("sx", 1),
                                     ("sxdg", 1), ("cx", 2), ("cy", 2), ("cz", 2), ("swap", 2), ("iswap", 2)])
def test_clifford_gates_are_exact_and_right(name, nq):
    from qiskit.circuit import library

    cls = {"h": "HGate", "s": "SGate", "sdg": "SdgGate", "x": "XGate", "y": "YGate", "z": "ZGate", "sx": "SXGate",
           "sxdg": "SXdgGate", "cx": "CXGate", "cy": "CYGate", "cz": "CZGate", "swap": "SwapGate",
           "iswap": "iSwapGate"}[name]
    rots = decompose(name, list(range(nq)), [])
    assert all(r.angle.quarter is not None for r in rots)          # exact quarter turns
    entries, _, notes = build_circuit(rots, n_qubits=nq)
    assert not notes["inexact"]
    ours = _ops_matrix(entries, nq)
    theirs = Operator(getattr(library, cls)()).reverse_qargs().data   # Qiskit's matrix in qnnsym order
    k = np.argmax(np.abs(theirs))
    phase = ours.flat[k] / theirs.flat[k]
    assert abs(abs(phase) - 1) < 1e-12 and np.allclose(ours, phase * theirs, atol=1e-12)


def test_t_gate_is_stored_as_an_exact_multiple_of_pi_without_a_warning():
    qc = QuantumCircuit(1)
    qc.t(0)
    qc.ry(ParameterVector("t", 1)[0], 0)
    qc.tdg(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", InteropWarning)
        inst = from_qiskit(qc, "Z0", {"samples": [{"state": {"vector": ["1", "0"]}, "label": "0"}]})
    assert not inst.exact and inst.qnn.sqrt2_exact
    fixed = [e["fixed"] for e in instance_to_dict(inst)["circuit"] if "fixed" in e]
    assert [f["angle"] for f in fixed] == ["1/4*pi", "-1/4*pi"] and all("cos" not in f for f in fixed)


def test_fixed_quarter_angles_are_exact_and_others_are_not():
    t = ParameterVector("t", 1)
    qc = QuantumCircuit(2)
    qc.rx(math.pi / 2, 0)
    qc.rzz(-math.pi, 0, 1)
    qc.ry(t[0], 1)
    inst = from_qiskit(qc, "Z1", {"samples": [{"state": {"vector": ["1", "0", "0", "0"]}, "label": "0"}]})
    assert inst.exact
    qc.rx(0.3, 0)
    with pytest.warns(InteropWarning):
        assert not from_qiskit(qc, "Z1", {"samples": [{"state": {"vector": ["1", "0", "0", "0"]}, "label": "0"}]}).exact


def _strip(inst):
    d = instance_to_dict(inst)
    for e in d["circuit"]:
        e.pop("name", None)
    d.pop("meta", None)
    d.pop("name", None)
    d.pop("description", None)
    return d


def test_round_trip_instance_qasm3_instance_is_exact(three_ways):
    a = three_ways[0]
    text = to_qasm3(a)
    assert "input angle theta_9;" in text
    back = from_qasm(text, QNNSYM_M, DATA)
    assert _strip(back) == _strip(a) and loss_poly(back) == loss_poly(a)
    assert all(r["factor"] == "1" for r in back.meta["interop"]["parameters"])   # θ_l read back as θ_l


def test_round_trip_with_negative_and_multi_qubit_generators():
    from qnnsym.model.instances import instance_from_dict

    d = {"n_qubits": 3, "circuit": [{"gate": "X0 Y1 Z2"}, {"gate": {"pauli": [["-1", "Z1"]]}},
                                    {"fixed": {"pauli": "Y0 Y2", "cos": "0", "sin": "-1"}}, {"gate": "X0 X2"}],
         "observable": {"pauli": [["1/2", "Z0"], ["1/3", "X1 Y2"]]},
         "samples": [{"state": {"vector": V2}, "label": "1/5"}]}
    inst = instance_from_dict(d)
    back = from_qasm(to_qasm3(inst), d["observable"], {"samples": d["samples"]})
    assert _strip(back) == _strip(inst) and loss_poly(back) == loss_poly(inst)
    qc, M, theta = to_qiskit(inst)
    back2 = from_qiskit(qc, M, {"samples": d["samples"]})
    assert _strip(back2) == _strip(inst)
    p5 = prop5_instance(3)
    assert loss_poly(from_qasm(to_qasm3(p5), {"pauli": p5.observable.to_labels()},
                               {"samples": instance_to_dict(p5)["samples"]})) == loss_poly(p5)


def test_export_refuses_what_has_no_pauli_form():
    from qnnsym.model.instances import instance_from_dict

    d = {"n_qubits": 1, "circuit": [{"gate": {"pauli": [["3/5", "X0"], ["4/5", "Z0"]]}}], "observable": "Z0",
         "samples": [{"state": {"vector": ["1", "0"]}, "label": "0"}]}
    with pytest.raises(InteropError, match=r"circuit\[0\].gate: not a single Pauli string"):
        to_qasm3(instance_from_dict(d))


def test_pauli_evolution_and_linear_angles():
    from qiskit.circuit.library import PauliEvolutionGate

    t = ParameterVector("t", 3)
    qc = QuantumCircuit(2)
    qc.append(PauliEvolutionGate(SparsePauliOp(["XY"], [0.5]), time=t[0]), [0, 1])   # exp(-i t/2 Y0 X1)
    qc.rx(-2 * t[1], 0)
    qc.ry(3 * t[2] + math.pi / 2, 1)
    inst = from_qiskit(qc, "Z0 Z1", {"samples": [{"state": {"vector": ["1", "0", "0", "0"]}, "label": "0"}]})
    rel = [r["relation"] for r in inst.meta["interop"]["parameters"]]
    assert rel == ["θ_1 = 1/2·t[0]", "θ_2 = 1·t[1]", "θ_3 = 3/2·t[2]"]
    assert inst.qnn.gates[0].generator.to_labels() == [["1", "Y0 X1"]]
    assert inst.qnn.gates[1].generator.to_labels() == [["-1", "X0"]]
    assert inst.exact and len(inst.qnn.ops) == 4          # the offset π/2 is an exact fixed rotation
    vals = np.array([0.4, -1.1, 0.8])
    th = _theta(inst, vals)
    f = DensityMatrix.from_label("00").evolve(qc.assign_parameters(vals)).expectation_value(SparsePauliOp("ZZ")).real
    assert abs(float(loss_poly(inst)(th[None])[0]) - f ** 2) < 1e-12


def test_errors_name_the_gate():
    t = ParameterVector("t", 1)
    qc = QuantumCircuit(2)
    qc.append(QkGate("mystery", 1, []), [0])
    qc.rx(t[0], 1)
    with pytest.raises(InteropError, match="unsupported gate 'mystery'.*expected one of .*rx"):
        from_qiskit(qc, "Z0", DATA)
    qc = QuantumCircuit(1)                  # shared parameters are imported (tests/test_shared_parameters.py);
    qc.rx(t[0] * t[0], 0)                   # a non-linear angle is refused
    with pytest.raises(InteropError, match=r"rx@0: angle .* is not linear in t\[0\]"):
        from_qiskit(qc, "Z0", DATA)
    qc = QuantumCircuit(1)
    qc.rx(t[0], 0)
    with pytest.raises(InteropError, match="observable: missing"):
        from_qiskit(qc, None, {"samples": DATA["samples"]})
    with pytest.raises(InteropError, match="samples: missing"):
        from_qiskit(qc, "Z0", {})
    with pytest.raises(InteropError, match="OpenQASM 2 has no free parameters"):
        from_qasm('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nrx(theta) q[0];\n', "Z0", DATA)
    with pytest.raises(ValidationError, match=r"samples\[0\].state"):    # the dataset is validated as usual
        from_qiskit(qc, "Z0", {"samples": [{"state": {"vector": ["1", "1"]}, "label": "0"}]})


def test_qasm2_fixed_gates_read():
    text = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\n'
    from qnnsym.interop.qasm import qasm_rotations

    imp = qasm_rotations(text)
    assert imp.n_qubits == 2 and len(imp.rots) == 5 and all(r.angle.quarter is not None for r in imp.rots)


def test_pennylane_qnode_trainable_and_adjoint():
    from pennylane import numpy as pnp

    dev = qml.device("default.qubit", wires=2)

    @qml.qnode(dev)
    def circ(w):
        qml.RX(w[0], 0)
        qml.adjoint(qml.S)(0)
        qml.IsingZZ(w[1], [0, 1])
        qml.PauliRot(w[2], "XY", [0, 1])
        qml.RZ(0.5 * np.pi, 1)                 # not trainable: a fixed exact quarter turn
        return qml.expval(qml.Hamiltonian([0.5, -1.0], [qml.PauliZ(0), qml.PauliX(0) @ qml.PauliX(1)]))

    data = {"samples": [{"state": {"vector": ["1", "0", "0", "0"]}, "label": "1/4"}]}
    inst = from_pennylane(circ, pnp.array([0.1, 0.2, 0.3], requires_grad=True), data=data)
    assert inst.exact and inst.p == 3
    w = np.array([0.7, -0.3, 1.9])
    th = _theta(inst, w)
    assert abs(float(loss_poly(inst)(th[None])[0]) - (float(circ(w)) - 0.25) ** 2) < 1e-12
    with pytest.raises(InteropError, match="no trainable parameter"):
        from_pennylane(circ, np.array([0.1, 0.2, 0.3]), data=data)


def _cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue()


def test_cli_import_qasm_and_python_module(tmp_path, three_ways):
    (tmp_path / "hea.qasm").write_text(HEA_QASM)
    (tmp_path / "data.json").write_text(json.dumps(dict(DATA, observable=QNNSYM_M)))
    rc, out, err = _cli(["import", str(tmp_path / "hea.qasm"), "--data", str(tmp_path / "data.json"),
                         "-o", str(tmp_path / "inst.json")])
    assert rc == 0, err
    assert "9 parameters" in err and "exact" in err
    from qnnsym import load_instance

    inst = load_instance(tmp_path / "inst.json")
    assert loss_poly(inst) == loss_poly(three_ways[0])
    (tmp_path / "ansatz.py").write_text(
        "from qiskit import QuantumCircuit\nfrom qiskit.circuit import Parameter\n"
        "from qiskit.quantum_info import SparsePauliOp\n"
        "def make():\n    qc = QuantumCircuit(2)\n    qc.ry(Parameter('a'), 0)\n    qc.cx(0, 1)\n"
        "    return qc, SparsePauliOp('ZZ')\n")
    (tmp_path / "d2.json").write_text(json.dumps({"samples": [{"state": {"vector": ["1", "0", "0", "0"]},
                                                                "label": "1/2"}]}))
    rc, out, err = _cli(["import", f"{tmp_path / 'ansatz.py'}:make", "--data", str(tmp_path / "d2.json")])
    assert rc == 0, err and json.loads(out)["circuit"][0]["gate"] == {"pauli": [["1", "Y0"]]}
    (tmp_path / "bad.qasm").write_text('OPENQASM 3.0;\ninclude "stdgates.inc";\ninput angle a;\nqubit[2] q;\n'
                                       'rx(a * a) q[0];\n')
    rc, out, err = _cli(["import", str(tmp_path / "bad.qasm"), "--data", str(tmp_path / "d2.json"), "--observable", "Z0"])
    assert rc == 2 and err.startswith("error: qasm: OpenQASM 3 parser") and "Traceback" not in err
    rc, out, err = _cli(["import", f"{tmp_path / 'ansatz.py'}:nothing", "--data", str(tmp_path / "d2.json")])
    assert rc == 2 and "has no 'nothing'" in err
    rc, out, err = _cli(["export", str(tmp_path / "inst.json"), "--to", "qasm3"])
    assert rc == 0 and out.startswith("OPENQASM 3.0;")


def test_vector_order_helpers():
    v = Statevector.from_label("01")          # Qiskit: qubit 0 is |1>, qubit 1 is |0>
    from qnnsym.interop import statevector_to_qnnsym

    assert np.allclose(statevector_to_qnnsym(v), [0, 0, 1, 0])   # qnnsym: |q0 q1> = |10> is index 2
    data = {"qubit_order": "qiskit", "samples": [{"state": {"vector": ["0", "1", "0", "0"]}, "label": "0"}]}
    qc = QuantumCircuit(2)
    qc.ry(ParameterVector("t", 1)[0], 1)
    inst = from_qiskit(qc, "Z0", data)                     # the state is |q0 = 1>: <Z0> = -1 for every θ
    L = loss_poly(inst)
    assert L.terms == {(0,): 1}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from_qiskit(qc, "Z0", data)
