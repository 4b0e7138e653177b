"""Exact tables of critical points: :class:`CriticalTable` and :func:`critical_table` (Sect. 5).

:func:`critical_table` splits the loss into the independent blocks of its interaction graph
(:mod:`qnnsym.landscape`, docs/math.md "Separable structure"), solves each block once with
:func:`~qnnsym.critical.solve.solve_critical` (identical block polynomials are solved once),
classifies its points (:mod:`.classify`) and combines the blocks: the critical set of ``L`` is the
product of the blocks' critical sets, indices add, loss values add, a point is global iff every
component is.  Counts by index and by loss level are therefore convolutions of the blocks'
distributions; when the product would be longer than ``max_points`` rows, the table reports those
aggregated counts instead of listing points (e.g. ``4^16`` critical points of the Proposition-5
instance at ``p = 16``).

The table states its certification level (the weakest of its blocks, docs/math.md "Certification
levels"), the engines and versions, whether the list is complete, and — after a timeout or an
interruption — what is known so far.
"""
from __future__ import annotations


import itertools
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

from ..errors import PositiveDimensionalError, TimeBudgetExceeded, ValidationError
from ..exact.trigpoly import TrigPoly
from ..landscape.interaction import independent_blocks
from ..landscape.redundancy import reduce_loss
from .classify import (
    ClassifiedPoint,
    LossData,
    classify_points,
    fmt_interval,
    morse_checks,
)
from .result import CERTIFICATION_LEVELS
from .blockproduct import (
    MAX_LEVELS,
    Interval,
    _counts,
    _few_levels,
    _iv_json,
    _level_display,
    _level_rows,
    _product_distribution,
    _product_point,
)
from .components import settle_degenerate_points
from .points import points_json

__all__ = ["BlockResult", "CriticalTable", "critical_table", "table_from_blocks", "classify", "MAX_POINTS"]

#: above this many critical points a table reports aggregated counts instead of a list
MAX_POINTS = 10_000
#: the certification of a table of which no block was solved (e.g. a time limit reached first)
NO_CERTIFICATION = "none"

#: the counts of a table (``None`` each when unknown: positive-dimensional or partial)
COUNT_KEYS = ("minima", "global_minima", "spurious_minima", "saddles", "maxima", "degenerate", "undecided_global",
              "by_index")


@dataclass
class BlockResult:
    """One independent block: its parameters, loss, solve result and classified points.

    Attributes
    ----------
    indices : tuple of int
        Parameters of the block (in the full loss).
    loss : TrigPoly
        The block's loss (in ``len(indices)`` parameters).
    result : SolveResult or None
        ``None`` for a block on which the loss is constant (every point critical).
    points : list of ClassifiedPoint
        Classified real critical points (global status relative to the block).
    dimension : int
        Dimension of the block's critical set (0: finite).
    """
    indices: tuple[int, ...]
    loss: TrigPoly
    result: object | None
    points: list[ClassifiedPoint] = field(default_factory=list)
    dimension: int = 0
    seconds: float = 0.0

    @classmethod
    def from_solve(cls, indices: Sequence[int], loss: TrigPoly, result, bits: int = 64,
                   progress: bool = False) -> "BlockResult":
        """Classify the real points of ``result`` (a :class:`SolveResult` of ``loss``)."""
        t0 = time.perf_counter()
        if result.dimension > 0:
            return cls(tuple(indices), loss, result, [], result.dimension)
        pts = classify_points(LossData(loss), result.real_points, complete=result.complete, bits=bits, progress=progress)
        pts.sort(key=_point_order)
        return cls(tuple(indices), loss, result, pts, 0, time.perf_counter() - t0)

    @classmethod
    def constant(cls, indices: Sequence[int], loss: TrigPoly) -> "BlockResult":
        """A block the loss does not depend on: its whole torus is critical."""
        return cls(tuple(indices), loss, None, [], len(indices))

    @property
    def certification(self) -> str:
        return "exact" if self.result is None else self.result.certification

    @property
    def complete(self) -> bool:
        return self.result is None or bool(self.result.complete)

    def summary(self) -> dict:
        r = self.result
        return {"indices": list(self.indices), "p": len(self.indices), "dimension": self.dimension,
                "n_real": None if self.dimension else len(self.points),
                "n_complex": None if r is None else r.n_complex,
                "backend": "none (constant)" if r is None else r.backend,
                "certification": self.certification, "complete": self.complete,
                "solve_seconds": None if r is None else round(sum(r.timings.values()), 4),
                "classify_seconds": round(self.seconds, 4)}


