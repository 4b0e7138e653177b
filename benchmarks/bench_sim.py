"""Loss + gradient per parameter vector on the Proposition-5 instances (p = 4, 8, 12).

Paths: the compiled expansion (``trig``, built through the per-qubit product structure) and the
product form, batched over N vectors; the general statevector simulator (adjoint gradient) for one vector and for a
batch; PennyLane / Qiskit only if installed (they are not dependencies).

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_sim.py [--batch 5000] [--format md|csv|json]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from qnnsym.model.instances import prop5_instance
from qnnsym.sim import StatevectorSimulator, simulator
from qnnsym.sim.optimizers import single_blas_thread
from qnnsym.tables import table_text


def per_vector(fn, theta, min_time=0.5):
    fn(theta)
    reps, t0 = 0, time.perf_counter()
    while True:
        fn(theta)
        reps += 1
        dt = time.perf_counter() - t0
        if dt >= min_time:
            return dt / reps / theta.shape[0]


def pennylane_time(inst, theta):
    try:
        import pennylane as qml
    except ImportError:
        return None
    from qnnsym.model.data import dense_arrays

    arr = dense_arrays(inst)
    dev = qml.device("default.mixed", wires=inst.p)
    obs = qml.Hermitian(arr["observable"], wires=range(inst.p))

    @qml.qnode(dev, diff_method="backprop", interface="autograd")
    def circuit(th, rho):
        qml.QubitDensityMatrix(rho, wires=range(inst.p))
        for l in range(inst.p):
            qml.RZ(2 * th[l], wires=l)
        return qml.expval(obs)

    from pennylane import numpy as pnp

    y = arr["labels"]

    def loss(th):
        return sum((circuit(th, r) - yk) ** 2 for r, yk in zip(arr["rhos"], y)) / len(y)

    g = qml.grad(loss)
    th = pnp.array(theta[0], requires_grad=True)
    try:
        g(th)
        t0 = time.perf_counter()
        g(th)
    except Exception as e:          # a peer that cannot run this instance is reported, not fatal
        print(f"note: PennyLane failed on p = {inst.p}: {type(e).__name__}", file=sys.stderr)
        return None
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--ps", type=int, nargs="+", default=[4, 8, 12])
    ap.add_argument("--format", default="md", choices=["md", "csv", "json"])
    args = ap.parse_args(argv)
    rows = []
    with single_blas_thread():
        for p in args.ps:
            inst = prop5_instance(p)
            rng = np.random.default_rng(p)
            t0 = time.perf_counter()
            fast = simulator(inst)
            setup = time.perf_counter() - t0
            th = rng.uniform(0, 2 * np.pi, (args.batch, p))
            rows.append({"p": p, "path": f"{fast.method} (product structure)", "batch": args.batch,
                         "us_per_vector": round(per_vector(fast.loss_and_grad, th) * 1e6, 3),
                         "setup_s": round(setup, 3)})
            prod = simulator(inst, "product")
            rows.append({"p": p, "path": "product form", "batch": args.batch,
                         "us_per_vector": round(per_vector(prod.loss_and_grad, th) * 1e6, 3), "setup_s": ""})
            t0 = time.perf_counter()
            sv = StatevectorSimulator(inst)
            setup = time.perf_counter() - t0
            for n in (1, 64):
                rows.append({"p": p, "path": f"statevector ({sv.picture}, adjoint)", "batch": n,
                             "us_per_vector": round(per_vector(sv.loss_and_grad, th[:n]) * 1e6, 1),
                             "setup_s": round(setup, 3)})
            if p <= 8:
                from qnnsym.expansion.phi import loss_poly

                L = loss_poly(inst)
                rows.append({"p": p, "path": "TrigPoly.gradient (foundation, reference)", "batch": args.batch,
                             "us_per_vector": round(per_vector(lambda t: (L(t), L.gradient(t)), th) * 1e6, 3),
                             "setup_s": ""})
            t = pennylane_time(inst, th) if p <= 8 else None
            if t is not None:
                rows.append({"p": p, "path": "PennyLane default.mixed (backprop)", "batch": 1,
                             "us_per_vector": round(t * 1e6, 1), "setup_s": ""})
    print(table_text(rows, args.format))
    return 0


if __name__ == "__main__":
    sys.exit(main())
