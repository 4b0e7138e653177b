"""``qnnsym landscape`` and ``qnnsym report``: graph, tree, basins, pictures and the one-page report."""
from __future__ import annotations

import argparse
import json
import sys

from ..errors import ValidationError
from .common import (
    FIGURE_SUFFIXES,
    add_format_arg,
    add_instance_args,
    add_output_arg,
    add_progress_arg,
    add_time_limit_arg,
    instance_from_args,
    nonneg_int,
    progress_on,
    write_output,
)

__all__ = ["register"]

EXAMPLES = """examples:
  qnnsym landscape graph dense --p 2 --seed 0              # which saddle joins which two minima
  qnnsym landscape tree dense --p 3 --seed 1 --plot tree.png   # disconnectivity tree (+ tree.json)
  qnnsym landscape basins dense --p 2 --seed 0 --samples 4000 --compare
  qnnsym landscape basins prop5 --p 6 --compare --starts 2000
  qnnsym landscape map dense --p 2 --seed 0 --plot map.png     # torus contour map (+ map.csv, map.json)
  qnnsym landscape slices dense --p 3 --seed 0 --plot slices.png
  qnnsym landscape spectrum prop5 --p 3 --plot spectrum.svg

exit status: 0 done; 3 the table is not complete or some descent was unmatched; 2 bad input."""

VERBS = ("graph", "tree", "basins", "map", "slices", "spectrum")


