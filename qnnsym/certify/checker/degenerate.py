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
from .exhaustion import (_U, _UP, _BallJet, _check_cover, _delta, _ETA, _index, _loss_checks, _value_lower,
                         _value_upper_boxes, decode_cover)

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


def _curvature(jet: _BallJet, u: np.ndarray, r: np.ndarray, v: np.ndarray, sign: int) -> np.ndarray:
    """True where ``sign·vᵀH(x)v > 0`` for every ``x`` in ``u ± r`` (turns, (N, p); ``v`` (N, p) floats)."""
    (_, _), _, (Hm, Hr), (Tm, Tr) = jet.arrays(u)
    p = u.shape[1]
    d = _delta(np.broadcast_to(r, u.shape))
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
    if not pts and not ok:
        return out
    dec = decode_cover(cover["tree"], p)
    lv = data["levels"]
    try:
        bottom, eps_b, top, eps_t = (Fraction(str(lv[k])) for k in ("bottom", "eps_bottom", "top", "eps_top"))
    except (KeyError, ValueError, ZeroDivisionError):
        out.append(Verdict("levels: bottom, eps_bottom, top, eps_top are rationals", False, "malformed"))
        return out
    # region leaves against their records, in breadth-first order
    recs = cover.get("regions", [])
    leaves = [(d, k, int(c)) for d, ks, cs in dec["regions"] for k, c in zip(ks, cs)]
    problems = [] if len(recs) == len(leaves) else [f"{len(leaves)} region leaves, {len(recs)} region records"]
    by_test: dict = {t: [] for t in "NXBT"}
    for i, ((d, k, c), rec) in enumerate(zip(leaves, recs)):
        if str(rec.get("code")) != str(c):
            problems.append(f"region {i}: code {rec.get('code')!r}, the tree says {c}")
            continue
        n = np.array([(d - l + p - 1) // p for l in range(p)])
        w = 1.0 / 2.0 ** n
        for t in _NEEDS[c]:
            vec = _vector(rec, "v" if t == "N" else "w", p) if t in "NX" else None
            if t in "NX" and vec is None:
                problems.append(f"region {i}: its witness {'v' if t == 'N' else 'w'} is missing or not dyadic")
                continue
            by_test[t].append((i, (k + 0.5) * w, w / 2, vec))
    counts = {"N": 0, "X": 0, "B": 0, "T": 0}
    for t, items in by_test.items():
        for s in range(0, len(items), 2048):
            chunk = items[s:s + 2048]
            u = np.array([it[1] for it in chunk]).reshape(-1, p)
            r = np.array([it[2] for it in chunk]).reshape(-1, p)
            if t in "NX":
                got = _curvature(jet, u, r, np.array([it[3] for it in chunk]).reshape(-1, p), -1 if t == "N" else 1)
            elif t == "B":
                got = _value_upper_boxes(jet, u, r) <= _float_at_most(bottom + eps_b)
            else:
                got = _value_lower(jet, u, r) >= -_float_at_most(eps_t - top)
            counts[t] += int(got.sum())
            for j in np.nonzero(~got)[0]:
                what = {"N": "vᵀH(x)v < 0 (no local minimum)", "X": "wᵀH(x)w > 0 (no local maximum)",
                        "B": f"L ≤ bottom + eps_bottom = {bottom + eps_b}", "T": f"L ≥ top − eps_top = {top - eps_t}"}[t]
                problems.append(f"region {chunk[j][0]} (code {leaves[chunk[j][0]][2]}): {what} not proven on its box")
    out.append(Verdict(f"{len(leaves)} region leaves: curvature and level tests", not problems,
                       f"re-proved: {counts['N']} negative-curvature, {counts['X']} positive-curvature, {counts['B']} bottom, "
                       f"{counts['T']} top tests" if not problems else _first_of_each(problems)))
    ok &= not problems
    # bottom ≤ min L and max L ≤ top
    spec = _spectrum(inst)
    lows, highs = [], []
    for code in "2345678":
        for d, ks in dec[code]:
            n = np.array([(d - l + p - 1) // p for l in range(p)])
            w = 1.0 / 2.0 ** n
            for s in range(0, len(ks), 2048):
                u = (ks[s:s + 2048] + 0.5) * w
                lows.append(_value_lower(jet, u, w / 2).min())
                highs.append(_value_upper_boxes(jet, u, np.broadcast_to(w / 2, u.shape)).max())
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
