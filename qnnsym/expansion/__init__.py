"""The symbolic Fourier expansion of output and loss (eqs. 7–12) and its checks (eqs. 13–15).

:mod:`.phi` — the Φ maps (eqs. 7–10), the Heisenberg expansion ``M(θ) = Σ_ξ Φ_ξ(M) χ_ξ(θ)``
(eq. 11) by Pauli propagation or dense exact matrices, the outputs (eq. 12) and the loss (eq. 6)
as exact :class:`~qnnsym.exact.trigpoly.TrigPoly` values; :mod:`.direct` — direct simulation
``tr(U ρ U† M)`` (exact at rational angles, and in floats); :mod:`.checks` — the identities
proven on an instance (expansion = simulation, ``tr Φ_ξ(M) = 0``, the π/2-shift rule, the support
bound of Section 5).
"""
from .checks import (MAX_PHI_TERMS, CheckResult, check_shift_rule, check_simulation, check_support, check_traceless,
                     run_checks)
from .direct import outputs_direct_exact, outputs_direct_float, phi_point
from .phi import engine_for, loss_poly, output_poly, output_polys, phi, phi_terms

__all__ = ["engine_for", "loss_poly", "output_poly", "output_polys", "phi", "phi_terms",
           "outputs_direct_exact", "outputs_direct_float", "phi_point",
           "MAX_PHI_TERMS", "CheckResult", "check_shift_rule", "check_simulation", "check_support",
           "check_traceless", "run_checks"]
