"""Extremal landscapes (issue 13): float counter vs certified tables, bounds, the search and its CLI."""
from __future__ import annotations

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest

from qnnsym.certify.checker.check import check_certificate
from qnnsym.cli.main import main
from qnnsym.construct.extremal import (
    certify_candidate,
    float_score,
    instance_from_matrix,
    minima_bounds,
    morse_minima_cap,
    search_minima,
)
from qnnsym.critical import critical_table, dense_instance, dense_residuals
from qnnsym.sim.dense_count import count_minima, dense_loss_grad_hess, residual_matrix


@pytest.mark.parametrize("p,seed", [(1, 0), (1, 3), (2, 0), (2, 1), (2, 2), (2, 5)])
def test_float_counter_matches_the_certified_table(p, seed):
    a, b = dense_residuals(p, seed=seed)
    float_count = count_minima(residual_matrix(a, b), starts=256, seed=seed).n_minima
    table = critical_table(dense_instance(p, seed=seed))
    assert table.complete and table.counts["degenerate"] == 0
    assert float_count == table.counts["minima"]


def test_float_derivatives_are_the_loss_derivatives():
    rng = np.random.default_rng(0)
    W = rng.integers(-3, 4, size=(6, 9)).astype(float)
    x = rng.uniform(0, 6, size=(1, 2))
    L, g, H = dense_loss_grad_hess(W, x)
    h = 1e-6
    for j in range(2):
        e = np.zeros((1, 2))
        e[0, j] = h
        Lp, gp, _ = dense_loss_grad_hess(W, x + e)
        Lm, gm, _ = dense_loss_grad_hess(W, x - e)
        assert abs((Lp - Lm)[0] / (2 * h) - g[0, j]) < 1e-5 * max(1, abs(g[0, j]))
        assert np.allclose((gp - gm)[0] / (2 * h), H[0, :, j], atol=1e-4)


def test_p1_hand_answer_two_minima():
    # L is a trig polynomial of degree 2 in φ: L' has at most 4 zeros on the circle, minima and maxima
    # alternate, so at most 2 minima; Proposition 5 (p = 1) reaches 2.
    assert minima_bounds(1)["best"] == 2
    rng = np.random.default_rng(1)
    assert max(count_minima(rng.integers(-3, 4, size=(4, 3)), starts=64).n_minima for _ in range(40)) <= 2
    res = search_minima(1, rounds=1, steps=10, starts=32, chains=1, workers=1)
    assert res.best["count"] == 2


def _morse_cap_brute_force(p: int, n: int) -> int:
    """max c_0 over integer (c_0..c_p) with Σ c_k ≤ n, Σ(−1)^k c_k = 0, c_k ≥ C(p, k)."""
    from math import comb

    best = -1
    for cs in itertools.product(*[range(comb(p, k), n + 1) for k in range(p + 1)]):
        if sum(cs) <= n and sum((-1) ** k * c for k, c in enumerate(cs)) == 0:
            best = max(best, cs[0])
    return best


def test_bounds_p1_p2():
    b1, b2 = minima_bounds(1), minima_bounds(2)
    assert (b1["theorem7"], b1["multihomogeneous"], b1["morse"]) == (4, 4, 2)
    assert (b2["theorem7"], b2["multihomogeneous"], b2["morse"]) == (64, 32, 15)
    for p, n in [(1, 4), (1, 9), (2, 32), (2, 13), (3, 24)]:
        assert morse_minima_cap(p, n) == _morse_cap_brute_force(p, n), (p, n)


def test_realisable_instances_have_global_minimum_exactly_zero():
    from qnnsym.construct.extremal import _project

    rng = np.random.default_rng(3)
    W = _project(rng.integers(-3, 4, size=(6, 9)).astype(float), "realisable")
    inst = instance_from_matrix(W.astype(int), "realisable")
    from qnnsym.expansion import loss_poly

    L = loss_poly(inst)
    assert L.evaluate_cs([(Fraction(1), Fraction(0))] * 2) == 0        # y_k = f(ρ_k, 0): L(0) = 0 exactly
    assert L.evaluate_cs([(Fraction(0), Fraction(1))] * 2) != 0
    _, table, count = certify_candidate(W.astype(int), "realisable")
    assert table.min_loss == (0, 0)
    assert count == table.counts["minima"] - table.counts["global_minima"]
    assert float_score(W, "realisable", starts=256) == count


def test_cli_tiny_budget_writes_a_checked_record(tmp_path, capsys):
    out = tmp_path / "run"
    rc = main(["search", "minima", "--p", "2", "--rounds", "1", "--steps", "3", "--starts", "64", "--chains", "1",
               "--workers", "1", "--out", str(out), "--no-progress"])
    assert rc == 0
    state = json.loads((out / "state.json").read_text())
    best = state["best"]
    assert (out / best["instance"]).is_file() and best["instance"].endswith(".instance.json")
    verdicts = check_certificate(out / best["certificate"])
    assert all(v.ok for v in verdicts)
    cert = json.loads((out / best["certificate"]).read_text())
    assert cert["summary"]["minima"] == best["count"]
    assert "best certified" in capsys.readouterr().out


@pytest.mark.parametrize("argv,needle", [
    (["search", "minima", "--p", "0"], "--p"),
    (["search", "minima", "--p", "9"], "--p"),
    (["search", "bounds", "--p", "0"], "--p"),
    (["search", "minima", "--p", "2", "--m", "0"], "--m"),
    (["search", "minima", "--p", "2", "--resume"], "--resume"),
])
def test_bad_input_is_a_clear_error(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and needle in err and "Traceback" not in err


def test_resume_continues_the_same_search(tmp_path):
    kw = dict(steps=4, starts=48, chains=2, workers=1)
    one = search_minima(2, rounds=1, out=tmp_path / "a", **kw)
    assert one.rounds == 1
    two = search_minima(2, rounds=1, out=tmp_path / "a", resume=True, **kw)
    fresh = search_minima(2, rounds=2, out=tmp_path / "b", **kw)
    assert two.rounds == 2 and two.scored == fresh.scored
    assert [h["float_best"] for h in two.history] == [h["float_best"] for h in fresh.history]
    with pytest.raises(Exception, match="other parameters"):
        search_minima(2, rounds=1, out=tmp_path / "a", resume=True, steps=5, starts=48, chains=2, workers=1)


def test_bounds_cli(capsys):
    assert main(["search", "bounds", "--p", "1", "2", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["Morse cap"] for r in rows] == [2, 15] and rows[1]["p!·4^p (multihomogeneous)"] == 32
