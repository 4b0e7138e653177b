"""Benchmark of the solving core: dense random instances (docs/math.md), sympy vs msolve.

Prints a table: p, seed, backend, complex count vs the multihomogeneous bound p!·4^p, real count,
certification, wall and CPU time (this process + msolve + worker; on a shared machine the CPU time
is the better measure), and wall time per step.  ``--quick`` runs p ≤ 2 only.

    python benchmarks/bench_solve.py [--quick] [--seeds 0 1] [--format md|csv|json]
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from qnnsym import loss_poly
from qnnsym.critical import available_backends, dense_instance, solve_critical
from qnnsym.tables import table_text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="p ≤ 2 only")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--format", default="md", choices=["md", "csv", "json", "latex"])
    args = ap.parse_args()
    have = available_backends()
    cases = [(1, "sympy"), (2, "sympy")] + [(p, "msolve") for p in (1, 2, 3) if "msolve" in have]
    if args.quick:
        cases = [c for c in cases if c[0] <= 2]
    rows = []
    for seed in args.seeds:
        for p, backend in cases:
            L = loss_poly(dense_instance(p, seed=seed))
            t0, c0 = time.perf_counter(), os.times()
            res = solve_critical(L, backend=backend)
            wall, c1 = time.perf_counter() - t0, os.times()
            cpu = sum(b - a for a, b in zip(c0[:4], c1[:4]))  # this process and its children (msolve, worker)
            rows.append({"p": p, "seed": seed, "backend": backend, "n_complex": res.n_complex,
                         "bound p!4^p": res.bounds["multihomogeneous"], "n_real": res.n_real,
                         "certification": res.certification, "complete": res.complete, "seconds": f"{wall:.2f}", "cpu seconds": f"{cpu:.2f}",
                         "steps": ", ".join(f"{k} {v:.2f}" for k, v in res.timings.items())})
            print(table_text(rows[-1:], "csv").splitlines()[-1], flush=True) if args.format == "md" else None
    print(table_text(rows, args.format))


if __name__ == "__main__":
    main()
