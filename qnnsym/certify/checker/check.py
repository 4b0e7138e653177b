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
import signal
import time
from pathlib import Path
from typing import Callable, Sequence

from ...errors import CertificateError, QnnsymError
from .common import FORMAT, SAMPLED_SCOPE, Verdict, printable, sanitized
from .cost import cost_limit
from .critical import check_critical
from .degenerate import check_degenerate
from .exhaustion import check_exhaustion, check_global_minimum
from .fourier import check_fourier
from .identities import check_identities
from .pauli import check_pauli
from .strict import parse_certificate_json, read_certificate_file, validate_certificate

__all__ = ['check_certificate', 'check_files', 'format_verdicts', 'is_sampled', 'load_certificate']


def load_certificate(src: str | Path | dict, max_bytes: int | None = None) -> dict:
    """The parsed, schema-valid certificate (a dict), from a path or a dict.

    The file must be a regular file of at most ``max_bytes`` bytes (default :data:`.strict.MAX_BYTES`,
    64 MiB); it is read strictly (:mod:`.strict`: no duplicated keys, no NaN/Infinity/floats, exact
    types) and validated against ``qnnsym/data/certificate.schema.json`` (no unknown fields).

    Raises
    ------
    CertificateError
        Unreadable file, not a regular file (a FIFO, a device, a directory), too large, not JSON, not a
        ``qnnsym-certificate/2`` object of a known kind, or a schema violation (the message names the
        JSON path).
    """
    if isinstance(src, dict):
        # the same gate as a file: through the strict parser, so that floats, NaN, … in a dict are refused too
        try:
            text = json.dumps(src, allow_nan=True)
        except (TypeError, ValueError) as e:
            raise CertificateError(f"not JSON data ({e})") from None
        data = parse_certificate_json(text)
    else:
        data = read_certificate_file(src, max_bytes)
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


