"""Issue 22 §1: Krawczyk boxes forged at the edge of the float range are refused by both kernels.

The forgery: tiny centres and radii (≈ 2^-540) near a singular solution at the chart origin, where
``m²`` underflows to 0 in floats, so a float evaluation sees ``F(m) = 0``; with coefficients ≈ 2^100
the old fixed underflow allowance (``S·2^-1000``) was far too small and such boxes passed.  Listed
until the count equals the bound, they made false "complete", "0 degenerate" and "global" claims.
"""
from __future__ import annotations

import copy
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from qnnsym import PauliSum, loss_poly
from qnnsym.certify import check_certificate
from qnnsym.certify.checker.boxes import check_homotopy_block, encode_boxes
from qnnsym.certify.checker.points import block_bounds
from qnnsym.certify.checker.trig import cs_normal_form, derivative
from qnnsym.exact.krawczyk import (NON_FINITE, NOT_PROVEN, OUT_OF_RANGE, PROVEN, float_tensor, gradient_sum_tensor,
                                   jet, krawczyk_charts_status, krawczyk_status)
from qnnsym.exact.krawczyk_ball import krawczyk_ball_status
from qnnsym.exact.tanform import tan_system
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.model import QNN, Dataset, Gate, Instance, Sample

BIG = 2 ** 100


def _tiny_boxes(n: int, p: int, e: int = 540):
    """``n`` pairwise-disjoint non-real polydiscs of radius ``2^-(e+3)`` with centres ``≈ k·2^-e`` (no zero inside
    any of them is isolated and simple: the systems below have only a singular zero near 0)."""
    s = 2.0 ** -e
    mid = np.array([[s * (k + 1) * (1 + 2j)] + [s * (1 + 2j)] * (p - 1) for k in range(n)])
    return mid, np.full(n, s / 8), np.zeros((n, p), dtype=bool)


def _big_loss() -> TrigPoly:
    """``L = 2^100·(1 − cos φ) sin φ + (1 − cos φ)²``: ``∂L`` has a double zero at ``φ = 0`` (``L'' = 0``,
    a degenerate critical point); its tan system is ``3·2^98 t² + t³ − 2^98 t⁴`` (rotation ``(1, 0)``)."""
    return TrigPoly(1, {(-1,): BIG, (-2,): Fraction(-BIG, 2), (0,): Fraction(3, 2), (1,): -2, (2,): Fraction(1, 2)})


def _system(loss, rotation=(1, 0)):
    eqs = [cs_normal_form(derivative(loss, l)) for l in range(loss.p)]
    return eqs, tan_system(eqs, loss.p, rotation)[0]


