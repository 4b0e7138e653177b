"""``solve_critical``: the exact real critical points of a loss on one period (Sect. 5)."""
from __future__ import annotations

import warnings

from ..errors import PositiveDimensionalError, TimeBudgetExceeded, ValidationError
from ..exact.trigpoly import TrigPoly
from .backends import resolve_backend
from .backends.common import Budget
from .result import SolveResult
from .route import AUTO_EXACT_SECONDS, choose_route, completion_route, hidden_backends, rank_routes, slow_route_fix
from .system import critical_system

__all__ = ["DIMENSION_CHECK_SECONDS", "SLOW_WARNING_SECONDS", "finite_critical_points", "solve_critical"]

#: an explicitly requested route predicted to take longer than this warns, naming the faster routes
SLOW_WARNING_SECONDS = 600.0
#: before ``auto`` runs the homotopy, msolve's leading ideal modulo a prime may show the critical set
#: positive-dimensional (the homotopy's paths would then end nowhere and use the whole time limit: a reduced
#: over-parameterised circuit with a non-linear degeneracy, p = 4, spent 120 s and certified 0 of 6144 paths);
#: it is stopped after this many seconds (0.6 s there)
DIMENSION_CHECK_SECONDS = 5.0


def solve_critical(loss: TrigPoly, backend: str = "auto", time_limit: float | None = None,
                   progress: bool = False, workers: int | None = None, seed: int = 0, clock=None,
                   max_boxes: int | None = None, executor="local", scheduler: str | None = None,
                   checkpoint=None, resume: bool = False) -> SolveResult:
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
        ``auto``: the route chosen by :func:`qnnsym.critical.route.choose_route` from an estimate of
        each installed route's cost (multihomogeneous bound, parameters): the fastest exact route
        predicted within :data:`~qnnsym.critical.route.AUTO_EXACT_SECONDS` (and ``time_limit``),
        else the fastest route (the homotopy for dense p ≥ 3 without msolve, p ≥ 4 with it); an
        incomplete msolve result is redone with sympy when sympy is predicted affordable.  The choice,
        its estimates and its reason are the first note of the result.
        ``exhaustion``: branch-and-prune cover of the real torus (certification "certified (real
        exhaustion)": the real list is complete for any loss with nondegenerate critical points,
        whatever the complex count; complex solutions are not counted).  ``auto`` never chooses it
        first; it *completes* with it a block whose chosen route ended incomplete with a finite
        critical set (non-generic: complex count below the bound, or homotopy paths unresolved) when
        :func:`~qnnsym.critical.route.completion_route` predicts it affordable (within the time left,
        else :data:`~qnnsym.critical.route.AUTO_EXACT_SECONDS`); the first note then says
        ``non-generic (N of B): real table completed by exhaustion``.
    time_limit : float, optional
        Seconds; exceeded → :class:`~qnnsym.errors.TimeBudgetExceeded` whose ``partial`` holds what
        is known (dimension, counts); its message names the fix (a faster route, installing msolve,
        or a larger limit).
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
    executor, scheduler, checkpoint, resume
        Homotopy only: where its path batches run (``"local"``, ``"dask"`` or an
        :class:`~qnnsym.executor.Executor`; ``scheduler`` a Dask address) and the folder of its per-batch
        checkpoints (``resume`` continues the run stored there); see
        :func:`~qnnsym.critical.backends.homotopy_backend.solve_homotopy`.

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
    bound = system.bounds()["multihomogeneous"]
    note = None
    run = {"executor": executor, "scheduler": scheduler, "checkpoint": checkpoint, "resume": resume}
    if backend == "auto":
        choice = choose_route(bound, loss.p, time_limit)
        name, note = choice.name, choice.reason
    else:
        name = resolve_backend(backend)
        predicted = dict((r.name, s) for r, s in rank_routes(bound, loss.p)).get(name, 0.0)
        if predicted > SLOW_WARNING_SECONDS and (time_limit is None or predicted > time_limit):
            warnings.warn(f"backend {name!r} is predicted to take ~{predicted / 60:.0f} min on this system (multihomogeneous "
                          f"bound {bound}); faster: {slow_route_fix(name, bound, loss.p, None)}", stacklevel=2)
    budget = Budget(time_limit, progress and name not in ("homotopy", "exhaustion"), label=f"critical points ({name}, p={loss.p})",
                    clock=clock)
    try:
        if backend == "auto" and name == "homotopy" and "msolve" not in hidden_backends():
            from .backends.msolve_backend import positive_dimension

            left = budget.remaining()
            pos = positive_dimension(system, DIMENSION_CHECK_SECONDS if left is None else
                                     min(DIMENSION_CHECK_SECONDS, left))
            if pos is not None:
                pos.notes.insert(0, f"{note}; not run: msolve's dimension check found the critical set "
                                    "positive-dimensional first")
                return pos
        res = _solve_with(name, system, budget, workers, seed, progress, max_boxes, run)
        if backend == "auto" and name == "msolve" and not res.complete and res.dimension == 0:
            left = budget.remaining()
            sympy_s = dict((r.name, s) for r, s in rank_routes(bound, loss.p)).get("sympy", float("inf"))
            if sympy_s <= AUTO_EXACT_SECONDS and (left is None or sympy_s <= left):
                budget.known.update(msolve=res.summary())
                note += (f"; msolve's result was only {res.certification!r} ({'; '.join(res.notes)}): "
                         "re-solved exactly with sympy")
                res = _solve_with("sympy", system, budget, workers, seed, progress, max_boxes)
        if name == "homotopy" and not res.complete and res.dimension == 0 and res.boxes is not None:
            res = _decide_dimension(res, system, budget, bound, loss.p, workers, seed)
        if backend == "auto" and not res.complete and res.dimension == 0:
            res, note = _complete_by_exhaustion(res, note, system, budget, bound, loss.p, workers, max_boxes)
        if note:
            res.notes.insert(0, note)
        return res
    except TimeBudgetExceeded as e:
        raise TimeBudgetExceeded(f"{e} (fix: {slow_route_fix(name, bound, loss.p, time_limit)})", e.partial) from None
    finally:
        budget.close()


