"""A certified global minimum of the loss by best-first branch-and-bound on the torus.

The global minimum of ``L`` on the torus is attained at a critical point.  Boxes (turns, as in
:mod:`.exhaustion`) are taken lowest lower bound first; each box is

* dropped when no critical point is in it (the gradient exclusion of :mod:`.exhaustion`), or when
  its lower bound exceeds the best upper bound ``U`` (it cannot hold a minimiser);
* resolved when a Krawczyk inclusion box proves its only critical point, whose value is enclosed
  on the point box ``κ``;
* else split.

Lower bounds: ``L(x) ≥ L̂(m) − ε − min(Σ A1_i δ_i, Σ |g_i| δ_i + ½ Σ |H_ij| δ_i δ_j + ⅙ Σ W_ijk δ_i δ_j δ_k)``
(Taylor with Lagrange remainder; errors of the float jet added).  Upper bounds: ``L̂(m) + ε`` at every
evaluated point.  Independent blocks of a separable loss are minimised one by one (the minimum of
a sum of functions of disjoint variables is the sum of the minima).  Under a time or box budget the
result is the best interval so far.
"""
from __future__ import annotations

import heapq
import math
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..budget import Budget
from ..errors import ValidationError
from ..exact.trigpoly import TrigPoly
from .exhaustion import EXCLUDED, INCLUSION, INCLUSION_WIDTH, PRUNED, SPLIT, UNRESOLVED, LossJet, exclusion_mask
from .inclusion import TWO_PI_UP, Enclosures, Points, include_near
from .curvature import curvature_mask
from .affinebound import AffineEnclosure, residual_lower
from .folding import fold_symmetries
from .splitting import HELD_ROUNDS, Schedule
from .vertexbound import separate_axes

__all__ = ["AffineEnclosure", "BlockMinimum", "GlobalMinimum", "global_minimum", "quadratic_lower", "residual_lower",
           "value_bounds"]

_SLACK = 1 + 2.0 ** -40


