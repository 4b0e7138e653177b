"""Checks ``real-exhaustion`` and ``global-minimum`` certificates: a cover of the torus re-proved box by box.

The torus is written in turns ``u_l = ω_l θ_l / 2π ∈ [0, 1)``.  The cover is a bisection tree in
breadth-first order (one code per node: ``0`` no critical point, ``1`` split, ``2`` inclusion, ``3``
unresolved, ``4`` pruned by value); the node at depth ``d`` is split along coordinate ``d mod p``,
so the string alone determines every box and that the leaves cover the torus.  This module has
its own enclosures (nothing of the solver): **ball arithmetic** (midpoint–radius, Rump) in numpy,
with the trigonometric values at box centres from python-flint ``arb``:

* a product ``(a, α)(b, β)`` is ``(fl(ab), (|a|β + α|b| + αβ)(1 + 2^-50) + 2^-52|fl(ab)| + 2^-1074)``;
  a sum of ``S`` balls adds ``(S + 2)·2^-52·Σ|m_s|`` and ``S·2^-1074`` to the summed radii; every
  radius computed from nonnegative floats is inflated by ``1 + 2^-50`` (covers its own rounding);
* derivatives of ``L`` to order 3 at the centre ``m`` are balls; the fourth-order tensor
  ``W4_ijkl = Σ|c_h||h_i h_j h_k h_l|`` (exact sums, rounded up) bounds the Taylor remainder.

A box ``m ± r`` (``δ = 2π r``) is excluded when for some ``i`` ``|g_i(m)| > min(Σ_j A2_ij δ_j, Σ_j |H_ij|δ_j +
½Σ_jk W_ijk δ_jδ_k, Σ_j |H_ij|δ_j + ½Σ_jk |T_ijk|δ_jδ_k + ⅙Σ_jkl W4_ijkl δ_jδ_kδ_l)`` (upper bounds of the
balls).  Krawczyk on a box ``K``: ``|Y g(c)| + M δ < δ`` with ``M ≥ |I − Y H(x)|`` on ``K``.  Values:
``L ≥ L(m) − min(Σ A1_i δ_i, Σ|g_i|δ_i + ½Σ|H_ij|δ_iδ_j + ⅙Σ W_ijk δ_iδ_jδ_k)``, and ``L ≤ L(m)`` at a point.
A NaN or an infinity fails every test.
"""
from __future__ import annotations

import math
from fractions import Fraction
from itertools import product

import numpy as np

from .common import Verdict, block_name, instance_label, theorem7_bounds
from .loss import _block_loss, _components, loss_by_interpolation, loss_digest

__all__ = ["check_exhaustion", "check_exhaustion_block", "check_global_minimum", "check_real_cover", "exhaustion_statement",
           "global_minimum_statement", "decode_cover", "point_facts", "value_bounds_from"]

_U = 2.0 ** -52          # ≥ the unit roundoff 2^-53, for radii
_ETA = 2.0 ** -1074
_UP = 1 + 2.0 ** -50
_TWO_PI = (2 * Fraction(314159265358979323846, 10 ** 20), 2 * Fraction(314159265358979323847, 10 ** 20))


def exhaustion_statement(p: int, s: dict, who: str) -> str:
    """The statement of a ``real-exhaustion`` certificate, from its (re-derived) numbers."""
    if s["complete"]:
        head = f"The loss of {who} (p = {p}) has exactly {s['n_real']} real critical points per period"
    else:
        head = (f"The loss of {who} (p = {p}) has at least {s['n_real']} real critical points per period "
                f"(a fraction {s['unresolved_volume']} of the torus is unresolved)")
    return (head + f": {s['minima']} local minima, {s['saddles']} saddles, {s['maxima']} maxima, {s['degenerate']} of "
            "undecided index; proven by a cover of the torus by boxes free of critical points and Krawczyk boxes "
            "holding one each (certified (real exhaustion): no complex count is claimed).")


def global_minimum_statement(p: int, interval, complete: bool, who: str) -> str:
    """The statement of a ``global-minimum`` certificate."""
    return (f"The global minimum of the loss of {who} (p = {p}) over all parameters lies in [{interval[0]}, "
            f"{interval[1]}]" + (" (the search ended: every box resolved)." if complete else
                                 " (a partial search: the interval holds, it is not as tight as it can be)."))


