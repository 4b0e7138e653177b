"""QAOA MaxCut circuits from Qiskit's library (``qaoa_ansatz``), for ``qnnsym import``.

Each function returns ``(circuit, cost)`` with ``cost = Σ_{ij∈E} Z_iZ_j`` (a ``SparsePauliOp``); the
energy ``E(γ, β) = ⟨ψ(γ, β)|C|ψ(γ, β)⟩`` is minimised (MaxCut: cut = (|E| − E)/2)::

    qnnsym import examples/circuits/qaoa_qiskit.py:triangle_r1 --objective energy -o tri1.json
"""
from qiskit.circuit.library import qaoa_ansatz
from qiskit.quantum_info import SparsePauliOp

GRAPHS = {"triangle": [(0, 1), (1, 2), (0, 2)], "cycle4": [(0, 1), (1, 2), (2, 3), (0, 3)]}


def maxcut_cost(edges) -> SparsePauliOp:
    """``Σ Z_iZ_j`` over the edges."""
    n = 1 + max(max(e) for e in edges)
    return SparsePauliOp.from_sparse_list([("ZZ", list(e), 1) for e in edges], n)


def qaoa(graph: str, reps: int):
    """``(qaoa_ansatz(C, reps), C)``: Hadamards, then ``reps`` layers ``exp(−iγC)``, ``exp(−iβΣX)``."""
    C = maxcut_cost(GRAPHS[graph])
    return qaoa_ansatz(C, reps=reps), C


def triangle_r1():
    return qaoa("triangle", 1)


def triangle_r2():
    return qaoa("triangle", 2)


def cycle4_r1():
    return qaoa("cycle4", 1)


def cycle4_r2():
    return qaoa("cycle4", 2)
