"""QAOA MaxCut as PennyLane QNodes (``qml.qaoa`` cost and mixer layers), for ``qnnsym import``.

Each QNode takes ``(gammas, betas)`` (one entry per layer, shared by every edge / qubit of the
layer) and returns ``qml.expval(C)`` with the MaxCut cost ``C = Σ_{ij∈E} Z_iZ_j``::

    qnnsym import examples/circuits/qaoa_pennylane.py:triangle_r1 --qnode-args '[[0.1], [0.2]]' \\
        --objective energy -o tri1.json

(``--qnode-args`` gives values to build the tape with: one list per argument, its length = reps.)
"""
import pennylane as qml

GRAPHS = {"triangle": [(0, 1), (1, 2), (0, 2)], "cycle4": [(0, 1), (1, 2), (2, 3), (0, 3)]}


def qaoa(graph: str, reps: int):
    """A QNode ``(gammas, betas) ↦ ⟨C⟩``: ``|+…+⟩``, then ``reps`` pairs of ``qml.qaoa`` layers."""
    edges = GRAPHS[graph]
    n = 1 + max(max(e) for e in edges)
    C = qml.Hamiltonian([1.0] * len(edges), [qml.PauliZ(i) @ qml.PauliZ(j) for i, j in edges])
    mixer = qml.Hamiltonian([1.0] * n, [qml.PauliX(i) for i in range(n)])

    @qml.qnode(qml.device("default.qubit", wires=n))
    def circuit(gammas, betas):
        for w in range(n):
            qml.Hadamard(w)
        for k in range(reps):
            qml.qaoa.cost_layer(gammas[k], C)
            qml.qaoa.mixer_layer(betas[k], mixer)
        return qml.expval(C)

    return circuit


triangle_r1 = qaoa("triangle", 1)
triangle_r2 = qaoa("triangle", 2)
cycle4_r1 = qaoa("cycle4", 1)
cycle4_r2 = qaoa("cycle4", 2)
