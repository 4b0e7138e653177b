"""Constructions with exponentially many local minima (Theorem 2, Lemmas 3–4, Proposition 5).

One recipe (``docs/constructions.md``): a **design** of residual polynomials with ``(2J)^p``
prescribed minima (:mod:`.designs`), its **certificate** (:mod:`.design_certificate`), its
**realisation** as a dataset on a QNN with linear independence (:mod:`.realise`, eq. 18; product
QNNs of Proposition 5 in :mod:`.prop5`; integer spectra in :mod:`.integer_spectrum`), and the
linear-independence test of Definition 1 with the Haar-random study of Theorem 6
(:mod:`.independence`).
"""
from .construction import Construction, critical_check
from .design_certificate import PI_UPPER, LandscapeCertificate, certify_design
from .designs import (
                      Design,
                      angles_from_spec,
                      circle_point,
                      default_angles,
                      integer_design,
                      ising_design,
                      separable_design,
                      translate,
)
from .extremal import MODES, SearchResult, minima_bounds, morse_minima_cap, search_minima
from .independence import (
                      DEFAULT_TOL,
                      STUDY_COLUMNS,
                      IndependenceReport,
                      cayley_qnn,
                      cayley_unitary,
                      dimension_condition,
                      expected_keys,
                      gram_matrix,
                      gram_stats,
                      haar_qnn,
                      haar_unitary,
                      independence,
                      phi_stack,
                      random_rational_hermitian,
                      theorem6_study,
)
from .integer_spectrum import integer_spectrum_construction, integer_spectrum_instance, integer_spectrum_qnn
from .prop5 import greedy_demo, prop5_construction, prop5_coupled_instance, prop5_family_instance, prop5_qnn
from .realise import realise_design, theorem2_construction, theorem2_instance
from .sweeps import minima_study, theorem2_over_seeds

__all__ = ["Design", "angles_from_spec", "circle_point", "default_angles", "integer_design", "ising_design",
           "separable_design", "translate", "PI_UPPER", "LandscapeCertificate", "certify_design", "Construction",
           "critical_check", "realise_design", "theorem2_construction", "theorem2_instance", "greedy_demo",
           "prop5_construction", "prop5_coupled_instance", "prop5_family_instance", "prop5_qnn",
           "integer_spectrum_construction", "integer_spectrum_instance", "integer_spectrum_qnn",
           "DEFAULT_TOL", "STUDY_COLUMNS", "IndependenceReport", "cayley_qnn", "cayley_unitary",
           "dimension_condition", "expected_keys", "gram_matrix", "gram_stats", "haar_qnn", "haar_unitary",
           "independence", "phi_stack", "random_rational_hermitian", "theorem6_study", "minima_study",
           "theorem2_over_seeds", "MODES", "SearchResult", "minima_bounds", "morse_minima_cap", "search_minima"]
