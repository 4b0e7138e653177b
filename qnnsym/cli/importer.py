"""``qnnsym import`` and ``qnnsym export``: circuits from Qiskit, PennyLane and OpenQASM to qnnsym
instances, and an instance's circuit back to OpenQASM 3 or Qiskit (:mod:`qnnsym.interop`)."""
from __future__ import annotations

import argparse
import json
import sys

from ..errors import ValidationError
from .common import add_instance_args, add_output_arg, instance_from_args, write_output

__all__ = ["register"]

IMPORT_EXAMPLES = """examples:
  qnnsym import examples/import/ansatz.qasm --data examples/import/data.json --observable "Z0 Z1" -o instance.json
  qnnsym import my_circuits.py:qc --data data.json -o instance.json          # a Qiskit QuantumCircuit
  qnnsym import my_circuits.py:make_tape --data data.json -o instance.json   # a function returning a tape
  qnnsym import my_circuits.py:qnode --qnode-args '[[0,0,0,0,0,0]]' --data data.json -o instance.json

The dataset file holds {"samples": [{"state": ..., "label": ...}, ...]} as in instance files, and
optionally "observable" and "qubit_order": "qiskit" (state vectors in Qiskit's little-endian order).
Convention: a source rotation R_G(t) = exp(-i t G/2) is the qnnsym gate exp(-i θ G) at θ = t/2
(docs/interop.md)."""

EXPORT_EXAMPLES = """examples:
  qnnsym export instance.json --to qasm3 -o circuit.qasm
  qnnsym export prop5 --p 3 --to qiskit            # prints the circuit diagram"""


