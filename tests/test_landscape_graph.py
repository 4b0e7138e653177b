"""Minima–saddle graph, disconnectivity tree, basins and slices (qnnsym.landscape), against hand answers."""
import math
from fractions import Fraction

import numpy as np
import pytest

from qnnsym import critical_table, load_instance, loss_poly, prop5_instance
from qnnsym.errors import ValidationError
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.landscape import (
    Block,
    LandscapePoint,
    basin_volumes,
    blocks_from_table,
    coordinate_slices,
    disconnectivity_tree,
    fourier_spectrum,
    graph_summary,
    minima_saddle_graph,
    product_graph,
    superbasins,
    torus_grid,
    wilson_interval,
)


def _prop5_blocks(p):
    return blocks_from_table(critical_table(prop5_instance(p), backend="sympy"), by_block=True)


def test_hand_p1_graph_and_tree():
    """Prop. 5, p = 1, r = 1/2 (w = 1/4): L = ½[sin²u + ¼(cos u − 1)²]; minima u = 0 (L = 0) and u = π (L = 1/2),
    two maxima at cos u = −1/3 with L = ½(8/9 + 4/9) = 2/3.  Both maxima join the two minima."""
    (b,) = _prop5_blocks(1)
    G = minima_saddle_graph(b)
    assert sorted(G.nodes) == [1, 2]
    assert G.number_of_edges() == 2 and G.graph["unmatched"] == []
    for u, v, d in G.edges(data=True):
        assert {u, v} == {1, 2}
        assert d["level"] == pytest.approx(2 / 3, abs=1e-12)
        assert sorted(d["barrier_from"].values()) == pytest.approx([1 / 6, 2 / 3], abs=1e-12)
        assert d["barrier"] == pytest.approx(2 / 3, abs=1e-12)
    T = disconnectivity_tree(G)
    assert len(T.merges) == 1 and T.merges[0].level == pytest.approx(2 / 3, abs=1e-12)
    assert T.global_minima == [1] and T.escape_barrier(2) == pytest.approx(1 / 6, abs=1e-12)
    assert T.connected and T.leaf_order() == [1, 2]


