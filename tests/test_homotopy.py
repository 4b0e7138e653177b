"""Homotopy backend (issue 9): cross-checks against the exact engine, honest incompleteness."""
import numpy as np
import pytest

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
    t = critical_table(dense_instance(2, seed=0), backend="homotopy", time_limit=1e-4, workers=1)
    assert t.status != "complete"


def test_time_limit_keeps_what_is_certified():
    """A run stopped by its time limit returns the certified part, says "incomplete: N of B", never complete."""
    t = critical_table(dense_instance(4, seed=0), backend="homotopy", time_limit=8, workers=1)
    assert t.status == "incomplete" and not t.complete and len(t.blocks) == 1
    r = t.blocks[0].result
    n = r.boxes["n_certified"]
    assert 0 < n < 6144 and r.n_complex is None
    assert any(f"incomplete: {n} of 6144 certified (time limit reached)" in x for x in t.notes)
    assert t.n_real == r.boxes["n_real"] == len(t.points)


def test_krawczyk_refuses_wrong_boxes():
    T = float_tensor([np.array([-2, 0, 1], dtype=object)])
    Q = gradient_sum_tensor(T)
    mid = np.array([[2 ** 0.5 + 0j], [2 ** 0.5 + 1e-3 + 0j], [0j]])
    assert krawczyk(T, Q, mid, np.array([1e-9, 1e-9, 0.5])).tolist() == [True, False, False]


def test_tan_tensor_matches_substitution():
    # g = c·s (one pair, no rotation): (1 − t²)·2t
    assert tan_tensor({(1, 1): 1}, 1, rotation=(1, 0)).tolist() == [0, 1, 0, -1, 0]
