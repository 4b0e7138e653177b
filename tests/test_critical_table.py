"""Critical-point tables: separable combination, Proposition 5 up to p = 16, degenerate and
positive-dimensional cases, dense instances vs L-BFGS, output formats and the CLI."""
import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from test_classify import p1_points

from qnnsym import loss_poly, prop5_instance
from qnnsym.cli.main import main as cli_main
from qnnsym.critical.dense import dense_instance
from qnnsym.critical.result import SolveResult
from qnnsym.critical.table import BlockResult, critical_table, table_from_blocks
from qnnsym.errors import ValidationError
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.landscape.interaction import independent_blocks


def msolve_available():
    from qnnsym.critical.backends import available_backends

    return "msolve" in available_backends()


def p1_result(loss):
    """A SolveResult from the tests' own p = 1 solver (independent of the backends)."""
    return SolveResult(p=1, omega=loss.omega, form="cs", backend="test-p1", engine_version="sympy (tests)",
                       certification="exact", dimension=0, n_complex=None, bounds={}, real_points=p1_points(loss),
                       complete=True)


# --- separable combination, independent of the solving backends ----------------------------------------

def test_product_of_blocks_by_hand():
    """L = cos 2θ1 + (3/2) cos 2θ2 (+1): 4 points; min -3/2, saddles, max; indices add."""
    L = TrigPoly(2, {(0, 0): 1, (1, 0): 1, (0, 1): Fraction(3, 2)})
    blocks = [BlockResult.from_solve(ix, blk, p1_result(blk)) for ix, blk in independent_blocks(L)]
    t = table_from_blocks(L, blocks)
    assert t.n_real == 4 and t.counts["by_index"] == {0: 1, 1: 2, 2: 1}
    assert [(cp.loss_exact, cp.index) for cp in t.points] == [
        (Fraction(-3, 2), 0), (Fraction(1, 2), 1), (Fraction(3, 2), 1), (Fraction(7, 2), 2)]
    assert t.points[0].is_global and t.points[0].cs == (-1, 0, -1, 0)
    assert t.euler_characteristic == 0 and t.checks["morse_inequalities_ok"]
    for cp in t.points:
        assert L(np.array(cp.theta)) == pytest.approx(float(cp.loss_exact))
        assert np.allclose(L.gradient(np.array(cp.theta)), 0, atol=1e-9)
        assert int(np.sum(np.linalg.eigvalsh(L.hessian(np.array(cp.theta))) < 0)) == cp.index


def test_aggregated_counts_equal_listing():
    """Convolution of block distributions = counting the listed product points."""
    L = loss_poly(prop5_instance(3, r="1/3"))
    blocks = [BlockResult.from_solve(ix, blk, p1_result(blk)) for ix, blk in independent_blocks(L)]
    listed = table_from_blocks(L, blocks)
    agg = table_from_blocks(L, blocks, max_points=10)
    assert listed.points is not None and agg.points is None and agg.aggregated
    assert listed.counts == agg.counts and listed.levels == agg.levels
    by_level = {}
    for cp in listed.points:
        by_level[(cp.loss_exact, cp.index)] = by_level.get((cp.loss_exact, cp.index), 0) + 1
    assert sum(r["count"] for r in agg.levels) == 64
    assert {(Fraction(r["loss"]), r["index"]): r["count"] for r in agg.levels} == by_level
    assert listed.counts["minima"] == 8 and listed.counts["spurious_minima"] == 7


# --- with the solving backends -----------------------------------------------------------------------------

coef = st.fractions(min_value=-3, max_value=3, max_denominator=3)


@settings(max_examples=15)
@given(coef, coef, coef, coef)
def test_random_p1_losses_agree_with_independent_solver(a, b, c, d):
    """Any p = 1 loss: at most 4 critical points, and the table equals the tan-half-angle solver's."""
    L = TrigPoly(1, {(1,): a, (-1,): b, (2,): c, (-2,): d})
    t = critical_table(L, backend="sympy")
    if L.is_zero():   # a constant loss: one global minimum manifold, the whole circle (issue 24)
        assert t.dimension == 0 and t.reduction.flat == 1 and t.counts["global_minima"] == 1
        return
    ref = table_from_blocks(L, [BlockResult.from_solve((0,), L, p1_result(L))])
    assert t.n_real == ref.n_real <= 4
    assert [(cp.loss_exact, cp.inertia, cp.is_global) for cp in t.points] == \
        [(cp.loss_exact, cp.inertia, cp.is_global) for cp in ref.points]
    assert all(x.loss[0] <= y.loss[1] and y.loss[0] <= x.loss[1] for x, y in zip(t.points, ref.points))
    assert np.allclose([cp.theta for cp in t.points], [cp.theta for cp in ref.points], atol=1e-15)