def test_hand_p2_product_graph_and_tree():
    """p = 2 (L = ¼ Σ_l [...]): minima 0, 1/4, 1/4, 1/2; every index-1 point has one coordinate at a maximum
    (block level 1/3): 8 saddles; merges at 1/3, 1/3 and 1/4 + 1/3 = 7/12; escape barrier 1/12 for every
    spurious minimum."""
    blocks = _prop5_blocks(2)
    assert len(blocks) == 2
    P = product_graph([minima_saddle_graph(b) for b in blocks])
    s = graph_summary(P)
    assert (s["minima"], s["edges"], s["unmatched"], s["connected"]) == (4, 8, 0, True)
    T = disconnectivity_tree(P)
    assert [m.level for m in T.merges] == pytest.approx([1 / 3, 1 / 3, 7 / 12], abs=1e-12)
    losses = sorted(T.leaves.values())
    assert losses == pytest.approx([0, 0.25, 0.25, 0.5], abs=1e-12)
    for x in T.leaves:
        if x not in T.global_minima:
            assert T.escape_barrier(x) == pytest.approx(1 / 12, abs=1e-12)
    assert [len(g) for g in superbasins(T, 0.3)] == [1, 1, 1, 1]
    assert [len(g) for g in superbasins(T, 0.4)] == [3, 1]
    # the product graph agrees with the graph of the listed product table (all four points in one block)
    full = critical_table(prop5_instance(2), backend="sympy")
    (one,) = blocks_from_table(full)
    assert one.loss == loss_poly(prop5_instance(2)) and len(one.points) == 16
    G1 = minima_saddle_graph(one)
    assert graph_summary(G1)["edges"] == 8 and graph_summary(G1)["connected"]
    assert sorted(d["level"] for *_, d in G1.edges(data=True)) == pytest.approx(
        sorted(d["level"] for *_, d in P.edges(data=True)), abs=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dense_p2_every_saddle_two_matched_descents(seed):
    t = critical_table(load_instance("dense", p=2, seed=seed))
    (b,) = blocks_from_table(t)
    G = minima_saddle_graph(b)
    desc = G.graph["descents"]
    ts = [q.label for q in b.points if q.index == 1]
    assert sorted({r.saddle for r in desc}) == sorted(ts)
    for s in ts:
        rs = [r for r in desc if r.saddle == s]
        assert len(rs) == 2 and {r.sign for r in rs} == {1, -1}
        assert all(r.minimum is not None for r in rs), [r.reason for r in rs]
    s = graph_summary(G)
    assert s["unmatched"] == 0 and s["connected"] and s["edges"] == len(ts)
    # the two ends of each edge are minima of the table, and the saddle is above both
    for u, v, d in G.edges(data=True):
        assert d["level"] > G.nodes[u]["loss"] and d["level"] > G.nodes[v]["loss"]


def test_unmatched_descent_is_reported_with_its_reason():
    """Drop the global minimum from a dense p = 2 list: descents that end there are 'unmatched' with a reason."""
    t = critical_table(load_instance("dense", p=2, seed=0))
    (b,) = blocks_from_table(t)
    glob = next(q for q in b.points if q.is_global)
    crippled = Block(b.indices, b.loss, [q for q in b.points if q.label != glob.label])
    G = minima_saddle_graph(crippled, max_steps=20000)
    um = G.graph["unmatched"]
    assert um, "descents into the missing minimum must be unmatched"
    for r in um:
        assert r.minimum is None and r.reason
        assert np.max(np.abs(((np.array(r.end) - glob.theta) + np.pi / 2) % np.pi - np.pi / 2)) < 1e-3
    assert graph_summary(G)["unmatched"] == len(um)


def test_basins_prop5_closed_form_and_reproducible():
    """Gradient flow on Prop. 5: the global basin is (arccos(−w/(1−w))/π)^p (sim.experiments.gradient_flow_success)."""
    blocks = _prop5_blocks(3)
    r = basin_volumes(blocks, n=3000, seed=1)
    w = 0.25
    want = (math.acos(-w / (1 - w)) / math.pi) ** 3
    lo, hi = r.global_ci
    assert lo <= want <= hi
    sc = r.sum_check()
    assert sc["sum_shares"] == 1.0 and sc["ok"] and r.unmatched == 0
    assert len(r.rows) == 8 and sum(x["count"] for x in r.rows) == 3000
    r2 = basin_volumes(blocks, n=3000, seed=1, batch=700)
    assert [x["count"] for x in r2.rows] == [x["count"] for x in r.rows]


def test_paired_flux_explains_lbfgs_vs_flow():
    """Same starts, two methods: Adam follows the flow (no run leaves its start's basin, so its success
    rate is the flow share of its starts); L-BFGS's success is that share plus the net flux of runs
    whose steps crossed into another basin — the identity holds run by run, not only on average."""
    from qnnsym.report.analysis import optimizer_success

    blocks = _prop5_blocks(2)
    rows = {r["optimizer"]: r for r in optimizer_success(prop5_instance(2), 0.0, ["adam", "lbfgs"], starts=400,
                                                          seed=3, blocks=blocks)}
    for r in rows.values():
        paired = r["starts_in_global_basin"] + r["into_global"] - r["out_of_global"]
        assert abs(r["success_rate"] - paired) < 1e-12, r
    assert rows["adam"]["left_start_basin"] <= 0.01 and rows["adam"]["into_global"] <= 0.01
    assert rows["lbfgs"]["left_start_basin"] >= 0.02          # measured 0.08 on 2000 starts
    assert rows["lbfgs"]["into_global"] > rows["lbfgs"]["out_of_global"]
    assert rows["adam"]["starts_in_global_basin"] == rows["lbfgs"]["starts_in_global_basin"]   # the same starts


def test_basins_single_minimum_everything():
    L = TrigPoly(1, {(0,): 1, (1,): -1})
    b = Block((0,), L, [LandscapePoint(1, (0.0,), 0, 0.0, "minimum", True),
                        LandscapePoint(2, (math.pi / 2,), 1, 2.0, "maximum")])
    r = basin_volumes([b], n=500, seed=0)
    assert r.global_share == 1.0 and r.rows[0]["count"] == 500
    with pytest.raises(ValidationError, match="samples"):
        basin_volumes([b], n=0)


def test_wilson():
    lo, hi = wilson_interval(0, 100)
    assert lo == 0.0 and 0.03 < hi < 0.04


def test_slices_and_spectrum_by_hand():
    L = TrigPoly(2, {(0, 0): 1, (1, 0): Fraction(1, 2), (1, -1): Fraction(1, 4)})   # 1 + ½cos φ1 + ¼cos φ1 sin φ2
    xs, ys, Z = torus_grid(L, n=8)
    a, b = 3, 5
    th = np.array([xs[a], ys[b]])
    want = 1 + 0.5 * math.cos(2 * th[0]) + 0.25 * math.cos(2 * th[0]) * math.sin(2 * th[1])
    assert Z[b, a] == pytest.approx(want)
    ts, V = coordinate_slices(L, [0.0, 0.0], n=10)
    assert V.shape == (2, 10) and V[1] == pytest.approx([1.5 + 0.25 * math.sin(2 * t * math.pi) for t in ts])
    rows = {r["k"]: r for r in fourier_spectrum(L)}
    assert rows[(0, 0)]["abs"] == 1.0 and rows[(1, 0)]["abs"] == 0.25     # ½cos φ1 = ¼e^{iφ1} + ¼e^{−iφ1}
    assert rows[(1, 1)]["abs"] == pytest.approx(1 / 16) and len(rows) == 4  # ¼cos φ1 sin φ2: four terms 1/16
    with pytest.raises(ValidationError, match="torus map"):
        torus_grid(TrigPoly(1, {(1,): 1}))


def test_blocks_from_table_refuses_partial_and_non_tables():
    with pytest.raises(ValidationError, match="CriticalTable"):
        blocks_from_table(object())


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_dense_p3_every_saddle_two_matched_descents(seed):
    t = critical_table(load_instance("dense", p=3, seed=seed))
    (b,) = blocks_from_table(t)
    G = minima_saddle_graph(b)
    s = graph_summary(G)
    assert s["descents"] == 2 * s["transition_states"]
    assert s["unmatched"] == 0 and s["connected"]
