"""Tight enclosures of a trigonometric polynomial of degree ≤ 1 per coordinate on boxes: its values at the
vertices of triangles that contain the arcs (a multi-affine function's extremes over a product of polytopes
lie at vertices).

An output ``f(ρ, θ)`` of eq. 12, an energy ``tr(U ρ U† H)`` or a residual ``f − y`` is affine in each vector
``w_l = (cos φ_l, sin φ_l)`` separately.  On a box ``|φ_l − m_l| ≤ δ_l``, ``w_l = R(m_l) v_l`` with ``v_l =
(cos t_l, sin t_l)`` on the arc ``|t_l| ≤ δ_l``, which lies in a triangle ``Δ_l``: the tangent triangle
``(cos δ, ±sin δ), (sec δ, 0)`` for ``δ ≤ 1.1`` (built for a slightly larger angle, enlarged about its centroid,
rounded, and its containment of the arc decided in ``arb``), else the equilateral triangle circumscribing the
unit circle.  ``f`` is affine in each ``v_l``, so ``min``/``max`` over ``Π Δ_l ⊇`` the box are attained at the
``3^p`` vertex combinations; these are evaluated by one contraction per axis.  Error of the floats: every
factor ``cos m·X − sin m·Y`` is at most ``ρ_l = max_v(|X_v| + |Y_v|)`` in size, so the computed values are
within ``Σ_h |c_h| Π_{l ∈ supp h} ρ_l · γ`` (``γ = (8p + 16)·2^-52``, any order of summation) plus ``2^-1000``
for underflow.  The gap to the true range is ``O(δ²)`` with no dependency effect (the enclosure of
:class:`~.globalmin.AffineEnclosure` bounds each monomial separately).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..exact.trigpoly import TrigPoly
from .exhaustion import TWO_PI_UP, LossJet

__all__ = ["VertexEnclosure", "arc_triangle"]

_FULL = (np.array([[2.0, 0.0], [-1.0, -float(np.nextafter(math.sqrt(3), np.inf))],
                   [-1.0, float(np.nextafter(math.sqrt(3), np.inf))]]))


def arc_triangle(delta: float) -> np.ndarray:
    """Vertices (3, 2) of a triangle containing the arc ``{(cos t, sin t) : |t| ≤ delta}`` (proven in arb).

    >>> V = arc_triangle(0.1)
    >>> bool(V[2, 0] > 1 > V[0, 0] > 0.99), bool(abs(V[1, 1]) > 0.0998)
    (True, True)
    >>> arc_triangle(1.5).tolist()[0]
    [2.0, 0.0]
    """
    import flint

    from ..exact.interval import precision

    if not 2.0 ** -40 <= delta <= 1.1:
        return _FULL
    with precision(120):
        d = flint.arb(delta)
        dp = d * (1 + flint.arb(2) ** -30)
        a, b, x = dp.cos(), dp.sin(), 1 / dp.cos()
        g = (2 * a + x) / 3                     # centroid (g, 0)
        s = 1 + flint.arb(2) ** -30
        ax, ay, cx = float((g + s * (a - g)).mid()), float((s * b).mid()), float((g + s * (x - g)).mid())
        ax_, ay_, cx_ = flint.arb(ax), flint.arb(ay), flint.arb(cx)
        # (1) the arc lies right of x = ax; (2) the normal (ay, cx − ax) of the edge (ax, ay)–(cx, 0) points beyond
        # the arc's end (β > δ), so the arc's largest value of n·v is at t = δ, and that is below n·C = ay·cx
        n1, n2 = ay_, cx_ - ax_
        ok = (d.cos() - ax_ > 0) and n1 > 0 and (n2 - n1 * d.tan() > 0) \
            and (ay_ * cx_ - (n1 * d.cos() + n2 * d.sin()) > 0)
    if not ok:
        return _FULL
    return np.array([[ax, -ay], [ax, ay], [cx, 0.0]])


class VertexEnclosure:
    """Rigorous ``(lower, upper)`` bounds of ``poly`` (degree ≤ 1 in every coordinate) on boxes ``u ± r`` (turns).

    Examples
    --------
    ``f = cos φ₁ cos φ₂ + sin φ₂`` on the box ``φ ∈ [−π/8, π/8]²``: the range is ``[cos²(π/8) − sin(π/8),
    1 + ...]``; the enclosure holds it and is within ``O(δ²)``.

    >>> f = TrigPoly(2, {(1, 1): 1, (0, -1): 1})
    >>> lo, hi = VertexEnclosure(f)(np.zeros((1, 2)), np.full(2, 1 / 16))
    >>> t = np.linspace(-np.pi / 8, np.pi / 8, 201)
    >>> vals = np.cos(t)[:, None] * np.cos(t)[None, :] + np.sin(t)[None, :]
    >>> bool(lo[0] <= vals.min() and vals.max() <= hi[0]), bool(vals.min() - lo[0] < 0.2)
    (True, True)
    """

    def __init__(self, poly: TrigPoly):
        p = self.p = poly.p
        if any(abs(x) > 1 for h in poly.terms for x in h):
            raise ValueError("degree above 1 in a coordinate")
        C = np.zeros((3,) * p)
        supp, absc = [], []
        for h, c in poly.terms.items():
            C[tuple(0 if x == 0 else 1 if x > 0 else 2 for x in h)] = float(c)
            supp.append([x != 0 for x in h])
            absc.append(float(abs(Fraction(c))) * (1 + 2.0 ** -52))
        self.C = C.reshape(3, -1)
        self.supp = np.array(supp, dtype=bool).reshape(len(supp), p)
        self.absc = np.array(absc)
        self.gamma = (8 * p + 16 + len(absc)) * 2.0 ** -52 * (1 + 1e-10)
        self.jet = LossJet(TrigPoly(p, {(1,) * p: 1}, poly.omega))      # its arb-cached cos/sin tables
        self._tri: dict = {}

    def _triangles(self, delta: np.ndarray):
        key = tuple(float(x) for x in delta)
        if key not in self._tri:
            V = [arc_triangle(float(d)) for d in delta]
            rho = np.array([float(np.max(np.abs(v).sum(axis=1))) for v in V])
            # Σ_h |c_h| Π_{l ∈ supp h} ρ_l, rounded up (nonnegative products and sums)
            absum = float((self.absc * np.where(self.supp, rho, 1.0).prod(axis=1)).sum()) * (1 + (len(self.absc) + self.p + 4) * 2.0 ** -52)
            self._tri[key] = (V, absum * self.gamma + 2.0 ** -1000)
        return self._tri[key]

    def __call__(self, u: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds on the boxes ``u ± r`` (turns; one radius vector for all boxes)."""
        u = np.atleast_2d(np.asarray(u, dtype=float))
        N, p = u.shape
        delta = TWO_PI_UP * np.asarray(r, dtype=float).reshape(-1)[:p] * (1 + 2.0 ** -50)
        V, err = self._triangles(delta)
        T = np.broadcast_to(self.C, (N,) + self.C.shape)       # (N, 3, 3^(p-1)): axis l first, vertices appended
        for l in range(p):
            B0 = self.jet.tables(l, u[:, l])[0]                 # columns: sin, 1, cos
            sm, cm = B0[:, 0], B0[:, 2]
            X, Y = V[l][:, 0], V[l][:, 1]
            F = np.empty((N, 3, 3))                             # basis (1, cos φ, sin φ) × vertex
            F[:, 0, :] = 1.0
            F[:, 1, :] = cm[:, None] * X - sm[:, None] * Y
            F[:, 2, :] = sm[:, None] * X + cm[:, None] * Y
            T = np.matmul(T.transpose(0, 2, 1), F).reshape(N, 3, -1)
        vals = T.reshape(N, -1)
        lo, hi = vals.min(axis=1), vals.max(axis=1)
        ok = np.isfinite(lo) & np.isfinite(hi)
        return np.where(ok, lo - err, -np.inf), np.where(ok, hi + err, np.inf)
