"""The objective rebuilt from the instance alone (eq. 6 or its kind), its digest and its independent blocks.

:func:`loss_by_interpolation` interpolates the direct simulation ``tr(UρU†M)`` exactly, without
the Φ-expansion engines; :func:`loss_digest` pins the polynomial a solver used.
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from .common import expansion_digest

__all__ = ['loss_digest', 'loss_by_interpolation', 'objective_of_outputs']


# --- critical-point tables (Theorem 7, Proposition 5) -----------------------------------------------

#: (cos α, sin α) of the interpolation step: the angles jα are distinct mod 2π (α/π is irrational)
_STEP = (Fraction(3, 5), Fraction(4, 5))


def loss_digest(loss) -> str:
    """SHA-256 of a loss's exact canonical JSON (``TrigPoly.as_json``): pins the polynomial solved."""
    return expansion_digest(loss.as_json())


def loss_by_interpolation(inst):
    """The loss ``L`` (eq. 6) rebuilt from the direct simulation ``tr(U ρ_k U† M)`` alone.

    Independent of the Φ-expansion engines (:mod:`qnnsym.expansion`): per parameter, ``f(ρ_k, θ)``
    lies in ``span{b_j(ω_l θ_l) : |j| ≤ D_l}`` with ``D_l = Δ_l/ω_l`` (``Δ_l`` the largest eigen-gap;
    ``D_l = 1`` for two-level gates, eq. 12).  At the nodes ``θ = jα`` (``j = 0..2D_l``,
    ``cos α = 3/5``) the matrix of basis values is invertible (distinct angles mod 2π), so the
    exact values of :func:`qnnsym.expansion.direct.outputs_direct_exact` on the tensor grid determine every
    ``f_k`` exactly; then ``L = (1/m) Σ_k (f_k − y_k)²``, or the instance's other objective
    (:func:`objective_of_outputs`).

    Parameters
    ----------
    inst : Instance
        An exact instance whose gates are two-level or integer-spectrum.

    Returns
    -------
    TrigPoly

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> from qnnsym.expansion import loss_poly
    >>> inst = prop5_instance(2)
    >>> loss_by_interpolation(inst) == loss_poly(inst)
    True
    """
    import flint

    from ...exact.trigpoly import TrigPoly, cos_sin_multiple
    from ...expansion.direct import outputs_direct_exact

    gates = inst.qnn.gates
    p = len(gates)
    nodes, inverses, orders = [], [], []
    for g in gates:
        D = max(1, g.max_gap // g.omega)
        order = [0] + [x for t in range(1, D + 1) for x in (t, -t)]
        pts = cos_sin_multiple(*_STEP, 2 * D)
        rows = []
        for c, s in pts:
            cphi, sphi = cos_sin_multiple(c, s, g.omega)[g.omega]
            tab = cos_sin_multiple(cphi, sphi, D)
            rows.append([Fraction(1) if h == 0 else (tab[h][0] if h > 0 else tab[-h][1]) for h in order])
        n = len(order)
        B = flint.fmpq_mat(n, n, [flint.fmpq(x.numerator, x.denominator) for r in rows for x in r])
        Bi = B.inv()
        inverses.append(np.array([[Fraction(int(Bi[i, j].p), int(Bi[i, j].q)) for j in range(n)] for i in range(n)],
                                 dtype=object))
        nodes.append(pts)
        orders.append(order)
    shape = tuple(len(o) for o in orders)
    F = np.empty((inst.m,) + shape, dtype=object)
    for idx in itertools.product(*(range(n) for n in shape)):
        vals = outputs_direct_exact(inst, [nodes[l][j] for l, j in enumerate(idx)])
        F[(slice(None),) + idx] = vals
    for l in range(p):
        F = np.moveaxis(np.tensordot(inverses[l], F, axes=([1], [l + 1])), 0, l + 1)
    omega = inst.qnn.omega
    outputs = [TrigPoly(p, {tuple(orders[l][i] for l, i in enumerate(idx)): F[(k,) + idx]
                            for idx in itertools.product(*(range(n) for n in shape))}, omega) for k in range(inst.m)]
    return objective_of_outputs(inst, outputs)


def objective_of_outputs(inst, outputs):
    """The instance's objective from its exact outputs ``f_k``, re-derived from the objective's
    kind as written in the instance: ``f_1`` (expectation), ``Σ w_k (f_k − y_k)² / Σ w_k``
    (weighted-square) or ``(1/m) Σ (f_k − y_k)²`` (square-loss, eq. 6)."""
    kind, weights = inst.objective.kind, inst.objective.weights
    if kind == "expectation":
        if len(outputs) != 1:
            raise ValueError(f"the expectation objective needs one state, the instance has {len(outputs)}")
        return outputs[0]
    if kind == "weighted-square":
        ws = [Fraction(w) for w in weights]
        if len(ws) != len(outputs) or min(ws) < 0 or not any(ws):
            raise ValueError("weighted-square needs one nonnegative weight per sample, not all zero")
    elif kind == "square-loss":
        ws = [Fraction(1)] * len(outputs)
    else:
        raise ValueError(f"unknown objective kind {kind!r}")
    from ...exact.trigpoly import TrigPoly

    loss = TrigPoly(outputs[0].p, {}, outputs[0].omega)
    for f, y, w in zip(outputs, inst.labels, ws):
        r = f - Fraction(y)
        loss = loss + (r * r).scale(w)
    return loss.scale(1 / Fraction(sum(ws)))


def _components(loss) -> list[list[int]]:
    """Connected components of the interaction graph (parameters sharing a Fourier term)."""
    parent = list(range(loss.p))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for h in loss.terms:
        sup = [l for l, j in enumerate(h) if j]
        for l in sup[1:]:
            parent[find(l)] = find(sup[0])
    groups: dict[int, list[int]] = {}
    for l in range(loss.p):
        groups.setdefault(find(l), []).append(l)
    return sorted(groups.values())


def _block_loss(loss, block: list[int]):
    """The non-constant terms of ``loss`` supported in ``block``, as a polynomial in its parameters."""
    from ...exact.trigpoly import TrigPoly

    inside = set(block)
    terms = {tuple(h[i] for i in block): v for h, v in loss.terms.items()
             if any(h) and {l for l, j in enumerate(h) if j} <= inside}
    return TrigPoly(len(block), terms, tuple(loss.omega[i] for i in block))
