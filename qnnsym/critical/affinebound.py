"""Enclosures of a polynomial of degree ≤ 1 per coordinate, monomial by monomial (the fallback of the vertex
enclosure of :mod:`.vertexbound` for ``p > 10``), and the residual lower bound of a square loss (eq. 6)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..exact.trigpoly import TrigPoly
from .exhaustion import LossJet
from .inclusion import TWO_PI_UP

__all__ = ["AffineEnclosure", "residual_lower"]


class AffineEnclosure:
    """Tight enclosures of a polynomial of degree ≤ 1 per coordinate (an output ``f(ρ, θ)`` of eq. 12, or a
    residual ``f − y``) on boxes: in the shifted basis ``φ = m + t``, ``R(m + t) = Σ_e ĉ_e(m) Π_l b_{e_l}(t_l)``
    with ``b ∈ {1, cos t, sin t}``; over ``|t_l| ≤ δ_l``, ``cos t ∈ [cos δ, 1]`` and ``sin t ∈ [−sin δ, sin δ]``
    (second order in δ for the cosines, bounded for any δ).  ``ĉ(m)``: every term expanded over the subsets
    of its coordinates (``cos(m + t) = cos m cos t − sin m sin t``, ``sin(m + t) = sin m cos t + cos m sin t``),
    in floats, with the a-priori error ``Σ_h|c_h| 2^{nnz h}·γ`` (``|ĉ|`` sums and ``|Π b| ≤ 1`` bound both the
    rounding of ``ĉ`` and of the final sum)."""

    def __init__(self, poly: TrigPoly):
        p = self.p = poly.p
        if any(abs(x) > 1 for h in poly.terms for x in h):
            raise ValueError("degree above 1 in a coordinate")
        # each term c·Π trig(φ_l) expands over the subsets of its coordinates: factor codes per coordinate
        # 0 → 1, 1 → cos m, 2 → sin m, 3 → −sin m; target basis 0 → 1, 1 → cos t, 2 → sin t
        codes, coef, targets = [], [], []
        a_exp = Fraction(0)
        for h, c in poly.terms.items():
            nz = [l for l, x in enumerate(h) if x]
            a_exp += abs(Fraction(c)) * 2 ** len(nz)
            for mask in range(1 << len(nz)):
                code, tgt = [0] * p, [0] * p
                for b, l in enumerate(nz):
                    flip = mask >> b & 1
                    if h[l] > 0:           # cos(m + t) = cos m cos t − sin m sin t
                        code[l], tgt[l] = (3, 2) if flip else (1, 1)
                    else:                  # sin(m + t) = sin m cos t + cos m sin t
                        code[l], tgt[l] = (2, 1) if flip else (1, 2)
                codes.append(code)
                coef.append(float(c))
                targets.append(tuple(tgt))
        uniq = sorted(set(targets))
        pos = {t: i for i, t in enumerate(uniq)}
        self.codes = np.array(codes, dtype=np.int64).reshape(len(codes), p)
        self.coef = np.array(coef)
        self.scatter = np.zeros((len(codes), len(uniq)))
        self.scatter[np.arange(len(codes)), [pos[t] for t in targets]] = 1.0
        self.flat = np.array([np.ravel_multi_index(t, (3,) * p) for t in uniq], dtype=np.int64)
        E, U = len(codes), len(uniq)
        gamma = (p * 2.0 ** -51 + (p + E + U + 8) * 2.0 ** -53) * (1 + 1e-10)
        self.err = float(a_exp) * (1 + 2.0 ** -50) * gamma + 2.0 ** -1000
        self.jet = LossJet(TrigPoly(p, {(1,) * p: 1}, poly.omega))      # its arb-cached cos/sin tables
        self._ranges: dict = {}

    def _range(self, delta: np.ndarray):
        """Lower/upper tensors of ``Π_l b_{e_l}(t_l)`` over ``|t_l| ≤ δ_l`` (rigorous, cached per δ)."""
        key = tuple(float(x) for x in delta)
        if key not in self._ranges:
            import flint

            from ..exact.interval import precision
            lo_t, hi_t = np.ones((1,)), np.ones((1,))
            for d in delta:
                with precision(80):
                    db = flint.arb(float(d))
                    c_lo = -1.0 if d >= 3.14 else float((db.cos().lower()))
                    s_hi = 1.0 if d >= 1.57 else float((db.sin().upper()))
                c_lo = float(np.nextafter(c_lo, -np.inf))
                s_hi = min(1.0, float(np.nextafter(s_hi, np.inf)))
                f_lo, f_hi = np.array([1.0, c_lo, -s_hi]), np.array([1.0, 1.0, s_hi])
                cands = [np.multiply.outer(a, b) for a in (lo_t, hi_t) for b in (f_lo, f_hi)]
                lo_t = np.nextafter(np.minimum.reduce(cands), -np.inf)
                hi_t = np.nextafter(np.maximum.reduce(cands), np.inf)
            self._ranges[key] = (lo_t.reshape((3,) * self.p), hi_t.reshape((3,) * self.p))
        return self._ranges[key]

    def __call__(self, u: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds on the boxes ``u ± r`` (turns; one radius vector for all)."""
        N, p = u.shape
        prod = np.broadcast_to(self.coef, (N, len(self.coef))).copy()
        for l in range(p):
            B0 = self.jet.tables(l, u[:, l])[0]               # columns: sin, 1, cos
            T = np.stack([np.ones(N), B0[:, 2], B0[:, 0], -B0[:, 0]], axis=1)
            prod *= T[:, self.codes[:, l]]
        A = prod @ self.scatter                               # ĉ_e(m), (N, U)
        lo_t, hi_t = self._range(TWO_PI_UP * np.asarray(r, dtype=float).reshape(-1)[:p] * (1 + 2.0 ** -50))
        lo_e, hi_e = lo_t.reshape(-1)[self.flat], hi_t.reshape(-1)[self.flat]
        lo = np.minimum(A * lo_e, A * hi_e).sum(axis=1)
        hi = np.maximum(A * lo_e, A * hi_e).sum(axis=1)
        err = self.err * (1 + 2.0 ** -40)
        ok = np.isfinite(lo) & np.isfinite(hi)
        return np.where(ok, lo - err, -np.inf), np.where(ok, hi + err, np.inf)


def residual_lower(encl: list, weight: Fraction, u, r) -> np.ndarray:
    """``w Σ_k dist(0, R_k(X))²`` for ``L = w Σ_k R_k²`` (eq. 6 with ``R_k = f_k − y_k``), a lower bound of
    ``L`` on the boxes ``u ± r`` (each residual enclosed by :class:`AffineEnclosure`)."""
    tot = np.zeros(len(u))
    for e in encl:
        lo, hi = e(u, np.asarray(r)[0] if np.ndim(r) == 2 else r)
        d = np.maximum(0.0, np.maximum(lo, -hi))
        tot = tot + d * d
    return np.where(np.isfinite(tot), tot * float(weight) * (1 - 2.0 ** -40), 0.0)
