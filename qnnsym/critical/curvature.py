"""Certified curvature directions on boxes of the torus: a box with ``vᵀ∇²L(x)v < 0`` everywhere holds no local
minimum (:mod:`.globalmin` prunes with it; :mod:`.degenerate` makes saddle and top regions of it)."""
from __future__ import annotations

import numpy as np

from .exhaustion import _SLACK, _U, LossJet
from .inclusion import TWO_PI_UP, hessian_radius

__all__ = ["curvature_mask"]


def curvature_mask(jet: LossJet, H: np.ndarray, T: np.ndarray, r, sign: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """``(mask, v)``: ``mask`` True where ``sign·vᵀ∇²L(x)v > 0`` for **every** ``x`` in the box ``m ± r`` (turns),
    ``v`` the float unit eigenvector of ``Ĥ(m)`` for its least (``sign = −1``) or largest (``sign = +1``) eigenvalue.

    ``sign = −1`` proves a direction of negative curvature on the whole closed box, so it holds no local minimum
    (a minimiser has a positive semidefinite Hessian), however degenerate; ``sign = +1`` likewise no local maximum.
    Bound: ``|vᵀĤv − fl(vᵀĤv)| ≤ (p + 2)·2^-52·|v|ᵀ|Ĥ||v|`` and ``|vᵀ(H(x) − Ĥ)v| ≤ |v|ᵀE|v|`` with ``E`` of
    :func:`hessian_radius` (any float ``v``: it is a witness, not an input of the proof).
    """
    delta = TWO_PI_UP * np.broadcast_to(r, H.shape[:2]) * (1 + 4 * _U)
    E = hessian_radius(jet, T, delta)
    fin = np.isfinite(H).all(axis=(1, 2)) & np.isfinite(E).all(axis=(1, 2))
    Hs = np.where(fin[:, None, None], 0.5 * (H + H.transpose(0, 2, 1)), 0.0)
    _, vecs = np.linalg.eigh(Hs)
    v = vecs[:, :, 0 if sign < 0 else -1]
    av = np.abs(v)
    q = np.einsum("ni,nij,nj->n", v, np.where(fin[:, None, None], H, 0.0), v)
    bound = np.einsum("ni,nij,nj->n", av, E + (H.shape[1] + 2) * 2.0 ** -52 * np.abs(H), av) * _SLACK
    with np.errstate(invalid="ignore"):
        return fin & (sign * q > bound), v
