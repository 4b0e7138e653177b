"""``qnnsym experiment``: the experiments of Section 6 (Figures 2–5, label noise)."""
from __future__ import annotations

import argparse
import sys

from ..errors import ValidationError
from ..executor import add_executor_args, executor_from_args
from ..paths import output_file
from ..tables import table_text
from .common import (
    FIGURE_SUFFIXES,
    add_format_arg,
    add_output_arg,
    add_progress_arg,
    finite_float,
    nonneg_int,
    progress_on,
    write_output,
)

__all__ = ["register"]

EXAMPLES_EXP = """examples:
  qnnsym experiment figure2 --plot -o results/            # results/figure2.png beside the CSV/JSON
  qnnsym experiment figure4 --starts 5000 --optimizer all --seed 1 -o results/ --plot fig4.pdf
  qnnsym experiment figure3 --optimizer lbfgs --starts 1000
  qnnsym experiment label-noise --noise 0.1 --p 2 4 6 8
  qnnsym experiment figure5 --p 2 4 6 8 --starts 70 --plot
  qnnsym experiment figure4 --executor dask --scheduler tcp://10.0.0.1:8786 --out results/"""


#: the names of qnnsym.sim.experiments.EXPERIMENTS and qnnsym.sim.optimizers.OPTIMIZERS, spelled here so
#: that building the parser imports no simulator (every verb starts faster); a test keeps them equal
NAMES = ("figure2", "figure3", "figure4", "figure5", "label-noise")
OPTIMIZER_NAMES = ("adam", "rmsprop", "gd", "lbfgs")


