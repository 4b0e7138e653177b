"""One entry point for every source: ``FILE.qasm`` or ``MODULE:OBJ`` plus a dataset → an instance.

``MODULE`` is an importable module (``mypkg.circuits``) or a path to a Python file
(``ansatz.py``); ``OBJ`` names a Qiskit ``QuantumCircuit``, a PennyLane tape / ``QuantumScript``, a
QNode (called with ``qnode_args``), or a function of no arguments returning one of these or a pair
``(circuit, observable)``.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from typing import Any, Sequence

from ..errors import InteropError
from ..model.data import Instance

__all__ = ["resolve_object", "import_instance", "QASM_SUFFIXES"]

QASM_SUFFIXES = (".qasm", ".qasm2", ".qasm3")


def resolve_object(spec: str) -> Any:
    """The object named by ``MODULE:OBJ`` (``OBJ`` may be dotted: ``mod:factory.circuit``)."""
    if ":" not in spec:
        raise InteropError("source", f"{spec!r}", expected="FILE.qasm, or MODULE:OBJECT (e.g. ansatz.py:qc)")
    mod_name, obj_name = spec.rsplit(":", 1)
    path = Path(mod_name)
    try:
        if mod_name.endswith(".py") or path.exists():
            if not path.is_file():
                raise InteropError("source", f"{mod_name}: no such file", expected="a Python file or module")
            key = f"_qnnsym_import_{abs(hash(str(path.resolve())))}"
            spec_ = importlib.util.spec_from_file_location(key, path)
            mod = importlib.util.module_from_spec(spec_)
            sys.modules[key] = mod
            spec_.loader.exec_module(mod)
        else:
            mod = importlib.import_module(mod_name)
    except InteropError:
        raise
    except ImportError as e:
        raise InteropError("source", f"cannot import {mod_name!r}: {e}",
                           expected="an importable module or a Python file", fix="check the name or install it") from None
    except Exception as e:   # the user's module failed while running
        raise InteropError("source", f"running {mod_name!r} failed: {type(e).__name__}: {e}") from None
    obj = mod
    for part in obj_name.split("."):
        if not hasattr(obj, part):
            names = [n for n in dir(mod) if not n.startswith("_")][:20]
            raise InteropError("source", f"{mod_name!r} has no {obj_name!r}", expected="one of " + ", ".join(names))
        obj = getattr(obj, part)
    return obj


def _kind(obj) -> str | None:
    mod = type(obj).__module__
    # a QuantumCircuit, or a library class built on it (QAOAAnsatz, EfficientSU2, TwoLocal: BlueprintCircuit)
    if any(c.__module__.startswith("qiskit") and c.__name__ == "QuantumCircuit" for c in type(obj).__mro__):
        return "qiskit"
    if mod.startswith("pennylane"):
        return "qnode" if type(obj).__name__ == "QNode" else "pennylane"
    return None


def _with_objective(data: dict | None, kind: str) -> dict:
    """The dataset with its ``"objective"`` kind set to ``kind`` (weights kept from the dataset)."""
    from ..errors import ValidationError
    from ..model.data import OBJECTIVE_KINDS

    if kind not in OBJECTIVE_KINDS + ("energy",):
        raise ValidationError("--objective", f"{kind!r}", expected="square-loss, expectation (alias energy) or "
                                                                   "weighted-square")
    data = dict(data or {})
    old = data.get("objective") if isinstance(data.get("objective"), dict) else {}
    obj = {"kind": kind}
    if kind == "weighted-square":
        if "weights" not in old:
            raise InteropError("--objective", "weighted-square without weights",
                               expected='the dataset\'s "objective": {"kind": "weighted-square", "weights": [...]}')
        obj["weights"] = old["weights"]
    data["objective"] = obj
    return data


def import_instance(source: str | Any, data: dict | str | Path | None = None, observable=None,
                    name: str | None = None, qnode_args: Sequence | None = None,
                    trainable: Sequence[int] | None = None, rationalise: bool = True,
                    objective: str | None = None) -> Instance:
    """Circuit + observable + dataset → a validated qnnsym :class:`~qnnsym.model.Instance`.

    Parameters
    ----------
    source : str or object
        ``FILE.qasm`` (OpenQASM 2/3), ``MODULE:OBJ``, or the object itself.
    data : dict or path
        The dataset (``{"samples": [...], "observable": ...}``; see :func:`~qnnsym.interop.ops.load_dataset`).
    observable : optional
        ``M`` as a qnnsym operator (``"Z0 Z1"``, ``{"pauli": [...]}``) or a Qiskit operator; wins over the
        source's and the dataset's.
    qnode_args : sequence, optional
        Arguments a QNode is called with to build its tape (trainable when they are
        ``pennylane.numpy`` arrays with ``requires_grad=True``; plain lists are made so).
    objective : str, optional
        The objective kind (``square-loss``, ``expectation``/``energy``, ``weighted-square``; default:
        the dataset's ``"objective"``, else the square loss).  ``energy`` needs no dataset: the state
        is ``|0…0⟩`` unless the dataset gives one sample.  ``weighted-square`` takes its weights from the
        dataset's ``"objective": {"weights": [...]}``.

    Raises
    ------
    InteropError
        Unreadable source, unsupported gate (named, with the supported ones), missing observable or data.
    """
    from .ops import load_dataset

    if isinstance(data, (str, Path)):
        data = load_dataset(data)
    if objective is not None:
        data = _with_objective(data, objective)
    obj, label = source, None
    if isinstance(source, (str, Path)):
        s = str(source)
        if Path(s).suffix.lower() in QASM_SUFFIXES:
            from .qasm import from_qasm

            if not Path(s).is_file():
                raise InteropError("source", f"{s}: no such file", expected="an OpenQASM file")
            return from_qasm(s, observable, data, name or Path(s).stem, rationalise)
        obj, label = resolve_object(s), s.rsplit(":", 1)[1]
    if callable(obj) and _kind(obj) is None and not isinstance(obj, type):
        try:
            obj = obj()
        except Exception as e:
            raise InteropError("source", f"calling {label or obj!r}() failed: {type(e).__name__}: {e}",
                               expected="a function of no arguments returning a circuit") from None
    obs = observable
    if isinstance(obj, tuple) and len(obj) == 2:
        obj, src_obs = obj
        obs = obs if obs is not None else src_obs
    kind = _kind(obj)
    nm = name or label
    if kind == "qiskit":
        from .qiskit_io import from_qiskit

        return from_qiskit(obj, obs, data, nm, rationalise)
    if kind in ("pennylane", "qnode"):
        from .pennylane_io import from_pennylane

        args = ()
        if kind == "qnode":
            if qnode_args is None:
                raise InteropError("source", "a QNode needs the arguments to build its tape",
                                   fix="pass --qnode-args '[[0.1, 0.2, ...]]' (JSON list of arguments)")
            from pennylane import numpy as pnp

            args = tuple(pnp.array(a, requires_grad=True) if isinstance(a, (list, float, int)) else a
                         for a in qnode_args)
        if obs is not None and not isinstance(obs, (str, dict)):
            raise InteropError("observable", f"got {type(obs).__name__}",
                               expected="the tape's qml.expval, or a qnnsym operator like \"Z0 Z1\"")
        return from_pennylane(obj, *args, data=data, observable=obs, trainable=trainable, name=nm,
                              rationalise=rationalise)
    raise InteropError("source", f"{label or source!r} is a {type(obj).__name__}",
                       expected="a qiskit.QuantumCircuit, a PennyLane tape/QuantumScript or QNode, or an OpenQASM file")
