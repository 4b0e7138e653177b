"""``qnnsym expand`` and ``qnnsym list``."""
from __future__ import annotations

import argparse
import json
import sys

from ..errors import ValidationError
from ..tables import json_text, table_text
from .common import (
    add_format_arg,
    add_instance_args,
    add_output_arg,
    add_progress_arg,
    add_time_limit_arg,
    instance_from_args,
    progress_on,
    write_output,
)

__all__ = ["register"]

EXAMPLES = """examples:
  qnnsym expand prop5 --p 3 --loss --format json
  qnnsym expand prop5 --p 2 --sample 0 --format latex
  qnnsym expand prop5 --p 2 --phi          # the operators Φ_ξ(M) themselves
  qnnsym expand examples/two_qubit.json --check
  qnnsym expand dense --p 9 --loss --time-limit 120 -o L.json --format json   # past the default size

Before it starts, expand estimates the job (upper bounds on propagated terms, output and loss terms,
and an order-of-magnitude time; the Pauli engine's cost follows the light cone of the gates, never 2^n)
and refuses, quoting the estimate, one that would take more than a minute unless --time-limit is given."""

LIST_EXAMPLES = """examples:
  qnnsym list
  qnnsym list --params                  # p, seed and the --param KEY=VALUE of every built-in
  qnnsym list --params --format json"""