def register(sub) -> None:
    ap = sub.add_parser("import", help="a Qiskit / PennyLane / OpenQASM circuit + a dataset -> a qnnsym instance",
                        description="Read a circuit (OpenQASM 2/3 file, or MODULE:OBJ naming a Qiskit QuantumCircuit, "
                                    "a PennyLane tape or QNode, or a function returning one), its observable and a "
                                    "dataset file, and write a qnnsym-instance/1 JSON file.",
                        epilog=IMPORT_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", metavar="FILE|MODULE:OBJ", help="an OpenQASM file (.qasm) or MODULE:OBJ (ansatz.py:qc)")
    ap.add_argument("--data", metavar="DATASET.json",
                    help="the dataset (samples; optionally the observable and the objective); not needed with "
                         "--objective energy (state |0…0⟩)")
    ap.add_argument("--objective", default=None, choices=["square-loss", "expectation", "energy", "weighted-square"],
                    help="what is minimised: square-loss (eq. 6; default), energy = expectation "
                         "tr(U ρ U† H) with the observable as H, or weighted-square (weights from the dataset's "
                         "\"objective\")")
    ap.add_argument("--observable", metavar="OP",
                    help='M as a Pauli label ("Z0 Z1") or instance-file JSON ({"pauli": [["1/2", "Z0"], ...]}); '
                         "default: the source's (SparsePauliOp, qml.expval) or the dataset's")
    ap.add_argument("--name", default=None, help="instance name (default: the source's)")
    ap.add_argument("--qnode-args", default=None, metavar="JSON", help="arguments a QNode is called with, as a JSON list")
    ap.add_argument("--trainable", default=None, metavar="I,J,...",
                    help="PennyLane: tape parameter indices that are free (default: the tape's trainable_params)")
    ap.add_argument("--no-rationalise", action="store_true",
                    help="keep float coefficients as floats (default: 0.5 -> 1/2 when the float is that fraction)")
    add_output_arg(ap, "-o", "--output", help="write the instance here (default: standard output)")
    ap.set_defaults(func=run_import)

    ex = sub.add_parser("export", help="an instance's circuit as OpenQASM 3 or a Qiskit circuit",
                        description="Write an instance's circuit U(θ) = V_p(θ_p)…V_1(θ_1) as OpenQASM 3 text (one "
                                    "input angle per parameter) or as a Qiskit circuit; the dataset and the "
                                    "observable stay in the instance file.",
                        epilog=EXPORT_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_instance_args(ex)
    ex.add_argument("--to", choices=["qasm3", "qiskit"], default="qasm3",
                    help="qasm3: OpenQASM 3 text (input angle theta_l); qiskit: the circuit diagram / QPY with -o x.qpy")
    add_output_arg(ex, "-o", "--output", help="write here (qiskit: a .qpy file)")
    ex.set_defaults(func=run_export)


def _observable(text: str | None):
    if text is None:
        return None
    t = text.strip()
    expected = 'a Pauli label like "Z0 Z1" or {"pauli": [["1/2", "Z0"]]} or {"matrix": [[...]]}'
    if not t:
        raise ValidationError("--observable", "empty", expected=expected, fix="give the observable, or leave the "
                              "option out to use the source's or the dataset's")
    if t.startswith("{") or t.startswith("["):
        try:
            obs = json.loads(t)
        except json.JSONDecodeError as e:
            raise ValidationError("--observable", f"not valid JSON ({e.msg})", expected=expected) from None
        if not isinstance(obs, dict):
            raise ValidationError("--observable", f"a JSON {type(obs).__name__}", expected=expected)
        return obs
    return t


def run_import(args) -> int:
    from ..interop import import_instance
    from ..model.instances import dump_instance

    qargs = None
    if args.qnode_args is not None:
        try:
            qargs = json.loads(args.qnode_args)
        except json.JSONDecodeError as e:
            raise ValidationError("--qnode-args", f"not valid JSON ({e.msg})", expected="a JSON list of arguments") from None
        if not isinstance(qargs, list):
            raise ValidationError("--qnode-args", f"{args.qnode_args!r}", expected="a JSON list, e.g. [[0.1, 0.2]]")
    trainable = None
    if args.trainable is not None:
        try:
            trainable = [int(x) for x in args.trainable.split(",") if x.strip()]
        except ValueError:
            raise ValidationError("--trainable", f"{args.trainable!r}", expected="comma-separated integers") from None
    observable = _observable(args.observable)
    if args.data is None and args.objective not in ("energy", "expectation"):
        raise ValidationError("--data", "missing", expected="a dataset file DATASET.json with \"samples\"",
                              fix="or --objective energy for the energy of the circuit applied to |0…0⟩")
    inst = import_instance(args.source, args.data, observable, args.name, qargs, trainable,
                           not args.no_rationalise, args.objective)
    text = dump_instance(inst)
    write_output(text, args.output)
    rel = inst.meta.get("interop", {}).get("parameters", [])
    print(f"[{inst.p} parameters ({', '.join(r['relation'] for r in rel[:4])}{', ...' if len(rel) > 4 else ''}), "
          + (f"{inst.qnn.n_gates} gates sharing them, " if inst.qnn.tied else "")
          + f"{len(inst.qnn.ops)} operations, {inst.m} samples, objective {inst.objective.kind}, "
          f"{'exact' if inst.exact else 'exact over Q(√2)' if inst.qnn.sqrt2_exact else 'floating point'}]",
          file=sys.stderr)
    return 0


def run_export(args) -> int:
    from ..interop import to_qasm3, to_qiskit

    inst = instance_from_args(args)
    if args.to == "qasm3":
        write_output(to_qasm3(inst).rstrip("\n"), args.output)
        return 0
    if args.output and not str(args.output).lower().endswith(".qpy"):
        raise ValidationError("-o", f"{args.output!r} does not end in .qpy",
                              expected="a .qpy file (--to qiskit writes Qiskit's binary QPY format)",
                              fix="name the file circuit.qpy, or use --to qasm3 for text")
    qc, M, _ = to_qiskit(inst)
    if args.output:
        from qiskit import qpy

        from ..paths import atomic_path

        with atomic_path(args.output, "-o") as tmp, open(tmp, "wb") as fh:    # a full disk keeps the old file
            qpy.dump(qc, fh)
        print(f"wrote {args.output} (QPY; load with qiskit.qpy.load)", file=sys.stderr)
    else:
        print(qc.draw(output="text", fold=-1))
        if M is not None:
            print(f"observable: {M}")
    return 0
