"""VQE for a two-qubit Hamiltonian with rational coefficients (an H₂-like ``Z0 + Z1 + Z0Z1 + X0X1``)::

    qnnsym import examples/circuits/vqe_h2.py:make --objective energy -o vqe.json

The ansatz is the particle-conserving one-parameter circuit plus a phase: ``X0``, ``RY(t)`` on
qubit 1, ``CX(1, 0)``, ``RZ(s)`` on qubit 0.
"""
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.quantum_info import SparsePauliOp

H = SparsePauliOp.from_list([("IZ", -1 / 2), ("ZI", -1 / 2), ("ZZ", 1 / 4), ("XX", 1 / 5)])


def make():
    t, s = Parameter("t"), Parameter("s")
    qc = QuantumCircuit(2)
    qc.x(0)
    qc.ry(t, 1)
    qc.cx(1, 0)
    qc.ry(s, 0)
    return qc, H
