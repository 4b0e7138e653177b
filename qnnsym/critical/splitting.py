"""The coordinate bisected at each depth of the branch-and-bound tree of :mod:`.globalmin`."""
from __future__ import annotations

import numpy as np

__all__ = ["HELD_ROUNDS", "Schedule"]


class Schedule:
    """The coordinate bisected at each depth: after the axes ``first``, the widest side, first on ties
    (:func:`.exhaustion.split_axis`), except that the ``held`` coordinates are kept whole until the others have been
    halved ``rounds`` times (a loss minimised exactly along ``held`` is searched over the other coordinates first)."""

    def __init__(self, p: int, held=(), rounds: int = 0, first=()):
        self.p, self.held, self.rounds = p, tuple(held), rounds
        self.seq: list[int] = []
        self.counts = [np.zeros(p, dtype=np.int64)]
        for a in first:                  # the folded coordinates are halved first (symmetry: one half is kept)
            self.seq.append(int(a))
            self.counts.append(self.counts[-1] + np.eye(p, dtype=np.int64)[a])

    def _grow(self, depth: int) -> None:
        while len(self.seq) <= depth:
            n = self.counts[-1]
            free = [l for l in range(self.p) if l not in self.held]
            pool = free if self.held and free and min(n[free]) < self.rounds else range(self.p)
            a = min(pool, key=lambda l: (n[l], l))
            self.seq.append(a)
            m = n.copy()
            m[a] += 1
            self.counts.append(m)

    def axis(self, depth: int) -> int:
        self._grow(depth)
        return self.seq[depth]

    def splits(self, depth: int) -> np.ndarray:
        """How often each coordinate was halved in a box at ``depth``.

        >>> s = Schedule(3, held=(1,), rounds=2)
        >>> [s.axis(d) for d in range(7)], s.splits(7).tolist()
        ([0, 2, 0, 2, 1, 1, 0], [3, 2, 2])
        """
        self._grow(depth)
        return self.counts[depth]


#: rounds of halving the other coordinates before an exactly minimised one is split
HELD_ROUNDS = 8
