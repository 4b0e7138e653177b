"""The ``exhaustion`` backend: real critical points by branch-and-prune on the torus (level
``certified (real exhaustion)``, docs/certification-levels.md).

The cover of :func:`qnnsym.critical.exhaustion.exhaust` proves the real list complete for any loss
whose real critical points are nondegenerate, whatever its complex count (non-generic systems,
count below the multihomogeneous bound).  It says nothing about complex solutions
(``n_complex`` is None).  Near a degenerate critical point it stops at a minimum box width and
reports the unresolved volume; under a time or box budget it returns what it has (incomplete).
"""
from __future__ import annotations

import math

from ..boxpoint import ExhaustionPoint
from ..exhaustion import exhaust
from ..result import SolveResult
from .common import Budget

__all__ = ["LEVEL", "available", "engine_version", "solve_exhaustion"]

#: the certification level of a complete exhaustion
LEVEL = "certified (real exhaustion)"


def available() -> bool:
    return True


def engine_version() -> str:
    import numpy as np

    from ..._version import __version__

    return f"qnnsym {__version__} exhaustion (numpy {np.__version__})"


def solve_exhaustion(system, budget: Budget, workers: int | None = None, progress: bool = False,
                     max_boxes: int | None = None, min_width_bits: int = 24, radii: dict | None = None) -> SolveResult:
    """Exhaust the torus of one block's loss (see :mod:`qnnsym.critical.exhaustion`).

    Parameters
    ----------
    system : CriticalSystem
        Its ``loss`` is used (the gradient is differentiated exactly from it).
    budget : Budget
        Time limit: the result is then incomplete, with the unresolved fraction of the torus.
    workers : int, optional
        Processes for the exclusion tests (default 1).
    max_boxes : int, optional
        Box budget (a deterministic starvation, for tests).
    min_width_bits : int
        Minimum box width ``2^-bits`` turns: narrower undecided boxes are reported, not split.
    radii : dict, optional
        Coefficient radii ``{h: ε_h}``: the cover holds for every loss in the enclosure (the caller sets
        the level, :func:`qnnsym.critical.table.critical_table`).
    """
    loss = system.loss
    p = loss.p
    res = SolveResult(p=p, omega=tuple(loss.omega), form="cs", backend="exhaustion", engine_version=engine_version(),
                      certification=LEVEL, dimension=0, n_complex=None, bounds=system.bounds(), system=system)
    zero = [l for l, g in enumerate(system.gradient) if not g]
    if zero:
        res.dimension = 1
        res.notes.append(f"g_{zero[0] + 1} ≡ 0: L does not depend on θ_{zero[0] + 1}; the critical set is "
                         "positive-dimensional (whole circles), not a finite list")
        return res
    with budget.step("exhaustion"):
        cov = exhaust(loss, budget, max_boxes=max_boxes, min_width_bits=min_width_bits,
                      workers=1 if workers is None else max(1, int(workers)), progress=progress, radii=radii)
    res.real_points = [ExhaustionPoint(p, tuple(loss.omega), tuple(float(x) for x in c), tuple(float(x) for x in r),
                                       loss, j) for j, (c, r) in enumerate(cov.points)]
    res.real_points.sort(key=lambda pt: tuple(pt.centre))
    res.complete = cov.complete
    res.boxes = {"cover": cov}
    res.timings = dict(budget.timings)
    st = cov.stats
    if cov.complete:
        res.notes.append(f"exhaustion: the torus is covered by {st['excluded']} excluded boxes (0 ∉ ∇L) and "
                         f"{st['inclusion']} Krawczyk inclusion boxes; {len(cov.points)} real critical points, "
                         "the list is complete (whatever the complex count, which is not computed)")
    else:
        res.notes.append(f"incomplete: {cov.reason}; {len(cov.unresolved)} boxes unresolved, "
                         f"{cov.unresolved_volume:.3g} of the torus's volume — the real list may miss points there")
        if cov.unresolved:
            from ..exhaustion import leaf_box

            shown = []
            for d, k in cov.unresolved[:3]:
                box = leaf_box(d, k, p)
                shown.append(" × ".join(f"[{float(2 * math.pi * lo / w):.6g}, {float(2 * math.pi * hi / w):.6g}]"
                                        for (lo, hi), w in zip(box, loss.omega)))
            res.notes.append("unresolved region (θ, radians): " + "; ".join(shown)
                             + (f"; … ({len(cov.unresolved) - 3} more boxes)" if len(cov.unresolved) > 3 else ""))
    res.notes.append(f"exhaustion: {st['boxes']} boxes, depth {st['depth']}, {st['seconds']:.2f} s")
    return res
