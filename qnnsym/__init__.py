"""qnnsym: exact and certified landscapes of quantum neural networks.

Turns You & Wu, "Exponentially Many Local Minima in Quantum Neural Networks" (ICML 2021)
into software: the exact model (eqs. 3–6), the Fourier expansion of output and loss
(eqs. 7–12), certified critical-point tables (Sect. 5), the constructions (Thm. 2, Prop. 5)
and the experiments (Sect. 6).

The public names below are imported on first use (PEP 562), so that ``import qnnsym`` and the
command line start fast; ``dir(qnnsym)`` and ``from qnnsym import *`` see all of them.
"""
from __future__ import annotations

import importlib

from ._version import __version__  # noqa: F401  (re-exported)

#: public name -> (module of the package, name there)
_EXPORTS: dict[str, tuple[str, str]] = {
    "Verdict": ("certify", "Verdict"),
    "check_certificate": ("certify", "check_certificate"),
    "critical_certificate": ("certify", "critical_certificate"),
    "loss_by_interpolation": ("certify", "loss_by_interpolation"),
    "write_certificate_json": ("certify", "write_json"),
    "cayley_qnn": ("construct", "cayley_qnn"),
    "certify_design": ("construct", "certify_design"),
    "haar_qnn": ("construct", "haar_qnn"),
    "independence": ("construct", "independence"),
    "integer_spectrum_construction": ("construct", "integer_spectrum_construction"),
    "minima_bounds": ("construct", "minima_bounds"),
    "prop5_construction": ("construct", "prop5_construction"),
    "realise_design": ("construct", "realise_design"),
    "search_minima": ("construct", "search_minima"),
    "theorem2_construction": ("construct", "theorem2_construction"),
    "theorem6_study": ("construct", "theorem6_study"),
    "CriticalTable": ("critical", "CriticalTable"),
    "classify": ("critical", "classify"),
    "critical_system": ("critical", "critical_system"),
    "critical_table": ("critical", "critical_table"),
    "dense_instance": ("critical", "dense_instance"),
    "residual_instance": ("critical", "residual_instance"),
    "solve_critical": ("critical", "solve_critical"),
    "global_minimum": ("critical", "global_minimum"),
    "degenerate_cover": ("critical", "degenerate_cover"),
    "BackendUnavailable": ("errors", "BackendUnavailable"),
    "CertificateError": ("errors", "CertificateError"),
    "DegenerateError": ("errors", "DegenerateError"),
    "InstanceFileError": ("errors", "InstanceFileError"),
    "PositiveDimensionalError": ("errors", "PositiveDimensionalError"),
    "QnnsymError": ("errors", "QnnsymError"),
    "TimeBudgetExceeded": ("errors", "TimeBudgetExceeded"),
    "ValidationError": ("errors", "ValidationError"),
    "GaussianRational": ("exact", "GaussianRational"),
    "OpMatrix": ("exact", "OpMatrix"),
    "PauliSum": ("exact", "PauliSum"),
    "TrigPoly": ("exact", "TrigPoly"),
    "format_scalar": ("exact", "format_scalar"),
    "h_to_xi": ("exact", "h_to_xi"),
    "parse_scalar": ("exact", "parse_scalar"),
    "pauli_sum_from_matrix": ("exact", "pauli_sum_from_matrix"),
    "xi_to_h": ("exact", "xi_to_h"),
    "loss_poly": ("expansion", "loss_poly"),
    "output_poly": ("expansion", "output_poly"),
    "output_polys": ("expansion", "output_polys"),
    "phi": ("expansion", "phi"),
    "phi_terms": ("expansion", "phi_terms"),
    "run_checks": ("expansion", "run_checks"),
    "basin_volumes": ("landscape", "basin_volumes"),
    "blocks_from_table": ("landscape", "blocks_from_table"),
    "disconnectivity_tree": ("landscape", "disconnectivity_tree"),
    "independent_blocks": ("landscape", "independent_blocks"),
    "interaction_graph": ("landscape", "interaction_graph"),
    "reduce_loss": ("landscape", "reduce_loss"),
    "minima_saddle_graph": ("landscape", "minima_saddle_graph"),
    "QNN": ("model", "QNN"),
    "Dataset": ("model", "Dataset"),
    "FixedGate": ("model", "FixedGate"),
    "Gate": ("model", "Gate"),
    "Instance": ("model", "Instance"),
    "Objective": ("model", "Objective"),
    "Sample": ("model", "Sample"),
    "builtin_instance": ("model", "builtin_instance"),
    "dense_arrays": ("model", "dense_arrays"),
    "dump_instance": ("model", "dump_instance"),
    "instance_from_dict": ("model", "instance_from_dict"),
    "instance_to_dict": ("model", "instance_to_dict"),
    "load_instance": ("model", "load_instance"),
    "prop5_instance": ("model", "prop5_instance"),
    "analyse": ("report", "analyse"),
    "write_report": ("report", "write_report"),
    "count_minima": ("sim", "count_minima"),
    "minimize_batch": ("sim", "minimize_batch"),
    "multistart_minima": ("sim", "multistart_minima"),
    "run_experiment": ("sim", "run_experiment"),
    "simulator": ("sim", "simulator"),
}

__all__ = [
    "BackendUnavailable", "CertificateError", "DegenerateError", "InstanceFileError", "PositiveDimensionalError",
    "QnnsymError", "TimeBudgetExceeded", "ValidationError",
    "GaussianRational", "format_scalar", "parse_scalar",
    "PauliSum", "pauli_sum_from_matrix", "OpMatrix",
    "TrigPoly", "h_to_xi", "xi_to_h",
    "Dataset", "FixedGate", "Gate", "Instance", "Objective", "QNN", "Sample", "dense_arrays",
    "loss_poly", "output_poly", "output_polys", "phi", "phi_terms",
    "builtin_instance", "dump_instance", "instance_from_dict", "instance_to_dict", "load_instance", "prop5_instance",
    "run_checks",
    "critical_system", "dense_instance", "solve_critical",
    "CriticalTable", "classify", "critical_table", "independent_blocks", "interaction_graph",
    "simulator", "minimize_batch", "run_experiment",
    "cayley_qnn", "haar_qnn", "independence", "theorem6_study",
    "certify_design", "integer_spectrum_construction", "multistart_minima", "prop5_construction", "realise_design",
    "theorem2_construction", "search_minima", "minima_bounds", "count_minima", "residual_instance",
    "critical_certificate", "write_certificate_json", "Verdict", "check_certificate", "loss_by_interpolation",
    "blocks_from_table", "minima_saddle_graph", "disconnectivity_tree", "basin_volumes", "analyse", "write_report",
    "reduce_loss", "global_minimum", "degenerate_cover",
]


def __getattr__(name: str):
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'qnnsym' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module}", __name__), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