def check_certificate(src: str | Path | dict, progress: bool = False, kernel: str = "auto", max_cost: int | None = None,
                      max_bytes: int | None = None, workers: int = 1, sample: int | None = None,
                      sample_seed: int = 0) -> list[Verdict]:
    """Re-check every claim of a certificate; one :class:`Verdict` per claim.

    A certificate is accepted when every verdict is ``ok``.  Malformed data inside a schema-valid
    certificate (an inconsistent length, an invalid instance) is a rejected claim, not an exception.
    Every re-derivation is preceded by an estimate of its cost (:mod:`.cost`); one above ``max_cost``
    is not run: its claim is rejected with a verdict quoting the estimate.  Every text of the verdicts
    is :func:`~.common.printable` (a file's strings cannot inject lines or terminal escapes).

    Parameters
    ----------
    src : path or dict
    progress : bool
        Show progress bars (stderr) for long checks.
    kernel : {"auto", "float", "ball"}
        The Krawczyk kernel(s) for the boxes of homotopy blocks (:mod:`.boxes`; ``qnnsym check --kernel``).
    max_cost : int, optional
        Largest estimated cost of one re-derivation, in elementary operations (default
        :data:`.cost.DEFAULT_MAX_COST`).
    max_bytes : int, optional
        Largest file read (default :data:`.strict.MAX_BYTES`).
    workers : int
        Forked processes re-proving the boxes of homotopy blocks (:func:`.boxes.check_homotopy_block`;
        ``qnnsym check --workers``); the verdicts do not depend on it.
    sample : int, optional
        A *sampled check* of ``critical-points`` certificates with homotopy blocks of more boxes than this:
        ``sample`` boxes and ``⌈sample/20⌉`` real points drawn with ``sample_seed`` are re-proved, everything
        else is checked in full, the rest is taken as claimed; the first verdict (``scope: a sampled check``)
        says so and :func:`format_verdicts` marks the file's line ``ACCEPTED (sampled check …)``
        (:func:`.boxes.check_homotopy_block`).  For certificates too large to re-prove in a CI run.
    sample_seed : int
        Seed of the sample.

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
    if sample is not None and (isinstance(sample, bool) or not isinstance(sample, int) or sample < 1):
        raise ValidationError("sample", repr(sample), expected="a positive number of boxes", fix="e.g. --sample 2000")
    if isinstance(sample_seed, bool) or not isinstance(sample_seed, int) or sample_seed < 0:
        raise ValidationError("sample_seed", repr(sample_seed), expected="an integer ≥ 0", fix="e.g. --sample-seed 1")
    data = load_certificate(src, max_bytes)
    try:
        run = _CHECKERS[data["kind"]]
        with cost_limit(max_cost):
            verdicts = run(data, progress, kernel, workers, sample, sample_seed) if run is check_critical \
                else run(data, progress)
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError, ArithmeticError, RecursionError,
            MemoryError, QnnsymError) as e:
        verdicts = [Verdict("certificate is well formed", False, f"{type(e).__name__}: {e}")]
    return sanitized(verdicts or [Verdict("the certificate makes a claim", False, "no claim to check")])


def _check_one(path: str, progress: bool, kernel: str = "auto", max_cost: int | None = None,
               max_bytes: int | None = None, workers: int = 1, sample: int | None = None,
               sample_seed: int = 0) -> tuple[list[Verdict] | None, str | None, float]:
    """Check one file (in a worker process): ``(verdicts, error, seconds)``."""
    t0 = time.perf_counter()
    try:
        return check_certificate(path, progress=progress, kernel=kernel, max_cost=max_cost, max_bytes=max_bytes,
                                 workers=workers, sample=sample, sample_seed=sample_seed), \
            None, time.perf_counter() - t0
    except CertificateError as e:   # named after the file: "cert.json: format: ..."
        msg = str(e)
        return None, printable(msg if msg.startswith(path) else f"{path}: {msg}"), time.perf_counter() - t0


#: the signals a worker ignores (its parent stops the batch and kills it)
_STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


def _worker(conn, path: str, progress: bool, kernel: str, max_cost: int | None, max_bytes: int | None,
            workers: int = 1, sample: int | None = None, sample_seed: int = 0) -> None:
    """Body of a per-file process: check ``path``, send ``(verdicts, error, seconds)`` and exit.

    Ctrl-C goes to the whole process group: the worker ignores it (the parent stops the batch and kills
    its workers), so an interrupt prints no worker traceback.  Anything the check raises becomes an
    error for this file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)   # blocked by the parent across the fork
    t0 = time.perf_counter()
    try:
        res = _check_one(path, progress, kernel, max_cost, max_bytes, workers, sample, sample_seed)
    except BaseException as e:      # noqa: BLE001 -- a crash of this file's check, reported as its verdict
        res = (None, printable(f"{path}: the checker failed on this file ({type(e).__name__}: {e})"),
               time.perf_counter() - t0)
    try:
        conn.send(res)
    finally:
        conn.close()