def decode_cover(tree: str, p: int):
    """``{code: [(depth, k array (n, p))]}`` of the leaves, or a string saying why the tree is malformed.

    >>> out = decode_cover("102", 1)
    >>> [(d, k.tolist()) for d, k in out["0"]], [(d, k.tolist()) for d, k in out["2"]]
    ([(1, [[0]])], [(1, [[1]])])
    """
    out: dict = {c: [] for c in "012345678"}
    out["regions"] = []          # region leaves (codes 5–8) in breadth-first order: (depth, k array, codes)
    level = np.zeros((1, p), dtype=np.int64)
    pos, depth = 0, 0
    while len(level):
        if depth > 62 * p:
            return "the tree is deeper than the float grid allows"
        codes = tree[pos:pos + len(level)]
        if len(codes) < len(level):
            return f"the tree ends at depth {depth}: {len(level) - len(codes)} boxes have no code (the cover has a hole)"
        arr = np.frombuffer(codes.encode(), dtype=np.uint8).astype(np.int64) - ord("0")
        if len(arr) != len(level) or ((arr < 0) | (arr > 8)).any():
            return f"an unknown node code at depth {depth} (codes are 0–8)"
        for c in "012345678":
            sel = level[arr == int(c)]
            if len(sel):
                out[c].append((depth, sel))
        reg = arr >= 5
        if reg.any():
            out["regions"].append((depth, level[reg], arr[reg]))
        par = level[arr == 1]
        s = depth % p
        kids = np.repeat(par, 2, axis=0)
        kids[:, s] = 2 * kids[:, s] + np.tile([0, 1], len(par))
        pos += len(level)
        level, depth = kids, depth + 1
    if pos != len(tree):
        return f"{len(tree) - pos} codes after the last level (the tree is not the one claimed)"
    return out


class _BallJet:
    """The checker's enclosure of ``L`` and its derivatives (orders ≤ 3, in ``φ = 2πu``) at points (turns)."""

    def __init__(self, loss):
        self.p = p = loss.p
        items = [(h, Fraction(c)) for h, c in loss.terms.items()]
        self.h = np.array([h for h, _ in items], dtype=np.int64).reshape(len(items), p)
        self.c_mid = np.array([float(c) for _, c in items])
        self.c_rad = np.array([abs(float(c) - c) for _, c in items]) * _UP     # exact |c − fl(c)|, rounded
        self.c_rad = np.array([float(np.nextafter(x, np.inf)) if x else 0.0 for x in self.c_rad])
        self.D = [max(1, int(np.abs(self.h[:, l]).max(initial=0))) for l in range(p)]

        def absum(*axes):
            acc: dict = {}
            for (h, c) in items:
                for key in product(range(p), repeat=len(axes)):
                    acc[key] = acc.get(key, Fraction(0)) + abs(c) * math.prod(abs(h[i]) for i in key)
            arr = np.zeros((p,) * len(axes))
            for key, v in acc.items():
                f = float(v)
                arr[key] = f if Fraction(f) >= v else float(np.nextafter(f, np.inf))
            return arr

        self.A0 = float(np.nextafter(float(sum((abs(c) for _, c in items), Fraction(0))), np.inf))
        self.A1, self.A2, self.W, self.W4 = absum(0), absum(0, 0), absum(0, 0, 0), absum(0, 0, 0, 0)
        self.cache: list[dict] = [{} for _ in range(p)]

    def _trig(self, l: int, u: np.ndarray):
        """Balls of ``cos(jφ)``, ``sin(jφ)`` (j = 0..D) at ``φ = 2π u`` (arb, then midpoint + radius)."""
        import flint

        D = self.D[l]
        cm, cr = np.empty((len(u), D + 1)), np.empty((len(u), D + 1))
        sm, sr = np.empty((len(u), D + 1)), np.empty((len(u), D + 1))
        old = flint.ctx.prec
        flint.ctx.prec = 80
        try:
            for n, x in enumerate(u):
                row = self.cache[l].get(x)
                if row is None:
                    a = flint.arb(Fraction(float(x)).numerator) / Fraction(float(x)).denominator
                    row = []
                    for j in range(D + 1):
                        for f in ((2 * j * a).cos_pi(), (2 * j * a).sin_pi()):
                            mid = float(f.mid())
                            err = abs(Fraction(mid) - _fr(f.mid())) + _fr(f.rad())
                            row.append((mid, float(np.nextafter(float(err), np.inf)) if err else 0.0))
                    self.cache[l][x] = row
                for j in range(D + 1):
                    (cm[n, j], cr[n, j]), (sm[n, j], sr[n, j]) = row[2 * j], row[2 * j + 1]
        finally:
            flint.ctx.prec = old
        return cm, cr, sm, sr

    def __call__(self, u: np.ndarray) -> dict:
        """``{orders tuple: (mid (N,), rad (N,))}`` for every derivative pattern of total order ≤ 3."""
        u = np.atleast_2d(np.asarray(u, dtype=float))
        N, p = u.shape
        S = len(self.c_mid)
        trig = [self._trig(l, u[:, l]) for l in range(p)]
        # factor tables per coordinate and order: d^o/dφ^o of cos(jφ) (h = j ≥ 0) or sin(jφ) (h = −j)
        fac = []
        for l in range(p):
            cm, cr, sm, sr = trig[l]
            h = self.h[:, l]
            j = np.abs(h)
            is_cos = h >= 0
            per = []
            for o in range(4):
                # cos: cos, −j sin, −j² cos, j³ sin;  sin: sin, j cos, −j² sin, −j³ cos
                use_cos = is_cos if o % 2 == 0 else ~is_cos
                sign = np.where(is_cos, [1, -1, -1, 1][o], [1, 1, -1, -1][o]).astype(float)
                scale = sign * j.astype(float) ** o
                mid = np.where(use_cos, cm[:, j], sm[:, j]) * scale
                rad = np.where(use_cos, cr[:, j], sr[:, j]) * np.abs(scale) * _UP + _U * np.abs(mid) + _ETA
                per.append((mid, rad))
            fac.append(per)
        out = {}
        for orders in product(range(4), repeat=p):
            if sum(orders) > 3:
                continue
            m = np.broadcast_to(self.c_mid, (N, S)).copy()
            r = np.broadcast_to(self.c_rad, (N, S)).copy()
            for l, o in enumerate(orders):
                fm, fr = fac[l][o]
                nm = m * fm
                r = (np.abs(m) * fr + r * np.abs(fm) + r * fr) * _UP + _U * np.abs(nm) + _ETA
                m = nm
            tot = m.sum(axis=1)
            rad = (r.sum(axis=1) + (S + 2) * _U * np.abs(m).sum(axis=1)) * _UP + S * _ETA
            out[orders] = (tot, rad)
        return out

    def arrays(self, u):
        """``(val, g, H, T)`` as (mid, rad) pairs of arrays (N,), (N, p), (N, p, p), (N, p, p, p)."""
        d = self(u)
        p = self.p
        N = len(next(iter(d.values()))[0])

        def pat(*idx):
            o = [0] * p
            for i in idx:
                o[i] += 1
            return d[tuple(o)]
        val = d[(0,) * p]
        g = tuple(np.stack([pat(i)[k] for i in range(p)], axis=1) for k in (0, 1))
        H = tuple(np.stack([np.stack([pat(i, j)[k] for j in range(p)], axis=1) for i in range(p)], axis=1)
                  for k in (0, 1))
        T = tuple(np.zeros((N, p, p, p)) for _ in range(2))
        for i, j, k in product(range(p), repeat=3):
            T[0][:, i, j, k], T[1][:, i, j, k] = pat(i, j, k)
        return val, g, H, T


