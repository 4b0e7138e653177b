"""Qiskit: a ``QuantumCircuit`` with ``Parameter``s (and a ``SparsePauliOp``) → a qnnsym instance, and back.

Mapping (``docs/interop.md``): Qiskit's ``RZ(t) = exp(−itZ/2)``, so ``rz(t)`` is the qnnsym gate
``exp(−iθZ)`` (paper eq. 4) at ``θ = t/2``; ``RXX/RYY/RZZ/RZX`` likewise with a two-qubit Pauli
string; ``PauliEvolutionGate(P, time=t)`` is ``exp(−itP)``, i.e. ``θ = t`` directly (one term with
coefficient ``k``: ``θ = k·t``; several terms: the generator ``H = Σ k_j P_j`` must be two-level).
A linear angle ``c·t + o`` is allowed (``θ = c·t/2``, with a fixed rotation ``R(o)`` before it); a
parameter driving several gates, or an angle in several parameters (``2*a + b``), makes the instance
one with shared parameters (:func:`~qnnsym.interop.ops.shared_parameters`: ``θ = t``, or ``t/D`` for
fractional coefficients, and each gate the angle ``Σ (c·D/2)·θ``); a non-linear angle is refused.  Fixed gates and
bound angles follow :mod:`qnnsym.interop.ops` (exact at multiples of ``π/2``).  A gate outside
:data:`~qnnsym.interop.ops.SUPPORTED_GATES` is expanded through its Qiskit ``definition`` when it
has one (``sxdg``, ``ecr``, custom gates of an OpenQASM file), a ``UnitaryGate`` becomes a float
fixed unitary, anything else is refused naming the gate.

Qubit ``i`` of the circuit is qnnsym qubit ``i``; ``SparsePauliOp`` labels are read right to left
(Qiskit's little-endian labels: ``"XZ"`` is ``Z`` on qubit 0 and ``X`` on qubit 1).
"""
from __future__ import annotations

import math
from typing import Any

from ..errors import BackendUnavailable, InteropError
from ..exact.paulis import PauliSum
from ..model.circuit import FixedGate, Gate
from ..model.data import Instance
from .ops import SUPPORTED_GATES, Angle, Imported, Rot, decompose

__all__ = ["require_qiskit", "qiskit_rotations", "observable_terms", "from_qiskit", "to_qiskit",
           "qiskit_observable", "statevector_to_qnnsym"]


def require_qiskit():
    try:
        import qiskit
    except ImportError:
        raise BackendUnavailable("Qiskit is not installed (fix: pip install 'qnnsym[qiskit]')") from None
    return qiskit


def _angle(expr, where: str) -> Angle:
    """An :class:`Angle` from a float or a ``ParameterExpression`` linear in its parameters
    (``2*a + b``, ``a/2``, ``a - a`` = the fixed angle 0); a non-linear expression is refused."""
    from qiskit.circuit import ParameterExpression

    if not isinstance(expr, ParameterExpression):
        return Angle.fixed(expr, where)
    ps = sorted(expr.parameters, key=lambda t: t.name)
    if not ps:
        return Angle.fixed(complex(expr).real, where)
    terms = []
    for t in ps:
        c = expr.gradient(t)
        if isinstance(c, ParameterExpression):
            if c.parameters:
                raise InteropError(where, f"angle {expr} is not linear in {t}",
                                   expected="an angle linear in its parameters, c₁·t₁ + c₂·t₂ + o (e.g. 2*a + b, a/2)",
                                   fix="introduce a new Parameter for the non-linear expression")
            c = complex(c)
        terms.append((t.name, float(complex(c).real)))
    off = expr.bind({t: 0 for t in ps})
    return Angle.linear(tuple(terms), float(complex(off).real), where)


def _sparse_terms(op, qubits, where: str) -> list:
    """``[(coeff, {qubit: letter})]`` of a SparsePauliOp (or Pauli) on the given circuit qubits."""
    from qiskit.quantum_info import SparsePauliOp

    sp = SparsePauliOp(op)
    out = []
    for label, coeff in sp.to_list():
        lab = label.lstrip("-i")
        letters = {qubits[j]: ch for j, ch in enumerate(reversed(lab)) if ch != "I"}
        out.append((complex(coeff), letters))
    return out


def observable_terms(op, n_qubits: int | None = None) -> list:
    """Pauli terms of a ``SparsePauliOp``, ``Pauli`` or Qiskit label string (little-endian)."""
    from qiskit.quantum_info import SparsePauliOp

    sp = SparsePauliOp(op)
    return _sparse_terms(sp, list(range(sp.num_qubits)), "observable")


#: operations that are not unitary (refused: ``tr(ρ U†MU)`` has no meaning for them)
NON_UNITARY = {"reset": "a reset", "initialize": "an initialisation (a reset, then a state preparation)",
               "store": "a classical store"}


def _all_commute(paulis: list) -> bool:
    """Pairwise commuting Pauli strings (``{qubit: letter}``): an even number of differing letters."""
    return all(sum(1 for q in a if q in b and a[q] != b[q]) % 2 == 0
               for i, a in enumerate(paulis) for b in paulis[i + 1:])


