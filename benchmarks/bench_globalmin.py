"""Certified global minima of fresh p = 6 and p = 8 circuits, each cross-checked by a float multistart.

``python benchmarks/bench_globalmin.py write DIR`` writes the instance files (RY layers with CZ or CNOT
entanglers; TFIM / Heisenberg energies and one square loss with 2 samples);
``python benchmarks/bench_globalmin.py multistart FILE [STARTS]`` minimises the loss of an instance file
by L-BFGS from random starts, simulated here with numpy from the file alone (no qnnsym: an independent
check); ``qnnsym minimize FILE --format json`` gives the certified interval.  The best multistart value
must lie in the certified interval.
"""
from __future__ import annotations

import json
import sys
from fractions import Fraction

import numpy as np

PAULI = {"I": np.eye(2), "X": np.array([[0, 1], [1, 0]]), "Y": np.array([[0, -1j], [1j, 0]]),
         "Z": np.diag([1.0, -1.0])}


def _pauli(label: str, n: int) -> np.ndarray:
    ops = ["I"] * n
    for tok in label.split():
        ops[int(tok[1:])] = tok[0]
    out = np.array([[1.0]])
    for o in ops:
        out = np.kron(out, PAULI[o])
    return out


def _cz(a: int, b: int, n: int) -> np.ndarray:
    d = np.ones(2 ** n)
    for i in range(2 ** n):
        if (i >> (n - 1 - a)) & 1 and (i >> (n - 1 - b)) & 1:
            d[i] = -1
    return np.diag(d)


def _cnot(c: int, t: int, n: int) -> np.ndarray:
    U = np.zeros((2 ** n, 2 ** n))
    for i in range(2 ** n):
        j = i ^ (1 << (n - 1 - t)) if (i >> (n - 1 - c)) & 1 else i
        U[j, i] = 1
    return U


def _instance(name: str, n: int, layers: list, ent, observable, samples=None) -> dict:
    circuit = []
    for k, qubits in enumerate(layers):
        circuit += [{"gate": f"Y{q}", "kind": "two-level"} for q in qubits]
        if k < len(layers) - 1:
            U = np.eye(2 ** n)
            for pair in ent:
                U = (_cnot(*pair, n) if "cnot" in name else _cz(*pair, n)) @ U     # the name says which
            circuit.append({"fixed": {"unitary": [[str(int(x)) for x in row] for row in U]}})
    zero = ["1"] + ["0"] * (2 ** n - 1)
    inst = {"format": "qnnsym-instance/1", "name": name, "n_qubits": n, "circuit": circuit,
            "observable": {"pauli": observable}}
    if samples is None:
        inst["objective"] = {"kind": "expectation"}
        inst["samples"] = [{"state": {"vector": zero}, "label": "0"}]
    else:
        inst["samples"] = [{"state": {"vector": v}, "label": y} for v, y in samples]
    return inst


def instances() -> dict:
    """Six fresh circuits (none of them in examples/; the last square loss has labels outside the outputs' range)."""
    heis2 = [["1", "X0 X1"], ["1", "Y0 Y1"], ["1", "Z0 Z1"], ["1/2", "Z0"], ["-1/3", "X1"]]
    heis3 = [["1", "X0 X1"], ["1", "Z0 Z1"], ["1", "X1 X2"], ["1", "Z1 Z2"], ["2/5", "X0"]]
    tfim3 = [["1", "Z0 Z1"], ["1", "Z1 Z2"], ["3/4", "X0"], ["3/4", "X1"], ["3/4", "X2"]]
    tfim2 = [["1", "Z0 Z1"], ["3/4", "X0"], ["3/4", "X1"], ["1/5", "Z1"]]
    e00, e01 = ["1", "0", "0", "0"], ["0", "1", "0", "0"]
    return {
        "ry_cnot_heis_p8": _instance("ry_cnot_heis_p8", 2, [[0, 1]] * 4, [(0, 1)], heis2),
        "ry_cz_tfim3_p8": _instance("ry_cz_tfim3_p8", 3, [[0, 1, 2], [0, 1, 2], [0, 2]], [(0, 1), (1, 2)], tfim3),
        "ry_cnot_square_p8": _instance("ry_cnot_square_p8", 2, [[0, 1]] * 4, [(0, 1)],
                                       [["1", "Z0"], ["1/2", "X1"]], samples=[(e00, "3/5"), (e01, "-4/5")]),
        "ry_cnot_square_far_p8": _instance("ry_cnot_square_far_p8", 2, [[0, 1]] * 4, [(0, 1)],
                                           [["1", "Z0"], ["1/2", "X1"]], samples=[(e00, "2"), (e01, "-2")]),
        "ry_cnot_heis3_p6": _instance("ry_cnot_heis3_p6", 3, [[0, 1, 2], [0, 1, 2]], [(0, 1), (1, 2)], heis3),
        "ry_cz_tfim2_p6": _instance("ry_cz_tfim2_p6", 2, [[0, 1]] * 3, [(0, 1)], tfim2),
    }


def loss_function(inst: dict):
    """The loss of an instance file as a numpy function of θ (gates ``exp(−iθ Y_q)`` in order; eq. 6)."""
    n = inst["n_qubits"]
    M = sum(float(Fraction(c)) * _pauli(lab, n) for c, lab in inst["observable"]["pauli"])
    steps = []
    for g in inst["circuit"]:
        if "gate" in g:
            steps.append(("rot", _pauli(g["gate"], n)))
        else:
            steps.append(("fix", np.array([[float(Fraction(x)) for x in row] for row in g["fixed"]["unitary"]])))
    states = [np.array([float(Fraction(x)) for x in s["state"]["vector"]], dtype=complex) for s in inst["samples"]]
    labels = [float(Fraction(s["label"])) for s in inst["samples"]]
    energy = inst.get("objective", {}).get("kind") == "expectation"

    def L(theta):
        outs = []
        for psi in states:
            i = 0
            for kind, G in steps:
                if kind == "rot":
                    psi = np.cos(theta[i]) * psi - 1j * np.sin(theta[i]) * (G @ psi)
                    i += 1
                else:
                    psi = G @ psi
            outs.append(float(np.real(np.vdot(psi, M @ psi))))
        if energy:
            return outs[0]
        return sum((f - y) ** 2 for f, y in zip(outs, labels)) / len(outs)

    p = sum(1 for kind, _ in steps if kind == "rot")
    return L, p


def multistart(inst: dict, starts: int = 200, seed: int = 0) -> float:
    """The best value of L-BFGS-B (numerical gradients) from ``starts`` uniform random starts."""
    from scipy.optimize import minimize
    L, p = loss_function(inst)
    rng = np.random.default_rng(seed)
    return min(minimize(L, rng.uniform(0, 2 * np.pi, p), method="L-BFGS-B").fun for _ in range(starts))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        for name, inst in instances().items():
            with open(f"{sys.argv[2]}/{name}.json", "w") as fh:
                json.dump(inst, fh, indent=1)
    else:
        with open(sys.argv[2]) as fh:
            inst = json.load(fh)
        print(f"{sys.argv[2]}: best of {int(sys.argv[3]) if len(sys.argv) > 3 else 200} L-BFGS starts: "
              f"{multistart(inst, int(sys.argv[3]) if len(sys.argv) > 3 else 200):.12f}")