def _fr(x) -> Fraction:
    m, e = x.man_exp()
    return Fraction(int(m)) * Fraction(2) ** int(e)


def _delta(r: np.ndarray) -> np.ndarray:
    """An upper bound of ``2π r`` (r ≥ 0 floats)."""
    return np.nextafter(r * float(_TWO_PI[1]) * _UP, np.inf)


def _excluded(jet: _BallJet, u, r) -> np.ndarray:
    (_, _), (gm, gr), (Hm, Hr), (Tm, Tr) = jet.arrays(u)
    d = _delta(np.broadcast_to(r, gm.shape))
    aH = np.abs(Hm) + Hr
    lin = np.einsum("nij,nj->ni", aH, d)
    b1 = np.einsum("ij,nj->ni", jet.A2, d)
    b2 = lin + 0.5 * np.einsum("ijk,nj,nk->ni", jet.W, d, d)
    b3 = lin + 0.5 * np.einsum("nijk,nj,nk->ni", np.abs(Tm) + Tr, d, d) + np.einsum("ijkl,nj,nk,nl->ni", jet.W4, d, d, d) / 6
    bound = (np.minimum(np.minimum(b1, b2), b3) + gr) * (1 + 2.0 ** -40)
    with np.errstate(invalid="ignore"):
        ok = (np.abs(gm) > bound).any(axis=1)
    return ok & np.isfinite(bound).all(axis=1) & np.isfinite(gm).all(axis=1)


