"""Per-block checks of a ``critical-points`` certificate: parametrization, roots and points.

For one block: the critical system is rebuilt from the block's loss, the RUR verified
(:mod:`.rur`), the real roots matched one-to-one with the listed intervals, and around each real
point the Krawczyk test, the Hessian inertia and degeneracy are re-derived.
"""
from __future__ import annotations

from fractions import Fraction

from .common import Verdict, block_name
from .cost import over_limit, rur_block_cost
from .rur import Rur, _fq, _sgn
from .trig import cs_normal_form, degree_matrix, derivative

__all__ = ["check_block", "block_bounds"]



def _theta_balls(xs, omega):
    """``θ_l = atan2(s_l, c_l)/ω_l`` as balls; where ``c_l < 0`` as ``(π + atan(s_l/c_l))/ω_l`` (the same angle
    modulo ``2π``), so that a point at ``φ_l = π`` with ``s_l`` a ball around 0 does not straddle atan2's
    branch cut (a ball of width 2π)."""
    import flint

    out = []
    for l in range(len(omega)):
        s, c = xs[2 * l + 1], xs[2 * l]
        out.append((flint.arb.pi() + flint.arb.atan(s / c) if c < 0 else flint.arb.atan2(s, c)) / omega[l])
    return out


def _in_box(theta, box, omega) -> bool:
    """The ball ``θ_l`` lies in ``[lo_l, hi_l]`` up to a period ``2π/ω_l``, for every ``l``."""
    import flint

    from ...exact.interval import ball

    for t, (lo, hi), w in zip(theta, box, omega):
        B = ball(lo, hi)
        per = 2 * flint.arb.pi() / w
        if not any(B.contains(t + k * per) for k in (-1, 0, 1)):
            return False
    return True


def _det_poly(H):
    """``det`` of a square matrix of TrigPolys (Laplace expansion along the first row)."""
    n = len(H)
    if n == 1:
        return H[0][0]
    total = None
    for j in range(n):
        minor = [[H[i][k] for k in range(n) if k != j] for i in range(1, n)]
        t = H[0][j] * _det_poly(minor)
        t = t if j % 2 == 0 else -t
        total = t if total is None else total + t
    return total


def _kind(index, pb):
    if index is None:
        return "degenerate"
    return "minimum" if index == 0 else ("maximum" if index == pb else "saddle")


def _frac_pair(x) -> tuple[Fraction, Fraction]:
    return Fraction(x[0]), Fraction(x[1])


def block_bounds(loss_b, eqs: list[dict]) -> dict:
    """The bounds of a block's system, re-derived (the keys of ``CriticalSystem.bounds``)."""
    import math

    from ...exact.combinatorics import permanent

    pb = loss_b.p
    D = [max((abs(h[l]) for h in loss_b.terms), default=0) for l in range(pb)]
    tot = [max((sum(k) for k in g), default=0) for g in eqs]
    return {"bezout": math.prod(tot) * 2 ** pb, "multihomogeneous": permanent(degree_matrix(eqs, pb)) * 2 ** pb,
            "bezout_generic": (2 * sum(D)) ** pb, "multihomogeneous_generic": math.factorial(pb) * math.prod(2 * d for d in D)}