def register(sub) -> None:
    ap = sub.add_parser("expand", help="exact Fourier expansion of outputs and loss (eqs. 7-12)",
                        description="Print the exact expansion f(ρ_k, θ) = Σ_ξ tr(ρ_k Φ_ξ(M)) χ_ξ(θ) (eq. 12) of "
                                    "every sample, of one sample, or of the loss L(θ).",
                        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_instance_args(ap)
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--sample", type=int, metavar="K", help="only sample K (0-based)")
    what.add_argument("--loss", action="store_true",
                      help="the loss L(θ) (eq. 6), or the instance's objective (energy, weighted square loss)")
    what.add_argument("--phi", action="store_true", help="the operators Φ_ξ(M) (eq. 10)")
    add_format_arg(ap, "csv", "latex", what="the expansion (csv: one row per term)")
    ap.add_argument("--engine", choices=["auto", "pauli", "dense"], default="auto",
                    help="pauli: Pauli propagation (Pauli generators; cost follows the terms, not 2^n); dense: "
                         "exact matrices; auto (default): pauli where every generator is a Pauli string")
    add_time_limit_arg(ap, "the expansion")
    add_progress_arg(ap)
    ap.add_argument("--check", action="store_true",
                    help="also run the identity checks (simulation agreement, traces, π/2 rule, support bound)")
    add_output_arg(ap, "-o", "--output", help="write to this file instead of standard output")
    ap.set_defaults(func=run_expand)

    ls = sub.add_parser("list", help="list built-in instances (and, with --params, their parameters)",
                        description="List the built-in instances; with --params also each one's parameters "
                                    "(given as --p, --seed or --param KEY=VALUE), their defaults and meaning.",
                        epilog=LIST_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ls.add_argument("--params", action="store_true", help="also list every built-in's parameters and defaults")
    add_format_arg(ls, what="the list")
    ls.set_defaults(func=run_list)


def run_list(args) -> int:
    from ..model.instances import BUILTINS, builtin_factory, builtin_parameters

    rows = []
    for name in sorted(BUILTINS):
        try:
            params = builtin_parameters(name)
            doc = (builtin_factory(name).__doc__ or "").strip().splitlines()[0]
        except (ImportError, AttributeError):
            params, doc = [], "(not available in this installation)"
        rows.append({"name": name, "description": doc, **({"parameters": params} if args.params else {})})
    if args.format == "json":
        print(json.dumps(rows, indent=1))
        return 0
    lines = []
    for r in rows:
        lines.append(f"{r['name']:16s} {r['description'].replace('``', '')}")
        for q in r.get("parameters", []):
            flag = f"--{q['name']} V" if q["name"] in ("p", "seed") else f"--param {q['name']}=V"
            lines.append(f"    {flag:22s} default {q['default']:6s} {q['help'].replace('``', '')}")
    print("\n".join(lines))
    return 0


def run_expand(args) -> int:
    from ..budget import Budget
    from ..exact.paulis import PauliSum
    from ..expansion.cost import expansion_estimate, refuse_out_of_reach
    from ..expansion.phi import loss_poly, output_polys, phi_terms
    from ..model.circuit import to_opmatrix
    inst = instance_from_args(args)
    if args.sample is not None and not 0 <= args.sample < inst.m:
        raise ValidationError("--sample", f"{args.sample}", expected=f"a sample index 0..{inst.m - 1}")
    header = {"instance": inst.name, "p": inst.p, "m": inst.m, "dim": inst.dim, "exact": inst.exact,
              "objective": inst.objective.kind}
    if args.phi:
        terms = phi_terms(inst.qnn, inst.observable, args.engine)
        items = sorted(terms.items(), key=lambda kv: h_key(kv[0]))
        out = dict(header, phi=[{"h": list(h), "xi": _xi(h), "operator": (op.to_labels() if isinstance(op, PauliSum)
                                                                           else to_opmatrix(op).to_rows())}
                                for h, op in items])
        mark = "%" if args.format == "latex" else "#"
        lines = [f"{mark} Φ_ξ(M) for {inst.name} (p = {inst.p}, {len(items)} non-zero terms)", ""]
        for h, op in items:
            s = op.to_string() if isinstance(op, PauliSum) else str(to_opmatrix(op).to_rows())
            lines.append(f"- ξ = {_xi(h)}: {s}" if args.format == "md" else f"\\Phi_{{{_xi(h)}}}(M) = {s}")
        rows = [{"xi": _xi(h), "h": " ".join(map(str, h)), "operator": op.to_string() if isinstance(op, PauliSum)
                 else str(to_opmatrix(op).to_rows())} for h, op in items]
        return _write(args, inst, out, lines, rows)
    est = expansion_estimate(inst, args.engine, loss=args.loss)
    refuse_out_of_reach(est, args.time_limit)
    budget = Budget(args.time_limit, progress=progress_on(args), label="expand")
    try:
        with budget.step("outputs"):
            fs = output_polys(inst, args.engine, budget=budget)
        if args.loss:
            with budget.step("loss"):
                L = loss_poly(inst, outputs=fs)
    finally:
        budget.close()
    if args.loss:
        polys = [("L", L)]
    elif args.sample is not None:
        polys = [(f"f_{args.sample}", fs[args.sample])]
    else:
        polys = [(f"f_{k}", f) for k, f in enumerate(fs)]
    out = dict(header, polys=[dict(name=name, **P.as_json(), fourier_degree=P.fourier_degree(),
                                   degrees=list(P.degrees()))
                              for name, P in polys])
    if args.format == "latex":
        lines = [f"{name.replace('_', '_{') + ('}' if '_' in name else '')}(\\theta) = {P.to_latex()}"
                 for name, P in polys]
    else:
        lines = [f"# Expansion of {inst.name}: p = {inst.p}, m = {inst.m}, dim = {inst.dim}, "
                 f"{'exact' if inst.exact else 'exact over Q(√2)' if inst.qnn.sqrt2_exact else 'floating point'}"
                 + ("" if inst.objective.kind == "square-loss" else f", objective {inst.objective.kind}"), ""]
        for name, P in polys:
            lines.append(f"{name}(θ) = {P.to_string()}")
            lines.append(f"  ({len(P.terms)} terms, Fourier degree {P.fourier_degree()}, per-parameter degrees "
                         f"{list(P.degrees())}, in units of φ_l = {P.omega[0] if len(set(P.omega)) == 1 else P.omega}·θ_l)")
    rows = [{"poly": name, "h": " ".join(map(str, h)), "coefficient": c} for name, P in polys
            for h, c in P.as_json()["terms"]]
    return _write(args, inst, out, lines, rows)


def _write(args, inst, out: dict, lines: list[str], rows: list[dict]) -> int:
    """Write the expansion in the requested format, with the ``--check`` results inside it
    (a ``checks`` list in JSON, ``[PASS]`` lines in Markdown, ``%`` comments in LaTeX, standard
    error for CSV, whose standard output is the table of terms only); exit 1 on a failure."""
    results = []
    if args.check:
        from ..expansion.checks import run_checks

        results = run_checks(inst)
    if args.format == "json":
        if args.check:
            out = dict(out, checks=[{"name": r.name, "passed": bool(r.passed), "detail": r.detail} for r in results])
        write_output(json_text(out), args.output)
    elif args.format == "csv":
        write_output(table_text(rows, "csv"), args.output)
        for r in results:
            print(f"[{'PASS' if r.passed else 'FAIL'}] {r.name}: {r.detail}", file=sys.stderr)
    else:
        mark = "% " if args.format == "latex" else ""
        checks = [f"{mark}[{'PASS' if r.passed else 'FAIL'}] {r.name}: {r.detail}" for r in results]
        write_output("\n".join(lines + ([""] if checks and args.format == "md" else []) + checks), args.output)
    return 1 if any(not r.passed for r in results) else 0


def h_key(h):
    return (sum(1 for x in h if x), h)


def _xi(h) -> str:
    """``ξ`` as a word like ``"012"`` (two-level gates), else the harmonic index list."""
    from ..exact.trigpoly import h_to_xi

    try:
        return "".join(map(str, h_to_xi(h)))
    except ValidationError:
        return str(list(h))
