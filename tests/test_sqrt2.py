"""T gates: fixed angles kept exactly (model, files, importers) and exact tables over Q(√2) (qnnsym.critical.sqrt2),
checked against float multistarts on simulators that do not use qnnsym (Qiskit's Statevector, plain numpy)."""
import importlib.util
import math
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy.linalg import expm
from scipy.optimize import minimize

from qnnsym.critical.sqrt2 import sqrt2_loss
from qnnsym.critical.table import critical_table
from qnnsym.errors import InteropWarning, ValidationError
from qnnsym.model.circuit import FixedGate, parse_fixed_angle
from qnnsym.model.instances import instance_from_dict, instance_to_dict

ROOT = Path(__file__).resolve().parent.parent
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]])
Z = np.diag([1.0 + 0j, -1.0])


def _one_qubit(angle: str, objective="expectation"):
    """``RY(θ1)``, the fixed ``exp(-i(φ/2)Z)`` with ``φ = angle``, ``RY(θ2)`` on |0⟩; observable ``Z + X/3``."""
    samples = [{"state": {"vector": ["1", "0"]}}] if objective == "expectation" else \
        [{"state": {"vector": ["1", "0"]}, "label": "3/2"}, {"state": {"matrix": [["1/2", "1/2"], ["1/2", "1/2"]]},
                                                           "label": "-3/2"}]      # |+⟩; labels out of reach
    return instance_from_dict({"format": "qnnsym-instance/1", "n_qubits": 1, "circuit": [
        {"gate": {"pauli": "Y0"}}, {"fixed": {"pauli": "Z0", "angle": angle}}, {"gate": {"pauli": "Y0"}}],
        "observable": {"pauli": [["1", "Z0"], ["1/3", "X0"]]}, "samples": samples, "objective": {"kind": objective}})


def _numpy_loss(phi: float, objective: str):
    """The same loss in plain numpy (no qnnsym): ``U = e^{-iθ2 Y} e^{-i(φ/2)Z} e^{-iθ1 Y}``."""
    M = Z + X / 3

    def f(th, psi):
        v = expm(-1j * th[1] * Y) @ expm(-0.5j * phi * Z) @ expm(-1j * th[0] * Y) @ psi
        return float(np.real(v.conj() @ M @ v))

    if objective == "expectation":
        return lambda th: f(th, np.array([1, 0], dtype=complex))
    plus = np.array([1, 1], dtype=complex) / math.sqrt(2)
    return lambda th: ((f(th, np.array([1, 0], dtype=complex)) - 1.5) ** 2 + (f(th, plus) + 1.5) ** 2) / 2