def _krawczyk(jet: _BallJet, c: np.ndarray, r: np.ndarray) -> np.ndarray:
    """The checker's Krawczyk test on the boxes ``c ± r`` (turns, (N, p) or (p,)): True proves one zero in each."""
    c, r = np.atleast_2d(c), np.atleast_2d(r)
    N, p = c.shape
    if N > 1024:
        return np.concatenate([_krawczyk(jet, c[i:i + 1024], r[i:i + 1024]) for i in range(0, N, 1024)])
    (_, _), (gm, gr), (Hm, Hr), (Tm, Tr) = jet.arrays(c)
    fin = np.isfinite(Hm).all(axis=(1, 2)) & np.isfinite(gm).all(axis=1) & np.isfinite(Tm).all(axis=(1, 2, 3))
    Hs = np.where(fin[:, None, None], Hm, np.eye(p))
    with np.errstate(all="ignore"):
        inv_ok = np.abs(np.linalg.det(Hs)) > 0
        Y = np.linalg.inv(np.where(inv_ok[:, None, None], Hs, np.eye(p)))
        d = _delta(r)
        d_lo = r * float(_TWO_PI[0]) * (1 - 2.0 ** -50)
        # |H(x) − Hm| ≤ Hr + min(Σ_k W_ijk δ_k, Σ_k |T_ijk| δ_k + ½ Σ_kl W4_ijkl δ_k δ_l)
        E = Hr + np.minimum(np.einsum("ijk,nk->nij", jet.W, d), np.einsum("nijk,nk->nij", np.abs(Tm) + Tr, d)
                            + 0.5 * np.einsum("ijkl,nk,nl->nij", jet.W4, d, d))
        aY = np.abs(Y)
        R = np.eye(p) - Y @ Hm
        M = (np.abs(R) + (p + 2) * _U * (1 + aY @ np.abs(Hm)) + aY @ E) * _UP
        lhs = (np.einsum("nij,nj->ni", aY, np.abs(gm) + gr) + np.einsum("nij,nj->ni", M, d)) * (1 + 2.0 ** -40) + _ETA
        ok = np.isfinite(lhs).all(axis=1) & (lhs < d_lo).all(axis=1) & np.isfinite(Y).all(axis=(1, 2))
    return ok & fin & inv_ok


def _value_lower(jet: _BallJet, u, r) -> np.ndarray:
    return value_bounds_from(jet, jet.arrays(u), r)[0]


