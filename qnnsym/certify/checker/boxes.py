"""Per-block checks of a ``critical-points`` block certified by boxes (method ``homotopy``, level *numeric*).

The certificate lists complex polydiscs (``boxes``: centres, radii, charts) in the rotated tan chart of
the block's critical system (:mod:`qnnsym.exact.tanform`).  Nothing is tracked here; the checker

1. rebuilds the system from the block's loss with its own derivative and normal form (:mod:`.trig`),
   and its tan form with the claimed rational rotation;
2. re-runs the Krawczyk test on every box: each holds exactly one solution, nonsingular.  Two
   independent kernels (docs/certification-levels.md, "Trusted base"): the float kernel
   (:func:`qnnsym.exact.krawczyk.krawczyk_charts_status`, IEEE floats with an a-priori bound valid under
   rounding, underflow and overflow) and the ball kernel
   (:func:`qnnsym.exact.krawczyk_ball.krawczyk_ball_status`, Arb balls on the exact integer system).
   ``kernel="auto"`` (the default) runs the float kernel on every box and the ball kernel on every box
   of a block whose completeness is claimed or would be granted (count = bound) — every box that a
   "complete", "0 degenerate" or "global" claim depends on; ``"ball"`` re-proves every box in balls
   only; ``"float"`` runs the float kernel only.  A failing box is named with the kernel's reason;
3. checks the boxes pairwise disjoint (so the solutions are distinct), none meeting ``t = ±i``, each
   proven real (real centre: conjugation-symmetric box) or proven non-real;
4. grants completeness only when their number equals the re-derived bound ``B = 2^p·perm(d)``
   (docs/certification-levels.md, "Why count = bound proves completeness");
5. per listed real point: the listed boxes are exactly the real ones, each once; the ``θ`` box maps
   into its ``t`` box (so the critical point in it is that box's solution), holds exactly one critical
   point (Krawczyk on ``∇L``), and the Hessian over the ``θ`` box decides the index; the loss is
   enclosed by the mean-value form.
"""
from __future__ import annotations

import base64
from fractions import Fraction
from functools import partial

import numpy as np

from ...executor import LocalExecutor
from .common import Verdict, block_name
from .cost import homotopy_block_cost, over_limit
from .trig import cs_normal_form, derivative

__all__ = ["KERNELS", "POINTS_PER_SAMPLE", "check_homotopy_block", "decode_boxes", "encode_boxes", "sample_indices",
           "theta_box_facts", "theta_box_index", "theta_box_value"]

#: the box kernels of ``qnnsym check --kernel`` (module docstring)
KERNELS = ("auto", "float", "ball")

#: a sampled check (``qnnsym check --sample N``) re-proves ``N`` boxes and ``⌈N / POINTS_PER_SAMPLE⌉`` real points
#: (a point's θ-box proof costs about as much as this many box proofs)
POINTS_PER_SAMPLE = 20


def sample_indices(n: int, k: int | None, seed: int) -> np.ndarray:
    """``k`` distinct indices of ``range(n)``, sorted, drawn with ``numpy.random.default_rng(seed)``; all when ``k`` is
    None or ``k ≥ n`` (the same sample on every machine and run).

    >>> sample_indices(5, None, 0).tolist(), sample_indices(5, 9, 0).tolist()
    ([0, 1, 2, 3, 4], [0, 1, 2, 3, 4])
    >>> s = sample_indices(1000, 10, 7); len(s), len(set(s.tolist())), bool((s == sample_indices(1000, 10, 7)).all())
    (10, 10, True)
    """
    if k is None or k >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))


def encode_boxes(mid: np.ndarray, radius: np.ndarray, chart: np.ndarray, rotation) -> dict:
    """The ``boxes`` field: little-endian float64 (centres, radii) and uint8 (charts), base64."""
    def b64(a, dt):
        return base64.b64encode(np.ascontiguousarray(a, dtype=dt).tobytes()).decode("ascii")

    mid = np.asarray(mid, dtype=complex)
    return {"n": int(mid.shape[0]), "rotation": [str(Fraction(rotation[0])), str(Fraction(rotation[1]))],
            "mid_re": b64(mid.real, "<f8"), "mid_im": b64(mid.imag, "<f8"), "radius": b64(radius, "<f8"),
            "chart": b64(np.asarray(chart, dtype=bool), "u1")}


