"""Issue 24: real-domain exhaustion of the torus, the certified global minimum, their certificates."""
from __future__ import annotations

import copy
from fractions import Fraction

import numpy as np
import pytest

from qnnsym.budget import TickClock
from qnnsym.certify.checker.check import check_certificate
from qnnsym.certify.exhaustion import exhaustion_certificate, global_minimum_certificate
from qnnsym.cli.main import main
from qnnsym.critical.exhaustion import LossJet, exhaust
from qnnsym.critical.globalmin import global_minimum
from qnnsym.critical.solve import solve_critical
from qnnsym.critical.table import critical_table
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.expansion.phi import loss_poly
from qnnsym.model.instances import prop5_instance


def _accepted(cert) -> bool:
    return all(v.ok for v in check_certificate(cert))


def test_jet_error_bound_holds_against_exact_values():
    """The float jet's a-priori bounds cover its error (compared with exact ball evaluation)."""
    from qnnsym.exact.interval import ball, precision, trig_enclosure

    L = loss_poly(prop5_instance(2))
    jet = LossJet(L)
    u = np.array([[0.125, 0.3], [0.7, 0.55]])
    val, G, H = jet(u)
    for n in range(2):
        with precision(200):
            th = [ball(Fraction(float(x))) * 2 * __import__("flint").arb.pi() / w for x, w in zip(u[n], L.omega)]
            exact_v = trig_enclosure(L, th)
            exact_g = [trig_enclosure(g, th) / w for g, w in zip(L.gradient_polys(), L.omega)]
        assert abs(float(exact_v.mid()) - val[n]) <= jet.err_val
        for i in range(2):
            assert abs(float(exact_g[i].mid()) - G[n, i]) <= jet.err_grad[i]


def test_one_parameter_hand_derived():
    """cos 2θ: critical points θ = 0 and π/2 (turns 0 and 1/2), one minimum, one maximum."""
    cov = exhaust(TrigPoly(1, {(1,): 1}))
    assert cov.complete and sorted(round(float(c[0]), 9) for c, _ in cov.points) == [0.0, 0.5]


def test_table_equals_the_exact_table():
    """prop5 p = 2: the exhaustion table equals sympy's exact table point for point (θ boxes meet, same index)."""
    inst = prop5_instance(2)
    ex = critical_table(inst, backend="exhaustion")
    sy = critical_table(inst, backend="sympy")
    assert ex.complete and ex.certification == "certified (real exhaustion)"
    assert ex.n_real == sy.n_real == 16 and ex.counts == sy.counts
    for a in sy.points:
        hits = [b for b in ex.points if all(lo2 <= hi1 and lo1 <= hi2 for (lo1, hi1), (lo2, hi2) in zip(a.theta_box, b.theta_box))]
        assert len(hits) == 1 and hits[0].index == a.index


def test_budgets_give_honest_partial_results():
    L = loss_poly(prop5_instance(2))
    res = solve_critical(L, backend="exhaustion", max_boxes=20)
    assert not res.complete and "incomplete" in res.notes[0] and "of the torus" in res.notes[0]
    res = solve_critical(L, backend="exhaustion", time_limit=5, clock=TickClock(1.0))
    assert not res.complete


def test_degenerate_point_is_reported_not_looped():
    """(1 − cos 2θ)²: a degenerate minimum at θ = 0 (L ~ θ⁴): the region around it stays unresolved."""
    L = TrigPoly(1, {(0,): Fraction(3, 2), (1,): -2, (2,): Fraction(1, 2)})
    cov = exhaust(L, min_width_bits=12)
    assert not cov.complete and 0 < cov.unresolved_volume < 1e-2


def test_positive_dimensional_is_refused():
    res = solve_critical(TrigPoly(2, {(1, 0): 1}), backend="exhaustion")
    assert res.dimension == 1 and not res.real_points


def test_global_minimum_matches_the_table_and_partial_contains_it():
    inst = prop5_instance(2)
    tab = critical_table(inst, backend="sympy")
    vmin = min(cp.loss[0] for cp in tab.points)
    g = global_minimum(inst)
    assert g.complete and g.interval[0] <= vmin <= g.interval[1] and g.interval[1] - g.interval[0] < Fraction(1, 10 ** 9)
    part = global_minimum(loss_poly(inst), max_boxes=5)
    assert not part.complete and part.interval[0] <= vmin <= part.interval[1]


@pytest.fixture(scope="module")
def certs():
    inst = prop5_instance(1)
    return exhaustion_certificate(inst), global_minimum_certificate(inst, global_minimum(inst, sharp_bounds=False))


