"""A realised construction (instance + design + certificate) and its check by the critical engine."""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import product

from ..exact.scalars import format_scalar
from ..exact.trigpoly import TrigPoly
from ..model.data import Instance
from .design_certificate import LandscapeCertificate
from .designs import Design

__all__ = ['Construction', 'critical_check']


# --- realisation ----------------------------------------------------------------------------------

@dataclass
class Construction:
    """A realised design: the instance plus everything needed to trust it."""

    instance: Instance
    design: Design
    angles: list
    kappa: Fraction
    loss: TrigPoly
    loss_verified: bool
    certificate: LandscapeCertificate
    solver: str

    @property
    def scale(self) -> Fraction:
        """``κ²/m``: the instance's loss is ``scale · design.loss()(u)``."""
        return self.kappa ** 2 / self.instance.m

    def predicted_minima(self, limit: int = 64) -> list[dict]:
        """The predicted local minima (at most ``limit`` rows): ``ζ``, the point ``(cos φ_l, sin φ_l)``
        of ``θ* + (π/J)ζ/ω`` (two-level) or ``u/π`` (integer spectra), and the exact loss when the
        certificate computed it (two-level cos-only designs with at most 64 minima).

        Empty when the certificate does not hold or the instance's loss differs from the design's:
        nothing is then known about where the minima are (the points may be saddles or maxima), and
        the critical-point engine (:func:`critical_check`) is the way to find out.
        """
        cert = self.certificate
        if not (cert.certified and self.loss_verified):
            return []
        rows = []
        J = self.design.J
        for idx, zeta in enumerate(product(range(2 * J), repeat=self.design.p)):
            if idx >= limit:
                break
            row = {"zeta": "".join(map(str, zeta)), "kind": "global" if not any(zeta) else "spurious"}
            if J == 1:
                pts = [(c * (1 - 2 * k), s * (1 - 2 * k)) for (c, s), k in zip(self.angles, zeta)]
                row["cos_sin_phi"] = "; ".join(f"{format_scalar(c)}:{format_scalar(s)}" for c, s in pts)
                z = sum(k << l for l, k in enumerate(zeta))
                if z in cert.minima_values:
                    row["loss"] = format_scalar(self.scale * cert.minima_values[z])
            else:
                row["u_over_pi"] = ", ".join(format_scalar(Fraction(k, J)) for k in zeta)
            rows.append(row)
        return rows

    def report(self) -> list[str]:
        """Human-readable account: κ, the scalings, the certificate, why eqs. 16–17 hold."""
        d, inst, cert = self.design, self.instance, self.certificate
        prm = ", ".join(f"{k} = {format_scalar(v)}" for k, v in d.params.items())
        lines = [f"instance: {inst.name}  (p = {inst.p}, d = {inst.dim}, m = {inst.m}: "
                 f"{d.roles.count('S0')} in S_0, {d.roles.count('S1')} in S_1; exact: {inst.exact})",
                 f"design: {d.name} ({prm}); θ* given by (cos φ*_l, sin φ*_l) = "
                 + ", ".join(f"({format_scalar(c)}, {format_scalar(s)})" for c, s in self.angles),
                 f"eq. 18 solved by: {self.solver}; κ = {format_scalar(self.kappa)} (one exact rational for all "
                 f"samples; every ρ_k = I/d + κD_k checked ⪰ 0 exactly)",
                 f"loss = (κ²/m)·Σ_k r_k(u)² with κ²/m = {format_scalar(self.scale)}; instance loss == designed loss "
                 f"(exact comparison of {len(self.loss.terms)} coefficients): {self.loss_verified}"]
        lines.append("Lemma 4 scaling: an S_1 residual ε·b(u) − t contributes −2εt·b (eq. 19, breaks the π/J "
                     "symmetry) + ε²b² (eq. 20, symmetric, suppressed for small ε at fixed εt) + t²")
        lines += [f"certificate: {cert.method}"] + [f"  - {c}" for c in cert.conditions]
        if cert.certified:
            lines.append(f"=> exactly {cert.n_critical} critical points per period, {cert.n_minima} local minima, "
                         f"{cert.n_spurious} spurious, the global one at θ*"
                         + (f"; smallest suboptimality gap {format_scalar(self.scale * cert.min_gap)}"
                            + (" (lower bound)" if not cert.at_translates else "") if cert.min_gap is not None else ""))
            lines.append("eq. 17: on each box N(θ') (around a translate θ') the Hessian is positive definite, so L is "
                         "strictly convex there and its unique critical point is an interior minimiser: L on ∂N(θ') "
                         "exceeds L at that minimiser. eq. 16: the minimum value in N(θ*) is below the minimum value "
                         "in every other N(θ') (exact values / brackets above).")
        return lines


def critical_check(con: Construction, backend: str = "auto", time_limit: float | None = None) -> dict:
    """Cross-check a construction with the critical-point engine (:func:`qnnsym.critical.table.critical_table`):
    counts of minima, the certification level and whether the global minimum is at ``θ*``
    (exact comparison of ``(cos φ_l, sin φ_l)`` when the engine found the point rational, else
    ``|θ − θ*| < 1e-9``).  Independent of :func:`certify_design`.

    Returns
    -------
    dict
        ``minima``, ``spurious_minima``, ``global_minima``, ``certification``, ``status``,
        ``global_at_theta_star`` (True/False/None when undecided), ``seconds``.
    """
    import time

    from ..critical.table import critical_table

    t0 = time.perf_counter()
    tab = critical_table(con.instance, backend=backend, time_limit=time_limit)
    om = con.loss.omega
    star = [math.atan2(float(s), float(c)) % (2 * math.pi) / w for (c, s), w in zip(con.angles, om)]
    at_star = None
    glob = [x for x in (tab.points or []) if x.kind == "minimum" and x.is_global]
    if glob:
        at_star = False
        for x in glob:
            if x.cs is not None:
                cs = [(x.cs[2 * l], x.cs[2 * l + 1]) for l in range(con.loss.p)]
                hit = cs == [tuple(a) for a in con.angles]
            else:
                hit = all(abs(math.remainder(t - s, 2 * math.pi / w)) < 1e-9 for t, s, w in zip(x.theta, star, om))
            at_star = at_star or hit
    return {"minima": tab.counts["minima"], "spurious_minima": tab.counts["spurious_minima"],
            "global_minima": tab.counts["global_minima"], "certification": tab.certification, "status": tab.status,
            "global_at_theta_star": at_star, "seconds": round(time.perf_counter() - t0, 2)}
