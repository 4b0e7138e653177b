"""The experiments of Section 6 (Figures 2–5) and the label-noise sweep (Sect. E.3).

Every experiment trains from starts uniform in ``[0, 2π]^p`` (the paper's initialisation),
reproducible from one seed (the starts of a given ``p`` are shared by all optimisers), and returns
an :class:`ExperimentResult`: one row per run, one summary row per ``(p, optimizer)``, and the
metadata (hyper-parameters, tolerances, timings, fits).  Hyper-parameters and the precise
definitions (success, Figure 5's dataset and ansatz) are in ``docs/experiments.md``.

Success: the run converged (``‖∇L‖_∞ ≤ gtol·s``) and ``L(θ_f) − L_min ≤ success_tol · s`` with
``s`` the label scale (:func:`~qnnsym.sim.optimizers.label_scale`).  ``L_min`` is exact (0) for the
Proposition-5 instances, computed block by block for the separable noisy ones, and the best loss
found over all runs for Figure 5 (stated in the output as ``reference``).
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..errors import ValidationError
from ..exact.opmatrix import OpMatrix
from ..exact.paulis import PauliSum
from ..landscape.basins import wilson_interval
from ..model.circuit import QNN
from ..model.data import Dataset, Instance, Sample
from ..model.instances import prop5_instance
from ..paths import make_dirs, write_text
from .matching import basin_frequencies, match_runs, reference_table
from .optimizers import Convergence, label_scale, minimize_batch

__all__ = ["ExperimentResult", "EXPERIMENTS", "run_experiment", "figure2", "figure3", "figure4", "label_noise",
           "figure5", "encoding_instance", "noisy_instance", "separable_minimum", "fit_exponential",
           "gradient_flow_success", "SUCCESS_TOL"]

#: success tolerance relative to the label scale (the smallest spurious gap of prop5 is 1/(2p)·4r² ≫ this)
SUCCESS_TOL = 1e-4
PAPER_OPTIMIZERS = ("adam", "rmsprop", "lbfgs")


@dataclass
class ExperimentResult:
    """Rows of every run, summary rows per ``(p, optimizer)``, metadata; :meth:`write` saves them."""

    name: str
    runs: list[dict]
    summary: list[dict]
    meta: dict = field(default_factory=dict)

    def _repr_html_(self) -> str:
        """Jupyter: the summary rows."""
        from ..tables import html_table

        cols = ["p", "optimizer", "runs", "converged", "successes", "success_rate", "distinct_levels",
                "distinct_minima", "seconds"]
        return html_table(self.summary, cols, caption=f"{self.name}: seed {self.meta.get('seed')}, "
                                                        f"{self.meta.get('seconds')} s")

    def identical_optimizers(self) -> list[tuple[str, ...]]:
        """Groups of optimisers whose runs ended at the same loss in every run of every cell (``|ΔL| ≤ 1e-9``).

        On the Proposition-5 family Adam and RMSProp form such a group: with their step sizes (0.05 and
        0.02 rad, decaying) neither jumps over a maximum of the 1-D blocks, so every run ends in the
        minimum of the basin it started in — success = the gradient-flow basin share, for both.  Plots
        and the CLI say so instead of drawing one series over the other.
        """
        by: dict = {}
        for r in self.runs:
            by.setdefault(r["optimizer"], {})[(r["p"], r["run"])] = r["loss_final"]
        groups: list[list[str]] = []
        for o, runs in by.items():
            for g in groups:
                ref = by[g[0]]
                if ref.keys() == runs.keys() and all(abs(ref[k] - v) <= 1e-9 for k, v in runs.items()):
                    g.append(o)
                    break
            else:
                groups.append([o])
        return [tuple(g) for g in groups if len(g) > 1]

    def caveats(self) -> list[str]:
        """What a reader of the figure or table must know (docs/experiments.md): optimisers that coincide,
        and for Figure 5 that the paper's effect is not reproduced."""
        out = [f"{' = '.join(g)} in every run: each run stays in the basin of its start (success = the "
               "gradient-flow basin share); the curves coincide" for g in self.identical_optimizers()]
        if self.name == "figure5":
            rates = ", ".join(f"p={r['p']}: {r['success_rate']:.2f}" for r in self.summary)
            out.append(f"does NOT reproduce the paper's Figure 5 (≤ 4 of 70 runs successful): success against the best "
                       f"loss found {rates} — the paper's ansatz and dataset are unknown, ours are guessed "
                       "(docs/experiments.md)")
        return out

    def write(self, out_dir: str | Path, plot: bool = False) -> list[Path]:
        """Write ``<name>_runs.csv``, ``<name>_summary.csv``, ``<name>.json`` (settings, summary, fits, caveats;
        the runs only in the CSV) and, with
        ``plot``, ``<name>.png`` (needs the ``plot`` extra)."""
        from ..tables import table_text

        out = make_dirs(out_dir, "out_dir")
        paths = [write_text(out / f"{self.name}_runs.csv", table_text(self.runs, "csv"), "out_dir"),
                 write_text(out / f"{self.name}_summary.csv", table_text(self.summary, "csv"), "out_dir"),
                 write_text(out / f"{self.name}.json",
                            # the runs are in <name>_runs.csv: repeating them here (indented) made a Figure-4 run 48 MB
                            json.dumps({"experiment": self.name, "meta": self.meta, "summary": self.summary,
                                        "runs_file": f"{self.name}_runs.csv", "caveats": self.caveats()},
                                       indent=1, default=_json_default), "out_dir")]
        if plot:
            from ..plots import plot_experiment

            paths.append(plot_experiment(self, out / f"{self.name}.png"))
        return paths


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.bool_):
        return bool(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


def _starts(seed: int, p: int, n: int) -> np.ndarray:
    return np.random.default_rng([seed, p]).uniform(0.0, 2 * np.pi, size=(n, p))


def fit_exponential(ps: Sequence[int], successes: Sequence[int], runs: Sequence[int]) -> dict | None:
    """Weighted least-squares fit ``rate ≈ A·q^p`` on the points with at least one success
    (weights ``n·rate/(1 − rate)``, the inverse variance of ``log rate``).

    Examples
    --------
    >>> f = fit_exponential([2, 4, 6], [2500, 625, 156], [10000] * 3)
    >>> round(f["q"], 3)
    0.5
    """
    pts = [(p, k / n, n) for p, k, n in zip(ps, successes, runs) if k > 0 and n > 0]
    if len(pts) < 2:
        return None
    x = np.array([p for p, _, _ in pts], dtype=float)
    y = np.log([r for _, r, _ in pts])
    w = np.array([n * r / max(1 - r, 1e-12) for _, r, n in pts])
    W = np.sqrt(w)
    A = np.stack([np.ones_like(x), x], 1) * W[:, None]
    (a, b), *_ = np.linalg.lstsq(A, y * W, rcond=None)
    return {"q": float(np.exp(b)), "A": float(np.exp(a)), "log_q": float(b), "points": len(pts),
            "halving_every_p": float(math.log(0.5) / b) if b < 0 else math.inf}


def gradient_flow_success(inst: Instance) -> float | None:
    """Basin fraction of the global minimum for gradient flow on a Proposition-5 instance:
    per coordinate the basin of ``u = 0`` is ``|u| < arccos(−w/(1−w))``, so the rate is
    ``(arccos(−w/(1−w))/π)^p`` (``w = s1_copies·r²``).

    Examples
    --------
    >>> round(gradient_flow_success(prop5_instance(1)), 4)
    0.6082
    """
    meta = inst.meta or {}
    if meta.get("builtin") != "prop5":
        return None
    from ..exact.scalars import parse_scalar

    r = float(parse_scalar(meta["r"]))
    w = meta.get("s1_copies", 1) * r * r
    return (math.acos(-w / (1 - w)) / math.pi) ** inst.p


def separable_minimum(inst: Instance, grid: int = 4096) -> float | None:
    """Global minimum of the loss when it splits into one-parameter blocks (``None`` otherwise):
    each block is minimised on a grid of its period and polished by Newton steps.

    Examples
    --------
    >>> abs(separable_minimum(prop5_instance(3))) < 1e-14
    True
    """
    from ..expansion.phi import loss_poly
    from ..landscape.interaction import independent_blocks
    from .fast import product_output_polys

    outs = product_output_polys(inst)
    if outs is None:
        return None
    L = loss_poly(inst, outputs=outs)
    total = 0.0
    for idx, blk in independent_blocks(L):
        if len(idx) != 1:
            return None
        per = 2 * np.pi / blk.omega[0]
        t = np.linspace(0.0, per, grid, endpoint=False)[:, None]
        vals = blk(t)
        best = t[np.argsort(vals)[:4]]
        for _ in range(30):
            g = blk.gradient(best)[:, 0]
            h = blk.hessian(best)[:, 0, 0]
            best = best - np.where(h > 0, g / np.where(h > 0, h, 1.0), 0.0)[:, None]
        total += float(min(blk(best).min(), vals.min()))
    return total


def noisy_instance(inst: Instance, sigma: float, rng: np.random.Generator) -> Instance:
    """The instance with labels ``y_k + σ ε_k``, ``ε_k ~ N(0, 1)`` (float labels)."""
    if not sigma >= 0:
        raise ValidationError("noise", f"{sigma}", expected="a standard deviation σ ≥ 0")
    eps = rng.standard_normal(inst.m)
    samples = tuple(Sample(s.state, float(y) + sigma * float(e))
                    for s, y, e in zip(inst.dataset.samples, inst.labels, eps))
    return Instance(inst.qnn, inst.observable, Dataset(samples), name=f"{inst.name}+noise({sigma})",
                    description=inst.description + f"; Gaussian label noise σ = {sigma}",
                    meta=dict(inst.meta, noise=sigma))


def encoding_instance(p: int, m: int = 20, seed: int = 0) -> Instance:
    """Figure 5's dataset ("beyond the constructed datasets"), see ``docs/experiments.md``.

    ``x ∈ U[0, 2π]^{2p}`` encoded on ``p`` qubits as ``⊗_q RY(x_{2q+1}) RX(x_{2q}) |0⟩``; label
    ``1`` if ``wᵀ(x − π) > 0`` else ``0`` (``w ~ N(0, I)``, a hyperplane through the cube's
    centre); ansatz: one trainable rotation per qubit, ``exp(-iθ_q Y_q)`` on even and
    ``exp(-iθ_q X_q)`` on odd qubits; observable ``(I + Z_0 Z_1 ⋯ Z_{p-1})/2`` (parity read-out, output
    in ``[0, 1]`` like the labels).  Every output is a product of one sinusoid per qubit.

    Examples
    --------
    >>> inst = encoding_instance(2, m=6, seed=1)
    >>> inst.p, inst.m, sorted({float(y) for y in inst.labels})
    (2, 6, [0.0, 1.0])
    """
    if int(p) < 1 or int(m) < 1:
        raise ValidationError("p" if int(p) < 1 else "m", f"{p if int(p) < 1 else m}", expected="a positive integer")
    rng = np.random.default_rng([seed, p, m])
    x = rng.uniform(0.0, 2 * np.pi, size=(m, 2 * p))
    w = rng.standard_normal(2 * p)
    labels = (x - np.pi) @ w > 0
    samples = []
    for xi, yi in zip(x, labels):
        psi = np.ones(1, dtype=complex)
        for q in range(p):
            a, b = xi[2 * q] / 2, xi[2 * q + 1] / 2
            v = np.array([np.cos(a), -1j * np.sin(a)])                       # RX(x) |0>
            v = np.array([[np.cos(b), -np.sin(b)], [np.sin(b), np.cos(b)]]) @ v   # RY(x)
            psi = np.kron(psi, v)
        samples.append(Sample(OpMatrix.from_numpy(np.outer(psi, psi.conj()), "state"), float(yi)))
    labels_g = [f"{'X' if q % 2 else 'Y'}{q}" for q in range(p)]
    M = PauliSum.from_labels(p, {"I": "1/2", " ".join(f"Z{q}" for q in range(p)): "1/2"})
    return Instance(QNN.from_paulis(labels_g, p), M, Dataset(tuple(samples)), name=f"encoding(p={p})",
                    description="Figure 5: X/Y-rotation encoding of x in [0,2π]^{2p}, labels sign(w·(x-π))",
                    meta={"builtin": "encoding", "p": p, "m": m, "seed": seed, "w": w.tolist()})


def _sweep_p(task: tuple, on_cell: Callable[[dict], None] | None = None) -> dict:
    """Every optimiser at one ``p`` (a task of an executor: the starts come from ``[seed, p]`` and the
    instance from ``make(p)`` alone, so the result does not depend on where it runs).  ``on_cell``
    (in-process runs only) receives the part so far after every optimiser."""
    from .dispatch import simulator

    name, make, p, optimizers, starts, seed, conv, progress, match, settings, method = task
    inst, lmin, how = make(p)
    sim = simulator(inst, method)
    s = label_scale(sim.labels)
    ref = reference_table(inst) if match else None
    th0 = _starts(seed, p, starts)
    info = {"name": inst.name, "m": inst.m, "simulator": sim.method, "label_scale": s, "reference_loss": lmin,
            "reference": how, "gradient_flow_success": gradient_flow_success(inst),
            "basin_table": ref.source if ref else None}
    per_opt, settings_used, interrupted = [], {}, False
    for opt in optimizers:
        res = minimize_batch(sim, th0, opt, conv, (settings or {}).get(opt), progress, desc=f"{name} p={p} {opt}")
        settings_used[opt] = res.settings
        per_opt.append(res)
        interrupted = not res.finished.all()
        if on_cell is not None:
            on_cell(_part(name, p, per_opt, lmin, s, ref, inst, info, settings_used, interrupted))
        if interrupted:
            break
    return _part(name, p, per_opt, lmin, s, ref, inst, info, settings_used, interrupted)


def _part(name, p, per_opt, lmin, s, ref, inst, info, settings_used, interrupted) -> dict:
    """The rows of the optimisers run so far at one ``p``; the reference loss is the construction's,
    else (Figure 5) the best finished run."""
    if lmin is None:
        fin = [a for a in (r.loss[r.finished] for r in per_opt) if len(a)]
        lmin = float(np.nanmin(np.concatenate(fin))) if fin else 0.0
    out = {"p": p, "runs": [], "summary": [], "settings": dict(settings_used), "basins": {}, "interrupted": interrupted,
           "instance": dict(info, reference_loss=lmin)}
    for res in per_opt:
        rows, srow, basins = _cell(name, p, res, lmin, s, ref, inst)
        out["runs"] += rows
        out["summary"].append(srow)
        if basins is not None:
            out["basins"][f"{p}/{res.optimizer}"] = basins
    return out


def _cell(name: str, p: int, res, lmin: float, s: float, ref, inst: Instance):
    """Rows of one (p, optimizer) cell: ``(runs, summary row, basin frequencies or None)``."""
    ok = res.finished & res.converged & (res.loss - lmin <= SUCCESS_TOL * s)
    matches = match_runs(res.theta, ref) if ref is not None else None
    rows = []
    for i in range(res.n):
        row = {"experiment": name, "p": p, "optimizer": res.optimizer, "run": i,
               "loss_init": float(res.loss0[i]), "loss_final": float(res.loss[i]),
               "grad_inf": float(res.grad_norm[i]), "iterations": int(res.iterations[i]),
               "converged": bool(res.converged[i]), "stop": str(res.stop[i]), "success": bool(ok[i]),
               "finished": bool(res.finished[i])}
        if matches is not None:
            mt = matches[i]
            row.update(basin=mt.label if mt.label is not None else "unmatched", basin_kind=mt.kind or "",
                       basin_global=mt.is_global)
        rows.append(row)
    n_fin = int(res.finished.sum())
    k = int(ok.sum())
    lo, hi = wilson_interval(k, n_fin)
    conv_f = res.loss[res.finished & res.converged]
    per = np.pi * 2 / np.asarray(inst.qnn.omega, dtype=float)
    srow = {"experiment": name, "p": p, "optimizer": res.optimizer, "runs": n_fin,
            "converged": int((res.finished & res.converged).sum()), "successes": k,
            "success_rate": k / n_fin if n_fin else None, "ci95_low": lo, "ci95_high": hi,
            "partial": n_fin < res.n,      # an interrupted cell: never fitted like the full ones
            "distinct_levels": _distinct_levels(conv_f, s),
            "distinct_minima": _distinct_points(res.theta[res.finished & res.converged], per),
            "median_iterations": float(np.median(res.iterations[res.finished])) if n_fin else None,
            "seconds": round(res.seconds, 3)}
    basins = None
    if matches is not None:
        fin_m = [mt for mt, f in zip(matches, res.finished) if f]
        srow["basins_reached"] = sum(1 for r in basin_frequencies(fin_m) if r["basin"] != "unmatched")
        srow["unmatched"] = sum(1 for mt in fin_m if mt.label is None)
        basins = basin_frequencies(fin_m)[:50]
    return rows, srow, basins


def _assemble(name: str, ps: Sequence[int], parts: list[dict], meta: dict, t_all: float) -> ExperimentResult:
    """One result from the parts of the values of ``p`` done so far (in the order of ``ps``)."""
    meta = dict(meta, instances=dict(meta["instances"]), settings=dict(meta["settings"]))
    runs, summary = [], []
    for part in sorted(parts, key=lambda q: list(ps).index(q["p"])):
        meta["instances"][str(part["p"])] = part["instance"]
        meta["settings"].update(part["settings"])
        if part["basins"]:
            meta.setdefault("basins", {}).update(part["basins"])
        runs += part["runs"]
        summary += part["summary"]
        if part["interrupted"]:
            meta["interrupted"] = True
            break
    meta["seconds"] = round(time.perf_counter() - t_all, 2)
    return ExperimentResult(name, runs, summary, meta)


#: largest working set of one (p, optimiser) cell, in floats (8·10^8 bytes)
MAX_STATE_FLOATS = 10 ** 8
#: largest p of an experiment (the float simulators hold 2^(p/2)-sized states for the dense families)
MAX_EXPERIMENT_P = 64


def _sweep(name: str, make: Callable[[int], tuple[Instance, float | None, str]], ps: Sequence[int],
           optimizers: Sequence[str], starts: int, seed: int, conv: Convergence, progress: bool,
           match: bool, settings: dict | None, method: str = "auto", executor=None,
           on_cell: Callable[[ExperimentResult], None] | None = None) -> ExperimentResult:
    """Run every (p, optimizer) cell.  ``on_cell`` receives the result so far after every cell
    (in-process) or every value of ``p`` (parallel executors); the CLI writes it to ``--output``, so
    a run stopped by SIGINT/SIGTERM or a crash keeps every finished cell."""
    from ..budget import refuse_if_too_large
    from ..executor import LocalExecutor, get_executor
    from ..validate import as_int

    starts = as_int(starts, "--starts", lo=1)
    ps = [as_int(p, "--p", lo=1, hi=MAX_EXPERIMENT_P) for p in ps]
    refuse_if_too_large("--starts", f"float numbers of the optimiser states (≈ 8·starts·p, p = {max(ps)})",
                        8 * starts * max(ps), MAX_STATE_FLOATS, bytes_per_unit=8, fix="use a smaller --starts")
    meta = {"seed": seed, "starts": starts, "ps": list(ps), "optimizers": list(optimizers),
            "gtol": conv.gtol, "max_iter": conv.max_iter, "success_tol": SUCCESS_TOL,
            "initialisation": "uniform in [0, 2π]^p", "interrupted": False, "settings": {}, "instances": {}}
    t_all = time.perf_counter()
    ex = get_executor(executor or "local")
    serial = isinstance(ex, LocalExecutor) and ex.workers == 1
    meta["executor"] = ex.describe()
    tasks = [(name, make, p, tuple(optimizers), starts, seed, conv, progress and serial, match, settings, method)
             for p in ps]
    parts: list[dict] = []
    try:
        if serial:                 # one p after the other; stop at the first interrupted p
            for t in tasks:
                latest: list[dict] = []      # this p after its latest finished cell

                def cell(part, latest=latest):
                    latest[:] = [part]
                    if on_cell is not None:
                        on_cell(_assemble(name, ps, parts + [part], meta, t_all))
                try:
                    parts.append(_sweep_p(t, cell))
                except KeyboardInterrupt:    # outside an optimiser (building an instance, writing a checkpoint)
                    parts += [dict(part, interrupted=True) for part in latest]
                    meta["interrupted"] = True
                    break
                if parts[-1]["interrupted"]:
                    break
        else:
            from tqdm import tqdm

            done: list[dict] = []

            def finished(part):
                bar.update(1)
                done.append(part)
                if on_cell is not None:
                    on_cell(_assemble(name, ps, done, meta, t_all))

            with tqdm(total=len(tasks), disable=not progress, desc=f"{name} ({ex.describe()})", unit="p") as bar:
                try:
                    parts = ex.map(_sweep_p, tasks, on_done=finished)
                except KeyboardInterrupt:    # the workers are stopped; keep every finished value of p
                    parts = done
                    meta["interrupted"] = True
    finally:
        if ex is not executor:
            ex.close()
    return _assemble(name, ps, parts, meta, t_all)


def _distinct_levels(losses: np.ndarray, scale: float) -> int:
    """Number of distinct loss values among converged runs (relative resolution ``SUCCESS_TOL``)."""
    if not len(losses):
        return 0
    v = np.sort(losses)
    return int(1 + np.sum(np.diff(v) > SUCCESS_TOL * scale))


def _prop5(p: int):
    return prop5_instance(p), 0.0, "exact global minimum 0 (construction)"


def figure2(p: int = 4, starts: int = 100, seed: int = 0, optimizers: Sequence[str] = ("rmsprop",),
            conv: Convergence = Convergence(), progress: bool = True, match: bool = True,
            settings: dict | None = None, executor=None,
            on_cell: Callable[[ExperimentResult], None] | None = None) -> ExperimentResult:
    """Figure 2: Proposition-5 instance, ``p = 4``, RMSProp, 100 starts: loss at initialisation
    (continuous spectrum) vs at convergence (discrete levels ``4r²|ζ|/(2p)``)."""
    return _sweep("figure2", _prop5, [p], optimizers, starts, seed, conv, progress, match, settings,
                 executor=executor, on_cell=on_cell)


def figure3(p: int = 16, starts: int = 5000, seed: int = 0, optimizers: Sequence[str] = PAPER_OPTIMIZERS,
            conv: Convergence = Convergence(), progress: bool = True, match: bool = True,
            settings: dict | None = None, executor=None,
            on_cell: Callable[[ExperimentResult], None] | None = None) -> ExperimentResult:
    """Figure 3: ``p = 16``, 5000 starts, Adam / RMSProp / L-BFGS: distribution of final losses."""
    return _sweep("figure3", _prop5, [p], optimizers, starts, seed, conv, progress, match, settings,
                 executor=executor, on_cell=on_cell)


def figure4(ps: Sequence[int] = tuple(range(2, 17, 2)), starts: int = 5000, seed: int = 0,
            optimizers: Sequence[str] = PAPER_OPTIMIZERS, conv: Convergence = Convergence(),
            progress: bool = True, match: bool = False, settings: dict | None = None,
            executor=None, on_cell: Callable[[ExperimentResult], None] | None = None) -> ExperimentResult:
    """Figure 4: success rate vs ``p`` (5000 starts each) with a fit ``rate ≈ A·q^p`` per optimiser
    and the gradient-flow prediction ``(arccos(−w/(1−w))/π)^p``.  ``executor``: where the values of
    ``p`` run (:func:`qnnsym.executor.get_executor`; the same numbers on every executor)."""
    res = _sweep("figure4", _prop5, ps, optimizers, starts, seed, conv, progress, match, settings,
                 executor=executor, on_cell=on_cell)
    return _add_fits(res)


def _add_fits(res: ExperimentResult) -> ExperimentResult:
    fits = {}
    for opt in dict.fromkeys(r["optimizer"] for r in res.summary):
        rows = [r for r in res.summary if r["optimizer"] == opt and not r.get("partial")]
        fits[opt] = fit_exponential([r["p"] for r in rows], [r["successes"] for r in rows], [r["runs"] for r in rows])
    res.meta["fits"] = fits
    q1 = [v["gradient_flow_success"] for v in res.meta["instances"].values()]
    if q1 and all(q is not None for q in q1):
        p0 = res.meta["ps"][0]
        res.meta["gradient_flow_q"] = q1[0] ** (1.0 / p0)
    return res


def label_noise(ps: Sequence[int] = tuple(range(2, 17, 2)), starts: int = 5000, seed: int = 0, noise: float = 0.1,
                optimizers: Sequence[str] = PAPER_OPTIMIZERS, conv: Convergence = Convergence(),
                progress: bool = True, match: bool = False, settings: dict | None = None,
                executor=None, on_cell: Callable[[ExperimentResult], None] | None = None) -> ExperimentResult:
    """Sect. E.3: the Figure-4 sweep with labels ``y_k + σ ε_k`` (fresh noise per ``p`` from the seed);
    success against the exact block-wise global minimum of the noisy (still separable) loss."""
    def make(p):
        inst = noisy_instance(prop5_instance(p), noise, np.random.default_rng([seed, p, 1]))
        return inst, separable_minimum(inst), "block-wise global minimum of the separable noisy loss"

    res = _sweep("label-noise", make, ps, optimizers, starts, seed, conv, progress, match, settings,
                 executor=executor, on_cell=on_cell)
    res.meta["noise"] = noise
    return _add_fits(res)


def figure5(ps: Sequence[int] = (2, 4, 6, 8), starts: int = 70, seed: int = 0, samples: int = 20,
            optimizers: Sequence[str] = ("rmsprop",), conv: Convergence = Convergence(),
            progress: bool = True, match: bool = False, settings: dict | None = None,
            executor=None, on_cell: Callable[[ExperimentResult], None] | None = None) -> ExperimentResult:
    """Figure 5: the linearly separable concept encoded by X/Y rotations (:func:`encoding_instance`);
    final losses and the number of distinct minima reached (reference = best loss found)."""
    def make(p):
        return encoding_instance(p, samples, seed), None, "best loss found over all runs (not certified)"

    return _sweep("figure5", make, ps, optimizers, starts, seed, conv, progress, match, settings,
                 executor=executor, on_cell=on_cell)


def _distinct_points(theta: np.ndarray, period: np.ndarray, resolution: float = 1e-2) -> int:
    """Number of distinct end points (each ``θ_l`` modulo its period, on a grid of ``resolution``)."""
    if not len(theta):
        return 0
    cells = np.round((theta % period) / resolution).astype(np.int64) % np.round(period / resolution).astype(np.int64)
    return len({tuple(c) for c in cells})


EXPERIMENTS: dict[str, Callable[..., ExperimentResult]] = {
    "figure2": figure2, "figure3": figure3, "figure4": figure4, "label-noise": label_noise, "figure5": figure5,
}


def run_experiment(name: str, **kwargs) -> ExperimentResult:
    """Run an experiment by name (see :data:`EXPERIMENTS`)."""
    if name not in EXPERIMENTS:
        raise ValidationError("experiment", f"unknown experiment {name!r}", expected="one of " + ", ".join(EXPERIMENTS))
    return EXPERIMENTS[name](**kwargs)
