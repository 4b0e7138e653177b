"""Identity checks the code proves on every instance it is asked to (Sects. 3 and 5).

* ``simulation``: the expansion equals direct simulation ``tr(UρU†M)`` — exactly at rational-angle
  points (exact instances of dimension ≤ 64), and to ``1e-12`` in floats at random points;
* ``traceless``: ``tr Φ_ξ(M) = 0`` for ``ξ ≠ 0``;
* ``commutation``: ``Φ^(0)`` outputs commute with ``H_l``, ``Φ^(1)``, ``Φ^(2)`` outputs anticommute (eqs. 13–15);
* ``pi/2 shift``: ``f(θ + (π/2) e_l)`` equals ``f`` with the terms ``ξ_l ≠ 0`` negated (eqs. 13–15);
* ``support``: every Fourier frequency of ``L`` has ``|k_l| ≤ 2`` (φ units; ``2Δ/ω`` for integer
  spectra) and ``‖k‖₁ ≤ 2p`` (Sect. 5).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..exact.paulis import PauliSum
from ..model.circuit import TWO_LEVEL, to_opmatrix
from ..model.data import Instance
from ..model.instances import PYTHAGOREAN
from .phi import loss_poly, output_polys, phi_terms

__all__ = ["CheckResult", "CheckResults", "run_checks", "check_simulation", "check_traceless", "check_shift_rule",
           "check_support", "MAX_PHI_TERMS"]

#: checks that enumerate every Φ_ξ(M) are skipped above this many terms (3^p grows fast)
MAX_PHI_TERMS = 3 ** 9


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    detail: str


def _rational_points(p: int, count: int, rng: random.Random):
    pts = []
    for _ in range(count):
        pt = []
        for _ in range(p):
            c, s = rng.choice(PYTHAGOREAN + [(Fraction(1), Fraction(0)), (Fraction(0), Fraction(1))])
            sc, ss = rng.choice([1, -1]), rng.choice([1, -1])
            pt.append((c * sc, s * ss) if rng.random() < 0.5 else (s * ss, c * sc))
        pts.append(pt)
    return pts


def check_simulation(inst: Instance, n_points: int = 3, seed: int = 0, outputs=None) -> list[CheckResult]:
    """Expansion versus direct simulation, exactly and in floats."""
    from .direct import outputs_direct_exact, outputs_direct_float, phi_point

    fs = outputs or output_polys(inst)
    res = []
    rng = random.Random(seed)
    integral = all(a.denominator == 1 for ang in inst.qnn.angles for _, a in ang)
    if inst.exact and inst.dim <= 64 and integral:
        from .tied import gate_points

        bad = 0
        for pt in _rational_points(inst.p, n_points, rng):
            direct = outputs_direct_exact(inst, gate_points(inst.qnn, pt))
            phis = phi_point(inst, pt, fs[0].omega)
            bad += sum(f.evaluate_cs(phis) != v for f, v in zip(fs, direct))
        res.append(CheckResult("simulation (exact)", bad == 0,
                               f"{n_points} rational-angle points x {inst.m} samples, {bad} mismatches"))
    if inst.dim <= 2 ** 10:
        th = np.random.default_rng(seed).uniform(0, 2 * np.pi, (n_points, inst.p))
        direct = outputs_direct_float(inst, th)
        expd = np.stack([f(th) for f in fs], axis=1)
        err = float(np.max(np.abs(direct - expd)))
        scale = max(1.0, float(np.max(np.abs(direct))))
        res.append(CheckResult("simulation (float)", err <= 1e-12 * scale * max(1, inst.p),
                               f"max |expansion - tr(UρU†M)| = {err:.2e} at {n_points} random points"))
    return res


def check_traceless(inst: Instance) -> CheckResult:
    """``tr Φ_ξ(M) = 0`` for ``ξ ≠ 0`` and the (anti)commutation facts of eqs. 13–15."""
    terms = phi_terms(inst.qnn, inst.observable)      # one harmonic per gate (shared parameters or not)
    bad = 0
    for h, op in terms.items():
        if any(h):
            t = op.trace()
            bad += (t != 0) if inst.exact else abs(complex(t)) > 1e-9
    return CheckResult("traceless", bad == 0, f"{len(terms) - (tuple([0] * inst.qnn.n_gates) in terms)} terms with ξ ≠ 0, {bad} with tr ≠ 0")


def _commutation(inst: Instance) -> CheckResult:
    """Φ^(0)(A) commutes with H_l, Φ^(1)(A), Φ^(2)(A) anticommute (A: the partially expanded M)."""
    from .phi import phi

    gates = inst.qnn.gates
    bad = checked = 0
    rng = random.Random(1)
    A = inst.observable
    for l, g in enumerate(gates):
        if g.kind != TWO_LEVEL:
            continue
        H = g.generator
        for which in (0, 1, 2):
            B = phi(which, A, H)
            if isinstance(B, PauliSum) and isinstance(H, PauliSum):
                r1, i1 = H.product(B)
                r2, i2 = B.product(H)
                ok = (r1 == r2 and i1 == i2) if which == 0 else (not (r1 + r2) and not (i1 + i2))
            else:
                Hm, Bm = to_opmatrix(H), to_opmatrix(B)
                C = Hm @ Bm - Bm @ Hm if which == 0 else Hm @ Bm + Bm @ Hm
                ok = C.is_zero(1e-9)
            bad += not ok
            checked += 1
        A = phi(rng.choice([0, 1, 2]), A, H) if rng.random() < 0.5 else A
    detail = f"{checked} maps checked, {bad} failures" if checked else "not applicable (no two-level gate)"
    return CheckResult("commutation (eqs. 13-15)", bad == 0, detail)


def check_shift_rule(inst: Instance, outputs=None, n_points: int = 3, seed: int = 0) -> CheckResult:
    """``f(θ + (π/2)e_l) = f`` with odd terms in ``φ_l`` negated, against direct simulation."""
    from .direct import outputs_direct_float

    fs = outputs or output_polys(inst)
    th = np.random.default_rng(seed + 7).uniform(0, 2 * np.pi, (n_points, inst.p))
    worst = 0.0
    if inst.dim <= 2 ** 10:
        for l, w in enumerate(fs[0].omega):
            if not inst.qnn.tied and inst.qnn.gates[l].kind != TWO_LEVEL:
                continue
            shifted = th.copy()
            shifted[:, l] += np.pi / w                  # φ_l = ω_l θ_l moves by π
            direct = outputs_direct_float(inst, shifted)
            pred = np.stack([f.shift(l)(th) for f in fs], axis=1)
            worst = max(worst, float(np.max(np.abs(direct - pred))))
    else:  # algebraic form only: shifting twice is the identity and the shift negates exactly the odd terms
        for f in fs:
            for l in range(inst.p):
                s = f.shift(l)
                if s.shift(l) != f or any((v != -f.terms[h]) != (h[l] % 2 == 0) for h, v in s.terms.items()):
                    worst = float("inf")
    two = sum(g.kind == TWO_LEVEL for g in inst.qnn.gates)
    detail = f"max deviation {worst:.2e} over {two} two-level gates" if two else "not applicable (no two-level gate)"
    return CheckResult("pi/2 shift rule", worst <= 1e-11, detail)


def check_support(inst: Instance, loss=None) -> CheckResult:
    """Loss frequencies: ``|k_l| ≤ 2·(Δ_l/ω_l)`` and ``‖k‖₁ ≤ 2·Σ_l Δ_l/ω_l`` (``= 2p`` for two-level);
    with shared parameters ``Δ_l/ω_l`` becomes ``Σ_g |a_gl| Δ_g / ω_l`` (``QNN.degrees``)."""
    L = loss or loss_poly(inst)
    caps = [2 * d for d in inst.qnn.degrees]           # 2·Σ_g |a_gl| Δ_g / ω_l (= 2Δ_l/ω_l untied)
    degs = L.degrees()
    l1 = L.fourier_degree()
    ok = all(d <= c for d, c in zip(degs, caps)) and l1 <= sum(caps)
    return CheckResult("support bound", ok, f"per-parameter degrees {list(degs)} ≤ {caps}; ‖k‖₁ max {l1} ≤ {sum(caps)}")


class CheckResults(list):
    """The results of :func:`run_checks` (a ``list`` of :class:`CheckResult`); ``passed`` when all passed,
    and an HTML table in Jupyter."""

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self)

    def _repr_html_(self) -> str:
        from ..tables import html_table

        rows = [{"check": r.name, "passed": "✓" if r.passed else "✗ FAILED", "detail": r.detail} for r in self]
        return html_table(rows, caption=f"{sum(r.passed for r in self)} of {len(self)} checks passed")


def run_checks(inst: Instance, n_points: int = 3, seed: int = 0) -> list[CheckResult]:
    """All checks of this module on one instance; each result says what was measured.

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> all(r.passed for r in run_checks(prop5_instance(2)))
    True
    """
    fs = output_polys(inst)
    out = check_simulation(inst, n_points, seed, fs)
    if 3 ** inst.qnn.n_gates <= MAX_PHI_TERMS:
        out.append(check_traceless(inst))
        out.append(_commutation(inst))
    out.append(check_shift_rule(inst, fs, n_points, seed))
    out.append(check_support(inst, loss_poly(inst, outputs=fs)))
    return CheckResults(out)
