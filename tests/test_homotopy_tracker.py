"""The homotopy tracker (issue 25): evaluation counts, the F-only evaluation, the GEMM loss jet, completeness."""
import itertools

import numpy as np
import pytest

from qnnsym.critical import homotopy as H
from qnnsym.critical.dense import dense_instance
from qnnsym.critical.homotopy import (GradientTarget, StartSystem, gradient_target, hessian_jet, start_system,
                                      track_paths)
from qnnsym.critical.system import critical_system
from qnnsym.critical.table import critical_table
from qnnsym.exact.krawczyk import float_tensor, jet
from qnnsym.exact.tanform import ROTATION, tan_system, tan_tensor
from qnnsym.expansion import loss_poly


def _naive_jet(A, x):
    """Value, gradient and Hessian of ``Σ_k A[k] Π_j x_j^{k_j}`` term by term (no shared work)."""
    p = A.ndim
    v, g, Hs = 0j, np.zeros(p, complex), np.zeros((p, p), complex)
    for k in itertools.product(*(range(K) for K in A.shape)):
        a = A[k]
        if not a:
            continue
        mono = lambda e: np.prod([x[j] ** e[j] if e[j] >= 0 else 0 for j in range(p)])  # noqa: E731
        v += a * mono(k)
        for i in range(p):
            e = list(k)
            e[i] -= 1
            g[i] += a * k[i] * mono(e)
            for j in range(p):
                f = list(e)
                f[j] -= 1
                Hs[i, j] += a * k[i] * e[j] * mono(f)
    return v, g, Hs


@pytest.mark.parametrize("shape", [(4,), (3, 2), (2, 3, 4), (3, 1, 2, 3), (2, 2, 2, 2, 3), (2,) * 6])
def test_hessian_jet_equals_the_term_by_term_derivatives(shape):
    rng = np.random.default_rng(len(shape))
    A = rng.integers(-3, 4, size=shape).astype(float)
    x = rng.normal(size=(5, len(shape))) + 1j * rng.normal(size=(5, len(shape)))
    v, g, Hs = hessian_jet(A, x)
    v1, g1, none = hessian_jet(A, x, order=1)
    assert none is None and np.array_equal(v, v1) and np.allclose(g, g1, rtol=1e-13, atol=1e-13)
    for n in range(len(x)):
        nv, ng, nH = _naive_jet(A, x[n])
        s = 1 + abs(nv) + np.abs(ng).max() + np.abs(nH).max()
        assert abs(v[n] - nv) <= 1e-12 * s and np.abs(g[n] - ng).max() <= 1e-12 * s
        assert np.abs(Hs[n] - nH).max() <= 1e-12 * s


def _dense_target(p, seed=0):
    system = critical_system(loss_poly(dense_instance(p, seed=seed)))
    tens, d = tan_system(system.gradient, p, ROTATION)
    T = float_tensor(tens)
    Tn = T / np.abs(T).reshape(p, -1).max(axis=1).reshape((p,) + (1,) * p)
    D = list(system.loss.degrees())
    target = gradient_target(float_tensor([tan_tensor(system.loss.cs_terms(), p, D, ROTATION)])[0], D, Tn)
    return Tn, target, start_system(2 * np.array(d), seed=seed)


@pytest.mark.parametrize("p", [2, 3, 4])
def test_value_only_evaluation_equals_the_jets_value(p):
    """``GradientTarget.value`` (value + gradient of the loss only) is the ``F`` of ``GradientTarget.jet`` and
    of the tan system's tensors; ``StartSystem.value`` is the ``G`` of ``StartSystem.evaluate``."""
    Tn, target, S = _dense_target(p)
    assert isinstance(target, GradientTarget)
    rng = np.random.default_rng(p)
    x = rng.normal(size=(9, p)) + 1j * rng.normal(size=(9, p))
    F, J = target.jet(x)
    FT, JT = jet(Tn, x)
    scale = np.abs(FT).max()
    assert np.abs(target.value(x) - F).max() <= 1e-13 * scale
    assert np.abs(F - FT).max() <= 1e-9 * scale and np.abs(J - JT).max() <= 1e-9 * np.abs(JT).max()
    G, JG = S.evaluate(x)
    assert np.abs(S.value(x) - G).max() <= 1e-13 * np.abs(G).max()
    h = 1e-7
    for j in range(p):              # ∂G/∂t_j against a difference quotient
        num = (S.value(x + h * np.eye(p)[j]) - G) / h
        assert np.abs(num - JG[:, :, j]).max() <= 1e-5 * np.abs(JG).max()


def test_evaluation_counts_on_a_straight_line_path_by_hand():
    """``F = t − 1/2``, ``G = t − b``, ``γ = 1``: the path ``t(τ) = (1 − τ)b + τ/2`` is a straight line, which
    every predictor (Euler, then Hermite) hits exactly and one Newton step confirms.  By hand, with steps of
    ``1/4``: one evaluation with Jacobian for the start velocity, then two per step (the Newton step at the
    prediction and the second one, whose Jacobian gives the velocity), and no value-only evaluation."""
    T = np.array([[-0.5, 1.0]])
    S = StartSystem(np.array([[1]]), np.array([[0.25 + 0j]]), 1.0 + 0j)
    counts = {}
    t, status, steps = track_paths(T, S, np.array([[0.25 + 0j]]), h0=0.25, hmax=0.25, counts=counts)
    assert status.tolist() == [0] and steps.tolist() == [4] and abs(t[0, 0] - 0.5) < 1e-14
    assert counts["jets"].tolist() == [1 + 2 * 4] and counts["values"].tolist() == [0]


