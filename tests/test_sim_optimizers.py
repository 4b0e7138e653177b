"""Optimisers (convergence, interruption, validation) and basin matching."""
import numpy as np
import pytest

from qnnsym import ValidationError
from qnnsym.model.instances import prop5_instance
from qnnsym.sim import simulator
from qnnsym.sim.matching import ReferenceTable, basin_frequencies, match_runs
from qnnsym.sim.optimizers import Convergence, label_scale, minimize_batch, uniform_starts


def _minimum_theta(inst, zeta):
    """θ of the prop5 minimum ζ (ζ_l = 1: u_l = π), from the exact angles in meta."""
    a = np.array([np.arctan2(float(eval(s)), float(eval(c))) for c, s in inst.meta["angles"]])
    return ((a + np.pi * np.asarray(zeta)) / 2) % np.pi


@pytest.mark.parametrize("opt", ["adam", "rmsprop", "gd", "lbfgs"])
def test_optimizer_reaches_the_global_minimum_from_its_basin(opt):
    inst = prop5_instance(3)
    sim = simulator(inst)
    th0 = _minimum_theta(inst, [0, 0, 0])[None] + np.array([[0.3, -0.4, 0.2], [-0.2, 0.1, 0.35]])
    res = minimize_batch(sim, th0, opt, progress=False)
    assert res.converged.all() and res.finished.all()
    assert (res.loss < 1e-12).all()
    assert (res.grad_norm <= 1e-7 * label_scale(sim.labels)).all()


def test_spurious_minimum_values_are_the_exact_levels():
    # L at the minimum ζ is 4 w |ζ| / m with w = r² = 1/4, m = 2p (docs/math.md, Prop. 5)
    p = 4
    inst = prop5_instance(p)
    sim = simulator(inst)
    res = minimize_batch(sim, uniform_starts(200, p, 3), "rmsprop", progress=False)
    levels = res.loss * (2 * p)          # = |ζ|
    assert np.abs(levels - np.round(levels)).max() < 1e-9
    assert set(np.round(levels).astype(int)) <= set(range(p + 1))


def test_max_iter_is_reported_as_not_converged():
    sim = simulator(prop5_instance(2))
    res = minimize_batch(sim, uniform_starts(5, 2, 0), "adam", Convergence(max_iter=3), progress=False)
    assert not res.converged.any() and res.finished.all()
    assert set(res.stop) == {"max_iter"}


class _Interrupting:
    """Wraps a simulator; raises KeyboardInterrupt on the ``after``-th gradient call."""

    def __init__(self, sim, after):
        self.sim, self.after, self.calls = sim, after, 0
        self.p, self.labels = sim.p, sim.labels

    def loss_and_grad(self, th):
        self.calls += 1
        if self.calls == self.after:
            raise KeyboardInterrupt
        return self.sim.loss_and_grad(th)


def test_interrupt_keeps_finished_runs():
    sim = simulator(prop5_instance(2))
    res = minimize_batch(_Interrupting(sim, 40), uniform_starts(30, 2, 0), "lbfgs", progress=False)
    assert 0 < res.finished.sum() < 30
    assert set(res.stop[~res.finished]) == {"interrupted"}
    assert (res.loss[res.finished] < 1).all()


def test_optimizer_validation():
    sim = simulator(prop5_instance(2))
    with pytest.raises(ValidationError, match="optimizer"):
        minimize_batch(sim, uniform_starts(2, 2, 0), "sgd-momentum")
    with pytest.raises(ValidationError, match="settings.momentum"):
        minimize_batch(sim, uniform_starts(2, 2, 0), "adam", settings={"momentum": 0.9})
    with pytest.raises(ValidationError, match="theta0"):
        minimize_batch(sim, uniform_starts(2, 3, 0), "adam")
    with pytest.raises(ValidationError, match="gtol"):
        Convergence(gtol=0)


def test_reproducible_from_seed():
    sim = simulator(prop5_instance(3))
    a = minimize_batch(sim, uniform_starts(50, 3, 11), "adam", progress=False)
    b = minimize_batch(sim, uniform_starts(50, 3, 11), "adam", progress=False)
    assert np.array_equal(a.theta, b.theta)


def test_prop5_reference_points_are_critical_with_the_stated_kind():
    inst = prop5_instance(2)
    ref = ReferenceTable.prop5(inst)
    sim = simulator(inst)
    base = np.array([blk[1][0].theta[0] for blk in ref.blocks])   # global minimum
    assert sim.loss(base[None])[0] < 1e-28
    for b, (idx, pts) in enumerate(ref.blocks):
        for pt in pts:
            th = base.copy()
            th[idx[0]] = pt.theta[0]
            L, G = sim.loss_and_grad(th[None])
            assert np.abs(G).max() < 1e-12
            assert abs(L[0] - pt.loss) < 1e-12          # other blocks at their zero minimum
            h = sim.hessian(th[None])[0][idx[0], idx[0]]
            assert (h > 0) == (pt.kind == "minimum")


def test_matching_agrees_with_success_and_reports_unmatched():
    inst = prop5_instance(3)
    sim = simulator(inst)
    ref = ReferenceTable.prop5(inst)
    res = minimize_batch(sim, uniform_starts(300, 3, 5), "rmsprop", progress=False)
    ms = match_runs(res.theta, ref)
    glob = np.array([m.is_global for m in ms])
    assert np.array_equal(glob, res.loss < 1e-8)
    rows = basin_frequencies(ms)
    assert sum(r["runs"] for r in rows) == 300 and all(r["kind"] == "minimum" for r in rows)
    assert len(rows) == 8                                # all 2^3 minima reached
    far = match_runs(np.full((1, 3), 0.123), ref)[0]
    assert far.label is None and far.distance > 1e-3


def test_matching_with_a_certified_table():
    from qnnsym.critical.table import critical_table

    inst = prop5_instance(2)
    table = critical_table(inst, backend="sympy")
    ref = ReferenceTable.from_critical_table(table)
    mine = ReferenceTable.prop5(inst)
    sim = simulator(inst)
    res = minimize_batch(sim, uniform_starts(200, 2, 2), "lbfgs", progress=False)
    a = [m.is_global for m in match_runs(res.theta, ref)]
    b = [m.is_global for m in match_runs(res.theta, mine)]
    assert a == b and None not in a


def test_plateau_schedule_resolves_rmsprop_limit_cycles():
    # noisy p = 6 instance: without reduce-on-plateau ~1 % of RMSProp runs cycled at ‖∇L‖ ≈ 1e-2
    from qnnsym.sim.experiments import _distinct_points, noisy_instance

    inst = noisy_instance(prop5_instance(6), 0.1, np.random.default_rng([0, 6, 1]))
    sim = simulator(inst)
    res = minimize_batch(sim, uniform_starts(3000, 6, 0), "rmsprop", progress=False)
    assert set(res.stop) == {"gtol"}
    assert _distinct_points(res.theta, np.full(6, np.pi)) <= 2 ** 6