def _death(path: str, exitcode: int | None) -> str:
    """The error of a file whose worker ended without a result."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        why = f"killed by {name}" + (" (the out-of-memory killer sends it)" if -exitcode == signal.SIGKILL else "")
    else:
        why = f"exited with status {exitcode} without a verdict"
    return printable(f"{path}: the checker process was {why}; no verdict for this file")


def check_files(paths: Sequence[str | Path], progress: bool = False, workers: int | None = None, kernel: str = "auto",
                max_cost: int | None = None, max_bytes: int | None = None, sample: int | None = None,
                sample_seed: int = 0):
    """Check several certificate files, each in its own process, so that no file can influence another.

    Every file is checked in a child process forked from this (clean) one and discarded afterwards:
    whatever one check does to the interpreter — python-flint's working precision, caches, or anything
    else — is gone before the next file.  Up to ``workers`` files run at once (default: the number of
    CPUs, at most 2); a single file gets the ``workers`` for the re-proofs of its boxes instead
    (:func:`check_certificate`).  A file whose process crashes or is killed (e.g. ``SIGKILL`` by the out-of-memory
    killer) gets an error naming the signal, and the batch goes on: every other file is reported.
    On Ctrl-C (``KeyboardInterrupt``) the running workers are killed before the interrupt propagates.
    ``kernel``, ``max_cost``, ``max_bytes``, ``sample`` and ``sample_seed`` are those of :func:`check_certificate`.

    Yields
    ------
    (path, verdicts or None, error or None, seconds)
        In the order of ``paths``; ``error`` (a :func:`~.common.printable` line) when the file is not a
        well-formed certificate or its check did not finish.
    """
    import multiprocessing as mp
    import os
    from collections import deque
    from multiprocessing.connection import wait

    paths = [str(p) for p in paths]
    if not paths:
        return
    n = workers or min(2, os.cpu_count() or 1, len(paths))
    inner = workers if workers and len(paths) == 1 else 1    # a worker with a pool of its own is no daemon
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    todo = deque(enumerate(paths))
    running: dict[int, tuple] = {}        # index -> (process, receiving end, start time)
    done: dict[int, tuple] = {}
    nxt = 0
    try:
        while nxt < len(paths):
            while todo and len(running) < n:
                i, p = todo.popleft()
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_worker, args=(send, p, progress, kernel, max_cost, max_bytes, inner, sample,
                                                             sample_seed),
                                   daemon=inner == 1)
                # a Ctrl-C right at the fork must not reach the child before it ignores SIGINT (it would
                # print a traceback): blocked here, it stays pending for the parent and is cleared in the child
                mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
                try:
                    proc.start()
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                send.close()
                running[i] = (proc, recv, time.perf_counter())
            ready = set(wait([r for _, r, _ in running.values()] + [pr.sentinel for pr, _, _ in running.values()]))
            for i, (proc, recv, t0) in list(running.items()):
                if recv not in ready and proc.sentinel not in ready:
                    continue
                try:
                    res = recv.recv()
                except (EOFError, OSError):
                    res = None
                proc.join()
                recv.close()
                del running[i]
                done[i] = (paths[i],) + tuple(res) if res is not None else \
                    (paths[i], None, _death(paths[i], proc.exitcode), time.perf_counter() - t0)
            while nxt in done:
                yield done.pop(nxt)
                nxt += 1
    finally:
        for proc, recv, _ in running.values():
            if proc.is_alive():
                proc.kill()
            proc.join()
            recv.close()


def format_verdicts(verdicts: list[Verdict], name: str = "") -> str:
    """Human-readable verdict lines: ``ok   claim — detail`` / ``FAIL claim — detail``; the last line is
    ``NAME: ACCEPTED (k/k claims verified)`` or ``NAME: REJECTED (…)``; ``ACCEPTED (sampled check: k/k claims
    verified)`` after a sampled check (:func:`is_sampled`).  Every text is
    :func:`~.common.printable`, so each verdict is exactly one line and no file can forge the last one."""
    lines = [f"{'ok  ' if v.ok else 'FAIL'} {printable(v.claim)}" + (f" — {printable(v.detail)}" if v.detail else "")
             for v in verdicts]
    n_bad = sum(not v.ok for v in verdicts)
    head = f"{printable(name)}: " if name else ""
    scope = "sampled check: " if is_sampled(verdicts) else ""
    lines.append(f"{head}{'ACCEPTED' if n_bad == 0 else 'REJECTED'} ({scope}{len(verdicts) - n_bad}/{len(verdicts)} "
                 "claims verified)")
    return "\n".join(lines)


def is_sampled(verdicts: list[Verdict]) -> bool:
    """Whether the verdicts are those of a sampled check (their first claim is :data:`.common.SAMPLED_SCOPE`).

    >>> is_sampled([Verdict(SAMPLED_SCOPE, True)]), is_sampled([Verdict("x", True)]), is_sampled([])
    (True, False, False)
    """
    return bool(verdicts) and verdicts[0].claim == SAMPLED_SCOPE


_CHECKERS: dict[str, Callable[[dict, bool], list[Verdict]]] = {
    "symbolic-identities": check_identities,
    "pauli-expansion": check_pauli,
    "critical-points": check_critical,
    "fourier-degree": check_fourier,
    "real-exhaustion": check_exhaustion,
    "global-minimum": check_global_minimum,
    "degenerate-exhaustion": check_degenerate,
}