def _multistart(fun, period, p, starts=40, seed=1):
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(starts):
        r = minimize(fun, rng.uniform(0, period, p), method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
        x = np.mod(r.x, period)
        if not any(np.all(np.abs(np.mod(x - y + period / 2, period) - period / 2) < 1e-4) for y, _ in found):
            found.append((x, r.fun))
    return found


def _agree(table, found, period):
    mins = [cp for cp in table.points if cp.kind == "minimum"]
    assert len(mins) == len(found) > 0
    for x, v in found:
        near = [cp for cp in mins if np.all(np.abs(np.mod(x - np.array(cp.theta) + period / 2, period) - period / 2) < 1e-5)]
        assert len(near) == 1 and near[0].loss[0] - 1e-9 <= v <= near[0].loss[1] + 1e-9


@pytest.mark.parametrize("angle,objective", [("1/4*pi", "expectation"), ("-pi/4", "expectation"),
                                             ("3/4*pi", "expectation"), ("5*pi/4", "expectation"),
                                             pytest.param("1/4*pi", "square-loss", marks=pytest.mark.slow)])
def test_exact_table_over_q_sqrt2_agrees_with_a_numpy_multistart(angle, objective):
    inst = _one_qubit(angle, objective)
    assert not inst.exact and inst.qnn.sqrt2_exact
    sq = sqrt2_loss(inst)
    k = {"1/4*pi": 1, "-pi/4": -1, "3/4*pi": 3, "5*pi/4": -3}[angle]       # ψ-angle m; φ_ψ = mπ/4 (ω_ψ = 2|m|)
    assert not sq.rational and sq.eighths == abs(k)
    t = critical_table(inst)
    assert t.certification == "exact" and t.complete and t.status == "complete" and t.euler_characteristic == 0
    assert t.n_complex is not None and t.n_complex <= t.bounds["multihomogeneous"]
    pa, _ = parse_fixed_angle(angle)
    _agree(t, _multistart(_numpy_loss(float(pa) * math.pi, objective), math.pi, 2), math.pi)
    assert t.counts["undecided_global"] == 0 and t.counts["global_minima"] >= 1


def test_exact_points_lie_in_the_boxes_of_the_verified_table_of_the_float_instance():
    """Two independent routes: the float cos/sin of π/4 (a file that gives floats) get a verified table by
    exhaustion with enclosed coefficients (left incomplete here: a region stays undecided at radius 2^-44); every
    exact Q(√2) point lies in one of its boxes, of the same kind, and the exact table is complete."""
    exact = critical_table(_one_qubit("1/4*pi"))
    d = instance_to_dict(_one_qubit("1/4*pi"))
    d["circuit"][1]["fixed"] = {"pauli": "Z0", "cos": repr(math.cos(math.pi / 4)), "sin": repr(math.sin(math.pi / 4))}
    ver = critical_table(instance_from_dict(d))
    assert ver.certification.startswith("verified") and exact.certification == "exact"
    for cp in exact.points:
        homes = [v for v in ver.points if all((float(x) - float(lo) + 1e-12) % math.pi <= float(hi - lo) + 2e-12
                                              for x, (lo, hi) in zip(cp.theta, v.theta_box))]   # θ mod π
        assert len(homes) == 1 and homes[0].kind == cp.kind
    assert exact.complete and len(exact.points) == len(ver.points)


def test_t_gate_gallery_circuit_exact_table_agrees_with_qiskit_statevector(tmp_path):
    """examples/circuits/fixed_angles.py:t_gate (``H·T·H`` between ``RY(a)`` and ``CX``) through ``qnnsym import``:
    an exact complete table; minima against L-BFGS-B on Qiskit's own ``Statevector`` (θ = a/2)."""
    pytest.importorskip("qiskit")
    from qiskit.quantum_info import Statevector

    from qnnsym.cli.main import main
    from qnnsym.model.instances import load_instance

    spec = importlib.util.spec_from_file_location("fixed_angles", ROOT / "examples" / "circuits" / "fixed_angles.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    qc, H = mod.t_gate()
    out = tmp_path / "t.json"
    with warnings.catch_warnings():
        warnings.simplefilter("error", InteropWarning)      # a T gate is exact: no 'inexact' warning
        assert main(["import", str(ROOT / "examples/circuits/fixed_angles.py:t_gate"), "--objective", "energy",
                     "-o", str(out)]) == 0
    t = critical_table(load_instance(out))
    assert (t.certification, t.status, t.counts["minima"], t.counts["global_minima"]) == ("exact", "complete", 2, 2)
    lo, hi = t.min_loss
    assert lo <= Fraction(-3, 4) * Fraction(math.sqrt(2)) + Fraction(1, 10 ** 12) and hi >= -0.75 * math.sqrt(2) - 1e-12

    def energy(th):
        return float(np.real(Statevector(qc.assign_parameters(2 * np.asarray(th))).expectation_value(H)))

    _agree(t, _multistart(energy, math.pi, 2, starts=12), math.pi)


def test_controlled_s_circuit_exact_table_agrees_with_qiskit_statevector():
    """``RY(a)⊗RY(b)``, ``CS`` (three rotations by ``π/4`` freed into one ``ψ``), ``H⊗H``: this energy depends on ``ψ``
    only through ``cos 4ψ, sin 4ψ`` (``ω_ψ = 4``), rational at ``ψ = π/8``, so the pin must come from the loss's own
    frequency, not the gates' (a pin at ``π/4`` would solve another circuit); the table is complete and the minima of
    L-BFGS-B on Qiskit's ``Statevector`` (θ = t/2) are the table's."""
    pytest.importorskip("qiskit")
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import SparsePauliOp, Statevector

    from qnnsym.interop import from_qiskit

    a, b = Parameter("a"), Parameter("b")
    qc = QuantumCircuit(2)
    qc.ry(a, 0)
    qc.ry(b, 1)
    qc.cs(0, 1)
    qc.h(0)
    qc.h(1)
    H = SparsePauliOp.from_list([("ZZ", 1), ("IX", 1 / 2), ("XI", 1 / 3)])
    inst = from_qiskit(qc, H, {"samples": [{"state": {"vector": ["1", "0", "0", "0"]}}], "objective": {"kind": "expectation"}})
    sq = sqrt2_loss(inst)
    assert len(sq.gates) == 3 and sq.wide.omega[2] == 4 and sq.rational
    t = critical_table(inst)
    assert t.status == "complete" and t.certification in ("exact", "verified parametrization") and t.n_complex == 8

    def energy(th):
        return float(np.real(Statevector(qc.assign_parameters(2 * np.asarray(th))).expectation_value(H)))

    _agree(t, _multistart(energy, math.pi, 2, starts=12), math.pi)


def test_angles_round_trip_exactly_and_bad_angles_are_one_line_errors():
    import json

    import jsonschema

    schema = json.loads((ROOT / "qnnsym" / "data" / "instance.schema.json").read_text())
    for text in ("1/4*pi", "-3/8*pi", "0.37", "1/3"):
        inst = _one_qubit(text)
        assert instance_to_dict(instance_from_dict(instance_to_dict(inst))) == instance_to_dict(inst)
        jsonschema.validate(instance_to_dict(inst), schema)
    g = _one_qubit("0.37").qnn.ops[1]
    assert g.angle == 0.37 and g.pi_angle is None and abs(g.cos2a - math.cos(0.37)) <= 2 ** -53
    assert _one_qubit("pi/2").exact and _one_qubit("-pi").exact          # quarter turns stay rational
    for bad in ("1/4*pie", "pi*pi", "x"):
        with pytest.raises(ValidationError, match="circuit"):
            _one_qubit(bad)
    d = instance_to_dict(_one_qubit("1/4*pi"))
    d["circuit"][1]["fixed"]["cos"] = "1"
    with pytest.raises(ValidationError, match="both"):
        instance_from_dict(d)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(d, schema)
    assert FixedGate(pauli=_one_qubit("pi/4").qnn.ops[1].pauli, pi_angle=Fraction(1, 4)).sqrt2


def test_importers_recognise_t_and_pi_over_4_angles_exactly():
    pytest.importorskip("qiskit")
    qml = pytest.importorskip("pennylane")
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter

    from qnnsym.interop import from_pennylane, from_qasm, from_qiskit

    data = {"samples": [{"state": {"vector": ["1", "0", "0", "0"]}}]}
    obj = {"kind": "expectation"}
    a = Parameter("a")
    qc = QuantumCircuit(2)
    qc.ry(a, 0)
    qc.t(0)
    qc.tdg(1)
    qc.rz(math.pi / 4, 0)
    qc.s(1)
    qc.sx(0)
    qc.cs(0, 1)
    qc.ry(Parameter("b"), 1)
    qk = from_qiskit(qc, "Z0 Z1", dict(data, objective=obj))
    fixed = [e["fixed"].get("angle") for e in instance_to_dict(qk)["circuit"] if "fixed" in e]
    assert fixed.count("1/4*pi") == 4 and fixed.count("-1/4*pi") == 2 and qk.qnn.sqrt2_exact  # t, rz(π/4), cs (2 + 1)

    text = ('OPENQASM 3.0;\ninclude "stdgates.inc";\ninput angle a;\nqubit[1] q;\n'
            'ry(a) q[0];\nt q[0];\nrz(pi/4) q[0];\nrx(3*pi/8) q[0];\nrx(0.37) q[0];\n')
    with pytest.warns(InteropWarning, match="inexact"):
        qs = from_qasm(text, "Z0", {"samples": [{"state": {"vector": ["1", "0"]}}], "objective": obj})
    fixed = [e["fixed"].get("angle") for e in instance_to_dict(qs)["circuit"] if "fixed" in e]
    assert fixed == ["1/4*pi", "1/4*pi", "3/8*pi", "0.37"]
    from qnnsym.interop.qasm import to_qasm3

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InteropWarning)
        back = from_qasm(to_qasm3(qs), "Z0", {"samples": [{"state": {"vector": ["1", "0"]}}], "objective": obj})
    assert [e["fixed"].get("angle") for e in instance_to_dict(back)["circuit"] if "fixed" in e] == fixed   # exported exactly

    dev = qml.device("default.qubit", wires=1)

    @qml.qnode(dev)
    def circ(x):
        qml.RY(x, wires=0)
        qml.T(wires=0)
        qml.adjoint(qml.T)(wires=0)
        qml.RZ(np.pi / 4, wires=0)
        return qml.expval(qml.PauliZ(0))

    from pennylane import numpy as pnp

    pl = from_pennylane(circ, pnp.array(0.3, requires_grad=True), data={"samples": [{"state": {"vector": ["1", "0"]}}], "objective": obj})
    fixed = [e["fixed"].get("angle") for e in instance_to_dict(pl)["circuit"] if "fixed" in e]
    assert fixed == ["1/4*pi", "-1/4*pi", "1/4*pi"]


@pytest.mark.parametrize("name,cls,args", [("cs", "CSGate", ()), ("csdg", "CSdgGate", ()), ("csx", "CSXGate", ()),
                                           ("cp", "CPhaseGate", (math.pi / 4,)), ("crz", "CRZGate", (0.3,))])
def test_controlled_phase_gates_match_qiskit(name, cls, args):
    pytest.importorskip("qiskit")
    from qiskit.circuit import library
    from qiskit.quantum_info import Operator

    from qnnsym.interop.ops import Angle, build_circuit, decompose
    from qnnsym.model.instances import _circuit_op

    rots = decompose(name, [0, 1], [Angle.fixed(a) for a in args])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InteropWarning)
        entries, _, _ = build_circuit(rots, n_qubits=2)
    U = np.eye(4, dtype=complex)
    for i, e in enumerate(entries):
        U = _circuit_op(e, 2, f"c[{i}]").matrix().to_numpy() @ U
    theirs = Operator(getattr(library, cls)(*args)).reverse_qargs().data
    k = np.argmax(np.abs(theirs))
    phase = U.flat[k] / theirs.flat[k]
    assert abs(abs(phase) - 1) < 1e-12 and np.allclose(U, phase * theirs, atol=1e-12)