def test_prop5_small_against_p1_solver():
    L = loss_poly(prop5_instance(2))
    t = critical_table(L, backend="sympy")
    blocks = [BlockResult.from_solve(ix, blk, p1_result(blk)) for ix, blk in independent_blocks(L)]
    ref = table_from_blocks(L, blocks)
    assert [(cp.loss_exact, cp.index, cp.is_global) for cp in t.points] == \
        [(cp.loss_exact, cp.index, cp.is_global) for cp in ref.points]
    assert np.allclose([cp.theta for cp in t.points], [cp.theta for cp in ref.points], atol=1e-12)
    assert t.certification == "exact" and t.n_complex == 16 and t.bounds["multihomogeneous"] >= 16


@pytest.mark.parametrize("p", [1, 2, 3, 4, 6, 8, 12, 16])
def test_prop5_exponentially_many_minima(p):
    t = critical_table(prop5_instance(p), backend="sympy")
    assert t.status == "complete" and t.certification == "exact" and t.complete
    assert t.counts["minima"] == 2 ** p and t.counts["spurious_minima"] == 2 ** p - 1
    assert t.counts["global_minima"] == 1 and t.counts["degenerate"] == 0
    assert t.n_real == 4 ** p and t.counts["by_index"] == {k: math.comb(p, k) * 2 ** p for k in range(p + 1)}
    assert t.min_loss == (0, 0) and t.euler_characteristic == 0
    # the minima values 4r²|ζ|/(2p), ζ ∈ {0,1}^p, with multiplicity C(p, |ζ|)
    mins = {Fraction(r["loss"]): r["count"] for r in t.levels if r["index"] == 0}
    assert mins == {Fraction(4 * j, 4 * 2 * p): math.comb(p, j) for j in range(p + 1)}
    assert (t.points is None) == (4 ** p > 10_000)


def test_prop5_all_p_up_to_16_auto_backend():
    for p in range(1, 17):
        t = critical_table(prop5_instance(p))
        assert (t.counts["minima"], t.counts["spurious_minima"], t.complete) == (2 ** p, 2 ** p - 1, True)
        assert t.certification in ("exact", "verified parametrization")


def test_prop5_degenerate_w_half():
    t = critical_table(prop5_instance(2, r="1/2", s1_copies=2), backend="sympy")
    assert t.n_real == 4 and t.counts["degenerate"] == 3 and t.counts["minima"] == 1
    assert t.euler_characteristic is None and any("degenerate" in n for n in t.notes)
    assert sorted(cp.kind for cp in t.points) == ["degenerate"] * 3 + ["minimum"]
    assert {cp.inertia for cp in t.points if cp.kind == "degenerate"} == {(0, 1, 1), (0, 2, 0)}


