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
from .exhaustion import LossJet
from .inclusion import TWO_PI_UP

__all__ = ["VertexEnclosure", "arc_polygon", "arc_triangle", "separate_axes"]

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


def arc_polygon(delta: float, k: int) -> np.ndarray:
    """Vertices (k, 2) of a convex polygon containing the arc ``{(cos t, sin t) : |t| ≤ delta}`` (proven in arb):
    the tangent lines at ``k − 1`` equally spaced points of the arc, moved out to distance ``1 + 2^-30``, cut by the
    chord ``x = x_c < cos δ``; for ``δ > 2`` the regular ``k``-gon around the circle.  Each vertex lies within
    ``sec(δ/(k−2)) − 1 ≈ δ²/(2(k−2)²)`` (plus ``2^-30``) of the circle: more vertices, a tighter enclosure, in place of
    splitting the box.  ``k = 3`` is :func:`arc_triangle`.

    >>> V = arc_polygon(0.5, 4)
    >>> V.shape, bool(np.hypot(V[:, 0], V[:, 1]).max() < 1 / math.cos(0.25) + 1e-6)
    ((4, 2), True)
    >>> bool(np.hypot(*arc_polygon(3.2, 6).T).max() < 1.16)
    True
    """
    import flint

    from ..exact.interval import precision

    if k == 3:
        return arc_triangle(delta)
    s = 1 + 2.0 ** -30
    if delta > 2:                       # the regular k-gon: tangents at angles 2πj/k
        ang = 2 * math.pi * (np.arange(k) + 0.5) / k
        R = s / math.cos(math.pi / k) * (1 + 2.0 ** -30)
        V = np.stack([R * np.cos(ang), R * np.sin(ang)], axis=1)
        chord = None
    else:
        n = k - 2
        if not 2.0 ** -40 <= delta or delta / n >= 1.2:
            return _FULL
        t = -delta + 2 * delta * (np.arange(n) + 0.5) / n          # angles of the tangent intersections
        R = s / math.cos(delta / n) * (1 + 2.0 ** -30)
        xc = math.cos(delta) - 2.0 ** -30
        ye = (xc * math.cos(delta) - s) / math.sin(delta)        # on the tangent at −δ
        V = np.concatenate([[[xc, ye]], np.stack([R * np.cos(t), R * np.sin(t)], axis=1), [[xc, -ye]]])
        chord = xc
    # every edge but the chord at distance > 1 from the origin (the origin to its left: counter-clockwise order),
    # so the polygon holds the disc cut by the chord, and the chord left of the arc
    with precision(120):
        P = [(flint.arb(float(x)), flint.arb(float(y))) for x, y in V]
        m = len(P)
        edges = [(P[i], P[(i + 1) % m]) for i in range(m) if chord is None or i != m - 1]
        ok = all((a[0] * b[1] - a[1] * b[0]) > 0 and (a[0] * b[1] - a[1] * b[0]) ** 2 > (b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2
                 for a, b in edges)
        if chord is not None:
            ok = ok and flint.arb(delta).cos() - flint.arb(chord) > 0
    return V if ok else _FULL


def separate_axes(poly: TrigPoly) -> tuple[int, ...]:
    """A largest set of coordinates no two of which occur in one term of ``poly`` (the first in lexicographic order):
    along these the loss can be minimised exactly and all at once (:meth:`VertexEnclosure.arc_lower`).

    >>> separate_axes(TrigPoly(3, {(1, 1, 0): 1, (0, 1, -1): 1}))
    (0, 2)
    """
    p = poly.p
    if p > 20:
        return ()
    conflict = [0] * p
    for h in poly.terms:
        bits = sum(1 << l for l, x in enumerate(h) if x)
        for l in range(p):
            if bits >> l & 1:
                conflict[l] |= bits & ~(1 << l)
    best = 0
    for mask in range(1 << p):
        if bin(mask).count("1") > bin(best).count("1") \
                and all(not (mask >> l & 1) or not conflict[l] & mask for l in range(p)):
            best = mask
    return tuple(l for l in range(p) if best >> l & 1)


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

    def __init__(self, poly: TrigPoly, vertices: int = 3):
        p = self.p = poly.p
        #: vertices of the polygon around each arc (3: triangles; more: tighter, ``vertices^p`` values per box)
        self.k = int(vertices)
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
        self._cosines: dict = {}

    def _triangles(self, delta: np.ndarray):
        key = tuple(float(x) for x in delta)
        if key not in self._tri:
            V = [arc_polygon(float(d), self.k) for d in delta]
            rho = np.array([float(np.max(np.abs(v).sum(axis=1))) for v in V])
            # Σ_h |c_h| Π_{l ∈ supp h} ρ_l, rounded up (nonnegative products and sums)
            absum = float((self.absc * np.where(self.supp, rho, 1.0).prod(axis=1)).sum()) * (1 + (len(self.absc) + self.p + 4) * 2.0 ** -52)
            self._tri[key] = (V, absum * self.gamma + 2.0 ** -1000)
        return self._tri[key]

    def _chunk(self, u: np.ndarray, held=()) -> int:
        """Boxes per numpy call: about 2^21 vertex values each."""
        k = max(3, self.k)
        return max(1, 2 ** 21 // (3 ** len(held) * k ** (self.p - len(held))))

    def __call__(self, u: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds on the boxes ``u ± r`` (turns; one radius vector for all boxes)."""
        u = np.atleast_2d(np.asarray(u, dtype=float))
        n = self._chunk(u)
        if len(u) > n:
            parts = [self(u[i:i + n], r) for i in range(0, len(u), n)]
            return np.concatenate([a for a, _ in parts]), np.concatenate([b for _, b in parts])
        N, p = u.shape
        delta = TWO_PI_UP * np.asarray(r, dtype=float).reshape(-1)[:p] * (1 + 2.0 ** -50)
        V, err = self._triangles(delta)
        T = np.broadcast_to(self.C, (N,) + self.C.shape)       # (N, 3, 3^(p-1)): axis l first, vertices appended
        for l in range(p):
            B0 = self.jet.tables(l, u[:, l])[0]                 # columns: sin, 1, cos
            sm, cm = B0[:, 0], B0[:, 2]
            X, Y = V[l][:, 0], V[l][:, 1]
            F = np.empty((N, 3, len(X)))                        # basis (1, cos φ, sin φ) × vertex
            F[:, 0, :] = 1.0
            F[:, 1, :] = cm[:, None] * X - sm[:, None] * Y
            F[:, 2, :] = sm[:, None] * X + cm[:, None] * Y
            T = np.matmul(T.transpose(0, 2, 1), F).reshape(N, 3, -1) if l < p - 1 else np.matmul(T.transpose(0, 2, 1), F)
        vals = T.reshape(N, -1)
        lo, hi = vals.min(axis=1), vals.max(axis=1)
        ok = np.isfinite(lo) & np.isfinite(hi)
        return np.where(ok, lo - err, -np.inf), np.where(ok, hi + err, np.inf)

    def _cos_sin(self, d: float) -> tuple[float, float, float]:
        """``cos d ∈ [lo, hi]`` and an upper bound of ``sin d`` (``0 ≤ d < π``), from arb (cached)."""
        if d not in self._cosines:
            import flint

            from ..exact.interval import precision
            with precision(80):
                c, s = flint.arb(d).cos(), flint.arb(d).sin()
                self._cosines[d] = (float(np.nextafter(float(c.lower()), -np.inf)),
                                    float(np.nextafter(float(c.upper()), np.inf)),
                                    min(1.0, float(np.nextafter(float(s.upper()), np.inf))))
        return self._cosines[d]

    def arc_lower(self, u: np.ndarray, r: np.ndarray, axes) -> np.ndarray:
        """A lower bound of ``poly`` on the boxes ``u ± r`` (turns) that is exact along ``axes``, coordinates no two of
        which share a term: the other coordinates range over their triangles, ``(cos φ_e, sin φ_e)`` over the arc itself.

        With no term in two of the axes, ``f = a + Σ_e (b_e cos φ_e + c_e sin φ_e)`` (``a, b_e, c_e`` functions of the
        other coordinates).  In the basis rotated by the centre ``m_e``, ``b_e cos φ_e + c_e sin φ_e = b'_e cos t +
        c'_e sin t`` (``b' = b cos m + c sin m``, ``c' = c cos m − b sin m``, ``|t| ≤ δ_e``), whose minimum over the arc
        is ``−√(b'² + c'²)`` when the direction of ``−(b', c')`` is within ``δ_e`` of 0 (``b' + ρ cos δ ≤ 0``), else the
        smaller end value ``b' cos δ − |c'| sin δ``; the minima over the axes add up.  With ``δ_e ≥ π`` this is the
        exact elimination ``min_{φ_e} f = a − √(b_e² + c_e²)``.  ``a, b', c'`` at the ``3^(p−k)`` vertices are one
        contraction (the rotation in place of the triangle along each axis), each within the error bound of
        :meth:`__call__`; the case test is decided only when it holds with every error counted, otherwise the
        smaller value ``−ρ`` is used.

        Examples
        --------
        ``f = cos φ₁ cos φ₂ + sin φ₂``: exact along φ₂ on the whole circle, ``min_{φ₂} f = −√(cos²φ₁ + 1)``,
        so ``min f = −√2`` on a box containing ``φ₁ = 0``.

        >>> f = TrigPoly(2, {(1, 1): 1, (0, -1): 1})
        >>> ve = VertexEnclosure(f)
        >>> lo = ve.arc_lower(np.array([[0.0, 0.0]]), np.array([2.0 ** -12, 0.5]), [1])[0]
        >>> bool(-math.sqrt(2) - 1e-6 < lo <= -math.sqrt(2))
        True
        >>> lo2 = ve.arc_lower(np.array([[0.0, 0.0]]), np.array([2.0 ** -12, 2.0 ** -4]), [1])[0]
        >>> bool(lo2 <= math.cos(math.pi / 8) - math.sin(math.pi / 8) < lo2 + 1e-5)
        True
        """
        u = np.atleast_2d(np.asarray(u, dtype=float))
        n = self._chunk(u, axes)
        if len(u) > n:
            return np.concatenate([self.arc_lower(u[i:i + n], r, axes) for i in range(0, len(u), n)])
        N, p = u.shape
        axes = sorted(int(e) for e in axes)
        if any(self.supp[:, e].astype(int) @ self.supp[:, axes].astype(int).sum(axis=1) > self.supp[:, e].sum()
               for e in axes):
            raise ValueError("two of the axes share a term")
        delta = TWO_PI_UP * np.asarray(r, dtype=float).reshape(-1)[:p] * (1 + 2.0 ** -50)
        V, err = self._triangles(delta)
        T = np.broadcast_to(self.C, (N,) + self.C.shape)
        for l in range(p):
            B0 = self.jet.tables(l, u[:, l])[0]
            sm, cm = B0[:, 0], B0[:, 2]
            if l in axes:
                F = np.empty((N, 3, 3))                                       # columns a, b', c'
                F[:, 0, :] = (1.0, 0.0, 0.0)
                F[:, 1, 0], F[:, 1, 1], F[:, 1, 2] = 0.0, cm, -sm
                F[:, 2, 0], F[:, 2, 1], F[:, 2, 2] = 0.0, sm, cm
            else:
                X, Y = V[l][:, 0], V[l][:, 1]
                F = np.empty((N, 3, len(X)))
                F[:, 0, :] = 1.0
                F[:, 1, :] = cm[:, None] * X - sm[:, None] * Y
                F[:, 2, :] = sm[:, None] * X + cm[:, None] * Y
            T = np.matmul(T.transpose(0, 2, 1), F)
            T = T.reshape(N, 3, -1) if l < p - 1 else T
        T = T.reshape((N,) + tuple(3 if l in axes else len(V[l]) for l in range(p)))
        u_ = 2.0 ** -52
        zero = [slice(None)] + [0 if l in axes else slice(None) for l in range(p)]
        a = T[tuple(zero)]
        vals = a - err
        slack = np.abs(a) + err
        for e in axes:
            ix = list(zero)
            ix[1 + e] = 1
            b = T[tuple(ix)]
            ix[1 + e] = 2
            c = T[tuple(ix)]
            nrm = np.sqrt(b * b + c * c)
            rho_up = nrm * (1 + 4 * u_) + 2 * err               # ‖(b', c')‖ ≤ ‖(b̂', ĉ')‖ + √2·err
            d = float(delta[e])
            if d < math.pi:
                cl, ch, sh = self._cos_sin(d)
                rho_lo = np.maximum(0.0, nrm * (1 - 4 * u_) - 2 * err)
                # b' + ρ cos δ > 0 proven: the minimum is at an end of the arc
                test = (b - err) + (rho_lo * cl if cl >= 0 else rho_up * cl)
                outside = test > 8 * u_ * (np.abs(b) + rho_up + err)
                bl, bh = b - err, b + err
                end = np.minimum.reduce([bl * cl, bl * ch, bh * cl, bh * ch]) - (np.abs(c) + err) * sh
                low = np.where(outside, end, -rho_up)
            else:
                low = -rho_up
            vals = vals + low
            slack = slack + np.abs(b) + np.abs(c) + rho_up + 2 * err
        vals = vals - 16 * (len(axes) + 1) * u_ * slack
        lo = vals.reshape(N, -1).min(axis=1)
        return np.where(np.isfinite(lo), np.nextafter(lo, -np.inf), -np.inf)