def _rotations(circ, qubit_index, depth: int, top: str | None, dropped: list | None = None) -> list[Rot]:
    """The rotations of ``circ``; measurements are allowed only as the last operation on their qubits
    (dropped, listed in ``dropped``): a mid-circuit measurement, a reset or a classically controlled
    gate is refused, naming it."""
    rots: list[Rot] = []
    measured: dict[int, str] = {}
    for pos, ci in enumerate(circ.data):
        op = ci.operation
        qs = [qubit_index[q] for q in ci.qubits]
        name = op.name
        src = top or f"{name}@{pos}"
        if name == "measure":
            for q in qs:
                measured.setdefault(q, src)
            if dropped is not None:
                dropped.append(src)
            continue
        after = [q for q in qs if q in measured]
        if after and name not in ("barrier", "delay"):
            raise InteropError(measured[after[0]], f"mid-circuit measurement: qubit {after[0]} is measured, then "
                               f"{src} acts on it", expected="a unitary circuit (measurements only at the end, where "
                                                         "they are dropped: the model is tr(ρ U(θ)† M U(θ)))",
                               fix="remove the measurement, or move it after the last gate on that qubit")
        if name in NON_UNITARY:
            raise InteropError(src, f"'{name}' is {NON_UNITARY[name]}, not a unitary gate",
                               expected="a unitary circuit", fix="remove it (the input state is the dataset's)")
        if getattr(ci, "clbits", None) or getattr(op, "condition", None) is not None:
            raise InteropError(src, f"gate '{name}' is classically controlled (it depends on a measurement)",
                               expected="a unitary circuit", fix="remove the classical control")
        if name == "PauliEvolution":
            t = _angle(op.params[0], src)
            terms = _sparse_terms(op.operator, qs, src)
            if len(terms) == 1:            # exp(-i t k P) = R_P(2kt)
                (k, p), = terms
                rots.append(Rot([(1, p)], t.scaled(2 * k.real), src))
            elif _all_commute([p for _, p in terms]):   # exp(-i t Σ k_j P_j) = Π_j R_{P_j}(2 k_j t), exactly
                rots += [Rot([(1, p)], t.scaled(2 * k.real), src) for k, p in terms]
            else:                          # exp(-i t H) = R_H(2t): one gate, valid when H² = I
                rots.append(Rot(terms, t.scaled(2), src))
            continue
        if name == "unitary":
            import numpy as np
            from qiskit import QuantumCircuit
            from qiskit.quantum_info import Operator

            n = len(qubit_index)
            full = QuantumCircuit(n)
            full.append(op, qs)
            rots.append(Rot([], Angle(), src, matrix=np.asarray(Operator(full).reverse_qargs().data)))
            continue
        angles = [_angle(a, src) for a in op.params] if name not in ("barrier", "delay") else []
        if name.startswith("qnnsym_pauli_") and len(angles) == 1 and len(name) - 13 == len(qs):
            word = name[13:]                 # qnnsym.interop.qasm.to_qasm3's R_{word}(t)
            rots.append(Rot([(1, {q: c for q, c in zip(qs, word)})], angles[0], src))
            continue
        got = decompose(name, qs, angles, src)
        if got is not None:
            rots.extend(got)
            continue
        if op.definition is not None and depth < 20:
            inner = {q: qs[i] for i, q in enumerate(op.definition.qubits)}
            rots.extend(_rotations(op.definition, inner, depth + 1, top or f"{name}@{pos}", dropped))
            continue
        raise InteropError(src, f"unsupported gate '{name}'",
                           expected="one of " + ", ".join(SUPPORTED_GATES) + ", or a gate with a definition in them",
                           fix="transpile first, e.g. qiskit.transpile(qc, basis_gates=['rx', 'ry', 'rz', 'cx'])")
    return rots


def qiskit_rotations(circuit) -> Imported:
    """The rotations of a ``QuantumCircuit`` (:class:`~qnnsym.interop.ops.Imported`)."""
    require_qiskit()
    from qiskit import QuantumCircuit

    if not isinstance(circuit, QuantumCircuit):
        raise InteropError("circuit", f"got {type(circuit).__name__}", expected="a qiskit.QuantumCircuit")
    idx = {q: i for i, q in enumerate(circuit.qubits)}
    dropped: list = []
    rots = _rotations(circuit, idx, 0, None, dropped)
    extra = {"dropped_terminal_measurements": dropped} if dropped else {}
    return Imported(rots, circuit.num_qubits, None, circuit.name or "qiskit", "qiskit", extra)


