"""Basin volumes of the certified minima, by sampling (the mechanism behind Figure 4).

The *basin* of a minimum is the set of starts from which steepest descent (gradient flow) ends there;
its *volume* is its share of the torus ``T^p`` (uniform measure — the paper's initialisation, uniform
in ``[0, 2π]^p``, is uniform on the torus because ``2π`` is a multiple of every period ``2π/ω_l``).
Starts are drawn uniformly (seeded, in batches), descended with :func:`~qnnsym.landscape.descent.descend`
and captured by the certified minima, block by block for a separable loss (a product minimum's
basin is the product of its blocks' basins).  Each share comes with a 95 % Wilson interval; starts
that no minimum captured (on a stable manifold of a saddle — a null set — or past ``max_steps``) are
counted as ``unmatched``, so the shares of the minima and the unmatched share add to exactly 1.

A gradient method that follows the flow succeeds exactly on the global basin: its success rate is
the global basin's share.  :mod:`qnnsym.report` compares that share with the measured success rates
of the optimisers of Section 6.

Examples
--------
>>> from qnnsym.exact.trigpoly import TrigPoly
>>> from qnnsym.landscape.points import Block, LandscapePoint
>>> L = TrigPoly(1, {(0,): 1, (1,): -1})                       # one minimum: its basin is everything
>>> b = Block((0,), L, [LandscapePoint(1, (0.0,), 0, 0.0, "minimum", True),
...                     LandscapePoint(2, (1.5707963267948966,), 1, 2.0, "maximum")])
>>> r = basin_volumes([b], n=200, seed=0)
>>> r.global_share, r.unmatched
(1.0, 0)
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..budget import Budget
from ..errors import TimeBudgetExceeded, ValidationError
from ..exact.trigpoly import TrigPoly
from .descent import capture_regions, descend
from .points import Block, periods, point_label

__all__ = ["BasinResult", "basin_volumes", "flow_basins", "wilson_interval", "full_loss"]


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion ``k/n`` (95 % for ``z = 1.96``).

    >>> [round(x, 4) for x in wilson_interval(50, 100)]
    [0.4038, 0.5962]
    """
    if n <= 0:
        return (0.0, 1.0)
    q = k / n
    den = 1 + z * z / n
    c = (q + z * z / (2 * n)) / den
    h = z * math.sqrt(q * (1 - q) / n + z * z / (4 * n * n)) / den
    return (max(0.0, c - h), min(1.0, c + h))


def full_loss(blocks: Sequence[Block]) -> TrigPoly:
    """The loss in all parameters, ``Σ_b L_b`` (each block embedded at its indices)."""
    p = sum(len(b.indices) for b in blocks)
    omega = [2] * p
    for b in blocks:
        for i, w in zip(b.indices, b.loss.omega):
            omega[i] = w
    terms: dict = {}
    for b in blocks:
        for h, v in b.loss.terms.items():
            full = [0] * p
            for i, j in zip(b.indices, h):
                full[i] = j
            key = tuple(full)
            terms[key] = terms.get(key, 0) + v
    return TrigPoly(p, terms, omega)


