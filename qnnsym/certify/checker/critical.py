"""Checks ``critical-points`` certificates (Theorem 7, Proposition 5 tables): see :func:`check_critical`."""
from __future__ import annotations

import itertools
from fractions import Fraction

from .boxes import check_homotopy_block
from .common import OBJECTIVE_NOUNS, SAMPLED_SCOPE, Verdict, complex_words, instance_label, theorem7_bounds
from .cost import interpolation_cost, over_limit
from .loss import _block_loss, _components, loss_by_interpolation, loss_digest
from .points import _frac_pair, _kind, check_block
from .rur import _sgn

#: widest loss enclosure accepted for an irrational value (the writer uses about 2^-60)
LOSS_WIDTH = Fraction(1, 2 ** 40)

__all__ = ['check_critical', 'LOSS_WIDTH', 'critical_statement', 'instance_label', 'theorem7_bounds', 'weakest_level']


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


def weakest_level(levels) -> str:
    """The level of a table from its blocks' levels: the weakest (``verified parametrization`` > ``certified (real
    exhaustion)`` > ``numeric`` > ``none``)."""
    order = ["verified parametrization", "certified (real exhaustion)", "numeric", "none"]
    return max(levels, key=order.index, default="none")


def critical_statement(p: int, summary: dict, bounds: dict, who: str, objective: str = "square-loss") -> str:
    """The statement of a ``critical-points`` certificate, from its (re-derived) numbers and the
    instance's objective kind."""
    c = summary
    return (f"{OBJECTIVE_NOUNS[objective]} of {who} (p = {p}) has {'exactly' if c['complete'] else 'at least'} {c['n_real']} real "
            f"critical points per period: {c['minima']} local minima ({c['global_minima']} global, "
            f"{c['spurious_minima']} spurious, {c['undecided_global']} undecided), {c['saddles']} saddles, "
            f"{c['maxima']} maxima, {c['degenerate']} degenerate; {complex_words(c)} against the "
            f"bounds p!·Π 2D_l = {bounds['multihomogeneous_generic']} and (2ΣD_l)^p = {bounds['theorem7']} "
            "(Theorem 7: p!·4^p and (4p)^p for two-level gates, D_l = 2).")


