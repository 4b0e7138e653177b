"""Time certified critical-point tables (``qnnsym critical``).

Rows: the Proposition-5 instance at p = 1…16 (separable: p one-parameter blocks, aggregated counts
beyond 10^4 points), dense random instances (docs/math.md "Dense random instances") at p = 1, 2 with
sympy and p = 3 with msolve (skipped when msolve is not installed), and sympy vs msolve at p = 2.
Each row reports the counts, the certification level and the wall time (loss build excluded).

Usage:  python benchmarks/bench_critical.py [--pmax 16] [--seeds 0 1] [--format md|csv|json]
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from qnnsym import loss_poly, prop5_instance
from qnnsym.critical.dense import dense_instance
from qnnsym.critical.table import critical_table
from qnnsym.errors import BackendUnavailable
from qnnsym.tables import table_text


def row(name, p, backend, loss):
    t0 = time.perf_counter()
    try:
        t = critical_table(loss, backend=backend)
    except BackendUnavailable as e:
        return {"instance": name, "p": p, "backend": backend, "status": f"skipped ({e})"}
    sec = time.perf_counter() - t0
    c = t.counts
    return {"instance": name, "p": p, "backend": t.backend, "certification": t.certification, "status": t.status,
            "n_complex": t.n_complex, "mh_bound": t.bounds.get("multihomogeneous"), "n_real": t.n_real,
            "minima": c.get("minima"), "spurious": c.get("spurious_minima"), "saddles": c.get("saddles"),
            "maxima": c.get("maxima"), "degenerate": c.get("degenerate"), "euler": t.euler_characteristic,
            "seconds": f"{sec:.2f}"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pmax", type=int, default=16, help="largest p of the Proposition-5 rows")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0], help="seeds of the dense instances")
    ap.add_argument("--dense-pmax", type=int, default=3)
    ap.add_argument("--prop5-backend", default="sympy", choices=["sympy", "msolve", "auto"])
    ap.add_argument("--format", choices=["md", "csv", "json"], default="md")
    args = ap.parse_args()
    rows = []
    for p in range(1, args.pmax + 1):
        rows.append(row("prop5", p, args.prop5_backend, loss_poly(prop5_instance(p))))
    for seed in args.seeds:
        for p in range(1, args.dense_pmax + 1):
            L = loss_poly(dense_instance(p, seed=seed))
            name = f"dense(seed={seed})"
            if p <= 2:
                rows.append(row(name, p, "sympy", L))
            if p >= 2:
                rows.append(row(name, p, "msolve", L))
    print(table_text(rows, args.format, columns=["instance", "p", "backend", "certification", "status", "n_complex",
                                                 "mh_bound", "n_real", "minima", "spurious", "saddles", "maxima",
                                                 "degenerate", "euler", "seconds"]))


if __name__ == "__main__":
    main()