@dataclass
class CriticalTable:
    """The certified table of real critical points of one loss on one period.

    Attributes
    ----------
    p : int
    omega : tuple of int
    form : str
        The polynomial system solved (``"cs"``).
    backend, engine_version : str
    certification : str
        Weakest level among the solved blocks (:data:`~qnnsym.critical.points.CERTIFICATION_LEVELS`);
        ``"none"`` when no block was solved (a partial run that proves nothing).
    dimension : int
        0 for a finite critical set; ``> 0``: positive-dimensional (no point list).
    complete : bool
        The list (or the counts) cover every real critical point.
    status : str
        ``"complete"``, ``"incomplete"`` (a backend could not prove completeness),
        ``"positive-dimensional"``, ``"timed out"`` or ``"interrupted"``.
    bounds : dict
        ``bezout`` (Theorem 7) and ``multihomogeneous`` bounds of the full system.
    n_complex, n_real : int or None
    counts : dict
        ``minima``, ``global_minima``, ``spurious_minima``, ``saddles``, ``maxima``,
        ``degenerate``, ``by_index`` (``{k: n}``), ``undecided_global``.
    levels : list of dict
        Counts by loss level and index, in the JSON form of a point (``loss``, ``loss_interval``,
        ``loss_exact``, ``index``, ``kind``, ``global`` as a bool or None, ``count``).
    min_loss : (Fraction, Fraction) or None
        Enclosure of ``min L`` (global minimum value).
    euler_characteristic : int or None
        ``Σ (−1)^index`` when every point is non-degenerate (must be 0 on the torus).
    checks : dict
        Torus consistency checks (:func:`~qnnsym.critical.classify.morse_checks`).
    points : list of ClassifiedPoint or None
        Every real critical point, sorted by loss; ``None`` when aggregated.
    blocks : list of BlockResult
    timings : dict
    notes : list of str
    pending : list of tuple of int
        The blocks not solved (timed out / interrupted); empty for a finished run.
    reduction, reduced_table : Reduction, CriticalTable or None
        Redundant parameters, ``L(θ) = L̃(Aθ)`` with ``r < p`` (:mod:`.manifolds`): each point is a
        representative of the components ``{θ : Aθ ≡ y*}`` over a point ``y*`` of ``reduced_table`` (of ``L̃``);
        counts count connected components; ``dimension`` is 0 when ``L̃``'s critical set is finite.
    """
    p: int
    omega: tuple[int, ...]
    form: str
    backend: str
    engine_version: str
    certification: str
    dimension: int
    complete: bool
    status: str
    bounds: dict
    n_complex: int | None
    n_real: int | None
    counts: dict
    levels: list[dict]
    min_loss: Interval | None
    euler_characteristic: int | None
    checks: dict
    points: list[ClassifiedPoint] | None
    blocks: list[BlockResult]
    timings: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: parameter indices of the blocks not solved (a partial run)
    pending: list[tuple[int, ...]] = field(default_factory=list)
    reduction: object | None = None
    reduced_table: "CriticalTable | None" = None
    #: a positive-dimensional critical set decomposed into components (:mod:`.components`)
    components: object | None = None

    @property
    def aggregated(self) -> bool:
        """True when the points are not listed (too many), only counted."""
        return self.points is None and self.dimension == 0 and self.n_real is not None

    def route_summary(self) -> str:
        """Which route solved the table and why: the ``auto`` notes of its blocks (one per distinct choice),
        else the backend that was asked for.

        >>> from qnnsym.exact.trigpoly import TrigPoly
        >>> critical_table(TrigPoly(1, {(1,): 1}), backend="sympy").route_summary()
        'sympy (requested)'
        """
        import re

        seen = dict.fromkeys(re.sub(r"^block \[[0-9, ]*\]: ", "", n) for n in self.notes if ": auto: " in n
                             or n.startswith("auto: "))
        return "; ".join(seen) if seen else f"{self.backend} (requested)"

    # --- output -------------------------------------------------------------------------------
    def to_json(self) -> dict:
        """JSON-ready dict (exact numbers as strings; see ``docs/critical-points.md``)."""
        return {
            "p": self.p, "omega": list(self.omega), "form": self.form, "backend": self.backend,
            "engine_version": self.engine_version, "certification": self.certification,
            "status": self.status, "complete": self.complete, "dimension": self.dimension,
            "bounds": dict(self.bounds), "n_complex": self.n_complex, "n_real": self.n_real,
            "counts": dict(self.counts, by_index=None if self.counts.get("by_index") is None else
                           {str(k): v for k, v in sorted(self.counts["by_index"].items())}),
            "min_loss": None if self.min_loss is None else _iv_json(self.min_loss),
            "euler_characteristic": self.euler_characteristic, "checks": self.checks,
            "aggregated": self.aggregated,
            "levels": self.levels,
            **points_json(self.points),
            "blocks": [b.summary() for b in self.blocks],
            "timings": {k: round(v, 4) for k, v in self.timings.items()}, "notes": list(self.notes),
            "pending_blocks": [list(ix) for ix in self.pending],
            **_manifolds().reduction_json(self),
            **({} if self.components is None else {"components": self.components.to_json()}),
        }

    def rows(self) -> list[dict]:
        """Display rows (md, csv, latex): points, or levels when aggregated (:func:`~qnnsym.tables.table_text`)."""
        if self.components is not None:
            return self.components.rows()
        if self.reduced_table is not None:
            return _manifolds().component_rows(self.reduced_table.rows(), self.reduction)
        if self.points is not None:
            return [dict(n=i + 1, **cp.row()) for i, cp in enumerate(self.points)]
        return [_level_display(lv) for lv in self.levels]

    def summary_lines(self) -> list[str]:
        c = self.counts
        scope = f" (of the {len(self.blocks)} solved block(s) only)" if self.pending and self.blocks else ""
        out = [f"p = {self.p}; backend {self.backend} ({self.engine_version or 'none'}); certification: "
               f"{self.certification}{scope}; status: {self.status}"]
        if self.components is not None:
            return out + self.components.summary_lines()
        red = self.reduction
        out += [] if red is None else _manifolds().summary_lines(red, self.p)
        if self.dimension > 0:
            out.append(f"critical set is POSITIVE-DIMENSIONAL (dimension {self.dimension}): not a finite list")
        what = "critical components" if red is not None else "real critical points"
        out.append(f"bounds{' (of L̃)' if red is not None else ''}: Bézout {self.bounds.get('bezout')}, multihomogeneous "
                   f"{self.bounds.get('multihomogeneous')}; complex solutions {self.n_complex}; {what} {self.n_real}")
        if c.get("minima") is not None:
            out.append(f"minima {c['minima']} (global {c['global_minima']}, spurious {c['spurious_minima']}), "
                       f"saddles {c['saddles']}, maxima {c['maxima']}, degenerate {c['degenerate']}; by index "
                       + ", ".join(f"{k}: {v}" for k, v in sorted(c["by_index"].items())))
        if self.min_loss is not None:
            out.append(("min L = " if self.complete else "least critical value found (list not proven complete) = ")
                       + fmt_interval(self.min_loss, 15))
        if self.euler_characteristic is not None:
            ch = self.checks
            out.append(f"torus checks{' (of L̃ on T^' + str(red.rank) + ')' if red is not None else ''}: "
                       f"Σ(-1)^index = {self.euler_characteristic} "
                       f"({'ok' if ch.get('euler_ok') else 'FAILED'}), #index-k ≥ C(p,k): "
                       f"{'ok' if ch.get('morse_inequalities_ok') else 'FAILED'}")
        return out

    def _repr_html_(self) -> str:
        """Jupyter: the summary lines and the table of points (or levels)."""
        import html

        from ..tables import html_table

        head = self.summary_lines() + [f"note: {n}" for n in self.notes]
        title = "Critical points" + (" (aggregated by loss level and index)" if self.aggregated else "")
        rows = self.rows()
        return (f"<h4>{html.escape(title)}</h4><ul>" + "".join(f"<li>{html.escape(h)}</li>" for h in head) + "</ul>"
                + (html_table(rows) if rows else ""))

    def to_text(self, fmt: str = "md") -> str:
        """The table as ``md``, ``csv``, ``json`` or ``latex`` text."""
        import json

        from ..tables import table_text

        if fmt == "json":
            return json.dumps(self.to_json(), indent=1)
        rows = self.rows()
        if fmt == "csv":
            return table_text(rows, "csv") if rows else ""
        head = self.summary_lines() + [f"note: {n}" for n in self.notes]
        if fmt == "latex":
            body = table_text(rows, "latex") if rows else ""
            return "\n".join(["% " + h for h in head] + [body])
        title = ("# Critical manifolds (components {θ : Aθ ≡ y*})" if self.reduction is not None else "# Critical points") \
            + (" (aggregated: counts by loss level and index)" if self.aggregated else "")
        parts = [title, ""] + [f"- {h}" for h in head]
        if rows:
            parts += ["", table_text(rows, "md")]
        return "\n".join(parts)



