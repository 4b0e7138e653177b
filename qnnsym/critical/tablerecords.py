"""The records of a table of critical points: :class:`BlockResult` (one block's solve, classified) and
:class:`CriticalTable` (the whole table, Sect. 5) with their renderings (Markdown, CSV, LaTeX, JSON, Jupyter).

:func:`qnnsym.critical.table.critical_table` builds them.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Sequence

from ..exact.scalars import long_integers
from ..exact.trigpoly import TrigPoly
from .classify import ClassifiedPoint, LossData, classify_points, fmt_interval
from .blockproduct import Interval, _iv_json, _level_display
from .points import points_json

__all__ = ["BlockResult", "COUNT_KEYS", "CriticalTable", "MAX_POINTS", "NO_CERTIFICATION"]

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
                   progress: bool = False, workers: int | None = None) -> "BlockResult":
        """Classify the real points of ``result`` (a :class:`SolveResult` of ``loss``; ``workers``: see
        :func:`~qnnsym.critical.classify.classify_points`)."""
        t0 = time.perf_counter()
        if result.dimension > 0:
            return cls(tuple(indices), loss, result, [], result.dimension)
        pts = classify_points(LossData(loss), result.real_points, complete=result.complete, bits=bits, progress=progress,
                              workers=workers)
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
    #: a positive-dimensional critical set covered by region leaves (:mod:`.degenerate`)
    degenerate: object | None = None

    @property
    def aggregated(self) -> bool:
        """True when the points are not listed (too many), only counted."""
        return self.points is None and self.dimension == 0 and self.n_real is not None

    def route_summary(self) -> str:
        """Which route solved the table and why: the ``auto`` notes of its blocks (one per distinct choice),
        else the backend that was asked for.

        >>> from qnnsym.critical.table import critical_table
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
        """JSON-ready dict (exact numbers as strings, of any length; see ``docs/critical-points.md``)."""
        with long_integers():
            return self._json()

    def _json(self) -> dict:
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
            **({} if self.degenerate is None else {"degenerate": self.degenerate.to_json()}),
        }

    def rows(self) -> list[dict]:
        """Display rows (md, csv, latex): points, or levels when aggregated (:func:`~qnnsym.tables.table_text`)."""
        if self.components is not None:
            return self.components.rows()
        if self.degenerate is not None:
            return self.degenerate.rows()
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
        if self.degenerate is not None:
            return out + [f"critical set is positive-dimensional (dimension {self.dimension}): covered by regions"] \
                + self.degenerate.statement()
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