def check_critical(data: dict, progress: bool = False, kernel: str = "auto", workers: int = 1,
                   sample: int | None = None, sample_seed: int = 0) -> list[Verdict]:
    """Check a ``critical-points`` certificate (a certified table of critical points).

    The instance is parsed, put in canonical form and named by its digest; labels are verified by
    rebuilding the claimed built-in (:mod:`.instance`).  The loss is rebuilt by
    :func:`loss_by_interpolation` (direct simulation, not the expansion engines) and compared with
    the digest of the loss the solver used; it is split into the independent blocks of its own
    interaction graph (with a ``reduction``, redundant parameters: first ``L = L̃(Bφ)`` is proven frequency by
    frequency by :func:`~.reduction.check_reduction` and the rest is checked on ``L̃``, every count times the
    ``g`` connected components per point); each block is verified by :func:`~.points.check_block` (the system rebuilt with
    the checker's own derivatives and normal form, the parametrization exactly modulo ``q``, the
    bounds, nonsingularity of every root, completeness, the real roots and, around every real point,
    the Krawczyk test, the Hessian inertia and degeneracy).  Product points: every combination of
    block points appears once; index, kind, loss enclosure (exact when rational) and global/spurious
    are re-derived and compared; so are every summary count, the bounds, the certification level and
    the statement itself.  ``kernel`` chooses the Krawczyk kernel(s) of homotopy blocks
    (:data:`.boxes.KERNELS`); ``workers`` the forked processes of their box re-proofs (1: in-process).
    ``sample``: a sampled check of homotopy blocks with more boxes than this
    (:func:`.boxes.check_homotopy_block`; the first verdict then says what was sampled).
    """
    import math

    from ...exact.interval import ball, ball_bounds, precision
    from .instance import check_instance

    out: list[Verdict] = []
    inst = check_instance(data, out)
    if inst is None:
        return out
    objective = inst.objective.kind
    claimed = data["loss"].get("objective", "square-loss")
    out.append(Verdict(f"the objective is {claimed!r}", claimed == objective,
                       f"re-derived from the instance: {objective!r}"))
    refusal = over_limit(interpolation_cost(inst), f"interpolating the loss of p = {inst.p} gates, dimension "
                                                   f"{inst.dim}, {inst.m} samples")
    if refusal:
        out.append(Verdict("the solver's loss is the instance's loss (eq. 6)", False, refusal))
        return out
    try:
        loss = loss_by_interpolation(inst)
    except ValueError as e:
        out.append(Verdict("the instance's objective can be rebuilt", False, str(e)))
        return out
    dig = loss_digest(loss)
    ok = dig == data["loss"]["sha256"] and len(loss.terms) == data["loss"]["n_terms"]
    out.append(Verdict("the solver's loss is the instance's " + ("loss (eq. 6)" if objective == "square-loss" else
                                                                 f"objective ({objective})"), ok,
                       "rebuilt by exact interpolation of the direct simulation tr(UρU†M); digests "
                       + ("and term counts match" if ok else f"differ ({dig[:12]}… with {len(loss.terms)} terms vs "
                                                             f"{data['loss']['sha256'][:12]}… with {data['loss']['n_terms']})")))
    mult, full_p = 1, loss.p
    if data.get("reduction") is not None:   # redundant parameters: the blocks and points are those of L̃
        from .reduction import check_reduction

        reduced = check_reduction(loss, data["reduction"], out)
        if reduced is None:
            return out
        loss, mult = reduced
    comps = _components(loss)
    blocks = data["blocks"]
    claimed = [sorted(b["parameters"]) for b in blocks]
    flat = sorted(l for b in claimed for l in b)
    ok_blocks = flat == list(range(loss.p)) and all(any(set(c) <= set(b) for b in claimed) for c in comps)
    out.append(Verdict(f"blocks {_theta_sets(claimed)} are independent", ok_blocks,
                       f"interaction components of the rebuilt loss: {_theta_sets(comps)}"))
    if not ok_blocks:
        return out
    const = loss.terms.get((0,) * loss.p, Fraction(0))
    facts, infos = [], []
    # a sampled check keeps the claimed loss of a point outside the sample: the block's value is taken at the middle
    # of the point's claimed enclosure, less the constant term
    claimed = ({pt["components"][0]: sum(_frac_pair(pt["loss_interval"])) / 2 - const for pt in data["points"]}
               if sample is not None and len(blocks) == 1 and mult == 1 else None)
    for bi, blk in enumerate(blocks):
        lb = _block_loss(loss, blk["parameters"])
        if blk["method"] == "homotopy":
            f, info = check_homotopy_block(bi, blk, lb, progress, out, kernel=kernel, workers=workers, sample=sample,
                                           seed=sample_seed, claimed_values=claimed)
        elif blk["method"] == "exhaustion":
            from .exhaustion import check_exhaustion_block

            f, info = check_exhaustion_block(bi, blk, lb, progress, out)
        else:
            f, info = check_block(bi, blk, lb, progress, out)
            if "real_cover" in blk:
                from .exhaustion import check_real_cover

                info["real_complete"] = check_real_cover(bi, blk, lb, len(f), progress, out)
        facts.append(f)
        infos.append(info)
    complete = all(i["complete"] or i.get("real_complete", False) for i in infos)
    complex_complete = all(i["complete"] for i in infos)
    if any(x is None for f in facts for x in f) or not all(v.ok for v in out):
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
    combos = [tuple(pt["components"]) for pt in pts]
    full = set(itertools.product(*(range(len(f)) for f in facts)))
    ok_cover = len(combos) == len(set(combos)) == len(full) and set(combos) == full
    out.append(Verdict(f"the {len(pts)} listed critical points are all products of block points, each once", ok_cover,
                       f"{len(full)} combinations expected"))
    counts = {"minima": 0, "global_minima": 0, "spurious_minima": 0, "undecided_global": 0, "saddles": 0, "maxima": 0,
              "degenerate": 0}
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
        is_global = False if False in glob else (True if all(glob) and complete else None)
        if all(x["exact"] for x in parts):
            val, exact = const + sum(x["value"] for x in parts), True
        else:
            with precision(256):
                val = ball(const) + sum((x["value"] if not x["exact"] else ball(x["value"]) for x in parts), ball(0))
            exact = False
        lo, hi = _frac_pair(pt["loss_interval"])
        # one canonical claim per value: [v, v] when v is a proven rational, else a tight enclosure
        if exact:
            ok_val = lo == hi == val
        else:
            ok_val = lo < hi and hi - lo <= LOSS_WIDTH and ball(lo, hi).contains(val)
        problems = []
        if pt["index"] != index:
            problems.append(f"index {index}, certificate says {pt['index']}")
        if pt["kind"] != kind:
            problems.append(f"kind {kind}, certificate says {pt['kind']}")
        if not ok_val:
            shown = str(val) if exact else "[{}, {}]".format(*(float(x) for x in ball_bounds(val)))
            problems.append(f"loss {shown}: the claimed [{lo}, {hi}] is not " + ("[v, v]" if exact else
                            "an enclosure of width ≤ 2^-40"))
        if kind == "minimum" and pt.get("global", "absent") != is_global:
            problems.append(f"global = {is_global}, certificate says {pt.get('global', 'nothing')}")
        if kind != "minimum" and "global" in pt:
            problems.append(f"a {kind} carries a global flag")
        if problems:
            bad_pts.append(f"point {j}: " + "; ".join(problems))
        counts[{"minimum": "minima", "saddle": "saddles", "maximum": "maxima", "degenerate": "degenerate"}[kind]] += 1
        if kind == "minimum":
            counts["global_minima" if is_global else "spurious_minima" if is_global is False else "undecided_global"] += 1
    out.append(Verdict(f"index, kind, loss value and global/spurious of all {len(pts)} points", not bad_pts,
                       "re-derived: index adds over blocks, loss = constant + Σ block values, global ⇔ every "
                       "component is its block's minimum (and the list is complete)" if not bad_pts else
                       bad_pts[0] + (f" (and {len(bad_pts) - 1} more)" if len(bad_pts) > 1 else "")))
    summ = data["summary"]
    n_complex = None if any(i["n_complex"] is None for i in infos) else math.prod(i["n_complex"] for i in infos)
    mh = math.prod(i["bounds"]["multihomogeneous"] for i in infos)
    derived = dict({k: v * mult for k, v in counts.items()}, n_real=len(full) * mult, n_complex=n_complex,
                   complete=complete)
    if complete and not complex_complete:   # real list complete by exhaustion covers, complex count a lower bound
        derived["complex_complete"] = False
    diff = {k: (summ.get(k), v) for k, v in derived.items() if summ.get(k) != v}
    out.append(Verdict("summary: " + ", ".join(f"{k} {summ[k]}" for k in derived), not diff,
                       "re-derived counts agree" if not diff else
                       "; ".join(f"{k}: certificate {a}, re-derived {b}" for k, (a, b) in diff.items())))
    b7 = theorem7_bounds(loss)
    out.append(Verdict(f"bounds {data['bounds']}", data["bounds"] == b7, f"re-derived: {b7}"))
    level = weakest_level([i["certification"] for i in infos])
    out.append(Verdict(f"certification level {data['certification']!r}", data["certification"] == level,
                       f"re-derived: {level!r}"))
    thm7, sharp = b7["theorem7"], b7["multihomogeneous_generic"]
    two = all(max((abs(h[l]) for h in loss.terms), default=0) <= 2 for l in range(p)) and all(w == 2 for w in loss.omega)
    names = ("p!·4^p", "(4p)^p") if two else ("p!·Π 2D_l", "(2ΣD_l)^p")
    ok7 = complete and (n_complex is None or n_complex <= mh) and mh <= sharp <= thm7 and counts["minima"] <= thm7
    out.append(Verdict(f"Theorem 7: {counts['minima']} local minima ≤ #complex critical points "
                       f"{'(not computed)' if n_complex is None else n_complex} ≤ "
                       f"{names[0]} = {sharp} ≤ {names[1]} = {thm7}", ok7,
                       f"multihomogeneous bound of this system {mh}; "
                       + ("list complete" if complex_complete else
                          "real list complete (exhaustion covers); the complex count is not computed" if complete and
                          n_complex is None else
                          f"real list complete by exhaustion covers; at least {n_complex} complex (deg q below the bound)"
                          if complete else "completeness NOT proven: counts are lower bounds")))
    sampled = [i["sampled"] for i in infos if i.get("sampled")]
    if sampled:
        out.insert(0, Verdict(SAMPLED_SCOPE, True, f"seed {sample_seed}: " + "; ".join(sampled) + " re-proved, the "
                              "rest taken as claimed — a full check (without --sample) re-proves everything"))
    label = instance_label(data["origin"], data["instance_sha256"])
    if data.get("reduction") is not None:
        from .reduction import reduced_statement

        want = reduced_statement(full_p, p, mult, derived, b7, label, objective)
    else:
        want = critical_statement(p, derived, b7, label, objective)
    out.append(Verdict("statement: " + data["statement"], data["statement"] == want,
                       "re-derived word for word from the verified numbers" if data["statement"] == want
                       else f"the verified statement is: {want}"))
    return out


def _theta_sets(sets) -> str:
    """``{θ_1}, {θ_2, θ_3}``: parameter sets named as in the paper (the file's indices are 0-based)."""
    return ", ".join("{" + ", ".join(f"θ_{l + 1}" for l in sorted(s)) + "}" for s in sets)
