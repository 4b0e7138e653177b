"""PennyLane: a tape (``QuantumScript``) or a QNode with one ``expval`` → a qnnsym instance.

PennyLane's rotations are Qiskit's: ``qml.RX(t) = exp(−itX/2)``, ``qml.PauliRot(t, "XY") =
exp(−it X⊗Y/2)``, ``qml.IsingZZ(t) = exp(−it Z⊗Z/2)``, ``qml.MultiRZ``; so a trainable ``t`` is the
qnnsym gate ``exp(−iθG)`` at ``θ = t/2`` (:mod:`qnnsym.interop.ops`).  Trainable parameters are the
tape's ``trainable_params`` (``pennylane.numpy`` arrays with ``requires_grad=True``; every parameter of
a tape built by hand), or the indices given as ``trainable``; every other parameter is a fixed angle.
Clifford gates (``Hadamard``, ``PauliX/Y/Z``, ``S``, ``SX``, ``CNOT``, ``CZ``, ``CY``, ``SWAP``, ``ISWAP``,
their ``adjoint``) are exact; an unknown gate is expanded through its ``decomposition()``.  The
observable comes from ``qml.pauli.pauli_sentence`` of the measured operator (``qml.Hamiltonian``,
``qml.PauliZ(0) @ qml.PauliZ(1)``, sums and scalar products).  Wires ``0..n−1`` are qnnsym qubits
``0..n−1`` (other wire labels are numbered in the order of ``tape.wires``); PennyLane's state-vector
order (wire 0 = most significant bit) is qnnsym's.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import BackendUnavailable, InteropError
from ..model.data import Instance
from .ops import SUPPORTED_GATES, Angle, Imported, Rot, decompose

__all__ = ["require_pennylane", "pennylane_rotations", "from_pennylane", "qnode_linear_angles", "PENNYLANE_NAMES"]

#: PennyLane operation name -> the gate table's name (:func:`qnnsym.interop.ops.decompose`)
PENNYLANE_NAMES = {"RX": "rx", "RY": "ry", "RZ": "rz", "PhaseShift": "p", "Hadamard": "h", "PauliX": "x",
                   "PauliY": "y", "PauliZ": "z", "S": "s", "T": "t", "SX": "sx", "CNOT": "cx", "CZ": "cz",
                   "CY": "cy", "SWAP": "swap", "ISWAP": "iswap", "IsingXX": "rxx", "IsingYY": "ryy",
                   "IsingZZ": "rzz", "Identity": "id", "Barrier": "barrier", "GlobalPhase": "global_phase",
                   "ControlledPhaseShift": "cp", "CRZ": "crz"}


def _unwrap(v):
    """A PennyLane/autograd tensor as a plain numpy value (``qml.math.unwrap``)."""
    import pennylane as qml

    return qml.math.unwrap(v)


def require_pennylane():
    try:
        import pennylane
    except ImportError:
        raise BackendUnavailable("PennyLane is not installed (fix: pip install 'qnnsym[pennylane]')") from None
    return pennylane


#: operation names handled directly (the others are decomposed)
_DIRECT = set(PENNYLANE_NAMES) | {"PauliRot", "MultiRZ", "Rot"}

#: operations that are not unitary gates (refused, named)
_NON_UNITARY = {"MidMeasureMP": "a mid-circuit measurement (qml.measure)",
                "Conditional": "a classically controlled operation (qml.cond)",
                "PostSelect": "a post-selection"}


def _op_rots(op, wire_index, trainable: set, counter: list, top: str | None, depth: int,
             linear: dict | None = None) -> list[Rot]:
    name = op.name
    src = top or f"{name}@{counter[1]}"
    counter[1] += 1
    if name in _NON_UNITARY or type(op).__name__ in _NON_UNITARY:
        raise InteropError(src, f"'{name}' is {_NON_UNITARY.get(name) or _NON_UNITARY[type(op).__name__]}, "
                           "not a unitary gate", expected="a unitary circuit (the model is tr(ρ U(θ)† M U(θ)))",
                           fix="remove it; measure only through the final qml.expval")
    qs = [wire_index[w] for w in op.wires]
    idxs = list(range(counter[0], counter[0] + len(op.parameters)))
    counter[0] += len(op.parameters)
    free = [top is None and i in trainable for i in idxs]
    #: angles linear in a QNode's trainable inputs (shared / combined parameters, :func:`qnode_linear_angles`)
    lin = [linear.get(i) if top is None and linear is not None else None for i in idxs]
    base = op.base if name.startswith("Adjoint(") and hasattr(op, "base") else None
    template = op if base is None else base
    if template.name not in _DIRECT and getattr(template, "has_decomposition", False) and depth < 20:
        if any(free):                       # a template with trainable weights
            inner = _template_rots(template, idxs, free, wire_index, src, depth)
        elif any(np.ndim(_unwrap(v)) for v in op.parameters):   # fixed array arguments (an embedding)
            inner = [r for o in template.decomposition() for r in _op_rots(o, wire_index, set(), [0, 0], src, depth + 1)]
        else:
            inner = None
        if inner is not None:
            return inner if base is None else [Rot(r.terms, r.angle.negated(), r.source,
                                                   None if r.matrix is None else r.matrix.conj().T)
                                               for r in reversed(inner)]
    angles = []
    for v, i, f, a in zip(op.parameters, idxs, free, lin):
        if a is not None:
            angles.append(a)
            continue
        if f:
            angles.append(Angle.free(f"p{i}", where=src))
            continue
        try:
            angles.append(Angle.fixed(float(v), src))
        except TypeError:
            raise InteropError(src, f"parameter {v!r} of {name} is not a number",
                               expected="scalar rotation angles") from None
    return _rots_of(op, qs, angles, wire_index, src, depth)


def _rots_of(op, qs, angles, wire_index, src: str, depth: int) -> list[Rot]:
    """The rotations of one operation whose angles are known (free or fixed)."""
    name = op.name
    if name.startswith("Adjoint(") and hasattr(op, "base"):
        inner = _rots_of(op.base, [wire_index[w] for w in op.base.wires], angles, wire_index, src, depth + 1)
        return [Rot(r.terms, r.angle.negated(), r.source, None if r.matrix is None else r.matrix.conj().T)
                for r in reversed(inner)]
    if name == "PauliRot":
        word = op.hyperparameters["pauli_word"]
        return [Rot([(1, {q: c for q, c in zip(qs, word) if c != "I"})], angles[0], src)]
    if name == "MultiRZ":
        return [Rot([(1, {q: "Z" for q in qs})], angles[0], src)]
    if name == "Rot":                       # Rot(φ, θ, ω) = RZ(ω) RY(θ) RZ(φ)
        phi, th, om = angles
        return decompose("u", qs, [th, om, phi], src)
    got = decompose(PENNYLANE_NAMES[name], qs, angles, src) if name in PENNYLANE_NAMES else None
    if got is not None:
        return got
    if getattr(op, "has_decomposition", False) and depth < 20 and not any(a.is_free for a in angles):
        out = []
        for o in op.decomposition():
            out += _op_rots(o, wire_index, set(), [0, 0], src, depth + 1)
        return out
    raise InteropError(src, f"unsupported gate '{name}'",
                       expected="one of " + ", ".join(sorted(PENNYLANE_NAMES)) + ", PauliRot, MultiRZ, Rot, "
                                "adjoints, or a gate with a decomposition into them (table: "
                                + ", ".join(SUPPORTED_GATES) + ")")


def _flat_decomposition(op, depth: int = 0) -> list:
    """``op`` decomposed until every operation is handled directly (or has no decomposition)."""
    if op.name in _DIRECT or op.name.startswith("Adjoint(") or not getattr(op, "has_decomposition", False) \
            or depth > 20:
        return [op]
    return [x for o in op.decomposition() for x in _flat_decomposition(o, depth + 1)]


def _template_rots(op, idxs, free, wire_index, src: str, depth: int) -> list[Rot]:
    """A template (``BasicEntanglerLayers``, ``StronglyEntanglingLayers``, ...) with trainable weights,
    decomposed so that each weight entry stays a free parameter ``p<i>[j,k]``.

    The template is decomposed twice, its trainable entries replaced by two sets of distinct tags
    (``1 + g√2`` and ``5/2 + g√3`` for entry ``g``); an angle of the decomposition that follows one
    tag as ``c·tag + o`` (``c`` a small rational, the same in both runs) is that weight times ``c``
    plus ``o``; one that does not move is fixed; any other (a function of several weights) is refused.
    """
    import math
    from fractions import Fraction

    import numpy as np
    import pennylane as qml

    names: list[str] = []
    runs = []
    for base, step in ((1.0, math.sqrt(2)), (2.5, math.sqrt(3))):
        params, g = [], 0
        for v, i, f in zip(op.parameters, idxs, free):
            if not f:
                params.append(v)
                continue
            arr = np.asarray(qml.math.unwrap(v), dtype=float)
            tags = base + step * (g + np.arange(arr.size))
            if base == 1.0:
                names += [f"p{i}" if arr.ndim == 0 else f"p{i}[{','.join(map(str, np.unravel_index(j, arr.shape)))}]"
                          for j in range(arr.size)]
            g += arr.size
            params.append(tags.reshape(arr.shape) if arr.ndim else float(tags[0]))
        runs.append(_flat_decomposition(qml.ops.functions.bind_new_parameters(op, params)))
    tag_a = 1.0 + math.sqrt(2) * np.arange(len(names))
    tag_b = 2.5 + math.sqrt(3) * np.arange(len(names))
    ops_a, ops_b = runs
    if len(ops_a) != len(ops_b) or any(a.name != b.name for a, b in zip(ops_a, ops_b)):
        raise InteropError(src, f"template '{op.name}' decomposes differently for different weights",
                           fix="decompose it first (qml.transforms.decompose)")
    out: list[Rot] = []
    for k, (oa, ob) in enumerate(zip(ops_a, ops_b)):
        where = f"{src}/{oa.name}#{k}"
        if oa.name in ("GlobalPhase", "Identity", "Barrier"):         # no effect on tr(ρ U†MU)
            continue
        pa = [np.asarray(qml.math.unwrap(v)) for v in oa.parameters]
        pb = [np.asarray(qml.math.unwrap(v)) for v in ob.parameters]
        if all(a.shape == b.shape and np.array_equal(a, b) for a, b in zip(pa, pb)):
            out += _op_rots(oa, wire_index, set(), [0, 0], where, depth + 1)     # no weight in it: fixed
            continue
        if any(a.ndim for a in pa):
            raise InteropError(where, f"'{oa.name}' in template '{op.name}' takes its weights as a matrix",
                               expected="rotations whose angles are the template's weights",
                               fix="decompose it first (qml.transforms.decompose)")
        angles = []
        for va, vb in zip(pa, pb):
            va, vb = float(va), float(vb)
            if abs(va - vb) <= 1e-12 * max(1.0, abs(va)):
                angles.append(Angle.fixed(va, where))
                continue
            hit = None
            for g in range(len(names)):
                c = (va - vb) / (tag_a[g] - tag_b[g])
                q = Fraction(c).limit_denominator(64)
                oa_, ob_ = va - float(q) * tag_a[g], vb - float(q) * tag_b[g]
                if q and abs(c - q) <= 1e-9 * max(1.0, abs(c)) and abs(oa_ - ob_) <= 1e-9 * max(1.0, abs(oa_)):
                    hit = (names[g], float(q), oa_)
                    break
            if hit is None:
                raise InteropError(where, f"an angle of template '{op.name}' depends on its weights through an "
                                   "expression qnnsym cannot read", expected="each angle c·w + o for one weight w",
                                   fix="decompose it first (qml.transforms.decompose) and check its angles")
            off = hit[2] if abs(hit[2]) > 1e-12 else 0.0
            angles.append(Angle.free(hit[0], hit[1], off, where))
        qs = [wire_index[w] for w in oa.wires]
        out += _rots_of(oa, qs, angles, wire_index, where, depth + 1)
    return out


def pennylane_rotations(tape, trainable: Sequence[int] | None = None, n_qubits: int | None = None,
                        linear: dict | None = None) -> Imported:
    """The rotations and observable terms of a PennyLane tape (:class:`~qnnsym.interop.ops.Imported`);
    ``linear``: ``{tape parameter index: Angle}`` for parameters that are linear in the QNode's
    trainable inputs (:func:`qnode_linear_angles`)."""
    qml = require_pennylane()
    if not isinstance(tape, qml.tape.QuantumScript):
        raise InteropError("tape", f"got {type(tape).__name__}", expected="a PennyLane tape / QuantumScript or a QNode")
    wires = list(tape.wires)
    if all(isinstance(w, int) for w in wires):
        wire_index = {w: w for w in wires}
        n = max(wires, default=-1) + 1
    else:
        wire_index = {w: i for i, w in enumerate(wires)}
        n = len(wires)
    n = max(n, n_qubits or 0)
    tr = set(tape.trainable_params if trainable is None else trainable) if linear is None else set()
    n_op_params = sum(len(op.parameters) for op in tape.operations)
    if linear is None and not any(i < n_op_params for i in tr):
        raise InteropError("trainable", "no trainable parameter in the tape's gates",
                           expected="pennylane.numpy arrays with requires_grad=True, or trainable=[indices]")
    counter = [0, 0]
    rots: list[Rot] = []
    for op in tape.operations:
        rots += _op_rots(op, wire_index, tr, counter, None, 0, linear)
    obs_terms = None
    if tape.measurements:
        if len(tape.measurements) != 1 or type(tape.measurements[0]).__name__ != "ExpectationMP":
            raise InteropError("measurements", f"{tape.measurements}", expected="one qml.expval(observable)")
        obs = tape.measurements[0].obs
        try:
            ps = qml.pauli.pauli_sentence(obs)
        except (ValueError, TypeError, AttributeError):      # qml.Hermitian, a projector: through its matrix
            try:
                ps = qml.pauli_decompose(qml.matrix(obs, wire_order=list(obs.wires)), wire_order=list(obs.wires),
                                         pauli=True, hide_identity=True)
            except Exception as e:
                raise InteropError("observable", f"cannot read {obs!r} as a Pauli sum ({type(e).__name__}: {e})",
                                   expected="a Hermitian observable (Pauli sum, Hamiltonian, qml.Hermitian)",
                                   fix="pass --observable") from None
        obs_terms = [(complex(c), {wire_index[w]: l for w, l in dict(word).items()}) for word, c in ps.items()]
    return Imported(rots, n, obs_terms, "pennylane", "pennylane")


def from_pennylane(obj, *args, data: dict | None = None, observable=None, trainable: Sequence[int] | None = None,
                   name: str | None = None, rationalise: bool = True, **kwargs) -> Instance:
    """A qnnsym instance from a PennyLane tape, or a QNode called with ``*args, **kwargs``.

    Parameters
    ----------
    obj : QuantumScript or QNode
    data : dict
        The dataset ``{"samples": [...]}`` (instance-file form).
    observable : optional
        Overrides the tape's ``expval`` (a qnnsym operator in instance-file form).
    trainable : list of int, optional
        Tape parameter indices that are free (default: ``tape.trainable_params``).

    Returns
    -------
    Instance
        ``meta["interop"]["parameters"]`` maps ``θ_l`` to the tape parameter ``p<i>``: ``θ_l = t/2``.
    """
    qml = require_pennylane()
    tape = obj
    if isinstance(obj, qml.QNode):
        try:
            tape = qml.workflow.construct_tape(obj)(*args, **kwargs)
        except Exception as e:               # the user's QNode rejected these arguments
            raise InteropError("--qnode-args", f"calling the QNode with {len(args)} argument(s) failed: "
                               f"{type(e).__name__}: {str(e)[:300]}",
                               expected="the QNode's arguments as a JSON list, one entry per argument "
                                        "(an array as a nested list), e.g. [[0.1, 0.2]]") from None
        if trainable is None:
            found = qnode_linear_angles(obj, args, kwargs)
            if found is not None:               # shared / combined parameters: θ over the QNode's inputs
                return pennylane_rotations(found[0], linear=found[1]).instance(
                    data, observable, name, rationalise)
    imp = pennylane_rotations(tape, trainable)
    return imp.instance(data, observable, name, rationalise)


def _entry_name(arg: str, idx: tuple) -> str:
    return arg if not idx else f"{arg}[{','.join(map(str, idx))}]"


def qnode_linear_angles(qnode, args: tuple, kwargs: dict):
    """``(tape, {tape parameter index: Angle})`` when the QNode's trainable inputs drive its gates
    through shared or combined linear angles (an input used by several gates, ``2*x[0] + x[1]``);
    ``None`` when every gate angle is one input of its own (the plain path, ``θ_l = t/2``).

    The tape (decomposed to the supported gates) is built at the inputs ``0``, ``e_j`` and ``2e_j``
    (and all ones): its gate parameters must be affine in the inputs with the same structure
    everywhere; the differences are the coefficients (read exactly, :func:`~qnnsym.interop.ops.rationalise`).
    Trainable inputs are the positional arguments with ``requires_grad`` (``pennylane.numpy``
    arrays); the free parameters are named after them (``params[0]``, ``gammas[1]``).

    Raises
    ------
    InteropError
        A gate angle that is not linear in the inputs, or a circuit whose gates change with the values.
    """
    import inspect

    import numpy as np

    qml = require_pennylane()
    try:
        argnames = list(inspect.signature(qnode.func).parameters)
    except (TypeError, ValueError):
        argnames = []
    entries = []                                   # (arg position, index tuple, name)
    for i, a in enumerate(args):
        if not qml.math.requires_grad(a):
            continue
        arr = np.asarray(a, dtype=float)
        nm = argnames[i] if i < len(argnames) else f"arg{i}"
        entries += [(i, idx, _entry_name(nm, idx)) for idx in np.ndindex(arr.shape)]
    if not entries:
        return None
    gate_set = set(PENNYLANE_NAMES) | {"PauliRot", "MultiRZ", "Rot"}

    def tape_at(values: dict):
        new = list(args)
        for (i, idx, _), v in zip(entries, [values.get(j, 0.0) for j in range(len(entries))]):
            arr = np.array(np.asarray(new[i], dtype=float), dtype=float)
            arr[idx] = v
            new[i] = qml.numpy.array(arr, requires_grad=True) if arr.shape else qml.numpy.array(arr, requires_grad=True)
        tape = qml.workflow.construct_tape(qnode)(*new, **kwargs)
        (tape,), _ = qml.transforms.decompose(tape, gate_set=gate_set)
        sig = [(op.name, tuple(op.wires), len(op.parameters)) for op in tape.operations]
        vals = [float(qml.math.toarray(v)) for op in tape.operations for v in op.parameters]
        return tape, sig, np.array(vals)

    base, sig0, v0 = tape_at({})
    if not np.isfinite(v0).all():                  # a non-finite fixed angle: the plain path names its gate
        return None
    cols = []
    for j in range(len(entries)):
        t1, s1, v1 = tape_at({j: 1.0})
        _, s2, v2 = tape_at({j: 2.0})
        if s1 != sig0 or s2 != sig0:
            raise InteropError(f"QNode input {entries[j][2]}", "the circuit's gates change with the parameter's value",
                               expected="a fixed circuit whose gate angles are linear in the inputs")
        c = v1 - v0
        bad = np.flatnonzero(np.abs(v2 - v0 - 2 * c) > 1e-9 * (1 + np.abs(v2)))
        if bad.size:
            raise InteropError(f"QNode input {entries[j][2]}", f"gate parameter {int(bad[0])} is not linear in it",
                               expected="gate angles linear in the trainable inputs (c₁·x₁ + c₂·x₂ + o)",
                               fix="make the non-linear function of the input a separate trainable input")
        cols.append(c)
    C = np.array(cols).T                              # (tape parameters, inputs)
    _, s_all, v_all = tape_at({j: 1.0 for j in range(len(entries))})
    if s_all != sig0 or np.any(np.abs(v_all - v0 - C.sum(axis=1)) > 1e-9 * (1 + np.abs(v_all))):
        raise InteropError("QNode inputs", "gate angles are not jointly linear in the inputs",
                           expected="gate angles linear in the trainable inputs")
    nz = C != 0
    if nz.sum(axis=1).max(initial=0) <= 1 and nz.sum(axis=0).max(initial=0) <= 1:
        return None                                   # one input per gate: the plain path
    linear = {i: Angle.linear(tuple((entries[j][2], float(C[i, j])) for j in np.flatnonzero(nz[i])), float(v0[i]))
              for i in range(C.shape[0]) if nz[i].any()}
    return base, linear
