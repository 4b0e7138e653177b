"""``qnnsym independence`` and ``qnnsym construct {theorem2,prop5,integer}``: thin layers over
:mod:`qnnsym.construct` (Definition 1, Lemmas 3–4, Theorem 2, Proposition 5)."""
from __future__ import annotations

import argparse
import json

from ..errors import ValidationError
from ..executor import add_executor_args, executor_from_args
from ..tables import table_text
from .common import (
    add_builtin_params,
    add_format_arg,
    add_instance_args,
    add_output_arg,
    builtin_params,
    examples_for,
    finite_float,
    instance_from_args,
    nonneg_int,
    write_output,
)

__all__ = ["register"]

IND_EXAMPLES = """examples:
  qnnsym independence prop5 --p 3
  qnnsym independence theorem2 --p 3 --param d=8 --format json
  qnnsym independence my_qnn.json --tol 1e-8"""

CON_EXAMPLES = """examples:
  qnnsym construct theorem2 --qnn cayley --param d=8 --p 3 --seed 1 -o thm2.json
  qnnsym construct theorem2 --qnn my_qnn.json --theta-star 3/5:4/5,pi/4 -o out.json
  qnnsym construct prop5 --p 4 --coupled --greedy
  qnnsym construct prop5 --p 3 --h "3/5 X + 4/5 Z" --m "Y + I"
  qnnsym construct integer --p 2 --generator spin1 -o spin1.json
  qnnsym construct theorem2 --qnn cayley --param d=8 --p 2 --seeds 0 1 2 3 4 5 6 7 --executor dask"""