@dataclass
class BasinResult:
    """Basin shares of the minima.

    Attributes
    ----------
    n, seed : int
        Samples and seed.
    rows : list of dict
        One per minimum reached or listed: ``minimum`` (label; ``"a.b"`` for a product), ``loss``,
        ``global``, ``count``, ``share``, ``ci_low``, ``ci_high`` (95 % Wilson), sorted by loss.
    unmatched : int
        Samples no minimum captured; ``unmatched_reasons`` counts their statuses.
    global_share, global_ci : float, (float, float)
        Share of the global basin(s) and its interval.
    """

    n: int
    seed: int
    rows: list[dict]
    unmatched: int
    unmatched_reasons: dict
    global_share: float
    global_ci: tuple[float, float]
    seconds: float = 0.0
    meta: dict = field(default_factory=dict)

    def _repr_html_(self) -> str:
        """Jupyter: the basin shares, global share in the caption."""
        from ..tables import html_table

        return html_table(self.rows, caption=f"basins from {self.n} uniform starts (seed {self.seed}): global share "
                                             f"{self.global_share:.4f} [{self.global_ci[0]:.4f}, {self.global_ci[1]:.4f}]; "
                                             f"unmatched {self.unmatched}")

    def sum_check(self) -> dict:
        """``Σ shares`` (minima + unmatched, exactly 1 by construction) and whether 1 lies within
        ``[Σ ci_low, Σ ci_high]`` of the minima's intervals (the unmatched share's interval included)."""
        lo = sum(r["ci_low"] for r in self.rows)
        hi = sum(r["ci_high"] for r in self.rows)
        ulo, uhi = wilson_interval(self.unmatched, self.n)
        total = sum(r["count"] for r in self.rows) + self.unmatched
        return {"sum_shares": total / self.n if self.n else 0.0, "sum_minima_shares": (total - self.unmatched) / max(self.n, 1),
                "sum_ci_low": lo + ulo, "sum_ci_high": hi + uhi, "ok": lo + ulo <= 1.0 <= hi + uhi}

    def to_json(self) -> dict:
        return {"n": self.n, "seed": self.seed, "global_share": self.global_share, "global_ci": list(self.global_ci),
                "unmatched": self.unmatched, "unmatched_reasons": self.unmatched_reasons, "rows": self.rows,
                "sum_check": self.sum_check(), "seconds": self.seconds, "meta": self.meta}


#: most uniform starts sampled with no time limit (hours of descent on 2 cores beyond)
MAX_UNLIMITED_SAMPLES = 10 ** 7


def basin_volumes(blocks: Sequence[Block], n: int = 4000, seed: int = 0, batch: int = 4096,
                  max_steps: int = 100_000, progress: bool = False, time_limit: float | None = None,
                  clock=None) -> BasinResult:
    """Basin volume of every minimum by sampling ``n`` uniform starts (see the module docstring).

    Parameters
    ----------
    blocks : sequence of Block
        The certified table as plain data (:func:`~qnnsym.landscape.points.blocks_from_table`).
    n : int
        Number of uniform starts.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same shares.
    batch : int
        Starts descended together.
    max_steps : int
        Steps per start before it is counted unmatched.
    progress : bool
        A tqdm bar (standard error).
    time_limit : float, optional
        Seconds; checked after every batch (``clock``: an injected clock, :class:`qnnsym.budget.TickClock`).
        On expiry, or on an interrupt, the shares are those of the starts descended so far: ``n`` is
        that number and ``info["partial"]`` says why.

    Returns
    -------
    BasinResult
    """
    import time

    if int(n) < 1:
        raise ValidationError("n", f"{n}", expected="a positive number of samples")
    if time_limit is None and int(n) > MAX_UNLIMITED_SAMPLES:
        raise ValidationError("--samples", f"{n:,}" if int(n) < 10 ** 30 else "a huge number",
                              expected=f"at most {MAX_UNLIMITED_SAMPLES:,} without a time limit",
                              fix="give --time-limit S (the shares of the starts descended by then are kept)")
    if int(batch) < 1:
        raise ValidationError("batch", f"{batch}", expected="a positive batch size")
    if not blocks:
        raise ValidationError("blocks", "empty", expected="the blocks of a table")
    for b in blocks:
        if not b.minima:
            raise ValidationError(f"block {list(b.indices)}", "has no listed minimum", expected="a finite table")
    t0 = time.perf_counter()
    loss = full_loss(blocks)
    per = periods(loss)
    regions = [capture_regions(b) for b in blocks]
    rng = np.random.default_rng(seed)
    counts: Counter = Counter()
    reasons: Counter = Counter()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=int(n), desc="basins", unit="start", leave=False)
    budget = Budget(time_limit, clock=clock)
    why = None
    done = 0
    try:
        while done < n:
            try:
                budget.check()
            except TimeBudgetExceeded:
                why = "time limit"
                break
            k = min(int(batch), int(n) - done)
            th = rng.uniform(0.0, 1.0, size=(k, loss.p)) * per
            res = descend(loss, th, regions, max_steps=max_steps, progress=bar)
            ok = res.captured
            for row in res.labels[ok]:
                counts[tuple(int(x) for x in row)] += 1
            for s in np.asarray(res.status, dtype=object)[~ok]:
                reasons[str(s)] += 1
            done += k
    except KeyboardInterrupt:       # keep the batches done (the command exits 130: qnnsym.stops)
        why = "interrupted"
    finally:
        if bar is not None:
            bar.close()
    requested, n = int(n), max(done, 1)
    info = [{q.label: q for q in b.minima} for b in blocks]
    rows = []
    glob_count = 0
    for key, c in counts.items():
        qs = [info[b][lab] for b, lab in enumerate(key)]
        glob = None if any(q.is_global is None for q in qs) else all(q.is_global for q in qs)
        if glob:
            glob_count += c
        lo, hi = wilson_interval(c, n)
        rows.append({"minimum": point_label(key), "loss": sum(q.loss for q in qs), "global": glob, "count": c,
                     "share": c / n, "ci_low": lo, "ci_high": hi})
    if len(blocks) == 1:       # list every minimum, also those no sample reached
        seen = {r["minimum"] for r in rows}
        for q in blocks[0].minima:
            if str(q.label) not in seen:
                lo, hi = wilson_interval(0, n)
                rows.append({"minimum": str(q.label), "loss": q.loss, "global": q.is_global, "count": 0, "share": 0.0,
                             "ci_low": lo, "ci_high": hi})
    rows.sort(key=lambda r: (r["loss"], r["minimum"]))
    unmatched = int(sum(reasons.values()))
    meta = {"blocks": [list(b.indices) for b in blocks], "batch": int(batch), "max_steps": int(max_steps)}
    if why is not None:
        meta["partial"] = f"{why}: {done} of {requested} starts"
    return BasinResult(done, int(seed), rows, unmatched, dict(reasons), glob_count / n, wilson_interval(glob_count, n),
                       time.perf_counter() - t0, meta)


