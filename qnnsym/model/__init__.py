"""The exact model (eqs. 3–6): circuit ``U(θ) = V_p(θ_p)…V_1(θ_1)``, observable, dataset, instance.

:mod:`.circuit` (gates, fixed gates, the QNN), :mod:`.data` (samples, dataset, instance) and
:mod:`.instances` (the ``qnnsym-instance/1`` file format and the built-in instances).  Every
constructor validates its input and raises :class:`~qnnsym.errors.ValidationError` naming the field.
"""
from .circuit import (HERMITIAN, INTEGER, QNN, TWO_LEVEL, FixedGate, Gate, Operator, as_operator, operator_dim,
                      to_opmatrix)
from .data import OBJECTIVE_KINDS, Dataset, Instance, Objective, Sample, dense_arrays, validate_state
from .instances import (BUILTINS, PYTHAGOREAN, builtin_instance, dump_instance, instance_from_dict, instance_to_dict,
                        load_instance, prop5_instance)

__all__ = ["HERMITIAN", "INTEGER", "TWO_LEVEL", "FixedGate", "Gate", "Operator", "QNN", "as_operator", "operator_dim",
           "to_opmatrix", "Dataset", "Instance", "Objective", "OBJECTIVE_KINDS", "Sample", "dense_arrays", "validate_state",
           "BUILTINS", "PYTHAGOREAN", "builtin_instance", "dump_instance", "instance_from_dict", "instance_to_dict",
           "load_instance", "prop5_instance"]