def value_bounds_from(jet: _BallJet, arrays, r) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of ``L`` on the boxes ``u ± r`` from ``arrays = jet.arrays(u)``: ``L(m)`` ∓ the least of
    ``Σ A1_i δ_i`` and the Taylor form ``Σ|g_i|δ_i + ½Σ|H_ij|δ_iδ_j + ⅙Σ W_ijk δ_iδ_jδ_k`` (ball radii added)."""
    (vm, vr), (gm, gr), (Hm, Hr), _ = arrays
    d = _delta(np.broadcast_to(np.asarray(r, dtype=float), gm.shape))
    glob = d @ jet.A1
    tay = np.einsum("ni,ni->n", np.abs(gm) + gr, d) + 0.5 * np.einsum("nij,ni,nj->n", np.abs(Hm) + Hr, d, d) \
        + np.einsum("ijk,ni,nj,nk->n", jet.W, d, d, d) / 6
    spread = (vr + np.minimum(glob, tay)) * (1 + 2.0 ** -40)
    lo, hi = vm - spread, vm + spread
    return (np.where(np.isfinite(lo), np.nextafter(lo, -np.inf), -np.inf),
            np.where(np.isfinite(hi), np.nextafter(hi, np.inf), np.inf))


def _value_upper(jet: _BallJet, u, r=None) -> float:
    (vm, vr), _, _, _ = jet.arrays(np.asarray(u, dtype=float).reshape(1, -1))
    if r is not None:
        return float(_value_upper_boxes(jet, np.asarray(u, dtype=float).reshape(1, -1), r)[0])
    hi = vm[0] + vr[0] * (1 + 2.0 ** -40)
    return float(np.nextafter(hi, np.inf)) if np.isfinite(hi) else math.inf


def _value_upper_boxes(jet: _BallJet, u, r) -> np.ndarray:
    """Upper bounds of ``L`` on the boxes ``u ± r`` (turns, (N, p)): :func:`value_bounds_from`."""
    return value_bounds_from(jet, jet.arrays(u), r)[1]


def _box_of(depth: int, k, p: int):
    n = [(depth - l + p - 1) // p for l in range(p)]
    return [(Fraction(int(k[l]), 2 ** n[l]), Fraction(int(k[l]) + 1, 2 ** n[l])) for l in range(p)]


def _inside(c1, r1, c2, r2) -> bool:
    """``c1 ± r1`` lies in the interior of ``c2 ± r2`` on the torus (nearest representative), exactly."""
    for a, ra, b, rb in zip(c1, r1, c2, r2):
        a = a - round(a - b)
        if not abs(a - b) + ra < rb:
            return False
    return True


def _disjoint(c1, r1, c2, r2) -> bool:
    for a, ra, b, rb in zip(c1, r1, c2, r2):
        a = a - round(a - b)
        if abs(a - b) > ra + rb:
            return True
    return False


def _fracs(v) -> list[Fraction]:
    return [Fraction(x) for x in v]


def _check_cover(jet: _BallJet, cover: dict, p: int, name: str, out: list, allow_pruned: bool = False,
                 upper: float | None = None, progress: bool = False, allow_regions: bool = False):
    """Re-prove a cover (region leaves, codes 5–8, only with ``allow_regions``: their own tests are
    :func:`qnnsym.certify.checker.degenerate.check_degenerate`'s).  Returns ``(ok, points, point value lower bounds,
    unresolved lower bounds, unresolved volume)``."""
    dec = decode_cover(cover["tree"], p)
    if isinstance(dec, str):
        out.append(Verdict(f"{name}: the tree covers the torus", False, dec))
        return False, [], [], [], None
    n_leaves = sum(len(k) for c in "02345678" for _, k in dec[c])
    out.append(Verdict(f"{name}: the bisection tree covers the torus ({n_leaves} leaves)", True,
                       "every node has a code; the leaves of a bisection tree tile [0, 1)^p"))
    if dec["regions"] and not allow_regions:
        out.append(Verdict(f"{name}: no region leaf (codes 5–8)", False,
                           "region leaves belong to degenerate-exhaustion certificates only"))
        return False, [], [], [], None
    # points: Krawczyk boxes, pairwise disjoint
    pts = [(_fracs(pt["centre"]), _fracs(pt["radius"])) for pt in cover["points"]]
    bad = [j for j, (c, r) in enumerate(pts) if len(c) != p or len(r) != p or min(r) <= 0 or max(r) >= Fraction(1, 4)]
    if not bad and pts:
        kr = _krawczyk(jet, np.array([[float(x) for x in c] for c, _ in pts]), np.array([[float(x) for x in r] for _, r in pts]))
        bad = [j for j, (c, r) in enumerate(pts) if not kr[j] or any(Fraction(float(x)) != x for x in c + r)]
    out.append(Verdict(f"{name}: {len(pts)} point boxes each hold exactly one critical point (Krawczyk)", not bad,
                       "re-proved with the checker's ball arithmetic" if not bad else f"point {bad[0]} fails"))
    pairs = [(a, b) for a in range(len(pts)) for b in range(a + 1, len(pts))
             if not _disjoint(pts[a][0], pts[a][1], pts[b][0], pts[b][1])]
    out.append(Verdict(f"{name}: the point boxes are pairwise disjoint on the torus", not pairs,
                       "so they hold distinct critical points" if not pairs else f"points {pairs[0]} may overlap"))
    ok = not bad and not pairs
    # excluded boxes
    n_ex, fail = 0, None
    it = dec["0"]
    if progress:
        from tqdm import tqdm
        it = tqdm(it, desc=f"{name}: excluded boxes", leave=False)
    for depth, ks in it:
        n = np.array([(depth - l + p - 1) // p for l in range(p)])
        w = 1.0 / 2.0 ** n
        for i in range(0, len(ks), 2048):
            kk = ks[i:i + 2048]
            got = _excluded(jet, (kk + 0.5) * w, w / 2)
            n_ex += len(kk)
            if not got.all() and fail is None:
                fail = (depth, kk[np.nonzero(~got)[0][0]].tolist())
    out.append(Verdict(f"{name}: {n_ex} boxes hold no critical point (0 ∉ ∇L on each)", fail is None,
                       "mean-value / Taylor enclosures in ball arithmetic" if fail is None else
                       f"not proven on the box at depth {fail[0]}, position {fail[1]}: "
                       f"{[(str(a), str(b)) for a, b in _box_of(fail[0], fail[1], p)]}"))
    ok &= fail is None
    # inclusion boxes
    incl = cover["inclusions"]
    leaves = [(d, k) for d, ks in dec["2"] for k in ks]
    used = set()
    problems = []
    if len(incl) != len(leaves):
        problems.append(f"{len(leaves)} inclusion leaves, {len(incl)} inclusion records")
    recs = []
    for (d, k), rec in zip(leaves, incl):
        c, r, j = _fracs(rec["centre"]), _fracs(rec["radius"]), rec["point"]
        if len(c) != p or len(r) != p or not 0 <= j < len(pts) or max(r) >= Fraction(1, 4) \
                or any(Fraction(float(x)) != x for x in c + r):
            problems.append(f"leaf at depth {d}, {k.tolist()}: malformed record")
            continue
        recs.append((d, k, c, r, j))
    kr = []
    if recs:         # leaves sharing one K (an enclosure around a point) prove it once
        cr = np.array([[float(x) for x in c + r] for _, _, c, r, _ in recs]).reshape(-1, 2 * p)
        uniq, inv = np.unique(cr, axis=0, return_inverse=True)
        kr = _krawczyk(jet, uniq[:, :p], uniq[:, p:])[inv.reshape(-1)]
    for (d, k, c, r, j), k_ok in zip(recs, kr):
        X = _box_of(d, k, p)
        # on the torus: the leaf's representative nearest K (an integer shift of a box is the same set mod 1)
        contains = all(cl - rl <= lo + n and hi + n <= cl + rl
                       for (lo, hi), cl, rl in zip(X, c, r) for n in [round(cl - (lo + hi) / 2)])
        if not contains:
            problems.append(f"leaf at depth {d}, {k.tolist()}: its box K does not contain the leaf")
        elif not k_ok:
            problems.append(f"leaf at depth {d}, {k.tolist()}: Krawczyk fails on K (not exactly one zero)")
        elif not _inside(pts[j][0], pts[j][1], c, r):
            problems.append(f"leaf at depth {d}, {k.tolist()}: point {j} is not inside K")
        else:
            used.add(j)
    out.append(Verdict(f"{name}: {len(leaves)} inclusion leaves each hold only the critical point of their point box",
                       not problems, "K ⊇ leaf, Krawczyk on K, the point box inside K" if not problems else
                       problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")))
    ok &= not problems
    unused = sorted(set(range(len(pts))) - used)
    out.append(Verdict(f"{name}: every point box is reached by an inclusion leaf", not unused,
                       "" if not unused else f"point {unused[0]} is not"))
    ok &= not unused
    # pruned (value) and unresolved boxes
    unres_lo, vol = [], Fraction(0)
    if dec["4"]:
        if not allow_pruned or upper is None:
            out.append(Verdict(f"{name}: no box is pruned by value", False, "a table's cover may not prune by value"))
            ok = False
        else:
            nfail = 0
            for depth, ks in dec["4"]:
                n = np.array([(depth - l + p - 1) // p for l in range(p)])
                w = 1.0 / 2.0 ** n
                lo = _value_lower(jet, (ks + 0.5) * w, w / 2)
                nfail += int((~(lo > upper)).sum())
            out.append(Verdict(f"{name}: {sum(len(k) for _, k in dec['4'])} boxes lie above the upper bound", not nfail,
                               "lower bound of L on each > the witnessed value" if not nfail else
                               f"{nfail} boxes are not proven above it"))
            ok &= not nfail
    for depth, ks in dec["3"]:
        n = np.array([(depth - l + p - 1) // p for l in range(p)])
        w = 1.0 / 2.0 ** n
        vol += len(ks) * Fraction(1, 2 ** int(n.sum()))
        if allow_pruned:
            unres_lo += list(_value_lower(jet, (ks + 0.5) * w, w / 2))
    return ok, pts, used, unres_lo, vol


def _loss_checks(data: dict, out: list, with_instance: bool = False):
    from .instance import check_instance

    inst = check_instance(data, out)
    if inst is None:
        return (None, None) if with_instance else None
    loss = loss_by_interpolation(inst)
    dig = loss_digest(loss)
    ok = dig == data["loss"]["sha256"] and len(loss.terms) == data["loss"]["n_terms"]
    out.append(Verdict("the solver's loss is the instance's loss (eq. 6)", ok,
                       "rebuilt by exact interpolation of the direct simulation; digests match" if ok else "digests differ"))
    if with_instance:
        return (loss if ok else None), inst
    return loss if ok else None


def _index(jet: _BallJet, c, r) -> int | None:
    """Hessian index over a point box, when Gershgorin after an eigenbasis change decides it."""
    from ...exact.interval import ball, symmetric_inertia

    (_, _), _, (Hm, Hr), (Tm, Tr) = jet.arrays(np.array([float(x) for x in c]).reshape(1, -1))
    d = _delta(np.array([float(x) for x in r]))
    E = Hr[0] + np.minimum(jet.W @ d, (np.abs(Tm[0]) + Tr[0]) @ d + 0.5 * np.einsum("ijkl,k,l->ij", jet.W4, d, d))
    p = jet.p
    H = [[ball(Fraction(float(Hm[0, i, j])) - Fraction(float(E[i, j])), Fraction(float(Hm[0, i, j])) + Fraction(float(E[i, j])))
          for j in range(p)] for i in range(p)]
    got = symmetric_inertia(H)
    return None if got is None else got[0]


def check_real_cover(bi: int, blk: dict, loss_b, n_listed: int, progress: bool, out: list) -> bool:
    """The ``real_cover`` of a ``critical-points`` block whose ``deg q`` is below the bound: re-prove the cover of
    the block's torus (no unresolved or pruned box); its ``N`` point boxes hold all real critical points, one
    each, so a block listing ``N`` distinct real critical points (verified by :func:`~.points.check_block`)
    lists them all.  Returns whether the block's real list is thereby complete."""
    name = f"{block_name(bi, blk)} real cover"
    ok, pts, _, _, vol = _check_cover(_BallJet(loss_b), blk["real_cover"], loss_b.p, name, out, progress=progress)
    complete = ok and vol == 0 and len(pts) == n_listed
    out.append(Verdict(f"{name}: the block's {n_listed} real points are all its real critical points", complete,
                       f"the cover holds {len(pts)} point boxes, no unresolved box" if vol == 0 else
                       f"unresolved volume {vol}: completeness NOT proven"))
    return complete


