"""Interaction graph of a loss and its independent blocks ("Separable structure" of docs/math.md).

A basis term ``Π_l b_{h_l}(φ_l)`` of a :class:`~qnnsym.exact.trigpoly.TrigPoly` *couples* the parameters
``l`` with ``h_l ≠ 0`` (its Fourier frequencies, eq. 6, have the same support).  The interaction
graph has one vertex per parameter and an edge between two parameters when some term couples
them.  Its connected components split ``L`` into a sum of polynomials in disjoint variable sets,
``L = Σ_b L_b(θ_{B_b})``; critical points of ``L`` are then exactly the products of the blocks'
critical points, the Hessian is block diagonal (indices add) and loss values add.

Examples
--------
>>> from fractions import Fraction
>>> from qnnsym.exact.trigpoly import TrigPoly
>>> L = TrigPoly(3, {(0, 0, 0): 1, (1, 0, 0): Fraction(1, 2), (0, 1, -1): 2})
>>> [idx for idx, _ in independent_blocks(L)]
[(0,), (1, 2)]
>>> sorted(interaction_graph(L).edges())
[(1, 2)]
"""
from __future__ import annotations

from typing import Sequence

import networkx as nx

from ..errors import ValidationError
from ..exact.trigpoly import TrigPoly

__all__ = ["interaction_graph", "independent_blocks", "restrict", "embed_theta"]


def interaction_graph(loss: TrigPoly) -> nx.Graph:
    """The interaction graph of ``loss`` (docs/math.md "Separable structure").

    Parameters
    ----------
    loss : TrigPoly
        A trigonometric polynomial in ``p`` parameters (typically ``L`` of eq. 6).

    Returns
    -------
    networkx.Graph
        Vertices ``0..p-1``; vertex attribute ``active`` (the loss depends on the parameter);
        an edge ``(i, j)`` when a term of ``loss`` has ``h_i ≠ 0`` and ``h_j ≠ 0``, with
        attribute ``terms`` = the number of such terms.

    Examples
    --------
    >>> L = TrigPoly(2, {(1, -1): 1})          # cos φ1 sin φ2 couples θ1 and θ2
    >>> G = interaction_graph(L)
    >>> G.edges[0, 1]["terms"], G.nodes[0]["active"]
    (1, True)
    """
    if not isinstance(loss, TrigPoly):
        raise ValidationError("loss", f"got {type(loss).__name__}", expected="a TrigPoly (e.g. qnnsym.loss_poly(instance))")
    G = nx.Graph()
    active = loss.variables()
    G.add_nodes_from((l, {"active": l in active}) for l in range(loss.p))
    for h in loss.terms:
        support = [l for l, j in enumerate(h) if j]
        for a in range(len(support)):
            for b in range(a + 1, len(support)):
                i, j = support[a], support[b]
                if G.has_edge(i, j):
                    G.edges[i, j]["terms"] += 1
                else:
                    G.add_edge(i, j, terms=1)
    return G


def restrict(loss: TrigPoly, indices: Sequence[int], keep_constant: bool = True) -> TrigPoly:
    """The terms of ``loss`` that involve only the parameters ``indices``, as a polynomial in them.

    Parameters
    ----------
    loss : TrigPoly
    indices : sequence of int
        Parameters of the block, in the order of the new polynomial's coordinates.
    keep_constant : bool
        Whether the constant term of ``loss`` is kept.

    Returns
    -------
    TrigPoly
        In ``len(indices)`` parameters, with the matching base frequencies ``ω``.

    Examples
    --------
    >>> L = TrigPoly(3, {(0, 0, 0): 1, (1, 0, 0): 2, (0, 1, -1): 3})
    >>> restrict(L, [1, 2], keep_constant=False).terms == {(1, -1): 3}
    True
    """
    idx = [int(i) for i in indices]
    if sorted(set(idx)) != sorted(idx) or any(not 0 <= i < loss.p for i in idx):
        raise ValidationError("indices", f"{idx}", expected=f"distinct parameter indices in 0..{loss.p - 1}")
    inside = set(idx)
    terms = {}
    for h, v in loss.terms.items():
        support = {l for l, j in enumerate(h) if j}
        if not support and not keep_constant:
            continue
        if support <= inside:
            terms[tuple(h[i] for i in idx)] = v
    return TrigPoly(len(idx), terms, tuple(loss.omega[i] for i in idx))


def independent_blocks(loss: TrigPoly) -> list[tuple[tuple[int, ...], TrigPoly]]:
    """Split ``loss`` into independent blocks (connected components of the interaction graph).

    Parameters
    ----------
    loss : TrigPoly

    Returns
    -------
    list of (indices, TrigPoly)
        One entry per component, ordered by smallest index; ``indices`` are increasing and the
        block polynomial is in those parameters.  The constant term of ``loss`` goes to the
        first block, so that ``Σ_b L_b = L`` exactly.  A parameter the loss does not depend on
        is a block of its own whose polynomial is constant (a positive-dimensional critical set).

    Examples
    --------
    >>> from fractions import Fraction
    >>> L = TrigPoly(2, {(0, 0): Fraction(1, 2), (1, 0): 1, (0, -1): 1})   # separable
    >>> [(idx, blk.terms == want) for (idx, blk), want in
    ...  zip(independent_blocks(L), [{(0,): Fraction(1, 2), (1,): 1}, {(-1,): 1}])]
    [((0,), True), ((1,), True)]
    """
    G = interaction_graph(loss)
    comps = sorted((tuple(sorted(c)) for c in nx.connected_components(G)), key=lambda c: c[0])
    return [(c, restrict(loss, c, keep_constant=(b == 0))) for b, c in enumerate(comps)]


def embed_theta(blocks_theta: Sequence[Sequence[object]], blocks: Sequence[Sequence[int]], p: int) -> list:
    """Assemble a full parameter vector from per-block values (inverse of the block split).

    Examples
    --------
    >>> embed_theta([[0.5], [1.0, 2.0]], [(1,), (0, 2)], 3)
    [1.0, 0.5, 2.0]
    """
    out: list = [None] * p
    for vals, idx in zip(blocks_theta, blocks):
        for v, i in zip(vals, idx):
            out[i] = v
    if any(v is None for v in out):
        raise ValidationError("blocks", "do not cover every parameter", expected=f"a partition of 0..{p - 1}")
    return out
