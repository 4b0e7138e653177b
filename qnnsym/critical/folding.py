"""Sign and half-turn symmetries of a loss, and the smaller box they leave to search for its minimum.

A map ``g: φ_l ↦ s_l φ_l + π ε_l`` (``s_l = ±1``, ``ε_l ∈ {0, 1}``) sends each term ``a_h Π_l b_{h_l}(φ_l)``
(``b_j = cos jφ``, ``b_{−j} = sin jφ``) to itself times ``(−1)^{Σ_l ε_l h_l + #{l : h_l < 0, s_l = −1}}``;
``L ∘ g = L`` exactly when that sign is ``+1`` for every term, a linear system over GF(2) in the bits
``(σ_l, ε_l)`` (``s_l = (−1)^{σ_l}``), read off the exact term list.  Symmetries ``g_1 … g_k`` whose *pivot*
coordinates ``l_i`` are moved by ``g_i`` and by no other ``g_j`` fold the torus: applying ``g_i`` to a point whose
``φ_{l_i}`` lies outside the half circle ``D_i`` (``[0, π]`` for ``φ ↦ φ + π`` or ``φ ↦ −φ``, ``[−π/2, π/2]`` for
``φ ↦ π − φ``) moves it inside without moving the other pivots, so every orbit meets ``Π D_i`` and
``min L`` over the torus is its minimum over that box: ``2^k`` times less volume to search.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..exact.trigpoly import TrigPoly

__all__ = ["Fold", "fold_symmetries", "symmetry_group"]


@dataclass(frozen=True)
class Fold:
    """A symmetry ``φ ↦ sφ + πε`` of the loss (``reflect[l]``: ``s_l = −1``; ``shift[l]``: ``ε_l = 1``) and the
    coordinate ``axis`` it folds to a half circle."""

    axis: int
    reflect: tuple[int, ...]
    shift: tuple[int, ...]

    def half(self) -> tuple[int, ...]:
        """The quarter turns (``0..3``: ``[q/4, (q + 1)/4]``) of the kept half of the folded coordinate."""
        l = self.axis
        return (0, 3) if self.reflect[l] and self.shift[l] else (0, 1)


def symmetry_group(poly: TrigPoly, limit: int = 1 << 12) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every ``(reflect, shift)`` bit pair with ``L(sφ + πε) = L(φ)`` (at most ``limit``: a kernel of dimension
    above ``log2 limit`` is cut to its first basis vectors), identity first.

    >>> L = TrigPoly(2, {(1, 1): 1, (0, -1): 1})          # cos φ₁ cos φ₂ + sin φ₂
    >>> symmetry_group(L)
    [((0, 0), (0, 0)), ((1, 0), (0, 0)), ((0, 1), (1, 1)), ((1, 1), (1, 1))]
    """
    p = poly.p
    # a row per term: bits 0..p-1 the σ_l of its sine factors, bits p..2p-1 the ε_l of its odd degrees
    rows = []
    for h in poly.terms:
        rows.append(sum(1 << l for l, x in enumerate(h) if x < 0) | sum(1 << (p + l) for l, x in enumerate(h) if x % 2))
    # reduced row echelon form over GF(2), then a kernel basis (one vector per free bit)
    piv: dict[int, int] = {}
    for r in rows:
        for b, pr in piv.items():
            if r >> b & 1:
                r ^= pr
        if r:
            b = r.bit_length() - 1
            for c in list(piv):
                if piv[c] >> b & 1:
                    piv[c] ^= r
            piv[b] = r
    basis = []
    for f in range(2 * p):
        if f in piv:
            continue
        v = 1 << f
        for b, pr in piv.items():
            if pr >> f & 1:
                v |= 1 << b
        basis.append(v)
    basis = basis[:max(0, limit.bit_length() - 1)]
    group = [0]
    for v in basis:
        group += [g ^ v for g in group]
    return [(tuple(g >> l & 1 for l in range(p)), tuple(g >> (p + l) & 1 for l in range(p))) for g in group]


def fold_symmetries(poly: TrigPoly, avoid=(), max_nodes: int = 2000) -> list[Fold]:
    """As many symmetries as a bounded depth-first search finds with distinct pivots (not in ``avoid``), each
    moving no other's pivot: the box ``Π D_i`` (module docstring) holds a global minimiser.

    >>> L = TrigPoly(2, {(1, 1): 1, (0, -1): 1})          # cos φ₁ cos φ₂ + sin φ₂: φ₁ ↦ −φ₁, (φ₁, φ₂) ↦ (φ₁ + π, π − φ₂)
    >>> [(f.axis, f.half()) for f in fold_symmetries(L)]
    [(0, (0, 1))]
    """
    p = poly.p
    group = sorted(symmetry_group(poly)[1:], key=lambda g: (sum(a | b for a, b in zip(*g)), g))
    best: list[Fold] = []
    nodes = 0

    def search(start: int, folds: list[Fold]) -> None:
        nonlocal best, nodes
        if len(folds) > len(best):
            best = list(folds)
        for i in range(start, len(group)):
            if nodes >= max_nodes or len(best) == p:
                return
            s, e = group[i]
            moved = [l for l in range(p) if s[l] or e[l]]
            if any(f.axis in moved for f in folds):
                continue
            for l in moved:
                if l not in avoid and not any(f.reflect[l] or f.shift[l] for f in folds):
                    nodes += 1
                    search(i + 1, folds + [Fold(l, s, e)])

    search(0, [])
    return best