def _decide_dimension(res: SolveResult, system, budget: Budget, bound: int, p: int, workers, seed: int) -> SolveResult:
    """An incomplete homotopy result whose paths ended unresolved may come from a positive-dimensional
    critical set (paths end on a curve, singular: no Krawczyk box).  When an exact route is predicted
    affordable (within :data:`~qnnsym.critical.route.AUTO_EXACT_SECONDS` and the time left), it decides:
    a positive dimension replaces the result (exit 4 on the command line); otherwise the homotopy's
    result stands, with a note."""
    left = budget.remaining()
    if left is not None and left <= 0:
        return res
    exact = [(r, s) for r, s in rank_routes(bound, p) if r.level != "numeric" and s <= AUTO_EXACT_SECONDS
             and (left is None or s <= left)]
    if not exact:
        return res
    route = exact[0][0]
    alt = _solve_with(route.name, system, budget, workers, seed, False)
    if alt.dimension > 0:
        alt.notes.insert(0, f"homotopy: {res.notes[0]}; {route.name} decided why: the critical set is "
                            f"positive-dimensional (dimension {alt.dimension})")
        return alt
    res.notes.append(f"{route.name} found the critical set finite (dimension 0); the unresolved paths are singular "
                     "or ill-conditioned solutions")
    return res


def _complete_by_exhaustion(res: SolveResult, note: str, system, budget: Budget, bound: int, p: int, workers,
                            max_boxes) -> tuple[SolveResult, str]:
    """An incomplete finite result of ``auto``'s route (non-generic: fewer complex solutions than the
    bound, or paths unresolved) is replaced by the exhaustion's real table when that is predicted
    affordable and comes out complete; otherwise the result stands, with a note."""
    if res.backend == "homotopy":   # paths unresolved: fewer solutions than the bound, or ill-conditioned ones
        count = f"non-generic or unresolved paths ({(res.boxes or {}).get('n_certified', '?')} of {bound} certified)"
    else:
        count = f"non-generic ({res.n_complex if res.n_complex is not None else '?'} of {bound})"
    left = budget.remaining()
    pick = None if left is not None and left <= 0 else completion_route(bound, p, left)
    if pick is None:
        res.notes.append(f"{count}: real exhaustion not attempted (predicted past "
                         f"{'the time left' if left is not None else f'{AUTO_EXACT_SECONDS:g} s'}); "
                         "use --backend exhaustion")
        return res, note
    route, secs = pick
    alt = _solve_with(route.name, system, budget, workers, 0, False, max_boxes)
    if not alt.complete or alt.dimension:
        res.notes.append(f"{count}: real exhaustion (predicted {secs:.2g} s) did not complete "
                         f"({alt.notes[0] if alt.notes else 'no result'}); the {res.backend} result stands")
        return res, note
    if res.eliminant is not None and res.parametrization is not None and len(res.real_points) == len(alt.real_points) \
            and any("parametrization verified exactly" in n for n in res.notes):
        # the exact points are distinct real critical points (verified parametrization), the cover proves there are
        # exactly that many: the exact list is the complete real list (values and kinds stay exact)
        res.complete, res.certification = True, "exact" if res.backend == "sympy" else "verified parametrization"
        res.notes.append(f"real list complete: a real exhaustion of the torus proves exactly {len(alt.real_points)} "
                         f"real critical points, the {len(res.real_points)} exact ones ({alt.notes[0] if alt.notes else ''})")
        return res, (f"{note}; {count}: exact real list proven complete by exhaustion (predicted {secs:.2g} s)")
    alt.notes.append(f"{res.backend} before it: " + "; ".join(res.notes[:1]))
    return alt, (f"{note}; {count}: real table completed by exhaustion (level {route.level!r}, "
                 f"predicted {secs:.2g} s)")


def _solve_with(name: str, system, budget: Budget, workers, seed: int, progress: bool,
                max_boxes: int | None = None, run: dict | None = None) -> SolveResult:
    """Run one route on ``system`` (``run``: the homotopy's executor and checkpoint arguments)."""
    if name == "exhaustion":
        from .backends.exhaustion_backend import solve_exhaustion
        return solve_exhaustion(system, budget, workers=workers, progress=progress, max_boxes=max_boxes)
    if name == "homotopy":
        from .backends.homotopy_backend import solve_homotopy
        return solve_homotopy(system, budget, workers=workers, seed=seed, progress=progress, **(run or {}))
    if name == "msolve":
        from .backends.msolve_backend import solve_msolve
        return solve_msolve(system, budget)
    from .backends.sympy_backend import solve_sympy
    return solve_sympy(system, budget)


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
