"""Homotopy backend: paths/s, certification and totals on dense instances (prints a table).

Usage: python benchmarks/homotopy.py [P ...] [--seed S]   (default P = 3 4)
"""
import argparse
import time

from qnnsym.critical.dense import dense_instance
from qnnsym.critical.table import critical_table

ap = argparse.ArgumentParser()
ap.add_argument("p", nargs="*", type=int, default=[3, 4])
ap.add_argument("--seed", type=int, default=0)
args = ap.parse_args()
print("| p | paths | certified | real | minima | track+certify s | classify s | total s | paths/s |")
print("|---|---|---|---|---|---|---|---|---|")
for p in args.p:
    t0 = time.perf_counter()
    t = critical_table(dense_instance(p, seed=args.seed), backend="homotopy")
    tot = time.perf_counter() - t0
    r = t.blocks[0].result
    tr = r.timings.get("track + certify", 0.0)
    print(f"| {p} | {r.boxes['bound']} | {r.boxes['n_certified']} | {t.n_real} | {t.counts['minima']} | "
          f"{tr:.1f} | {t.timings['classify']:.1f} | {tot:.1f} | {r.boxes['stats']['tracked'] / max(tr, 1e-9):.0f} |")