def point_facts(jet: _BallJet, pts) -> list[dict]:
    """Per point box ``(centre, radius)`` (turns): its Hessian index (None: undecided, reported degenerate) and an
    enclosure of the loss on it as a ball (``[lower, upper]`` of the Taylor forms over the box)."""
    from ...exact.interval import ball

    facts = []
    for c, r in pts:
        cf, rf = np.array([float(x) for x in c]), np.array([float(x) for x in r])
        lo = float(_value_lower(jet, cf.reshape(1, -1), rf)[0])
        hi = _value_upper(jet, cf, rf)
        idx = _index(jet, c, r)
        ok = math.isfinite(lo) and math.isfinite(hi) and lo <= hi
        facts.append({"index": idx, "degenerate": idx is None, "exact": False,
                      "value": ball(Fraction(lo), Fraction(hi))} if ok else None)
    return facts


def check_exhaustion_block(bi: int, blk: dict, loss_b, progress: bool, out: list) -> tuple[list, dict]:
    """A block of a ``critical-points`` certificate listed by its own exhaustion cover (``method: exhaustion``):
    the cover is re-proved (:func:`_check_cover`: excluded boxes, Krawczyk inclusions, disjoint point boxes); the
    block's real points are the cover's point boxes, in order, with the index and value re-derived here.  No
    complex count is claimed (``n_complex`` None); the real list is complete when the cover has no open box."""
    name = f"{block_name(bi, blk)} (exhaustion)"
    jet = _BallJet(loss_b)
    ok, pts, _, _, vol = _check_cover(jet, blk["cover"], loss_b.p, name, out, progress=progress)
    facts = point_facts(jet, pts) if ok else [None] * len(blk["cover"]["points"])
    bad = [j for j, (f, pt) in enumerate(zip(facts, blk["cover"]["points"])) if f is None or pt.get("index") != f["index"]]
    out.append(Verdict(f"{name}: Hessian index and loss enclosure of its {len(pts)} points", not bad,
                       "re-derived on each point box" if not bad else f"point {bad[0]}: index or value not re-derived"))
    complete = ok and vol == 0 and not bad
    level = "certified (real exhaustion)" if complete else "none"
    claimed = (blk.get("certification"), blk.get("complete"))
    out.append(Verdict(f"{name}: level {claimed[0]!r}, complete {claimed[1]}", claimed == (level, complete),
                       f"re-derived: {level!r}, complete {complete}"))
    info = {"complete": False, "real_complete": complete, "n_complex": None, "certification": level,
            "bounds": {"multihomogeneous": theorem7_bounds(loss_b)["multihomogeneous_generic"]}}
    return facts, info