def value_bounds(jet: LossJet, val, G, H, r, box_upper: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Rigorous ``(lower, upper)`` bounds from the jet at the centres ``m``: the lower bound holds on the
    whole box ``m ± r`` (turns), the upper bound at ``m`` (an attained value), or on the whole box with
    ``box_upper``."""
    delta = TWO_PI_UP * np.broadcast_to(r, G.shape)
    glob = delta @ jet.A1
    tay = np.einsum("ni,ni->n", np.abs(G) + jet.err_grad, delta) \
        + 0.5 * np.einsum("nij,ni,nj->n", np.abs(H) + jet.err_hess, delta, delta) \
        + np.einsum("ijk,ni,nj,nk->n", jet.W, delta, delta, delta) / 6
    spread = np.minimum(glob, tay) * _SLACK + jet.err_val
    with np.errstate(invalid="ignore"):
        lo = np.where(np.isfinite(val) & np.isfinite(spread), val - spread * _SLACK, -np.inf)
        hi = np.where(np.isfinite(val) & np.isfinite(spread), val + (spread if box_upper else jet.err_val) * _SLACK,
                      np.inf)
    # val − spread and val + err are rounded: the slack on spread (≥ 2^-40 |spread|) does not cover a
    # rounding of |val| when spread ≪ |val|; move one ulp outward as well
    return np.nextafter(np.nextafter(lo, -np.inf), -np.inf), np.nextafter(np.nextafter(hi, np.inf), np.inf)


@dataclass
class BlockMinimum:
    """The minimum of one block: an interval, the minimiser boxes (turns) and the search tree."""

    indices: tuple[int, ...]
    interval: tuple[float, float]
    minimisers: list
    complete: bool
    nodes: dict = field(default_factory=dict, repr=False)
    inclusions: dict = field(default_factory=dict, repr=False)
    points: list = field(default_factory=list, repr=False)
    upper_witness: tuple = ()
    stats: dict = field(default_factory=dict)
    omega: tuple = ()


@dataclass
class GlobalMinimum:
    """A certified enclosure of ``min L`` over the torus (Fractions: exact bounds of float values).

    Attributes
    ----------
    interval : (Fraction, Fraction)
        ``lo ≤ min L ≤ hi``.
    minimisers : list of list of (Fraction, Fraction)
        θ boxes (one per block combination of the best candidates; radians) holding minimisers.
    complete : bool
        The search ended (every box resolved): ``interval`` is as tight as the point enclosures.
    blocks : list of BlockMinimum
    seconds : float
    notes : list of str
    """

    p: int
    interval: tuple[Fraction, Fraction]
    minimisers: list
    complete: bool
    blocks: list
    seconds: float
    notes: list = field(default_factory=list)
    #: boxes were pruned with the sharp bounds (a ``global-minimum`` certificate cannot be written)
    sharp_bounds: bool = False

    def summary(self) -> dict:
        lo, hi = self.interval
        return {"p": self.p, "min_interval": [float(lo), float(hi)], "width": float(hi - lo),
                "complete": self.complete, "seconds": round(self.seconds, 3), "n_blocks": len(self.blocks),
                "minimiser_theta": [[[float(a), float(b)] for a, b in box] for box in self.minimisers[:8]],
                "notes": list(self.notes)}

    def to_text(self) -> str:
        lo, hi = self.interval
        out = [f"global minimum of L (p = {self.p}): {float(lo):.12g} ≤ min L ≤ {float(hi):.12g} "
               f"(width {float(hi - lo):.2g}); {'complete' if self.complete else 'PARTIAL (best interval so far)'}; "
               f"{self.seconds:.2f} s"]
        for box in self.minimisers[:8]:
            out.append("  minimiser θ ∈ " + " × ".join(f"[{float(a):.10f}, {float(b):.10f}]" for a, b in box))
        out += [f"  note: {n}" for n in self.notes]
        return "\n".join(out)


def _local_minima(jet: LossJet, n_starts: int, seed: int = 0) -> np.ndarray:
    """Float local minimisers (turns) of the loss from ``n_starts`` random starts (L-BFGS on the libm jet):
    guesses for an early upper bound, every claim about them is proven afterwards."""
    from scipy.optimize import minimize

    fast = jet.approximate()
    rng = np.random.default_rng(seed)
    out = []
    for u0 in rng.random((n_starts, jet.p)):
        res = minimize(lambda u: float(fast(u.reshape(1, -1))[0][0]), u0, method="L-BFGS-B",
                       jac=lambda u: fast(u.reshape(1, -1))[1][0] * (2 * math.pi))
        out.append(np.mod(res.x, 1.0))
    return np.array(out).reshape(-1, jet.p)


def _no_minimum_mask(jet: LossJet, H: np.ndarray, T: np.ndarray, r) -> np.ndarray:
    """True where ``vᵀ∇²L(x)v < 0`` on the whole box (:func:`~.curvature.curvature_mask`): no local minimum in it."""
    return curvature_mask(jet, H, T, r, -1)[0]


def quadratic_lower(jet: LossJet, val, G, H, T, r) -> np.ndarray:
    """A lower bound of ``L`` on the boxes ``m ± r`` (turns) from the second-order Taylor form minimised over the box
    in the eigenbasis of ``Ĥ(m)``: ``L(m + t) ≥ L(m) + Σ_k min_{|s_k| ≤ σ_k}(ĝ_k s_k + ½λ_k s_k²) − R``, ``s = Qᵀt``,
    ``σ_k = Σ_l |Q_lk| δ_l``; ``R`` holds the third-order remainder (``⅙Σ|T_ijk|δδδ + 1/24 ΣW4 δ⁴`` or ``⅙ΣW δ³``),
    the float errors of ``L``, ``∇L``, ``∇²L`` and of the eigen-decomposition (``|I − QQᵀ|``, ``|Ĥ − QΛQᵀ|``, both
    enclosed with their own rounding).  Its gap is ``O(δ³)`` where ``Ĥ`` is positive definite (near a minimum)."""
    N, p = G.shape
    u = 2.0 ** -52
    delta = TWO_PI_UP * np.broadcast_to(r, G.shape) * (1 + 4 * u)
    fin = np.isfinite(val) & np.isfinite(G).all(axis=1) & np.isfinite(H).all(axis=(1, 2)) & np.isfinite(T).all(axis=(1, 2, 3))
    Hs = np.where(fin[:, None, None], 0.5 * (H + H.transpose(0, 2, 1)), 0.0)
    Gs = np.where(fin[:, None], G, 0.0)
    lam, Q = np.linalg.eigh(Hs)
    aQ = np.abs(Q)
    sig = np.einsum("nlk,nl->nk", aQ, delta) * (1 + (p + 2) * u)
    gh = np.einsum("nlk,nl->nk", Q, Gs)
    eps_g = (p + 2) * u * np.einsum("nlk,nl->nk", aQ, np.abs(Gs))
    a = np.abs(gh)
    with np.errstate(divide="ignore", invalid="ignore"):
        inner = (lam > 0) & (a <= lam * sig)
        term = np.where(inner, -a * a / np.where(lam > 0, 2 * lam, 1.0), -a * sig + 0.5 * lam * sig * sig)
    quad = term.sum(axis=1) - np.abs(term).sum(axis=1) * (8 * p * u)
    eye = np.eye(p)
    QQ = np.einsum("nik,njk->nij", Q, Q)
    D1 = np.abs(eye - QQ) + (p + 2) * u * np.einsum("nik,njk->nij", aQ, aQ)
    QLQ = np.einsum("nik,nk,njk->nij", Q, lam, Q)
    D2 = np.abs(Hs - QLQ) + (p + 3) * u * (np.einsum("nik,nk,njk->nij", aQ, np.abs(lam), aQ) + np.abs(Hs))
    rem3 = np.minimum(np.einsum("ijk,ni,nj,nk->n", jet.W, delta, delta, delta) / 6,
                      np.einsum("nijk,ni,nj,nk->n", np.abs(T) + jet.err_third, delta, delta, delta) / 6
                      + np.einsum("ijkl,ni,nj,nk,nl->n", jet.W4, delta, delta, delta, delta) / 24)
    R = (np.einsum("nij,nj,ni->n", D1, np.abs(Gs), delta) + (eps_g * sig).sum(axis=1)
         + np.einsum("ni,ni->n", jet.err_grad + 0 * delta, delta)
         + 0.5 * np.einsum("nij,ni,nj->n", D2 + jet.err_hess, delta, delta) + rem3) * _SLACK + jet.err_val
    lo = val + quad - R * _SLACK
    ok = fin & np.isfinite(lo)
    return np.where(ok, np.nextafter(np.nextafter(lo - np.abs(lo) * 4 * u, -np.inf), -np.inf), -np.inf)


def _block_minimum(loss: TrigPoly, indices, budget: Budget, max_boxes: int | None, min_width_bits: int,
                   batch: int, bar, residuals=None, tol: float | None = None, sharp: bool = False) -> BlockMinimum:
    p = loss.p
    jet = LossJet(loss)
    rjets = [_enclosure(r) for r in residuals[1]] if residuals else []
    held = separate_axes(loss) if sharp and max(loss.degrees()) <= 1 and p <= 10 else ()
    vjet = _enclosure(loss) if sharp and max(loss.degrees()) <= 1 else None
    polygons: dict = {3: vjet}       # vertex enclosures with more vertices per arc, for the wide boxes

    def enclosure_for(width) -> object:
        """More vertices on wider boxes (gap ~ δ²/(K − 2)², cost K^(p − |held|)): K = 5 above 1/8 turn, else 4
        (fewer where K^(p − |held|) would pass 5^7)."""
        w = max((float(width[l]) for l in range(p) if l not in held), default=0.0)
        k = 5 if w > 1 / 8 else 4
        while k > 3 and k ** (p - len(held)) > 5 ** 7:
            k -= 1
        if k not in polygons:
            polygons[k] = _enclosure(loss, k)
        return polygons[k]
    folds = fold_symmetries(loss, held) if sharp else []
    sched = Schedule(p, held, HELD_ROUNDS, [f.axis for f in folds] * 2)
    pts = Points(p)
    encl = Enclosures(jet, pts)
    nodes: dict = {}
    inclusions: dict = {}
    cand: dict = {}                  # point index -> (lo, hi) value enclosure of its critical point
    best_hi, best_u = math.inf, None
    heap: list = []
    stuck_lo: list = []              # lower bounds of boxes left at the minimum width
    counter = 0
    processed = 0
    reason = ""

    def value_of(j: int):
        nonlocal best_hi, best_u
        if j not in cand:
            c, kr = pts.c[j], pts.r[j]
            v, g, h, _ = jet(c.reshape(1, -1), third=True)
            plo, phi = value_bounds(jet, v, g, h, kr.reshape(1, -1))
            cand[j] = (float(plo[0]), float(phi[0]))
            if phi[0] < best_hi:
                best_hi, best_u = float(phi[0]), ("box", j)

    if sharp:                        # an early upper bound: local minima from random starts, each enclosed
        zs = _local_minima(jet, 8 + 4 * p)
        v, g, h, _ = jet(zs, third=True)
        hi0 = value_bounds(jet, v, g, h, np.zeros_like(zs))[1]          # L(z) ≤ hi0 even where z is degenerate
        best_hi, best_u = float(hi0.min()), ("point", tuple(float(x) for x in zs[int(np.argmin(hi0))]))
        for j in encl.add_near(zs):
            value_of(j)

    def evaluate(depth: int, ks: np.ndarray):
        nonlocal best_hi, best_u, counter, processed
        n = sched.splits(depth)
        width = 1.0 / 2.0 ** n
        r = np.broadcast_to(width / 2, ks.shape)
        m = (ks + 0.5) * width
        if sharp and (vjet is not None or rjets):
            # the enclosure first: boxes above the best value are pruned, coarse survivors split without the jet
            if vjet is None:
                clo = residual_lower(rjets, residuals[0], m, r)
            elif held:                   # exact along the held coordinates (their minimum in closed form)
                clo = enclosure_for(width).arc_lower(m, width / 2, held)
            else:
                clo = enclosure_for(width)(m, width / 2)[0]
            if rjets and vjet is not None:
                clo = np.maximum(clo, residual_lower(rjets, residuals[0], m, r))
            for t in np.nonzero(~(clo <= best_hi))[0]:
                nodes[(depth, tuple(int(x) for x in ks[t]))] = PRUNED
            keep = np.nonzero(clo <= best_hi)[0]
            processed += len(ks) - len(keep)
            ks, m, r, clo = ks[keep], m[keep], r[keep], clo[keep]
            if width.max() > INCLUSION_WIDTH or not len(ks):
                processed += len(ks)
                for t in range(len(ks)):
                    counter += 1
                    key = (depth, tuple(int(x) for x in ks[t]))
                    heapq.heappush(heap, (float(clo[t]), counter, depth, key[1]))
                    nodes[key] = UNRESOLVED
                return
        val, G, H, T = jet(m, third=True)
        lo, hi = value_bounds(jet, val, G, H, r)
        if sharp and (vjet is not None or rjets):
            lo = np.maximum(lo, clo)
        elif rjets:
            lo = np.maximum(lo, residual_lower(rjets, residuals[0], m, r))
        if sharp:
            lo = np.maximum(lo, quadratic_lower(jet, val, G, H, T, r))
        i = int(np.argmin(hi))
        if hi[i] < best_hi:
            best_hi, best_u = float(hi[i]), ("point", tuple(float(x) for x in m[i]))
        grad_ex = exclusion_mask(jet, G, H, T, r)
        excl = grad_ex | _no_minimum_mask(jet, H, T, r) if sharp else grad_ex
        processed += len(ks)
        inK = encl.inside(m, r) if sharp and len(encl.c) else np.full(len(ks), -1)
        for t in np.nonzero(excl)[0]:
            nodes[(depth, tuple(int(x) for x in ks[t]))] = EXCLUDED if grad_ex[t] else PRUNED
        done = set()
        for t in np.nonzero(~excl & (inK >= 0))[0]:
            e = inK[t]
            key = (depth, tuple(int(x) for x in ks[t]))
            nodes[key] = INCLUSION
            inclusions[key] = (encl.c[e], encl.r[e], encl.j[e])
            done.add(t)
        todo = np.nonzero(~excl & (inK < 0) & (lo <= best_hi))[0]
        for t in np.nonzero(~excl & (inK < 0) & (lo > best_hi))[0]:
            nodes[(depth, tuple(int(x) for x in ks[t]))] = PRUNED
        if width.max() <= INCLUSION_WIDTH and len(todo) and sharp:
            # the critical points near the open boxes, each enclosed as widely as Krawczyk allows
            # (only from centres where the Hessian looks positive definite: the minimum is at a local minimum)
            pd = todo[np.linalg.eigvalsh(0.5 * (H[todo] + H[todo].transpose(0, 2, 1)))[:, 0] > 0]
            for j in encl.add_near(m[pd[:16]]):
                value_of(j)
            for row in np.nonzero(encl.inside(m[todo], r[todo]) >= 0)[0]:
                t = todo[row]
                e = encl.inside(m[t:t + 1], r[t:t + 1])[0]
                key = (depth, tuple(int(x) for x in ks[t]))
                nodes[key] = INCLUSION
                inclusions[key] = (encl.c[e], encl.r[e], encl.j[e])
                done.add(t)
        elif width.max() <= INCLUSION_WIDTH and len(todo):
            for row, zc, zr, j in include_near(jet, pts, m[todo], r[todo]):
                t = todo[row]
                key = (depth, tuple(int(x) for x in ks[t]))
                nodes[key] = INCLUSION
                inclusions[key] = (zc, zr, j)
                done.add(t)
                value_of(j)
        at_min = n.min() >= min_width_bits
        for t in todo:
            if t in done:
                continue
            key = (depth, tuple(int(x) for x in ks[t]))
            if at_min:
                nodes[key] = UNRESOLVED
                stuck_lo.append(float(lo[t]))
                continue
            counter += 1
            heapq.heappush(heap, (float(lo[t]), counter, depth, key[1]))
            nodes[key] = UNRESOLVED              # until split

    # the search starts on the box the symmetries leave (the whole torus without them): each folded coordinate on the
    # quarter turns of its kept half
    seeds = np.zeros((1, p), dtype=np.int64)
    for f in folds:
        seeds = np.concatenate([seeds.copy() for _ in f.half()])
        seeds[:, f.axis] = np.repeat(f.half(), len(seeds) // 2)
    evaluate(2 * len(folds), seeds)
    try:
        while heap:
            if heap[0][0] > best_hi:             # every remaining box is above a known value
                while heap:
                    _, _, d, k = heapq.heappop(heap)
                    nodes[(d, k)] = PRUNED
                break
            rem = budget.remaining()
            if rem is not None and rem <= 0:
                reason = "time limit reached"
                break
            if max_boxes is not None and processed >= max_boxes:
                reason = f"box budget of {max_boxes} reached"
                break
            if tol is not None:
                low = min([heap[0][0]] + [v[0] for v in cand.values() if v[0] <= best_hi])
                if best_hi - low <= tol:
                    reason = f"interval narrower than the tolerance {tol:g}"
                    break
            take = []
            while heap and len(take) < batch and heap[0][0] <= best_hi:
                take.append(heapq.heappop(heap))
            by_depth: dict = {}
            for _, _, d, k in take:
                nodes[(d, k)] = SPLIT
                s = sched.axis(d)
                for b in (0, 1):
                    kk = list(k)
                    kk[s] = 2 * kk[s] + b
                    by_depth.setdefault(d + 1, []).append(kk)
            for d, ks in sorted(by_depth.items()):
                evaluate(d, np.array(ks, dtype=np.int64))
            if bar is not None:
                lo_now = heap[0][0] if heap else best_hi
                bar.set_postfix_str(f"block {list(indices)}: [{lo_now:.6g}, {best_hi:.6g}], {processed} boxes, "
                                    f"{len(heap)} open")
                bar.update(len(take))
    except KeyboardInterrupt:
        reason = "interrupted (Ctrl-C)"
    open_lo = [lo for lo, *_ in heap if lo <= best_hi] + [lo for lo in stuck_lo if lo <= best_hi]
    live = {j: v for j, v in cand.items() if v[0] <= best_hi}
    lows = open_lo + [v[0] for v in live.values()]
    lo = min(lows) if lows else best_hi
    complete = not open_lo and not reason
    mins = [(pts.c[j], pts.r[j]) for j in sorted(live, key=lambda j: live[j][0])]
    if not complete:
        mins += [(((np.array(k) + 0.5) / 2.0 ** sched.splits(d)), 0.5 / 2.0 ** sched.splits(d))
                 for lo_, _, d, k in sorted(heap)[:8] if lo_ <= best_hi]
    return BlockMinimum(tuple(indices), (lo, best_hi), mins, complete, nodes, inclusions,
                        [(c, r) for c, r in zip(pts.c, pts.r)], best_u, {"boxes": processed, "points": len(pts.c),
                                                                             "reason": reason, "held": held,
                                                                             "folds": folds}, tuple(loss.omega))


def _enclosure(poly: TrigPoly, vertices: int = 3):
    """The tighter of the two degree-1 enclosures (vertex values, ``vertices`` per arc; the monomial-wise one as a
    fallback)."""
    from .vertexbound import VertexEnclosure
    return VertexEnclosure(poly, vertices) if poly.p <= 10 else AffineEnclosure(poly)


def global_minimum(loss_or_instance, time_limit: float | None = None, max_boxes: int | None = None,
                   progress: bool = False, clock=None, min_width_bits: int = 30, batch: int = 1024,
                   tol: float | None = None, sharp_bounds: bool = True) -> GlobalMinimum:
    """A certified interval containing ``min L`` over the torus, and the minimiser boxes.

    Parameters
    ----------
    loss_or_instance : TrigPoly or Instance
        An exact loss, or an instance (its loss, eq. 6).
    time_limit : float, optional
        Seconds: the best interval so far is returned when it is reached (``complete`` False).
    max_boxes : int, optional
        Boxes per block before stopping (a deterministic budget, for tests).
    tol : float, optional
        Stop when the interval is narrower than this (default: when every box is resolved).
    sharp_bounds : bool
        Bounds beyond the Taylor forms the certificate checker re-proves: vertex enclosures
        (:mod:`.vertexbound`) of ``L`` when it has degree ≤ 1 per coordinate (an energy), or of the residuals
        of ``L = (1/m) Σ (f_k − y_k)²`` (one block); boxes whose Hessian is proven not positive semidefinite
        dropped (no minimiser inside); local minima from random starts, each enclosed in the widest Krawczyk
        box ``K`` (an early upper bound; search boxes inside ``K`` resolved by its one critical point).
        ``global-minimum`` certificates need it off.
    progress : bool
        A tqdm bar on stderr.
    clock : callable, optional
        The clock of ``time_limit`` (tests: :class:`~qnnsym.budget.TickClock`).

    Returns
    -------
    GlobalMinimum

    Examples
    --------
    ``L = sin²φ + (cos φ − 1)²/4`` (Proposition 5, one parameter): minimum 0 at φ = 0.

    >>> L = TrigPoly(1, {(0,): Fraction(7, 8), (1,): Fraction(-1, 2), (2,): Fraction(-3, 8)})
    >>> g = global_minimum(L)
    >>> g.complete, float(g.interval[0]) <= 0 <= float(g.interval[1]), float(g.interval[1] - g.interval[0]) < 1e-12
    (True, True, True)
    """
    from ..landscape.interaction import independent_blocks
    from ..model.data import Instance

    residuals = None
    if isinstance(loss_or_instance, Instance):
        from ..expansion.phi import loss_poly, output_polys
        loss = loss_poly(loss_or_instance)
        if sharp_bounds and loss.exact:
            res = [f - Fraction(y) for f, y in zip(output_polys(loss_or_instance), loss_or_instance.labels)]
            w = Fraction(1, loss_or_instance.m)
            affine = all(abs(x) <= 1 for f in res for h in f.terms for x in h)
            if affine and TrigPoly.sum_of_squares(res, w) == loss:    # used only when it is this very loss
                residuals = (w, res)
    elif isinstance(loss_or_instance, TrigPoly):
        loss = loss_or_instance
    else:
        raise ValidationError("loss_or_instance", f"got {type(loss_or_instance).__name__}",
                              expected="an Instance or a TrigPoly loss")
    if not loss.exact:
        raise ValidationError("loss", "has floating-point coefficients", expected="an exact loss for a certified minimum",
                              fix="write the instance's numbers as exact strings like '3/5'")
    if time_limit is not None and not time_limit > 0:
        raise ValidationError("time_limit", f"{time_limit!r}", expected="a positive number of seconds, or None")
    if max_boxes is not None and max_boxes < 1:
        raise ValidationError("max_boxes", f"{max_boxes!r}", expected="a positive integer, or None")
    t0 = time.perf_counter()
    budget = Budget(time_limit, clock=clock)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(desc=f"global minimum p={loss.p}", unit="box", file=sys.stderr, leave=False)
    blocks, notes = [], []
    const = Fraction(0)
    split = independent_blocks(loss)
    if len(split) > 1:
        residuals = None
    try:
        for idx, blk in split:
            if not blk.variables():
                const += Fraction(blk.terms.get((0,) * blk.p, 0))
                continue
            blocks.append(_block_minimum(blk, idx, budget, max_boxes, min_width_bits, batch, bar, residuals, tol,
                                         sharp_bounds))
    finally:
        if bar is not None:
            bar.close()
    lo = const + sum((Fraction(b.interval[0]) for b in blocks), Fraction(0))
    hi = const + sum((Fraction(b.interval[1]) for b in blocks), Fraction(0))
    complete = all(b.complete for b in blocks)
    if len(blocks) > 1:
        notes.append(f"separable: {len(blocks)} independent blocks minimised separately (min of a sum of functions of "
                     "disjoint variables = sum of the minima)")
    for b in blocks:
        if b.stats["reason"]:
            notes.append(f"block {list(b.indices)}: stopped ({b.stats['reason']}) after {b.stats['boxes']} boxes: "
                         "the interval is the best so far")
    boxes = [[]]
    p = loss.p
    for b in blocks:
        c, r = b.minimisers[0] if b.minimisers else (np.zeros(len(b.indices)), np.full(len(b.indices), 0.5))
        boxes = [bx + [(l, _theta_iv(c, r, b.omega, i)) for i, l in enumerate(b.indices)] for bx in boxes]
    minimisers = [[iv for _, iv in sorted(bx)] for bx in boxes] if blocks else []
    if any(len(b.minimisers) > 1 for b in blocks):
        notes.append("several candidate minimisers in a block (values not separated, or open boxes): the first is shown")
    if residuals is not None:
        notes.append("lower bounds also from the residuals (L = (1/m) Σ (f_k − y_k)², each f_k enclosed on the box)")
    for b in blocks:
        if b.stats.get("held"):
            notes.append(f"block {list(b.indices)}: minimised exactly along coordinates {[b.indices[l] for l in b.stats['held']]} "
                         "(no term holds two of them: min over each (cos, sin) in closed form)")
        if b.stats.get("folds"):
            notes.append(f"block {list(b.indices)}: {len(b.stats['folds'])} sign/half-turn symmetries of L fold "
                         f"coordinates {[b.indices[f.axis] for f in b.stats['folds']]} to a half circle each "
                         f"(1/{2 ** len(b.stats['folds'])} of the torus searched; the minimiser shown is one of its images)")
    if sharp_bounds:
        notes.append("sharp bounds (vertex enclosures, non-convexity pruning, Krawczyk boxes around local minima): "
                     "a certificate needs sharp_bounds=False")
    return GlobalMinimum(p, (lo, hi), minimisers, complete, blocks, time.perf_counter() - t0, notes, sharp_bounds)


def _theta_iv(c, r, omega, i) -> tuple[Fraction, Fraction]:
    """θ interval (radians, outward) of a box coordinate in turns: ``θ = 2π u/ω``."""
    from ..exact.interval import ball, ball_bounds, precision
    import flint

    c = np.atleast_1d(c)
    r = np.broadcast_to(np.atleast_1d(r), c.shape)
    with precision(128):
        u = ball(Fraction(float(c[i])) - Fraction(float(r[i])), Fraction(float(c[i])) + Fraction(float(r[i])))
        return ball_bounds(2 * flint.arb.pi() * u / omega[i])
