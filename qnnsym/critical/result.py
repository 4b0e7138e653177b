"""The result of a solve: what a backend proves about the critical set of one loss (one block).

:class:`SolveResult` is what :func:`qnnsym.critical.solve.solve_critical` and every backend return;
its ``certification`` is one of :data:`CERTIFICATION_LEVELS` (docs/math.md "Certification levels").
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SolveResult", "CERTIFICATION_LEVELS"]

#: certification levels of docs/math.md "Certification levels", strongest first
CERTIFICATION_LEVELS = ("exact", "verified parametrization", "modular", "certified (real exhaustion)",
                        "certified (real exhaustion, degenerate)", "verified (coefficients enclosed to 2^-k)", "numeric")


@dataclass
class SolveResult:
    """What a solving backend proves about the critical set of one loss (one block).

    Attributes
    ----------
    p, omega : int, tuple of int
        Parameters and base frequencies of the loss.
    form : str
        ``"cs"`` (the system actually solved; the tan form is exposed by :mod:`.system`).
    backend, engine_version : str
        E.g. ``"sympy"``, ``"sympy 1.14.0 + python-flint 0.9.0"``; ``"msolve"``, ``"msolve 0.9.x"``.
    certification : str
        One of :data:`CERTIFICATION_LEVELS` (docs/math.md "Certification levels").
    dimension : int
        Krull dimension of the complex critical set; ``0`` = finite.  When ``> 0`` the critical set is
        positive-dimensional: ``real_points`` is empty and ``notes`` says so — never a finite list.
    n_complex : int or None
        Distinct complex solutions of the cs system (None if unknown / positive-dimensional).
    n_complex_multiplicity : int or None
        Solutions counted with multiplicity (number of standard monomials), when known.
    bounds : dict
        ``{"bezout": (4p)^p-type bound from the actual degrees, "multihomogeneous": p!·4^p-type}``.
    real_points : list of AlgebraicPoint (or certified boxes, for numeric levels)
        All real solutions (each one critical point of ``L`` on the period torus), sorted.
    eliminant, parametrization : object or None
        Evidence for certificates: ``eliminant`` the coefficient list of ``q`` (low → high, the full
        square-free eliminant), ``parametrization`` ``{"linear_form", "numerators", "denominator"}``.
    complete : bool
        True when the list of real points is proven complete.
    timings : dict
        Seconds per step.
    notes : list of str
        Human-readable remarks (e.g. why a level was downgraded).
    system : object or None
        The :class:`~qnnsym.critical.system.CriticalSystem` that was solved.
    boxes : dict or None
        Homotopy evidence: the certified polydiscs (``mid``, ``radius``), the chart ``rotation``, the
        ``degree_matrix``, the ``bound`` and tracking ``stats``.
    """

    p: int
    omega: tuple[int, ...]
    form: str
    backend: str
    engine_version: str
    certification: str
    dimension: int
    n_complex: int | None
    bounds: dict
    real_points: list = field(default_factory=list)
    eliminant: object | None = None
    parametrization: object | None = None
    complete: bool = False
    timings: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    n_complex_multiplicity: int | None = None
    system: object | None = None
    boxes: dict | None = None

    @property
    def n_real(self) -> int:
        """Number of real critical points found (all of them when ``complete``)."""
        return len(self.real_points)

    def summary(self) -> dict:
        """JSON-ready summary (no points)."""
        return {"p": self.p, "form": self.form, "backend": self.backend, "engine_version": self.engine_version,
                "certification": self.certification, "dimension": self.dimension, "n_complex": self.n_complex,
                "n_complex_multiplicity": self.n_complex_multiplicity, "n_real": self.n_real,
                "bounds": dict(self.bounds), "complete": self.complete,
                "timings": {k: round(v, 4) for k, v in self.timings.items()}, "notes": list(self.notes)}