def test_constant_and_partly_constant_losses_are_tables_of_manifolds():
    """Idle parameters (issue 24): the table lists the components {θ : Aθ ≡ y*}; a non-linear degeneracy gets a
    table of components (qnnsym.critical.components), or stays positive-dimensional when that is not tried."""
    t = critical_table(TrigPoly(2, {(0, 0): Fraction(1, 3)}), backend="sympy")
    assert t.status == "complete" and t.dimension == 0 and t.reduction.flat == 2 and t.counts["global_minima"] == 1
    t = critical_table(TrigPoly(2, {(1, 0): 1}), backend="sympy")      # θ2 free: circles of critical points
    assert t.complete and t.reduction.idle == (1,) and t.n_real == 2
    assert (t.counts["minima"], t.counts["maxima"]) == (1, 1) and "minimum manifold" in t.to_text("md")
    # (cos φ1 - cos φ2)²: the whole curve φ1 = ±φ2 is critical, detected by the Gröbner basis
    curve = TrigPoly(2, {(0, 0): 1, (2, 0): Fraction(1, 2), (0, 2): Fraction(1, 2), (1, 1): -2})
    t = critical_table(curve, backend="sympy")
    # hand-derived: minimum curves φ1 = ±φ2 (L = 0), maxima at (φ1, φ2) = (0, π), (π, 0) (L = 4), nothing else
    assert t.status == "complete" and t.dimension == 1 and t.points is None and t.certification == "exact"
    rows = sorted((c.kind, c.dimension, c.value) for c in t.components.components if c.real)
    assert rows == [("maximum", 0, 4), ("maximum", 0, 4), ("minimum manifold", 1, 0), ("minimum manifold", 1, 0)]
    from qnnsym.critical.backends.msolve_backend import available

    t = critical_table(curve, backend="msolve" if available() else "homotopy")   # not decomposed: honest status
    assert t.status == "positive-dimensional" and t.dimension == 1 and t.points is None
    d = json.loads(t.to_text("json"))
    assert d["n_real"] is None and d["counts"]["minima"] is None and d["dimension"] == 1


def test_float_loss_rejected():
    # a float loss with no error bound is refused; a float *instance* gets a verified table (test_verified_table)
    with pytest.raises(ValidationError, match="floating-point coefficients without an error bound"):
        critical_table(TrigPoly(1, {(1,): 0.5}))
    with pytest.raises(ValidationError, match="time_limit"):
        critical_table(TrigPoly(1, {(1,): 1}), time_limit=0)


def test_dense_p1_p2_sympy_full_table():
    for p, bound in ((1, 4), (2, 32)):
        t = critical_table(dense_instance(p, seed=0), backend="sympy")
        assert t.certification == "exact" and t.complete
        assert t.n_complex == bound == t.bounds["multihomogeneous"]       # p!·4^p reached
        assert t.euler_characteristic == 0 and t.checks["morse_inequalities_ok"]
        assert t.counts["global_minima"] == 1


def lbfgs_minima(loss, n_starts, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    f = lambda th: float(loss(th))
    g = lambda th: loss.gradient(th)
    for th0 in rng.uniform(0, np.pi, (n_starts, loss.p)):
        r = minimize(f, th0, jac=g, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 2000})
        if r.success and np.min(np.linalg.eigvalsh(loss.hessian(r.x))) > 1e-7:   # a numerical local minimum
            out.append((np.mod(r.x, np.pi), r.fun))
    return out


def assert_minima_in_table(loss, table, n_starts=200):
    mins = [cp for cp in table.points if cp.kind == "minimum"]
    found = lbfgs_minima(loss, n_starts)
    assert len(found) > n_starts // 2
    hit = set()
    for th, val in found:
        d = [np.max(np.abs(((th - np.array(cp.theta)) + np.pi / 2) % np.pi - np.pi / 2)) for cp in mins]
        j = int(np.argmin(d))
        assert d[j] < 1e-5, f"L-BFGS minimum {th} (L = {val}) is not in the table"
        assert val == pytest.approx(float(mins[j].loss[0]), abs=1e-9)
        hit.add(j)
    return hit


def test_lbfgs_minima_in_table_dense_p2():
    L = loss_poly(dense_instance(2, seed=0))
    t = critical_table(L, backend="sympy")
    hit = assert_minima_in_table(L, t)
    assert len(hit) >= 1


@pytest.mark.slow
def test_lbfgs_minima_in_table_dense_p3():
    if not msolve_available():
        pytest.skip("msolve not installed")
    L = loss_poly(dense_instance(3, seed=0))
    t = critical_table(L, backend="msolve")
    assert t.n_complex == 384 and t.complete
    assert_minima_in_table(L, t)


def test_msolve_agrees_with_sympy_p2():
    if not msolve_available():
        pytest.skip("msolve not installed")
    L = loss_poly(dense_instance(2, seed=1))
    a, b = critical_table(L, backend="sympy"), critical_table(L, backend="msolve")
    assert (a.n_complex, a.n_real, a.counts) == (b.n_complex, b.n_real, b.counts)
    for x, y in zip(a.points, b.points):
        assert (x.index, x.is_global) == (y.index, y.is_global)
        assert np.allclose(x.theta, y.theta, atol=1e-12)
        assert x.loss[0] <= y.loss[1] and y.loss[0] <= x.loss[1]


