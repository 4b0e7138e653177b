"""Instance files (JSON) and built-in instances addressable by name.

File format ``qnnsym-instance/1`` (schema: ``qnnsym/data/instance.schema.json``; docs:
``docs/instance-format.md``).  Numbers are strings (``"3/5"``, ``"1/2 - 1/3*I"``) so that a
file round-trips exactly; JSON integers are exact too, JSON floats are read as inexact.

Built-ins are listed in :data:`BUILTINS` (``name -> "module:function"``, imported lazily); each
factory takes keyword parameters (e.g. ``p``) and returns an :class:`~qnnsym.model.Instance`.
"""
from __future__ import annotations

import contextlib
import functools
import importlib
import json
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..budget import power_estimate, refuse_if_too_large
from ..errors import InstanceFileError, InstanceFileWarning, ValidationError
from ..exact.opmatrix import OpMatrix
from ..exact.paulis import PauliSum
from ..exact.scalars import format_scalar, parse_scalar, real_scalar
from ..paths import read_text, write_text
from ..validate import as_int, loads_json
from .circuit import (HERMITIAN, INTEGER, QNN, TWO_LEVEL, FixedGate, Gate, as_operator, format_fixed_angle, parse_angle,
                      parse_fixed_angle)
from .data import EXPECTATION, Dataset, Instance, Objective, Sample, _state_from

__all__ = ["FORMAT", "BUILTINS", "KNOWN_KEYS", "builtin_instance", "builtin_factory", "builtin_parameters",
           "integer_parameters", "load_instance", "instance_from_dict", "instance_to_dict",
           "dump_instance", "prop5_instance", "PYTHAGOREAN"]

FORMAT = "qnnsym-instance/1"

#: name -> "module:function" of a factory ``f(**params) -> Instance``
BUILTINS: dict[str, str] = {
    "prop5": "qnnsym.model.instances:prop5_instance",
    "dense": "qnnsym.critical.dense:dense_instance",
    "theorem2": "qnnsym.construct.realise:theorem2_instance",
    "prop5-family": "qnnsym.construct.prop5:prop5_family_instance",
    "prop5-coupled": "qnnsym.construct.prop5:prop5_coupled_instance",
    "integer-spectrum": "qnnsym.construct.integer_spectrum:integer_spectrum_instance",
}

#: the largest observable (Pauli terms) a built-in instance is allowed to build (2^22: ≈ 1 GB, ≈ 10 s)
MAX_OBSERVABLE_TERMS = 2 ** 22

#: rational points (cos a, sin a) on the unit circle used for exact angles
PYTHAGOREAN = [(Fraction(3, 5), Fraction(4, 5)), (Fraction(5, 13), Fraction(12, 13)), (Fraction(8, 17), Fraction(15, 17)),
               (Fraction(7, 25), Fraction(24, 25)), (Fraction(20, 29), Fraction(21, 29)), (Fraction(12, 37), Fraction(35, 37)),
               (Fraction(9, 41), Fraction(40, 41)), (Fraction(28, 53), Fraction(45, 53))]


