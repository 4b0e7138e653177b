"""All exceptions raised by qnnsym, in one place (like ``sympy.polys.polyerrors``).

Every error names the *field* that is wrong, what was *expected*, and, where one
exists, the *fix*.  The CLI prints ``str(error)`` and exits with status 2; no raw
traceback from deep inside sympy or numpy reaches a user.
"""
from __future__ import annotations

__all__ = [
    "QnnsymError",
    "ValidationError",
    "InstanceFileError",
    "PositiveDimensionalError",
    "DegenerateError",
    "TimeBudgetExceeded",
    "JobTooLarge",
    "BackendUnavailable",
    "CertificateError",
    "QnnsymWarning",
    "InstanceFileWarning",
    "InteropError",
    "InteropWarning",
]


class QnnsymError(Exception):
    """Base class of every error raised on purpose by qnnsym."""


class ValidationError(QnnsymError, ValueError):
    """Bad input: a field does not satisfy a precondition.

    Parameters
    ----------
    field : str
        Dotted path of the offending field, e.g. ``"dataset.samples[2].state"``.
    problem : str
        What is wrong, e.g. ``"trace is 3/2"``.
    expected : str, optional
        What was expected, e.g. ``"a density matrix with trace 1"``.
    fix : str, optional
        How to fix it.

    Examples
    --------
    >>> e = ValidationError("qnn.gates[0].generator", "H^2 != I", expected="a two-level generator", fix="rescale H")
    >>> print(e)
    qnn.gates[0].generator: H^2 != I (expected a two-level generator; fix: rescale H)
    """

    def __init__(self, field: str, problem: str, expected: str | None = None, fix: str | None = None):
        self.field = field
        self.problem = problem
        self.expected = expected
        self.fix = fix
        extra = []
        if expected:
            extra.append(f"expected {expected}")
        if fix:
            extra.append(f"fix: {fix}")
        msg = f"{field}: {problem}"
        if extra:
            msg += " (" + "; ".join(extra) + ")"
        super().__init__(msg)


class InstanceFileError(ValidationError):
    """A malformed instance file (JSON); ``field`` is the JSON path."""


class PositiveDimensionalError(QnnsymError):
    """The critical set is not finite (a curve, a surface, or everything).

    Attributes
    ----------
    dimension : int or None
        Krull dimension of the critical ideal when known.
    """

    def __init__(self, message: str, dimension: int | None = None):
        self.dimension = dimension
        super().__init__(message)


class DegenerateError(QnnsymError):
    """A degenerate critical point where a non-degenerate one was required."""


class TimeBudgetExceeded(QnnsymError):
    """A computation ran past its ``time_limit``; ``partial`` holds what is known."""

    def __init__(self, message: str, partial: object | None = None):
        from .stops import note

        self.partial = partial
        note("time limit")        # the command line exits with status 3 (qnnsym.stops)
        super().__init__(message)


class JobTooLarge(ValidationError):
    """A job whose estimated size (terms, points, memory) is out of reach; refused before it starts.

    ``size`` and ``limit`` are the estimate and the limit it exceeds (same unit).
    """

    def __init__(self, field: str, problem: str, size: int, limit: int, fix: str | None = None):
        self.size, self.limit = size, limit
        super().__init__(field, problem, expected="a smaller job", fix=fix)


class BackendUnavailable(QnnsymError):
    """An optional engine (msolve, PHCpack, matplotlib, ...) is not installed."""


class CertificateError(QnnsymError):
    """A certificate file is malformed (not: a claim was rejected; see the checker's verdicts)."""


class QnnsymWarning(UserWarning):
    """Base class of the warnings qnnsym issues (the CLI prints them as ``warning: ...`` lines)."""


class InstanceFileWarning(QnnsymWarning):
    """Something in an instance file is ignored (e.g. an unknown key: a typo in an optional field)."""


class InteropError(ValidationError):
    """A circuit, observable or dataset from another tool (Qiskit, PennyLane, OpenQASM) that qnnsym
    cannot represent: an unsupported gate (the message names it and lists the supported ones), a
    parameter shared by two gates, a missing observable or dataset."""


class InteropWarning(QnnsymWarning):
    """An import or export loses exactness (a fixed angle with irrational cos/sin, a float matrix)."""