# --- output and CLI ----------------------------------------------------------------------------------------

def test_json_fields_and_formats():
    t = critical_table(prop5_instance(2), backend="sympy")
    d = json.loads(t.to_text("json"))
    for key in ("p", "form", "backend", "certification", "bounds", "n_complex", "n_real", "counts",
                "euler_characteristic", "points", "engine_version", "timings"):
        assert key in d
    assert {"bezout", "multihomogeneous"} <= set(d["bounds"])
    assert {"minima", "spurious_minima", "saddles", "maxima", "degenerate", "by_index"} <= set(d["counts"])
    assert {"theta", "loss", "index", "kind", "global"} <= set(d["points"][0])
    assert d["counts"]["by_index"] == {"0": 4, "1": 8, "2": 4}
    assert t.to_text("csv").splitlines()[0] == "n,theta_1,theta_2,loss,index,kind,global,gap"   # one column per θ_l
    assert "\\begin{tabular}" in t.to_text("latex") and "| n | theta_1 | theta_2" in t.to_text("md")
    # one form per field: global is a bool (None: undecided) in points and levels; enclosures are [lo, hi] arrays
    assert all(isinstance(pt["global"], bool) for pt in d["points"])
    assert all(isinstance(lv["global"], bool) for lv in d["levels"])
    assert all(isinstance(x["loss_interval"], list) and len(x["loss_interval"]) == 2 for x in d["points"] + d["levels"])
    assert isinstance(d["min_loss"], list) and len(d["min_loss"]) == 2


def test_cli_critical(tmp_path, capsys):
    out = tmp_path / "t.json"
    assert cli_main(["critical", "prop5", "--p", "3", "--backend", "sympy", "--format", "json", "-o", str(out)]) == 0
    d = json.loads(out.read_text())
    assert d["counts"]["minima"] == 8 and d["counts"]["spurious_minima"] == 7 and d["certification"] == "exact"
    assert cli_main(["critical", "prop5", "--p", "2", "--param", "s1_copies=2", "--backend", "sympy", "--format", "csv"]) == 0
    assert "degenerate" in capsys.readouterr().out
    assert cli_main(["critical", "prop5", "--p", "2", "--time-limit", "-1"]) == 2
    assert "time-limit" in capsys.readouterr().err
    assert cli_main(["critical", "prop5", "--p", "9", "--max-points", "100"]) == 0
    assert "aggregated" in capsys.readouterr().out


def test_classify_single_result_equals_table():
    from qnnsym.critical import classify, solve_critical

    L = loss_poly(dense_instance(1, seed=2))
    a = classify(L, solve_critical(L, backend="sympy"))
    b = critical_table(L, backend="sympy")
    assert a.counts == b.counts and [cp.loss for cp in a.points] == [cp.loss for cp in b.points]


def test_time_limit_gives_partial_answer():
    """Blocks solved before the limit are kept; the table says what is missing (the limit is measured on a
    clock that advances per reading: one block's worth of readings, whatever the machine's speed)."""
    from qnnsym.budget import TickClock

    pads = [loss_poly(dense_instance(2, seed=s)) for s in range(3)]      # three coupled 2-parameter blocks
    L = sum((TrigPoly(6, {(0,) * 2 * b + h + (0,) * (4 - 2 * b): v for h, v in blk.terms.items()})
             for b, blk in enumerate(pads)), TrigPoly(6, {}))
    assert [ix for ix, _ in independent_blocks(L)] == [(0, 1), (2, 3), (4, 5)]
    t = critical_table(L, backend="sympy", time_limit=25, clock=TickClock(1.0))
    assert t.status == "timed out" and not t.complete and t.n_real is None
    assert 1 <= len(t.blocks) < 3 and any("not solved" in n for n in t.notes)
    d = json.loads(t.to_text("json"))
    assert d["status"] == "timed out" and len(d["blocks"]) == len(t.blocks)
    assert "timed out" in t.to_text("md")