def test_genuine_certificates_are_accepted(certs):
    ex, gm = certs
    assert ex["summary"]["n_real"] == 4 and _accepted(ex) and _accepted(gm)


def test_forged_dropped_box_is_refused(certs):
    bad = copy.deepcopy(certs[0])
    bad["cover"]["tree"] = bad["cover"]["tree"][:-1]          # the last leaf has no code: a hole in the cover
    assert not _accepted(bad)


def test_forged_excluded_box_holding_a_zero_is_refused(certs):
    bad = copy.deepcopy(certs[0])
    tree = bad["cover"]["tree"]
    i = tree.index("2")                                       # an inclusion leaf claimed free of critical points
    bad["cover"]["tree"] = tree[:i] + "0" + tree[i + 1:]
    del bad["cover"]["inclusions"][0]
    vs = check_certificate(bad)
    assert not all(v.ok for v in vs)
    assert any("hold no critical point" in v.claim and not v.ok for v in vs)


def test_forged_inclusion_boxes_are_refused(certs):
    ex = certs[0]
    # an inclusion box with no zero: an excluded leaf turned into an inclusion leaf whose K is that leaf
    tree = ex["cover"]["tree"]
    i = tree.index("0")
    bad = copy.deepcopy(ex)
    bad["cover"]["tree"] = tree[:i] + "2" + tree[i + 1:]
    n_before = tree[:i].count("2")
    bad["cover"]["inclusions"].insert(n_before, {"centre": ["1/4"], "radius": ["1/4"], "point": 0})
    assert not _accepted(bad)
    # an inclusion box with two zeros: K widened over two critical points
    bad = copy.deepcopy(ex)
    bad["cover"]["inclusions"][0]["radius"] = ["3/8"]
    bad["cover"]["inclusions"][0]["centre"] = ["1/4"]
    assert not _accepted(bad)
    # a point listed twice (the same zero counted two times)
    bad = copy.deepcopy(ex)
    bad["cover"]["points"].append(copy.deepcopy(bad["cover"]["points"][0]))
    bad["summary"]["n_real"] += 1
    assert not _accepted(bad)


def test_forged_global_minimum_is_refused(certs):
    gm = certs[1]
    bad = copy.deepcopy(gm)
    lo, hi = (Fraction(x) for x in bad["interval"])
    bad["interval"][0] = str(lo + Fraction(1, 100))            # a lower bound above the true minimum
    bad["blocks"][0]["interval"][0] = str(Fraction(bad["blocks"][0]["interval"][0]) + Fraction(1, 100))
    assert not _accepted(bad)
    bad = copy.deepcopy(gm)
    bad["blocks"][0]["interval"][1] = str(Fraction(bad["blocks"][0]["interval"][1]) - Fraction(1, 100))
    assert not _accepted(bad)                                  # an upper bound below every witnessed value


def test_cli_minimize_and_exhaustion_backend(tmp_path, capsys):
    out = tmp_path / "min.json"
    assert main(["minimize", "prop5", "--p", "2", "--no-progress", "--certificate", str(out)]) == 0
    assert "global minimum" in capsys.readouterr().out
    assert main(["check", str(out)]) == 0
    assert main(["critical", "prop5", "--p", "1", "--backend", "exhaustion", "--no-progress"]) == 0
    assert "certified (real exhaustion)" in capsys.readouterr().out


def test_sparse_jet_equals_dense_jet():
    L = loss_poly(prop5_instance(3))
    jet = LossJet(L)
    u = np.random.default_rng(2).random((5, 3))
    jet.sparse = False
    dense = jet(u, third=True)
    jet.sparse = True
    sparse = jet(u, third=True)
    for a, b in zip(dense, sparse):
        assert np.max(np.abs(a - b)) <= 1e-13


def test_residual_enclosure_contains_sampled_values():
    """The shifted-basis enclosure of an output f − y holds every sampled value of the box."""
    from qnnsym.critical.globalmin import AffineEnclosure
    from qnnsym.expansion.phi import output_polys

    inst = prop5_instance(3)
    f = output_polys(inst)[0] - 1
    enc = AffineEnclosure(f)
    rng = np.random.default_rng(0)
    for rr in (0.25, 0.05, 0.01):
        u = rng.random((3, 3))
        lo, hi = enc(u, np.full(3, rr))
        for n in range(3):
            pts = u[n] + (rng.random((500, 3)) * 2 - 1) * rr
            v = f(2 * np.pi * pts / np.array(f.omega))
            assert lo[n] <= v.min() and v.max() <= hi[n]


def test_worker_processes_give_the_same_cover():
    L = loss_poly(prop5_instance(2))
    assert exhaust(L, workers=2, chunk=64).tree == exhaust(L).tree