def register(sub) -> None:
    ap = sub.add_parser("experiment", help="reproduce the experiments of Section 6 (Figures 2-5, label noise)",
                        description="Train from many random starts (uniform in [0, 2π]^p) and write every run "
                                    "(CSV + JSON) and, with --plot, the figure.  Hyper-parameters and definitions: "
                                    "docs/experiments.md.",
                        epilog=EXAMPLES_EXP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name", choices=NAMES, metavar="NAME", help=", ".join(NAMES))
    ap.add_argument("--p", type=int, nargs="+", default=None, help="number(s) of parameters (default: the paper's)")
    ap.add_argument("--starts", type=int, default=None, help="random starts per (p, optimizer) (default: the paper's)")
    ap.add_argument("--optimizer", default=None,
                    help=f"one of {', '.join(OPTIMIZER_NAMES)}, a comma-separated list, or 'all' (adam,rmsprop,lbfgs)")
    ap.add_argument("--seed", type=nonneg_int, default=0, help="seed of the starts (and of noise/data); default 0")
    ap.add_argument("--noise", type=finite_float, default=None, help="label-noise σ (label-noise only; default 0.1)")
    ap.add_argument("--samples", type=int, default=None, help="dataset size m (figure5 only; default 20)")
    ap.add_argument("--gtol", type=finite_float, default=None, help="gradient tolerance relative to the label scale (1e-7)")
    ap.add_argument("--max-iter", type=int, default=None, help="iteration cap per run (20000)")
    ap.add_argument("--match", action=argparse.BooleanOptionalAction, default=None,
                    help="label every run with the critical point it reached (default on for figure2/3)")
    add_output_arg(ap, "-o", "--output", "--out", kind="dir",
                   help="write <name>_runs.csv, _summary.csv, .json here, after every (p, optimizer) cell")
    add_output_arg(ap, "--plot", nargs="?", const="", suffixes=FIGURE_SUFFIXES,
                   help="also draw the figure: to FILE (.png/.pdf/.svg ...), or to <output>/<name>.png when no FILE "
                        "is given (needs matplotlib)")
    add_format_arg(ap, "csv", "latex", what="the summary table")
    add_progress_arg(ap)
    add_executor_args(ap)
    ap.set_defaults(func=run_experiment_cmd)


def _optimizers(spec: str | None, default):
    from ..sim.optimizers import OPTIMIZERS

    if spec is None:
        return default
    if spec == "all":
        return ("adam", "rmsprop", "lbfgs")
    opts = tuple(s.strip() for s in spec.split(",") if s.strip())
    bad = [o for o in opts if o not in OPTIMIZERS]
    if bad or not opts:
        raise ValidationError("--optimizer", f"{spec!r}", expected=f"'all' or a comma-separated list of {', '.join(OPTIMIZERS)}")
    return opts


def run_experiment_cmd(args) -> int:
    import inspect

    from ..sim.experiments import EXPERIMENTS
    from ..sim.optimizers import Convergence

    fn = EXPERIMENTS[args.name]
    params = inspect.signature(fn).parameters
    kw = {"seed": args.seed, "progress": progress_on(args)}
    if args.p is not None:
        if any(p < 1 for p in args.p):
            raise ValidationError("--p", f"{args.p}", expected="positive integers")
        if "ps" in params:
            kw["ps"] = tuple(args.p)
        elif len(args.p) == 1:
            kw["p"] = args.p[0]
        else:
            raise ValidationError("--p", f"{args.p}", expected=f"one value for {args.name}")
    if args.starts is not None:
        if args.starts < 1:
            raise ValidationError("--starts", f"{args.starts}", expected="a positive integer")
        kw["starts"] = args.starts
    kw["optimizers"] = _optimizers(args.optimizer, params["optimizers"].default)
    for opt, key in ((args.noise, "noise"), (args.samples, "samples")):
        if opt is not None:
            if key not in params:
                raise ValidationError(f"--{key}", f"not used by {args.name}",
                                      expected="label-noise" if key == "noise" else "figure5")
            kw[key] = opt
    if args.match is not None:
        kw["match"] = args.match
    cv = Convergence()
    kw["conv"] = Convergence(gtol=args.gtol if args.gtol is not None else cv.gtol,
                             max_iter=args.max_iter if args.max_iter is not None else cv.max_iter)
    plot_file = None
    if args.plot:
        plot_file = output_file(args.plot, "--plot")
        if plot_file.suffix.lower() not in FIGURE_SUFFIXES:
            raise ValidationError("--plot", f"{args.plot!r}", expected="a figure file: " + ", ".join(FIGURE_SUFFIXES))
    elif args.plot == "" and not args.output:
        raise ValidationError("--plot", "no file and no output folder", fix="give --plot FILE or add -o DIR")
    if args.output:   # every finished (p, optimizer) cell is on disk at once: SIGINT, SIGTERM or a crash lose nothing
        kw["on_cell"] = lambda partial: partial.write(args.output)
    with executor_from_args(args) as ex:
        res = fn(**kw, executor=ex)
    cols = ["p", "optimizer", "runs", "converged", "successes", "success_rate", "ci95_low", "ci95_high",
            "distinct_levels", "distinct_minima", "median_iterations", "seconds"]
    if any("unmatched" in r for r in res.summary):
        cols += ["basins_reached", "unmatched"]
    rows = [{c: (round(v, 5) if isinstance(v, float) else v) for c, v in r.items()} for r in res.summary]
    text = table_text(rows, args.format, cols)
    lines = [text]
    if args.format == "md":
        for opt, fit in (res.meta.get("fits") or {}).items():
            if fit:
                lines.append(f"fit {opt}: success ≈ {fit['A']:.3f} · {fit['q']:.4f}^p")
        if res.meta.get("gradient_flow_q"):
            lines.append(f"gradient-flow prediction (Prop. 5 basins): {res.meta['gradient_flow_q']:.4f}^p")
        lines.append(f"total {res.meta['seconds']} s" + ("  (INTERRUPTED: partial results)" if res.meta["interrupted"] else ""))
    for c in res.caveats():
        print(f"caveat: {c}", file=sys.stderr)
    write_output("\n".join(lines), None)
    if plot_file is not None:
        from ..plots import plot_experiment

        print(f"wrote {plot_experiment(res, plot_file)}", file=sys.stderr)
    if args.output:
        for path in res.write(args.output, plot=args.plot == ""):
            print(f"wrote {path}", file=sys.stderr)
    return 130 if res.meta["interrupted"] else 0
