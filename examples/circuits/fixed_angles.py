"""Circuits with fixed gates that are not quarter turns (issue 23: exact vs verified coefficients)::

    qnnsym import examples/circuits/fixed_angles.py:t_gate --objective energy -o t.json
    qnnsym import examples/circuits/fixed_angles.py:rx037 --objective energy -o rx.json
"""
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.quantum_info import SparsePauliOp

H = SparsePauliOp.from_list([("ZZ", 1), ("IX", 1 / 2), ("XI", 1 / 2)])


def _ansatz(fixed) -> QuantumCircuit:
    a, b = Parameter("a"), Parameter("b")
    qc = QuantumCircuit(2)
    qc.ry(a, 0)
    fixed(qc)
    qc.cx(0, 1)
    qc.ry(b, 1)
    return qc


def t_gate():
    """``RY(a)`` on 0, ``H·T·H`` (a T gate about X), ``CX``, ``RY(b)`` on 1 (T: entries in Q(√2, i); exact table
    over Q(√2))."""
    return _ansatz(lambda qc: (qc.h(0), qc.t(0), qc.h(0))), H


def rx037():
    """The same with ``RX(0.37)`` in place of ``H·T·H`` (a float fixed angle: verified table)."""
    return _ansatz(lambda qc: qc.rx(0.37, 0)), H