def test_a_starved_q_sqrt2_solve_is_a_timed_out_table_not_an_error():
    from qnnsym.budget import TickClock

    t = critical_table(_one_qubit("1/4*pi"), time_limit=1.5, clock=TickClock(1.0))
    assert t.status == "timed out" and not t.complete and t.certification == "none" and t.pending == [(0, 1)]


def test_certificate_of_a_q_sqrt2_instance_is_a_clear_error(tmp_path, capsys):
    import json

    from qnnsym.cli.main import main

    src = tmp_path / "t.json"
    src.write_text(json.dumps(instance_to_dict(_one_qubit("1/4*pi"))))
    rc = main(["critical", str(src), "--certificate", str(tmp_path / "c.json")])
    err = capsys.readouterr().err
    assert rc == 2 and "exact over Q(√2)" in err and "Traceback" not in err and not (tmp_path / "c.json").exists()
    assert main(["critical", str(src), "--format", "json", "-o", str(tmp_path / "tab.json")]) == 0
    tab = json.loads((tmp_path / "tab.json").read_text())
    assert tab["certification"] == "exact" and tab["status"] == "complete"


def test_pennylane_controlled_phase_and_crz_agree_with_pennylane():
    """``ControlledPhaseShift(π/4)`` (rotations by ``π/8``: a controlled T, stored exactly as ``1/8*pi``) and a trainable
    ``CRZ`` (one parameter driving two rotations: shared): qnnsym's energy equals PennyLane's."""
    qml = pytest.importorskip("pennylane")
    from pennylane import numpy as pnp

    from qnnsym.expansion import outputs_direct_float
    from qnnsym.interop import from_pennylane

    dev = qml.device("default.qubit", wires=2)

    @qml.qnode(dev)
    def circ(x, y):
        qml.RY(x, wires=0)
        qml.RY(0.3, wires=1)
        qml.ControlledPhaseShift(np.pi / 4, wires=[0, 1])
        qml.Hadamard(1)
        qml.CRZ(y, wires=[0, 1])
        qml.Hadamard(0)
        return qml.expval(qml.PauliZ(0) @ qml.PauliX(1) + 0.5 * qml.PauliX(0))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InteropWarning)
        inst = from_pennylane(circ, pnp.array(0.4, requires_grad=True), pnp.array(0.9, requires_grad=True),
                              data={"samples": [{"state": {"vector": ["1", "0", "0", "0"]}}],
                                    "objective": {"kind": "expectation"}})
    fixed = [e["fixed"].get("angle") for e in instance_to_dict(inst)["circuit"] if "fixed" in e]
    assert fixed.count("1/8*pi") == 2 and fixed.count("-1/8*pi") == 1 and inst.p == 2
    for x, y in ((0.4, 0.9), (-1.3, 2.2)):
        assert abs(float(circ(x, y)) - float(outputs_direct_float(inst, np.array([x, y / 2]))[0, 0])) < 1e-12


