"""PennyLane templates as QNodes, imported without manual decomposition::

    qnnsym import examples/circuits/pennylane_templates.py:basic_entangler \\
        --qnode-args '[[[0.1, 0.2]]]' --objective energy -o bel.json

``--qnode-args`` gives the weights' shapes (values are only used to build the tape).
"""
import pennylane as qml

#: ``Z0Z1 + (X0 + X1)/2`` (a transverse-field Ising pair).
ISING2 = qml.Hamiltonian([1.0, 0.5, 0.5], [qml.PauliZ(0) @ qml.PauliZ(1), qml.PauliX(0), qml.PauliX(1)])


@qml.qnode(qml.device("default.qubit", wires=2))
def basic_entangler(weights):
    """``BasicEntanglerLayers``, 1 layer on 2 qubits (RX per qubit, a CNOT ring): weights shape (1, 2)."""
    qml.BasicEntanglerLayers(weights, wires=[0, 1])
    return qml.expval(ISING2)


@qml.qnode(qml.device("default.qubit", wires=1))
def strongly_entangling_1q(weights):
    """``StronglyEntanglingLayers``, 1 layer on 1 qubit (one ``Rot``): weights shape (1, 1, 3); ``H = Z + X/2``."""
    qml.StronglyEntanglingLayers(weights, wires=[0])
    return qml.expval(qml.Hamiltonian([1.0, 0.5], [qml.PauliZ(0), qml.PauliX(0)]))


@qml.qnode(qml.device("default.qubit", wires=2))
def strongly_entangling_2q(weights):
    """``StronglyEntanglingLayers``, 1 layer on 2 qubits (two ``Rot``s, a CNOT ring): shape (1, 2, 3)."""
    qml.StronglyEntanglingLayers(weights, wires=[0, 1])
    return qml.expval(ISING2)


@qml.qnode(qml.device("default.qubit", wires=2))
def simplified_two_design(init, weights):
    """``SimplifiedTwoDesign``, 1 layer on 2 qubits: initial RYs (2) and one CZ + RY block (2)."""
    qml.SimplifiedTwoDesign(initial_layer_weights=init, weights=weights, wires=[0, 1])
    return qml.expval(ISING2)
