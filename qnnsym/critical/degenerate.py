"""Degenerate (non-isolated) critical sets by real exhaustion with region leaves (issues 23, 24; docs/math.md
"Degenerate critical sets by exhaustion").

When the critical set of ``L`` is positive-dimensional and non-linear (no lattice reduction, no Gröbner
decomposition in reach) the branch-and-prune of :mod:`.exhaustion` cannot isolate its points, but it can still
prove what matters for minima.  Besides *excluded* boxes (``0 ∉ ∇L``) and *inclusion* boxes (Krawczyk: one
nondegenerate critical point, classified by its Hessian), a box ``X`` may become a **region leaf**:

* ``N`` (no local minimum): a fixed float vector ``v`` with ``vᵀ∇²L(x)v < 0`` for every ``x ∈ X``
  (:func:`~.curvature.curvature_mask`): a local minimiser has a positive semidefinite Hessian, so none lies in
  ``X``, however degenerate the critical points there are;
* ``X`` (no local maximum): ``wᵀ∇²L(x)w > 0`` on ``X``;
* ``B`` (bottom): ``L ≤ m + ε`` on ``X`` (Taylor upper bound), ``m`` a certified lower bound of ``min L``:
  every critical point in ``X`` lies within ``ε`` of the global minimum;
* ``T`` (top): ``L ≥ M − ε`` on ``X``, ``M`` a certified upper bound of ``max L``.

A region leaf is a *saddle region* (``N`` and ``X``), a *bottom region* (``B`` and ``X``), a *top region*
(``N`` and ``T``) or a *flat bottom* (``B`` alone: e.g. around a point where the Hessian vanishes on the minimum
set; local maxima there are not excluded, and the table says so).  ``m`` is the least lower bound of ``L`` over the current partition's boxes that may hold a
critical point (every non-excluded leaf and every box still to split: they cover the critical set, and
``min L`` is a critical value), recomputed at each level, so it rises as the boxes shrink; ``M`` alike.

If every leaf is excluded, an inclusion or a region, then (the cover of the torus):

* every local minimum of ``L`` lies in an inclusion box (a listed nondegenerate minimum) or in a bottom region,
  so it has value ``≤ m + ε``: **no spurious local minimum** other than listed ones above ``m + ε``;
* likewise every local maximum is a listed maximum, lies in a top region, or lies in a flat bottom (then its
  value is within ``ε`` of ``min L``);
* ``m ≤ min L ≤ U`` with ``U`` the least value attained at an evaluated point (exactly when a quarter-turn grid
  point attains a known lower bound, e.g. ``λ_min`` of a diagonal observable for an energy).

Near a ``k``-dimensional manifold of minima the bottom test holds on boxes of width ``~√(ε/λ)`` (``λ`` the normal
curvature; the Taylor form is second order), so the number of leaves grows like ``(λ/ε)^{k/2}``.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product

import numpy as np

from ..exact.trigpoly import TrigPoly
from .exhaustion import (BOTTOM_REGION, FLAT_BOTTOM_REGION, REGION_CODES, SADDLE_REGION, SPLIT, TOP_REGION, Cover, LossJet,
                         exhaust)
from .curvature import curvature_mask
from .globalmin import value_bounds

__all__ = ["DEGENERATE_MAX_P", "LEVEL", "DegenerateCover", "DegenerateTable", "RegionTests", "degenerate_cover",
           "degenerate_table", "energy_bounds", "exact_face_minimum", "face_loss", "quarter_grid_extremes"]

#: default ε as a fraction of the loss's range bound ``Σ|c_h|`` (excluding the constant term)
EPS_FRACTION = Fraction(1, 256)


def _float_toward(x: Fraction, to: float) -> float:
    """The float nearest ``x`` on the side of ``to`` (``−inf``: ``≤ x``; ``+inf``: ``≥ x``)."""
    f = float(x)
    return f if Fraction(f) == x or (Fraction(f) < x) == (to < 0) else float(np.nextafter(f, to))


class RegionTests:
    """The region test of :func:`~.exhaustion.exhaust` (its ``regions`` hook) with its running bounds.

    Parameters
    ----------
    jet : LossJet
    eps : float
        The level width ``ε`` of bottom and top regions.
    bottom, top : Fraction, optional
        Known bounds ``bottom ≤ min L``, ``max L ≤ top`` (e.g. the spectrum of the observable of an energy);
        the running cover bounds are used as well (the better of both).
    """

    def __init__(self, jet: LossJet, eps: float, bottom: Fraction | None = None, top: Fraction | None = None):
        self.jet, self.eps = jet, float(eps)
        self.fixed_bottom = -math.inf if bottom is None else _float_toward(Fraction(bottom), -math.inf)
        self.fixed_top = math.inf if top is None else _float_toward(Fraction(top), math.inf)
        self.leaf_lo, self.leaf_hi = math.inf, -math.inf           # over decided non-excluded leaves
        self.split_lo, self.split_hi = math.inf, -math.inf         # over the boxes split at the last level
        self.attained_lo, self.attained_hi = math.inf, -math.inf   # values attained at evaluated points (bounds)
        self.bottom_upper, self.top_lower = -math.inf, math.inf    # worst bottom / top leaf
        #: per region leaf, breadth-first: (code, v, w) — the curvature witnesses (None where not used)
        self.records: list = []
        #: per bottom leaf: (centre, radius, upper bound of L) — samples of the minimum set
        self.bottoms: list = []

    def __call__(self, centres: np.ndarray, r, codes: np.ndarray, at_min: bool) -> np.ndarray:
        jet = self.jet
        rr = np.broadcast_to(r, centres.shape)
        val, G, H, T = jet(centres, third=True)
        lo, at = value_bounds(jet, val, G, H, rr)
        _, hi = value_bounds(jet, val, G, H, rr, box_upper=True)
        at_lo = np.nextafter(val - jet.err_val * 1.01, -np.inf)
        self.attained_lo = min(self.attained_lo, float(np.min(at, initial=math.inf)))
        self.attained_hi = max(self.attained_hi, float(np.max(at_lo, initial=-math.inf)))
        m = max(self.fixed_bottom, min(self.leaf_lo, float(lo.min())))
        M = min(self.fixed_top, max(self.leaf_hi, float(hi.max())))
        out = codes.copy()
        split = codes == SPLIT
        if split.any() and float(np.max(rr)) <= 1 / 16:
            no_min, v = curvature_mask(jet, H, T, rr, -1)
            no_max, w = curvature_mask(jet, H, T, rr, +1)
            with np.errstate(invalid="ignore"):
                bot = np.isfinite(hi) & (hi <= m + self.eps)
                top = np.isfinite(lo) & (lo >= M - self.eps)
            kinds = ((SADDLE_REGION, no_min & no_max), (BOTTOM_REGION, bot & no_max), (TOP_REGION, no_min & top),
                     (FLAT_BOTTOM_REGION, bot))
            for code, mask in reversed(kinds):          # the first kind that holds wins
                out[split & mask] = code
            for i in np.nonzero(np.isin(out, REGION_CODES))[0]:
                c = out[i]
                self.records.append((c, v[i] if c in (SADDLE_REGION, TOP_REGION) else None,
                                     w[i] if c in (SADDLE_REGION, BOTTOM_REGION) else None))
                if c in (BOTTOM_REGION, FLAT_BOTTOM_REGION):
                    self.bottom_upper = max(self.bottom_upper, float(hi[i]))
                    self.bottoms.append((centres[i], rr[i], float(hi[i])))
                elif c == TOP_REGION:
                    self.top_lower = min(self.top_lower, float(lo[i]))
        leaf = (out != SPLIT) | at_min
        if leaf.any():
            self.leaf_lo = min(self.leaf_lo, float(lo[leaf].min()))
            self.leaf_hi = max(self.leaf_hi, float(hi[leaf].max()))
        rest = ~leaf
        self.split_lo = float(lo[rest].min()) if rest.any() else math.inf
        self.split_hi = float(hi[rest].max()) if rest.any() else -math.inf
        return out

    def bottom(self) -> float:
        """A certified lower bound of ``min L`` over the final partition (``-inf`` when nothing was evaluated)."""
        return max(self.fixed_bottom, min(self.leaf_lo, self.split_lo))

    def top(self) -> float:
        return min(self.fixed_top, max(self.leaf_hi, self.split_hi))


def quarter_grid_extremes(loss: TrigPoly, max_points: int = 4096) -> tuple[Fraction, tuple, Fraction, tuple] | None:
    """Exact least and largest values of ``L`` on the grid ``φ ∈ (π/2)·ℤ^p`` (every ``cos``/``sin`` is 0 or ±1),
    with a grid point attaining each (turns), or None when the grid has more than ``max_points`` points.

    >>> quarter_grid_extremes(TrigPoly(1, {(1,): 1}))
    (Fraction(-1, 1), (Fraction(1, 2),), Fraction(1, 1), (Fraction(0, 1),))
    """
    p = loss.p
    if 4 ** p > max_points:
        return None
    cs = [(1, 0), (0, 1), (-1, 0), (0, -1)]              # (cos φ, sin φ) at φ = kπ/2

    def f(j: int, k: int) -> int:                        # cos(jφ) (j ≥ 0) or sin(|j|φ) (j < 0) at φ = kπ/2
        c, s = cs[(abs(j) * k) % 4]
        return c if j >= 0 else s

    best = None
    for ks in product(range(4), repeat=p):
        v = sum((Fraction(c) * math.prod(f(h[l], ks[l]) for l in range(p)) for h, c in loss.terms.items()), Fraction(0))
        pt = tuple(Fraction(k, 4) for k in ks)
        if best is None:
            best = [v, pt, v, pt]
        if v < best[0]:
            best[0], best[1] = v, pt
        if v > best[2]:
            best[2], best[3] = v, pt
    return tuple(best)


def face_loss(loss: TrigPoly, free: tuple) -> TrigPoly:
    """``L`` restricted to the face ``φ_l = 0`` for ``l ∉ free`` (``cos = 1``, ``sin = 0``): a loss in ``len(free)``
    variables.

    >>> face_loss(TrigPoly(2, {(1, 1): 2, (-1, 1): 3}), (1,)) == TrigPoly(1, {(1,): 2})
    True
    """
    terms: dict = {}
    for h, c in loss.terms.items():
        if all(h[l] >= 0 for l in range(loss.p) if l not in free):
            key = tuple(h[l] for l in free)
            terms[key] = terms.get(key, 0) + Fraction(c)
    return TrigPoly(len(free), {k: v for k, v in terms.items() if v}, omega=tuple(loss.omega[l] for l in free))


def exact_face_minimum(loss: TrigPoly, target: Fraction, table, max_free: int = 2, time_limit: float = 30.0):
    """A face ``φ_l = 0`` (``l ∉ free``, ``|free| ≤ max_free``) on which the exact table of the restricted loss is
    complete with ``min = target`` exactly: then ``min L ≤ target`` is attained (at a point of that face).
    ``table(loss, time_limit=…)`` makes the exact table (:func:`~qnnsym.critical.table.critical_table`).
    Returns ``(free, seconds)`` or None (faces tried in order, within ``time_limit`` seconds in all)."""
    from itertools import combinations

    t0 = time.perf_counter()
    for k in range(1, max_free + 1):
        for free in combinations(range(loss.p), k):
            left = time_limit - (time.perf_counter() - t0)
            if left <= 0:
                return None
            f = face_loss(loss, free)
            if f.degrees() and min(f.degrees()) == 0:
                continue                            # a flat direction: its own reduction, not tried here
            try:
                t = table(f, time_limit=left)
            except Exception:                        # noqa: BLE001 - a face that does not solve is skipped
                continue
            if t.status == "complete" and t.certification == "exact" and t.min_loss is not None \
                    and t.min_loss[0] == t.min_loss[1] == target:
                return free, time.perf_counter() - t0
    return None


def energy_bounds(instance) -> tuple[Fraction, Fraction] | None:
    """``(λ_min, λ_max)`` of the observable of an ``expectation`` instance whose observable is diagonal in the
    computational basis (sums of Pauli ``Z`` products: QAOA costs, Ising energies), exactly; else None.
    ``λ_min ≤ E(θ) ≤ λ_max`` for every ``θ`` (a state's energy is a convex combination of eigenvalues)."""
    obj = getattr(instance, "objective", None)
    if obj is None or getattr(obj, "kind", None) != "expectation" or instance.m != 1:
        return None
    obs = instance.observable
    if obs.n > 20 or any(x for x, _ in obs) or not obs.exact:
        return None
    coef = [(z, Fraction(c)) for (_, z), c in obs.items()]
    diag = [sum((c if bin(z & b).count("1") % 2 == 0 else -c for z, c in coef), Fraction(0)) for b in range(2 ** obs.n)]
    return min(diag), max(diag)


@dataclass
class DegenerateCover:
    """The result of :func:`degenerate_cover`.

    Attributes
    ----------
    cover : Cover
        The tree (with region codes), inclusion boxes and point boxes.
    eps : float
        The level width asked for (bottom and top regions are within it).
    records : list of (code, v, w)
        Per region leaf (breadth-first): its kind and curvature witnesses.
    min_interval, max_interval : (float, float)
        Certified ``lo ≤ min L ≤ hi`` and ``lo ≤ max L ≤ hi`` (exact Fractions where exact).
    eps_bottom, eps_top : float
        Every bottom leaf has ``L ≤ min_interval[0] + eps_bottom``; every top leaf ``L ≥ max_interval[1] − eps_top``.
    counts : dict
        Leaves per kind.
    sample : tuple or None
        A point (θ, radians, floats) of the bottom region with the least upper bound, and ``local_dimension``: the
        nullity of the Hessian at a float minimiser started there (an estimate, not a proof).
    """

    cover: Cover
    records: list
    eps: float
    min_interval: tuple
    max_interval: tuple
    eps_bottom: float
    eps_top: float
    counts: dict
    min_exact: bool = False
    max_exact: bool = False
    #: the lower end of ``min_interval`` (upper end of ``max_interval``) is the given exact ``bottom`` (``top``)
    bottom_known: bool = False
    top_known: bool = False
    sample: tuple | None = None
    local_dimension: int | None = None
    seconds: float = 0.0
    notes: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every leaf decided (no unresolved volume)."""
        return self.cover.complete


def _local_dimension(loss: TrigPoly, jet: LossJet, u0: np.ndarray) -> tuple[np.ndarray, int]:
    """A float local minimiser from ``u0`` (turns) and the nullity of the Hessian there (relative tolerance 1e-6)."""
    from scipy.optimize import minimize

    fj = jet.approximate()

    def fun(x):
        v, g, _ = fj(x.reshape(1, -1))
        return float(v[0]), g[0] * 2 * math.pi

    res = minimize(fun, u0, jac=True, method="L-BFGS-B", options={"gtol": 1e-13, "ftol": 1e-16, "maxiter": 500})
    _, _, H = fj(res.x.reshape(1, -1))
    lam = np.linalg.eigvalsh(0.5 * (H[0] + H[0].T))
    return np.mod(res.x, 1.0), int((np.abs(lam) <= 1e-6 * max(1.0, float(np.abs(lam).max()))).sum())


def degenerate_cover(loss: TrigPoly, eps: float | None = None, bottom: Fraction | None = None,
                     top: Fraction | None = None, budget=None, max_boxes: int | None = None,
                     min_width_bits: int = 16, progress: bool = False, face_table=None) -> DegenerateCover:
    """Cover the torus of ``loss`` by excluded, inclusion and region leaves (module docstring).

    Parameters
    ----------
    loss : TrigPoly
    eps : float, optional
        Level width of bottom / top regions; default ``Σ_{h≠0}|c_h| / 256``.
    bottom, top : Fraction, optional
        Known bounds of ``min L`` / ``max L`` (:func:`energy_bounds`).
    budget, max_boxes, min_width_bits, progress
        As for :func:`~.exhaustion.exhaust`.
    face_table : callable, optional
        :func:`~qnnsym.critical.table.critical_table`: when the known ``bottom`` is not attained on the quarter-turn
        grid, the faces ``φ_l = 0`` (one or two free coordinates) are solved exactly to find it attained
        (:func:`exact_face_minimum`).

    Examples
    --------
    ``L = cos(φ_1 + φ_2)``: a circle of minima (``φ_1 + φ_2 = π``) and one of maxima, no other critical point.

    >>> L = TrigPoly(2, {(1, 1): 1, (-1, -1): -1})
    >>> dc = degenerate_cover(L, eps=1/64, bottom=-1, top=1)
    >>> dc.complete, dc.counts["inclusion"], dc.counts["saddle regions"], dc.min_interval, dc.min_exact
    (True, 0, 0, (Fraction(-1, 1), Fraction(-1, 1)), True)
    >>> dc.local_dimension, dc.eps_bottom <= 1/64
    (1, True)

    ``L = (cos φ_1 + cos φ_2)²``: two crossing circles of minima (``φ_2 = π ± φ_1``, ``L = 0``; the Hessian vanishes
    where they cross) and two nondegenerate maxima (``L = 4``) — no lattice reduction applies.

    >>> L = TrigPoly(2, {(0, 0): 1, (2, 0): Fraction(1, 2), (0, 2): Fraction(1, 2), (1, 1): 2})
    >>> dc = degenerate_cover(L, eps=1/16, bottom=0)          # L is a square: bottom 0
    >>> dc.complete, dc.counts["points"], dc.min_interval, dc.max_interval[0], dc.counts["flat bottoms"] > 0
    (True, 2, (Fraction(0, 1), Fraction(0, 1)), Fraction(4, 1), True)
    """
    t0 = time.perf_counter()
    jet = LossJet(loss)
    scale = sum((abs(Fraction(c)) for h, c in loss.terms.items() if any(h)), Fraction(0))
    if eps is None:
        eps = float(scale * EPS_FRACTION) or 1.0
    grid = quarter_grid_extremes(loss)
    tests = RegionTests(jet, eps, bottom, top)
    cov = exhaust(loss, budget, max_boxes=max_boxes, min_width_bits=min_width_bits, progress=progress, regions=tests)
    lo, hi = tests.bottom(), tests.top()
    # the least attained value: evaluated centres (float bound) or the exact quarter-turn grid
    min_hi, max_lo = Fraction(tests.attained_lo), Fraction(tests.attained_hi)
    notes = []
    min_iv = [Fraction(lo) if math.isfinite(lo) else None, min_hi]
    max_iv = [max_lo, Fraction(hi) if math.isfinite(hi) else None]
    if bottom is not None and (min_iv[0] is None or bottom >= min_iv[0]):
        min_iv[0] = Fraction(bottom)
    if top is not None and (max_iv[1] is None or top <= max_iv[1]):
        max_iv[1] = Fraction(top)
    if grid is not None:
        gmin, gmin_pt, gmax, gmax_pt = grid
        if gmin <= min_iv[1]:
            min_iv[1] = gmin
        if gmax >= max_iv[0]:
            max_iv[0] = gmax
    face = None
    if face_table is not None and bottom is not None and min_iv[0] == bottom and min_iv[1] != bottom and loss.p > 1:
        face = exact_face_minimum(loss, Fraction(bottom), face_table)
        if face is not None:
            min_iv[1] = Fraction(bottom)
            notes.append(f"min L = {bottom} exactly: the known lower bound is attained on the face φ_l = 0 "
                         f"(l ∉ {[l + 1 for l in face[0]]}), whose exact table has min {bottom} ({face[1]:.1f} s)")
    min_exact = min_iv[0] is not None and min_iv[0] == min_iv[1]
    max_exact = max_iv[1] is not None and max_iv[0] == max_iv[1]
    if min_exact and face is None:
        notes.append(f"min L = {min_iv[0]} exactly: attained at the quarter-turn grid point u = "
                     f"{tuple(str(x) for x in grid[1])} (exact evaluation) and a certified lower bound")
    # the achieved widths, exactly (then rounded up to a float): every bottom leaf has L ≤ min_iv[0] + eps_b
    eps_b = _float_toward(Fraction(tests.bottom_upper) - min_iv[0], math.inf) \
        if tests.bottom_upper > -math.inf and min_iv[0] is not None else 0.0
    eps_t = _float_toward(max_iv[1] - Fraction(tests.top_lower), math.inf) \
        if tests.top_lower < math.inf and max_iv[1] is not None else 0.0
    st = cov.stats
    counts = {"excluded": st["excluded"], "inclusion": st["inclusion"], "points": len(cov.points),
              "saddle regions": st.get(f"region {SADDLE_REGION}", 0), "bottom regions": st.get(f"region {BOTTOM_REGION}", 0),
              "top regions": st.get(f"region {TOP_REGION}", 0), "flat bottoms": st.get(f"region {FLAT_BOTTOM_REGION}", 0),
              "unresolved": len(cov.unresolved), "boxes": st["boxes"],
              "depth": st["depth"]}
    sample, dim = None, None
    if tests.bottoms:
        c, _, _ = min(tests.bottoms, key=lambda b: b[2])
        u, dim = _local_dimension(loss, jet, np.array(c, dtype=float))
        sample = tuple(float(2 * math.pi * x / w) for x, w in zip(u, loss.omega))
    return DegenerateCover(cov, tests.records, float(eps), tuple(min_iv), tuple(max_iv), max(eps_b, 0.0), max(eps_t, 0.0), counts,
                           min_exact, max_exact, bottom is not None and min_iv[0] == bottom,
                           top is not None and max_iv[1] == top, sample, dim, time.perf_counter() - t0, notes)

#: the certification level of a complete degenerate cover (docs/certification-levels.md)
LEVEL = "certified (real exhaustion, degenerate)"
#: largest p tried by ``auto`` for a positive-dimensional critical set (the leaves grow like (λ/ε)^{k/2} per
#: k-dimensional component, times the cost of a p-dimensional box)
DEGENERATE_MAX_P = 6


def _fmt(x) -> str:
    from ..exact.scalars import format_scalar

    return format_scalar(x) if isinstance(x, Fraction) and x.denominator < 10 ** 6 else f"{float(x):.12g}"


@dataclass
class DegenerateTable:
    """The region summary of a table made by :func:`degenerate_table` (the ``degenerate`` field of a
    :class:`~qnnsym.critical.tablerecords.CriticalTable`)."""

    dc: DegenerateCover
    #: every local minimum in a bottom region or listed within ε of min L has L ≤ min L + eps
    eps: float
    points: list
    spurious: int
    omega: tuple

    @property
    def undecided(self) -> int:
        """Listed isolated minima neither within the level width of ``min L`` nor proven above it."""
        return sum(cp.kind == "minimum" and cp.is_global is None for cp in self.points)

    @property
    def no_spurious_minimum(self) -> bool:
        """Complete, and every local minimum is within :attr:`eps` of ``min L``."""
        return self.dc.complete and not self.spurious and not self.undecided

    def statement(self) -> list[str]:
        dc = self.dc
        lo, hi = dc.min_interval
        c = dc.counts
        out = [("min L = " + _fmt(lo) if dc.min_exact else f"{_fmt(lo)} ≤ min L ≤ {_fmt(hi)}")
               + "; max L " + ("= " + _fmt(dc.max_interval[0]) if dc.max_exact else
                                f"∈ [{_fmt(dc.max_interval[0])}, {_fmt(dc.max_interval[1])}]"),
               f"cover: {c['excluded']} excluded, {c['inclusion']} inclusion ({c['points']} isolated critical points), "
               f"{c['saddle regions']} saddle regions (no local min or max), {c['bottom regions']} bottom regions "
               f"(L ≤ min + {dc.eps_bottom:.3g}, no local max), {c['top regions']} top regions (L ≥ max − "
               f"{dc.eps_top:.3g}, no local min), {c['flat bottoms']} flat bottoms (L ≤ min + {dc.eps_bottom:.3g}), "
               f"{c['unresolved']} unresolved; {c['boxes']} boxes, depth {c['depth']}, "
               f"{dc.seconds:.1f} s"]
        if dc.complete:
            out.append("minimum set: " + ("positive-dimensional, " if c["bottom regions"] else "")
                       + f"every local minimum has L ≤ min L + {self.eps:.3g}"
                       + ("" if not self.spurious else f" or is one of the {self.spurious} listed spurious minima")
                       + ("" if not self.undecided else f" or is one of the {self.undecided} listed minima whose "
                                                         "value is not decided")
                       + ("; so no local minimum lies more than ε above min L" if self.no_spurious_minimum else ""))
        else:
            out.append(f"INCOMPLETE: {dc.cover.reason}; {c['unresolved']} boxes ({dc.cover.unresolved_volume:.3g} of the "
                       "torus) undecided — minima there are not excluded")
        if dc.sample is not None:
            out.append("a point near the minimum set (float, L-BFGS from the best bottom region): θ = ("
                       + ", ".join(f"{t:.6f}" for t in dc.sample) + f"); Hessian nullity there {dc.local_dimension} "
                       "(estimated local dimension of the minimum set)")
        return out

    def to_json(self) -> dict:
        dc = self.dc
        return {"level": LEVEL, "level_width": dc.eps, "minima_within": self.eps, "min_interval": [str(x) for x in dc.min_interval],
                "max_interval": [str(x) for x in dc.max_interval], "min_exact": dc.min_exact, "max_exact": dc.max_exact,
                "eps_bottom": dc.eps_bottom, "eps_top": dc.eps_top, "counts": dict(dc.counts), "complete": dc.complete,
                "no_spurious_minimum": self.no_spurious_minimum, "spurious_minima": self.spurious,
                "undecided_minima": self.undecided,
                "sample_theta": None if dc.sample is None else list(dc.sample),
                "local_dimension": dc.local_dimension, "seconds": round(dc.seconds, 3)}

    def rows(self) -> list[dict]:
        """One row per kind of leaf, then the isolated points."""
        dc, c = self.dc, self.dc.counts
        lo = dc.min_interval
        rows = [{"what": "minimum set (bottom regions)", "count": c["bottom regions"],
                 "loss": _fmt(lo[0]) if dc.min_exact else f"[{_fmt(lo[0])}, {_fmt(lo[1])}]",
                 "kind": f"minima, L ≤ min + {dc.eps_bottom:.3g}",
                 "global": f"≤ min + {dc.eps_bottom:.3g}" if c["bottom regions"] else ""},
                {"what": "saddle regions", "count": c["saddle regions"], "loss": "", "kind": "no local min or max",
                 "global": ""},
                {"what": "maximum set (top regions)", "count": c["top regions"],
                 "loss": _fmt(dc.max_interval[1]) if dc.max_exact else
                 f"[{_fmt(dc.max_interval[0])}, {_fmt(dc.max_interval[1])}]",
                 "kind": f"maxima, L ≥ max − {dc.eps_top:.3g}", "global": ""}]
        for cp in self.points:
            r = cp.row()
            near = cp.kind == "minimum" and cp.is_global
            rows.append({"what": "point θ = (" + ", ".join(str(r[f"theta_{l + 1}"]) for l in range(len(cp.theta))) + ")",
                         "count": 1, "loss": r["loss"], "kind": r["kind"],
                         "global": f"≤ min + {self.eps:.3g}" if near else r["global"]})
        if c["unresolved"]:
            rows.append({"what": "unresolved boxes", "count": c["unresolved"], "loss": "", "kind": "undecided",
                         "global": "?"})
        return rows


def degenerate_table(loss: TrigPoly, table, time_limit: float | None = None, clock=time.perf_counter,
                     bounds: tuple | None = None, eps: float | None = None, max_boxes: int | None = None,
                     progress: bool = False, face_table=None):
    """The :class:`~qnnsym.critical.tablerecords.CriticalTable` of a positive-dimensional ``loss`` by a degenerate
    cover (:func:`degenerate_cover`), replacing ``table`` (the positive-dimensional one); ``bounds``: known
    ``(bottom, top)`` of ``L`` (:func:`energy_bounds`); ``face_table``: see :func:`degenerate_cover`.  Status ``complete`` (level :data:`LEVEL`) when every
    leaf is decided, else ``incomplete`` with the unresolved volume."""
    from dataclasses import replace

    from ..budget import Budget
    from .boxpoint import ExhaustionPoint
    from .classify import LossData, classify_points

    budget = Budget(time_limit, False, label=f"degenerate exhaustion (p={loss.p})", clock=clock)
    bottom, top = bounds if bounds is not None else (None, None)
    dc = degenerate_cover(loss, eps=eps, bottom=bottom, top=top, budget=budget, max_boxes=max_boxes, progress=progress,
                          face_table=face_table)
    cov = dc.cover
    pts = [ExhaustionPoint(loss.p, tuple(loss.omega), tuple(float(x) for x in c), tuple(float(x) for x in r), loss, j)
           for j, (c, r) in enumerate(cov.points)]
    cps = classify_points(LossData(loss), pts, complete=False) if pts else []
    lo, hi = dc.min_interval
    spurious, width = 0, dc.eps_bottom          # width: every local minimum within it of min L (bottoms, listed)
    for cp in cps:
        cp.is_global = None
        if cp.kind == "minimum" and lo is not None:
            if cp.loss[0] > hi:
                cp.is_global, spurious = False, spurious + 1
            elif cp.loss[1] <= lo + Fraction(dc.eps):
                cp.is_global = True
                width = max(width, float(cp.loss[1] - lo))
    counts = {"minima": None, "global_minima": None, "spurious_minima": spurious if dc.complete else None,
              "saddles": sum(cp.kind == "saddle" for cp in cps), "maxima": sum(cp.kind == "maximum" for cp in cps),
              "degenerate": None, "undecided_global": sum(cp.is_global is None and cp.kind == "minimum" for cp in cps),
              "by_index": None}
    dt = DegenerateTable(dc, width, cps, spurious, tuple(loss.omega))
    status = "complete" if dc.complete else "incomplete"
    return replace(table, certification=LEVEL if dc.complete else "none", backend="exhaustion (degenerate)",
                   complete=dc.complete, status=status, counts=counts, n_real=None,
                   min_loss=tuple(dc.min_interval) if dc.min_interval[0] is not None else None, degenerate=dt,
                   timings=dict(table.timings, degenerate=dc.seconds),
                   notes=[n for n in table.notes if not n.startswith("the critical set has dimension")]
                   + [f"route: positive-dimensional critical set, not decomposed: real exhaustion with saddle / bottom / top "
                      f"regions (qnnsym.critical.degenerate, level {LEVEL!r}); the minimum set is covered by bottom regions, "
                      "not listed point by point"] + dc.notes)
