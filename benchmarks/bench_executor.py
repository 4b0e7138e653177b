"""Local vs Dask: the Theorem-6 study and a Figure-4 sweep, in-process and on a 2-worker LocalCluster
(process workers, as `--executor dask` starts them); the numbers must be identical, times are printed.

    python benchmarks/bench_executor.py [--samples 200] [--starts 1000]
"""
import argparse
import time

from qnnsym.construct import theorem6_study
from qnnsym.executor import get_executor
from qnnsym.sim.experiments import figure4


def _nt(rows):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--starts", type=int, default=1000)
    ap.add_argument("--ps", type=int, nargs="+", default=[2, 4, 6, 8])
    a = ap.parse_args()
    rows = []
    t0 = time.perf_counter()
    ex = get_executor("dask", workers=2)
    t_start = time.perf_counter() - t0
    jobs = {
        "theorem6 d=4,8,16 p=1..4": lambda e: theorem6_study([4, 8, 16], [1, 2, 3, 4], a.samples, 0, progress=False,
                                                             executor=e),
        f"figure4 p={a.ps} {a.starts} starts, 3 optimisers": lambda e: figure4(ps=tuple(a.ps), starts=a.starts,
                                                                              progress=False, executor=e),
    }
    for name, job in jobs.items():
        t = time.perf_counter()
        loc = job(None)
        t_loc = time.perf_counter() - t
        t = time.perf_counter()
        dsk = job(ex)
        t_dsk = time.perf_counter() - t
        if hasattr(loc, "summary"):
            same = loc.runs == dsk.runs and _nt(loc.summary) == _nt(dsk.summary) and loc.meta["fits"] == dsk.meta["fits"]
        else:
            same = _nt(loc) == _nt(dsk)
        rows.append((name, t_loc, t_dsk, same))
    ex.close()
    print(f"Dask LocalCluster start (2 process workers): {t_start:.1f} s\n")
    print("| job | local (in-process) s | dask LocalCluster, 2 workers s | identical numbers |")
    print("|---|---|---|---|")
    for name, tl, td, same in rows:
        print(f"| {name} | {tl:.1f} | {td:.1f} | {same} |")


if __name__ == "__main__":
    main()