def from_qiskit(circuit, observable=None, data: dict | None = None, name: str | None = None,
                rationalise: bool = True) -> Instance:
    """A qnnsym :class:`~qnnsym.model.Instance` from a Qiskit circuit, an observable and a dataset.

    Parameters
    ----------
    circuit : qiskit.QuantumCircuit
        Parameterised circuit; each free ``Parameter`` drives exactly one rotation.
    observable : SparsePauliOp, Pauli, str or dict, optional
        ``M``: a Qiskit operator (little-endian labels), or a qnnsym operator in instance-file form
        (``"Z0 Z1"``, ``{"pauli": [["1/2", "Z0"]]}``); else the dataset's ``"observable"``.
    data : dict
        ``{"samples": [{"state": ..., "label": ...}, ...]}`` as in instance files
        (:func:`~qnnsym.interop.ops.load_dataset` reads one from a file).
    rationalise : bool
        Read float coefficients as the simplest fraction with the same float value (``0.5 → 1/2``).

    Returns
    -------
    Instance
        ``meta["interop"]["parameters"]`` lists ``θ_l = c·t`` for every gate.
    """
    imp = qiskit_rotations(circuit)
    obs = observable
    if observable is not None and not isinstance(observable, (str, dict)):
        imp.observable = observable_terms(observable)
        obs = None
    return imp.instance(data, obs, name, rationalise)


def qiskit_observable(op) -> Any:
    """A qnnsym Pauli operator as a ``SparsePauliOp`` (little-endian labels)."""
    require_qiskit()
    from qiskit.quantum_info import SparsePauliOp

    if not isinstance(op, PauliSum):
        raise InteropError("observable", "not a Pauli sum", expected="a Pauli-sum observable")
    return SparsePauliOp.from_sparse_list([(_letters(k, op.n)[0], _letters(k, op.n)[1], float(v))
                                           for k, v in op.items()], num_qubits=op.n)


def _letters(key, n) -> tuple[str, list[int]]:
    x, z = key
    word, qs = "", []
    for q in range(n):
        b = ((x >> q) & 1, (z >> q) & 1)
        if b != (0, 0):
            word += {(1, 0): "X", (0, 1): "Z", (1, 1): "Y"}[b]
            qs.append(q)
    return word, qs


def _single_string(op, where: str) -> tuple[int, tuple]:
    if not isinstance(op, PauliSum) or len(op) != 1:
        raise InteropError(where, "the generator is not a single Pauli string",
                           expected="H = ±P for export (a Pauli-rotation circuit)",
                           fix="export supports Pauli-string gates; keep this instance as qnnsym JSON")
    (k, v), = op.items()
    return (1 if v > 0 else -1), k


def to_qiskit(inst: Instance):
    """The instance's circuit as a Qiskit circuit: gate ``l`` is ``PauliEvolutionGate(±P, time=θ[l])``
    (= ``exp(−iθ_l H_l)`` exactly), a fixed rotation ``exp(−iaP)`` is ``PauliEvolutionGate(P, a)``.

    Returns
    -------
    (QuantumCircuit, SparsePauliOp or None, ParameterVector)
        The circuit, ``M`` (``None`` for a matrix observable) and the parameters ``θ``.
    """
    require_qiskit()
    from qiskit import QuantumCircuit
    from qiskit.circuit import ParameterVector
    from qiskit.circuit.library import PauliEvolutionGate, UnitaryGate
    from qiskit.quantum_info import Operator, SparsePauliOp

    n = inst.qnn.n_qubits
    if n is None or 2 ** n != inst.qnn.dim:
        raise InteropError("n_qubits", f"not a qubit instance (dimension {inst.qnn.dim})",
                           expected="an instance on n qubits (dimension 2^n) for a Qiskit circuit",
                           fix="keep this instance as qnnsym JSON")
    theta = ParameterVector("θ", inst.p)
    qc = QuantumCircuit(n, name=inst.name or "qnnsym")
    l = 0
    for i, o in enumerate(inst.qnn.ops):
        where = f"circuit[{i}]"
        if isinstance(o, Gate):
            sign, k = _single_string(o.generator, where + ".gate")
            word, qs = _letters(k, n)
            t = sum(float(a) * theta[ll] for ll, a in inst.qnn.angles[l])     # Σ a θ (shared parameters)
            qc.append(PauliEvolutionGate(SparsePauliOp.from_sparse_list([(word, list(range(len(qs))), sign)],
                                                                        len(qs)), time=t), qs)
            l += 1
        elif isinstance(o, FixedGate) and o.pauli is not None:
            _, k = _single_string(o.pauli, where + ".fixed.pauli")
            word, qs = _letters(k, n)
            a = 0.5 * math.atan2(float(o.sin2a), float(o.cos2a))
            qc.append(PauliEvolutionGate(SparsePauliOp.from_sparse_list([(word, list(range(len(qs))), 1)], len(qs)),
                                         time=a), qs)
        else:
            U = Operator(o.matrix().to_numpy()).reverse_qargs()
            qc.append(UnitaryGate(U.data), list(range(n)))
    M = qiskit_observable(inst.observable) if isinstance(inst.observable, PauliSum) else None
    return qc, M, theta


def statevector_to_qnnsym(vec) -> list:
    """A Qiskit ``Statevector`` (or array in Qiskit order) as a qnnsym state vector (qubit 0 = most
    significant bit), ready for ``{"state": {"vector": ...}}``."""
    import numpy as np

    from .ops import reorder_vector

    v = np.asarray(getattr(vec, "data", vec), dtype=complex)
    n = int(round(math.log2(len(v))))
    return [complex(x) for x in reorder_vector(list(v), n)]
