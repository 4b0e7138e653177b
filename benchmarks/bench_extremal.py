"""How the extremal-minima search scales: float-count cost, time per certified candidate, candidates
tried, and the best certified count against time (docs/extremal-minima.md).

    python benchmarks/bench_extremal.py [--ps 2 3] [--time-limit 120] [--mode minima] [--seed 0]

p = 4 needs the homotopy oracle (≈ 1–2 min per candidate on 2 cores): add 4 to --ps with a larger
--time-limit.
"""
import argparse
import tempfile
import time

import numpy as np

from qnnsym.construct.extremal import search_minima
from qnnsym.sim.dense_count import count_minima


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ps", type=int, nargs="+", default=[2, 3])
    ap.add_argument("--time-limit", type=float, default=120.0, help="seconds per p")
    ap.add_argument("--mode", default="minima", choices=["minima", "realisable"])
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    print("## float counter (numpy, batched saddle-free Newton)\n")
    print("| p | starts | seconds per count |\n|---|---|---|")
    rng = np.random.default_rng(0)
    for p in a.ps:
        W = rng.integers(-3, 4, size=(2 * p + 2, 3 ** p))
        for starts in (256, 1024):
            t = time.perf_counter()
            count_minima(W, starts=starts)
            print(f"| {p} | {starts} | {time.perf_counter() - t:.3f} |")

    print(f"\n## search ({a.mode}, seed {a.seed}, {a.time_limit:.0f} s per p)\n")
    print("| p | rounds | float scores | certified candidates | s per certified candidate | best certified | "
          "best vs time (s: count) |\n|---|---|---|---|---|---|---|")
    for p in a.ps:
        with tempfile.TemporaryDirectory() as out:
            res = search_minima(p, mode=a.mode, seed=a.seed, time_limit=a.time_limit, out=out,
                                backend="homotopy" if p >= 4 else "auto")
        cert_t = [h["certify_seconds"] for h in res.history if h.get("certify_seconds") is not None]
        curve, last = [], None
        for h in res.history:
            if h["best"] != last:
                curve.append(f"{h['seconds']:.0f}: {h['best']}")
                last = h["best"]
        per = f"{sum(cert_t) / len(cert_t):.1f}" if cert_t else "—"
        best = res.best["count"] if res.best else "—"
        print(f"| {p} | {res.rounds} | {res.scored} | {res.certified} | {per} | {best} | {', '.join(curve)} |")


if __name__ == "__main__":
    main()
