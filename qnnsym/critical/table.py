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
import os
import time
from collections import Counter
from typing import Sequence

from ..errors import PositiveDimensionalError, TimeBudgetExceeded, ValidationError
from ..exact.trigpoly import TrigPoly
from ..executor import get_executor
from ..landscape.interaction import independent_blocks
from ..landscape.redundancy import reduce_loss
from .classify import morse_checks
from .result import CERTIFICATION_LEVELS
from .blockproduct import (
    MAX_LEVELS,
    _counts,
    _few_levels,
    _level_rows,
    _product_distribution,
    _product_point,
)
from .components import settle_degenerate_points
from .tablerecords import COUNT_KEYS, MAX_POINTS, NO_CERTIFICATION, BlockResult, CriticalTable, _manifolds, _point_order

__all__ = ["BlockResult", "CriticalTable", "critical_table", "table_from_blocks", "classify", "MAX_POINTS"]


def _homotopy_workers() -> int:
    from .backends.homotopy_backend import default_workers

    return default_workers()


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
                   seed: int = 0, clock=None, executor="local", scheduler: str | None = None, checkpoint=None,
                   resume: bool = False, level_width: float | None = None) -> CriticalTable:
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
        Homotopy backend: worker processes and the seed of the start system.  ``workers`` also sets the
        processes that classify the real points (default: every core after a homotopy block, else in-process;
        :func:`~qnnsym.critical.classify.classify_points`).
    clock : callable, optional
        The clock ``time_limit`` is measured on (default ``time.perf_counter``; see
        :func:`~qnnsym.critical.solve.solve_critical`).
    executor, scheduler : optional
        Homotopy backend: where its path batches run, ``"local"`` (default), ``"dask"`` (``scheduler``:
        a Dask address, none: a ``LocalCluster`` of ``workers``, started once for the whole table) or an
        :class:`~qnnsym.executor.Executor` (left open).
    checkpoint, resume : optional
        Homotopy backend: folder of per-batch checkpoints (one sub-folder ``block-K`` per block when the
        loss splits into several), and whether to continue the run stored there.
    level_width : float, optional
        A positive-dimensional critical set that is neither reduced nor decomposed is covered by region leaves
        (:mod:`.degenerate`, ``auto`` and ``exhaustion``): the width ``ε`` of its bottom and top regions
        (default ``Σ_{h≠0}|c_h|/256``); every local minimum is then proven within ``ε`` of ``min L``.

    Returns
    -------
    CriticalTable
        A ``KeyboardInterrupt`` during solving returns the partial table (status ``"interrupted"``).  A loss with
        redundant parameters (``L = L̃(Aθ)``, ``r < p``) gets a table of critical manifolds (:mod:`.manifolds`).

    Raises
    ------
    ValidationError
        A float ``TrigPoly`` without coefficient radii (no error bound), or a bad argument.  A floating-point
        *instance* (a float fixed angle, ``RX(0.37)``) or an
        :class:`~qnnsym.critical.enclosure.EnclosedLoss` gets a table at level ``verified (coefficients
        enclosed to 2^-k)`` by real exhaustion (:func:`qnnsym.critical.enclosure.enclosed_loss`); an instance
        whose only irrational numbers are ``T``-gate angles (odd multiples of ``π/4``) an ``exact`` table over
        ``Q(√2)`` (:mod:`qnnsym.critical.sqrt2`).

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
    from .sqrt2 import sqrt2_loss

    clock = time.perf_counter if clock is None else clock
    t_start, t_wall = clock(), time.perf_counter()      # the limit's clock (maybe injected); reported seconds
    enc_notes: list[str] = []
    if isinstance(instance_or_loss, Instance):
        sq = None if instance_or_loss.exact else sqrt2_loss(instance_or_loss)
        if instance_or_loss.exact:
            loss = loss_poly(instance_or_loss)
        elif sq is not None and not sq.rational:     # T gates: exact over Q(√2) (.sqrt2)
            return _sqrt2_table(sq, backend, time_limit, max_points, bits, clock)
        elif sq is not None:
            loss = sq.rational_loss()
            enc_notes = [f"fixed gates {', '.join(sq.gates)} (odd multiples of π/4): the loss depends on them only through "
                         "quarter turns, its coefficients are rational"]
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
    if backend == "exhaustion" and level_width is not None:     # region leaves asked for: no dimension test
        from .degenerate import degenerate_table, energy_bounds

        base = table_from_blocks(loss, [BlockResult(tuple(range(loss.p)), loss, None, [], 1)],
                                 notes=enc_notes + ["backend exhaustion with a level width: the torus is covered with "
                                                    "region leaves directly (the dimension of the critical set is not "
                                                    "computed; 'dimension' 1 is a placeholder)"])
        bounds = energy_bounds(instance_or_loss) if isinstance(instance_or_loss, Instance) else None
        return degenerate_table(loss, base, time_limit, clock=clock, bounds=bounds, eps=level_width, progress=progress,
                                face_table=critical_table)
    red = reduce_loss(loss)
    if red.flat:   # redundant parameters: solve L̃ and report the components {θ : Aθ ≡ y*} (.manifolds)
        left = None if time_limit is None else max(time_limit - (clock() - t_start), 1e-9)
        inner = _manifolds().constant_table(red, CriticalTable) if not red.rank else critical_table(
            red.reduced, backend=backend, time_limit=left, progress=progress, max_points=max_points, bits=bits,
            workers=workers, seed=seed, clock=clock, executor=executor, scheduler=scheduler, checkpoint=checkpoint,
            resume=resume)
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
    # one Dask cluster (or connection) for every block; a checkpoint folder per block when there are several
    ex = get_executor(executor, scheduler, workers) if executor == "dask" else executor
    several = sum(1 for _, blk in split if blk.variables()) > 1
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
                                         workers=workers, seed=seed, clock=clock, executor=ex, scheduler=scheduler,
                                         checkpoint=checkpoint if checkpoint is None or not several else
                                         os.path.join(checkpoint, f"block-{k}"), resume=resume)
                except PositiveDimensionalError as e:
                    res = None
                    done.append(BlockResult(tuple(idx), blk, None, [], e.dimension or 1))
                    notes.append(f"block {list(idx)}: {e}")
                if res is not None:
                    # a homotopy block used every core by default: so does the classification of its points
                    cw = workers if workers is not None or res.backend != "homotopy" else _homotopy_workers()
                    br = BlockResult.from_solve(idx, blk, res, bits=bits, progress=progress, workers=cw)
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
        if ex is not executor:
            ex.close()
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
        from .components import DEFAULT_SECONDS as COMPONENT_SECONDS, components_table

        left = None if time_limit is None else time_limit - (clock() - t_start)
        # at most half of what is left (and the default cap): the degenerate cover below is the fallback
        table = components_table(loss, table, None if left is None else min(left / 2, COMPONENT_SECONDS), clock=clock,
                                 seed=seed, bits=bits)
    if table.status == "positive-dimensional" and backend in ("auto", "exhaustion"):   # cover it by regions
        from .degenerate import DEGENERATE_MAX_P, degenerate_table, energy_bounds

        left = None if time_limit is None else time_limit - (clock() - t_start)
        if loss.p > DEGENERATE_MAX_P:
            table.notes.append(f"degenerate exhaustion not tried: p = {loss.p} > {DEGENERATE_MAX_P}")
        elif left is None or left > 0:
            bounds = energy_bounds(instance_or_loss) if isinstance(instance_or_loss, Instance) else None
            table = degenerate_table(loss, table, left, clock=clock, bounds=bounds, eps=level_width, progress=progress,
                                     face_table=critical_table)
            if table.complete:               # the component decomposition's time limit was a step, not the run's
                from ..stops import forget

                forget("time limit")
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


