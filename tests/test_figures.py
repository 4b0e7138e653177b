"""Every figure kind, rendered on a small instance, read back from its matplotlib artists and checked
against the certified table (issue 26 §3): a marker's kind and loss are the table's, labels do not
overlap or leave the figure, legends hide no point, caveats are on the picture."""
import json
import re
from fractions import Fraction as F

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from qnnsym.critical.table import critical_table
from qnnsym.landscape.basins import basin_volumes
from qnnsym.landscape.disconnectivity import disconnectivity_tree
from qnnsym.landscape.graph import minima_saddle_graph, product_graph
from qnnsym.landscape.points import blocks_from_table
from qnnsym.landscape.slices import fourier_spectrum
from qnnsym.model.instances import prop5_instance
from qnnsym.report import figures as RF
from qnnsym.sim.experiments import ExperimentResult
import qnnsym.plots as P

from matplotlib.collections import PathCollection


@pytest.fixture
def figs(monkeypatch):
    """The figures drawn during a test (captured at save time, laid out)."""
    got = []
    real = P._save

    def capture(plt, fig, path, **kw):
        fig.canvas.draw()
        fig.test_renderer = fig.canvas.get_renderer()      # kept: closing the figure detaches its canvas
        got.append(fig)
        return real(plt, fig, path, **kw)

    monkeypatch.setattr(P, "_save", capture)
    monkeypatch.setattr(RF, "_save", capture)
    return got


def _table_block(p):
    table = critical_table(prop5_instance(p), backend="sympy")
    return table, blocks_from_table(table)[0]


def _scatter_points(ax):
    """``[(x, y, facecolor, legend label)]`` of every single-point scatter of ``ax``."""
    out = []
    for c in ax.collections:
        if isinstance(c, PathCollection) and len(c.get_offsets()) == 1:
            x, y = c.get_offsets()[0]
            out.append((float(x), float(y), tuple(np.round(c.get_facecolor()[0], 3)), c.get_label()))
    return out


def _color(name):
    from matplotlib.colors import to_rgba
    return tuple(np.round(to_rgba(name), 3))


def _boxes_overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _inside(fig, bb) -> bool:
    W, H = fig.bbox.width, fig.bbox.height
    return bb.x0 >= -0.5 and bb.y0 >= -0.5 and bb.x1 <= W + 0.5 and bb.y1 <= H + 0.5


def test_torus_map_markers_are_the_table(figs, tmp_path):
    table, block = _table_block(2)
    graph = minima_saddle_graph(block, record=5)
    RF.draw_torus_map(block, tmp_path / "map.png", graph=graph)
    fig = figs[-1]
    ax = fig.axes[0]
    marks = _scatter_points(ax)
    assert len(marks) == len(block.points) == table.n_real
    r = fig.test_renderer
    legend = ax.get_legend().get_window_extent(r)
    for x, y, col, _ in marks:
        q = min(block.points, key=lambda q: np.hypot(q.theta[0] - x, q.theta[1] - y))
        assert np.hypot(q.theta[0] - x, q.theta[1] - y) < 1e-9
        key = "global" if q.is_global else q.kind
        assert col == _color(RF.KIND_STYLE[key][1])               # the marker's kind is the table's
        assert abs(float(block.loss(np.array([[x, y]]))[0]) - q.loss) < 1e-9   # and so is its loss
        px = ax.transData.transform((x, y))
        assert not (legend.x0 <= px[0] <= legend.x1 and legend.y0 <= px[1] <= legend.y1), f"legend hides {q.label}"
    for t in ax.texts:                     # each number annotates the point it names
        q = next(q for q in block.points if str(q.label) == t.get_text())
        assert np.allclose(t.xy, q.theta[:2])


