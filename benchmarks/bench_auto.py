"""``backend="auto"`` against every route on dense p = 1..4, with and without msolve (issue 26 §1).

For each p: the wall time of the whole table (``critical_table``, one homotopy worker) per route
(skipping runs predicted past ``--cap`` seconds: sympy at p ≥ 3, msolve at p = 4 — their predictions
are printed instead), then the route ``auto`` takes with msolve visible and hidden
(``QNNSYM_HIDE_BACKENDS=msolve``), its own wall time, and whether it is the fastest measured route of
the strongest certification affordable.

    python benchmarks/bench_auto.py [--ps 1 2 3 4] [--cap 120]
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from qnnsym import loss_poly
from qnnsym.critical import critical_table, dense_instance
from qnnsym.critical.backends.common import HIDE_ENV
from qnnsym.critical.route import ROUTES, choose_route
from qnnsym.critical.system import critical_system


def _run(L, backend):
    t0 = time.perf_counter()
    t = critical_table(L, backend=backend, workers=1)
    return time.perf_counter() - t0, t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ps", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--cap", type=float, default=120.0, help="skip a route predicted past this many seconds")
    args = ap.parse_args()
    print("| p | B | sympy s | msolve s | homotopy s | auto (msolve) | auto s | auto (no msolve) | auto s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for p in args.ps:
        L = loss_poly(dense_instance(p, seed=0))
        B = critical_system(L).bounds()["multihomogeneous"]
        cells = {}
        for r in ROUTES:
            pred = r.seconds(B, p)
            if pred > args.cap or not r.installed():
                cells[r.name] = f"(predicted {pred:.3g})"
                continue
            sec, t = _run(L, r.name)
            cells[r.name] = f"{sec:.2f} ({t.certification}, {t.n_real} real)"
        autos = []
        for hide in ("", "msolve"):
            os.environ[HIDE_ENV] = hide
            choice = choose_route(B, p)
            sec, t = _run(L, "auto")
            autos += [f"{choice.name}", f"{sec:.2f}"]
        os.environ.pop(HIDE_ENV, None)
        print(f"| {p} | {B} | {cells['sympy']} | {cells['msolve']} | {cells['homotopy']} | " + " | ".join(autos) + " |",
              flush=True)


if __name__ == "__main__":
    main()
