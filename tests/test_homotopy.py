"""Homotopy backend (issue 9): cross-checks against the exact engine, honest incompleteness."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qnnsym.critical.backends.common import Budget
from qnnsym.critical.backends.homotopy_backend import solve_homotopy
from qnnsym.critical.dense import dense_instance
from qnnsym.critical.system import critical_system
from qnnsym.critical.table import critical_table
from qnnsym.exact.krawczyk import float_tensor, gradient_sum_tensor, krawczyk
from qnnsym.exact.tanform import tan_tensor
from qnnsym.expansion import loss_poly


def _rows(t):
    return sorted((cp.index, round(float(sum(cp.loss) / 2), 9)) for cp in t.points)


@pytest.mark.parametrize("p,seed", [(1, 0), (2, 0), (2, 3)])
def test_homotopy_table_equals_exact(p, seed):
    inst = dense_instance(p, seed=seed)
    h = critical_table(inst, backend="homotopy", workers=1)
    e = critical_table(inst, backend="sympy")
    assert h.status == "complete" and h.certification == "numeric"
    assert h.n_complex == e.n_complex and h.n_real == e.n_real
    assert _rows(h) == _rows(e)
    th = sorted(tuple(round(x, 7) for x in cp.theta) for cp in h.points)
    te = sorted(tuple(round(x, 7) for x in cp.theta) for cp in e.points)
    assert th == te


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_homotopy_p3_equals_msolve(seed):
    inst = dense_instance(3, seed=seed)
    h = critical_table(inst, backend="homotopy")
    e = critical_table(inst, backend="msolve")
    assert h.status == "complete" and h.n_complex == 384
    assert _rows(h) == _rows(e)


def test_starved_tracking_is_incomplete():
    S = critical_system(loss_poly(dense_instance(2, seed=0)))
    res = solve_homotopy(S, Budget(None), workers=1, max_paths=10)
    assert not res.complete and res.n_complex is None
    assert any("incomplete" in n and "of 32 certified" in n for n in res.notes)
    t = critical_table(dense_instance(2, seed=0), backend="homotopy", time_limit=1e-9, workers=1)
    assert t.status != "complete"


def test_time_limit_keeps_what_is_certified():
    """A run stopped by its time limit returns the certified part, says "incomplete: N of B", never complete.

    The limit is measured on an injected clock that advances per reading, so the cut falls at the same
    place on a fast idle machine and on a loaded one."""
    from qnnsym.budget import Budget, TickClock
    from qnnsym.critical.table import classify

    loss = loss_poly(dense_instance(4, seed=0))
    r = solve_homotopy(critical_system(loss), Budget(8, clock=TickClock(0.05)), workers=1)
    n = r.boxes["n_certified"]
    assert 0 < n < 6144 and r.n_complex is None and not r.complete
    assert any(f"incomplete: {n} of 6144 certified (time limit reached)" in x for x in r.notes)
    t = classify(loss, r)
    assert t.status == "incomplete" and not t.complete and len(t.blocks) == 1
    assert any(f"incomplete: {n} of 6144 certified (time limit reached)" in x for x in t.notes)
    assert t.n_real == r.boxes["n_real"] == len(t.points)


def test_real_time_limit_that_cannot_be_met():
    """The wall-clock path itself: a limit no machine meets gives a partial table, never "complete"."""
    t = critical_table(dense_instance(3, seed=0), backend="homotopy", time_limit=1e-9, workers=1)
    assert t.status != "complete" and not t.complete


def test_krawczyk_refuses_wrong_boxes():
    T = float_tensor([np.array([-2, 0, 1], dtype=object)])
    Q = gradient_sum_tensor(T)
    mid = np.array([[2 ** 0.5 + 0j], [2 ** 0.5 + 1e-3 + 0j], [0j]])
    assert krawczyk(T, Q, mid, np.array([1e-9, 1e-9, 0.5])).tolist() == [True, False, False]


def test_tan_tensor_matches_substitution():
    # g = c·s (one pair, no rotation): (1 − t²)·2t
    assert tan_tensor({(1, 1): 1}, 1, rotation=(1, 0)).tolist() == [0, 1, 0, -1, 0]


def test_rotated_coordinates_are_the_same_homotopy():
    """The rotated tensor and start system are ``Π_j (1 − r_j x_j)^{K_j−1}`` times the originals at
    ``t = (x + r)/(1 − r x)``, so tracking in either coordinates ends at the same solutions."""
    from qnnsym.critical.homotopy import (from_rotated, rotated_start, rotated_tensor, start_system, to_rotated,
                                          track_paths)
    from qnnsym.exact.krawczyk import jet

    rng = np.random.default_rng(0)
    K = (5, 4, 5)
    T = rng.normal(size=(3,) + K)
    S = start_system(np.array([[4, 2, 4], [4, 3, 2], [2, 3, 0]]), seed=1)
    r = (0.7, -1.3, 2.0)
    Tr, Sr = rotated_tensor(T, r), rotated_start(S, r, K)
    x = rng.normal(size=(6, 3)) + 1j * rng.normal(size=(6, 3))
    t = from_rotated(x, r)
    w = np.prod([(1 - r[j] * x[:, j]) ** (K[j] - 1) for j in range(3)], axis=0)[:, None]
    F, _ = jet(T, t)
    Fr, _ = jet(Tr, x)
    G, _ = S.evaluate(t)
    Gr, JGr = Sr.evaluate(x)
    assert np.abs(Fr - w * F).max() <= 1e-12 * np.abs(Fr).max()
    assert np.abs(Gr - w * G).max() <= 1e-12 * np.abs(Gr).max()
    h = 1e-7
    num = (Sr.evaluate(x + h * np.eye(3)[1])[0] - Gr) / h
    assert np.abs(num - JGr[:, :, 1]).max() <= 1e-5 * np.abs(JGr).max()
    assert np.allclose(to_rotated(t, r), x)
    # a dense p = 2 system: both coordinates track every path to the same endpoint
    from qnnsym.exact.tanform import ROTATION, tan_system
    sysm = critical_system(loss_poly(dense_instance(2, seed=1)))
    tens, d = tan_system(sysm.gradient, 2, ROTATION)
    T2 = float_tensor(tens)
    S2 = start_system(2 * np.array(d), seed=3)
    starts = S2.solutions()
    a, sa, _ = track_paths(T2, S2, starts)
    r2 = (0.5, 1.7)
    b, sb, _ = track_paths(rotated_tensor(T2, r2), rotated_start(S2, r2, T2.shape[1:]), to_rotated(starts, r2))
    b = from_rotated(b, r2)
    both = (sa == 0) & (sb == 0)
    assert both.sum() >= len(starts) - 2
    assert np.allclose(a[both], b[both], rtol=1e-6, atol=1e-6)


@given(st.floats(1e-3, 0.5), st.floats(0, 1e-15))
def test_paths_reach_tau_one_exactly(h, eps):
    """Steps of ``h`` end on τ = 1 exactly, with no sliver step: ``0.19999999999999998`` five times used
    to stop at ``1 − 1.1e-16`` and collapse the path's step."""
    from qnnsym.critical.homotopy import tau_step
    tau, hs = np.zeros(1), np.full(1, h - eps)
    for _ in range(int(1 / h) + 3):
        dt, tau = tau_step(tau, hs)
        assert dt[0] >= min(h - eps, 1e-6)
        if tau[0] >= 1:
            break
    assert tau[0] == 1.0


def test_tau_step_regression():
    from qnnsym.critical.homotopy import tau_step
    tau, h = np.zeros(1), np.full(1, 0.19999999999999998)
    for _ in range(5):
        _, tau = tau_step(tau, h)
    assert tau[0] == 1.0


def test_unresolved_paths_are_named():
    S = critical_system(loss_poly(dense_instance(2, seed=0)))
    res = solve_homotopy(S, Budget(None), workers=1, max_paths=10)
    assert any(n.startswith("unresolved paths") and "22 —" in n for n in res.notes)