def test_slice_plane_markers_are_the_table(figs, tmp_path):
    """prop5 p = 3: global 1, spurious 2 and the saddle between them are collinear; each marker must sit
    where ``L`` has the labelled point's value (it used to label the point (0, 1) 'saddle 6')."""
    table, block = _table_block(3)
    graph = minima_saddle_graph(block)
    RF.draw_slices(block, tmp_path / "s.png", graph=graph)
    plane = json.loads((tmp_path / "s.json").read_text())["plane"]
    ax = next(a for a in figs[-1].axes if a.get_title().startswith("2-D slice"))
    o, u, v = (np.array(plane[k]) for k in ("origin", "u", "v"))
    marks = _scatter_points(ax)
    assert len(marks) == len(plane["through"]) >= 2
    by_label = {q.label: q for q in block.points}
    for a, b, _, lab in marks:
        m = re.match(r"(global minimum|spurious minimum|saddle|maximum|degenerate) (\d+) \(L = ", lab)
        assert m, lab
        q = by_label[int(m.group(2))]
        assert {"global minimum": "minimum", "spurious minimum": "minimum"}.get(m.group(1), m.group(1)) == q.kind
        assert (m.group(1) == "global minimum") == bool(q.is_global)
        assert abs(float(block.loss(np.array([o + a * u + b * v]))[0]) - q.loss) < 1e-9


def test_tree_labels_match_and_do_not_overlap(figs, tmp_path):
    table = critical_table(prop5_instance(3), backend="sympy")
    blocks = blocks_from_table(table, by_block=True)
    tree = disconnectivity_tree(product_graph([minima_saddle_graph(b) for b in blocks]))
    RF.draw_tree(tree, tmp_path / "t.png")
    fig = figs[-1]
    ax = fig.axes[0]
    r = fig.test_renderer
    texts = [t for t in ax.texts if t.get_gid() and t.get_gid().startswith("leaf ")]
    assert len(texts) == len(tree.leaves) == table.counts["minima"]
    boxes = [t.get_window_extent(r) for t in texts]
    for t, bb in zip(texts, boxes):
        leaf = t.get_gid()[5:]
        lines = t.get_text().split("\n")
        assert lines[0] == leaf
        assert t.xy[1] == pytest.approx(tree.leaves[leaf])
        if leaf not in tree.global_minima:
            assert float(lines[1].split()[1]) == pytest.approx(tree.gaps[leaf], rel=0.05)
        assert _inside(fig, bb), f"label {leaf} cut off"
    for i in range(len(boxes)):
        for j in range(i):
            assert not _boxes_overlap(boxes[i], boxes[j]), (texts[i].get_text(), texts[j].get_text())
    # the losses are the table's: the global minimum 0, spurious 1/6 (exact) …
    assert min(tree.leaves.values()) == pytest.approx(0.0, abs=1e-12)


def test_spectrum_points_are_the_coefficients(figs, tmp_path):
    _, block = _table_block(2)
    RF.draw_spectrum(block.loss, tmp_path / "sp.png")
    ax = figs[-1].axes[0]
    rows = fourier_spectrum(block.loss)
    pts = [c for c in ax.collections if isinstance(c, PathCollection)][0].get_offsets()
    assert sorted(float(y) for _, y in pts) == pytest.approx(sorted(r["abs"] for r in rows))
    assert not ax.patches                         # no bars: a log-scale bar has no baseline
    assert min(t.get_fontsize() for t in ax.get_xticklabels()) >= 8
    assert ax.get_ylim()[0] < min(r["abs"] for r in rows)


def test_basins_say_how_many_are_shown(figs, tmp_path):
    table, _ = _table_block(3)
    blocks = blocks_from_table(table)
    res = basin_volumes(blocks, n=300, seed=0)
    RF.draw_basins(res, tmp_path / "b.png", max_bars=5)
    ax = figs[-1].axes[0]
    n_min = table.counts["minima"]
    assert f"5 of {n_min} minima shown" in ax.get_title()
    heights = [p.get_height() for p in ax.patches]
    rows = sorted(res.rows, key=lambda r: r["loss"])[:5]
    assert heights == pytest.approx([r["share"] for r in rows])
    gold = _color("gold")
    assert [tuple(np.round(p.get_facecolor(), 3)) == gold for p in ax.patches] == [bool(r["global"]) for r in rows]


