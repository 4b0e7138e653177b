"""Figures of the experiments (optional ``plot`` extra: ``pip install 'qnnsym[plot]'``).

matplotlib is imported lazily; without it every function raises
:class:`~qnnsym.errors.BackendUnavailable` with the install command.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from .errors import BackendUnavailable, ValidationError
from .paths import atomic_path, output_file

__all__ = ["plot_experiment", "plot_theorem6"]

_COLORS = {"adam": "tab:blue", "rmsprop": "tab:orange", "lbfgs": "tab:green", "gd": "tab:purple"}


def _plt():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise BackendUnavailable("plots need matplotlib: pip install 'qnnsym[plot]' (or pip install matplotlib)") from None
    except Exception as e:        # installed but broken: say so, never a traceback from inside it
        raise BackendUnavailable(f"matplotlib is installed but fails to import ({type(e).__name__}: "
                                 f"{str(e).splitlines()[0][:120] if str(e) else ''}); fix: pip install --force-reinstall "
                                 "matplotlib (qnnsym doctor lists every engine)") from None
    return plt


def plot_experiment(result, path: str | Path) -> Path:
    """Draw the figure of an :class:`~qnnsym.sim.experiments.ExperimentResult` to ``path`` (PNG/PDF/SVG)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    runs, name = result.runs, result.name
    tol = result.meta.get("success_tol", 1e-4)
    if name == "figure2":
        li = np.array([r["loss_init"] for r in runs])
        lf = np.array([r["loss_final"] for r in runs])
        bins = np.linspace(0, max(li.max(), lf.max()) * 1.02, 60)
        ax.hist(li, bins=bins, color="gray", alpha=0.6, label=r"$L(\theta_i)$ at initialisation")
        ax.hist(lf, bins=bins, color="tab:orange", alpha=0.9, label=r"$L(\theta_f)$ at convergence")
        ax.axvline(0.0, color="k", ls=":", lw=1.5, label="global minimum (L = 0)")
        ax.set_xlim(-0.02 * bins[-1], bins[-1])
        ax.set_xlabel("loss")
        ax.set_ylabel("runs")
    elif name in ("figure3",):
        opts = list(dict.fromkeys(r["optimizer"] for r in runs))
        same = _same_as(result)
        lf_all = np.array([r["loss_final"] for r in runs])
        bins = np.linspace(0, lf_all.max() * 1.02 + 1e-12, 60)
        for o in opts:
            ax.hist([r["loss_final"] for r in runs if r["optimizer"] == o], bins=bins, histtype="step",
                    lw=1.5 if o not in same else 2.5, ls="-" if o not in same else "--", color=_COLORS.get(o),
                    label=o if o not in same else f"{o} (= {same[o]}: identical runs)")
        ax.axvline(0.0, color="k", ls=":", label="global minimum (L = 0)")
        ax.set_xlabel(r"$L(\theta_f)$")
        ax.set_ylabel("runs")
    elif name in ("figure4", "label-noise"):
        opts = list(dict.fromkeys(r["optimizer"] for r in result.summary))
        same = _same_as(result)
        for n, o in enumerate(opts):
            rows = [r for r in result.summary if r["optimizer"] == o and r["success_rate"] is not None]
            if not rows:
                continue
            for r in rows:
                if r.get("partial"):
                    ax.annotate("partial", (r["p"], max(r["success_rate"], 1e-5)), fontsize=7, color="tab:red")
            # a small horizontal offset per optimiser: coinciding series stay visible side by side
            ps = np.array([r["p"] for r in rows]) + 0.12 * (n - (len(opts) - 1) / 2)
            rate = np.array([r["success_rate"] for r in rows])
            lo = np.array([r["ci95_low"] for r in rows])
            hi = np.array([r["ci95_high"] for r in rows])
            ax.errorbar(ps, np.maximum(rate, 1e-5), yerr=[np.maximum(rate, 1e-5) - np.maximum(lo, 1e-5),
                                                          np.maximum(hi, 1e-5) - np.maximum(rate, 1e-5)],
                        fmt="os^D"[n % 4], color=_COLORS.get(o), capsize=2,
                        label=o if o not in same else f"{o} (= {same[o]}: identical runs)")
            fit = (result.meta.get("fits") or {}).get(o)
            if fit:
                xs = np.linspace(ps.min(), ps.max(), 50)
                ax.plot(xs, fit["A"] * fit["q"] ** xs, color=_COLORS.get(o), lw=1,
                        label=f"{o} fit: {fit['A']:.2f}·{fit['q']:.3f}^p")
        q = result.meta.get("gradient_flow_q")
        if q:
            xs = np.array(result.meta["ps"], dtype=float)
            ax.plot(xs, q ** xs, "k--", lw=1, label=f"gradient flow: {q:.3f}^p")
        ax.set_yscale("log")
        ax.set_xlabel("p (parameters)")
        ax.set_ylabel("success rate")
    else:
        ps = sorted({r["p"] for r in runs})
        for i, p in enumerate(ps):
            lf = np.sort([r["loss_final"] for r in runs if r["p"] == p])
            ax.plot(np.arange(len(lf)), lf, ".", label=f"p = {p}")
        ax.set_xlabel("run (sorted by final loss)")
        ax.set_ylabel(r"$L(\theta_f)$")
    ax.set_title(f"{name} (seed {result.meta.get('seed')}, success: ΔL ≤ {tol:g}·s)", fontsize=9)
    if name in ("figure2", "figure3", "figure4", "label-noise"):
        ax.legend(fontsize=7)
    else:                  # points fill the whole axes: the legend goes beside them
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    notes = result.caveats() if hasattr(result, "caveats") else []
    if notes:
        fig.text(0.01, 0.01, "\n".join(textwrap.fill("Caveat: " + c, 110) for c in notes), fontsize=6.5, color="darkred",
                 va="bottom", gid="caveat")
    fig.tight_layout(rect=(0, 0.02 + 0.035 * sum(len(textwrap.wrap(c, 110)) for c in notes), 1, 1))
    return _save(plt, fig, path, dpi=130)


