"""The independent certificate checker (``qnnsym check FILE``): it trusts nothing a solver said.

A certificate (``docs/certificates.md``, schema ``qnnsym/data/certificate.schema.json``) states
claims; this module re-derives every claim from the data that defines the problem and answers
one :class:`Verdict` per claim.  Kinds:

``symbolic-identities``
    Eqs. 7–15 as identities of non-commutative polynomials: each claim ``lhs == rhs`` is expanded
    with sympy, words in the generators are reduced with ``H² = I``, coefficients modulo
    ``cos²θ + sin²θ = 1``; a ``trace-zero`` claim reduces words cyclically.
``pauli-expansion``
    Eqs. 11–15 exhaustively on every small Pauli circuit: the expansion ``{Φ_ξ(M)}`` of the Pauli
    engine is tested against ``U(θ)†MU(θ)`` built here from Gaussian-integer matrices on a grid of
    ``3^p`` rational angles (unisolvent: both sides lie in ``span{1, cos 2θ_l, sin 2θ_l}`` per
    coordinate), the ``θ_l ↦ θ_l + π/2`` sign rule (eqs. 13–15) on the same grid, and
    ``tr Φ_ξ(M) = 0`` for ``ξ ≠ 0``.
``fourier-degree``
    Section 5: the Fourier support of the loss of each listed instance satisfies
    ``‖k‖₁ ≤ 2p`` and ``|k_l| ≤ 2``; the loss is rebuilt by exact interpolation of the direct
    simulation ``tr(UρU†M)`` where the dimension allows, else by the expansion engine.
``critical-points``
    Theorem 7 / Proposition 5 tables: see :func:`check_critical`.

Independence: the checker uses the foundation (instance parsing, :class:`~qnnsym.exact.trigpoly.TrigPoly`
arithmetic, the direct simulation :mod:`qnnsym.expansion.direct`), python-flint, and one pure combinatorial
helper (:func:`qnnsym.exact.combinatorics.permanent`); never the expansion engine's loss for
``critical-points`` nor any number of the solver (points, indices, values) without re-deriving it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from ...errors import CertificateError, QnnsymError
from .common import FORMAT, Verdict
from .critical import check_critical
from .fourier import check_fourier
from .identities import check_identities
from .pauli import check_pauli

__all__ = ['check_certificate', 'load_certificate', 'format_verdicts']


def load_certificate(src: str | Path | dict) -> dict:
    """The parsed certificate (a dict), from a path or a dict.

    Raises
    ------
    CertificateError
        Unreadable file, not JSON, or not a ``qnnsym-certificate/1`` object with a ``kind``.
    """
    if isinstance(src, dict):
        data = src
    else:
        path = Path(src)
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise CertificateError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise CertificateError(f"{path}: not a readable JSON file ({e})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CertificateError(f"format: expected \"{FORMAT}\" (a certificate written by qnnsym)")
    if data.get("kind") not in _CHECKERS:
        raise CertificateError(f"kind: {data.get('kind')!r} (expected one of {', '.join(sorted(_CHECKERS))})")
    return data


def check_certificate(src: str | Path | dict, progress: bool = False) -> list[Verdict]:
    """Re-check every claim of a certificate; one :class:`Verdict` per claim.

    A certificate is accepted when every verdict is ``ok``.  Malformed data inside a certificate
    (a missing field, a non-number) is a rejected claim, not an exception.

    Parameters
    ----------
    src : path or dict
    progress : bool
        Show progress bars (stderr) for long checks.

    Raises
    ------
    CertificateError
        The file is not a certificate at all (see :func:`load_certificate`).

    Examples
    --------
    >>> from qnnsym.certify.certificate import symbolic_identities_certificate
    >>> all(v.ok for v in check_certificate(symbolic_identities_certificate()))
    True
    """
    data = load_certificate(src)
    try:
        return _CHECKERS[data["kind"]](data, progress)
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError, QnnsymError) as e:
        return [Verdict("certificate is well formed", False, f"{type(e).__name__}: {e}")]


def format_verdicts(verdicts: list[Verdict], name: str = "") -> str:
    """Human-readable verdict lines: ``ok   claim — detail`` / ``FAIL claim — detail``."""
    lines = [f"{'ok  ' if v.ok else 'FAIL'} {v.claim}" + (f" — {v.detail}" if v.detail else "") for v in verdicts]
    n_bad = sum(not v.ok for v in verdicts)
    head = f"{name}: " if name else ""
    lines.append(f"{head}{'ACCEPTED' if n_bad == 0 else 'REJECTED'} ({len(verdicts) - n_bad}/{len(verdicts)} claims verified)")
    return "\n".join(lines)


_CHECKERS: dict[str, Callable[[dict, bool], list[Verdict]]] = {
    "symbolic-identities": check_identities,
    "pauli-expansion": check_pauli,
    "critical-points": check_critical,
    "fourier-degree": check_fourier,
}
