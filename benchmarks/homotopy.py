"""Homotopy backend: paths/s, certification and totals on dense instances (prints a Markdown table).

Usage: python benchmarks/homotopy.py [P ...] [--seeds S ...] [--workers W] [--time-limit SEC]   (default P = 3 4, seed 0)
"""
import argparse
import sys
import time

from qnnsym.critical.dense import dense_instance
from qnnsym.critical.table import critical_table

ap = argparse.ArgumentParser()
ap.add_argument("p", nargs="*", type=int, default=[3, 4])
ap.add_argument("--seeds", type=int, nargs="+", default=[0])
ap.add_argument("--workers", type=int, default=None)
ap.add_argument("--time-limit", type=float, default=None, help="seconds per instance (then: incomplete, N of B)")
args = ap.parse_args()
print("| p | seed | paths | certified | status | real | minima | rounds (re-tracked) | track+certify s | classify s "
      "| total s | paths/s |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for p in args.p:
    for seed in args.seeds:
        t0 = time.perf_counter()
        t = critical_table(dense_instance(p, seed=seed), backend="homotopy", workers=args.workers,
                           time_limit=args.time_limit, progress=True)
        tot = time.perf_counter() - t0
        r = t.blocks[0].result
        st = r.boxes["stats"]
        tr = r.timings.get("track + certify", 0.0)
        print(f"| {p} | {seed} | {r.boxes['bound']} | {r.boxes['n_certified']} | {t.status} | {t.n_real} | "
              f"{t.counts['minima']} | {st['rounds']} ({st['tracked'] - st['paths']}) | {tr:.1f} | "
              f"{t.timings['classify']:.1f} | {tot:.1f} | {st['tracked'] / max(tr, 1e-9):.0f} |", flush=True)
        print(f"p={p} seed={seed}: {r.notes}", file=sys.stderr, flush=True)
