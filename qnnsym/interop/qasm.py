"""OpenQASM 2 and 3 text → a qnnsym instance, and an instance's circuit → OpenQASM 3.

Reading uses maintained parsers, not a hand-written one: ``qiskit.qasm3.loads`` (the
``qiskit-qasm3-import`` package, on the reference ``openqasm3`` grammar) for OpenQASM 3 and
``qiskit.qasm2.loads`` for OpenQASM 2; the resulting ``QuantumCircuit`` goes through
:func:`qnnsym.interop.qiskit_io.qiskit_rotations`.  Free parameters are OpenQASM 3 ``input angle``
(or ``input float[64]``) declarations; OpenQASM 2 has no free parameters, so an OpenQASM 2 file
needs at least one rotation written in OpenQASM 3 instead (the error says so).

Writing (:func:`to_qasm3`): gate ``l`` of the instance, ``exp(−iθ_l P)`` with a Pauli string
``P`` on qubits ``q_1 … q_k``, is ``rx/ry/rz(2*theta_l)`` for one qubit and the gate
``qnnsym_pauli_<WORD>(2*theta_l)`` (defined in the header by a basis change, a CX ladder and an
``rz``) for several; ``−P`` is written with ``-2*theta_l``; a fixed rotation ``exp(−iaP)`` is the
same gate at the angle ``2a``, written exactly (``pi/2``, ``pi``, ``-pi/2``) when ``(cos 2a, sin 2a)``
is a quarter turn.  Reading the text back gives the same instance (tests); other fixed angles are
written as floats (the round trip is then inexact, with a warning) and fixed unitary matrices or
Pauli-sum generators are refused.
"""
from __future__ import annotations

import math
import contextlib
import io
import re
import warnings
from fractions import Fraction
from pathlib import Path

from ..errors import BackendUnavailable, InteropError, InteropWarning
from ..exact.paulis import PauliSum
from ..model.circuit import FixedGate, Gate
from ..model.data import Instance
from ..paths import read_text, write_text
from .qiskit_io import qiskit_rotations

__all__ = ["qasm_circuit", "qasm_rotations", "from_qasm", "to_qasm3", "PAULI_GATE_PREFIX"]

#: name prefix of the multi-qubit Pauli rotations :func:`to_qasm3` defines (read back as one rotation)
PAULI_GATE_PREFIX = "qnnsym_pauli_"


