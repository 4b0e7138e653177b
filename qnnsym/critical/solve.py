"""``solve_critical``: the exact real critical points of a loss on one period (Sect. 5)."""
from __future__ import annotations

from ..errors import PositiveDimensionalError, ValidationError
from ..exact.trigpoly import TrigPoly
from .backends import resolve_backend
from .backends.common import Budget
from .result import SolveResult
from .system import critical_system

__all__ = ["AUTO_EXACT_LIMIT", "AUTO_HOMOTOPY_BOUND", "finite_critical_points", "solve_critical"]

#: with ``backend="auto"``, an msolve result that is not proven complete (e.g. multiple roots) is
#: redone exactly with sympy when the multihomogeneous bound is at most this (sympy's comfort zone)
AUTO_EXACT_LIMIT = 64

#: with ``backend="auto"``, systems whose multihomogeneous bound exceeds this go to the certified
#: homotopy: an exact solve of a dense p = 4 system (bound 6144) takes msolve hours, while p = 3
#: (bound 384) takes seconds
AUTO_HOMOTOPY_BOUND = 1000


def solve_critical(loss: TrigPoly, backend: str = "auto", time_limit: float | None = None,
                   progress: bool = False, workers: int | None = None, seed: int = 0, clock=None,
                   max_boxes: int | None = None) -> SolveResult:
    """Solve the cs critical-point system of ``loss`` and isolate its real solutions exactly.

    Parameters
    ----------
    loss : TrigPoly
        Exact loss (e.g. :func:`qnnsym.loss_poly` of an instance, or one block of it).
    backend : {"auto", "sympy", "msolve", "homotopy", "exhaustion"}
        ``sympy``: Gröbner basis + exact RUR, certification "exact".  ``msolve``: msolve's
        parametrization verified exactly ("verified parametrization" when complete, else "modular").
        ``homotopy``: certified homotopy continuation (certification "numeric": every solution in a
        Krawczyk-certified box; complete only when the count reaches the bound).
        ``exhaustion``: branch-and-prune cover of the real torus (certification "certified (real
        exhaustion)": the real list is complete for any loss with nondegenerate critical points,
        whatever the complex count; complex solutions are not counted).
        ``auto``: ``homotopy`` when the multihomogeneous bound exceeds :data:`AUTO_HOMOTOPY_BOUND`
        (an exact solve is out of reach there), else msolve when installed, else sympy; an
        incomplete msolve result of a small system (bound ≤ :data:`AUTO_EXACT_LIMIT`) is redone with
        sympy.  The choice and its reason are the first note of the result.
    time_limit : float, optional
        Seconds; exceeded → :class:`~qnnsym.errors.TimeBudgetExceeded` whose ``partial`` holds what
        is known (dimension, counts).
    progress : bool
        Show the current step on stderr (tqdm).
    workers : int, optional
        Homotopy only: worker processes tracking batches of paths (default: every core).
    seed : int
        Homotopy only: seed of the start system and of ``γ`` (reproducible).
    clock : callable, optional
        The clock ``time_limit`` is measured on (default ``time.perf_counter``). A deterministic
        clock (one that advances per reading) starves a run after a fixed amount of work, whatever the
        machine's speed: tests use it.
    max_boxes : int, optional
        Exhaustion only: stop after this many boxes (incomplete result).

    Returns
    -------
    SolveResult
        ``dimension > 0`` (and no points) for a positive-dimensional critical set.

    Raises
    ------
    ValidationError
        Float loss, unknown backend, non-positive time limit.
    BackendUnavailable
        ``msolve`` requested but not installed.
    TimeBudgetExceeded
        The time limit was reached.

    Examples
    --------
    ``L = sin²φ + (cos φ − 1)²/4`` (Proposition 5, one parameter, ``r = 1/2``): critical points at
    ``φ ∈ {0, π}`` (minima) and two maxima.

    >>> from fractions import Fraction as F
    >>> L = TrigPoly(1, {(0,): F(7, 8), (1,): F(-1, 2), (2,): F(-3, 8)})
    >>> res = solve_critical(L, backend="sympy")
    >>> res.certification, res.n_complex, res.n_real, res.complete
    ('exact', 4, 4, True)
    >>> sorted(round(float(pt.approx()[0]), 4) for pt in res.real_points)
    [0.0, 0.9553, 1.5708, 2.1863]
    """
    if time_limit is not None and not time_limit > 0:
        raise ValidationError("time_limit", f"{time_limit!r}", expected="a positive number of seconds, or None")
    system = critical_system(loss)
    name = resolve_backend(backend)
    bound = system.bounds()["multihomogeneous"]
    if backend == "homotopy" or (backend == "auto" and bound > AUTO_HOMOTOPY_BOUND):
        name = "homotopy"
    if backend == "exhaustion":
        name = "exhaustion"
    budget = Budget(time_limit, progress and name not in ("homotopy", "exhaustion"),
                    label=f"critical points ({name}, p={loss.p})", clock=clock)
    try:
        if name == "exhaustion":
            from .backends.exhaustion_backend import solve_exhaustion
            return solve_exhaustion(system, budget, workers=workers, progress=progress, max_boxes=max_boxes)
        if name == "homotopy":
            from .backends.homotopy_backend import solve_homotopy
            res = solve_homotopy(system, budget, workers=workers, seed=seed, progress=progress)
            if backend == "auto":
                res.notes.insert(0, f"auto: multihomogeneous bound {bound} > {AUTO_HOMOTOPY_BOUND}, an exact solve is out "
                                    "of reach: certified homotopy (level 'numeric')")
            return res
        if name == "msolve":
            from .backends.msolve_backend import solve_msolve
            res = solve_msolve(system, budget)
            if backend != "auto" or res.complete or res.dimension != 0 \
                    or system.bounds()["multihomogeneous"] > AUTO_EXACT_LIMIT:
                return res
            budget.known.update(msolve=res.summary())
            note = (f"auto: msolve's result was only {res.certification!r} ({'; '.join(res.notes)}); "
                    "re-solved exactly with sympy")
        else:
            note = None
        from .backends.sympy_backend import solve_sympy
        res = solve_sympy(system, budget)
        if note:
            res.notes.insert(0, note)
        return res
    finally:
        budget.close()


def finite_critical_points(loss: TrigPoly, backend: str = "auto", time_limit: float | None = None) -> SolveResult:
    """Like :func:`solve_critical` but raise when the critical set is not finite.

    Raises
    ------
    PositiveDimensionalError
        The critical set has positive dimension (e.g. a constant loss, or one not depending on
        some ``θ_l``); ``.dimension`` holds it.

    Examples
    --------
    >>> finite_critical_points(TrigPoly(2, {(1, 0): 1}), backend="sympy")
    Traceback (most recent call last):
    ...
    qnnsym.errors.PositiveDimensionalError: the critical set of the loss is positive-dimensional (dimension 1): it is not a finite list of points
    """
    res = solve_critical(loss, backend, time_limit)
    if res.dimension > 0:
        raise PositiveDimensionalError(f"the critical set of the loss is positive-dimensional (dimension {res.dimension}): "
                                       "it is not a finite list of points", res.dimension)
    return res