def _same_as(result) -> dict:
    """``{optimizer: the earlier optimiser it coincides with}`` for every optimiser whose runs equal another's."""
    groups = result.identical_optimizers() if hasattr(result, "identical_optimizers") else []
    return {o: g[0] for g in groups for o in g[1:]}


def plot_theorem6(rows: list[dict], path: str | Path) -> Path:
    """Draw the Theorem-6 study (rows of :func:`~qnnsym.construct.independence.theorem6_study`) to ``path``."""
    plt = _plt()
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    for p in sorted({r["p"] for r in rows}):
        rs = [r for r in rows if r["p"] == p and r["samples"]]
        if not rs:
            continue
        ds = [r["d"] for r in rs]
        axes[0].plot(ds, [r["frac_independent"] for r in rs], "o-", label=f"p = {p}")
        axes[1].plot(ds, [r["frac_gershgorin"] for r in rs], "o-", label=f"p = {p}")
        axes[1].plot(ds, [r["frac_gershgorin_scaled"] for r in rs], "s--", color=axes[1].lines[-1].get_color(),
                     alpha=0.6)
        axes[2].plot(ds, [r["lambda_min_median"] for r in rs], "o-", label=f"p = {p}")
    for ax in axes[:2]:
        ax.set_ylim(-0.05, 1.05)
    titles = ["Theorem 6: the $3^p$ matrices $\\Phi_\\xi$ linearly independent",
              "sufficient test: Gram matrix diagonally dominant (Gershgorin;\nnot eq. 23); dashed: normalised Gram",
              "conditioning: smallest eigenvalue of the Gram matrix"]
    ylabels = ["fraction of random QNNs", "fraction of random QNNs passing", r"median $\lambda_{\min}(G)$"]
    for ax, title, yl in zip(axes, titles, ylabels):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("d (Hilbert-space dimension)")
        ax.set_ylabel(yl)
        ax.set_title(title, fontsize=9)
        ax.legend(fontsize=7)
    axes[2].set_yscale("log")
    if any(r.get("status") == "interrupted" for r in rows):
        fig.suptitle("PARTIAL: interrupted, some cells missing", color="tab:red")
    fig.tight_layout()
    return _save(plt, fig, path)


def _save(plt, fig, path: str | Path, **kw) -> Path:
    """Save ``fig`` to the checked path atomically (``qnnsym.paths`` rule: missing folders are created,
    a failed write, e.g. a full disk, leaves the old file whole)."""
    out = output_file(path, "plot")
    fmt = out.suffix.lower().lstrip(".") or "png"
    try:
        with atomic_path(out, "plot") as tmp:
            fig.savefig(tmp, format=fmt, **kw)
    except ValueError as e:  # an unknown extension
        if isinstance(e, ValidationError):
            raise
        raise ValidationError(f"plot {out}", str(e), expected="a .png, .pdf or .svg file name") from None
    finally:
        plt.close(fig)
    return out
