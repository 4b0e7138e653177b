"""Checks ``degenerate-exhaustion`` certificates: a cover of the torus whose leaves are excluded, inclusion or
**region** leaves (docs/certificates.md, docs/math.md "Degenerate critical sets by exhaustion").

Region leaves (codes of :func:`~.exhaustion.decode_cover`): ``5`` saddle (``vᵀH(x)v < 0`` and ``wᵀH(x)w > 0`` on the
box), ``6`` bottom (``L ≤ bottom + eps_bottom`` and ``wᵀH(x)w > 0``), ``7`` top (``vᵀH(x)v < 0`` and
``L ≥ top − eps_top``), ``8`` flat bottom (``L ≤ bottom + eps_bottom``).  The witnesses ``v``, ``w`` are the
certificate's (exact dyadic rationals); every inequality is re-proved here with the checker's ball arithmetic,
``|H(x) − H(m)| ≤ Hr + min(Σ_k W_ijk δ_k, Σ_k |T_ijk| δ_k + ½ Σ_kl W4_ijkl δ_k δ_l)``.  ``bottom ≤ min L`` is proved
either by the cover (every leaf that may hold a critical point has a lower bound ``≥ bottom``; ``min L`` is a
critical value) or, for an energy (``objective: expectation``, one state) with a diagonal observable, by its
least eigenvalue computed exactly here; ``top ≥ max L`` alike.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from .common import Verdict, instance_label
from .exhaustion import _U, _UP, _BallJet, _check_cover, _delta, _ETA, _index, _loss_checks, decode_cover, value_bounds_from

__all__ = ["check_degenerate", "degenerate_statement"]

_NEEDS = {5: "NX", 6: "BX", 7: "NT", 8: "B"}


def degenerate_statement(p: int, s: dict, who: str) -> str:
    """The statement of a ``degenerate-exhaustion`` certificate, from its (re-derived) numbers."""
    head = (f"The loss of {who} (p = {p}): min L ≥ {s['bottom']} and max L ≤ {s['top']}; ")
    if not s["complete"]:
        return head + (f"a fraction {s['unresolved_volume']} of the torus is unresolved, so nothing is claimed about the "
                       "local minima there (certified (real exhaustion, degenerate): partial).")
    return head + (f"every local minimum of L has L ≤ {s['bottom']} + {s['eps_bottom']} or is one of {s['minima']} "
                   f"isolated nondegenerate minima, and every local maximum has L ≥ {s['top']} − {s['eps_top']}, lies in a "
                   f"flat bottom or is one of {s['maxima']} isolated maxima; the other critical points are "
                   f"{s['saddles']} isolated saddles, {s['degenerate']} points of undecided index and the points of "
                   f"{s['regions']['saddle']} saddle regions (no local minimum or maximum); proven by a cover of the "
                   "torus (certified (real exhaustion, degenerate); no complex count is claimed).")


def _spectrum(inst) -> tuple[Fraction, Fraction] | None:
    """``(λ_min, λ_max)`` of a diagonal observable of an energy instance (one state), exactly; else None."""
    obj = getattr(inst, "objective", None)
    if obj is None or getattr(obj, "kind", None) != "expectation" or inst.m != 1:
        return None
    obs = inst.observable
    if obs.n > 20 or any(x for x, _ in obs) or not obs.exact:
        return None
    coef = [(z, Fraction(c)) for (_, z), c in obs.items()]
    vals = [sum((c if bin(z & b).count("1") % 2 == 0 else -c for z, c in coef), Fraction(0)) for b in range(2 ** obs.n)]
    return min(vals), max(vals)


def _curvature_from(jet: _BallJet, arrays, r: np.ndarray, v: np.ndarray, sign: int) -> np.ndarray:
    """True where ``sign·vᵀH(x)v > 0`` for every ``x`` in the boxes ``u ± r`` (turns, (N, p); ``arrays = jet.arrays(u)``,
    ``v`` (N, p) floats)."""
    _, _, (Hm, Hr), (Tm, Tr) = arrays
    p = Hm.shape[1]
    d = _delta(np.broadcast_to(r, v.shape))
    E = Hr + np.minimum(np.einsum("ijk,nk->nij", jet.W, d), np.einsum("nijk,nk->nij", np.abs(Tm) + Tr, d)
                        + 0.5 * np.einsum("ijkl,nk,nl->nij", jet.W4, d, d))
    q = np.einsum("ni,nij,nj->n", v, Hm, v)
    av = np.abs(v)
    bound = (np.einsum("ni,nij,nj->n", av, E + (p + 2) * _U * np.abs(Hm), av) * _UP + _ETA) * (1 + 2.0 ** -40)
    with np.errstate(invalid="ignore"):
        return np.isfinite(bound) & np.isfinite(q) & (sign * q > bound)


def _first_of_each(problems: list[str]) -> str:
    """The first problem of each kind (the text after the region's name), and how many there are in all."""
    seen: dict = {}
    for pr in problems:
        seen.setdefault(pr.split(": ", 1)[-1], pr)
    return "; ".join(seen.values()) + (f" ({len(problems)} problems in all)" if len(problems) > 1 else "")


def _float_at_most(q: Fraction) -> float:
    """The largest float ``≤ q``."""
    f = float(q)
    return float(np.nextafter(f, -np.inf)) if Fraction(f) > q else f


def _vector(rec: dict, key: str, p: int) -> list[float] | None:
    x = rec.get(key)
    if not isinstance(x, list) or len(x) != p:
        return None
    try:
        fr = [Fraction(str(a)) for a in x]
    except (ValueError, ZeroDivisionError):
        return None
    return [float(a) for a in fr] if all(Fraction(float(a)) == a for a in fr) else None


def check_degenerate(data: dict, progress: bool = False) -> list[Verdict]:
    """Check a ``degenerate-exhaustion`` certificate: the cover (as :func:`~.exhaustion.check_exhaustion`), every
    region leaf's tests, the bounds ``bottom ≤ min L``, ``max L ≤ top``, the counts and the statement."""
    out: list[Verdict] = []
    loss, inst = _loss_checks(data, out, with_instance=True)
    if loss is None:
        return out
    p = loss.p
    jet = _BallJet(loss)
    cover = data["cover"]
    ok, pts, _, _, vol = _check_cover(jet, cover, p, "cover", out, progress=progress, allow_regions=True)
    dec = decode_cover(cover["tree"], p)
    if isinstance(dec, str):              # a malformed tree (already a verdict)
        return out
    lv = data["levels"]
    try:
        bottom, eps_b, top, eps_t = (Fraction(str(lv[k])) for k in ("bottom", "eps_bottom", "top", "eps_top"))
    except (KeyError, ValueError, ZeroDivisionError):
        out.append(Verdict("levels: bottom, eps_bottom, top, eps_top are rationals", False, "malformed"))
        return out
    # region leaves against their records (breadth-first order), and L's bounds on every leaf that may hold a
    # critical point: one ball evaluation per chunk of leaves serves every test
    recs = cover.get("regions", [])
    n_regions = sum(len(ks) for _, ks, _ in dec["regions"])
    problems = [] if len(recs) == n_regions else [f"{n_regions} region leaves, {len(recs)} region records"]
    counts = {"N": 0, "X": 0, "B": 0, "T": 0}
    lows, highs = [], []
    thr_b, thr_t = _float_at_most(bottom + eps_b), -_float_at_most(eps_t - top)
    what = {"N": "vᵀH(x)v < 0 (no local minimum)", "X": "wᵀH(x)w > 0 (no local maximum)",
            "B": f"L ≤ bottom + eps_bottom = {bottom + eps_b}", "T": f"L ≥ top − eps_top = {top - eps_t}"}
    ri = 0
    for d, ks, cs in dec["regions"]:
        w = 1.0 / 2.0 ** np.array([(d - l + p - 1) // p for l in range(p)])
        for s0 in range(0, len(ks), 2048):
            kk, cc = ks[s0:s0 + 2048], cs[s0:s0 + 2048]
            u = (kk + 0.5) * w
            r = np.broadcast_to(w / 2, u.shape)
            arr = jet.arrays(u)
            lo, hi = value_bounds_from(jet, arr, r)
            lows.append(float(lo.min()))
            highs.append(float(hi.max()))
            tests = {t: np.array([t in _NEEDS[int(c)] for c in cc]) for t in "NXBT"}
            vecs = {"N": np.zeros(u.shape), "X": np.zeros(u.shape)}
            for j, c in enumerate(cc):
                i = ri + j
                rec = recs[i] if i < len(recs) else {}
                if str(rec.get("code")) != str(c):
                    problems.append(f"region {i}: code {rec.get('code')!r}, the tree says {c}")
                    for t in "NXBT":
                        tests[t][j] = False
                    continue
                for t, key in (("N", "v"), ("X", "w")):
                    if tests[t][j]:
                        vec = _vector(rec, key, p)
                        if vec is None:
                            problems.append(f"region {i}: its witness {key} is missing or not dyadic")
                            tests[t][j] = False
                        else:
                            vecs[t][j] = vec
            got = {"N": _curvature_from(jet, arr, r, vecs["N"], -1), "X": _curvature_from(jet, arr, r, vecs["X"], 1),
                   "B": hi <= thr_b, "T": lo >= thr_t}
            for t in "NXBT":
                need = tests[t]
                counts[t] += int((need & got[t]).sum())
                for j in np.nonzero(need & ~got[t])[0]:
                    problems.append(f"region {ri + j} (code {cc[j]}): {what[t]} not proven on its box")
            ri += len(kk)
    out.append(Verdict(f"{n_regions} region leaves: curvature and level tests", not problems,
                       f"re-proved: {counts['N']} negative-curvature, {counts['X']} positive-curvature, {counts['B']} bottom, "
                       f"{counts['T']} top tests" if not problems else _first_of_each(problems)))
    ok &= not problems
    # bottom ≤ min L and max L ≤ top: the spectrum, or the leaves that may hold a critical point
    spec = _spectrum(inst)
    for code in "23":
        for d, ks in dec[code]:
            w = 1.0 / 2.0 ** np.array([(d - l + p - 1) // p for l in range(p)])
            for s0 in range(0, len(ks), 2048):
                u = (ks[s0:s0 + 2048] + 0.5) * w
                lo, hi = value_bounds_from(jet, jet.arrays(u), np.broadcast_to(w / 2, u.shape))
                lows.append(float(lo.min()))
                highs.append(float(hi.max()))
    lo_cov = min(lows, default=np.inf)
    hi_cov = max(highs, default=-np.inf)
    b_ok = (spec is not None and bottom <= spec[0]) or (np.isfinite(lo_cov) and bottom <= Fraction(float(lo_cov)))
    t_ok = (spec is not None and top >= spec[1]) or (np.isfinite(hi_cov) and top >= Fraction(float(hi_cov)))
    out.append(Verdict(f"bottom {bottom} ≤ min L and max L ≤ top {top}", b_ok and t_ok,
                       ("by the spectrum of the observable (exact)" if spec is not None else "by the cover's leaves")
                       if b_ok and t_ok else ("bottom" if not b_ok else "top") + " not proven"))
    ok &= b_ok and t_ok
    # the isolated points: index per point box
    idx = [_index(jet, c, r) for c, r in pts]
    bad_idx = [j for j, (pt, i) in enumerate(zip(cover["points"], idx)) if pt.get("index") != i]
    out.append(Verdict(f"Hessian index of the {len(pts)} isolated points", not bad_idx,
                       "certified inertia on each point box" if not bad_idx else f"point {bad_idx[0]}"))
    complete = bool(ok) and vol == 0 and not bad_idx
    regions = {"saddle": sum(len(k) for _, k in dec["5"]), "bottom": sum(len(k) for _, k in dec["6"]),
               "top": sum(len(k) for _, k in dec["7"]), "flat_bottom": sum(len(k) for _, k in dec["8"])}
    summ = {"minima": sum(i == 0 for i in idx), "saddles": sum(i is not None and 0 < i < p for i in idx),
            "maxima": sum(i == p for i in idx), "degenerate": sum(i is None for i in idx), "regions": regions,
            "bottom": str(bottom), "eps_bottom": str(eps_b), "top": str(top), "eps_top": str(eps_t),
            "complete": complete, "unresolved_volume": str(vol)}
    claimed = data.get("summary", {})
    diff = {k: (claimed.get(k), v) for k, v in summ.items() if claimed.get(k) != v}
    out.append(Verdict("summary", not diff, "re-derived" if not diff else
                       "; ".join(f"{k}: certificate {a}, re-derived {b}" for k, (a, b) in diff.items())))
    level = "certified (real exhaustion, degenerate)" if complete else "none"
    out.append(Verdict(f"certification level {data.get('certification')!r}", data.get("certification") == level,
                       f"re-derived: {level!r}"))
    want = degenerate_statement(p, summ, instance_label(data["origin"], data["instance_sha256"]))
    out.append(Verdict("statement: " + str(data.get("statement")), data.get("statement") == want,
                       "re-derived word for word" if data.get("statement") == want else f"the verified statement is: {want}"))
    return out