def check_block(bi: int, blk: dict, loss_b, progress: bool, out: list[Verdict]):
    """Verify one block.

    Returns
    -------
    (facts, info)
        ``facts``: per real point ``{index, degenerate, value (Fraction | ball), exact}`` (None where a
        point failed); ``info``: ``{"n_complex", "bounds", "complete", "certification"}`` as re-derived.

    Completeness is granted only when (docs/math.md "Certification levels", docs/certification-levels.md):
    no equation vanishes identically, the bound ``B = 2^p·perm(d)`` is positive, ``q`` is square-free of
    degree ``B``, the verified parametrization with a separating linear form makes its roots ``B``
    distinct solutions, and every one of them is nonsingular (``gcd(q, det H∘x) = 1``).
    """
    import flint

    from ...exact.interval import krawczyk_unique_zero, precision, symmetric_inertia, trig_enclosure

    pb = loss_b.p
    name = block_name(bi, blk)
    refusal = over_limit(rur_block_cost(blk["rur"], len(loss_b.terms), pb),
                         f"exact arithmetic modulo an eliminant of degree {len(blk['rur']['eliminant']) - 1}")
    if refusal:
        out.append(Verdict(f"{name}: parametrization x_i = N_i(u)/D(u) solves the critical system", False, refusal))
        return [None] * len(blk["points"]), {"n_complex": 0, "bounds": {"multihomogeneous": 0}, "complete": False, "certification": "none"}
    rur = Rur(blk["rur"], pb)
    q = rur.qq
    # the system, from the rebuilt loss: g_l = normal form of ∂L/∂θ_l, circles c_l² + s_l² − 1
    grads = [derivative(loss_b, l) for l in range(pb)]
    eqs = [cs_normal_form(g) for g in grads]
    zero = [l for l, g in enumerate(eqs) if not g]
    bounds = block_bounds(loss_b, eqs)
    for l in range(pb):
        a, b, z = [0] * (2 * pb), [0] * (2 * pb), (0,) * (2 * pb)
        a[2 * l], b[2 * l + 1] = 2, 2
        eqs.append({tuple(a): Fraction(1), tuple(b): Fraction(1), z: Fraction(-1)})
    bound = bounds["multihomogeneous"]
    out.append(Verdict(f"{name}: bounds {blk['bounds']}", blk["bounds"] == bounds,
                       "re-derived from the rebuilt system" if blk["bounds"] == bounds else f"re-derived: {bounds}"))
    if zero:
        out.append(Verdict(f"{name}: no critical equation vanishes identically", False,
                           f"g_{zero[0] + 1} ≡ 0: L does not depend on θ_{blk['parameters'][zero[0]] + 1}, so every θ on "
                           "a whole circle is critical (a positive-dimensional critical set, never a finite table)"))
    n = rur.q.degree()
    sqfree = rur.q.gcd(rur.q.derivative()).degree() == 0
    out.append(Verdict(f"{name}: eliminant q is square-free, degree {blk['n_complex']}",
                       sqfree and n == blk["n_complex"],
                       f"deg q = {n}, gcd(q, q') {'= 1' if sqfree else 'non-trivial'}"))
    ok_param, why = rur.denominator_coprime(), "the denominator D vanishes at a root of q"
    if ok_param:
        bad = [i for i, e in enumerate(eqs) if not rur.vanishes(e)]
        if bad:
            ok_param, why = False, f"equation {bad[0] + 1} of {len(eqs)} does not vanish modulo q"
        elif rur.lf is not None and not rur.linear_form_ok():
            ok_param, why = False, "the linear form Σ λ_i x_i(u) is not ±u modulo q"
        else:
            why = (f"all {len(eqs)} equations (g_l from the rebuilt loss, and the circles) ≡ 0 mod q, gcd(D, q) = 1"
                   + ("; Σ λ_i x_i(u) ≡ ±u mod q, so distinct roots are distinct points" if rur.lf else ""))
    out.append(Verdict(f"{name}: parametrization x_i = N_i(u)/D(u) solves the critical system", ok_param, why))
    injective = ok_param and rur.lf is not None
    # the Hessian (checker's own derivatives): det H ∝ det of the Jacobian of the square cs system on the circles
    hess = [[derivative(grads[i], j) for j in range(pb)] for i in range(pb)]
    hess_cs = [[cs_normal_form(h) for h in row] for row in hess]
    complete = False
    if injective and sqfree and n == bound and bound > 0 and not zero:
        nonsing, why = rur.nonsingular(hess_cs)
        complete = bool(nonsing)
        if not complete:
            why = "completeness NOT proven: " + why
        else:
            why = (f"deg q = {n} = 2^p·perm(d): {n} distinct solutions, all nonsingular ({why}); on the compactification "
                   "(P^1)^p of the circles no other solution exists (docs/certification-levels.md)")
    else:
        why = ("completeness NOT proven: " + ("a critical equation vanishes identically" if zero else
               "no verified separating parametrization" if not injective else "q is not square-free" if not sqfree
               else f"deg q = {n} is not the bound {bound}" if n != bound else "the bound is 0"))
    out.append(Verdict(f"{name}: {'complete' if blk['complete'] else 'not claimed complete'} — {n} complex critical points",
                       blk["complete"] == complete, why if blk["complete"] == complete
                       else why + f" (the certificate says complete = {blk['complete']})"))
    level = "verified parametrization" if ok_param else "none"
    out.append(Verdict(f"{name}: certification level {blk['certification']!r}", blk["certification"] == level,
                       f"re-derived: {level!r}"))
    # real roots and their isolating intervals
    pts = blk["points"]
    ivs = [_frac_pair(pt["root_interval"]) for pt in pts]
    good, why = True, ""
    for lo, hi in ivs:
        if lo > hi or (lo == hi and q(_fq(lo)) != 0) or (lo < hi and _sgn(q(_fq(lo))) * _sgn(q(_fq(hi))) >= 0):
            good, why = False, f"[{lo}, {hi}] does not isolate a root of q"
            break
    srt = sorted(ivs)
    if good and any(srt[i][1] >= srt[i + 1][0] for i in range(len(srt) - 1)):
        good, why = False, "two isolating intervals overlap"
    if good:
        # each interval holds an odd number of roots (sign change), they are disjoint, and q has exactly
        # as many real roots as intervals: so each holds exactly one and no root is left out
        n_real = rur.real_root_count(ivs)
        if n_real != len(ivs):
            good, why = False, f"q has {n_real} real roots but the certificate lists {len(ivs)}"
        else:
            why = (f"q has exactly {n_real} real roots (Descartes' rule with bisection); {len(ivs)} disjoint "
                   "intervals with a sign change each, so one root in each and none elsewhere")
    out.append(Verdict(f"{name}: {len(pts)} real critical points, each root of q isolated once", good, why))
    # exact facts per irreducible factor (small q) or per q: rational values, degeneracy
    Lcs = cs_normal_form(loss_b)
    det_cs = None
    factors = [flint.fmpq_poly(f) for f, _ in rur.q.factor()[1]] if n <= 64 else []
    facts = []
    good = good and ok_param
    it = enumerate(pts)
    if progress:
        from tqdm import tqdm
        it = tqdm(it, total=len(pts), desc=f"block {bi} points", file=None)
    for i, pt in it:
        lo, hi = ivs[i]
        label = f"{name} point {i}"
        if not (ok_param and good):
            out.append(Verdict(label, False, "not checked: the block's parametrization or root list failed"))
            facts.append(None)
            continue
        value = None
        if lo == hi:
            xr = [_frac_of(N(_fq(lo)) / rur.D(_fq(lo))) for N in rur.N]
            value = _eval_cs(Lcs, xr)
        else:
            for f in factors:
                if _sgn(f(_fq(lo))) * _sgn(f(_fq(hi))) < 0:
                    xf = rur.coords_mod(f)
                    if xf is not None:
                        r = rur.eval_mod(Lcs, xf, f)
                        if r.degree() <= 0:
                            value = _frac_of(r[0]) if r.degree() == 0 else Fraction(0)
                    break
        box = [_frac_pair(b) for b in pt["theta_box"]]
        if len(box) != pb or any(lo_ > hi_ for lo_, hi_ in box):
            out.append(Verdict(label, False, f"the θ box must have {pb} intervals [lo, hi] with lo ≤ hi"))
            facts.append(None)
            continue
        bits, index, msg, degenerate = 128, None, "", None
        while True:
            xb = rur.coord_balls(lo, hi, bits)
            with precision(bits + 64):
                th = _theta_balls(xb, loss_b.omega)
                if degenerate:
                    break
                Hb = [[trig_enclosure(hess[a][b], th) for b in range(pb)] for a in range(pb)]
                inert = symmetric_inertia(Hb)
            if inert is not None:
                index, degenerate = inert[0], False
                break
            if degenerate is None:
                # intervals did not separate: decide det H = 0 exactly (gcd of q with det∘x at this root)
                if det_cs is None:
                    det_cs = cs_normal_form(_det_poly(hess))
                if lo == hi:
                    degenerate = _eval_cs(det_cs, [_frac_of(N(_fq(lo)) / rur.D(_fq(lo))) for N in rur.N]) == 0
                else:
                    g = flint.fmpq_poly(rur.homogenized(det_cs).gcd(rur.q))
                    degenerate = g.degree() > 0 and _sgn(g(_fq(lo))) * _sgn(g(_fq(hi))) < 0
                if degenerate:
                    continue
            bits *= 2
            if bits > 2048:
                msg = "Hessian signs not separated at 2048 bits"
                break
        with precision(bits + 64):
            inbox = _in_box(th, box, loss_b.omega)
            val_ball = trig_enclosure(loss_b, th)
        kraw = krawczyk_unique_zero(grads, hess, box, bits=max(bits, 128))
        claimed_index = pt["index"]
        ok = inbox and kraw and not msg and (claimed_index == index)
        detail = []
        detail.append("Krawczyk: exactly one critical point in the θ box" if kraw else "Krawczyk test FAILED on the θ box")
        detail.append("the RUR point lies in the box" if inbox else "the RUR point is NOT in the θ box")
        detail.append(f"index {index} ({_kind(index, pb)}){' — degenerate: det H = 0 exactly' if degenerate else ''}"
                      + (f", certificate says {claimed_index}" if claimed_index != index else ""))
        if msg:
            detail.append(msg)
        out.append(Verdict(f"{label}: {_kind(claimed_index, pb)} in θ box", ok, "; ".join(detail)))
        facts.append(None if not ok else {"index": index, "degenerate": degenerate, "exact": value is not None,
                                          "value": value if value is not None else val_ball})
    return facts, {"n_complex": n, "bounds": bounds, "complete": complete, "certification": level}


def _frac_of(x) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def _eval_cs(poly: dict, xs) -> Fraction:
    total = Fraction(0)
    for k, v in poly.items():
        t = Fraction(v)
        for x, e in zip(xs, k):
            if e:
                t *= x ** e
        total += t
    return total
