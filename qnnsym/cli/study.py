"""``qnnsym study {theorem6,minima}``: the Theorem-6 study of random QNNs (eqs. 21–23) and the
multi-start count of local minima."""
from __future__ import annotations

import argparse
import sys
import time

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

STUDY_EXAMPLES = """examples:
  qnnsym study theorem6 --d 4 8 16 32 --p 1 2 3 4 --samples 200 --seed 0 --format md
  qnnsym study theorem6 --samples 500 --format csv -o t6.csv --plot t6.png
  qnnsym study minima --family prop5-coupled --p 1 2 4 8 16 --starts 4096"""


def register(sub) -> None:
    sp = sub.add_parser("study", help="the Theorem-6 study and the multi-start count of minima",
                        epilog=STUDY_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ssub = sp.add_subparsers(dest="what", metavar="WHAT")
    t6 = ssub.add_parser("theorem6", help="random QNNs of eq. 21: linear independence and eq. 23 (Gershgorin)",
                         epilog=STUDY_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    t6.add_argument("--d", type=int, nargs="+", default=[4, 8, 16, 32])
    t6.add_argument("--p", type=int, nargs="+", default=[1, 2, 3, 4])
    t6.add_argument("--samples", type=int, default=200)
    t6.add_argument("--seed", type=nonneg_int, default=0)
    t6.add_argument("--tol", type=finite_float, default=1e-10)
    add_format_arg(t6, "csv", "latex", what="the table")
    add_output_arg(t6, "--plot", suffixes=FIGURE_SUFFIXES, help="write a figure (PNG/PDF; needs the plot extra: matplotlib)")
    add_output_arg(t6, "-o", "--output", help="write the table to this file instead of standard output")
    add_progress_arg(t6)
    t6.set_defaults(func=run_theorem6)
    mn = ssub.add_parser("minima", help="distinct local minima found by batched multi-start descent (numeric)",
                         epilog=STUDY_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    mn.add_argument("--family", choices=["prop5", "prop5-coupled"], default="prop5")
    mn.add_argument("--p", type=int, nargs="+", default=[1, 2, 4, 8, 12, 16])
    mn.add_argument("--starts", type=int, default=4096, help="maximum starts per p (8·2^p when smaller)")
    mn.add_argument("--seed", type=nonneg_int, default=0)
    add_format_arg(mn, "csv", "latex", what="the table")
    add_output_arg(mn, "-o", "--output", help="write the table to this file instead of standard output")
    add_progress_arg(mn)
    mn.set_defaults(func=run_minima)
    sp.set_defaults(func=lambda a: (sp.print_help(), 0)[1])


def run_theorem6(args) -> int:
    from ..construct.independence import STUDY_COLUMNS, theorem6_study

    t0 = time.perf_counter()
    rows = theorem6_study(args.d, args.p, args.samples, args.seed, args.tol, progress=progress_on(args))
    fmt_rows = [{k: (f"{v:.4g}" if isinstance(v, float) else v) for k, v in r.items()} for r in rows]
    write_output(table_text(rows if args.format == "json" else fmt_rows, args.format, STUDY_COLUMNS), args.output)
    if args.plot:
        from ..plots import plot_theorem6

        plot_theorem6(rows, args.plot)
    print(f"[{sum(r['samples'] for r in rows)} random QNNs in {time.perf_counter() - t0:.1f} s, seed {args.seed}]",
          file=sys.stderr)
    return 0


def run_minima(args) -> int:
    from tqdm import tqdm

    from ..construct.prop5 import prop5_construction
    from ..sim.search import multistart_minima

    rows = []
    try:
        for p in tqdm(args.p, disable=not progress_on(args), desc="multistart", unit="p"):
            if args.family == "prop5-coupled" and p < 2:
                continue
            t0 = time.perf_counter()
            con = prop5_construction(p, coupled=args.family == "prop5-coupled")
            n = min(8 * 2 ** p, args.starts)
            r = multistart_minima(con.loss, n, seed=args.seed, progress=progress_on(args))
            rows.append({"p": p, "starts": n, "converged": r["converged"], "distinct_minima": r["distinct_minima"],
                         "2^p": 2 ** p, "certified_minima": con.certificate.n_minima if con.certificate.certified else "",
                         "global_fraction": f"{r['global_fraction']:.4g}",
                         "seconds": round(time.perf_counter() - t0, 2)})
    except KeyboardInterrupt:
        print("interrupted: partial table", file=sys.stderr)
    write_output(table_text(rows, args.format), args.output)
    return 0
