"""QAOA MaxCut (triangle, 4-cycle; reps 1 and 2) imported from Qiskit and PennyLane: certified tables
of the energy ``E(γ, β) = ⟨ψ|C|ψ⟩``, ``C = Σ_{ij∈E} Z_iZ_j``, against a multistart L-BFGS search
written without qnnsym (plain numpy state vectors, scipy L-BFGS-B).

Run: ``OPENBLAS_NUM_THREADS=1 python benchmarks/qaoa_maxcut.py [starts] [time_limit] [graph reps source …]``
(defaults 2000, 600 and every row; e.g. ``… 2000 900 triangle 2 qiskit triangle 2 pennylane``).  Prints one Markdown table (docs/interop.md, "QAOA MaxCut").

The energy is the instance's objective (``objective: expectation``): its one output ``f(ρ, θ) = tr(UρU†C)``
(eq. 12) with ``ρ = |0…0⟩⟨0…0|`` (the Hadamards are part of the circuit); the spectrum of ``C`` bounds it (a
degenerate cover uses that, ``qnnsym.critical.degenerate.energy_bounds``).
"""
from __future__ import annotations

import math
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

#: width of the bottom / top regions of a degenerate cover (triangle reps 2: a 2-dimensional set of minima)
LEVEL_WIDTH = 1 / 16
GRAPHS = {"triangle": [(0, 1), (1, 2), (0, 2)], "4-cycle": [(0, 1), (1, 2), (2, 3), (0, 3)]}


def qiskit_instance(graph: str, reps: int):
    from qiskit.circuit.library import qaoa_ansatz
    from qiskit.quantum_info import SparsePauliOp

    from qnnsym.interop import from_qiskit

    E = GRAPHS[graph]
    n = 1 + max(max(e) for e in E)
    H = SparsePauliOp.from_sparse_list([("ZZ", list(e), 1) for e in E], n)
    data = {"samples": [{"state": {"vector": ["1"] + ["0"] * (2 ** n - 1)}}], "objective": {"kind": "expectation"}}
    return from_qiskit(qaoa_ansatz(H, reps=reps), H, data)


def pennylane_instance(graph: str, reps: int):
    import pennylane as qml
    from pennylane import numpy as pnp

    from qnnsym.interop import from_pennylane

    E = GRAPHS[graph]
    n = 1 + max(max(e) for e in E)
    C = qml.Hamiltonian([1.0] * len(E), [qml.PauliZ(i) @ qml.PauliZ(j) for i, j in E])

    @qml.qnode(qml.device("default.qubit", wires=n))
    def circuit(gamma, beta):
        for w in range(n):
            qml.Hadamard(w)
        for k in range(reps):
            for i, j in E:
                qml.IsingZZ(2 * gamma[k], wires=[i, j])
            for w in range(n):
                qml.RX(2 * beta[k], wires=w)
        return qml.expval(C)

    data = {"samples": [{"state": {"vector": ["1"] + ["0"] * (2 ** n - 1)}}], "objective": {"kind": "expectation"}}
    return from_pennylane(circuit, pnp.array([0.1] * reps, requires_grad=True),
                          pnp.array([0.2] * reps, requires_grad=True), data=data)


