"""Combining independent blocks into the table of the full loss (docs/math.md "Separable structure").

The critical set of ``L = Σ_b L_b`` (blocks in disjoint parameters) is the product of the blocks'
critical sets: inertia (hence index) adds, loss values add, and a point is global iff every component
is.  Counts by index and by loss level are convolutions of the blocks' distributions; a product point
is built only when the table lists points.  ``blocks`` are :class:`~qnnsym.critical.table.BlockResult`
values (``.indices``, ``.points``).
"""
from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Sequence

from ..exact.scalars import format_scalar
from ..landscape.interaction import embed_theta
from .classify import ClassifiedPoint, fmt_decimal, fmt_interval, global_word, kind_of

__all__ = ["MAX_LEVELS", "Interval"]

#: above this many distinct (index, level) classes the aggregated counts drop the loss levels
MAX_LEVELS = 10_000

Interval = tuple[Fraction, Fraction]


def _iv_json(iv: Interval) -> list[str]:
    return [format_scalar(iv[0]), format_scalar(iv[1])]


def _product_point(parts: Sequence[ClassifiedPoint], blocks: Sequence[BlockResult], comps: tuple[int, ...],
                   p: int) -> ClassifiedPoint:
    idx = [b.indices for b in blocks]
    theta = tuple(embed_theta([cp.theta for cp in parts], idx, p))
    box = tuple(embed_theta([cp.theta_box for cp in parts], idx, p))
    loss = (sum(cp.loss[0] for cp in parts), sum(cp.loss[1] for cp in parts))
    exact = sum(cp.loss_exact for cp in parts) if all(cp.loss_exact is not None for cp in parts) else None
    inertia = tuple(sum(cp.inertia[i] for cp in parts) for i in range(3))
    index = inertia[0] if inertia[1] == 0 else None
    flags = [cp.is_global for cp in parts]
    glob = False if False in flags else (None if None in flags else True)
    gap = None if any(cp.gap is None for cp in parts) else (sum(cp.gap[0] for cp in parts), sum(cp.gap[1] for cp in parts))
    cs = None
    if all(cp.cs is not None for cp in parts):
        pairs = embed_theta([list(zip(cp.cs[0::2], cp.cs[1::2])) for cp in parts], idx, p)
        cs = tuple(x for pair in pairs for x in pair)
    return ClassifiedPoint(theta=theta, theta_box=box, loss=loss, loss_exact=exact, inertia=inertia, index=index,
                           kind=kind_of(index, p), is_global=glob, gap=gap, cs=cs, point=None, components=comps)


def _distribution(points: Sequence[ClassifiedPoint], with_levels: bool) -> Counter:
    dist: Counter = Counter()
    for cp in points:
        lvl = cp.loss if with_levels else None
        dist[(cp.inertia, lvl, cp.is_global)] += 1
    return dist


def _convolve(a: Counter, b: Counter) -> Counter:
    out: Counter = Counter()
    for (ia, la, ga), na in a.items():
        for (ib, lb, gb), nb in b.items():
            inert = tuple(x + y for x, y in zip(ia, ib))
            lvl = None if la is None or lb is None else (la[0] + lb[0], la[1] + lb[1])
            g = False if (ga is False or gb is False) else (None if (ga is None or gb is None) else True)
            out[(inert, lvl, g)] += na * nb
    return out


def _few_levels(blocks: Sequence[BlockResult]) -> bool:
    """Cheap float estimate: at most MAX_LEVELS (index, loss level) classes in the product?"""
    est = {(0, 0.0)}
    for b in blocks:
        vals = {(cp.inertia[0], float(cp.loss[0])) for cp in b.points}
        est = {(i + j, round(x + y, 12)) for i, x in est for j, y in vals}
        if len(est) > MAX_LEVELS:
            return False
    return True


def _product_distribution(blocks: Sequence[BlockResult], with_levels: bool) -> Counter | None:
    """Counts of the product points by (inertia, loss level, global); None past MAX_LEVELS classes."""
    dist: Counter = Counter({((0, 0, 0), (Fraction(0), Fraction(0)) if with_levels else None, True): 1})
    for b in blocks:
        dist = _convolve(dist, _distribution(b.points, with_levels))
        if with_levels and len(dist) > MAX_LEVELS:
            return None
    return dist


def _counts(dist: Counter, p: int) -> dict:
    by_index: Counter = Counter()
    c = dict(minima=0, global_minima=0, spurious_minima=0, saddles=0, maxima=0, degenerate=0, undecided_global=0)
    for (inert, _lvl, g), n in dist.items():
        index = inert[0] if inert[1] == 0 else None
        kind = kind_of(index, p)
        if index is not None:
            by_index[index] += n
        c[{"minimum": "minima", "saddle": "saddles", "maximum": "maxima", "degenerate": "degenerate"}[kind]] += n
        if g is True:
            c["global_minima"] += n
        elif g is None:
            c["undecided_global"] += n
        elif kind == "minimum":
            c["spurious_minima"] += n
    c["by_index"] = dict(sorted(by_index.items()))
    return c


def _level_rows(dist: Counter, p: int) -> list[dict]:
    """Levels in the JSON form of a point: ``loss`` (exact string, else a decimal), ``loss_interval``
    (``[lo, hi]`` strings, as ``min_loss``), ``loss_exact``, ``index`` (None: degenerate), ``kind``,
    ``global`` (bool, None: undecided) and ``count``; ``loss*`` are None when levels were dropped."""
    rows = []
    for (inert, lvl, g), n in dist.items():
        index = inert[0] if inert[1] == 0 else None
        rows.append({"loss": None if lvl is None else (format_scalar(lvl[0]) if lvl[0] == lvl[1]
                                                        else fmt_decimal((lvl[0] + lvl[1]) / 2, 15)),
                     "loss_interval": None if lvl is None else _iv_json(lvl),
                     "loss_exact": None if lvl is None else lvl[0] == lvl[1],
                     "index": index, "kind": kind_of(index, p), "global": g, "count": n,
                     "_key": (Fraction(-1) if lvl is None else lvl[0], -1 if index is None else index)})
    rows.sort(key=lambda r: r.pop("_key"))
    return rows


def _level_display(lv: dict) -> dict:
    """A level as a table row (md/csv/latex): the enclosure as ``[a, b]``, ``global`` as a word."""
    iv = lv["loss_interval"]
    loss = "" if iv is None else (lv["loss"] if lv["loss_exact"] else
                                  fmt_interval((Fraction(iv[0]), Fraction(iv[1])), 12))
    return {"loss": loss, "index": "-" if lv["index"] is None else lv["index"], "kind": lv["kind"],
            "global": global_word(lv["global"], lv["kind"]), "count": lv["count"]}
