"""``qnnsym study {theorem6,minima}``: the Theorem-6 study of random QNNs (eqs. 21–23) and the
multi-start count of local minima."""
from __future__ import annotations

import argparse
import sys
import time

from ..executor import add_executor_args, executor_from_args
from ..tables import table_text
from .common import (
    FIGURE_SUFFIXES,
    add_format_arg,
    add_output_arg,
    add_progress_arg,
    examples_for,
    finite_float,
    nonneg_int,
    progress_on,
    write_output,
)

__all__ = ["register"]

STUDY_EXAMPLES = """examples:
  qnnsym study theorem6 --d 4 8 16 32 --p 1 2 3 4 --samples 200 --seed 0 --format md
  qnnsym study theorem6 --samples 500 --format csv -o t6.csv --plot t6.png
  qnnsym study minima --family prop5-coupled --p 1 2 4 8 16 --starts 4096
  qnnsym study theorem6 --samples 2000 --executor dask --scheduler tcp://10.0.0.1:8786
  qnnsym study minima --p 8 10 12 14 --executor dask --workers 2   # a LocalCluster of 2 workers"""


def register(sub) -> None:
    sp = sub.add_parser("study", help="the Theorem-6 study and the multi-start count of minima",
                        description="Sweeps over many instances: the Theorem-6 study of random QNNs and the "
                                    "multi-start count of local minima.",
                        epilog=STUDY_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ssub = sp.add_subparsers(dest="what", metavar="WHAT")
    t6 = ssub.add_parser("theorem6", help="random QNNs of eq. 21: linear independence and eq. 23 (Gershgorin)",
                         description="Theorem 6: for Haar-random QNNs of eq. 21 (dimension d, p gates), the fraction "
                                     "of samples with linearly independent Φ_ξ(M) (Definition 1) and with no ξ "
                                     "satisfying eq. 23, one row per (d, p); a sweep over every listed d and p.",
                         epilog=examples_for(STUDY_EXAMPLES, "qnnsym study theorem6"),
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    t6.add_argument("--d", type=int, nargs="+", default=[4, 8, 16, 32], metavar="D",
                    help="Hilbert-space dimensions swept (several values; default 4 8 16 32)")
    t6.add_argument("--p", type=int, nargs="+", default=[1, 2, 3, 4], metavar="P",
                    help="numbers of parameters swept (several values; default 1 2 3 4)")
    t6.add_argument("--samples", type=int, default=200, help="random QNNs per (d, p) (default 200)")
    t6.add_argument("--seed", type=nonneg_int, default=0, help="seed of the random QNNs (default 0)")
    t6.add_argument("--tol", type=finite_float, default=1e-10,
                    help="relative tolerance: independent iff λ_min > tol·λ_max (default 1e-10)")
    add_format_arg(t6, "csv", "latex", what="the table")
    add_output_arg(t6, "--plot", suffixes=FIGURE_SUFFIXES, help="write a figure (PNG/PDF; needs the plot extra: matplotlib)")
    add_output_arg(t6, "-o", "--output", help="write the table to this file instead of standard output")
    add_progress_arg(t6)
    add_executor_args(t6)
    t6.set_defaults(func=run_theorem6)
    mn = ssub.add_parser("minima", help="distinct local minima found by batched multi-start descent (numeric)",
                         description="Count the distinct local minima that batched multi-start descent reaches on "
                                     "the Proposition-5 families, against the 2^p the construction predicts "
                                     "(numeric: a lower bound on the count, not a certificate).",
                         epilog=examples_for(STUDY_EXAMPLES, "qnnsym study minima"),
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    mn.add_argument("--family", choices=["prop5", "prop5-coupled"], default="prop5",
                    help="prop5 (separable, default) or prop5-coupled (Ising couplings)")
    mn.add_argument("--p", type=int, nargs="+", default=[1, 2, 4, 8, 12, 16], metavar="P",
                    help="numbers of parameters swept (several values; default 1 2 4 8 12 16)")
    mn.add_argument("--starts", type=int, default=4096, help="maximum starts per p (8·2^p when smaller)")
    mn.add_argument("--seed", type=nonneg_int, default=0, help="seed of the random starts (default 0)")
    add_format_arg(mn, "csv", "latex", what="the table")
    add_output_arg(mn, "-o", "--output", help="write the table to this file instead of standard output")
    add_progress_arg(mn)
    add_executor_args(mn)
    mn.set_defaults(func=run_minima)
    sp.set_defaults(func=lambda a: (sp.print_help(), 0)[1])


def run_theorem6(args) -> int:
    from ..construct.independence import STUDY_COLUMNS, theorem6_study

    t0 = time.perf_counter()
    with executor_from_args(args) as ex:
        rows = theorem6_study(args.d, args.p, args.samples, args.seed, args.tol, progress=progress_on(args), executor=ex)
        where = ex.describe()
    fmt_rows = [{k: (f"{v:.4g}" if isinstance(v, float) else v) for k, v in r.items()} for r in rows]
    text = table_text(rows if args.format == "json" else fmt_rows, args.format, STUDY_COLUMNS)
    if args.format == "md" and "PARTIAL" in (rows.title or ""):
        text += "\n\n" + rows.title.split(" — ", 1)[1]
    write_output(text, args.output)
    if args.plot:
        from ..plots import plot_theorem6

        plot_theorem6(rows, args.plot)
    print(f"[{sum(r['samples'] for r in rows)} random QNNs in {time.perf_counter() - t0:.1f} s, seed {args.seed}, "
          f"executor {where}]",
          file=sys.stderr)
    return 0


def run_minima(args) -> int:
    from ..construct.sweeps import MINIMA_COLUMNS, minima_study

    t0 = time.perf_counter()
    with executor_from_args(args) as ex:
        rows = minima_study(args.p, args.family, args.starts, args.seed, progress=progress_on(args), executor=ex)
        where = ex.describe()
    write_output(table_text(rows, args.format, MINIMA_COLUMNS), args.output)
    print(f"[{len(rows)} values of p in {time.perf_counter() - t0:.1f} s, executor {where}]", file=sys.stderr)
    return 0
