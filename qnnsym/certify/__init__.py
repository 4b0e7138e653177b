"""Certificates and their independent checker: claims of the paper on instances, re-derived.

:mod:`.certificate` writes ``qnnsym-certificate/1`` files (eqs. 7–15, Section 5's Fourier bound,
critical-point tables for Theorem 7 and Proposition 5); :mod:`.checker` re-checks every claim of a
file from the data that defines the problem, trusting nothing a solver said; :mod:`.proofs` is the
registry of ``proofs/`` (one folder per statement of the paper), regenerated and re-checked in CI.
"""
from .certificate import (FOURIER_FAMILY, critical_certificate, fourier_degree_certificate,
                          pauli_expansion_certificate, random_pauli_instance, symbolic_identities_certificate,
                          write_certificate, write_json)
from .checker import (FORMAT, Verdict, check_certificate, check_critical, expansion_digest, format_verdicts,
                      load_certificate, loss_by_interpolation, loss_digest, pauli_family_cases)
from .proofs import PROOFS, check_all, proofs_root, regenerate_proof

__all__ = ["FORMAT", "Verdict", "check_certificate", "check_critical", "expansion_digest", "format_verdicts",
           "load_certificate", "loss_by_interpolation", "loss_digest", "pauli_family_cases",
           "FOURIER_FAMILY", "critical_certificate", "fourier_degree_certificate", "pauli_expansion_certificate",
           "random_pauli_instance", "symbolic_identities_certificate", "write_certificate", "write_json",
           "PROOFS", "check_all", "proofs_root", "regenerate_proof"]
