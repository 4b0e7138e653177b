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
import time
from pathlib import Path
from typing import Callable, Sequence

from ...errors import CertificateError, QnnsymError
from .common import FORMAT, Verdict, Verdicts
from .critical import check_critical
from .exhaustion import check_exhaustion, check_global_minimum
from .fourier import check_fourier
from .identities import check_identities
from .pauli import check_pauli
from .strict import parse_certificate_json, read_certificate_file, validate_certificate

__all__ = ['check_certificate', 'check_files', 'load_certificate', 'format_verdicts']


def load_certificate(src: str | Path | dict) -> dict:
    """The parsed, schema-valid certificate (a dict), from a path or a dict.

    The file is read strictly (:mod:`.strict`: no duplicated keys, no NaN/Infinity/floats, exact
    types) and validated against ``qnnsym/data/certificate.schema.json`` (no unknown fields).

    Raises
    ------
    CertificateError
        Unreadable file, not JSON, not a ``qnnsym-certificate/2`` object of a known kind, or a schema
        violation (the message names the JSON path).
    """
    if isinstance(src, dict):
        # the same gate as a file: through the strict parser, so that floats, NaN, … in a dict are refused too
        try:
            text = json.dumps(src, allow_nan=True)
        except (TypeError, ValueError) as e:
            raise CertificateError(f"not JSON data ({e})") from None
        data = parse_certificate_json(text)
    else:
        data = read_certificate_file(Path(src))
    if not isinstance(data, dict):
        raise CertificateError("not a certificate: the top level is not a JSON object")
    if data.get("format") != FORMAT:
        got = data.get("format")
        raise CertificateError(f"format: {got!r}, expected \"{FORMAT}\" (a certificate written by qnnsym"
                               + ("; regenerate it with this version)" if isinstance(got, str) and
                                  got.startswith("qnnsym-certificate/") else ")"))
    if data.get("kind") not in _CHECKERS:
        raise CertificateError(f"kind: {data.get('kind')!r} (expected one of {', '.join(sorted(_CHECKERS))})")
    validate_certificate(data)
    return data


def check_certificate(src: str | Path | dict, progress: bool = False, kernel: str = "auto") -> list[Verdict]:
    """Re-check every claim of a certificate; one :class:`Verdict` per claim.

    A certificate is accepted when every verdict is ``ok``.  Malformed data inside a schema-valid
    certificate (an inconsistent length, an invalid instance) is a rejected claim, not an exception.

    Parameters
    ----------
    src : path or dict
    progress : bool
        Show progress bars (stderr) for long checks.
    kernel : {"auto", "float", "ball"}
        The Krawczyk kernel(s) for the boxes of homotopy blocks (:mod:`.boxes`; ``qnnsym check --kernel``).

    Raises
    ------
    CertificateError
        The file is not a well-formed certificate (see :func:`load_certificate`).

    Examples
    --------
    >>> from qnnsym.certify.certificate import symbolic_identities_certificate
    >>> all(v.ok for v in check_certificate(symbolic_identities_certificate()))
    True
    """
    from ...errors import ValidationError
    from .boxes import KERNELS

    if kernel not in KERNELS:
        raise ValidationError("kernel", repr(kernel), expected=" | ".join(KERNELS), fix="use the default 'auto'")
    data = load_certificate(src)
    try:
        run = _CHECKERS[data["kind"]]
        verdicts = run(data, progress, kernel) if run is check_critical else run(data, progress)
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError, ArithmeticError, RecursionError,
            MemoryError, QnnsymError) as e:
        return Verdicts([Verdict("certificate is well formed", False, f"{type(e).__name__}: {e}")])
    return Verdicts(verdicts or [Verdict("the certificate makes a claim", False, "no claim to check")])


def _check_one(path: str, progress: bool, kernel: str = "auto") -> tuple[list[Verdict] | None, str | None, float]:
    """Check one file (in a worker process): ``(verdicts, error, seconds)``."""
    t0 = time.perf_counter()
    try:
        return check_certificate(path, progress=progress, kernel=kernel), None, time.perf_counter() - t0
    except CertificateError as e:   # named after the file: "cert.json: format: ..."
        msg = str(e)
        return None, msg if msg.startswith(path) else f"{path}: {msg}", time.perf_counter() - t0


def check_files(paths: Sequence[str | Path], progress: bool = False, workers: int | None = None, kernel: str = "auto"):
    """Check several certificate files, each in a fresh process, so that no file can influence another.

    Every file is checked in its own child process forked from this (clean) one and discarded
    afterwards (``maxtasksperchild=1``): whatever one check does to the interpreter — python-flint's
    working precision, caches, or anything else — is gone before the next file.  Up to ``workers``
    files run at once (default: the number of CPUs, at most 2).

    Yields
    ------
    (path, verdicts or None, error or None, seconds)
        In the order of ``paths``; ``error`` when the file is not a well-formed certificate.
    """
    import multiprocessing as mp
    import os

    paths = [str(p) for p in paths]
    if not paths:
        return
    n = workers or min(2, os.cpu_count() or 1, len(paths))
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    with mp.get_context(method).Pool(n, maxtasksperchild=1) as pool:
        jobs = [pool.apply_async(_check_one, (p, progress, kernel)) for p in paths]
        for p, job in zip(paths, jobs):
            verdicts, err, dt = job.get()
            yield p, verdicts, err, dt


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
    "real-exhaustion": check_exhaustion,
    "global-minimum": check_global_minimum,
}
