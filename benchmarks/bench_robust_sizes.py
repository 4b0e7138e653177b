"""The sizes that used to blow up (issue 15), each as the command a user types, timed end to end.

Every case must answer with a result or with a refusal that quotes the estimated cost; the table
shows the exit status, the wall time (Python start-up and imports included) and the first line of
the answer.  The Pauli cases are 2-gate circuits on n qubits, whose cost follows the terms (light
cone of the gates), never 2^n.

Usage:  python benchmarks/bench_robust_sizes.py [--skip-slow]    (--skip-slow leaves out dense p = 8)
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def pauli_circuit(n: int) -> dict:
    """Two Pauli rotations touching qubits 0, 1 and n−1 of an n-qubit register (hand answer:
    L = 17/72 − 1/3·cos(2θ1) + 1/8·cos(4θ1))."""
    d = 2 ** n
    return {"format": "qnnsym-instance/1", "name": f"wide{n}", "n_qubits": n,
            "circuit": [{"gate": "X0 Y1", "kind": "two-level"}, {"gate": f"Z0 X{n - 1}", "kind": "two-level"}],
            "observable": {"pauli": [["1", "Z0"], ["1/2", f"Z{n - 1}"]]},
            "samples": [{"state": {"pauli": [[f"1/{d}", "I"], [f"1/{2 * d}", "Z0"], [f"1/{2 * d}", "Y1"]]},
                         "label": "1/3"}]}


def run(argv: list[str]) -> tuple[int, float, str]:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "qnnsym.cli", *argv, "--no-progress"], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    text = (r.stdout if r.returncode == 0 else r.stderr).strip()
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    return r.returncode, wall, first


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-slow", action="store_true", help="leave out dense p = 8 (about 20 s)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    cases: list[tuple[str, list[str]]] = []
    for n in (28, 40, 60):
        f = tmp / f"wide{n}.json"
        f.write_text(json.dumps(pauli_circuit(n)))
        cases.append((f"Pauli, {n} qubits, 2 gates: loss", ["expand", str(f), "--loss"]))
    cases += [("prop5 p = 64", ["expand", "prop5", "--p", "64"]),
              ("prop5 p = 10^6", ["expand", "prop5", "--p", "1000000"]),
              ("critical prop5 p = 26", ["critical", "prop5", "--p", "26"]),
              ("dense p = 6: loss", ["expand", "dense", "--p", "6", "--loss", "--format", "json"]),
              ("dense p = 9: loss (default limit)", ["expand", "dense", "--p", "9", "--loss"])]
    if not args.skip_slow:
        cases.append(("dense p = 8: loss", ["expand", "dense", "--p", "8", "--loss", "--format", "json"]))
    print("| case | command | exit | wall (s) | answer |")
    print("|---|---|---|---|---|")
    for name, argv in cases:
        rc, wall, first = run(argv)
        shown = " ".join(a if not a.startswith(str(tmp)) else Path(a).name for a in argv)
        print(f"| {name} | `qnnsym {shown}` | {rc} | {wall:.2f} | {first[:110].replace('|', '/')} |", flush=True)


if __name__ == "__main__":
    main()
