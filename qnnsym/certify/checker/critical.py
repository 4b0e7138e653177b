"""Checks ``critical-points`` certificates (Theorem 7, Proposition 5 tables): see :func:`check_critical`."""
from __future__ import annotations

import itertools
from fractions import Fraction

from .common import Verdict
from .loss import _block_loss, _components, loss_by_interpolation, loss_digest
from .points import _frac_pair, _kind, check_block
from .rur import _sgn

__all__ = ['check_critical']


def _cmp(a: dict, b: dict) -> int | None:
    """Certified comparison of two values (exact Fractions or balls): -1, 0, 1, or None if undecided."""
    from ...exact.interval import ball

    if a["exact"] and b["exact"]:
        return _sgn(a["value"] - b["value"])
    va = ball(a["value"]) if a["exact"] else a["value"]
    vb = ball(b["value"]) if b["exact"] else b["value"]
    d = va - vb
    if d > 0:
        return 1
    if d < 0:
        return -1
    return None


def check_critical(data: dict, progress: bool = False) -> list[Verdict]:
    """Check a ``critical-points`` certificate (a certified table of critical points).

    From the instance alone: the loss is rebuilt by :func:`loss_by_interpolation` (direct
    simulation, not the expansion engines) and compared with the digest of the loss the solver
    used; the loss is split into independent blocks of its own interaction graph; for each block the
    critical system ``g_l = ∂L/∂θ_l`` (normal form), ``c_l² + s_l² = 1`` is rebuilt; the
    parametrization is substituted into every equation modulo ``q`` (python-flint, exact); ``q``
    square-free and the linear form make the ``deg q`` roots distinct solutions, and ``deg q`` equal
    to the multihomogeneous Bézout bound makes them all (complete); the real roots of ``q`` are
    counted and matched one-to-one with the listed isolating intervals; around every real point the
    Krawczyk test on ``∇L`` proves exactly one critical point in the claimed ``θ`` box, which contains
    the parametrized point; the Hessian inertia is certified (Gershgorin after congruence), and
    degeneracy decided exactly (``gcd(q, det H∘x)``).  Product points: every combination of block
    points appears once; index, kind, loss enclosure (exact when rational) and global/spurious are
    re-derived and compared; so are the summary counts.
    """
    from ...exact.interval import ball, ball_bounds, precision
    from ...model.instances import instance_from_dict

    out: list[Verdict] = []
    inst = instance_from_dict(data["instance"])
    loss = loss_by_interpolation(inst)
    dig = loss_digest(loss)
    out.append(Verdict("the solver's loss is the instance's loss (eq. 6)", dig == data["loss"]["sha256"],
                       "rebuilt by exact interpolation of the direct simulation tr(UρU†M); digests "
                       + ("match" if dig == data["loss"]["sha256"] else f"differ ({dig[:12]}… vs {data['loss']['sha256'][:12]}…)")))
    comps = _components(loss)
    blocks = data["blocks"]
    claimed = [sorted(int(l) for l in b["parameters"]) for b in blocks]
    flat = sorted(l for b in claimed for l in b)
    ok_blocks = flat == list(range(loss.p)) and all(any(set(c) <= set(b) for b in claimed) for c in comps)
    out.append(Verdict(f"blocks {[[l + 1 for l in b] for b in claimed]} are independent", ok_blocks,
                       f"interaction components of the rebuilt loss: {[[l + 1 for l in c] for c in comps]}"))
    if not ok_blocks:
        return out
    const = loss.terms.get((0,) * loss.p, Fraction(0))
    facts, degs, bounds, complete = [], [], [], True
    for bi, blk in enumerate(blocks):
        lb = _block_loss(loss, [int(l) for l in blk["parameters"]])
        f, n, bd = check_block(bi, blk, lb, progress, out)
        facts.append(f)
        degs.append(n)
        bounds.append(bd)
        complete = complete and bool(blk.get("complete")) and n == bd
    if any(x is None for f in facts for x in f):
        out.append(Verdict("product points", False, "not checked: a block failed"))
        return out
    # global within each block
    block_global = []
    for f in facts:
        gl = []
        for a in f:
            cmps = [_cmp(a, b) for b in f if b is not a]
            gl.append(False if any(c == 1 for c in cmps) else (True if all(c is not None and c <= 0 for c in cmps) else None))
        block_global.append(gl)
    # product points
    pts = data["points"]
    combos = [tuple(int(i) for i in pt["components"]) for pt in pts]
    full = set(itertools.product(*(range(len(f)) for f in facts)))
    ok_cover = len(combos) == len(set(combos)) == len(full) and set(combos) == full
    out.append(Verdict(f"the {len(pts)} listed critical points are all products of block points, each once", ok_cover,
                       f"{len(full)} combinations expected"))
    counts = {"minima": 0, "global_minima": 0, "spurious_minima": 0, "saddles": 0, "maxima": 0, "degenerate": 0}
    p = loss.p
    bad_pts = []
    for j, (pt, cb) in enumerate(zip(pts, combos)):
        if cb not in full:
            bad_pts.append(f"point {j}: components {cb} out of range")
            continue
        parts = [facts[b][i] for b, i in enumerate(cb)]
        degen = any(x["degenerate"] for x in parts)
        index = None if degen else sum(x["index"] for x in parts)
        kind = _kind(index, p)
        glob = [block_global[b][i] for b, i in enumerate(cb)]
        is_global = False if False in glob else (True if all(glob) else None)
        if all(x["exact"] for x in parts):
            val, exact = const + sum(x["value"] for x in parts), True
        else:
            with precision(256):
                val = ball(const) + sum((x["value"] if not x["exact"] else ball(x["value"]) for x in parts), ball(0))
            exact = False
        lo, hi = _frac_pair(pt["loss_interval"])
        if exact:
            ok_val = (lo <= val <= hi) if lo < hi else val == lo
        else:
            ok_val = lo < hi and ball(lo, hi).contains(val)
        problems = []
        if pt.get("index") != index:
            problems.append(f"index {index}, certificate says {pt.get('index')}")
        if pt.get("kind") != kind:
            problems.append(f"kind {kind}, certificate says {pt.get('kind')}")
        if not ok_val:
            shown = str(val) if exact else "[{}, {}]".format(*(float(x) for x in ball_bounds(val)))
            problems.append(f"loss {shown} not in the claimed [{lo}, {hi}]")
        if kind == "minimum" and pt.get("global") is not None and pt.get("global") != is_global:
            problems.append(f"global = {is_global}, certificate says {pt.get('global')}")
        if problems:
            bad_pts.append(f"point {j}: " + "; ".join(problems))
        counts[{"minimum": "minima", "saddle": "saddles", "maximum": "maxima", "degenerate": "degenerate"}[kind]] += 1
        if kind == "minimum":
            if is_global:
                counts["global_minima"] += 1
            elif is_global is False:
                counts["spurious_minima"] += 1
    out.append(Verdict(f"index, kind, loss value and global/spurious of all {len(pts)} points", not bad_pts,
                       "re-derived: index adds over blocks, loss = constant + Σ block values, global ⇔ every "
                       "component is its block's minimum" if not bad_pts else
                       bad_pts[0] + (f" (and {len(bad_pts) - 1} more)" if len(bad_pts) > 1 else "")))
    summ = data.get("summary", {})
    import math
    n_complex = math.prod(degs)
    mh = math.prod(bounds)
    derived = dict(counts, n_real=len(full), n_complex=n_complex, complete=complete)
    diff = {k: (summ.get(k), v) for k, v in derived.items() if k in summ and summ.get(k) != v}
    out.append(Verdict("summary: " + ", ".join(f"{k} {summ[k]}" for k in derived if k in summ), not diff,
                       "re-derived counts agree" if not diff else
                       "; ".join(f"{k}: certificate {a}, re-derived {b}" for k, (a, b) in diff.items())))
    Dl = [max(d, 1) for d in loss.degrees()]
    thm7 = (2 * sum(Dl)) ** p              # (4p)^p for two-level gates (every D_l = 2)
    sharp = math.factorial(p) * math.prod(2 * d for d in Dl)   # p!·4^p for two-level gates
    names = ("p!·4^p", "(4p)^p") if all(d == 2 for d in Dl) else ("p!·Π 2D_l", "(2ΣD_l)^p")
    ok7 = complete and n_complex <= mh <= sharp <= thm7 and counts["minima"] <= thm7
    out.append(Verdict(f"Theorem 7: {counts['minima']} local minima ≤ #complex critical points {n_complex} ≤ "
                       f"{names[0]} = {sharp} ≤ {names[1]} = {thm7}", ok7,
                       f"multihomogeneous bound of this system {mh}; "
                       + ("list complete" if complete else "completeness NOT proven: counts are lower bounds")))
    return out