def _manifolds():
    from . import manifolds   # imported late: it builds CriticalTable objects
    return manifolds


def _point_order(cp) -> tuple:
    """Deterministic order: by loss, then θ, both rounded so that two enclosures of one value
    (from different solvers or precisions) sort alike."""
    lo, hi = cp.loss
    return (round(float((lo + hi) / 2), 12), tuple(round(float(t), 9) for t in cp.theta))

def _weakest(levels: Sequence[str]) -> str:
    return max(levels, key=level_rank) if levels else NO_CERTIFICATION


def level_rank(level: str) -> int:
    """Position of ``level`` in :data:`CERTIFICATION_LEVELS` (``verified (coefficients enclosed to 2^-38)``
    is an instance of the template ``… 2^-k)``).

    >>> level_rank("exact") < level_rank("verified (coefficients enclosed to 2^-38)") < level_rank("numeric")
    True
    """
    if level.startswith("verified (coefficients enclosed"):
        level = "verified (coefficients enclosed to 2^-k)"
    return CERTIFICATION_LEVELS.index(level)


def _full_bounds(loss: TrigPoly) -> dict:
    from .system import critical_system

    return critical_system(loss).bounds()


def table_from_blocks(loss: TrigPoly, blocks: Sequence[BlockResult], max_points: int = MAX_POINTS,
                      status: str | None = None, pending: Sequence[Sequence[int]] = (), timings: dict | None = None,
                      notes: Sequence[str] = ()) -> CriticalTable:
    """Combine classified blocks into the table of the full loss (products and convolutions).

    Parameters
    ----------
    loss : TrigPoly
        The full loss (``Σ_b`` block losses).
    blocks : sequence of BlockResult
        Finished blocks.
    max_points : int
        List at most this many product points; beyond, report aggregated counts.
    status : str, optional
        ``"timed out"`` / ``"interrupted"`` for a partial run.
    pending : sequence of index tuples
        Blocks not solved (partial run).
    """
    p = loss.p
    notes = list(notes)
    results = [b.result for b in blocks if b.result is not None]
    backends = sorted({r.backend for r in results}) or ["none"]
    versions = sorted({r.engine_version for r in results})
    cert = _weakest([b.certification for b in blocks])
    dimension = sum(b.dimension for b in blocks)
    complete = all(b.complete for b in blocks) and not pending
    if status is None:
        status = "positive-dimensional" if dimension else ("complete" if complete else "incomplete")
    for b in blocks:
        if b.result is not None:
            notes.extend(f"block {list(b.indices)}: {n}" for n in b.result.notes)
    if pending:
        notes.append(f"{status}: blocks {[list(ix) for ix in pending]} not solved; counts below cover the "
                     f"{len(blocks)} solved block(s) only")
    bounds = dict(results[0].bounds) if len(blocks) == 1 and results else _full_bounds(loss)
    n_complex = None
    if not dimension and not pending and results and len(results) == len(blocks):
        if all(r.n_complex is not None for r in results):
            n_complex = math.prod(r.n_complex for r in results)
    timings = dict(timings or {})
    if dimension or pending:
        return CriticalTable(p, loss.omega, "cs", "+".join(backends), "; ".join(versions), cert, dimension, False,
                             status, bounds, n_complex, None, dict.fromkeys(COUNT_KEYS), [], None, None, {}, None,
                             list(blocks),
                             timings, notes + ([f"the critical set has dimension {dimension}: every point of a "
                                                f"{dimension}-dimensional set is critical, so there is no finite "
                                                "table (blocks: " + ", ".join(
                                                    str(list(b.indices)) for b in blocks if b.dimension) + ")"]
                                               if dimension else []), [tuple(ix) for ix in pending])
    n_real = math.prod(len(b.points) for b in blocks)
    dist = _product_distribution(blocks, with_levels=True) if _few_levels(blocks) else None
    if dist is None:
        notes.append(f"more than {MAX_LEVELS} distinct (loss level, index) classes: counts by level omitted")
        dist = _product_distribution(blocks, with_levels=False)
    counts = _counts(dist, p)
    levels = _level_rows(dist, p)
    points = None
    if n_real <= max_points:
        if len(blocks) == 1:
            points = list(blocks[0].points)
        else:
            points = [_product_point([b.points[i] for b, i in zip(blocks, comps)], blocks, comps, p)
                      for comps in itertools.product(*(range(len(b.points)) for b in blocks))]
            points.sort(key=_point_order)
    else:
        by = "loss level and index" if levels and levels[0]["loss"] is not None else "index"
        notes.append(f"{n_real} critical points: listed as aggregated counts by {by} "
                     f"(more than max_points = {max_points})")
    mins = [min(cp.loss[0] for cp in b.points) for b in blocks if b.points]
    min_loss = None
    if len(mins) == len(blocks) and blocks:
        glob = [[cp for cp in b.points if cp.is_global] or [min(b.points, key=lambda cp: cp.loss[0])] for b in blocks]
        min_loss = (sum(g[0].loss[0] for g in glob), sum(g[0].loss[1] for g in glob))
    euler, checks = None, {}
    if counts["degenerate"] == 0 and complete:
        checks = morse_checks(counts["by_index"], p)
        euler = checks["euler_characteristic"]
        if not (checks["euler_ok"] and checks["morse_inequalities_ok"]):
            notes.append("torus consistency check FAILED: the table contradicts Morse theory on T^p")
    elif counts["degenerate"]:
        notes.append(f"{counts['degenerate']} degenerate critical point(s) (det Hessian = 0, decided exactly): "
                     "Morse checks do not apply; their kind is not decided by second-order information")
        notes.extend(settle_degenerate_points(points or [], complete))
    if counts["undecided_global"] and complete:
        notes.append(f"{counts['undecided_global']} point(s) whose loss could not be separated from the minimum "
                     "and whose equality to it was not proven: global status left undecided")
    if not complete:
        notes.append("the real list is not proven complete: 'global' is undecided, 'spurious' stays certain")
    return CriticalTable(p, loss.omega, "cs", "+".join(backends), "; ".join(versions), cert, 0, complete, status,
                         bounds, n_complex, n_real, counts, levels, min_loss, euler, checks, points, list(blocks),
                         timings, notes)


