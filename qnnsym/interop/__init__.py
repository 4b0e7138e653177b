"""Import circuits from the tools researchers write them in, and export them back.

* :func:`from_qiskit` / :func:`to_qiskit`: a Qiskit ``QuantumCircuit`` with ``Parameter``\\ s and a
  ``SparsePauliOp`` (extra ``qiskit``);
* :func:`from_pennylane`: a PennyLane tape or QNode with an ``expval`` (extra ``pennylane``);
* :func:`from_qasm` / :func:`to_qasm3`: OpenQASM 2 or 3 text (``input angle`` parameters), read by
  Qiskit's maintained parsers (``qiskit.qasm2``, ``qiskit.qasm3`` with ``qiskit-qasm3-import``;
  extra ``qasm``);
* :func:`import_instance`: any of these sources (a file or ``module:object``) plus a dataset file
  (the ``qnnsym import`` command).

Every front end reduces its circuit to Pauli rotations (:mod:`qnnsym.interop.ops`): a rotation
``R_G(t) = exp(−itG/2)`` with a free parameter ``t`` is the paper's gate ``exp(−iθG)`` (eq. 4) at
``θ = t/2``; fixed Clifford gates are exact quarter-turn Pauli rotations.  The conventions, the
supported gates and the exactness rules are in ``docs/interop.md``.  The optional packages are
imported only when a function needs them (:class:`~qnnsym.errors.BackendUnavailable` otherwise).
"""
from .ops import SUPPORTED_GATES, load_dataset, reorder_vector
from .pennylane_io import from_pennylane
from .qasm import from_qasm, to_qasm3
from .qiskit_io import from_qiskit, statevector_to_qnnsym, to_qiskit
from .source import import_instance

__all__ = ["SUPPORTED_GATES", "from_pennylane", "from_qasm", "from_qiskit", "import_instance", "load_dataset",
           "reorder_vector", "statevector_to_qnnsym", "to_qasm3", "to_qiskit"]