def decode_boxes(boxes: dict, p: int):
    """``(mid (N, p) complex, radius (N,), chart (N, p) bool, rotation)``, or a string saying what is wrong."""
    n = boxes["n"]
    try:
        rot = (Fraction(boxes["rotation"][0]), Fraction(boxes["rotation"][1]))
        arr = {k: np.frombuffer(base64.b64decode(boxes[k], validate=True), dtype=dt)
               for k, dt in (("mid_re", "<f8"), ("mid_im", "<f8"), ("radius", "<f8"), ("chart", "u1"))}
    except (ValueError, ZeroDivisionError) as e:
        return f"undecodable boxes ({e})"
    want = {"mid_re": n * p, "mid_im": n * p, "radius": n, "chart": n * p}
    bad = [k for k, m in want.items() if arr[k].size != m]
    if bad:
        return f"{bad[0]} holds {arr[bad[0]].size} values, {want[bad[0]]} expected for n = {n}, p = {p}"
    if rot[0] ** 2 + rot[1] ** 2 != 1:
        return f"rotation {boxes['rotation']} is not a point of the unit circle"
    if not (np.isfinite(arr["mid_re"]).all() and np.isfinite(arr["mid_im"]).all() and np.isfinite(arr["radius"]).all()
            and (arr["radius"] > 0).all() and (arr["chart"] <= 1).all()):
        return "non-finite centres, non-positive radii or charts other than 0/1"
    mid = (arr["mid_re"] + 1j * arr["mid_im"]).reshape(n, p)
    return mid, arr["radius"].copy(), arr["chart"].reshape(n, p).astype(bool), rot


def _t_balls(theta_box, omega, rotation, chart_row):
    """Enclosures of the chart coordinate (``t = tan(φ'/2)`` or ``u = cot(φ'/2)``, ``φ' = ωθ − a``) over the θ box."""
    import flint

    from ...exact.interval import ball

    a = flint.arb.atan2(ball(rotation[1]), ball(rotation[0]))
    out = []
    for (lo, hi), w, inv in zip(theta_box, omega, chart_row):
        half = (w * ball(lo, hi) - a) / 2
        out.append(flint.arb.cot(half) if inv else flint.arb.tan(half))
    return out


def theta_box_facts(grads, hess, loss_b, theta_box, bits: int = 128):
    """What a ``θ`` box proves about the critical point inside it, or None.

    Returns ``(index, value ball)`` when Krawczyk proves exactly one zero of ``∇L`` in the box and the
    Hessian enclosure over the box has a decided inertia (:func:`theta_box_index`); the value is
    :func:`theta_box_value`.
    """
    index = theta_box_index(grads, hess, theta_box, bits)
    return None if index is None else (index, theta_box_value(grads, loss_b, theta_box, bits))


def theta_box_index(grads, hess, theta_box, bits: int = 128) -> int | None:
    """The Morse index of the one critical point in a ``θ`` box, or None: Krawczyk proves exactly one zero
    of ``∇L`` in the box and the Hessian enclosure over the box has a decided inertia."""
    from ...exact.interval import ball, krawczyk_unique_zero, precision, symmetric_inertia, trig_enclosure

    pb = len(theta_box)
    if not krawczyk_unique_zero(grads, hess, theta_box, bits=bits):
        return None
    with precision(bits):
        X = [ball(lo, hi) for lo, hi in theta_box]
        inert = symmetric_inertia([[trig_enclosure(hess[i][j], X) for j in range(pb)] for i in range(pb)])
    return None if inert is None else inert[0]


def theta_box_value(grads, loss_b, theta_box, bits: int = 128):
    """The mean-value enclosure ``L(y) + Σ_l ∂_l L(X)(X_l − y_l)`` of the loss over a ``θ`` box (tight at a
    critical point, where ``∇L(X)`` is small)."""
    import flint

    from ...exact.interval import ball, precision, trig_enclosure

    with precision(bits):
        X = [ball(lo, hi) for lo, hi in theta_box]
        y = [ball((Fraction(lo) + Fraction(hi)) / 2) for lo, hi in theta_box]
        return trig_enclosure(loss_b, y) + sum((trig_enclosure(grads[l], X) * (X[l] - y[l])
                                                for l in range(len(theta_box))), flint.arb(0))


#: fewest θ boxes per worker process (a fork costs about as much as a few proofs)
MIN_POINTS_PER_WORKER = 16


def _theta_indices_of(grads, hess, boxes: list, progress: str | None, chunk: list) -> list[int | None]:
    """:func:`theta_box_index` of the points ``chunk`` (a task of a worker process: plain integers come
    back; ``progress``: a bar's title)."""
    it = chunk
    if progress:
        from tqdm import tqdm
        it = tqdm(chunk, desc=progress, file=None)
    return [theta_box_index(grads, hess, boxes[i]) for i in it]


