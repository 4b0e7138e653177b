"""qnnsym: exact and certified landscapes of quantum neural networks.

Turns You & Wu, "Exponentially Many Local Minima in Quantum Neural Networks" (ICML 2021)
into software: the exact model (eqs. 3–6), the Fourier expansion of output and loss
(eqs. 7–12), certified critical-point tables (Sect. 5), the constructions (Thm. 2, Prop. 5)
and the experiments (Sect. 6).
"""
from .errors import (BackendUnavailable, CertificateError, DegenerateError, InstanceFileError,
                     PositiveDimensionalError, QnnsymError, TimeBudgetExceeded, ValidationError)
from .scalars import GaussianRational, format_scalar, parse_scalar
from .paulis import PauliSum, pauli_sum_from_matrix
from .opmatrix import OpMatrix
from .trigpoly import TrigPoly, h_to_xi, xi_to_h
from .model import Dataset, FixedGate, Gate, Instance, QNN, Sample, dense_arrays
from .expansion import loss_poly, output_poly, output_polys, phi, phi_terms
from .instances import builtin_instance, dump_instance, instance_from_dict, instance_to_dict, load_instance, prop5_instance
from .checks import run_checks
from .critical import critical_system, dense_instance, solve_critical
from .critical import CriticalTable, classify, critical_table
from .landscape import independent_blocks, interaction_graph
from .sim import simulator
from .sim.optimizers import minimize_batch
from .sim.experiments import run_experiment
from .independence import cayley_qnn, haar_qnn, independence, theorem6_study
from .construct import (certify_design, integer_spectrum_construction, multistart_minima, prop5_construction,
                        realise_design, theorem2_construction)
from .certificate import critical_certificate, write_json as write_certificate_json
from .checker import Verdict, check_certificate, loss_by_interpolation

__version__ = "0.1.0"

__all__ = [
    "BackendUnavailable", "CertificateError", "DegenerateError", "InstanceFileError", "PositiveDimensionalError",
    "QnnsymError", "TimeBudgetExceeded", "ValidationError",
    "GaussianRational", "format_scalar", "parse_scalar",
    "PauliSum", "pauli_sum_from_matrix", "OpMatrix",
    "TrigPoly", "h_to_xi", "xi_to_h",
    "Dataset", "FixedGate", "Gate", "Instance", "QNN", "Sample", "dense_arrays",
    "loss_poly", "output_poly", "output_polys", "phi", "phi_terms",
    "builtin_instance", "dump_instance", "instance_from_dict", "instance_to_dict", "load_instance", "prop5_instance",
    "run_checks",
    "critical_system", "dense_instance", "solve_critical",
    "CriticalTable", "classify", "critical_table", "independent_blocks", "interaction_graph",
    "simulator", "minimize_batch", "run_experiment",
    "cayley_qnn", "haar_qnn", "independence", "theorem6_study",
    "certify_design", "integer_spectrum_construction", "multistart_minima", "prop5_construction", "realise_design",
    "theorem2_construction",
    "critical_certificate", "write_certificate_json", "Verdict", "check_certificate", "loss_by_interpolation",
]
