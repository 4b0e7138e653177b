"""Steepest descent on the torus, batched, and capture by certified minima (float integration).

The gradient flow ``dθ/dt = −∇L(θ)`` is integrated by explicit steps ``θ ← θ − η ∇L(θ)`` with
``η = 1/Λ`` and ``Λ = Σ_h |c_h| ‖ω∘h‖²`` (the coefficients ``c_h`` of ``L`` in its harmonic basis,
``ω∘h`` the frequencies of a term in θ units): ``Λ`` bounds the spectral norm of the Hessian of ``L``
everywhere, so every step decreases ``L`` and the iteration follows the flow (it is the flow's Euler
scheme with a step below the stability limit ``2/Λ``).

**Capture** (snapping to a certified minimum).  Around each listed minimum ``m`` of a block a ball
``B(m, ρ)`` is chosen (``ρ`` = a fifth of the distance to the nearest other listed critical point,
halved until the float Hessian is positive definite at ``m`` and at ``m ± ρ v`` along every
Hessian eigenvector and coordinate axis); ``λ`` is the smallest eigenvalue seen there.  If ``L`` is
``λ``-strongly convex on the ball, the set ``{θ ∈ B : L(θ) − L(m) ≤ δ}`` with ``δ = 0.45 λ ρ²`` lies
strictly inside the ball and no descent leaves it, so a trajectory that enters it ends at ``m``.  The
convexity is checked at those sample points in floating point, not proven: the capture is a
*float* statement about a *certified* list (``docs/landscape.md``).

A trajectory that is not captured is reported with its reason: it stalled (gradient below ``1e-13 Λ``)
away from every listed minimum — near a listed saddle, or at a point not in the list, which would
contradict a complete table — or it used up ``max_steps``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..errors import ValidationError
from ..exact.trigpoly import TrigPoly
from .points import Block, periods, torus_distance

__all__ = ["hessian_bound", "CaptureRegion", "capture_regions", "Descent", "descend", "wrap"]


def hessian_bound(loss: TrigPoly) -> float:
    """``Λ = Σ_h |c_h| ‖ω∘h‖²``, an upper bound of ``‖∇²L(θ)‖₂`` for every ``θ``.

    Each term ``c_h Π_l b_{h_l}(ω_l θ_l)`` has Hessian ``c_h (ω∘h)(ω∘h)ᵀ ∘ (bounded by 1)``, whose
    Frobenius norm is at most ``|c_h| ‖ω∘h‖²``.

    >>> hessian_bound(TrigPoly(1, {(1,): 3}))       # 3 cos 2θ: L'' = −12 cos 2θ
    12.0
    """
    om = np.asarray(loss.omega, dtype=float)
    lam = 0.0
    for h, v in loss.terms.items():
        w = om * np.asarray(h, dtype=float)
        lam += abs(float(v)) * float(w @ w)
    return max(lam, 1e-300)


def wrap(theta: np.ndarray, period: np.ndarray) -> np.ndarray:
    """``θ`` reduced to ``[0, period)`` coordinate-wise."""
    return np.mod(theta, period)


@dataclass
class CaptureRegion:
    """Capture balls of one block's minima: centres ``(M, k)``, radii ``ρ``, depths ``δ``, labels."""

    indices: tuple[int, ...]
    loss: TrigPoly
    labels: np.ndarray
    centers: np.ndarray
    radius: np.ndarray
    depth: np.ndarray
    values: np.ndarray
    period: np.ndarray
    all_points: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    all_labels: list = field(default_factory=list)
    all_kinds: list = field(default_factory=list)

    def capture(self, x: np.ndarray) -> np.ndarray:
        """Label of the minimum whose capture set contains each row of ``x`` (block coordinates), or −1."""
        out = np.full(len(x), -1, dtype=np.int64)
        if not len(self.centers) or not len(x):
            return out
        d = (x[:, None, :] - self.centers[None]) % self.period
        d = np.minimum(d, self.period - d)
        dist = np.sqrt((d * d).sum(-1))                                   # (N, M) euclidean on the torus
        j = dist.argmin(1)
        near = dist[np.arange(len(x)), j] <= self.radius[j]
        if near.any():
            vals = self.loss(x[near])
            ok = vals - self.values[j[near]] <= self.depth[j[near]]
            idx = np.flatnonzero(near)[ok]
            out[idx] = self.labels[j[idx]]
        return out

    def nearest(self, x: np.ndarray) -> tuple[int, str, float]:
        """The listed critical point nearest to ``x`` (any kind): label, kind, max-norm distance."""
        if not len(self.all_points):
            return -1, "", float("inf")
        d = torus_distance(x[None, :], self.all_points, self.period)
        j = int(np.argmin(d))
        return self.all_labels[j], self.all_kinds[j], float(d[j])


