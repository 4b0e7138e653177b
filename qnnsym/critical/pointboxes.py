"""Point boxes on the torus ``R^p/Z^p`` (turns): exact inclusion / disjointness of boxes, and the list of point
boxes of a cover (:mod:`.exhaustion`, :mod:`.globalmin`)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = ["box_relation"]


def box_relation(c1, r1, c2, r2) -> str:
    """``"inside"`` (``c1 ± r1`` lies in the interior of ``c2 ± r2``), ``"disjoint"`` or ``"meets"``, on the torus
    ``R^p/Z^p`` (boxes narrower than 1/2; the representative of the first nearest the second), exactly.

    >>> box_relation([0.99], [0.001], [0.0], [0.1]), box_relation([0.5], [0.1], [0.0], [0.1])
    ('inside', 'disjoint')
    """
    inside, disjoint = True, False
    for a, ra, b, rb in zip(c1, r1, c2, r2):
        a, ra, b, rb = Fraction(float(a)), Fraction(float(ra)), Fraction(float(b)), Fraction(float(rb))
        a -= round(a - b)
        if abs(a - b) + ra >= rb:
            inside = False
        if abs(a - b) > ra + rb:
            disjoint = True
    return "inside" if inside else "disjoint" if disjoint else "meets"


class _Points:
    """The point boxes found so far; matching on the torus (mod 1)."""

    def __init__(self, p: int):
        self.c = np.zeros((0, p))
        self.r = np.zeros((0, p))

    def inside(self, c, r) -> int | None:
        """A listed point box lying inside ``c ± r`` (mod 1, decided exactly), or None."""
        for j in range(len(self.c)):
            if box_relation(self.c[j], self.r[j], c, r) == "inside":
                return j
        return None

    def overlaps(self, c, r) -> bool:
        """Whether ``c ± r`` may meet a listed point box (mod 1, decided exactly)."""
        return any(box_relation(self.c[j], self.r[j], c, r) != "disjoint" for j in range(len(self.c)))

    def add(self, c, r) -> int:
        self.c = np.vstack([self.c, c])
        self.r = np.vstack([self.r, r])
        return len(self.c) - 1