def check_exhaustion(data: dict, progress: bool = False) -> list[Verdict]:
    """Check a ``real-exhaustion`` certificate: the cover, every excluded and inclusion box, the point
    boxes (Krawczyk, disjoint), the Hessian index of each point, the counts and the statement."""
    out: list[Verdict] = []
    loss = _loss_checks(data, out)
    if loss is None:
        return out
    p = loss.p
    zero = [l for l in range(p) if not any(h[l] for h in loss.terms)]
    if zero:
        out.append(Verdict("the loss depends on every parameter", False, f"not on θ_{zero[0] + 1}: no finite table"))
        return out
    jet = _BallJet(loss)
    ok, pts, _, _, vol = _check_cover(jet, data["cover"], p, "cover", out, progress=progress)
    counts = {"minima": 0, "saddles": 0, "maxima": 0, "degenerate": 0}
    bad_idx = []
    for j, pt in enumerate(data["cover"]["points"]):
        idx = _index(jet, pts[j][0], pts[j][1]) if j < len(pts) else None
        if pt.get("index") != idx:
            bad_idx.append(f"point {j}: index {idx}, certificate says {pt.get('index')}")
        key = "degenerate" if idx is None else "minima" if idx == 0 else "maxima" if idx == p else "saddles"
        counts[key] += 1
    out.append(Verdict(f"Hessian index of all {len(pts)} points", not bad_idx,
                       "certified inertia of the Hessian enclosure on each point box" if not bad_idx else bad_idx[0]))
    complete = ok and vol == 0
    summ = dict(counts, n_real=len(pts), complete=complete, unresolved_volume=str(vol))
    claimed = data["summary"]
    diff = {k: (claimed.get(k), v) for k, v in summ.items() if claimed.get(k) != v}
    out.append(Verdict("summary: " + ", ".join(f"{k} {claimed.get(k)}" for k in summ), not diff,
                       "re-derived" if not diff else "; ".join(f"{k}: certificate {a}, re-derived {b}"
                                                                for k, (a, b) in diff.items())))
    level = "certified (real exhaustion)" if complete and not bad_idx else "none"
    out.append(Verdict(f"certification level {data['certification']!r}", data["certification"] == level,
                       f"re-derived: {level!r}"))
    want = exhaustion_statement(p, summ, instance_label(data["origin"], data["instance_sha256"]))
    out.append(Verdict("statement: " + data["statement"], data["statement"] == want,
                       "re-derived word for word" if data["statement"] == want else f"the verified statement is: {want}"))
    return out


