"""Disconnectivity trees (Becker & Karplus 1997; Wales): superbasins merging as the level rises.

Two minima are in the same *superbasin* at level ``E`` when a chain of transition states all below
``E`` joins them.  Sorting the edges of the minima–saddle graph by their level ``L(s)`` and merging the
components of their ends with a union–find (Kruskal's algorithm for the minimum spanning tree of the
levels) gives every merge event: the level, the saddle, and the two superbasins it joins.  An edge
whose ends are already joined (a second saddle between the same superbasins, a self-loop) merges
nothing.  The tree's leaves are the minima at their loss values, its internal nodes the merges at the
saddles' levels; a graph with several components gives a forest (reported, never hidden).

Examples
--------
A hand-made case: three minima ``a < b < c`` (losses 0, 1, 2), saddles ``ab`` at 3 and ``bc`` at 2.5:

>>> import networkx as nx
>>> G = nx.MultiGraph()
>>> for n, e in (("a", 0.0), ("b", 1.0), ("c", 2.0)):
...     G.add_node(n, loss=e, is_global=(n == "a"), gap=e)
>>> _ = G.add_edge("a", "b", key="ab", saddle="ab", level=3.0)
>>> _ = G.add_edge("b", "c", key="bc", saddle="bc", level=2.5)
>>> T = disconnectivity_tree(G)
>>> [(m.level, m.saddle, sorted(m.members)) for m in T.merges]
[(2.5, 'bc', ['b', 'c']), (3.0, 'ab', ['a', 'b', 'c'])]
>>> T.escape_barrier("c"), T.escape_barrier("a")
(1.0, None)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import networkx as nx

from ..errors import ValidationError

__all__ = ["Merge", "DisconnectivityTree", "disconnectivity_tree", "superbasins"]


@dataclass(frozen=True)
class Merge:
    """A merge event: at ``level`` the ``saddle`` joins superbasins ``left`` and ``right`` into ``members``."""

    level: float
    saddle: object
    left: frozenset
    right: frozenset
    members: frozenset
    #: the exact level when the table proved the saddle's value, else None
    level_exact: object = None


@dataclass
class DisconnectivityTree:
    """Leaves (minimum → loss), merges in increasing level, roots (one per connected component)."""

    leaves: dict
    merges: list[Merge]
    roots: list[frozenset]
    global_minima: list = field(default_factory=list)
    gaps: dict = field(default_factory=dict)
    #: minimum → exact loss (a Fraction) where the table proved it
    exact: dict = field(default_factory=dict)

    def _repr_html_(self) -> str:
        """Jupyter: the leaves (exact loss where known, gap, escape barrier) and the merges."""
        from ..tables import html_table

        def shown(v):
            return str(v) if isinstance(v, Fraction) else v

        leaves = [{"minimum": x, "loss": shown(self.value(x)), "global": x in self.global_minima,
                   "gap": shown(self.gap_value(x)), "escape_barrier": self.escape_barrier(x)} for x in self.leaf_order()]
        merges = [{"level": shown(m.level if m.level_exact is None else m.level_exact), "saddle": m.saddle,
                   "joins": f"{sorted(m.left, key=str)} + {sorted(m.right, key=str)}"} for m in self.merges]
        return (html_table(leaves, caption=f"disconnectivity tree: {len(self.leaves)} minima, connected: {self.connected}")
                + html_table(merges, caption="merges (saddle levels)"))

    def value(self, minimum):
        """The loss of a leaf for display: the exact value where known (``1/6``), else the float."""
        return self.exact.get(minimum, self.leaves[minimum])

    def gap_value(self, minimum):
        """``L − min L`` for display: exact where both values are known, else the float gap."""
        lows = [self.exact.get(g) for g in self.global_minima]
        if minimum in self.exact and lows and all(v is not None for v in lows):
            return self.exact[minimum] - min(lows)
        return self.gaps.get(minimum)

    @property
    def connected(self) -> bool:
        return len(self.roots) == 1

    def merge_level(self, a, b) -> float | None:
        """The lowest level at which minima ``a`` and ``b`` share a superbasin (``None``: never)."""
        for m in self.merges:
            if a in m.members and b in m.members:
                return m.level
        return None

    def escape_barrier(self, minimum) -> float | None:
        """``(level at which minimum joins a global minimum's superbasin) − L(minimum)``; ``None`` for a
        global minimum or when it never joins one."""
        if minimum in self.global_minima:
            return None
        lv = [x for g in self.global_minima if (x := self.merge_level(minimum, g)) is not None]
        return None if not lv else min(lv) - self.leaves[minimum]

    def leaf_order(self) -> list:
        """Minima in drawing order: each merge puts the superbasin with the lower minimum on the left."""
        order: dict[frozenset, list] = {frozenset([x]): [x] for x in self.leaves}
        for m in self.merges:
            a, b = order.pop(m.left), order.pop(m.right)
            if min(self.leaves[x] for x in b) < min(self.leaves[x] for x in a):
                a, b = b, a
            order[m.members] = a + b
        roots = sorted(order.values(), key=lambda seq: min(self.leaves[x] for x in seq))
        return [x for seq in roots for x in seq]

    def to_json(self) -> dict:
        return {"leaves": [{"minimum": _jkey(k), "loss": v, "global": k in self.global_minima,
                            "gap": self.gaps.get(k), "escape_barrier": self.escape_barrier(k)}
                           for k, v in self.leaves.items()],
                "merges": [{"level": m.level, "saddle": _jkey(m.saddle), "left": sorted(map(_jkey, m.left), key=str),
                            "right": sorted(map(_jkey, m.right), key=str)} for m in self.merges],
                "roots": [sorted(map(_jkey, r), key=str) for r in self.roots], "connected": self.connected,
                "leaf_order": [_jkey(x) for x in self.leaf_order()]}


def _jkey(x):
    return x if isinstance(x, (int, str)) else str(x)


def disconnectivity_tree(G: nx.MultiGraph) -> DisconnectivityTree:
    """The disconnectivity tree of a minima–saddle graph (Kruskal-style union–find over the saddles).

    Parameters
    ----------
    G : networkx.MultiGraph
        Nodes with attribute ``loss`` (and optionally ``is_global``, ``gap``); edges with ``level`` and
        ``saddle`` (:func:`~qnnsym.landscape.graph.minima_saddle_graph`).

    Returns
    -------
    DisconnectivityTree
    """
    if G.number_of_nodes() == 0:
        raise ValidationError("graph", "has no minima", expected="a minima–saddle graph with at least one node")
    leaves = {}
    for n, d in G.nodes(data=True):
        if "loss" not in d:
            raise ValidationError(f"graph node {n}", "has no 'loss'", expected="node attribute loss (a float)")
        leaves[n] = float(d["loss"])
    parent = {n: n for n in leaves}
    members = {n: frozenset([n]) for n in leaves}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (float(e[3]["level"]), str(e[2])))
    merges = []
    for u, v, key, d in edges:
        ru, rv = find(u), find(v)
        if ru == rv:
            continue
        left, right = members[ru], members[rv]
        parent[rv] = ru
        members[ru] = left | right
        del members[rv]
        merges.append(Merge(float(d["level"]), d.get("saddle", key), left, right, members[ru], d.get("level_exact")))
    roots = sorted(members.values(), key=lambda s: min(leaves[x] for x in s))
    glob = [n for n, d in G.nodes(data=True) if d.get("is_global")]
    if not glob:
        lo = min(leaves.values())
        glob = [n for n, e in leaves.items() if e == lo]
    gaps = {n: d.get("gap") for n, d in G.nodes(data=True)}
    exact = {n: d["loss_exact"] for n, d in G.nodes(data=True) if d.get("loss_exact") is not None}
    return DisconnectivityTree(leaves, merges, roots, glob, gaps, exact)


def superbasins(tree: DisconnectivityTree, level: float) -> list[frozenset]:
    """The superbasins at ``level``: minima joined by saddles strictly below it.

    >>> import networkx as nx
    >>> G = nx.MultiGraph(); G.add_node(1, loss=0.0); G.add_node(2, loss=1.0)
    >>> _ = G.add_edge(1, 2, level=2.0)
    >>> [sorted(s) for s in superbasins(disconnectivity_tree(G), 1.5)], [sorted(s) for s in superbasins(disconnectivity_tree(G), 2.5)]
    ([[1], [2]], [[1, 2]])
    """
    groups = {x: frozenset([x]) for x in tree.leaves}
    for m in tree.merges:
        if m.level < level:
            for x in m.members:
                groups[x] = m.members
    return sorted(set(groups.values()), key=lambda s: min(tree.leaves[x] for x in s))