@pytest.mark.slow
def test_three_parameter_t_circuit_exact_and_equal_to_a_float_search():
    """p = 3 (``RY(a)⊗RY(b)``, ``H·T·H``, ``CX``, ``RY(c)``): complete and exact (48 of 48 complex solutions, the
    RUR's rationals past 4300 digits), and its 2 minima are the float search's (~25 s)."""
    pytest.importorskip("qiskit")
    from qiskit import QuantumCircuit
    from qiskit.circuit import Parameter
    from qiskit.quantum_info import SparsePauliOp

    from qnnsym.expansion import outputs_direct_float
    from qnnsym.interop import from_qiskit

    qc = QuantumCircuit(2)
    qc.ry(Parameter("a"), 0)
    qc.ry(Parameter("b"), 1)
    qc.h(0)
    qc.t(0)
    qc.h(0)
    qc.cx(0, 1)
    qc.ry(Parameter("c"), 1)
    H = SparsePauliOp.from_list([("ZZ", 1), ("IX", 1 / 2), ("XI", 1 / 3)])
    inst = from_qiskit(qc, H, {"samples": [{"state": {"vector": ["1", "0", "0", "0"]}}], "objective": {"kind": "expectation"}})
    t = critical_table(inst)
    assert (t.certification, t.status, t.n_complex, t.bounds["multihomogeneous"], t.n_real) == ("exact", "complete", 48, 48, 16)
    assert t.counts["global_minima"] == 2 and len(t.to_json()["points"]) == 16
    _agree(t, _multistart(lambda th: float(outputs_direct_float(inst, np.asarray(th))[0, 0]), math.pi, 3, starts=30), math.pi)