def _experiment(name, opts, ps=(2, 4), identical=True):
    runs, summary = [], []
    rng = np.random.default_rng(0)
    for p in ps:
        base = rng.choice([0.0, 1 / 6, 1 / 3], size=20)
        for k, o in enumerate(opts):
            lf = base if identical or k == 0 else rng.choice([0.0, 1 / 6], size=20)
            runs += [{"p": p, "optimizer": o, "run": i, "loss_init": 0.5, "loss_final": float(x), "success": x == 0}
                     for i, x in enumerate(lf)]
            s = float(np.mean(lf == 0))
            summary.append({"p": p, "optimizer": o, "success_rate": s, "ci95_low": s / 2, "ci95_high": min(1, s * 2),
                            "successes": int(s * 20), "runs": 20})
    return ExperimentResult(name, runs, summary, {"seed": 0, "ps": list(ps)})


def test_figure2_global_minimum_line_is_at_zero(figs, tmp_path):
    P.plot_experiment(_experiment("figure2", ["rmsprop"], ps=(4,)), tmp_path / "f2.png")
    ax = figs[-1].axes[0]
    line = next(l for l in ax.lines if l.get_label().startswith("global minimum"))
    assert set(np.asarray(line.get_xdata(), dtype=float)) == {0.0}


@pytest.mark.parametrize("name", ["figure3", "figure4"])
def test_coinciding_optimizers_are_labelled(figs, tmp_path, name):
    res = _experiment(name, ["adam", "rmsprop", "lbfgs"], identical=True)
    assert res.identical_optimizers() == [("adam", "rmsprop", "lbfgs")]
    res = _experiment(name, ["adam", "rmsprop"], identical=True)
    P.plot_experiment(res, tmp_path / "f.png")
    fig = figs[-1]
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("rmsprop (= adam" in t for t in labels)
    assert any(t.get_gid() == "caveat" and "adam = rmsprop" in t.get_text() for t in fig.texts)
    res = _experiment(name, ["adam", "rmsprop"], identical=False)
    assert res.identical_optimizers() == [] and res.caveats() == []


def test_figure5_carries_its_caveat(figs, tmp_path):
    res = _experiment("figure5", ["rmsprop"], ps=(2, 4))
    P.plot_experiment(res, tmp_path / "f5.png")
    fig = figs[-1]
    assert any("does NOT reproduce the paper's Figure 5" in t.get_text() for t in fig.texts)
    assert all(_inside(fig, t.get_window_extent(fig.test_renderer)) for t in fig.texts)


def test_theorem6_axes_are_labelled(figs, tmp_path):
    rows = [{"p": 1, "d": d, "samples": 5, "frac_independent": 1.0, "frac_gershgorin": 0.5,
             "frac_gershgorin_scaled": 0.6, "lambda_min_median": 0.1 * d} for d in (2, 4, 8)]
    P.plot_theorem6(rows, tmp_path / "t6.png")
    for ax in figs[-1].axes:
        assert ax.get_ylabel() and ax.get_xlabel() and ax.get_title()


def test_basins_coinciding_optimizers_share_one_labelled_line(figs, tmp_path):
    table, _ = _table_block(2)
    res = basin_volumes(blocks_from_table(table), n=100, seed=0)
    same = {"success_rate": 0.25, "ci_low": 0.2, "ci_high": 0.3, "runs": 100}
    RF.draw_basins(res, tmp_path / "b.png", [dict(same, optimizer="adam"), dict(same, optimizer="rmsprop"),
                                             dict(same, optimizer="lbfgs", success_rate=0.3)])
    labels = [t.get_text() for t in figs[-1].axes[0].get_legend().get_texts()]
    assert labels == ["adam = rmsprop success 0.250 (identical runs)", "lbfgs success 0.300"]
