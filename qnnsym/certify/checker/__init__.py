"""The independent certificate checker (``qnnsym check FILE``), one module per kind of claim.

:mod:`.check` dispatches a file to its kind: :mod:`.identities` (eqs. 7–15 as non-commutative
identities), :mod:`.pauli` (eqs. 11–15 on every small Pauli circuit), :mod:`.fourier` (the Fourier
bound of Section 5) and :mod:`.critical` (critical-point tables), which rebuilds the loss from the
instance alone (:mod:`.loss`), verifies each block's parametrization and roots (:mod:`.rur`) and
its points (:mod:`.points`).  What the checker trusts: ``docs/certification-levels.md``.
"""
from .check import check_certificate, format_verdicts, load_certificate
from .common import FORMAT, Verdict, expansion_digest, verdict_record
from .critical import check_critical
from .loss import loss_by_interpolation, loss_digest
from .pauli import pauli_family_cases

__all__ = ["FORMAT", "Verdict", "expansion_digest", "verdict_record", "check_certificate", "format_verdicts",
           "load_certificate", "check_critical", "loss_by_interpolation", "loss_digest", "pauli_family_cases"]
