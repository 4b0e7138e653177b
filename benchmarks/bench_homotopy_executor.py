"""The homotopy's path batches on each executor: throughput per worker (docs/scale-out.md).

For a dense instance at each ``p``, the same solve in-process, on 2 local processes, and on Dask
LocalClusters of 1 and 2 process workers (started before the clock runs); prints tracked paths per
second of tracking + certification (wall), per worker, and per CPU second of the workers (on a loaded
machine the wall rate falls with the load, the rate per CPU second much less), and checks that every
run certifies the same table.
Also prints what moves over the wire: the per-worker state (sent once) and one batch's arguments and result.

    python benchmarks/bench_homotopy_executor.py [--p 4] [--seed 0]
"""
import argparse
import os
import pickle
import resource
import time

import numpy as np

from qnnsym.critical.backends.common import Budget
from qnnsym.critical.backends.homotopy_backend import BATCH, solve_homotopy
from qnnsym.critical.dense import dense_instance
from qnnsym.critical.system import critical_system
from qnnsym.executor import get_executor
from qnnsym.expansion import loss_poly


def _wire(system, p):
    """Bytes of the shared state and of one batch, pickled as the executors send them."""
    from qnnsym.critical.homotopy import gradient_target, start_system
    from qnnsym.exact.krawczyk import float_tensor
    from qnnsym.exact.tanform import ROTATION, tan_system, tan_tensor

    tens, d = tan_system(system.gradient, p, ROTATION)
    T = float_tensor(tens)
    Tn = T / np.abs(T).reshape(p, -1).max(axis=1).reshape((p,) + (1,) * p)
    D = list(system.loss.degrees())
    target = gradient_target(float_tensor([tan_tensor(system.loss.cs_terms(), p, D, ROTATION)])[0], D, Tn)
    S = start_system(2 * np.array(d), seed=0)
    starts = S.solutions()[:BATCH]
    state = len(pickle.dumps(("0" * 32, (Tn if target is None else target, Tn, S), (T, Tn)), protocol=5))
    args = len(pickle.dumps((np.arange(BATCH), starts, None, 0.1, None, time.perf_counter, None), protocol=5))
    n = np.arange(BATCH)       # the tracked batch, and its certified boxes (every path finished)
    res = len(pickle.dumps(((n, starts, np.zeros(BATCH, int), np.zeros(BATCH, int)),
                            (starts.copy(), np.zeros(BATCH), np.zeros((BATCH, p), bool), np.ones(BATCH, bool))), protocol=5))
    return state, args, res


def _cpu(ex):
    """CPU seconds used so far by the processes that track: the Dask workers, else this process and its
    reaped children (the forked pool)."""
    if ex.name == "dask":
        return sum(ex.client.run(time.process_time).values())
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def _key(r):
    return r.complete, r.boxes["n_certified"], sorted(tuple(round(x, 9) for x in pt.approx()) for pt in r.real_points)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--p", type=int, nargs="+", default=[4])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--wire-only", action="store_true", help="only the sizes of what moves over the wire")
    a = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| p | executor | workers | paths tracked | track + certify s | paths/s | paths/s per worker | "
          "worker CPU s | paths per worker CPU s | same table |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    wires = []
    for p in a.p:
        system = critical_system(loss_poly(dense_instance(p, seed=a.seed)))
        wires.append((p, *_wire(system, p)))
        ref = None
        for kind, n in () if a.wire_only else (("local", 1), ("local", 2), ("dask", 1), ("dask", 2)):
            with get_executor(kind, workers=n) as ex:
                cpu = _cpu(ex)
                res = solve_homotopy(system, Budget(None), executor=ex, seed=a.seed)
                cpu = _cpu(ex) - cpu
            st, secs = res.boxes["stats"], res.timings["track + certify"]
            ref = ref or _key(res)
            print(f"| {p} | {ex.describe()} | {n} | {st['tracked']} | {secs:.1f} | {st['tracked'] / secs:.0f} | "
                  f"{st['tracked'] / secs / n:.0f} | {cpu:.1f} | {st['tracked'] / cpu:.0f} | {_key(res) == ref} |",
                  flush=True)
    print(f"\nload average after: {os.getloadavg()[0]:.1f}\n")
    print(f"| p | per-worker state (once) | one batch of {BATCH} paths: arguments | its result |")
    print("|---|---|---|---|")
    for p, state, args, res in wires:
        print(f"| {p} | {state / 1e3:.0f} kB | {args / 1e3:.0f} kB | {res / 1e3:.0f} kB |")


if __name__ == "__main__":
    main()