def qasm_circuit(text: str, where: str = "qasm"):
    """Parse OpenQASM 2 or 3 text into a Qiskit ``QuantumCircuit`` (version from the header)."""
    try:
        import qiskit.qasm2
        import qiskit.qasm3
    except ImportError:
        raise BackendUnavailable("Qiskit is not installed (fix: pip install 'qnnsym[qasm]')") from None
    if not re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S).strip():
        raise InteropError(where, "the OpenQASM source is empty", expected="an OpenQASM 2 or 3 program",
                           fix="check the file name; a program starts with 'OPENQASM 3.0;'")
    m = re.search(r"^\s*OPENQASM\s+(\d+)", re.sub(r"//[^\n]*", "", text), re.MULTILINE)
    version = int(m.group(1)) if m else 3
    said = io.StringIO()          # the OpenQASM 3 parser prints its syntax errors instead of raising them
    try:
        with contextlib.redirect_stderr(said):
            if version == 2:
                return qiskit.qasm2.loads(text, custom_instructions=qiskit.qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
            return qiskit.qasm3.loads(text)
    except qiskit.exceptions.MissingOptionalLibraryError:
        raise BackendUnavailable("the OpenQASM 3 importer is not installed "
                                 "(fix: pip install 'qnnsym[qasm]', i.e. qiskit-qasm3-import)") from None
    except Exception as e:    # the parsers' own errors (syntax, unknown identifiers, ...)
        msg = " ".join(str(e).split())
        printed = " ".join(said.getvalue().split())
        if printed and (not msg or "NoneType" in msg):
            msg = printed
        msg = msg or f"{type(e).__name__} (no message)"
        hint = None
        if version == 2 and any(w in msg for w in ("not defined", "undefined", "not a parameter", "unknown")):
            hint = "OpenQASM 2 has no free parameters: write the file as OpenQASM 3 with 'input angle theta;'"
        raise InteropError(where, f"OpenQASM {version} parser: {msg[:400]}", expected="valid OpenQASM",
                           fix=hint) from None


def qasm_rotations(text: str, where: str = "qasm"):
    imp = qiskit_rotations(qasm_circuit(text, where))
    imp.source = "openqasm"
    return imp


def from_qasm(source: str | Path, observable=None, data: dict | None = None, name: str | None = None,
              rationalise: bool = True) -> Instance:
    """A qnnsym instance from OpenQASM 2/3 (a path to a ``.qasm`` file, or the text itself).

    The observable is a qnnsym operator (``"Z0 Z1"``, ``{"pauli": [...]}``), a Qiskit
    ``SparsePauliOp``, or the dataset's ``"observable"``.
    """
    text, nm = str(source), name
    if "\n" not in text and Path(text).suffix.lower() in (".qasm", ".qasm2", ".qasm3", ".inc"):
        text, nm = read_text(text, "qasm"), name or Path(text).stem
    imp = qasm_rotations(text)
    obs = observable
    if observable is not None and not isinstance(observable, (str, dict)):
        from .qiskit_io import observable_terms

        imp.observable, obs = observable_terms(observable), None
    return imp.instance(data, obs, nm or "openqasm", rationalise)


def _word(op: PauliSum, where: str) -> tuple[int, str, list[int]]:
    if not isinstance(op, PauliSum) or len(op) != 1 or list(op.values())[0] not in (1, -1):
        raise InteropError(where, "not a single Pauli string ±P",
                           expected="Pauli-string gates for OpenQASM (exp(-iθP))",
                           fix="export to Qiskit (to_qiskit) or keep the qnnsym JSON")
    (k, v), = op.items()
    x, z = k
    word, qs = "", []
    for q in range(op.n):
        b = ((x >> q) & 1, (z >> q) & 1)
        if b != (0, 0):
            word += {(1, 0): "X", (0, 1): "Z", (1, 1): "Y"}[b]
            qs.append(q)
    return (1 if v == 1 else -1), word, qs


def _pauli_gate_def(word: str) -> str:
    k = len(word)
    a = [f"a{j}" for j in range(k)]
    pre, post = [], []
    for j, c in enumerate(word):
        if c == "X":
            pre.append(f"h {a[j]};")
            post.append(f"h {a[j]};")
        elif c == "Y":
            pre += [f"sdg {a[j]};", f"h {a[j]};"]
            post += [f"h {a[j]};", f"s {a[j]};"]
    ladder = [f"cx {a[j]}, {a[j + 1]};" for j in range(k - 1)]
    body = pre + ladder + [f"rz(t) {a[-1]};"] + ladder[::-1] + post
    return (f"// exp(-i t/2 {'⊗'.join(word)}) on ({', '.join(a)})\n"
            f"gate {PAULI_GATE_PREFIX}{word}(t) {', '.join(a)} {{\n  " + "\n  ".join(body) + "\n}")


def _linear_angle(terms) -> str:
    """``2·Σ a_l θ_l`` as OpenQASM text (``2*theta_1``, ``-2*theta_1 + 1/2*theta_3``)."""
    out = ""
    for l, a in terms:
        c = 2 * Fraction(a)
        txt = f"{abs(c.numerator)}" + (f"/{c.denominator}" if c.denominator != 1 else "") + f"*theta_{l + 1}"
        out += ("-" if c < 0 else "") + txt if not out else (" - " if c < 0 else " + ") + txt
    return out


_EXACT_ANGLE = {(1, 0): "0", (0, 1): "pi/2", (-1, 0): "pi", (0, -1): "-pi/2"}


def to_qasm3(inst: Instance, path: str | Path | None = None) -> str:
    """The circuit of ``inst`` as OpenQASM 3 (``input angle theta_l`` per gate); written to ``path`` if given.

    Raises
    ------
    InteropError
        A gate that is not a Pauli-string rotation (a Pauli-sum or matrix generator, a fixed unitary),
        or a non-qubit instance.
    """
    n = inst.qnn.n_qubits
    if n is None or 2 ** n != inst.qnn.dim:
        raise InteropError("n_qubits", "not a qubit instance", expected="an instance on n qubits")
    lines, defs, inexact = [], {}, []
    l = 0
    for i, o in enumerate(inst.qnn.ops):
        where = f"circuit[{i}]"
        if isinstance(o, Gate):
            sign, word, qs = _word(o.generator, where + ".gate")
            angle = _linear_angle(((ll, a * sign) for ll, a in inst.qnn.angles[l]))
            l += 1
        elif isinstance(o, FixedGate) and o.pauli is not None:
            sign, word, qs = _word(o.pauli, where + ".fixed.pauli")
            c, s = o.cos2a, o.sin2a
            key = (c, s) if isinstance(c, (int, Fraction)) and isinstance(s, (int, Fraction)) else None
            if key in _EXACT_ANGLE:
                if key == (1, 0):
                    continue
                angle = _EXACT_ANGLE[key]
            elif o.pi_angle is not None:      # an exact multiple of π reads back exactly (kπ/8 is recognised)
                angle = f"{o.pi_angle.numerator}*pi/{o.pi_angle.denominator}"
            else:
                angle = repr(float(o.angle) if o.angle is not None else math.atan2(float(s), float(c)))
                inexact.append(where)
        else:
            raise InteropError(where + ".fixed", "a fixed unitary matrix has no OpenQASM form here",
                               expected="fixed Pauli rotations {\"pauli\": ..., \"cos\": ..., \"sin\": ...}",
                               fix="export to Qiskit (to_qiskit), which writes it as a UnitaryGate")
        args = ", ".join(f"q[{q}]" for q in qs)
        if len(word) == 1:
            lines.append(f"r{word.lower()}({angle}) {args};")
        else:
            defs.setdefault(word, _pauli_gate_def(word))
            lines.append(f"{PAULI_GATE_PREFIX}{word}({angle}) {args};")
    if inexact:
        warnings.warn(InteropWarning(f"{', '.join(inexact)}: fixed rotation(s) with a non-quarter-turn angle written "
                                     "as floats; reading the file back gives an inexact instance"), stacklevel=2)
    head = ["OPENQASM 3.0;", 'include "stdgates.inc";',
            f"// qnnsym instance {inst.name!r}: gate l is exp(-i theta_l H_l) (paper eq. 4) = a rotation by 2*theta_l",
            f"// the observable and the {inst.m} samples are not part of the circuit (keep the qnnsym JSON for them)"]
    if inst.qnn.tied:
        head.append("// shared parameters: theta_l is " + ", ".join(f"theta_{j + 1} = {nm}"
                                                              for j, nm in enumerate(inst.qnn.parameters)))
    head += [f"input angle theta_{j};" for j in range(1, inst.p + 1)]
    text = "\n".join(head + list(defs.values()) + [f"qubit[{n}] q;"] + lines) + "\n"
    if path is not None:
        write_text(path, text, "-o")
    return text