def _box_verdict(name: str, n: int, rot, tens, mid, rad, chart, kernel: str, at_stake: bool,
                 sampled: np.ndarray | None = None, workers: int = 1) -> tuple[Verdict, bool]:
    """The Krawczyk verdict of a block's boxes with the chosen kernel(s), and whether all passed.

    ``sampled``: re-prove only these boxes (a sampled check; the verdict's claim says how many)."""
    total = n
    if sampled is not None:
        mid, rad, chart, n = mid[sampled], rad[sampled], chart[sampled], len(sampled)
    from ...exact.krawczyk import OUT_OF_RANGE, PROVEN, STATUS, float_tensor, krawczyk_charts_status
    from ...exact.krawczyk_ball import krawczyk_ball_status

    runs = []
    if kernel != "ball" and n:
        try:
            T = float_tensor(tens)
        except OverflowError:                       # a coefficient beyond float64: only balls can evaluate it
            runs.append(("float kernel", np.full(n, OUT_OF_RANGE)))
        else:
            runs.append(("float kernel", krawczyk_charts_status(T, mid, rad, chart)))
    if n and (kernel == "ball" or (kernel == "auto" and at_stake and not (runs[0][1] != PROVEN).any())):
        runs.append(("ball kernel (Arb)", krawczyk_ball_status(tens, mid, rad, chart, workers=workers)))
    claim = (f"{name}: {n} boxes each hold exactly one solution (Krawczyk, tan form rotated by "
             f"({rot[0]}, {rot[1]}))") if sampled is None else (
        f"{name}: {n} of the {total} boxes (a seeded random sample) each hold exactly one solution (Krawczyk, tan "
        f"form rotated by ({rot[0]}, {rot[1]}))")
    for who, st in runs:
        bad = np.nonzero(st != PROVEN)[0]
        if len(bad):
            k = int(bad[0]) if sampled is None else int(sampled[bad[0]])
            return Verdict(claim, False, f"{len(bad)} boxes fail the {who}; box {k}: {STATUS[int(st[k])]}"), False
    who = " and ".join(w for w, _ in runs) or "no box"
    return Verdict(claim, True, f"every {'sampled ' if sampled is not None else ''}box proven by the {who} on the "
                   "rebuilt integer system"
                   + ("" if sampled is None else f"; the other {total - n} boxes are taken as claimed")
                   + ("" if kernel != "auto" or len(runs) > 1 else " (completeness not at stake: ball re-proof "
                      "not needed; --kernel ball runs it)")), True


