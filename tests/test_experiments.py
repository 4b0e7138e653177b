"""Small, fast versions of the Section-6 experiments and the CLI."""
import json

import numpy as np
import pytest

from qnnsym import ValidationError
from qnnsym.cli.main import main
from qnnsym.model.instances import prop5_instance
from qnnsym.sim.experiments import (encoding_instance, figure2, figure4, figure5, fit_exponential,
                                    gradient_flow_success, label_noise, noisy_instance, separable_minimum)


def test_figure2_levels_success_and_basins():
    res = figure2(starts=60, progress=False)
    (row,) = res.summary
    assert row["runs"] == 60 and row["converged"] == 60 and row["unmatched"] == 0
    lf = np.array([r["loss_final"] for r in res.runs])
    assert np.abs(lf * 8 - np.round(lf * 8)).max() < 1e-9      # levels |ζ|/8 at p = 4
    glob = [r["basin_global"] for r in res.runs]
    assert glob == [r["success"] for r in res.runs]
    assert np.mean([r["loss_init"] for r in res.runs]) > np.mean(lf)


def test_figure4_decay_reproducible_and_close_to_gradient_flow():
    a = figure4(ps=(2, 4, 6), starts=600, optimizers=("rmsprop",), progress=False)
    b = figure4(ps=(2, 4, 6), starts=600, optimizers=("rmsprop",), progress=False)
    assert a.runs == b.runs
    rates = [r["success_rate"] for r in a.summary]
    assert rates[0] > rates[1] > rates[2] > 0
    q = a.meta["fits"]["rmsprop"]["q"]
    assert abs(q - a.meta["gradient_flow_q"]) < 0.06
    assert abs(a.meta["gradient_flow_q"] - np.arccos(-1 / 3) / np.pi) < 1e-12


def test_fit_exponential_recovers_a_known_rate():
    f = fit_exponential([2, 4, 6, 8], [int(1e6 * 0.7 ** p) for p in (2, 4, 6, 8)], [10 ** 6] * 4)
    assert abs(f["q"] - 0.7) < 1e-3 and abs(f["A"] - 1) < 1e-2
    assert fit_exponential([2], [3], [10]) is None


def test_gradient_flow_success_p1_basin():
    assert abs(gradient_flow_success(prop5_instance(1)) - np.arccos(-1 / 3) / np.pi) < 1e-15
    assert gradient_flow_success(encoding_instance(2, m=3)) is None


def test_separable_minimum_against_brute_force():
    inst = noisy_instance(prop5_instance(2), 0.2, np.random.default_rng(0))
    from qnnsym.sim import simulator

    sim = simulator(inst)
    g = np.linspace(0, np.pi, 801)
    T = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    brute = sim.loss(T).min()
    best = separable_minimum(inst)
    assert best <= brute + 1e-12 and brute - best < 1e-4
    assert separable_minimum(encoding_instance(2, m=3)) is None   # coupled (product outputs): no block minimum


def test_label_noise_small():
    res = label_noise(ps=(2, 4), starts=300, noise=0.05, optimizers=("adam",), progress=False)
    assert [r["p"] for r in res.summary] == [2, 4]
    assert res.summary[0]["success_rate"] > res.summary[1]["success_rate"] > 0
    assert res.meta["noise"] == 0.05


def test_figure5_small_and_dataset_definition():
    inst = encoding_instance(3, m=8, seed=4)
    w = np.array(inst.meta["w"])
    assert inst.p == 3 and inst.m == 8 and inst.dim == 8
    res = figure5(ps=(2, 3), starts=6, samples=8, progress=False)
    assert all(r["runs"] == 6 for r in res.summary)
    assert all(r["distinct_minima"] >= 1 for r in res.summary)
    assert len(w) == 6
    with pytest.raises(ValidationError):
        encoding_instance(0)


def test_write_files_and_cli(tmp_path):
    res = figure2(starts=10, progress=False)
    paths = res.write(tmp_path)
    data = json.loads(paths[2].read_text())
    assert data["runs_file"] == "figure2_runs.csv" and data["meta"]["seed"] == 0     # the runs only in the CSV
    assert len(paths[0].read_text().splitlines()) == 1 + 10
    assert paths[0].read_text().startswith("experiment,p,optimizer,run,")
    assert main(["experiment", "figure4", "--p", "2", "4", "--starts", "50", "--optimizer", "adam,lbfgs",
                 "--quiet", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "figure4_summary.csv").exists()
    assert main(["experiment", "figure2", "--optimizer", "nope", "--quiet"]) == 2
    assert main(["experiment", "figure2", "--noise", "0.1", "--quiet"]) == 2
    assert main(["simulate", "prop5", "--p", "2", "--theta", "0.1,0.2", "--grad", "--hessian", "--format", "json",
                 "-o", str(tmp_path / "s.json")]) == 0
    out = json.loads((tmp_path / "s.json").read_text())
    assert len(out["gradient"]) == 2 and len(out["hessian"]) == 2
    assert main(["simulate", "prop5", "--p", "2", "--theta", "0.1"]) == 2


def test_plot_written(tmp_path):
    pytest.importorskip("matplotlib")
    res = figure4(ps=(2, 4), starts=100, optimizers=("rmsprop",), progress=False)
    paths = res.write(tmp_path, plot=True)
    assert paths[-1].suffix == ".png" and paths[-1].stat().st_size > 1000


def test_interrupted_sweep_keeps_finished_runs(monkeypatch, tmp_path):
    import qnnsym.sim.dispatch as simmod

    real = simmod.simulator

    class Interrupting:
        def __init__(self, sim):
            self.sim, self.calls = sim, 0
            self.p, self.labels, self.method = sim.p, sim.labels, sim.method

        def loss_and_grad(self, th):
            self.calls += 1
            if self.calls == 30:
                raise KeyboardInterrupt
            return self.sim.loss_and_grad(th)

    monkeypatch.setattr(simmod, "simulator", lambda inst, method="auto": Interrupting(real(inst, method)))
    res = figure4(ps=(2, 4), starts=40, optimizers=("lbfgs", "adam"), progress=False)
    assert res.meta["interrupted"]
    assert {r["p"] for r in res.summary} == {2} and [r["optimizer"] for r in res.summary] == ["lbfgs"]
    assert 0 < res.summary[0]["runs"] < 40
    assert sum(r["finished"] for r in res.runs) == res.summary[0]["runs"]
    res.write(tmp_path)
    assert (tmp_path / "figure4.json").exists()