def critical_table(instance_or_loss, backend: str = "auto", time_limit: float | None = None, progress: bool = False,
                   max_points: int = MAX_POINTS, bits: int = 64, workers: int | None = None,
                   seed: int = 0, clock=None) -> CriticalTable:
    """The certified table of real critical points of a loss (or of an instance's loss, eq. 6).

    Parameters
    ----------
    instance_or_loss : Instance, TrigPoly or EnclosedLoss
        An instance (its loss is built with :func:`qnnsym.expansion.loss_poly`; a floating-point one is
        enclosed, :func:`~qnnsym.critical.enclosure.enclosed_loss`), an exact loss, or a loss known up
        to coefficient radii.
    backend : str
        ``"sympy"``, ``"msolve"``, ``"homotopy"`` or ``"auto"`` (see :func:`~qnnsym.critical.solve.solve_critical`).
    time_limit : float, optional
        Seconds for the whole table; a run past it returns what is known (status ``"timed out"``).
    progress : bool
        Show progress bars on standard error.
    max_points : int
        List at most this many points; beyond, aggregated counts by loss level and index.
    bits : int
        Width ``2^-bits`` of the θ and loss enclosures.
    workers, seed : int, optional
        Homotopy backend: worker processes and the seed of the start system.
    clock : callable, optional
        The clock ``time_limit`` is measured on (default ``time.perf_counter``; see
        :func:`~qnnsym.critical.solve.solve_critical`).

    Returns
    -------
    CriticalTable
        A ``KeyboardInterrupt`` during solving returns the partial table (status ``"interrupted"``).  A loss with
        redundant parameters (``L = L̃(Aθ)``, ``r < p``) gets a table of critical manifolds (:mod:`.manifolds`).

    Raises
    ------
    ValidationError
        A float ``TrigPoly`` without coefficient radii (no error bound), or a bad argument.  A floating-point
        *instance* (a float fixed angle, a ``T`` gate) or an
        :class:`~qnnsym.critical.enclosure.EnclosedLoss` gets a table at level ``verified (coefficients
        enclosed to 2^-k)`` by real exhaustion (:func:`qnnsym.critical.enclosure.enclosed_loss`).

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> t = critical_table(prop5_instance(2), backend="sympy")
    >>> t.counts["minima"], t.counts["spurious_minima"], t.certification, t.euler_characteristic
    (4, 3, 'exact', 0)
    """
    from ..expansion.phi import loss_poly
    from ..model.data import Instance
    from .solve import solve_critical

    from .enclosure import EnclosedLoss, enclosed_loss

    clock = time.perf_counter if clock is None else clock
    t_start, t_wall = clock(), time.perf_counter()      # the limit's clock (maybe injected); reported seconds
    enc_notes: list[str] = []
    if isinstance(instance_or_loss, Instance):
        if instance_or_loss.exact:
            loss = loss_poly(instance_or_loss)
        else:
            instance_or_loss = enclosed_loss(instance_or_loss)
    if isinstance(instance_or_loss, EnclosedLoss):
        if any(instance_or_loss.radii.values()):
            return _verified_table(instance_or_loss, backend, time_limit, progress, max_points, workers, clock, t_start)
        loss = instance_or_loss.mid            # the coefficients do not depend on the float angles: exact
        enc_notes = list(instance_or_loss.notes) + ["the loss does not depend on these angles: its coefficients "
                                                    "are exact"]
    elif isinstance(instance_or_loss, TrigPoly):
        loss = instance_or_loss
    elif not isinstance(instance_or_loss, Instance):
        raise ValidationError("instance_or_loss", f"got {type(instance_or_loss).__name__}",
                              expected="an Instance, a TrigPoly loss or an EnclosedLoss")
    if not loss.exact:
        raise ValidationError("loss", "has floating-point coefficients without an error bound",
                              expected="an exact loss, a floating-point instance, or an EnclosedLoss "
                                       "(coefficient balls) for a verified table",
                              fix="pass the instance itself, or qnnsym.critical.enclosure.EnclosedLoss(mid, radii, bits)")
    if max_points < 0:
        raise ValidationError("max_points", f"{max_points}", expected="a non-negative integer")
    if time_limit is not None and not time_limit > 0:
        raise ValidationError("time_limit", f"{time_limit}", expected="a positive number of seconds")
    red = reduce_loss(loss)
    if red.flat:   # redundant parameters: solve L̃ and report the components {θ : Aθ ≡ y*} (.manifolds)
        left = None if time_limit is None else max(time_limit - (clock() - t_start), 1e-9)
        inner = _manifolds().constant_table(red, CriticalTable) if not red.rank else critical_table(
            red.reduced, backend=backend, time_limit=left, progress=progress, max_points=max_points, bits=bits,
            workers=workers, seed=seed, clock=clock)
        if inner.components is not None:
            from .components import lift_components
            return lift_components(inner, red)
        return _manifolds().manifold_table(loss, red, inner, dict(inner.timings, total=time.perf_counter() - t_wall))
    split = independent_blocks(loss)
    done: list[BlockResult] = []
    cache: dict = {}
    status = None
    notes: list[str] = []
    bar = None
    if progress and len(split) > 1:
        from tqdm import tqdm

        bar = tqdm(total=len(split), desc="blocks", unit="block", leave=False)
    try:
        for k, (idx, blk) in enumerate(split):
            if not blk.variables():
                done.append(BlockResult.constant(idx, blk))
            elif blk in cache:
                src = cache[blk]
                done.append(BlockResult(tuple(idx), blk, src.result, src.points, src.dimension, 0.0))
            else:
                left = None
                if time_limit is not None:
                    left = time_limit - (clock() - t_start)
                    if left <= 0:
                        raise TimeBudgetExceeded(f"time limit {time_limit} s reached before block {list(idx)}")
                try:
                    res = solve_critical(blk, backend=backend, time_limit=left, progress=progress and len(split) == 1,
                                         workers=workers, seed=seed, clock=clock)
                except PositiveDimensionalError as e:
                    res = None
                    done.append(BlockResult(tuple(idx), blk, None, [], e.dimension or 1))
                    notes.append(f"block {list(idx)}: {e}")
                if res is not None:
                    br = BlockResult.from_solve(idx, blk, res, bits=bits, progress=progress)
                    cache[blk] = br
                    done.append(br)
            if bar is not None:
                bar.update(1)
    except TimeBudgetExceeded as e:
        status = "timed out"
        notes.append(str(e) + (f"; known so far: {e.partial}" if e.partial is not None else ""))
    except KeyboardInterrupt:
        status = "interrupted"
    finally:
        if bar is not None:
            bar.close()
    solved = {b.indices for b in done}
    pending = [idx for idx, _ in split if idx not in solved]
    timings = {"total": time.perf_counter() - t_wall,
               "solve": sum(sum(b.result.timings.values()) for b in done if b.result is not None and b.seconds),
               "classify": sum(b.seconds for b in done)}
    if len(split) > 1:
        notes.insert(0, f"separable: {len(split)} independent blocks of sizes "
                        f"{sorted(Counter(len(ix) for ix, _ in split).items())} (size, count); "
                        f"{len(cache)} distinct block polynomials solved")
    table = table_from_blocks(loss, done, max_points=max_points, status=status, pending=pending, timings=timings,
                              notes=enc_notes + notes)
    if table.status == "positive-dimensional" and backend in ("auto", "sympy"):   # decompose into components
        from .components import components_table

        left = None if time_limit is None else time_limit - (clock() - t_start)
        table = components_table(loss, table, left, clock=clock, seed=seed, bits=bits)
    return table


