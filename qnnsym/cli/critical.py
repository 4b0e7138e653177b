"""``qnnsym critical``: the certified table of critical points of an instance's loss (Sect. 5)."""
from __future__ import annotations

import argparse
import sys

from ..errors import ValidationError
from ..executor import add_executor_args, check_scheduler, get_executor
from .common import (
    add_certificate_arg,
    add_format_arg,
    add_instance_args,
    add_output_arg,
    add_progress_arg,
    add_time_limit_arg,
    instance_from_args,
    progress_on,
    write_output,
)

__all__ = ["register", "run_critical"]

EXAMPLES = """examples:
  qnnsym critical prop5 --p 3                       # 8 minima, 7 spurious, certified
  qnnsym critical prop5 --p 16 --format json -o t.json   # 4^16 points: aggregated counts
  qnnsym critical dense --p 2 --seed 0 --backend sympy
  qnnsym critical dense --p 3 --seed 0 --backend msolve --format csv
  qnnsym critical dense --p 4 --seed 0 --backend homotopy --certificate p4.json   # 6144 certified boxes
  qnnsym critical dense --p 5 --backend homotopy --executor dask --scheduler tcp://HOST:8786 --checkpoint ck/
  qnnsym critical dense --p 5 --backend homotopy --checkpoint ck/ --resume   # continue after Ctrl-C or a crash
  qnnsym critical prop5 --p 2 --param s1_copies=2   # a degenerate critical point (w = 1/2)
  qnnsym critical my_instance.json --time-limit 60

  qnnsym critical qaoa-triangle-r2.json --level-width 0.0625   # a 2-dimensional set of minima, covered by regions

exit status: 0 complete table (also a positive-dimensional set covered by regions); 3 partial (timed out /
interrupted / not proven complete); 4 positive-dimensional critical set without a table; 2 bad input."""


