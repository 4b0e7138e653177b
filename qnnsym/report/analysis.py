"""One instance's landscape, computed end to end: certified table → graph → tree → basins → optimisers.

:func:`analyse` runs the pipeline of the paper on one instance and keeps every intermediate result
(:class:`Analysis`), which :mod:`.figures` draws and :mod:`.page` writes as a report.  The optimiser
comparison (:func:`optimizer_success`) trains the optimisers of Section 6 (:mod:`qnnsym.sim`) from
uniform starts on the same instance and counts a run as a success exactly as the experiments do
(converged, ``L(θ_f) − min L ≤ SUCCESS_TOL · s``, :mod:`qnnsym.sim.experiments`); a gradient method
that follows the flow succeeds on the global basin, so its success rate should equal the global
basin's share (:func:`compare_rates`: a two-proportion z-test at 95 %).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..errors import ValidationError
from ..landscape.basins import BasinResult, basin_volumes, full_loss, wilson_interval
from ..landscape.disconnectivity import DisconnectivityTree, disconnectivity_tree
from ..landscape.graph import MAX_NODES, graph_summary, minima_saddle_graph, product_graph
from ..landscape.points import Block, blocks_from_table

__all__ = ["Analysis", "analyse", "optimizer_success", "compare_rates", "DEFAULT_OPTIMIZERS"]

#: the optimisers of Section 6 compared with the basin shares
DEFAULT_OPTIMIZERS = ("lbfgs", "adam", "rmsprop")


@dataclass
class Analysis:
    """Everything the report shows, for one instance (``None`` where a stage was skipped, with a note)."""

    instance: object
    table: object
    blocks: list[Block]
    graph: object | None = None
    block_graphs: list = field(default_factory=list)
    tree: DisconnectivityTree | None = None
    basins: BasinResult | None = None
    success: list[dict] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    @property
    def loss(self):
        return full_loss(self.blocks)

    def graph_summary(self) -> dict | None:
        return None if self.graph is None else graph_summary(self.graph)

    def to_json(self) -> dict:
        from ..landscape.graph import graph_rows

        return {"instance": getattr(self.instance, "name", None), "p": self.table.p,
                "table": self.table.to_json(), "graph": None if self.graph is None else {
                    "summary": graph_summary(self.graph), "edges": graph_rows(self.graph),
                    "descents": [r.to_json() for r in self.graph.graph.get("descents", [])]},
                "tree": None if self.tree is None else self.tree.to_json(),
                "basins": None if self.basins is None else self.basins.to_json(),
                "success": self.success, "timings": self.timings, "notes": self.notes, "settings": self.settings}


def optimizer_success(instance, min_loss: float, optimizers: Sequence[str] = DEFAULT_OPTIMIZERS, starts: int = 1000,
                      seed: int = 0, progress: bool = False, blocks: Sequence | None = None) -> list[dict]:
    """Success rates of the optimisers of Section 6 on ``instance`` from ``starts`` uniform starts.

    With ``blocks`` (the certified table as plain data) every run is also *paired* with the gradient
    flow from its own start (:func:`qnnsym.landscape.basins.flow_basins`): the share of the starts
    that lie in the global basin, and the runs that ended in another minimum's basin than their
    start's.  On the same starts, exactly, ``success_rate = starts_in_global_basin + into_global −
    out_of_global`` (up to runs the flow or the matching leaves unclassified): an optimiser that
    follows the flow has no flux; one whose steps cross basin boundaries (L-BFGS's line search) has.

    Parameters
    ----------
    instance : Instance
    min_loss : float
        ``min L`` (the certified global minimum value).
    optimizers : sequence of str
        Names of :data:`qnnsym.sim.optimizers.OPTIMIZERS`.
    starts, seed : int
        Starts uniform in ``[0, 2π]^p`` from ``numpy.random.default_rng([seed, p])`` (as the experiments).
    progress : bool

    blocks : sequence of Block, optional
        Enables the paired comparison (:func:`~qnnsym.landscape.points.blocks_from_table`).

    Returns
    -------
    list of dict
        ``optimizer``, ``runs``, ``converged``, ``successes``, ``success_rate``, ``ci_low``, ``ci_high``, ``seconds``;
        with ``blocks`` also ``starts_in_global_basin``, ``left_start_basin`` (share of the runs that
        ended in another minimum's flow basin than their start's), ``into_global``, ``out_of_global``.
    """
    from ..sim.dispatch import simulator
    from ..sim.experiments import SUCCESS_TOL
    from ..sim.optimizers import OPTIMIZERS, Convergence, label_scale, minimize_batch

    for o in optimizers:
        if o not in OPTIMIZERS:
            raise ValidationError("optimizers", f"{o!r}", expected="some of " + ", ".join(OPTIMIZERS))
    if int(starts) < 1:
        raise ValidationError("starts", f"{starts}", expected="a positive number of starts")
    from ..budget import refuse_if_too_large
    from ..sim.experiments import MAX_STATE_FLOATS

    refuse_if_too_large("--starts", f"float numbers of the optimiser states (≈ 8·starts·p, p = {instance.p})",
                        8 * int(starts) * instance.p, MAX_STATE_FLOATS, bytes_per_unit=8, fix="use a smaller --starts")
    sim = simulator(instance)
    s = label_scale(sim.labels)
    th0 = np.random.default_rng([int(seed), instance.p]).uniform(0.0, 2 * np.pi, size=(int(starts), instance.p))
    start_labels = start_global = None
    if blocks is not None:
        from ..landscape.basins import flow_basins

        start_labels, start_global = flow_basins(blocks, th0)
    rows = []
    for o in optimizers:
        res = minimize_batch(sim, th0, o, Convergence(), None, progress, desc=f"{o}")
        ok = res.finished & res.converged & (res.loss - min_loss <= SUCCESS_TOL * s)
        n = int(res.finished.sum())
        k = int(ok.sum())
        lo, hi = wilson_interval(k, n)
        row = {"optimizer": o, "runs": n, "converged": int((res.finished & res.converged).sum()),
               "successes": k, "success_rate": k / n if n else float("nan"), "ci_low": lo, "ci_high": hi,
               "seconds": round(res.seconds, 3)}
        if start_labels is not None and n:
            fin = res.finished
            end_labels, _ = flow_basins(blocks, res.theta[fin])
            sl, sg = start_labels[fin], start_global[fin]
            both = (sl >= 0).all(axis=1) & (end_labels >= 0).all(axis=1)
            moved = both & (sl != end_labels).any(axis=1)
            row.update({"starts_in_global_basin": float(sg.mean()), "left_start_basin": float(moved.mean()),
                        "into_global": float((~sg & ok[fin]).mean()), "out_of_global": float((sg & ~ok[fin]).mean())})
        rows.append(row)
    return rows


def compare_rates(share: float, n_share: int, rate: float, n_rate: int, z: float = 1.96) -> dict:
    """Two-proportion z-test: do a basin share and a success rate agree within the sampling error?

    >>> compare_rates(0.35, 4000, 0.34, 1000)["agree"]
    True
    """
    var = share * (1 - share) / max(n_share, 1) + rate * (1 - rate) / max(n_rate, 1)
    se = math.sqrt(var) if var > 0 else 0.0
    zval = (rate - share) / se if se > 0 else (0.0 if rate == share else math.inf)
    return {"difference": rate - share, "stderr": se, "z": zval, "agree": abs(zval) <= z}


def analyse(instance, table=None, samples: int = 4000, starts: int = 1000, seed: int = 0,
            optimizers: Sequence[str] = DEFAULT_OPTIMIZERS, backend: str = "auto", time_limit: float | None = None,
            progress: bool = False, max_nodes: int = MAX_NODES) -> Analysis:
    """The landscape of ``instance``: certified table, minima–saddle graph, tree, basins, optimisers.

    Parameters
    ----------
    instance : Instance
        An exact instance.
    table : CriticalTable, optional
        Its certified table (computed with :func:`qnnsym.critical.table.critical_table` when omitted).
    samples : int
        Uniform starts for the basin volumes (0: skip).
    starts : int
        Starts per optimiser (0: skip the comparison).
    seed : int
        Seed of the basin samples and of the optimiser starts.
    optimizers : sequence of str
    backend, time_limit
        Passed to ``critical_table``.
    progress : bool
        Progress bars on standard error.
    max_nodes : int
        Largest product graph built for a separable table.

    Returns
    -------
    Analysis
    """
    from ..critical.table import critical_table

    t0 = time.perf_counter()
    timings: dict = {}
    if table is None:
        table = critical_table(instance, backend=backend, time_limit=time_limit, progress=progress)
    timings["table"] = round(time.perf_counter() - t0, 3)
    blocks = blocks_from_table(table, by_block=table.p > 2)
    an = Analysis(instance, table, blocks, settings={"samples": samples, "starts": starts, "seed": seed,
                                                     "optimizers": list(optimizers)})
    if not table.complete:
        an.notes.append(f"the table is {table.status}: unmatched descents may end at unlisted points")
    t1 = time.perf_counter()
    an.block_graphs = [minima_saddle_graph(b, record=5 if table.p == 2 and len(blocks) == 1 else 0,
                                           progress=progress) for b in blocks]
    try:
        an.graph = product_graph(an.block_graphs, max_nodes=max_nodes)
    except ValidationError as e:
        an.notes.append(f"minima–saddle graph not assembled: {e}; the {len(blocks)} block graphs are kept")
    if an.graph is not None:
        an.tree = disconnectivity_tree(an.graph)
    timings["graph"] = round(time.perf_counter() - t1, 3)
    if samples:
        t2 = time.perf_counter()
        an.basins = basin_volumes(blocks, n=samples, seed=seed, progress=progress)
        timings["basins"] = round(time.perf_counter() - t2, 3)
    if starts and optimizers:
        t3 = time.perf_counter()
        lmin = float(sum(table.min_loss) / 2)
        an.success = optimizer_success(instance, lmin, optimizers, starts, seed, progress, blocks=blocks)
        if an.basins is not None:
            for row in an.success:
                row.update({f"vs_basin_{k}": v for k, v in compare_rates(an.basins.global_share, an.basins.n,
                                                                            row["success_rate"], row["runs"]).items()})
                row["global_basin_share"] = an.basins.global_share
        timings["optimizers"] = round(time.perf_counter() - t3, 3)
    timings["total"] = round(time.perf_counter() - t0, 3)
    an.timings = timings
    return an