def _verified_table(enc, backend, time_limit, progress, max_points, workers, clock, t_start) -> CriticalTable:
    """The table of an :class:`~qnnsym.critical.enclosure.EnclosedLoss`: real exhaustion with the coefficient
    radii, the exact classification of the midpoint restated for the enclosure
    (:func:`~qnnsym.critical.enclosure.verified_points`), level ``verified (coefficients enclosed to 2^-k)``."""
    t_wall = time.perf_counter()
    from .backends.common import Budget
    from .backends.exhaustion_backend import solve_exhaustion
    from .enclosure import verified_points
    from .system import critical_system

    loss = enc.mid
    budget = Budget(time_limit, False, label=f"critical points (exhaustion, p={loss.p})", clock=clock)
    res = solve_exhaustion(critical_system(loss), budget, workers=workers, progress=progress,
                           radii=enc.radii)
    res.certification = enc.level
    br = BlockResult.from_solve(tuple(range(loss.p)), loss, res)
    if res.dimension == 0:
        br.points[:] = verified_points(enc, res.boxes["cover"], br.points, bool(res.complete))
        br.points.sort(key=_point_order)
    timings = {"total": time.perf_counter() - t_wall, "solve": sum(res.timings.values()), "classify": br.seconds}
    used = [] if backend in ("auto", "exhaustion") else [f"backend {backend!r} needs exact coefficients: the "
                                                          "enclosure was solved by exhaustion"]
    return table_from_blocks(loss, [br], max_points=max_points, timings=timings,
                             notes=used + list(enc.notes) + [f"{enc.level}: complete and each box holds exactly one critical "
                                                      "point for every loss whose coefficients lie in the enclosures"])


def classify(loss: TrigPoly, result, bits: int = 64, progress: bool = False):
    """Classify a :class:`~qnnsym.critical.points.SolveResult` of ``loss`` into a table.

    Returns
    -------
    CriticalTable
        One-block table (see :func:`qnnsym.critical.table.critical_table` for the block split).
    """
    blk = BlockResult.from_solve(tuple(range(loss.p)), loss, result, bits=bits, progress=progress)
    return table_from_blocks(loss, [blk])

