"""Theorem-6 study timing: random QNNs of eq. 21 for d ∈ {4, 8, 16, 32}, p ∈ {1..4}.

Run: ``OPENBLAS_NUM_THREADS=1 python benchmarks/bench_theorem6.py [samples] [seed]``.
Prints the study table (Markdown) and the wall time per cell and in total.
"""
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from qnnsym.construct.independence import STUDY_COLUMNS, theorem6_study
from qnnsym.tables import table_text


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    t0 = time.perf_counter()
    rows = theorem6_study((4, 8, 16, 32), (1, 2, 3, 4), samples=samples, seed=seed, progress=True)
    total = time.perf_counter() - t0
    fmt = [{k: (f"{v:.4g}" if isinstance(v, float) else v) for k, v in r.items()} for r in rows]
    print(table_text(fmt, "md", STUDY_COLUMNS))
    n = sum(r["samples"] for r in rows)
    print(f"\n{n} random QNNs ({samples} per admissible cell), seed {seed}: {total:.1f} s total "
          f"(budget: 300 s)")


if __name__ == "__main__":
    main()
