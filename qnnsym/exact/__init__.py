"""Exact numbers and operators: the bottom layer, exact first (imports nothing of qnnsym but ``errors``).

Gaussian rationals (:mod:`.scalars`), Pauli strings and sums with exact coefficients
(:mod:`.paulis`), dense exact/float matrices (:mod:`.opmatrix`), exact multivariate trigonometric
polynomials — the values of outputs and losses, eqs. 11–12 — (:mod:`.trigpoly`), certified
interval enclosures with python-flint balls (:mod:`.interval`), the combinatorics of the root
bounds (:mod:`.combinatorics`), the tan form of a critical system (:mod:`.tanform`) and the two
Krawczyk kernels of homotopy boxes, in floats (:mod:`.krawczyk`) and in Arb balls
(:mod:`.krawczyk_ball`).
"""
from .combinatorics import permanent
from .opmatrix import OpMatrix, bit_reversal, spectral_projectors
from .paulis import (PauliSum, commutes, parse_pauli_string, pauli_label, pauli_matrix, pauli_product,
                     pauli_sum_from_matrix)
from .scalars import GaussianRational, as_fraction, format_scalar, is_exact, parse_scalar, to_complex
from .trigpoly import TrigEvaluator, TrigPoly, cos_sin_multiple, h_to_xi, xi_to_h

__all__ = ["GaussianRational", "as_fraction", "format_scalar", "is_exact", "parse_scalar", "to_complex",
           "PauliSum", "commutes", "parse_pauli_string", "pauli_label", "pauli_matrix", "pauli_product",
           "pauli_sum_from_matrix", "OpMatrix", "bit_reversal", "spectral_projectors",
           "TrigEvaluator", "TrigPoly", "cos_sin_multiple", "h_to_xi", "xi_to_h", "permanent"]
