"""``qnnsym experiment`` (Figures 2–5, label noise) and ``qnnsym simulate`` (loss, gradient, Hessian)."""
from __future__ import annotations

import argparse
import json

import numpy as np

from ..cli_common import add_instance_args, instance_from_args, table_text, write_output
from ..errors import ValidationError

__all__ = ["register"]

EXAMPLES_EXP = """examples:
  qnnsym experiment figure2 --plot --out results/
  qnnsym experiment figure4 --starts 5000 --optimizer all --seed 1 --out results/ --plot
  qnnsym experiment figure3 --optimizer lbfgs --starts 1000
  qnnsym experiment label-noise --noise 0.1 --p 2 4 6 8
  qnnsym experiment figure5 --p 2 4 6 8 --starts 70 --plot"""

EXAMPLES_SIM = """examples:
  qnnsym simulate prop5 --p 3 --theta 0.1,0.2,0.3 --grad
  qnnsym simulate prop5 --p 12 --theta random --theta-seed 3 --method statevector --grad --format json
  qnnsym simulate my_instance.json --theta 0,0 --hessian"""


def register(sub) -> None:
    from .experiments import EXPERIMENTS
    from .optimizers import OPTIMIZERS

    ap = sub.add_parser("experiment", help="reproduce the experiments of Section 6 (Figures 2-5, label noise)",
                        description="Train from many random starts (uniform in [0, 2π]^p) and write every run "
                                    "(CSV + JSON) and, with --plot, the figure.  Hyper-parameters and definitions: "
                                    "docs/experiments.md.",
                        epilog=EXAMPLES_EXP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name", choices=sorted(EXPERIMENTS), metavar="NAME", help=", ".join(sorted(EXPERIMENTS)))
    ap.add_argument("--p", type=int, nargs="+", default=None, help="number(s) of parameters (default: the paper's)")
    ap.add_argument("--starts", type=int, default=None, help="random starts per (p, optimizer) (default: the paper's)")
    ap.add_argument("--optimizer", default=None,
                    help=f"one of {', '.join(OPTIMIZERS)}, a comma-separated list, or 'all' (adam,rmsprop,lbfgs)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the starts (and of noise/data); default 0")
    ap.add_argument("--noise", type=float, default=None, help="label-noise σ (label-noise only; default 0.1)")
    ap.add_argument("--samples", type=int, default=None, help="dataset size m (figure5 only; default 20)")
    ap.add_argument("--gtol", type=float, default=None, help="gradient tolerance relative to the label scale (1e-7)")
    ap.add_argument("--max-iter", type=int, default=None, help="iteration cap per run (20000)")
    ap.add_argument("--match", action=argparse.BooleanOptionalAction, default=None,
                    help="label every run with the critical point it reached (default on for figure2/3)")
    ap.add_argument("--out", default=None, metavar="DIR", help="write <name>_runs.csv, _summary.csv, .json here")
    ap.add_argument("--plot", action="store_true", help="also draw <name>.png (needs matplotlib)")
    ap.add_argument("--format", choices=["md", "csv", "json", "latex"], default="md", help="summary table format")
    ap.add_argument("--quiet", action="store_true", help="no progress bars")
    ap.set_defaults(func=run_experiment_cmd)

    sp = sub.add_parser("simulate", help="loss, outputs, gradient and Hessian at given parameters (float)",
                        description="Evaluate an instance numerically at θ: outputs f_k (eq. 5), loss L (eq. 6), "
                                    "exact gradient and Hessian.",
                        epilog=EXAMPLES_SIM, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_instance_args(sp)
    sp.add_argument("--theta", required=True,
                    help="comma-separated θ_1..θ_p (radians), or 'random' (uniform in [0, 2π]^p from --theta-seed)")
    sp.add_argument("--theta-seed", type=int, default=0, help="seed of --theta random (default 0)")
    sp.add_argument("--method", choices=["auto", "trig", "product", "statevector"], default="auto")
    sp.add_argument("--grad", action="store_true", help="also the gradient ∇L")
    sp.add_argument("--hessian", action="store_true", help="also the Hessian of L")
    sp.add_argument("--format", choices=["md", "json"], default="md")
    sp.add_argument("-o", "--output", help="write to this file instead of standard output")
    sp.set_defaults(func=run_simulate_cmd)


def _optimizers(spec: str | None, default):
    from .optimizers import OPTIMIZERS

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

    from .experiments import EXPERIMENTS
    from .optimizers import Convergence

    fn = EXPERIMENTS[args.name]
    params = inspect.signature(fn).parameters
    kw = {"seed": args.seed, "progress": not args.quiet}
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
    res = fn(**kw)
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
    write_output("\n".join(lines), None)
    if args.out:
        for path in res.write(args.out, plot=args.plot):
            print(f"wrote {path}")
    elif args.plot:
        raise ValidationError("--plot", "needs an output folder", fix="add --out DIR")
    return 130 if res.meta["interrupted"] else 0


def run_simulate_cmd(args) -> int:
    from . import simulator

    inst = instance_from_args(args)
    if args.theta.strip() == "random":
        theta = np.random.default_rng(args.theta_seed).uniform(0, 2 * np.pi, inst.p)
    else:
        try:
            theta = np.array([float(t) for t in args.theta.split(",")])
        except ValueError:
            raise ValidationError("--theta", f"{args.theta!r}", expected="comma-separated numbers, or 'random'") from None
    if theta.shape != (inst.p,):
        raise ValidationError("--theta", f"{len(theta)} values", expected=f"{inst.p} (one per parameter)")
    sim = simulator(inst, args.method)
    th = theta[None]
    L, G = sim.loss_and_grad(th)
    out = {"instance": inst.name, "p": inst.p, "method": sim.method, "theta": theta.tolist(),
           "outputs": sim.outputs(th)[0].tolist(), "loss": float(L[0])}
    if args.grad:
        out["gradient"] = G[0].tolist()
    if args.hessian:
        H = sim.hessian(th)[0]
        out["hessian"] = H.tolist()
        out["hessian_eigenvalues"] = np.linalg.eigvalsh(H).tolist()
    if args.format == "json":
        write_output(json.dumps(out, indent=1), args.output)
        return 0
    lines = [f"# {inst.name} at θ = [{', '.join(f'{t:.6g}' for t in theta)}]  ({sim.method} simulator, float)", "",
             f"L(θ) = {out['loss']:.15g}", "outputs f_k(θ): " + ", ".join(f"{v:.12g}" for v in out["outputs"])]
    if args.grad:
        lines.append("∇L(θ) = [" + ", ".join(f"{v:.12g}" for v in out["gradient"]) + "]")
    if args.hessian:
        lines.append("Hessian eigenvalues: " + ", ".join(f"{v:.9g}" for v in out["hessian_eigenvalues"]))
    write_output("\n".join(lines), args.output)
    return 0
