"""Exact combinatorics behind the root-count bounds (Theorem 7, multihomogeneous Bézout)."""
from __future__ import annotations

from typing import Sequence

__all__ = ['permanent']


def permanent(matrix: Sequence[Sequence[int]]) -> int:
    """Permanent of a square integer matrix (dynamic programming over column subsets, sparse).

    >>> permanent([[2, 2], [2, 2]]), permanent([[2, 0], [0, 2]]), permanent([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    (8, 4, 450)
    """
    n = len(matrix)
    layer = {0: 1}
    for row in matrix:
        nxt: dict[int, int] = {}
        for mask, v in layer.items():
            for j, a in enumerate(row):
                if a and not mask >> j & 1:
                    nxt[mask | 1 << j] = nxt.get(mask | 1 << j, 0) + v * a
        layer = nxt
    return layer.get((1 << n) - 1, 0)