def register(sub) -> None:
    ap = sub.add_parser("landscape", help="minima–saddle graph, disconnectivity tree, basins, landscape pictures",
                        description="Turn the certified table of critical points into the landscape picture: "
                                    "steepest descent from every index-1 saddle to the minima it joins (graph), "
                                    "superbasins merging as the level rises (tree), basin volumes by sampling "
                                    "(compared with the optimisers of Sect. 6), torus maps, slices and the Fourier "
                                    "spectrum of L. Every figure is also saved as data (CSV/JSON) beside it.",
                        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=VERBS, metavar="WHAT", help="one of: " + ", ".join(VERBS))
    _common(ap)
    add_format_arg(ap, "csv", "latex", what="the table")
    add_output_arg(ap, "-o", "--output", help="write the table to this file instead of standard output")
    add_output_arg(ap, "--plot", help="also draw the figure to this file (.png/.svg/.pdf; data saved beside it)",
                   suffixes=FIGURE_SUFFIXES, companions=(".csv", ".json"))
    ap.add_argument("--compare", action="store_true",
                    help="basins: also train the optimisers of Sect. 6 and compare their success rates")
    ap.set_defaults(func=run_landscape)

    rp = sub.add_parser("report", help="one self-contained HTML page (and Markdown) of an instance's landscape",
                        description="Write DIR/report.html (images embedded), DIR/report.md, figures with their "
                                    "data, the certified table, its certificate with the checker's verdicts, and "
                                    "landscape.json with every number of the page.",
                        epilog="examples:\n  qnnsym report dense --p 2 --seed 0 -o out/\n  qnnsym report prop5 --p 4 "
                               "-o prop5/ --samples 20000", formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(rp)
    add_output_arg(rp, "-o", "--output", kind="dir", help="output folder (required)")
    rp.add_argument("--no-certificate", action="store_true", help="do not write and check the certificate")
    rp.set_defaults(func=run_report)


def _common(ap) -> None:
    add_instance_args(ap)
    ap.add_argument("--backend", choices=["auto", "sympy", "msolve", "homotopy"], default="auto",
                    help="engine of the critical table (see 'qnnsym critical --help')")
    add_time_limit_arg(ap, "the critical table, then for the sampling of 'basins' (checked after every batch)")
    ap.add_argument("--samples", type=nonneg_int, default=4000, metavar="N",
                    help="uniform starts for the basin volumes (default 4000; 0: skip)")
    ap.add_argument("--starts", type=nonneg_int, default=1000, metavar="N",
                    help="starts per optimiser in the comparison (default 1000; 0: skip)")
    ap.add_argument("--optimizers", default="lbfgs,adam,rmsprop", metavar="LIST",
                    help="optimisers compared with the global basin share (default lbfgs,adam,rmsprop)")
    ap.add_argument("--sample-seed", type=nonneg_int, default=0, metavar="S",
                    help="seed of the basin samples and optimiser starts (default 0)")
    add_progress_arg(ap)


def _optimizers(args) -> list[str]:
    from ..sim.optimizers import OPTIMIZERS

    opts = [o.strip() for o in args.optimizers.split(",") if o.strip()]
    bad = [o for o in opts if o not in OPTIMIZERS]
    if bad:
        raise ValidationError("--optimizers", f"unknown {', '.join(bad)}", expected="some of " + ", ".join(OPTIMIZERS))
    if not opts:
        raise ValidationError("--optimizers", "empty list (nothing to compare)",
                              expected="one or more of " + ", ".join(OPTIMIZERS), fix="e.g. --optimizers lbfgs,adam")
    return opts


def _table(args, inst):
    from ..critical.table import critical_table

    table = critical_table(inst, backend=args.backend, time_limit=args.time_limit, progress=_progress(args))
    print(f"route: {table.route_summary()}", file=sys.stderr)
    return table


def _progress(args) -> bool:
    return progress_on(args)


def _command(args) -> str:
    parts = [args.instance] + ([f"--p {args.p}"] if args.p is not None else []) + \
        ([f"--seed {args.seed}"] if args.seed is not None else []) + [f"--param {kv}" for kv in args.param]
    return " ".join(parts)


def _render(rows, fmt: str, extra: dict | None = None, head: list[str] | None = None) -> str:
    from ..tables import table_text

    if fmt == "json":
        return json.dumps(dict(extra or {}, rows=rows), indent=1, default=str)
    if fmt == "csv":
        return table_text(rows, "csv")
    out = [f"- {h}" for h in head or []]
    return "\n".join(out + ([""] if out else []) + [table_text(rows, "md") if rows else "(no rows)"])


def run_landscape(args) -> int:
    from ..landscape.graph import graph_rows, graph_summary, minima_saddle_graph, product_graph
    from ..landscape.points import blocks_from_table

    inst = instance_from_args(args)
    if args.what == "map":
        _refuse_map(inst)
    table = _table(args, inst)
    blocks = blocks_from_table(table)
    prog = _progress(args)
    status = 0 if table.complete else 3
    plot = args.plot
    if args.what in ("graph", "tree", "map", "slices"):
        record = 5 if args.what == "map" else 0
        graphs = [minima_saddle_graph(b, record=record, progress=prog) for b in blocks]
    if args.what in ("graph", "tree"):
        G = product_graph(graphs)
        summ = graph_summary(G)
        if summ["unmatched"]:
            status = 3
        if args.what == "graph":
            head = [f"{k.replace('_', ' ')}: {v}" for k, v in summ.items()]
            head += [f"unmatched: saddle {r.saddle} ({'+' if r.sign > 0 else '-'}): {r.reason}"
                     for r in G.graph.get("unmatched", [])]
            text = _render(graph_rows(G), args.format, {"summary": summ, "descents": [
                r.to_json() for r in G.graph.get("descents", [])]}, head)
            if plot:
                from ..landscape.disconnectivity import disconnectivity_tree
                from ..report.figures import draw_tree

                _wrote(draw_tree(disconnectivity_tree(G), plot))
        else:
            from ..landscape.disconnectivity import disconnectivity_tree

            T = disconnectivity_tree(G)
            rows = [{"minimum": x, "loss": _shown(T.value(x)), "global": x in T.global_minima,
                     "gap": _shown(T.gap_value(x)), "escape_barrier": T.escape_barrier(x)} for x in T.leaf_order()]
            merges = [{"level": _shown(m.level if m.level_exact is None else m.level_exact), "saddle": m.saddle,
                       "joins": f"{sorted(m.left, key=str)} + "
                       f"{sorted(m.right, key=str)}"} for m in T.merges]
            if args.format == "json":
                text = json.dumps(T.to_json(), indent=1, default=str)
            elif args.format == "csv":
                text = _render(rows, "csv")
            else:
                text = _render(rows, "md", head=[f"connected: {T.connected} ({len(T.roots)} component(s))"]) + \
                    "\n\n" + _render(merges, "md")
            if plot:
                from ..report.figures import draw_tree

                _wrote(draw_tree(T, plot))
    elif args.what == "basins":
        from ..landscape.basins import basin_volumes

        if args.samples < 1:
            raise ValidationError("--samples", "0", expected="a positive number of samples for 'basins'")
        res = basin_volumes(blocks, n=args.samples, seed=args.sample_seed, progress=prog, time_limit=args.time_limit)
        sc = res.sum_check()
        head = [f"{res.n} uniform starts (seed {res.seed}); global basin share {res.global_share:.4f} "
                f"[{res.global_ci[0]:.4f}, {res.global_ci[1]:.4f}] (95% Wilson); unmatched {res.unmatched}",
                f"shares sum to {sc['sum_shares']:.6g}; intervals sum to [{sc['sum_ci_low']:.4f}, {sc['sum_ci_high']:.4f}]"]
        if "partial" in res.meta:
            head.insert(0, f"PARTIAL ({res.meta['partial']})")
        success = []
        if args.compare:
            from ..report.analysis import compare_rates, optimizer_success

            success = optimizer_success(inst, float(sum(table.min_loss) / 2), _optimizers(args), args.starts or 1000,
                                        args.sample_seed, prog, blocks=blocks)
            for r in success:
                c = compare_rates(res.global_share, res.n, r["success_rate"], r["runs"])
                r.update(vs_basin_z=c["z"], vs_basin_agree=c["agree"])
                head.append(f"{r['optimizer']}: success {r['success_rate']:.4f} [{r['ci_low']:.4f}, {r['ci_high']:.4f}] "
                            f"of {r['runs']} runs; vs global basin share: z = {c['z']:.2f} "
                            f"({'agree' if c['agree'] else 'DIFFER'} at 95%)")
                head.append(f"    paired with the flow from its own starts: {r['starts_in_global_basin']:.4f} of them lie "
                            f"in the global basin; {r['left_start_basin']:.4f} of the runs ended in another minimum's "
                            f"basin ({r['into_global']:.4f} into the global one, {r['out_of_global']:.4f} out of it)")
        text = _render(res.rows, args.format, {"basins": res.to_json(), "success": success}, head)
        if plot:
            from ..report.figures import draw_basins

            _wrote(draw_basins(res, plot, success))
    elif args.what in ("map", "slices"):
        from ..report.figures import draw_slices, draw_torus_map

        if args.what == "map" and len(blocks) != 1:
            raise ValidationError("map", f"{len(blocks)} blocks", expected="a table listing its points",
                                  fix="use 'qnnsym landscape slices'")
        rows = [q.to_json() for q in blocks[0].points]
        for r in rows:
            if r.pop("loss_exact") is not None:
                r["loss"] = _shown(next(q.loss_exact for q in blocks[0].points if q.label == r["label"]))
            r["theta"] = " ".join(f"{t:.8g}" for t in r["theta"])
        text = _render(rows, args.format, {"blocks": [list(b.indices) for b in blocks]})
        if plot:
            draw = draw_torus_map if args.what == "map" else draw_slices
            _wrote(draw(blocks[0], plot, graph=graphs[0]))
    else:  # spectrum
        from ..landscape.basins import full_loss
        from ..landscape.slices import fourier_spectrum

        loss = full_loss(blocks)
        rows = [dict(r, k=" ".join(str(x) for x in r["k"])) for r in fourier_spectrum(loss)]
        text = _render(rows, args.format, {"p": loss.p})
        if plot:
            from ..report.figures import draw_spectrum

            _wrote(draw_spectrum(loss, plot))
    write_output(text, args.output)
    return status


def _shown(v):
    """A number for a landscape table: an exact value as ``1/6``, a float as is."""
    from fractions import Fraction

    from ..exact.scalars import format_scalar

    return format_scalar(v) if isinstance(v, (Fraction, int)) and not isinstance(v, bool) else v


def _refuse_map(inst) -> None:
    """A torus map needs p = 2: refused before the table is solved."""
    if inst.p != 2:
        raise ValidationError("map", f"p = {inst.p}", expected="a two-parameter loss for a torus map",
                              fix="use 'qnnsym landscape slices' for p ≠ 2")


def _wrote(paths) -> None:
    print("wrote " + ", ".join(str(p) for p in paths), file=sys.stderr)


def run_report(args) -> int:
    from ..report.page import write_report

    if not args.output:
        raise ValidationError("-o", "missing", expected="an output folder, e.g. -o out/")
    inst = instance_from_args(args)
    table = _table(args, inst)
    from ..report.analysis import analyse

    an = analyse(inst, table=table, samples=args.samples, starts=args.starts, seed=args.sample_seed,
                 optimizers=_optimizers(args), progress=_progress(args))
    res = write_report(inst, args.output, analysis=an, command=_command(args), certificate=not args.no_certificate)
    print(f"wrote {args.output}/report.html and report.md ({len(res['files'])} files) in "
          f"{an.timings.get('total', 0) + res['seconds']:.1f} s", file=sys.stderr)
    gs = res["summary"]["graph"]
    return 0 if table.complete and (gs is None or gs["unmatched"] == 0) else 3