def register(sub) -> None:
    ap = sub.add_parser("critical", help="certified table of the loss's critical points (Sect. 5)",
                        description="Solve the critical-point system of the loss L (eq. 6) exactly, classify every real "
                                    "critical point (loss value, Hessian index, minimum/saddle/maximum/degenerate, "
                                    "global or spurious with the gap) and state the certification level. Separable "
                                    "losses are split into independent blocks; huge tables are reported as counts "
                                    "by loss level and index.",
                        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_instance_args(ap)
    ap.add_argument("--backend", choices=["auto", "sympy", "msolve", "homotopy", "exhaustion"], default="auto",
                    help="solving engine (auto: the route predicted fastest among those with the strongest "
                         "certification within a minute, from the multihomogeneous bound and the engines installed, "
                         "completed by exhaustion when a block is below the bound; the notes say which and why; "
                         "exhaustion: real points only, complete by a branch-and-prune cover of the torus)")
    add_executor_args(ap, workers_help="homotopy: worker processes tracking batches of paths (default: every core; "
                                       "with --executor dask and no --scheduler: LocalCluster workers, default 2); "
                                       "exhaustion: processes for the box tests (default 1); both: processes classifying the "
                                       "real points (default 1)")
    ap.add_argument("--checkpoint", default=None, metavar="DIR",
                    help="homotopy: store every finished batch of paths in DIR (created), so that an interruption "
                         "loses only the batches in flight (docs/scale-out.md)")
    ap.add_argument("--resume", action="store_true",
                    help="homotopy: continue the run stored in --checkpoint DIR (same instance and --seed-start); "
                         "its finished batches are not tracked again")
    ap.add_argument("--seed-start", type=int, default=0, metavar="S",
                    help="homotopy: seed of the random start system and gamma (default 0)")
    ap.add_argument("--level-width", type=float, default=None, metavar="EPS",
                    help="a positive-dimensional critical set that is not decomposed is covered by regions (real "
                         "exhaustion, level 'certified (real exhaustion, degenerate)'): every local minimum is proven "
                         "within EPS of min L (default: the sum of |coefficients| / 256)")
    add_format_arg(ap, "csv", "latex", what="the table")
    add_time_limit_arg(ap)
    ap.add_argument("--max-points", type=int, default=None, metavar="N",
                    help="list at most N points, otherwise aggregated counts (default 10000)")
    add_progress_arg(ap)
    add_output_arg(ap, "-o", "--output", help="write to this file instead of standard output")
    add_certificate_arg(ap)
    ap.set_defaults(func=run_critical)


def run_critical(args) -> int:
    from ..critical.table import MAX_POINTS, critical_table

    if args.max_points is not None and args.max_points < 0:
        raise ValidationError("--max-points", f"{args.max_points}", expected="a non-negative integer")
    if args.workers is not None and args.workers < 1:
        raise ValidationError("--workers", f"{args.workers}", expected="a positive number of processes")
    if args.seed_start < 0:
        raise ValidationError("--seed-start", f"{args.seed_start}", expected="a non-negative integer")
    _check_homotopy_args(args)
    if args.level_width is not None and not args.level_width > 0:
        raise ValidationError("--level-width", f"{args.level_width}", expected="a positive number",
                              fix="e.g. --level-width 0.0625")
    inst = instance_from_args(args)
    if args.certificate and not inst.exact:
        raise ValidationError("--certificate", "certificates need exact data; this instance is " + (
                              "exact over Q(√2) (T gates: its table is exact, but the checker reads rational data only)"
                              if inst.qnn.sqrt2_exact else "floating point (its table is verified for an enclosure of "
                              "the coefficients, not exact)"),
                              expected="an exact instance (rational data, fixed angles multiples of π/2)",
                              fix="drop --certificate, or write the instance's numbers exactly")
    table = critical_table(inst, backend=args.backend, time_limit=args.time_limit, workers=args.workers,
                           seed=args.seed_start, executor=args.executor, scheduler=args.scheduler,
                           checkpoint=args.checkpoint, resume=args.resume,
                           progress=progress_on(args), level_width=args.level_width,
                           max_points=MAX_POINTS if args.max_points is None else args.max_points)
    write_output(table.to_text(args.format), args.output)
    if args.certificate and table.components is not None:
        from ..errors import CertificateError

        raise CertificateError("a table of components is exact but has no independent certificate yet (the "
                               "checker cannot re-prove a Gröbner decomposition); the table was written")
    if args.certificate:
        if table.degenerate is not None:          # a cover with region leaves, re-proved leaf by leaf
            from ..certify.certificate import write_json
            from ..certify.exhaustion import degenerate_certificate

            write_json(degenerate_certificate(inst, table.degenerate.dc), args.certificate)
        elif args.backend == "exhaustion":         # a cover of the torus, re-proved box by box by the checker
            from ..certify.certificate import write_json
            from ..certify.exhaustion import exhaustion_certificate

            one = table.blocks[0].result if len(table.blocks) == 1 and table.blocks[0].result is not None else None
            cover = one.boxes["cover"] if one is not None and one.boxes else None
            write_json(exhaustion_certificate(inst, cover=cover), args.certificate)
        else:
            from ..certify.certificate import write_certificate

            write_certificate(table, inst, args.certificate)
        print(f"certificate written to {args.certificate} (check it with: qnnsym check {args.certificate})", file=sys.stderr)
    if table.status != "complete":
        print(f"qnnsym critical: {table.status}" + (f" ({table.notes[-1]})" if table.notes else ""), file=sys.stderr)
    if table.dimension > 0 and table.components is None and table.degenerate is None:
        return 4
    return 0 if table.status == "complete" else 3


def _check_homotopy_args(args) -> None:
    """``--executor dask``, ``--scheduler``, ``--checkpoint`` and ``--resume`` belong to the homotopy (or
    ``auto``, which may choose it); the address and the dask install are checked before any work."""
    other = args.backend not in ("homotopy", "auto")
    for flag, given in (("--executor", args.executor == "dask"), ("--checkpoint", args.checkpoint is not None),
                        ("--resume", args.resume)):
        if given and other:
            raise ValidationError(flag, f"does not apply to --backend {args.backend}",
                                  expected="--backend homotopy (or auto)", fix=f"drop {flag}, or use --backend homotopy")
    if args.resume and args.checkpoint is None:
        raise ValidationError("--resume", "needs the checkpoint folder of the run",
                              fix="add --checkpoint DIR (the folder the run was started with)")
    if args.executor == "local":
        get_executor("local", args.scheduler, args.workers)     # refuses --scheduler and a bad --workers
    elif args.scheduler is not None:
        check_scheduler(args.scheduler)                         # a malformed address, before any work
