"""Per-block checks of a ``critical-points`` certificate: parametrization, roots and points.

For one block: the critical system is rebuilt from the block's loss, the RUR verified
(:mod:`.rur`), the real roots matched one-to-one with the listed intervals, and around each real
point the Krawczyk test, the Hessian inertia and degeneracy are re-derived.
"""
from __future__ import annotations

from fractions import Fraction

from .common import Verdict
from .rur import Rur, _fq, _sgn

__all__ = ["check_block"]



def _theta_balls(xs, omega):
    """``θ_l = atan2(s_l, c_l)/ω_l`` as balls."""
    import flint

    return [flint.arb.atan2(xs[2 * l + 1], xs[2 * l]) / omega[l] for l in range(len(omega))]


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


def check_block(bi: int, blk: dict, loss_b, progress: bool, out: list[Verdict]):
    """Verify one block; returns a list of per-point facts ``{index, value (Fraction | ball)}``."""
    import flint

    from ...exact.combinatorics import permanent
    from ...exact.interval import krawczyk_unique_zero, precision, symmetric_inertia, trig_enclosure

    pb = loss_b.p
    name = f"block {bi} (parameters {[l + 1 for l in blk['parameters']]})"
    rur = Rur(blk["rur"], pb)
    q = rur.qq
    # the system, from the rebuilt loss: g_l = normal form of ∂L/∂θ_l, circles c_l² + s_l² − 1
    grads = [loss_b.derivative(l) for l in range(pb)]
    eqs = [g.cs_terms() for g in grads]
    for l in range(pb):
        a, b, z = [0] * (2 * pb), [0] * (2 * pb), (0,) * (2 * pb)
        a[2 * l], b[2 * l + 1] = 2, 2
        eqs.append({tuple(a): Fraction(1), tuple(b): Fraction(1), z: Fraction(-1)})
    dmat = [[max((k[2 * j] + k[2 * j + 1] for k in g), default=0) for j in range(pb)] for g in eqs[:pb]]
    bound = 2 ** pb * permanent(dmat)
    n = rur.q.degree()
    sqfree = rur.q.gcd(rur.q.derivative()).degree() == 0
    out.append(Verdict(f"{name}: eliminant q is square-free, degree {blk['n_complex']}",
                       sqfree and n == int(blk["n_complex"]),
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
    if blk.get("complete"):
        ok = injective and sqfree and n == bound
        out.append(Verdict(f"{name}: complete — deg q = {n} reaches the multihomogeneous Bézout bound "
                           f"2^p·perm(d) = {bound}", ok,
                           "so the roots of q are all the complex critical points, each simple" if ok else
                           ("no linear form to make the roots distinct points" if not injective else f"bound {bound} ≠ deg q {n}")))
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
    Lcs = loss_b.cs_terms()
    hess = [[grads[i].derivative(j) for j in range(pb)] for i in range(pb)]
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
                    det_cs = _det_poly(hess).cs_terms()
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
        claimed_index = pt.get("index")
        ok = inbox and kraw and not msg and (claimed_index == index)
        detail = []
        detail.append("Krawczyk: exactly one critical point in the θ box" if kraw else "Krawczyk test FAILED on the θ box")
        detail.append("the RUR point lies in the box" if inbox else "the RUR point is NOT in the θ box")
        detail.append(f"index {index} ({_kind(index, pb)}){' — degenerate: det H = 0 exactly' if degenerate else ''}"
                      + (f", certificate says {claimed_index}" if claimed_index != index else ""))
        if msg:
            detail.append(msg)
        out.append(Verdict(f"{label}: {_kind(claimed_index, pb)} in θ box", ok, "; ".join(detail)))
        facts.append({"index": index, "degenerate": degenerate, "value": value if value is not None else val_ball,
                      "exact": value is not None})
    return facts, n, bound


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
