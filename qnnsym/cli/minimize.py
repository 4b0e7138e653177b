"""``qnnsym minimize``: a certified global minimum of an instance's loss (best-first branch-and-bound)."""
from __future__ import annotations

import argparse
import json
import sys

from .common import (
    add_certificate_arg,
    add_format_arg,
    positive_float,
    add_instance_args,
    add_output_arg,
    add_progress_arg,
    add_time_limit_arg,
    instance_from_args,
    progress_on,
    write_output,
)

__all__ = ["register", "run_minimize"]

EXAMPLES = """examples:
  qnnsym minimize dense --p 3 --seed 0
  qnnsym minimize examples/ry_zz_p6.json --time-limit 120
  qnnsym minimize prop5-coupled --p 8                 # certified where the full table is out of reach (24 s)
  qnnsym minimize prop5-coupled --p 4 --certificate min.json   # then: qnnsym check min.json

exit status: 0 certified (search complete, or the interval narrower than --tol); 3 partial (time limit / interrupted: the best interval so far);
2 bad input."""


def register(sub) -> None:
    ap = sub.add_parser("minimize", help="certified global minimum of the loss (branch-and-bound on the torus)",
                        description="An interval that provably contains min L over all parameters, and boxes holding the "
                                    "minimiser(s), by best-first branch-and-bound with rigorous enclosures of L and its "
                                    "gradient (works where the full table of critical points is out of reach). Under a "
                                    "time limit the best interval so far is printed.",
                        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_instance_args(ap)
    add_format_arg(ap, what="the result")
    add_time_limit_arg(ap)
    ap.add_argument("--tol", type=positive_float, default=None, metavar="T",
                    help="stop when the certified interval is narrower than T (default: resolve every box)")
    add_progress_arg(ap)
    add_output_arg(ap, "-o", "--output", help="write to this file instead of standard output")
    add_certificate_arg(ap)
    ap.set_defaults(func=run_minimize)


def run_minimize(args) -> int:
    from ..critical.globalmin import global_minimum

    inst = instance_from_args(args)
    # a certificate's checker re-proves pruning with bounds on L alone: no sharp bounds then
    res = global_minimum(inst, time_limit=args.time_limit, progress=progress_on(args), tol=args.tol,
                         sharp_bounds=not args.certificate)
    text = json.dumps(res.summary(), indent=1) if args.format == "json" else res.to_text()
    write_output(text, args.output)
    if args.certificate:
        from ..certify.certificate import write_json
        from ..certify.exhaustion import global_minimum_certificate

        write_json(global_minimum_certificate(inst, res), args.certificate)
        print(f"certificate written to {args.certificate} (check it with: qnnsym check {args.certificate})", file=sys.stderr)
    if not res.complete and not (args.tol is not None and res.interval[1] - res.interval[0] <= args.tol):
        print("qnnsym minimize: partial (the best interval so far)", file=sys.stderr)
        return 3
    return 0