def _angle(l: int) -> tuple[Fraction, Fraction]:
    """The ``l``-th rational angle: Pythagorean points with varied quadrants."""
    c, s = PYTHAGOREAN[l % len(PYTHAGOREAN)]
    quad = (l // len(PYTHAGOREAN) + l) % 4
    return [(c, s), (-s, c), (-c, -s), (s, -c)][quad]


def prop5_instance(p: int = 2, r: object = "1/2", s1_copies: int = 1) -> Instance:
    """The Proposition-5 instance of docs/math.md "A Proposition-5 instance" (``h_l = Z``, ``m_l = Y + I``).

    ``M(θ) = ⊗_l (I + cos φ_l Y + sin φ_l X)``; for each qubit ``l`` two samples with the
    maximally mixed state on the other qubits: Bloch ``(cos a_l, -sin a_l, 0)`` with label 1
    (residual ``sin(φ_l - a_l)``) and Bloch ``r(sin a_l, cos a_l, 0)`` with label ``1 + r``
    (residual ``r(cos(φ_l - a_l) - 1)``).  ``L = (1/2p) Σ_l [sin² u_l + r²(cos u_l - 1)²]``:
    ``2^p`` minima (values ``4r²|ζ|/(2p)``), ``2^p - 1`` spurious when ``0 < r² < 1/2``.

    Parameters
    ----------
    p : int
        Number of parameters (= qubits), ``p ≥ 1``.
    r : rational
        Symmetry-breaking amplitude, ``0 < r ≤ 1`` (a Bloch vector length).
    s1_copies : int
        Each symmetry-breaking sample is repeated this many times, so the effective weight is
        ``w = s1_copies·r²`` (the loss is ``(1/m) Σ_l [sin² u_l + w (cos u_l − 1)²]``).  ``w < 1/2``
        gives ``2^p`` minima; ``w = 1/2`` (e.g. ``r = 1/2, s1_copies = 2``) makes ``u_l = π``
        a degenerate critical point (docs/math.md's "r² = 1/2", reachable with rational data).

    Examples
    --------
    >>> inst = prop5_instance(2)
    >>> inst.m, inst.qnn.n_qubits
    (4, 2)
    """
    p = _positive_int(p, "p")
    s1_copies = _positive_int(s1_copies, "s1_copies")
    r = parse_scalar(r, "r")
    if not isinstance(r, Fraction) or not 0 < r <= 1:
        raise ValidationError("r", f"{format_scalar(r)}", expected="an exact rational 0 < r ≤ 1 (r² < 1/2 for 2^p minima)")
    refuse_if_too_large("p", "Pauli terms of the observable ⊗_l (I + Y_l) (2^p)", power_estimate(2, p), MAX_OBSERVABLE_TERMS,
                        fix=f"use p ≤ {MAX_OBSERVABLE_TERMS.bit_length() - 1} (the table of any p is a product of "
                            "p one-parameter tables: `qnnsym critical prop5 --p 22` lists its 4^22 points by counts)")
    n = p
    gates = tuple(Gate(PauliSum.string(n, f"Z{l}"), TWO_LEVEL, field=f"qnn.gates[{l}]") for l in range(p))
    # ⊗(I + Y): all strings with I or Y on each qubit, coefficient 1
    terms = {}
    for mask in range(2 ** n):
        terms[(mask, mask)] = Fraction(1)
    M = PauliSum(n, terms)
    d = Fraction(1, 2 ** n)
    samples = []
    for l in range(p):
        c, s = _angle(l)
        rho0 = PauliSum(n, {(0, 0): d, (1 << l, 0): c * d, (1 << l, 1 << l): -s * d})
        samples.append(Sample(rho0, Fraction(1)))
    for l in range(p):
        c, s = _angle(l)
        rho1 = PauliSum(n, {(0, 0): d, (1 << l, 0): r * s * d, (1 << l, 1 << l): r * c * d})
        samples.extend([Sample(rho1, 1 + r)] * s1_copies)
    return Instance(QNN(gates, n_qubits=n), M, Dataset(tuple(samples)), name=f"prop5(p={p})",
                    description="Proposition-5 instance: h_l = Z, m_l = Y + I, 2^p minima, 2^p - 1 spurious",
                    meta={"builtin": "prop5", "p": p, "r": format_scalar(r), "s1_copies": s1_copies,
                          "angles": [[format_scalar(c), format_scalar(s)] for c, s in map(_angle, range(p))]})


def _positive_int(v, field) -> int:
    """A positive integer (``bool`` and ``0.5`` refused; decimal text from ``--param`` accepted)."""
    return as_int(v, field, lo=1, text=True)


def builtin_factory(name: str):
    """The factory ``f(**params) -> Instance`` of a built-in (imported on first use)."""
    if name not in BUILTINS:
        raise ValidationError("instance", f"unknown built-in {name!r}",
                              expected="one of " + ", ".join(sorted(BUILTINS)) + ", or a path to a JSON file")
    mod, fn = BUILTINS[name].split(":")
    return getattr(importlib.import_module(mod), fn)


def builtin_parameters(name: str) -> list[dict[str, str]]:
    """The parameters of a built-in instance: ``[{"name", "type", "default", "help"}, ...]``.

    Read from the factory's signature (defaults) and its numpy-style ``Parameters`` section.

    Examples
    --------
    >>> [(q["name"], q["default"]) for q in builtin_parameters("dense")]
    [('p', '2'), ('seed', '0'), ('m', 'None')]
    >>> builtin_parameters("dense")[1]["help"]
    'Random seed (reproducible).'
    """
    return [dict(q) for q in _declared_parameters(name)]


@functools.lru_cache(maxsize=None)
def _declared_parameters(name: str) -> tuple[dict, ...]:
    """:func:`builtin_parameters`, read once per built-in (signature and docstring do not change)."""
    import inspect
    import re

    factory = builtin_factory(name)
    doc = inspect.getdoc(factory) or ""
    helps: dict[str, str] = {}
    section = re.search(r"^Parameters\n-+\n(.*?)(?:\n\n[A-Z][a-z]+\n-+\n|\Z)", doc, re.S | re.M)
    if section:
        for m in re.finditer(r"^(\w+) : [^\n]*\n((?:    [^\n]*\n?)+)", section.group(1), re.M):
            helps[m.group(1)] = " ".join(line.strip() for line in m.group(2).splitlines())
    out = []
    for q in inspect.signature(factory).parameters.values():
        ann = q.annotation if isinstance(q.annotation, str) else getattr(q.annotation, "__name__", "")
        out.append({"name": q.name, "type": "" if ann is inspect.Parameter.empty else str(ann),
                    "default": "" if q.default is inspect.Parameter.empty else str(q.default),
                    "help": helps.get(q.name, "")})
    return tuple(out)


def integer_parameters(name: str) -> set[str]:
    """The parameters of a built-in declared ``int`` (or ``int | None``): :func:`builtin_instance`
    stores them as integers, and the certificate checker accepts no other spelling.

    >>> sorted(integer_parameters("dense"))
    ['m', 'p', 'seed']
    """
    return {q["name"] for q in _declared_parameters(name) if q["type"].split(" | ")[0] == "int"}


def builtin_instance(name: str, **params: Any) -> Instance:
    """A built-in instance by name (see :data:`BUILTINS`), e.g. ``builtin_instance("prop5", p=3)``.

    Raises
    ------
    ValidationError
        For an unknown name, or a parameter the built-in does not take (the error lists its
        parameters, see :func:`builtin_parameters`).
    """
    factory = builtin_factory(name)
    known = [q["name"] for q in _declared_parameters(name)]
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise ValidationError(f"{name} parameters", f"unknown parameter {', '.join(map(repr, unknown))}",
                              expected=f"the parameters of {name}: {', '.join(known)} (see qnnsym list --params)")
    params = dict(params)
    for k in integer_parameters(name):    # as integers (``--param m=4`` gives the string "4")
        if k in params and params[k] is not None and type(params[k]) is not int:
            try:
                params[k] = int(str(params[k]).strip())
            except ValueError:
                raise ValidationError(f"{name} parameter {k}", f"{params[k]!r}", expected="an integer") from None
    try:
        inst = factory(**params)
    except TypeError as e:
        raise ValidationError(f"{name} parameters", str(e), expected=f"the parameters of {name} (see qnnsym list --params)") from None
    origin = {"builtin": name, "params": {k: v if type(v) is int else str(v) for k, v in sorted(params.items())}}
    object.__setattr__(inst, "origin", origin)
    return inst


# --- JSON ------------------------------------------------------------------------------------------

def _req(d: dict, key: str, path: str, kind=None):
    if not isinstance(d, dict):
        raise InstanceFileError(path, f"got {type(d).__name__}", expected="a JSON object")
    if key not in d:
        raise InstanceFileError(f"{path}.{key}" if path else key, "missing", expected="this field to be present")
    v = d[key]
    if kind is not None and not isinstance(v, kind):
        raise InstanceFileError(f"{path}.{key}" if path else key, f"got {type(v).__name__}",
                                expected=f"a JSON {getattr(kind, '__name__', kind)}")
    return v


def _op_from_json(obj, n: int | None, path: str):
    if isinstance(obj, str):
        return as_operator(obj, n, path)
    if not isinstance(obj, dict) or len(obj) != 1 or next(iter(obj)) not in ("pauli", "matrix"):
        raise InstanceFileError(path, f"cannot read {json.dumps(obj)[:60]}",
                                expected='{"pauli": "Z0"}, {"pauli": [["1/2", "X0 Z1"], ...]}, or {"matrix": [[...], ...]}')
    kind, val = next(iter(obj.items()))
    if kind == "pauli":
        if n is None:
            raise InstanceFileError(path, "Pauli operator without n_qubits", expected='"n_qubits" at the top level')
        if isinstance(val, str):
            return as_operator(val, n, path)
        if not isinstance(val, list) or not all(isinstance(t, list) and len(t) == 2 for t in val):
            raise InstanceFileError(path + ".pauli", "malformed", expected='[[coefficient, "X0 Z1"], ...]')
        return PauliSum.from_labels(n, [(c, lab) for c, lab in val], path + ".pauli")
    if not isinstance(val, list):
        raise InstanceFileError(path + ".matrix", "malformed", expected="a list of rows")
    return OpMatrix.from_rows(val, path + ".matrix")


#: the keys each object of an instance file may have (qnnsym/data/instance.schema.json; others are warned about)
KNOWN_KEYS = {
    "(top level)": ("format", "name", "description", "n_qubits", "dim", "parameters", "circuit", "observable", "samples",
                    "meta", "objective"),
    "gate": ("gate", "kind", "name", "angle"),
    "fixed gate": ("fixed", "name"),
    "fixed unitary": ("unitary",),
    "fixed rotation": ("pauli", "cos", "sin", "angle"),
    "sample": ("state", "label"),
    "objective": ("kind", "weights"),
}


def _known(obj: dict, what: str, path: str) -> None:
    """Warn (:class:`~qnnsym.errors.InstanceFileWarning`) about keys of ``obj`` the format does not know."""
    extra = [k for k in obj if k not in KNOWN_KEYS[what]]
    if extra:
        warnings.warn(f"{path or '(top level)'}: unknown key(s) {', '.join(map(repr, extra))} ignored "
                      f"(known: {', '.join(KNOWN_KEYS[what])})", InstanceFileWarning, stacklevel=3)


def _opt(d: dict, key: str, path: str, kind: type, default):
    """An optional field of type ``kind`` (``default`` when absent)."""
    v = d.get(key, default)
    if not isinstance(v, kind) or isinstance(v, bool) and kind is not bool:
        raise InstanceFileError(f"{path}.{key}" if path else key, f"got {type(v).__name__}",
                                expected=f"a JSON {'string' if kind is str else 'object' if kind is dict else kind.__name__}")
    return v


def _dims(data: dict) -> tuple[int | None, int | None]:
    """``n_qubits`` and ``dim`` of the top level (at least one; both must agree)."""
    out = []
    for key in ("n_qubits", "dim"):
        v = data.get(key)
        if v is not None and (type(v) is not int or v < 1):
            raise InstanceFileError(key, f"{v!r}", expected="a positive integer")
        out.append(v)
    n, dim = out
    if n is None and dim is None:
        raise InstanceFileError("n_qubits", "missing", expected='"n_qubits" (Pauli/qubit instances) or "dim"')
    if n is not None and dim is not None and (dim & (dim - 1) or dim.bit_length() - 1 != n):  # dim ≠ 2^n
        raise InstanceFileError("dim", f"n_qubits and dim disagree: n_qubits = {n} means dim = 2^{n}, not {dim}",
                                fix="give only one of them")
    return n, dim


def _parameters(data: dict) -> tuple[str, ...] | None:
    """The optional top-level ``"parameters"``: distinct non-empty names of the shared free parameters."""
    if "parameters" not in data:
        return None
    names = data["parameters"]
    if not isinstance(names, list) or not names:
        raise InstanceFileError("parameters", f"got {json.dumps(names)[:60]}",
                                expected='a non-empty list of names, e.g. ["γ[0]", "β[0]"]')
    for j, nm in enumerate(names):
        if not isinstance(nm, str) or not nm.strip():
            raise InstanceFileError(f"parameters[{j}]", f"{json.dumps(nm)[:60]}", expected="a non-empty string")
        if names.index(nm) != j:
            raise InstanceFileError(f"parameters[{j}]", f"duplicate name {nm!r}", expected="distinct names",
                                    fix="a parameter used by several gates is listed once and named in each gate's angle")
    return tuple(names)


@contextlib.contextmanager
def _as_file_error():
    """A model-level :class:`ValidationError` raised while building from a file, as an :class:`InstanceFileError`
    (the same field, problem, expectation and fix)."""
    try:
        yield
    except InstanceFileError:
        raise
    except ValidationError as e:
        raise InstanceFileError(e.field, e.problem, e.expected, e.fix) from None


def _angle_from_json(val, names: tuple[str, ...] | None, path: str):
    """``"angle": [["2", "γ"], ["-1/2", "β"]]`` (coefficient, parameter name) → ``((0, 2), (1, -1/2))``."""
    if names is None:
        raise InstanceFileError(path, "an angle over named parameters, but the file names none",
                                expected='a top-level "parameters": [names...]', fix="list the parameters, or drop the angle")
    if not isinstance(val, list) or not val or not all(isinstance(t, list) and len(t) == 2 for t in val):
        raise InstanceFileError(path, f"malformed {json.dumps(val)[:60]}", expected='[[coefficient, "name"], ...], e.g. [["2", "γ[0]"]]')
    terms = []
    for i, (c, nm) in enumerate(val):
        if not isinstance(nm, str) or nm not in names:
            raise InstanceFileError(f"{path}[{i}]", f"unknown parameter {json.dumps(nm)[:40]}",
                                    expected="one of the top-level parameters: " + ", ".join(names[:8])
                                    + (", ..." if len(names) > 8 else ""))
        if isinstance(c, float) or isinstance(c, bool) or not isinstance(c, (int, str)):
            raise InstanceFileError(f"{path}[{i}]", f"coefficient {json.dumps(c)[:40]}",
                                    expected='an exact rational written as a string or an integer ("1/2", "-3", 2)')
        terms.append((names.index(nm), c))
    with _as_file_error():
        return parse_angle(terms, path)


def _circuit_op(g, n: int | None, path: str, names: tuple[str, ...] | None = None):
    """One entry of ``circuit``: a parameterised gate or a fixed gate (errors name the JSON path)."""
    if not isinstance(g, dict) or not ({"gate", "fixed"} & set(g)):
        raise InstanceFileError(path, "malformed", expected='{"gate": ..., "kind": ...} or {"fixed": ...}')
    name = _opt(g, "name", path, str, "")
    if "gate" in g:
        _known(g, "gate", path)
        kind = _opt(g, "kind", path, str, TWO_LEVEL)
        if kind not in (TWO_LEVEL, INTEGER, HERMITIAN):
            raise InstanceFileError(path + ".kind", f"{kind!r}", expected='"two-level", "integer-spectrum" or "hermitian"')
        if names is not None and "angle" not in g:
            raise InstanceFileError(path + ".angle", "missing", expected='an angle on every gate when the file has '
                                    '"parameters"', fix='add "angle": [["1", "NAME"]] naming its parameter')
        angle = _angle_from_json(g["angle"], names, path + ".angle") if "angle" in g else None
        return Gate(_op_from_json(g["gate"], n, path + ".gate"), kind, name, field=path, generator_field=path + ".gate",
                    angle=angle)
    _known(g, "fixed gate", path)
    fx, fpath = g["fixed"], path + ".fixed"
    if isinstance(fx, dict) and "unitary" in fx:
        _known(fx, "fixed unitary", fpath)
        return FixedGate(unitary=OpMatrix.from_rows(fx["unitary"], fpath + ".unitary"), name=name, field=fpath)
    if isinstance(fx, dict) and "pauli" in fx:
        _known(fx, "fixed rotation", fpath)
        if "angle" in fx:                 # φ = 2a as given: "1/4*pi" (exact multiple of π) or radians ("0.37")
            if "cos" in fx or "sin" in fx:
                raise InstanceFileError(fpath, "both \"angle\" and \"cos\"/\"sin\"",
                                        expected="either the angle or the cosine and sine", fix="drop one of them")
            with _as_file_error():
                pa, a = parse_fixed_angle(fx["angle"], fpath + ".angle")
                return FixedGate(pauli=as_operator(fx["pauli"], n, fpath + ".pauli"), pi_angle=pa, angle=a,
                                 name=name, field=fpath)
        for key in ("cos", "sin"):
            _req(fx, key, fpath)
        return FixedGate(pauli=as_operator(fx["pauli"], n, fpath + ".pauli"), cos2a=fx["cos"], sin2a=fx["sin"],
                         name=name, field=fpath)
    raise InstanceFileError(fpath, "malformed",
                            expected='{"unitary": [[...]]}, {"pauli": "X0", "cos": "3/5", "sin": "4/5"} (cos 2a, sin 2a) '
                                     'or {"pauli": "Z0", "angle": "1/4*pi"} (2a)')


def instance_from_dict(data: dict, source: str = "") -> Instance:
    """Build an :class:`Instance` from the parsed JSON of an instance file.

    Errors name the JSON path as written in the file (``circuit[0].gate``, ``samples[1].state.vector``);
    keys the format does not know are ignored with an :class:`~qnnsym.errors.InstanceFileWarning`
    (a typo in an optional field would otherwise go unnoticed).
    """
    if not isinstance(data, dict):
        raise InstanceFileError("(top level)", f"got {type(data).__name__}", expected="a JSON object")
    _known(data, "(top level)", "")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise InstanceFileError("format", f"{fmt!r}", expected=f'"{FORMAT}"')
    n, dim = _dims(data)
    name = _opt(data, "name", "", str, source)
    description = _opt(data, "description", "", str, "")
    meta = _opt(data, "meta", "", dict, {})
    circuit = _req(data, "circuit", "", list)
    names = _parameters(data)
    ops = [_circuit_op(g, n, f"circuit[{i}]", names) for i, g in enumerate(circuit)]
    with _as_file_error():
        qnn = QNN(tuple(ops), n_qubits=n, dim=dim, field="circuit", parameters=names)
    M = _op_from_json(_req(data, "observable", ""), n, "observable")
    objective = _objective_from_json(data.get("objective"))
    raw = _req(data, "samples", "", list)
    samples = []
    for k, s in enumerate(raw):
        path = f"samples[{k}]"
        st = _req(s, "state", path)
        _known(s, "sample", path)
        if isinstance(st, dict) and "vector" in st:
            if len(st) != 1:
                raise InstanceFileError(path + ".state", f"keys {sorted(st)}", expected='only "vector"')
            rho = _state_from({"vector": st["vector"]}, n, qnn.dim, path + ".state")
        else:
            rho = _op_from_json(st, n, path + ".state")
        if objective.kind == EXPECTATION and isinstance(s, dict) and "label" not in s:
            lab = 0                                         # the expectation objective uses no label
        else:
            lab = real_scalar(_req(s, "label", path), path + ".label")
        samples.append(Sample(rho, lab))
    try:
        return Instance(qnn, M, Dataset(tuple(samples)), name=name, description=description, meta=meta,
                        objective=objective)
    except InstanceFileError:
        raise
    except ValidationError as e:
        raise InstanceFileError(e.field.replace("dataset.samples", "samples"), e.problem, e.expected, e.fix) from None


def _objective_from_json(obj) -> Objective:
    """The top-level ``objective`` (absent: the square loss of eq. 6)."""
    if obj is None:
        return Objective()
    if not isinstance(obj, dict):
        raise InstanceFileError("objective", f"got {type(obj).__name__}",
                                expected='{"kind": "square-loss" | "expectation" | "weighted-square", "weights": [...]}')
    _known(obj, "objective", "objective")
    kind = _req(obj, "kind", "objective", str)
    weights = obj.get("weights", [])
    if not isinstance(weights, list):
        raise InstanceFileError("objective.weights", f"got {type(weights).__name__}", expected="a JSON list of numbers")
    with _as_file_error():
        return Objective(kind, weights)


def _op_to_json(op) -> dict:
    if isinstance(op, PauliSum):
        return {"pauli": op.to_labels()}
    return {"matrix": op.to_rows()}


def instance_to_dict(inst: Instance) -> dict:
    """The JSON-ready dict of an instance (exact numbers as strings)."""
    ops = []
    for o in inst.qnn.ops:
        if isinstance(o, Gate):
            e = {"gate": _op_to_json(o.generator), "kind": o.kind}
            if o.angle is not None:
                e["angle"] = [[format_scalar(a), inst.qnn.parameters[l]] for l, a in o.angle]
        elif o.unitary is not None:
            e = {"fixed": {"unitary": o.unitary.to_rows()}}
        elif o.pi_angle is not None or o.angle is not None:
            e = {"fixed": {"pauli": o.pauli.to_labels(), "angle": format_fixed_angle(o.pi_angle, o.angle)}}
        else:
            e = {"fixed": {"pauli": o.pauli.to_labels(), "cos": format_scalar(o.cos2a), "sin": format_scalar(o.sin2a)}}
        if getattr(o, "name", ""):
            e["name"] = o.name
        ops.append(e)
    out = {"format": FORMAT, "name": inst.name, "description": inst.description}
    if inst.qnn.n_qubits is not None and 2 ** inst.qnn.n_qubits == inst.qnn.dim:
        out["n_qubits"] = inst.qnn.n_qubits
    else:
        out["dim"] = inst.qnn.dim
    if inst.qnn.parameters is not None:
        out["parameters"] = list(inst.qnn.parameters)
    out["circuit"] = ops
    out["observable"] = _op_to_json(inst.observable)
    unlabelled = inst.objective.kind == EXPECTATION             # its label is not used: not written
    out["samples"] = [{"state": _op_to_json(s.state)} | ({} if unlabelled else {"label": format_scalar(s.label)})
                      for s in inst.dataset.samples]
    if inst.objective.kind != "square-loss":          # absent means eq. 6 (files and digests of old instances)
        out["objective"] = inst.objective.to_json()
    if inst.meta:
        out["meta"] = inst.meta
    return out


def dump_instance(inst: Instance, path: str | Path | None = None) -> str:
    """Write (or return) the instance as JSON text that round-trips exactly."""
    text = json.dumps(instance_to_dict(inst), indent=1)
    if path is not None:
        write_text(path, text, "instance")
    return text


def load_instance(spec: str | Path, **params: Any) -> Instance:
    """Load an instance: a built-in name (with ``params``) or a path to a JSON file.

    Raises
    ------
    InstanceFileError
        Unreadable or malformed file (the message names the JSON field).
    """
    s = str(spec)
    if s in BUILTINS:
        return builtin_instance(s, **params)
    path = Path(s)
    if not path.exists() and not path.is_symlink():
        raise ValidationError("instance", f"{s!r} is neither a built-in nor an existing file",
                              expected="one of " + ", ".join(sorted(BUILTINS)) + ", or a path to a JSON instance file")
    if params:
        raise ValidationError("instance", f"parameters {sorted(params)} only apply to built-ins")
    text = read_text(path, "instance")
    data = loads_json(text, str(path), InstanceFileError, nonfinite=True)   # duplicated keys, deep nesting refused
    try:
        return instance_from_dict(data, source=path.stem)
    except RecursionError:
        raise InstanceFileError(str(path), "nested too deeply", expected="a qnnsym-instance/1 file") from None
