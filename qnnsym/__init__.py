"""qnnsym: exact and certified landscapes of quantum neural networks.

Turns You & Wu, "Exponentially Many Local Minima in Quantum Neural Networks" (ICML 2021)
into software: the exact model (eqs. 3–6), the Fourier expansion of output and loss
(eqs. 7–12), certified critical-point tables (Sect. 5), the constructions (Thm. 2, Prop. 5)
and the experiments (Sect. 6).
"""
from ._version import __version__  # noqa: F401  (re-exported)
from .certify import Verdict, check_certificate, critical_certificate, loss_by_interpolation
from .certify import write_json as write_certificate_json
from .construct import (
                        cayley_qnn,
                        certify_design,
                        haar_qnn,
                        independence,
                        integer_spectrum_construction,
                        minima_bounds,
                        prop5_construction,
                        realise_design,
                        search_minima,
                        theorem2_construction,
                        theorem6_study,
)
from .critical import (
                        CriticalTable,
                        classify,
                        critical_system,
                        critical_table,
                        dense_instance,
                        residual_instance,
                        solve_critical,
)
from .errors import (
                        BackendUnavailable,
                        CertificateError,
                        DegenerateError,
                        InstanceFileError,
                        PositiveDimensionalError,
                        QnnsymError,
                        TimeBudgetExceeded,
                        ValidationError,
)
from .exact import (
                        GaussianRational,
                        OpMatrix,
                        PauliSum,
                        TrigPoly,
                        format_scalar,
                        h_to_xi,
                        parse_scalar,
                        pauli_sum_from_matrix,
                        xi_to_h,
)
from .expansion import loss_poly, output_poly, output_polys, phi, phi_terms, run_checks
from .landscape import (
                        basin_volumes,
                        blocks_from_table,
                        disconnectivity_tree,
                        independent_blocks,
                        interaction_graph,
                        minima_saddle_graph,
)
from .model import (
                        QNN,
                        Dataset,
                        FixedGate,
                        Gate,
                        Instance,
                        Sample,
                        builtin_instance,
                        dense_arrays,
                        dump_instance,
                        instance_from_dict,
                        instance_to_dict,
                        load_instance,
                        prop5_instance,
)
from .report import analyse, write_report
from .sim import count_minima, minimize_batch, multistart_minima, run_experiment, simulator

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
    "theorem2_construction", "search_minima", "minima_bounds", "count_minima", "residual_instance",
    "critical_certificate", "write_certificate_json", "Verdict", "check_certificate", "loss_by_interpolation",
    "blocks_from_table", "minima_saddle_graph", "disconnectivity_tree", "basin_volumes", "analyse", "write_report",
]