def register(sub) -> None:
    ap = sub.add_parser("independence", help="Definition 1: are the operators Φ_ξ(M), ξ ≠ 0, linearly independent?",
                        description="Gram matrix of {Φ_ξ(M)}_{ξ≠0}: the dimension condition d² − 1 ≥ 3^p − 1 first, "
                                    "then the exact rank (fraction-free, exact QNNs) and the numeric smallest "
                                    "eigenvalue / condition number with an explicit relative tolerance. Exit status 0: "
                                    "with linear independence, 1: without.",
                        epilog=IND_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_instance_args(ap)
    ap.add_argument("--tol", type=finite_float, default=1e-10, help="relative tolerance: independent iff λ_min > tol·λ_max")
    add_format_arg(ap, what="the result")
    add_output_arg(ap, "-o", "--output", help="write to this file instead of standard output")
    ap.set_defaults(func=run_independence)

    cp = sub.add_parser("construct", help="datasets with exponentially many local minima (Thm. 2, Prop. 5, integer spectra)",
                        description="Build exact datasets whose loss has 2^p local minima, 2^p − 1 spurious "
                                    "((2J)^p for integer spectra), with an exact certificate of the landscape.",
                        epilog=CON_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    csub = cp.add_subparsers(dest="what", metavar="WHAT")

    def verb(name: str, help: str, description: str) -> argparse.ArgumentParser:
        return csub.add_parser(name, help=help, description=description,
                               epilog=examples_for(CON_EXAMPLES, f"qnnsym construct {name}"),
                               formatter_class=argparse.RawDescriptionHelpFormatter)

    t2 = verb("theorem2", "Theorem 2 (Lemmas 3-4) for any exact QNN with linear independence",
              "Theorem 2: for a QNN whose operators Φ_ξ(M) are linearly independent "
              "(Definition 1), a dataset S_0 ∪ S_1 (Lemma 3 solves eq. 18 exactly, Lemma 4 "
              "scales the residuals) whose loss has 2^p local minima, 2^p − 1 of them spurious, "
              "with the global one at θ*. Exit status 0: built and certified, 1: not certified.")
    t2.add_argument("--qnn", required=True,
                    help="instance file or built-in whose circuit and observable are used, or 'cayley' (exact Haar stand-in)")
    add_builtin_params(t2, "--qnn: cayley takes p, seed and d (even dimension, default 8), a built-in its own")
    t2.add_argument("--d", type=int, default=None, help=argparse.SUPPRESS)   # the older spelling of --param d=D
    t2.add_argument("--eps", default="1/2", help="Lemma-4 scaling ε of the S_1 residuals ε cos u − t")
    t2.add_argument("--t", default="1/2", help="Lemma-4 offset t (linear weight 2εt, eq. 19)")
    t2.add_argument("--seeds", type=nonneg_int, nargs="+", default=None, metavar="SEED",
                    help="with --qnn cayley: one construction per seed, a summary row each (see --executor)")
    add_executor_args(t2)
    _common(t2)
    t2.set_defaults(func=run_theorem2)
    p5 = verb("prop5", "Proposition-5 families (separable or coupled), any h_l, m_l",
              "Proposition 5: p single-qubit gates exp(-iθ_l h_l) with observable ⊗ m_l and a "
              "product dataset whose loss has 2^p local minima (separable), or the coupled "
              "Ising family whose spurious minima stop coordinate-wise greedy search. "
              "Exit status 0: built and certified, 1: not certified.")
    p5.add_argument("--p", type=int, default=3, help="number of parameters (= qubits), default 3")
    p5.add_argument("--h", default="Z", help="single-qubit two-level generator h_l, e.g. Z or '3/5 X + 4/5 Z'")
    p5.add_argument("--m", default="Y + I", help="single-qubit observable factor m_l (m ± hmh ≠ 0, tr m ≠ 0)")
    p5.add_argument("--coupled", action="store_true", help="the coupled (Ising) family that defeats greedy search")
    p5.add_argument("--scale", action="append", default=[], metavar="KEY=VALUE",
                    help="design scalings: eps, t (separable) or eps1, t1, eps2, t2 (coupled)")
    p5.add_argument("--greedy", action="store_true", help="also run the coordinate-wise greedy demonstration")
    _common(p5)
    p5.set_defaults(func=run_prop5)
    ig = verb("integer", "integer-spectrum generators: (2J)^p minima (remark after Prop. 5)",
              "Generators with an integer spectrum of harmonic order J (Z_a + Z_b: J = 2, "
              "spin-1 S_z: J = 2): a dataset whose loss has (2J)^p local minima, more than "
              "the 2^p of Theorem 2 (the remark after Proposition 5). Exit status 0: built and "
              "certified, 1: not certified.")
    ig.add_argument("--p", type=int, default=2, help="number of parameters, default 2")
    ig.add_argument("--generator", choices=["z1z2", "spin1"], default="z1z2",
                    help="z1z2: H_l = Z_a + Z_b on two qubits (default); spin1: S_z = diag(1, 0, -1) on a qutrit")
    _common(ig)
    ig.set_defaults(func=run_integer)
    cp.set_defaults(func=lambda a: (cp.print_help(), 0)[1])



def _common(ap) -> None:
    ap.add_argument("--theta-star", help="θ*: comma-separated per parameter: c:s (exact cos/sin of φ = ωθ), "
                                         "a multiple of pi (e.g. pi/4), or a number (rounded to a rational point)")
    ap.add_argument("--kappa", help="override κ (exact rational; default: largest 2^-j with every ρ ⪰ 0)")
    add_format_arg(ap, what="the result")
    ap.add_argument("--minima", type=int, default=16, help="list at most this many predicted minima")
    ap.add_argument("--critical", action="store_true",
                    help="cross-check with the certified critical-point engine (qnnsym critical; fast for p ≤ 3)")
    add_output_arg(ap, "-o", "--output", help="write the instance (qnnsym-instance/1 JSON) to this file")


def run_independence(args) -> int:
    from ..construct.independence import independence

    inst = instance_from_args(args)
    rep = independence(inst, tol=args.tol)
    if args.format == "json":
        write_output(json.dumps(dict(instance=inst.name, **rep.as_dict()), indent=1, default=str), args.output)
    else:
        lines = [f"# Linear independence (Definition 1): {inst.name}", "",
                 f"- p = {rep.p}, d = {rep.dim}, operators Φ_ξ(M), ξ ≠ 0: {rep.n_ops}",
                 f"- dimension condition d² − 1 ≥ {rep.n_ops}: {'yes' if rep.dimension_ok else 'NO'}"]
        if rep.dimension_ok:
            if rep.exact_rank is not None:
                lines.append(f"- exact rank of the Gram matrix (fraction-free): {rep.exact_rank} / {rep.n_ops}")
            lines += [f"- numeric: λ_min = {rep.lambda_min:.6g}, λ_max = {rep.lambda_max:.6g}, "
                      f"condition number = {rep.condition:.6g} (tolerance: λ_min > {rep.tol:g}·λ_max)",
                      f"- Gershgorin condition (no ξ satisfies eq. 23): {'yes' if rep.gershgorin else 'no'}"]
        lines += [f"- **{'with' if rep.independent else 'WITHOUT'} linear independence** ({rep.method}): {rep.reason}"]
        write_output("\n".join(lines), args.output)
    return 0 if rep.independent else 1


def _finish(args, con, extra: dict | None = None) -> int:
    from ..construct.construction import critical_check
    from ..model.instances import dump_instance

    if args.critical:
        cc = critical_check(con)
        extra = dict(extra or {}, **{"critical-point engine": (
            f"{cc['minima']} minima, {cc['spurious_minima']} spurious, {cc['global_minima']} global "
            f"(at θ*: {cc['global_at_theta_star']}); {cc['certification']}, {cc['status']}, {cc['seconds']} s")})
    if args.output:
        dump_instance(con.instance, args.output)
    rows = con.predicted_minima(args.minima)
    if args.format == "json":
        out = {"instance": con.instance.name, "kappa": str(con.kappa), "scale": str(con.scale),
               "loss_verified": con.loss_verified, "solver": con.solver, "certificate": con.certificate.summary(),
               "report": con.report(), "minima": rows, "output": args.output}
        if extra:
            out.update(extra)
        write_output(json.dumps(out, indent=1, default=str), None)
    else:
        lines = ["# " + con.instance.description, ""] + [f"- {x}" for x in con.report()]
        if extra:
            lines += [f"- {k}: {v}" for k, v in extra.items()]
        if rows:
            lines += ["", f"Predicted local minima (first {len(rows)} of {con.certificate.n_minima}):", "",
                      table_text(rows, "md")]
        else:
            lines += ["", "No predicted minima: the construction is not certified"
                      + ("" if con.loss_verified else " (the instance's loss differs from the design's)")
                      + "; nothing is claimed about its critical points"
                      + ("." if args.critical else " (add --critical for the certified table).")]
        if args.output:
            lines += ["", f"instance written to {args.output}"]
        write_output("\n".join(lines), None)
    return 0 if con.loss_verified and con.certificate.certified else 1


def run_theorem2(args) -> int:
    from ..construct.independence import cayley_qnn
    from ..construct.realise import theorem2_construction
    from ..model.instances import load_instance

    params = builtin_params(args)
    if args.d is not None:
        params.setdefault("d", args.d)
    if args.seeds is not None and args.qnn != "cayley":
        raise ValidationError("--seeds", "only applies to --qnn cayley", fix="add --qnn cayley --p P --param d=D")
    if args.qnn == "cayley":
        if args.p is None:
            raise ValidationError("--p", "missing", expected="the number of parameters for --qnn cayley")
        unknown = sorted(set(params) - {"p", "seed", "d"})
        if unknown:
            raise ValidationError("--param", f"unknown parameter {', '.join(map(repr, unknown))} of --qnn cayley",
                                  expected="p, seed, d")
        try:
            d = int(params.get("d", 8))
        except ValueError:
            raise ValidationError("--param d", f"{params['d']!r}", expected="an even dimension, e.g. d=8") from None
        if args.seeds is not None:
            from ..construct.sweeps import SEEDS_COLUMNS, theorem2_over_seeds

            with executor_from_args(args) as ex:
                rows = theorem2_over_seeds(d, args.p, args.seeds, args.eps, args.t, progress=True, executor=ex)
            fmt = args.format if args.format == "json" else "md"
            write_output(table_text(rows, fmt, SEEDS_COLUMNS), args.output)
            return 0 if all(r["certified"] and r["loss_verified"] for r in rows) else 1
        qnn, M = cayley_qnn(d, args.p, params.get("seed", 0))
    else:
        inst = load_instance(args.qnn, **params)
        qnn, M = inst.qnn, inst.observable
    con = theorem2_construction(qnn, M, args.theta_star, args.eps, args.t, args.kappa)
    return _finish(args, con)


def run_prop5(args) -> int:
    from ..construct.prop5 import greedy_demo, prop5_construction

    scal = {}
    for kv in args.scale:
        if "=" not in kv:
            raise ValidationError("--scale", f"{kv!r}", expected="KEY=VALUE, e.g. eps=1/4")
        k, v = kv.split("=", 1)
        scal[k.strip()] = v.strip()
    allowed = {"eps1", "t1", "eps2", "t2"} if args.coupled else {"eps", "t"}
    bad = set(scal) - allowed
    if bad:
        raise ValidationError("--scale", f"unknown {sorted(bad)}", expected=", ".join(sorted(allowed)))
    con = prop5_construction(args.p, args.h, args.m, args.coupled, args.theta_star, args.kappa, **scal)
    extra = None
    if args.greedy:
        g = greedy_demo(con)
        extra = {"greedy from the all-flipped translate (+0.05 per coordinate)":
                 f"ends at loss {g['end_loss']:.6g} vs global {g['global_loss']:.6g}: "
                 + ("stuck in a spurious minimum" if g["stuck"] else "reaches the global minimum"),
                 "greedy from 100 random starts": f"{g['random_spurious_fraction']:.0%} end in a spurious minimum"}
    return _finish(args, con, extra)


def run_integer(args) -> int:
    from ..construct.integer_spectrum import integer_spectrum_construction

    con = integer_spectrum_construction(args.p, args.generator, args.theta_star, kappa=args.kappa)
    return _finish(args, con)