def energy_numpy(graph: str, gammas, betas) -> float:
    """``⟨C⟩`` by plain numpy: ``rzz(2γ) = exp(−iγ ZZ)``, ``rx(2β) = exp(−iβX)``, from ``|+…+⟩``."""
    E = GRAPHS[graph]
    n = 1 + max(max(e) for e in E)
    z = 1 - 2 * ((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1)
    C = sum(z[:, i] * z[:, j] for i, j in E).astype(float)
    psi = np.full(2 ** n, 2 ** (-n / 2), dtype=complex)
    for g, b in zip(gammas, betas):
        psi = (np.exp(-1j * g * C) * psi).reshape([2] * n)
        rx = np.array([[np.cos(b), -1j * np.sin(b)], [-1j * np.sin(b), np.cos(b)]])
        for q in range(n):
            psi = np.moveaxis(np.tensordot(rx, psi, axes=([1], [q])), 0, q)
        psi = psi.reshape(-1)
    return float(np.real(np.vdot(psi, C * psi)))


def multistart(graph, names, period, starts, seed=0):
    """Distinct local minima ``[(θ mod period, E)]`` of L-BFGS-B runs from random starts."""
    from scipy.optimize import minimize

    reps = len(names) // 2
    gi = [names.index(f"γ[{k}]") if f"γ[{k}]" in names else names.index(f"gamma[{k}]") for k in range(reps)]
    bi = [names.index(f"β[{k}]") if f"β[{k}]" in names else names.index(f"beta[{k}]") for k in range(reps)]

    def fun(x):
        return energy_numpy(graph, x[gi], x[bi])

    rng = np.random.default_rng(seed)
    found = []
    for _ in range(starts):
        r = minimize(fun, rng.uniform(0, period, len(names)), method="L-BFGS-B",
                     options={"gtol": 1e-11, "ftol": 1e-15, "maxiter": 2000})
        x = np.mod(r.x, period)
        if not any(np.all(np.abs(np.mod(x - y + period / 2, period) - period / 2) < 1e-4) for y, _ in found):
            found.append((x, r.fun))
    return found


def row(graph, reps, source, starts, time_limit):
    from qnnsym.critical.table import critical_table
    from qnnsym.expansion import output_polys

    inst = (qiskit_instance if source == "qiskit" else pennylane_instance)(graph, reps)
    t0 = time.perf_counter()
    E = output_polys(inst)[0]
    try:       # the instance itself: its energy bounds (the spectrum of C) serve a degenerate cover
        tab = critical_table(inst, time_limit=time_limit, workers=1, level_width=LEVEL_WIDTH)
    except Exception as e:                       # a positive-dimensional set, a time limit: reported as such
        tab, err = None, f"{type(e).__name__}: {e}"
    t1 = time.perf_counter()
    period = 2 * math.pi / E.omega[0]
    names = list(inst.qnn.parameters)
    num = multistart(graph, names, period, starts)
    out = {"circuit": f"{graph} reps {reps}", "source": source, "p": inst.p, "gates": inst.qnn.n_gates,
           "period": f"π/{E.omega[0] // 2}" if E.omega[0] > 2 else "π"}
    nmin = sorted(v for _, v in num)
    out["float minima (distinct)"] = len(num)
    out["float min E"] = round(nmin[0], 9)
    if tab is None:
        out.update(status=err[:60], time_s=round(t1 - t0, 2))
        return out
    c = tab.counts
    out.update(status=tab.status, certification=tab.certification, time_s=round(t1 - t0, 2),
               complex=tab.n_complex, bound=tab.bounds.get("multihomogeneous"))
    if tab.degenerate is not None:             # a positive-dimensional set covered by regions
        d = tab.degenerate.dc
        lo, hi = d.min_interval
        out.update(min_E=str(lo) if d.min_exact else f"[{float(lo):.9g}, {float(hi):.9g}]",
                   regions=f"{d.counts['saddle regions']} saddle / {d.counts['bottom regions']} bottom / "
                           f"{d.counts['top regions']} top / {d.counts['flat bottoms']} flat; {d.counts['boxes']} boxes",
                   minima=f"set at E ≤ min + {d.eps_bottom:.3g}" + ("" if tab.degenerate.spurious else ", no spurious"))
        # every float minimum must have E within the certified band [min, min + ε] (no spurious minimum)
        ok = d.complete and all(float(lo) - 1e-9 <= v <= float(lo) + d.eps_bottom + 1e-9 for _, v in num)
        out["agree"] = "yes" if ok else "NO"
        return out
    if tab.points is None:
        return out
    out.update(minima=c["minima"], saddles=c["saddles"], maxima=c["maxima"], degenerate=c["degenerate"],
               min_E=round(float(sum(tab.min_loss)) / 2, 9) if tab.min_loss else None)
    pts = [(np.array(cp.theta), cp) for cp in tab.points]
    ok = True
    for x, v in num:
        near = [cp for t, cp in pts if np.all(np.abs(np.mod(t - x + period / 2, period) - period / 2) < 1e-4)]
        ok &= bool(near) and near[0].kind in ("minimum", "degenerate") and \
            float(near[0].loss[0]) - 1e-8 <= v <= float(near[0].loss[1]) + 1e-8
    found_all = all(any(np.all(np.abs(np.mod(t - x + period / 2, period) - period / 2) < 1e-4) for x, _ in num)
                    for t, cp in pts if cp.kind == "minimum")
    out["agree"] = "yes" if ok and found_all else ("float ⊆ table" if ok else "NO")
    return out


def main(argv):
    from qnnsym.tables import table_text

    starts = int(argv[0]) if argv else 2000
    limit = float(argv[1]) if len(argv) > 1 else 600.0
    pick = argv[2:]
    which = [(pick[i], int(pick[i + 1]), pick[i + 2]) for i in range(0, len(pick) - 2, 3)] if pick else \
        [(g, r, s) for g in GRAPHS for r in (1, 2) for s in ("qiskit", "pennylane")]
    rows = [row(g, r, s, starts, limit) for g, r, s in which]
    cols = list(dict.fromkeys(k for r in rows for k in r))
    print(table_text([{k: r.get(k, "") for k in cols} for r in rows], "md", cols))


if __name__ == "__main__":
    main(sys.argv[1:])