def test_the_underflow_trap_is_real_and_both_kernels_refuse_it():
    _, tens = _system(_big_loss())
    assert [int(x) for x in tens[0]] == [0, 0, 3 * BIG // 4, 1, -BIG // 4]
    T = float_tensor(tens)
    mid, r, chart = _tiny_boxes(4, 1)
    F, _ = jet(T, np.array([[2.0 ** -540 + 0j]]))
    assert F[0, 0] == 0                                     # floats: m² underflowed, F(m) "= 0" ...
    m = Fraction(2) ** -540                                 # ... while F(m) ≈ 2^-980 exactly
    assert 3 * BIG * m ** 2 + 4 * m ** 3 - BIG * m ** 4 > 2 ** -981
    assert (krawczyk_status(T, gradient_sum_tensor(T), mid, r) != PROVEN).all()
    assert (krawczyk_charts_status(T, mid, r, chart) != PROVEN).all()
    assert (krawczyk_ball_status(tens, mid, r, chart) != PROVEN).all()
    # at every scale down to the subnormal range, and for real centres
    for e in (300, 480, 520, 536, 540, 560, 700, 1000, 1070):
        for mid, r, chart in (_tiny_boxes(3, 1, e), (np.array([[2.0 ** -e + 0j]]), np.array([2.0 ** -e]), [[False]])):
            assert (krawczyk_charts_status(T, mid, r, np.array(chart)) != PROVEN).all()
            assert (krawczyk_ball_status(tens, mid, r, np.array(chart)) != PROVEN).all()


def test_both_kernels_prove_the_simple_zeros_of_the_same_system():
    _, tens = _system(_big_loss())
    T = float_tensor(tens)
    # the simple zeros of −2^98 t² + t + 3·2^98: t = (1 ± √(1 + 12·2^196))/2^99 ≈ ±√3
    roots = [(1 + s * np.sqrt(1 + 12 * 2.0 ** 196)) / 2.0 ** 99 for s in (1, -1)]
    mid, r = np.array([[x + 0j] for x in roots]), np.array([1e-12, 1e-12])
    chart = np.zeros((2, 1), dtype=bool)
    assert krawczyk_charts_status(T, mid, r, chart).tolist() == [PROVEN, PROVEN]
    assert krawczyk_ball_status(tens, mid, r, chart).tolist() == [PROVEN, PROVEN]


def test_out_of_range_and_invalid_boxes_have_their_own_verdicts():
    T = float_tensor([np.array([-2, 0, 1], dtype=object)])
    Q = gradient_sum_tensor(T)
    mid = np.array([[2.0 ** 600 + 0j], [np.nan + 0j], [1.4142135623730951 + 0j]])
    st_ = krawczyk_status(T, Q, mid, np.array([1.0, 1e-6, -1.0])).tolist()
    assert st_ == [OUT_OF_RANGE, NON_FINITE, NON_FINITE]
    assert krawczyk_ball_status([np.array([-2, 0, 1], dtype=object)], mid, np.array([1.0, 1e-6, -1.0]),
                                np.zeros((3, 1), dtype=bool)).tolist() == [NOT_PROVEN, NON_FINITE, NON_FINITE]


@pytest.mark.parametrize("kernel", ["auto", "float", "ball"])
def test_checker_refuses_forged_tiny_boxes_counted_up_to_the_bound(kernel):
    """The p = 1 forgery of the issue: 4 tiny non-real boxes at the degenerate point = the bound 4, claimed
    complete with 0 real critical points (the truth: a degenerate point at 0 and two real simple ones)."""
    loss = _big_loss()
    eqs, _ = _system(loss)
    bounds = block_bounds(loss, eqs)
    assert bounds["multihomogeneous"] == 4
    mid, r, chart = _tiny_boxes(4, 1)
    blk = {"parameters": [0], "method": "homotopy", "n_complex": 4, "complete": True, "certification": "numeric",
           "bounds": bounds, "boxes": encode_boxes(mid, r, chart, (1, 0)), "points": []}
    out = []
    _, info = check_homotopy_block(0, blk, loss, False, out, kernel=kernel)
    bad = [v for v in out if not v.ok]
    assert not info["complete"] and info["certification"] == "none"
    kr = [v for v in bad if "Krawczyk" in v.claim]
    assert kr and "box 0" in kr[0].detail and ("ball" in kr[0].detail) == (kernel == "ball")


@pytest.mark.parametrize("kernel", ["auto", "float", "ball"])
def test_genuine_boxes_padded_with_forged_ones_are_refused_naming_a_forged_box(kernel):
    """The second forgery of the issue: the 2 genuine real boxes plus 2 tiny fake ones at the degenerate
    point, "complete, exactly 2 real critical points, 0 degenerate" — the degenerate point silently dropped."""
    import math

    loss = _big_loss()
    eqs, _ = _system(loss)
    roots = [(1 + s * np.sqrt(1 + 12 * 2.0 ** 196)) / 2.0 ** 99 for s in (1, -1)]
    fake, fr, _ = _tiny_boxes(2, 1)
    mid = np.concatenate([np.array([[x + 0j] for x in roots]), fake])
    r = np.concatenate([[1e-12, 1e-12], fr])
    chart = np.zeros((4, 1), dtype=bool)
    pts = []
    for k, x in enumerate(roots):          # θ = atan(t) (ω = 2, no rotation)
        th = Fraction(math.atan(x))
        pts.append({"box": k, "index": 0 if k == 0 else 1,
                    "theta_box": [[str(th - Fraction(1, 10 ** 9)), str(th + Fraction(1, 10 ** 9))]]})
    blk = {"parameters": [0], "method": "homotopy", "n_complex": 4, "complete": True, "certification": "numeric",
           "bounds": block_bounds(loss, eqs), "boxes": encode_boxes(mid, r, chart, (1, 0)), "points": pts}
    out = []
    _, info = check_homotopy_block(0, blk, loss, False, out, kernel=kernel)
    kr = [v for v in out if "Krawczyk" in v.claim]
    assert not kr[0].ok and "box 2" in kr[0].detail and "2 boxes fail" in kr[0].detail
    assert not info["complete"] and info["certification"] == "none"
    # the genuine boxes alone are proven by both kernels (count 2 < 4: not complete)
    blk2 = dict(blk, n_complex=2, complete=False, boxes=encode_boxes(mid[:2], r[:2], chart[:2], (1, 0)))
    out2 = []
    _, info2 = check_homotopy_block(0, blk2, loss, False, out2, kernel=kernel)
    assert [v for v in out2 if "Krawczyk" in v.claim][0].ok and not info2["complete"]


def test_a_float_kernel_that_accepts_everything_is_caught_by_the_ball_kernel(monkeypatch):
    """Defence in depth: with the float kernel replaced by one that proves every box, the default ``auto``
    still refuses the forged complete block (the ball kernel re-proves every box completeness depends on);
    ``--kernel float`` alone would not."""
    import qnnsym.exact.krawczyk as kr

    monkeypatch.setattr(kr, "krawczyk_charts_status", lambda T, mid, r, chart: np.full(len(r), PROVEN))
    loss = _big_loss()
    eqs, _ = _system(loss)
    mid, r, chart = _tiny_boxes(4, 1)
    blk = {"parameters": [0], "method": "homotopy", "n_complex": 4, "complete": True, "certification": "numeric",
           "bounds": block_bounds(loss, eqs), "boxes": encode_boxes(mid, r, chart, (1, 0)), "points": []}
    verdict = {}
    for kernel in ("auto", "float"):
        out = []
        check_homotopy_block(0, blk, loss, False, out, kernel=kernel)
        verdict[kernel] = next(v for v in out if "Krawczyk" in v.claim)
    assert not verdict["auto"].ok and "ball kernel" in verdict["auto"].detail and "box 0" in verdict["auto"].detail
    assert verdict["float"].ok                   # the sabotaged float kernel alone is fooled


# --- whole certificates on instances with a degenerate global minimum at θ = 0 ----------------------------

def _instance(gens):
    """One qubit, ``ρ = (I + X)/2``, ``M = X``, label ``f(0) = 1``: ``L = (f − 1)²`` has its global minimum
    ``L = 0`` at ``θ = 0``, degenerate (``p = 1``: ``L ∝ (1 − cos φ)²``; ``p = 2``: Hessian of rank 1)."""
    qnn = QNN(tuple(Gate(PauliSum.from_labels(1, {g: 1})) for g in gens), n_qubits=1)
    rho = PauliSum.from_labels(1, {"I": "1/2", "X0": "1/2"})
    return Instance(qnn, PauliSum.from_labels(1, {"X0": 1}), Dataset((Sample(rho, "1"),)))


def _forged_certificate(inst, kernel_boxes):
    from test_checker_attacks import _forge

    loss = loss_poly(inst)
    eqs = [cs_normal_form(derivative(loss, l)) for l in range(loss.p)]
    bounds = block_bounds(loss, eqs)
    B = bounds["multihomogeneous"]
    mid, r, chart = kernel_boxes(B, loss.p)
    blk = {"parameters": list(range(loss.p)), "method": "homotopy", "n_complex": B, "complete": True,
           "certification": "numeric", "bounds": bounds, "boxes": encode_boxes(mid, r, chart, (1, 0)), "points": []}
    cert = _forge(inst, [blk], [], {"n_complex": B})
    cert["certification"] = "numeric"
    return cert


@pytest.mark.parametrize("gens", [["Z0"], ["Z0", "Y0"]])
@pytest.mark.parametrize("kernel", ["auto", "float", "ball"])
def test_forged_certificates_at_a_degenerate_global_minimum_are_refused(gens, kernel):
    inst = _instance(gens)
    cert = _forged_certificate(inst, _tiny_boxes)
    verdicts = check_certificate(copy.deepcopy(cert), kernel=kernel)
    bad = [v for v in verdicts if not v.ok]
    kr = [v for v in bad if "Krawczyk" in v.claim]
    assert kr and "box 0" in kr[0].detail
    assert any("complete" in v.claim for v in bad)


# --- property: the float kernel never accepts a box without exactly one simple zero ---------------------------

def _roots_in_disc(roots, m: complex, r: float) -> list:
    mr, mi, rr = Fraction(m.real), Fraction(m.imag), Fraction(r)
    return [z for z in roots if (z[0] - mr) ** 2 + (z[1] - mi) ** 2 <= rr ** 2]


@settings(max_examples=200, deadline=None)
@given(scale=st.integers(0, 110), mult=st.integers(0, 3), a=st.integers(-3, 3),
       e=st.integers(500, 560) | st.sampled_from([0, 1, 2, 50, 300, 1000, 1060, 1074]), k=st.integers(-4, 4),
       im=st.integers(-4, 4), rexp=st.integers(-6, 3))
@example(scale=100, mult=2, a=1, e=540, k=1, im=0, rexp=-1)          # accepted by the old kernel (issue 22)
def test_float_kernel_accepts_only_discs_with_exactly_one_simple_zero(scale, mult, a, e, k, im, rexp):
    """``F(t) = (2^scale + 1)·t^mult·(t − a)``: zeros known exactly (``0`` with multiplicity ``mult``, and ``a``);
    centres from ``2^0`` down to the subnormal range, where ``m^mult`` underflows while ``2^scale·m^mult``
    would not.  A disc may be proven only if it holds exactly one zero counted with multiplicity: the
    float kernel and the ball kernel both obey this oracle."""
    c = 2 ** scale + 1
    coeffs = [0] * (mult + 2)
    coeffs[mult] += -a * c
    coeffs[mult + 1] += c
    tens = [np.array(coeffs, dtype=object)]
    roots = [(Fraction(0), Fraction(0))] * mult + [(Fraction(a), Fraction(0))]
    m = complex(k * 2.0 ** -e, im * 2.0 ** -e) if e < 1074 else complex(k * 5e-324, im * 5e-324)
    r = max(abs(m), 2.0 ** -e) * 2.0 ** rexp
    if not (r > 0 and np.isfinite(r)):
        return
    mid, rad, chart = np.array([[m]]), np.array([r]), np.zeros((1, 1), dtype=bool)
    fl = int(krawczyk_charts_status(float_tensor(tens), mid, rad, chart)[0])
    bl = int(krawczyk_ball_status(tens, mid, rad, chart)[0])
    inside = _roots_in_disc(roots, m, r)
    one_simple = len(inside) == 1                            # roots are listed with multiplicity
    if fl == PROVEN:
        assert one_simple
    if bl == PROVEN:
        assert one_simple


@settings(max_examples=80, deadline=None)
@given(scale=st.integers(0, 110), mult=st.integers(0, 2), a=st.integers(-2, 2), b=st.integers(-2, 2),
       e=st.integers(500, 560) | st.sampled_from([0, 2, 300, 1000, 1074]), ks=st.lists(st.integers(-3, 3), min_size=4,
       max_size=4), rexp=st.integers(-6, 2))
@example(scale=100, mult=2, a=1, b=0, e=540, ks=[1, 0, 0, 0], rexp=-1)
def test_both_kernels_accept_only_polydiscs_with_exactly_one_simple_zero(scale, mult, a, b, e, ks, rexp):
    """``p = 2``: ``F_1 = (2^scale + 1)·t_1^mult·(t_1 − a)``, ``F_2 = 2^scale·(t_2 − b)`` — zeros ``{0^mult, a} × {b}``;
    a polydisc holds exactly one simple zero iff it holds exactly one of each factor's zeros."""
    c = 2 ** scale + 1
    c1 = [0] * (mult + 2)
    c1[mult] += -a * c
    c1[mult + 1] += c
    tens = [np.array(c1, dtype=object).reshape(-1, 1),
            np.array([-b * 2 ** scale, 2 ** scale], dtype=object).reshape(1, 2)]
    u = 2.0 ** -e if e < 1074 else 5e-324
    m = [complex(ks[0] * u, ks[1] * u), complex(b + ks[2] * u, ks[3] * u)]
    r = max(abs(m[0]), u) * 2.0 ** rexp
    if not (r > 0 and np.isfinite(r)):
        return
    mid, rad, chart = np.array([m]), np.array([r]), np.zeros((1, 2), dtype=bool)
    n1 = len(_roots_in_disc([(Fraction(0), Fraction(0))] * mult + [(Fraction(a), Fraction(0))], m[0], r))
    n2 = len(_roots_in_disc([(Fraction(b), Fraction(0))], m[1], r))
    for status in (krawczyk_charts_status(float_tensor(tens), mid, rad, chart),
                   krawczyk_ball_status(tens, mid, rad, chart)):
        if status[0] == PROVEN:
            assert n1 * n2 == 1


def test_unknown_kernel_is_a_validation_error():
    from qnnsym.certify.certificate import symbolic_identities_certificate
    from qnnsym.errors import ValidationError

    with pytest.raises(ValidationError, match="kernel"):
        check_certificate(symbolic_identities_certificate(), kernel="arb")
