"""Energy (expectation-objective) tables of small VQE circuits against a float multistart.

Each circuit is an instance with ``"objective": {"kind": "expectation"}`` (``E(θ) = ⟨0…0|U† H U|0…0⟩``,
docs/instance-format.md#objective).  A row gives the certified table (status, counts, the least
critical value), whether its certificate is accepted by the independent checker, and an L-BFGS
multistart on a dense float simulation written here without qnnsym (its least value and how many
starts reached it).

Usage:  python benchmarks/bench_energy.py [--starts 2000] [--format md|csv|json]
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from qnnsym.certify.certificate import critical_certificate  # noqa: E402
from qnnsym.certify.checker import check_certificate  # noqa: E402
from qnnsym.critical.table import critical_table  # noqa: E402
from qnnsym.errors import CertificateError  # noqa: E402
from qnnsym.model.instances import instance_from_dict  # noqa: E402
from qnnsym.tables import table_text  # noqa: E402

H2 = {"pauli": [["1", "Z0 Z1"], ["1/2", "X0"], ["1/3", "X1"], ["1/5", "Z0"]]}
ZERO2 = [{"state": {"vector": ["1", "0", "0", "0"]}}]
CIRCUITS = {
    "1q: RY RZ, H = 3/5 Z + 4/5 X": {"n_qubits": 1, "circuit": [{"gate": "Y0"}, {"gate": "Z0"}],
                                     "observable": {"pauli": [["3/5", "Z0"], ["4/5", "X0"]]},
                                     "samples": [{"state": {"vector": ["1", "0"]}}]},
    "2q: RY RY RXX": {"n_qubits": 2, "circuit": [{"gate": "Y0"}, {"gate": "Y1"}, {"gate": "X0 X1"}],
                      "observable": H2, "samples": ZERO2},
    "2q: RY RY CX RY": {"n_qubits": 2, "circuit": [{"gate": "Y0"}, {"gate": "Y1"},
                                                   {"fixed": {"pauli": "Z0 X1", "cos": "0", "sin": "1"}},
                                                   {"gate": "Y0"}], "observable": H2, "samples": ZERO2},
}

_P = {"I": np.eye(2), "X": np.array([[0, 1], [1, 0]]), "Y": np.array([[0, -1j], [1j, 0]]), "Z": np.diag([1.0, -1])}


def _pauli(label: str, n: int) -> np.ndarray:
    """Dense matrix of a label like ``"Z0 X1"`` (qubit 0 = leftmost factor)."""
    letters = ["I"] * n
    for tok in label.split():
        letters[int(tok[1:])] = tok[0]
    out = np.eye(1)
    for c in letters:
        out = np.kron(out, _P[c])
    return out


def float_energy(d: dict):
    """``E(θ)`` by dense matrices: gate ``exp(-iθG)``, fixed rotation from ``(cos 2a, sin 2a)``."""
    n = d["n_qubits"]
    H = sum(float(eval(c)) * _pauli(lab, n) for c, lab in d["observable"]["pauli"])  # noqa: S307 (our literals)
    psi0 = np.zeros(2 ** n, complex)
    psi0[0] = 1

    def energy(th):
        psi, l = psi0, 0
        for op in d["circuit"]:
            if "gate" in op:
                G, a = _pauli(op["gate"], n), th[l]
                l += 1
            else:
                G = _pauli(op["fixed"]["pauli"], n)
                a = 0.5 * np.arctan2(float(eval(op["fixed"]["sin"])), float(eval(op["fixed"]["cos"])))  # noqa: S307
            psi = np.cos(a) * psi - 1j * np.sin(a) * (G @ psi)
        return float(np.real(psi.conj() @ H @ psi))

    return energy


def row(name: str, d: dict, starts: int) -> dict:
    inst = instance_from_dict(dict(d, objective={"kind": "expectation"}))
    t0 = time.perf_counter()
    t = critical_table(inst)
    took = time.perf_counter() - t0
    try:
        verdict = "accepted" if check_certificate(critical_certificate(inst, table=t)).accepted else "REJECTED"
    except CertificateError as e:
        verdict = f"not written ({e})"
    energy = float_energy(d)
    rng = np.random.default_rng(0)
    vals = np.array([minimize(energy, x0, method="L-BFGS-B").fun for x0 in rng.uniform(0, np.pi, (starts, inst.p))])
    c = t.counts
    least = min(float((cp.loss[0] + cp.loss[1]) / 2) for cp in t.points)
    return {"circuit": name, "p": inst.p, "backend": t.backend, "status": t.status, "n_real": t.n_real,
            "n_complex": t.n_complex, "minima": c["minima"], "saddles": c["saddles"], "maxima": c["maxima"],
            "global": c["global_minima"], "undecided": c["undecided_global"], "E_min_certified": f"{least:.12f}",
            "certificate": verdict, "multistart_min": f"{vals.min():.12f}",
            "starts_at_min": int(np.sum(vals <= vals.min() + 1e-7)), "starts": starts, "time_s": round(took, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--starts", type=int, default=2000)
    ap.add_argument("--format", choices=["md", "csv", "json"], default="md")
    args = ap.parse_args()
    print(table_text([row(k, d, args.starts) for k, d in CIRCUITS.items()], args.format))


if __name__ == "__main__":
    main()