def _sqrt2_table(sq, backend, time_limit, max_points, bits, clock) -> CriticalTable:
    """The exact table of a circuit with ``T`` gates (:func:`qnnsym.critical.sqrt2.solve_sqrt2`): one block, the
    widened loss ``L(θ, ψ)`` as its loss."""
    from .sqrt2 import solve_sqrt2

    t_wall = time.perf_counter()
    proxy = TrigPoly(sq.p, {}, omega=sq.wide.omega[:sq.p])       # p and ω of the table (its loss is not rational)
    try:
        res, pts, notes, secs = solve_sqrt2(sq, backend, time_limit, bits, clock)
    except TimeBudgetExceeded as e:
        return table_from_blocks(proxy, [], status="timed out", pending=[tuple(range(sq.p))],
                                 timings={"total": time.perf_counter() - t_wall}, notes=[str(e)])
    pts.sort(key=_point_order)
    br = BlockResult(tuple(range(sq.p)), sq.wide, res, pts, max(res.dimension, 0), secs)
    return table_from_blocks(proxy, [br], max_points=max_points, notes=notes,
                             timings={"total": time.perf_counter() - t_wall, "solve": sum(res.timings.values()),
                                      "classify": secs})


def classify(loss: TrigPoly, result, bits: int = 64, progress: bool = False):
    """Classify a :class:`~qnnsym.critical.points.SolveResult` of ``loss`` into a table.

    Returns
    -------
    CriticalTable
        One-block table (see :func:`qnnsym.critical.table.critical_table` for the block split).
    """
    blk = BlockResult.from_solve(tuple(range(loss.p)), loss, result, bits=bits, progress=progress)
    return table_from_blocks(loss, [blk])

