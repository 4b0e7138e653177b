"""Time the exact expansion (eq. 12) of every sample of the Proposition-5 instance, p = 2…12.

Prints a Markdown table: instance build, outputs f_k of all samples (Schrödinger picture, the
default for sparse states; and the Heisenberg picture of eq. 11 while it is affordable), and the
loss L.  If PennyLane is installed, compares with ``qml.fourier.coefficients`` at p = 2…6:
same coefficients (max difference) and the time ratio.

Usage:  python benchmarks/bench_expand.py [--pmax 12] [--pl-pmax 6]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from qnnsym import loss_poly, output_polys, prop5_instance
from qnnsym.model.data import dense_arrays


def timed(fn, *a, **k):
    t = time.perf_counter()
    out = fn(*a, **k)
    return out, time.perf_counter() - t


def pennylane_coefficients(inst, k):
    """Fourier coefficients of f(ρ_k, θ) in x = 2θ (integer frequencies) with PennyLane."""
    import pennylane as qml

    arr = dense_arrays(inst)
    p = inst.p
    dev = qml.device("default.mixed", wires=p)
    obs = qml.Hermitian(arr["observable"], wires=range(p))

    @qml.qnode(dev)
    def circuit(x):
        qml.QubitDensityMatrix(arr["rhos"][k], wires=range(p))
        for l in range(p):
            qml.RZ(x[l], wires=l)          # exp(-iθZ) = RZ(2θ) = RZ(x)
        return qml.expval(obs)

    return qml.fourier.coefficients(circuit, p, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pmax", type=int, default=12)
    ap.add_argument("--pl-pmax", type=int, default=6)
    args = ap.parse_args()
    print("| p | samples | build (s) | outputs, Schrödinger (s) | outputs, Heisenberg (s) | loss (s) | loss terms |")
    print("|---|---|---|---|---|---|---|")
    for p in range(2, args.pmax + 1):
        inst, tb = timed(prop5_instance, p)
        fs, ts = timed(output_polys, inst, picture="schrodinger")
        if p <= 10:
            fh, th = timed(output_polys, inst, picture="heisenberg")
            assert fh == fs
            th_s = f"{th:.4f}"
        else:
            th_s = "—"
        L, tl = timed(loss_poly, inst, outputs=fs)
        print(f"| {p} | {inst.m} | {tb:.4f} | {ts:.4f} | {th_s} | {tl:.4f} | {len(L.terms)} |")
    try:
        import pennylane  # noqa: F401
    except ImportError:
        print("\nPennyLane not installed: comparison skipped (pip install pennylane).")
        return
    print(f"\nComparison with PennyLane {pennylane.__version__} qml.fourier.coefficients (sample 0):")
    print("| p | qnnsym (s) | PennyLane (s) | ratio | max |coefficient difference| |")
    print("|---|---|---|---|---|")
    for p in range(2, args.pl_pmax + 1):
        inst = prop5_instance(p)
        (f0, *_), tq = timed(output_polys, inst)
        coeffs, tp = timed(pennylane_coefficients, inst, 0)
        ours = np.zeros_like(coeffs)
        for kvec, c in f0.fourier().items():
            ours[tuple(kvec)] = complex(c)       # negative frequencies wrap around, as in numpy's FFT order
        diff = float(np.max(np.abs(ours - coeffs)))
        print(f"| {p} | {tq:.4f} | {tp:.3f} | {tp / tq:.0f}x | {diff:.1e} |")


if __name__ == "__main__":
    main()
