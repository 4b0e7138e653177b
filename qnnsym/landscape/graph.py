"""The minima–saddle graph of a certified table: which transition state joins which two minima.

From every index-1 critical point ``s`` (a saddle; for one parameter, a maximum) the loss decreases
along ``± v`` with ``v`` the eigenvector of the Hessian's negative eigenvalue.  Steepest descent
(:mod:`.descent`) from ``s ± ε v`` is integrated until a certified minimum captures it; the two
minima reached are joined by an edge labelled ``s``.  Nodes are the listed minima (certified
points), edges the saddles, edge weight the barrier ``L(s) − min(L(a), L(b))``.  A descent that no
minimum captures is kept in ``graph.graph["unmatched"]`` with its reason — never dropped silently.

For a separable loss (independent blocks, docs/math.md "Separable structure") the graph is the Cartesian
product of the blocks' graphs: an index-1 point of the product has one block at an index-1 point and
every other block at a minimum, and the descent moves that block only.  :func:`product_graph` builds
it (levels add; barriers are those of the block), so tables reported as counts (Proposition 5) get
a graph too, up to ``max_nodes`` minima.

Examples
--------
>>> from fractions import Fraction
>>> from qnnsym.exact.trigpoly import TrigPoly
>>> from qnnsym.landscape.points import Block, LandscapePoint
>>> L = TrigPoly(1, {(0,): 1, (1,): -1})              # 1 − cos 2θ on [0, π): min 0, max π/2
>>> b = Block((0,), L, [LandscapePoint(1, (0.0,), 0, 0.0, "minimum", True),
...                     LandscapePoint(2, (1.5707963267948966,), 1, 2.0, "maximum")])
>>> G = minima_saddle_graph(b)
>>> [(u, v, d["saddle"], round(d["barrier"], 6)) for u, v, d in G.edges(data=True)]
[(1, 1, 2, 2.0)]
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Sequence

import networkx as nx
import numpy as np

from ..errors import ValidationError
from .descent import capture_regions, descend
from .points import Block, point_label

__all__ = ["minima_saddle_graph", "product_graph", "graph_rows", "graph_summary", "DescentRecord", "MAX_NODES"]

#: a product graph with more minima than this is not built (the block graphs are returned)
MAX_NODES = 20_000


@dataclass
class DescentRecord:
    """One descent from a transition state: ``saddle`` label, ``sign`` (±1), ``minimum`` reached
    (label or None), ``status``, ``reason`` (for an unmatched one), ``steps``, ``path`` (θ rows)."""

    saddle: int
    sign: int
    minimum: int | None
    status: str
    reason: str
    steps: int
    end: tuple[float, ...]
    path: np.ndarray | None = None

    def to_json(self, with_path: bool = False) -> dict:
        out = {"saddle": self.saddle, "sign": self.sign, "minimum": self.minimum, "status": self.status,
               "reason": self.reason, "steps": self.steps, "end": list(self.end)}
        if with_path and self.path is not None:
            out["path"] = self.path.tolist()
        return out


def minima_saddle_graph(block: Block, eps: float = 1e-3, max_steps: int = 200_000, record: int = 0,
                        progress: bool = False) -> nx.MultiGraph:
    """The minima–saddle graph of one block (see the module docstring).

    Parameters
    ----------
    block : Block
        Plain data of a certified table (:func:`~qnnsym.landscape.points.blocks_from_table`).
    eps : float
        Start of each descent: ``s ± eps·v`` (θ units; ``v`` a unit eigenvector).
    max_steps : int
        Steps per descent before it is reported unmatched.
    record : int
        Keep each descent path every ``record`` steps (``graph.graph["descents"][i].path``).
    progress : bool
        A tqdm bar over the descents (standard error).

    Returns
    -------
    networkx.MultiGraph
        Nodes: minimum labels, attributes ``theta``, ``loss``, ``global``, ``gap``.  Edges ``(a, b, key=s)``:
        attributes ``saddle`` (label), ``level`` (``L(s)``), ``barrier`` (``L(s) − min(L(a), L(b))``),
        ``barrier_from`` (``{a: L(s) − L(a), b: L(s) − L(b)}``).  ``graph.graph``: ``descents`` (every
        :class:`DescentRecord`), ``unmatched`` (those not captured), ``higher_index`` (count of
        index ≥ 2 points, not followed), ``degenerate``, ``complete`` (the table's).

    Raises
    ------
    ValidationError
        A block without minima, or a bad ``eps``.
    """
    if not eps > 0:
        raise ValidationError("eps", f"{eps}", expected="a positive step off the saddle (θ units)")
    mins = block.minima
    if not mins:
        raise ValidationError("block", "has no listed minimum", expected="a table with at least one minimum")
    G = nx.MultiGraph()
    for q in mins:
        G.add_node(q.label, theta=q.theta, loss=q.loss, is_global=q.is_global, gap=q.gap, loss_exact=q.loss_exact)
    region = capture_regions(block, local=True)
    ts = block.transition_states
    starts, meta = [], []
    for s in ts:
        c = np.asarray(s.theta, dtype=float)
        H = np.atleast_2d(block.loss.hessian(c))
        ev, V = np.linalg.eigh(H)
        v = V[:, 0] / np.linalg.norm(V[:, 0])
        for sign in (1, -1):
            starts.append(c + sign * eps * v)
            meta.append((s, sign, float(ev[0])))
    records: list[DescentRecord] = []
    if starts:
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(starts), desc="descents", unit="path", leave=False)
        try:
            res = descend(block.loss, np.array(starts), [region], max_steps=max_steps,
                          record=record, progress=bar)
        finally:
            if bar is not None:
                bar.close()
        for n, (s, sign, lam) in enumerate(meta):
            lab = int(res.labels[n, 0])
            end = tuple(float(t) for t in res.theta[n])
            if lam >= 0:
                reason = f"the float Hessian at saddle {s.label} has no negative eigenvalue ({lam:.3g})"
            elif lab >= 0:
                reason = ""
            else:
                near, kind, dist = region.nearest(res.theta[n])
                what = f"nearest listed point {near} ({kind}) at distance {dist:.3g}"
                reason = ("stalled (gradient ~ 0) away from every listed minimum; " + what
                          + ("" if dist < 1e-3 else " — a critical point not in the table?")
                          if res.status[n] == "stalled" else f"not captured in {max_steps} steps; {what}")
            records.append(DescentRecord(s.label, sign, lab if lab >= 0 else None,
                                         "matched" if lab >= 0 else "unmatched", reason, int(res.steps[n]), end,
                                         None if res.paths is None else res.paths[n]))
    by_saddle: dict[int, list[DescentRecord]] = {}
    for r in records:
        by_saddle.setdefault(r.saddle, []).append(r)
    levels = {q.label: q.loss for q in block.points}
    for s in ts:
        rs = by_saddle.get(s.label, [])
        if len(rs) == 2 and all(r.minimum is not None for r in rs):
            a, b = rs[0].minimum, rs[1].minimum
            la, lb = levels[a], levels[b]
            G.add_edge(a, b, key=s.label, saddle=s.label, level=s.loss, level_exact=s.loss_exact,
                       barrier=s.loss - min(la, lb),
                       barrier_from={a: s.loss - la, b: s.loss - lb}, theta=s.theta)
    G.graph.update(descents=records, unmatched=[r for r in records if r.minimum is None],
                   transition_states=len(ts), higher_index=sum(1 for q in block.points if (q.index or 0) >= 2),
                   degenerate=sum(1 for q in block.points if q.index is None), complete=block.complete,
                   indices=block.indices)
    return G


def product_graph(graphs: Sequence[nx.MultiGraph], max_nodes: int = MAX_NODES) -> nx.MultiGraph:
    """The minima–saddle graph of a separable loss from its blocks' graphs (Cartesian product).

    Nodes are label strings ``"a.b.c"`` (one block label each, :func:`~qnnsym.landscape.points.point_label`),
    with ``loss`` = the sum of the blocks' losses and ``is_global`` = all blocks global.  An edge
    changes one block along one of its edges: ``level`` = the saddle's block level plus the other
    blocks' minimum values, ``barrier`` as in the block, ``saddle`` = the product point's label.

    >>> A = nx.MultiGraph(); A.add_node(1, loss=0.0, is_global=True, gap=0.0); A.add_node(2, loss=1.0, is_global=False, gap=1.0)
    >>> _ = A.add_edge(1, 2, key=3, saddle=3, level=2.0, barrier=2.0, barrier_from={1: 2.0, 2: 1.0})
    >>> P = product_graph([A, A])
    >>> P.number_of_nodes(), P.number_of_edges(), sorted(P.nodes["1.1"].items())[1]
    (4, 4, ('is_global', True))
    """
    if len(graphs) == 1:
        return graphs[0]
    n = 1
    for g in graphs:
        n *= g.number_of_nodes()
    if n > max_nodes:
        raise ValidationError("graph", f"the product has {n} minima", expected=f"at most max_nodes = {max_nodes}",
                              fix="inspect the block graphs (one per independent block) instead")
    P = nx.MultiGraph()
    node_lists = [list(g.nodes) for g in graphs]
    for combo in itertools.product(*node_lists):
        data = [g.nodes[v] for g, v in zip(graphs, combo)]
        loss = sum(d["loss"] for d in data)
        glob = None if any(d.get("is_global") is None for d in data) else all(d["is_global"] for d in data)
        gap = None if any(d.get("gap") is None for d in data) else sum(d["gap"] for d in data)
        P.add_node(point_label(combo), loss=loss, is_global=glob, gap=gap, labels=combo,
                   loss_exact=_exact_sum(d.get("loss_exact") for d in data))
    for b, g in enumerate(graphs):
        others = node_lists[:b] + node_lists[b + 1:]
        for u, v, key, d in g.edges(keys=True, data=True):
            for rest in itertools.product(*others):
                base = sum(graphs[i if i < b else i + 1].nodes[x]["loss"] for i, x in enumerate(rest))
                base_exact = _exact_sum([graphs[i if i < b else i + 1].nodes[x].get("loss_exact")
                                         for i, x in enumerate(rest)] + [d.get("level_exact")])
                cu = rest[:b] + (u,) + rest[b:]
                cv = rest[:b] + (v,) + rest[b:]
                cs = rest[:b] + (key,) + rest[b:]
                P.add_edge(point_label(cu), point_label(cv), key=point_label(cs), saddle=point_label(cs),
                           level=d["level"] + base, level_exact=base_exact, barrier=d["barrier"],
                           barrier_from={point_label(cu): d["barrier_from"][u], point_label(cv): d["barrier_from"][v]})
    P.graph.update(unmatched=[r for g in graphs for r in g.graph.get("unmatched", [])],
                   descents=[r for g in graphs for r in g.graph.get("descents", [])],
                   blocks=[g.graph.get("indices") for g in graphs],
                   complete=all(g.graph.get("complete", True) for g in graphs))
    return P


def graph_rows(G: nx.MultiGraph) -> list[dict]:
    """One row per edge: ``saddle``, ``minimum_a``, ``minimum_b``, ``level``, ``barrier`` (sorted by level)."""
    rows = []
    for u, v, d in G.edges(data=True):
        rows.append({"saddle": d["saddle"], "minimum_a": u, "minimum_b": v, "level": d["level"],
                     "barrier": d["barrier"], "barrier_a": d["barrier_from"][u], "barrier_b": d["barrier_from"][v],
                     "self_loop": u == v})
    return sorted(rows, key=lambda r: (r["level"], str(r["saddle"])))


def graph_summary(G: nx.MultiGraph) -> dict:
    """Counts of the graph: minima, edges, transition states followed, descents matched / unmatched,
    connected or not (and the number of components), self-loops."""
    desc = G.graph.get("descents", [])
    return {"minima": G.number_of_nodes(), "edges": G.number_of_edges(),
            "transition_states": G.graph.get("transition_states", len({r.saddle for r in desc})),
            "descents": len(desc), "matched": sum(1 for r in desc if r.minimum is not None),
            "unmatched": len(G.graph.get("unmatched", [])),
            "connected": bool(G.number_of_nodes()) and nx.is_connected(G),
            "components": nx.number_connected_components(G) if G.number_of_nodes() else 0,
            "self_loops": nx.number_of_selfloops(G),
            "higher_index_not_followed": G.graph.get("higher_index", 0),
            "complete_table": G.graph.get("complete", True)}


def _exact_sum(values):
    """The exact sum of values that are all known (Fractions), else None.

    >>> from fractions import Fraction as F
    >>> _exact_sum([F(1, 6), F(1, 3)]), _exact_sum([F(1, 6), None])
    (Fraction(1, 2), None)
    """
    values = list(values)
    return None if any(v is None for v in values) else sum(values)
