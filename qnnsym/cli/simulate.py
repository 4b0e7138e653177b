"""``qnnsym simulate``: loss, outputs, gradient and Hessian at given parameters (float simulator)."""
from __future__ import annotations

import argparse
import json

import numpy as np

from ..errors import ValidationError
from .common import (
    add_format_arg,
    add_instance_args,
    add_output_arg,
    instance_from_args,
    nonneg_int,
    parse_floats,
    write_output,
)

__all__ = ["register"]

EXAMPLES_SIM = """examples:
  qnnsym simulate prop5 --p 3 --theta 0.1,0.2,0.3 --grad
  qnnsym simulate prop5 --p 12 --theta random --theta-seed 3 --method statevector --grad --format json
  qnnsym simulate my_instance.json --theta 0,0 --hessian"""


def register(sub) -> None:
    sp = sub.add_parser("simulate", help="loss, outputs, gradient and Hessian at given parameters (float)",
                        description="Evaluate an instance numerically at θ: outputs f_k (eq. 5), loss L (eq. 6), "
                                    "exact gradient and Hessian.",
                        epilog=EXAMPLES_SIM, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_instance_args(sp)
    sp.add_argument("--theta", required=True,
                    help="comma-separated θ_1..θ_p (radians), or 'random' (uniform in [0, 2π]^p from --theta-seed)")
    sp.add_argument("--theta-seed", type=nonneg_int, default=0, help="seed of --theta random (default 0)")
    sp.add_argument("--method", choices=["auto", "trig", "product", "statevector"], default="auto",
                    help="trig: the exact Fourier expansion evaluated in floats; product: per-qubit products "
                         "(separable instances); statevector: dense simulation; auto (default): the fastest that applies")
    sp.add_argument("--grad", action="store_true", help="also the gradient ∇L")
    sp.add_argument("--hessian", action="store_true", help="also the Hessian of L")
    add_format_arg(sp, what="the values")
    add_output_arg(sp, "-o", "--output", help="write to this file instead of standard output")
    sp.set_defaults(func=run_simulate_cmd)


def run_simulate_cmd(args) -> int:
    from ..sim import simulator

    inst = instance_from_args(args)
    if args.theta.strip() == "random":
        theta = np.random.default_rng(args.theta_seed).uniform(0, 2 * np.pi, inst.p)
    else:
        theta = np.array(parse_floats(args.theta, "--theta"))
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