def check_global_minimum(data: dict, progress: bool = False) -> list[Verdict]:
    """Check a ``global-minimum`` certificate: per independent block a cover whose leaves hold no
    critical point, lie above the witnessed upper bound, hold one enclosed critical point, or are
    open (their lower bounds count); the claimed interval must contain what these prove."""
    out: list[Verdict] = []
    loss = _loss_checks(data, out)
    if loss is None:
        return out
    comps = _components(loss)
    blocks = data["blocks"]
    claimed = [sorted(b["parameters"]) for b in blocks]
    active = sorted(l for c in comps for l in c if any(h[l] for h in loss.terms))
    ok_blocks = sorted(l for b in claimed for l in b) == active and all(
        any(set(c) <= set(b) for b in claimed) for c in comps if any(any(h[l] for h in loss.terms) for l in c))
    out.append(Verdict("the blocks are independent and cover every parameter L depends on", ok_blocks,
                       f"interaction components of the rebuilt loss: {comps}"))
    if not ok_blocks:
        return out
    const = Fraction(loss.terms.get((0,) * loss.p, 0))
    lo_sum, hi_sum, complete = Fraction(0), Fraction(0), True
    for bi, blk in enumerate(blocks):
        name = f"block {bi}"
        lb = _block_loss(loss, blk["parameters"])
        pb = lb.p
        # the block loss without the constant term (the constant is added once, below)
        from ...exact.trigpoly import TrigPoly
        lb = TrigPoly(pb, {h: c for h, c in lb.terms.items() if any(h)}, lb.omega)
        jet = _BallJet(lb)
        lo_c, hi_c = (Fraction(x) for x in blk["interval"])
        w = blk["witness"]
        if "point" in w:
            up = _value_upper(jet, [float(Fraction(x)) for x in w["point"]]) if len(w["point"]) == pb else math.inf
        else:
            pts0 = blk["cover"]["points"]
            j = w["box"]
            up = _value_upper(jet, [float(Fraction(x)) for x in pts0[j]["centre"]],
                              [float(Fraction(x)) for x in pts0[j]["radius"]]) if 0 <= j < len(pts0) else math.inf
        ok_up = math.isfinite(up) and Fraction(up) <= hi_c
        out.append(Verdict(f"{name}: min L_b ≤ {hi_c}", ok_up, f"witnessed value ≤ {up!r}"))
        ok, pts, used, unres_lo, vol = _check_cover(jet, blk["cover"], pb, name, out, allow_pruned=True,
                                                    upper=float(hi_c) if ok_up else None, progress=progress)
        lows = [Fraction(x) for x in unres_lo]
        for j in sorted(used):
            c, r = pts[j]
            lows.append(Fraction(float(_value_lower(jet, np.array([float(x) for x in c]).reshape(1, -1),
                                                    np.array([float(x) for x in r]))[0])))
        proven_lo = min(lows) if lows else Fraction(hi_c)
        ok_lo = ok and lo_c <= proven_lo
        out.append(Verdict(f"{name}: min L_b ≥ {lo_c}", ok_lo,
                           f"the critical points' and open boxes' lower bounds are ≥ {float(proven_lo)!r}" if ok else
                           "not proven: the cover failed"))
        lo_sum += lo_c
        hi_sum += hi_c
        complete &= ok and not unres_lo and vol == 0
    lo, hi = (Fraction(x) for x in data["interval"])
    ok_iv = all(v.ok for v in out) and lo == const + lo_sum and hi == const + hi_sum
    out.append(Verdict(f"min L ∈ [{lo}, {hi}]", ok_iv, "constant term + Σ of the block intervals" if ok_iv else
                       f"re-derived [{const + lo_sum}, {const + hi_sum}] (or a block failed)"))
    out.append(Verdict(f"search {'complete' if data['complete'] else 'partial'}", data["complete"] == complete,
                       f"re-derived: {'complete' if complete else 'partial'}"))
    want = global_minimum_statement(loss.p, data["interval"], complete, instance_label(data["origin"],
                                                                                      data["instance_sha256"]))
    out.append(Verdict("statement: " + data["statement"], data["statement"] == want,
                       "re-derived word for word" if data["statement"] == want else f"the verified statement is: {want}"))
    return out