def capture_regions(block: Block, local: bool = False) -> CaptureRegion:
    """The capture balls of the minima of ``block`` (see the module docstring); ``local``: for a
    descent of the block's own loss (indices ``0..k-1``) rather than of the full loss."""
    per = block.period
    k = len(block.indices)
    allp = np.array([q.theta for q in block.points], dtype=float).reshape(len(block.points), k)
    mins = block.minima
    labels, centers, radius, depth, values = [], [], [], [], []
    for q in mins:
        c = np.asarray(q.theta, dtype=float)
        others = [i for i, r in enumerate(block.points) if r.label != q.label]
        if others:
            d = (allp[others] - c) % per
            d = np.minimum(d, per - d)
            dnn = float(np.sqrt((d * d).sum(-1)).min())
        else:
            dnn = float(per.min()) / 2
        rho = min(0.2 * dnn, 0.25 * float(per.min()))
        lam = None
        for _ in range(12):
            H0 = block.loss.hessian(c)
            ev, V = np.linalg.eigh(np.atleast_2d(H0))
            dirs = np.concatenate([V.T, np.eye(k)], 0)
            probe = np.concatenate([c + rho * dirs, c - rho * dirs, c[None]], 0)
            Hs = np.atleast_3d(block.loss.hessian(probe)).reshape(len(probe), k, k)
            lmin = float(np.linalg.eigvalsh(Hs).min())
            if lmin > 0:
                lam = lmin
                break
            rho /= 2
        if lam is None:        # a minimum whose float Hessian is not positive definite: capture nothing
            rho, lam = 0.0, 0.0
        labels.append(q.label)
        centers.append(c)
        radius.append(rho)
        depth.append(0.45 * lam * rho * rho)
        values.append(float(block.loss(c)))
    return CaptureRegion(tuple(range(k)) if local else block.indices, block.loss, np.array(labels, dtype=np.int64),
                         np.array(centers, dtype=float).reshape(len(mins), k), np.array(radius), np.array(depth),
                         np.array(values), per, allp, [q.label for q in block.points], [q.kind for q in block.points])


@dataclass
class Descent:
    """Result of :func:`descend` for ``N`` starts.

    Attributes
    ----------
    labels : ndarray (N, B)
        Per block, the label of the capturing minimum, −1 when not captured.
    theta : ndarray (N, p)
        End points (wrapped to ``[0, period)``).
    steps : ndarray (N,)
    status : list of str
        ``"captured"``, ``"stalled"`` or ``"max_steps"``.
    paths : list of ndarray or None
        With ``record``: the trajectory of each start (every ``record`` steps, wrapped).
    """

    labels: np.ndarray
    theta: np.ndarray
    steps: np.ndarray
    status: list[str]
    paths: list | None = None

    @property
    def captured(self) -> np.ndarray:
        return (self.labels >= 0).all(axis=1)


def descend(loss: TrigPoly, theta0, regions: Sequence[CaptureRegion], max_steps: int = 200_000,
            check_every: int = 5, record: int = 0, step: float | None = None, progress=None) -> Descent:
    """Steepest descent of ``loss`` from every row of ``theta0`` until each block is captured.

    Parameters
    ----------
    loss : TrigPoly
        The full loss (``p`` parameters).
    theta0 : array (N, p)
    regions : sequence of CaptureRegion
        One per independent block (:func:`capture_regions`); together they cover ``0..p-1``.
    max_steps : int
        Steps per start before it is reported as ``"max_steps"``.
    check_every : int
        Capture test every this many steps.
    record : int
        ``> 0``: keep the trajectory, every ``record`` steps (for pictures).
    step : float, optional
        Step ``η`` (default ``1/Λ``, :func:`hessian_bound`).
    progress : tqdm bar, optional
        Updated with the number of starts finished.

    Returns
    -------
    Descent
    """
    th = np.array(theta0, dtype=float)
    if th.ndim != 2 or th.shape[1] != loss.p:
        raise ValidationError("theta0", f"shape {th.shape}", expected=f"(N, {loss.p})")
    if max_steps < 1:
        raise ValidationError("max_steps", f"{max_steps}", expected="a positive integer")
    covered = sorted(i for r in regions for i in r.indices)
    if covered != list(range(loss.p)):
        raise ValidationError("regions", f"cover parameters {covered}", expected=f"each of 0..{loss.p - 1} once")
    lam = hessian_bound(loss)
    eta = 1.0 / lam if step is None else float(step)
    per = periods(loss)
    N = len(th)
    B = len(regions)
    labels = np.full((N, B), -1, dtype=np.int64)
    steps = np.zeros(N, dtype=np.int64)
    status = ["max_steps"] * N
    paths = [[th[n].copy()] for n in range(N)] if record else None
    active = np.arange(N)
    ev = loss.evaluator()
    stall = 1e-13 * lam
    it = 0
    while len(active) and it < max_steps:
        x = th[active]
        _, g, _ = ev(x)
        x = x - eta * g
        th[active] = x
        it += 1
        steps[active] = it
        if record and it % record == 0:
            w = wrap(x, per)
            for n, row in zip(active, w):
                paths[n].append(row.copy())
        if it % check_every and it < max_steps:
            continue
        x = wrap(x, per)
        th[active] = x
        done = np.ones(len(active), dtype=bool)
        for b, r in enumerate(regions):
            lab = labels[active, b]
            todo = lab < 0
            if todo.any():
                lab[todo] = r.capture(x[todo][:, list(r.indices)])
                labels[active, b] = lab
            done &= lab >= 0
        small = np.abs(g).max(axis=1) <= stall
        fin = done | small
        for n, ok in zip(active[fin], done[fin]):
            status[n] = "captured" if ok else "stalled"
        if progress is not None and fin.any():
            progress.update(int(fin.sum()))
        active = active[~fin]
    th = wrap(th, per)
    if record:
        for n in range(N):
            paths[n].append(th[n].copy())
        paths = [np.array(pth) for pth in paths]
    if progress is not None and len(active):
        progress.update(len(active))
    return Descent(labels, th, steps, status, paths)