def test_evaluation_counts_equal_the_evaluations_made(monkeypatch):
    """On a dense ``p = 2`` system the per-path counts add up to the points the tracker evaluated, counted
    independently by wrapping its two evaluation functions."""
    Tn, target, S = _dense_target(2, seed=1)
    made = {"jets": 0, "values": 0}
    full, value = H._H, H._H_value

    def count_full(T, S, t, tau):
        made["jets"] += len(t)
        return full(T, S, t, tau)

    def count_value(T, S, t, tau):
        made["values"] += len(t)
        return value(T, S, t, tau)

    monkeypatch.setattr(H, "_H", count_full)
    monkeypatch.setattr(H, "_H_value", count_value)
    counts = {}
    _, status, steps = track_paths(target, S, S.solutions(), counts=counts)
    assert (status == 0).all()
    assert int(counts["jets"].sum()) == made["jets"] and int(counts["values"].sum()) == made["values"]
    assert made["values"] > 0                               # the chord step was exercised
    # at least one Newton step per step, plus the start velocity
    assert (counts["jets"] >= steps + 1).all() and (counts["jets"] <= 2 * steps + 1).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dense_p3_every_solution_certified_in_one_round(seed):
    """The tracker alone reaches all 384 = 3!·4³ solutions of dense p = 3 systems: count = bound, with no
    re-tracking round, and the backend reports its evaluations per path."""
    t = critical_table(dense_instance(3, seed=seed), backend="homotopy", workers=1)
    r = t.blocks[0].result
    st = r.boxes["stats"]
    assert r.complete and r.boxes["n_certified"] == r.boxes["bound"] == 384
    assert st["rounds"] == 1 and st["tracked"] == 384
    assert 0 < st["jets_mean"] <= st["evals_mean"] <= 3 * st["steps_mean"] + 1
    assert st["batches_tracked"] == 2             # default_batch(384) = 256: batches of 256 and 128


def test_a_rejected_step_shrinks_to_the_error_estimate():
    """The step size follows the predictor's error estimate with the exponent of its order (1 for the Euler
    first step), shrinking by up to 10× on a rejection: from a far too large ``h0 = 0.5`` every path of a
    dense p = 2 system accepts its first step within 4 tries (halving, ``0.5 → 0.25 → 0.125 → …``, moves
    none of them in 4 tries), and still reaches every solution."""
    Tn, target, S = _dense_target(2, seed=1)
    starts = S.solutions()
    t, status, steps = track_paths(target, S, starts, h0=0.5, max_steps=4)
    assert (status == 1).all() and (steps == 4).all()
    assert (np.abs(t - starts).max(axis=1) > 0).all()          # a step was accepted on every path
    ends, status, _ = track_paths(target, S, starts, h0=0.5)
    assert (status == 0).all()
    ref, status, _ = track_paths(target, S, starts)
    assert (status == 0).all() and np.allclose(ends, ref, rtol=1e-6, atol=1e-6)


def test_conjugates_of_a_starved_run_are_certified_once():
    """40 of 384 paths at dense p = 3: each certified non-real box brings its conjugate (proved by Krawczyk,
    listed once: only conjugates not yet listed are proved and added)."""
    from qnnsym.critical.backends import homotopy_backend as hb
    from qnnsym.critical.backends.common import Budget

    system = critical_system(loss_poly(dense_instance(3, seed=0)))
    res = hb.solve_homotopy(system, Budget(None), workers=1, max_paths=40)
    mid, rad, chart = res.boxes["mid"], res.boxes["radius"], res.boxes["chart"]
    n = res.boxes["n_certified"]
    assert 40 < n <= 80 and not res.complete
    boxes = hb._Boxes(3)
    boxes.add(mid, rad, chart, np.arange(n))
    assert len(boxes) == n and boxes.listed(mid, rad, chart).all()
    conj = boxes.listed(mid.conj(), rad, chart)
    assert conj.all()                                   # every conjugate is in the list already
    assert not boxes.listed(mid + 0.01, rad, chart).any()
    before = len(boxes)
    hb._add_conjugates(float_tensor(tan_system(system.gradient, 3, ROTATION)[0]), boxes)
    assert len(boxes) == before                         # nothing new: no duplicate conjugates
    # one box of each non-real pair (and the real ones): _add_conjugates proves and adds the other halves
    half = hb._Boxes(3)
    upper = (mid.imag[:, 0] > 0) | (np.abs(mid.imag).max(axis=1) == 0)
    half.add(mid[upper], rad[upper], chart[upper], np.arange(int(upper.sum())))
    hb._add_conjugates(float_tensor(tan_system(system.gradient, 3, ROTATION)[0]), half)
    assert len(half) == n and half.listed(mid, rad, chart).all()


def test_owners_finds_the_listed_box_of_each_duplicate_endpoint():
    """The nearest listed box of each duplicate endpoint (k-d tree) is the one a brute-force scan finds."""
    from qnnsym.critical.backends.homotopy_backend import _Boxes, _owners

    rng = np.random.default_rng(3)
    boxes = _Boxes(4)
    boxes.tmid = rng.normal(size=(300, 4)) + 1j * rng.normal(size=(300, 4))
    pick = rng.integers(0, 300, size=40)
    t = boxes.tmid[pick] + 1e-7 * (rng.normal(size=(40, 4)) + 1j * rng.normal(size=(40, 4)))
    brute = [int(np.argmin(np.abs(boxes.tmid - m).max(axis=1))) for m in t]
    assert _owners(boxes, t) == brute == [int(i) for i in pick]
    assert _owners(boxes, np.zeros((0, 4), dtype=complex)) == []
