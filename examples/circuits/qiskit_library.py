"""Small instances of Qiskit circuit-library ansätze, each with a small Hamiltonian, for ``qnnsym import``.

Library blocks are imported as they are (expanded through their ``definition``)::

    qnnsym import examples/circuits/qiskit_library.py:real_amplitudes_r1 --objective energy -o ra.json
"""
from qiskit.circuit import ParameterVector
from qiskit.circuit.library import efficient_su2, n_local, real_amplitudes
from qiskit.quantum_info import SparsePauliOp

#: A two-qubit transverse-field Ising Hamiltonian ``Z0Z1 + (X0 + X1)/2`` (ground energy −√2).
ISING2 = SparsePauliOp.from_list([("ZZ", 1), ("IX", 1 / 2), ("XI", 1 / 2)])


def real_amplitudes_r1():
    """``real_amplitudes(2, reps=1)``: RY layer, CX, RY layer (4 parameters); ``H = Z0Z1 + (X0 + X1)/2``."""
    return real_amplitudes(2, reps=1), ISING2


def efficient_su2_small():
    """``efficient_su2(2, su2_gates=['ry'], reps=1)`` (4 parameters), ``H = Z0Z1 + (X0 + X1)/2``."""
    return efficient_su2(2, su2_gates=["ry"], reps=1), ISING2


def two_local_shared():
    """``n_local(2, 'ry', 'cz', reps=2)`` with one parameter per layer: both RYs of layer k share ``t[k]``."""
    qc = n_local(2, "ry", "cz", reps=2)
    ps = list(qc.parameters)
    t = ParameterVector("t", 3)
    qc = qc.assign_parameters({p: t[i // 2] for i, p in enumerate(ps)})
    return qc, ISING2