def flow_basins(blocks: Sequence[Block], theta, max_steps: int = 100_000) -> tuple[np.ndarray, np.ndarray]:
    """The certified minimum whose gradient-flow basin holds each row of ``theta``.

    Every row is descended with :func:`~qnnsym.landscape.descent.descend` (steps ``1/Λ``) until the
    capture region of a listed minimum holds it, block by block.  Used to ask of an optimiser run
    whether it ended in the basin of its own start (:func:`qnnsym.report.analysis.optimizer_success`).

    Parameters
    ----------
    blocks : sequence of Block
    theta : array (N, p)
        Points in parameter space (any representatives: the loss is periodic).
    max_steps : int
        Steps per row before it is counted as not captured.

    Returns
    -------
    labels : ndarray (N, B)
        Per block, the label of the capturing minimum; ``-1`` where none captured the row.
    is_global : ndarray (N,) of bool
        The capturing minimum is global in every block (``False`` where not captured).

    Examples
    --------
    >>> from qnnsym.exact.trigpoly import TrigPoly
    >>> from qnnsym.landscape.points import Block, LandscapePoint
    >>> L = TrigPoly(1, {(0,): 1, (1,): -1})                   # 1 − cos 2θ: one minimum (period π)
    >>> b = Block((0,), L, [LandscapePoint(1, (0.0,), 0, 0.0, "minimum", True),
    ...                     LandscapePoint(2, (1.5707963267948966,), 1, 2.0, "maximum")])
    >>> labels, glob = flow_basins([b], [[0.3], [6.0]])
    >>> labels.ravel().tolist(), glob.tolist()
    ([1, 1], [True, True])
    """
    th = np.atleast_2d(np.asarray(theta, dtype=float))
    loss = full_loss(blocks)
    res = descend(loss, np.mod(th, periods(loss)), [capture_regions(b) for b in blocks], max_steps=max_steps)
    info = [{q.label: bool(q.is_global) for q in b.minima} for b in blocks]
    glob = np.array([bool((row >= 0).all()) and all(info[b][int(x)] for b, x in enumerate(row)) for row in res.labels],
                    dtype=bool)
    return res.labels, glob