def check_homotopy_block(bi: int, blk: dict, loss_b, progress: bool, out: list[Verdict], kernel: str = "auto",
                         workers: int = 1, sample: int | None = None, seed: int = 0,
                         claimed_values: dict | None = None):
    """Verify one ``homotopy`` block; returns ``(facts, info)`` like :func:`.points.check_block`.

    ``kernel``: one of :data:`KERNELS` (module docstring).  ``workers``: forked processes for the ball
    kernel's box chunks and the per-point θ-box proofs (1: in-process); every box and point is proven
    by the same code whatever the split, so the verdicts do not depend on it.

    ``sample``: a *sampled check* (``qnnsym check --sample N``, for certificates too large to re-prove in a
    CI run): the Krawczyk test runs on ``N`` boxes drawn by :func:`sample_indices` with ``seed``, and the θ-box
    proof on ``⌈N / POINTS_PER_SAMPLE⌉`` real points; everything else (decoding, bounds, pairwise disjointness,
    realness, the count against the bound, the real boxes listed once) is checked in full.  A point outside
    the sample keeps its claimed index, and its block value is ``claimed_values[i]`` (a rational inside the claimed
    ``loss_interval`` of the product point made of block point ``i``, less the constant term; single-block
    certificates only: without it every point is checked).  Each verdict says which of its claims rest on the
    sample.
    """
    from ...exact.combinatorics import permanent
    from ...exact.interval import TrigBalls, ball, precision
    from ...exact.krawczyk import disjoint, disjointness_pairs, real_kind, t_discs
    from ...exact.tanform import tan_system
    from .points import _frac_pair, _kind, block_bounds

    pb = loss_b.p
    name = block_name(bi, blk)
    grads = [derivative(loss_b, l) for l in range(pb)]
    eqs = [cs_normal_form(g) for g in grads]
    zero = [l for l, g in enumerate(eqs) if not g]
    bounds = block_bounds(loss_b, eqs)
    B = bounds["multihomogeneous"]
    out.append(Verdict(f"{name}: bounds {blk['bounds']}", blk["bounds"] == bounds,
                       "re-derived from the rebuilt system" if blk["bounds"] == bounds else f"re-derived: {bounds}"))
    fail_info = {"n_complex": 0, "bounds": bounds, "complete": False, "certification": "none"}
    if zero:
        out.append(Verdict(f"{name}: no critical equation vanishes identically", False,
                           f"g_{zero[0] + 1} ≡ 0: a positive-dimensional critical set, never a finite table"))
        return [None] * len(blk["points"]), fail_info
    dec = decode_boxes(blk["boxes"], pb)
    if isinstance(dec, str):
        out.append(Verdict(f"{name}: boxes", False, dec))
        return [None] * len(blk["points"]), fail_info
    mid, rad, chart, rot = dec
    n = len(rad)
    tens, d = tan_system(eqs, pb, rot)
    Bt = permanent([[2 * x for x in row] for row in d])            # perm(2d): the tan form's own bound
    at_stake = bool(blk["complete"]) or n == B == Bt
    tc, tr = t_discs(mid, rad, chart)
    in_balls = kernel == "ball" or (kernel == "auto" and at_stake)
    sampled = None if sample is None or sample >= n else sample_indices(n, sample, seed)
    n_proved = n if sampled is None else len(sampled)
    n_pts = len(blk["points"]) if sampled is None or claimed_values is None else \
        min(len(blk["points"]), -(-sample // POINTS_PER_SAMPLE))
    refusal = over_limit(homotopy_block_cost(n_proved, sum(np.size(t) for t in tens), pb, disjointness_pairs(tc, tr),
                                             n_pts, in_balls),
                         f"Krawczyk on {n_proved} boxes and the disjointness of {n}")
    if refusal:
        out.append(Verdict(f"{name}: {n} boxes each hold exactly one solution, pairwise disjoint", False, refusal))
        return [None] * len(blk["points"]), fail_info
    verdict, all_ok = _box_verdict(name, n, rot, tens, mid, rad, chart, kernel, at_stake, sampled, workers)
    out.append(verdict)
    dis, pair = disjoint(tc, tr)
    out.append(Verdict(f"{name}: the {n} boxes are pairwise disjoint", dis,
                       "so they hold distinct solutions" if dis else f"boxes {pair[0]} and {pair[1]} may overlap"))
    conic = ((np.abs(tc - 1j) <= tr * 2) | (np.abs(tc + 1j) <= tr * 2)).any(axis=1)
    kinds = real_kind(mid, rad)
    undecided = np.nonzero(kinds == 0)[0]
    ok_kind = not conic.any() and not len(undecided)
    out.append(Verdict(f"{name}: every box is proven real or non-real, none meets t = ±i", ok_kind,
                       f"{int((kinds == 1).sum())} real (real centre), {int((kinds == -1).sum())} non-real"
                       if ok_kind else (f"box {int(np.nonzero(conic)[0][0])} meets t = ±i" if conic.any()
                                        else f"box {int(undecided[0])} is neither")))
    level = "numeric" if all_ok and dis and ok_kind else "none"
    complete = level == "numeric" and n == B == Bt and B > 0
    why = (f"{n} certified distinct nonsingular solutions = 2^p·perm(d) = {B}: no other solution exists "
           "(docs/certification-levels.md)" if complete else
           f"completeness NOT proven: {n} boxes " + (f"against the bound {B}" if level == "numeric" else "not all verified"))
    out.append(Verdict(f"{name}: {'complete' if blk['complete'] else 'not claimed complete'} — {blk['n_complex']} "
                       "complex critical points", blk["complete"] == complete and blk["n_complex"] == n,
                       why + ("" if blk["complete"] == complete else f" (the certificate says complete = {blk['complete']})")
                       + ("" if blk["n_complex"] == n else f"; {n} boxes, the certificate says n_complex = {blk['n_complex']}")))
    out.append(Verdict(f"{name}: certification level {blk['certification']!r}", blk["certification"] == level,
                       f"re-derived: {level!r}" + ("" if sampled is None else " (the boxes outside the sample taken "
                                                                                "as claimed)")))
    pts = blk["points"]
    real = set(np.nonzero(kinds == 1)[0].tolist())
    listed = [pt["box"] for pt in pts]
    ok_list = len(listed) == len(set(listed)) and set(listed) == real
    out.append(Verdict(f"{name}: {len(pts)} real critical points, one per real box", ok_list,
                       f"the real boxes are exactly the listed ones ({len(real)})" if ok_list else
                       f"{len(real)} boxes are proven real; listed: {len(listed)} entries"
                       + (f", box {sorted(set(listed) - real)[0]} is not proven real" if set(listed) - real else "")
                       + (f", real box {sorted(real - set(listed))[0]} is missing" if real - set(listed) else "")))
    # prepared once for the ball enclosures of every θ box (the same enclosures as from the polynomials)
    hess = [[TrigBalls(derivative(grads[i], j)) for j in range(pb)] for i in range(pb)]
    grads, loss_b = [TrigBalls(g) for g in grads], TrigBalls(loss_b)
    # a sampled check keeps the claims of the points outside its sample (a verdict below says so)
    checked = set(sample_indices(len(pts), None if sampled is None or claimed_values is None else n_pts,
                                 seed + 1).tolist())
    kept = [i not in checked and i in (claimed_values or {}) for i in range(len(pts))]
    boxes, inside = [], []
    for i, pt in enumerate(pts):
        if kept[i]:
            boxes.append(None)
            inside.append(False)
            continue
        box = [_frac_pair(b) for b in pt["theta_box"]]
        ok_box = ok_list and level == "numeric" and len(box) == pb and all(lo <= hi for lo, hi in box)
        boxes.append(box if ok_box else None)
        if ok_box:
            k = pt["box"]
            with precision(128):
                tb = _t_balls(box, loss_b.omega, rot, chart[k])
                ok_box = all(ball(Fraction(float(mid[k, j].real)) - Fraction(float(rad[k])),
                                  Fraction(float(mid[k, j].real)) + Fraction(float(rad[k]))).contains(tb[j])
                             for j in range(pb))
        inside.append(ok_box)
    todo = [i for i, ok in enumerate(inside) if ok]
    got_all: list = [None] * len(pts)
    w = max(1, min(workers, len(todo) // MIN_POINTS_PER_WORKER))
    chunks = [todo[c * len(todo) // w:(c + 1) * len(todo) // w] for c in range(w)]
    with LocalExecutor(w) as ex:
        done = ex.map(partial(_theta_indices_of, grads, hess, boxes, f"block {bi} points" if progress else None),
                      chunks)
    for chunk, res in zip(chunks, done):
        for i, index in zip(chunk, res):
            if index is not None:
                got_all[i] = index, theta_box_value(grads, loss_b, boxes[i])
    facts = []
    for i, pt in enumerate(pts):
        label = f"{name} point {i}"
        k = pt["box"]
        if kept[i]:
            with precision(1024):     # the middle of a claimed enclosure, well inside it (widths are ≥ 2^-1000)
                facts.append({"index": pt["index"], "degenerate": False, "exact": False, "value": ball(claimed_values[i])})
            continue
        box = boxes[i]
        if box is None:
            out.append(Verdict(label, False, "not checked: the block's boxes failed" if not (ok_list and level == "numeric")
                               else f"the θ box must have {pb} intervals [lo, hi] with lo ≤ hi"))
            facts.append(None)
            continue
        got = got_all[i]
        index = None if got is None else got[0]
        ok = got is not None and pt["index"] == index
        detail = ("the θ box maps into real box " + str(k) if inside[i] else f"the θ box does NOT map into box {k}")
        if inside[i]:
            detail += ("; Krawczyk: exactly one critical point in it; index " + str(index) if got is not None
                       else "; Krawczyk or the Hessian inertia not proven on the θ box")
        if got is not None and pt["index"] != index:
            detail += f", certificate says {pt['index']}"
        out.append(Verdict(f"{label}: {_kind(pt['index'], pb)} in θ box", ok, detail))
        facts.append({"index": index, "degenerate": False, "exact": False, "value": got[1]} if ok else None)
    if any(kept):
        out.append(Verdict(f"{name}: {len(pts) - sum(kept)} of the {len(pts)} real points (a seeded random sample) "
                           "checked above", True, f"the other {sum(kept)} keep their claimed index and loss "
                           "enclosure (sampled check)"))
    # what a sampled check re-proved, for the verdict that opens the certificate's list
    scope = None if sampled is None else f"{name}: {n_proved} of the {n} boxes" + (
        f", {len(pts) - sum(kept)} of the {len(pts)} real points" if any(kept) else "")
    return facts, {"n_complex": n, "bounds": bounds, "complete": complete, "certification": level, "sampled": scope}
