"""``qnnsym search minima`` and ``qnnsym search bounds``: certified records of many local minima, and the
upper bounds they are measured against (docs/extremal-minima.md)."""
from __future__ import annotations

import argparse
import json
import sys

from .common import (add_format_arg, add_output_arg, add_progress_arg, add_time_limit_arg, examples_for, nonneg_int,
                     progress_on)

__all__ = ["register", "run_search", "records_table"]

EXAMPLES = """examples:
  qnnsym search minima --p 2 --time-limit 60 --out runs/p2        # records: instance + certificate each
  qnnsym search minima --p 2 --out runs/p2 --resume --time-limit 60   # continue the same search
  qnnsym search minima --p 3 --mode realisable --time-limit 600 --out runs/r3
  qnnsym search minima --p 4 --backend homotopy --rounds 1 --out runs/p4
  qnnsym search bounds --p 1 2 3 4

exit status: 0 done (a record was certified, or bounds printed); 3 no record certified; 2 bad input."""


def register(sub) -> None:
    ap = sub.add_parser("search", help="extremal landscapes: search for many certified minima; upper bounds",
                        description="'minima': random restarts + hill climbing on integer residual coefficients of "
                                    "the dense family, scored by a fast float count of minima; the best proposals "
                                    "are solved by the certified engine and every record is written as an instance "
                                    "file and a certificate. 'bounds': the proven upper bounds on the number of "
                                    "minima ((4p)^p, p!·4^p, the Morse cap on T^p) beside the certified records.",
                        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    vs = ap.add_subparsers(dest="what", metavar="WHAT", required=True)
    mp = vs.add_parser("minima", help="search for instances with many certified local minima",
                       description="Hill-climb the integer residual coefficients of the dense family (seeded, "
                                   "one chain per core), scored by a fast float count of minima; the best proposal "
                                   "of each round goes to the certified engine, and every record is written to -o "
                                   "DIR as an instance file and a certificate that 'qnnsym check' re-checks. "
                                   "Resumable (--resume) and bounded (--time-limit).",
                       epilog=examples_for(EXAMPLES, "qnnsym search minima"),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    mp.add_argument("--p", type=int, required=True, help="number of parameters (1..4)")
    mp.add_argument("--mode", choices=["minima", "realisable"], default="minima",
                    help="minima: all local minima; realisable: spurious minima when the labels are the model's "
                         "output at θ = 0 (global minimum exactly 0)")
    mp.add_argument("--seed", type=nonneg_int, default=0, help="seed of the search (default 0)")
    mp.add_argument("--m", type=int, default=None, help="samples (default 2p + 2)")
    mp.add_argument("--coeff-range", type=int, default=3, metavar="R", help="integer coefficients in [-R, R] (default 3)")
    mp.add_argument("--rounds", type=int, default=None,
                    help="rounds (each: --chains hill climbs, the oracle on the best); default: until --time-limit, "
                         "one round without it")
    mp.add_argument("--steps", type=int, default=None, help="hill-climb steps per chain (default by p)")
    mp.add_argument("--starts", type=int, default=None, help="float starts per score (default by p)")
    mp.add_argument("--chains", type=int, default=2, help="hill climbs per round (default 2, one per core)")
    mp.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    mp.add_argument("--backend", choices=["auto", "sympy", "msolve", "homotopy"], default="auto",
                    help="certified engine: auto (exact for p ≤ 3) or homotopy (p = 4)")
    add_output_arg(mp, "--out", "-o", "--output", kind="dir",
                   help="folder for state.json and the records (instance + certificate)")
    mp.add_argument("--resume", action="store_true", help="continue the search saved in --out")
    add_time_limit_arg(mp, "the search (the state is saved; --resume continues)")
    add_progress_arg(mp)
    add_format_arg(mp, what="the summary")
    mp.set_defaults(func=run_search)

    bp = vs.add_parser("bounds", help="upper bounds on #minima beside the certified records",
                       description="For each p: the proven upper bounds on the number of local minima — (4p)^p "
                                   "(Theorem 7), p!·4^p (multihomogeneous Bézout) and the Morse cap on the torus "
                                   "(docs/extremal-minima.md) — beside the best certified record of proofs/extremal-minima.",
                       epilog=examples_for(EXAMPLES, "qnnsym search bounds"),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    bp.add_argument("--p", type=int, nargs="+", required=True, help="numbers of parameters")
    add_format_arg(bp, "csv", what="the table")
    add_output_arg(bp, "-o", "--output", help="write the table to this file instead of standard output")
    bp.set_defaults(func=run_search)


def records_table(ps) -> list[dict]:
    """One row per p: the bounds of :func:`qnnsym.construct.extremal.minima_bounds` and the certified
    records listed in ``proofs/extremal-minima/records.csv`` (re-checked by ``qnnsym prove --check-all``)."""
    import csv

    from ..certify.proofs import proofs_root
    from ..construct.extremal import minima_bounds

    recs: dict = {}
    path = proofs_root() / "extremal-minima" / "records.csv"
    if path.is_file():
        for row in csv.DictReader(path.read_text().splitlines()):
            recs[(int(row["p"]), row["mode"])] = row
    rows = []
    for p in ps:
        b = minima_bounds(p)
        r, s = recs.get((p, "minima")), recs.get((p, "realisable"))
        rows.append({"p": p, "2^p (Theorem 2)": 2 ** p, "best certified #minima": int(r["count"]) if r else None,
                     "best certified #spurious (realisable)": int(s["count"]) if s else None,
                     "(4p)^p (Theorem 7)": b["theorem7"], "p!·4^p (multihomogeneous)": b["multihomogeneous"],
                     "Morse cap": b["morse"], "best upper bound": b["best"],
                     "upper bound, spurious (realisable)": b["spurious"]})
    return rows


def run_search(args) -> int:
    from ..paths import write_text

    if args.what == "bounds":
        from ..construct.extremal import MAX_BOUNDS_P, _check_p

        for p in args.p:
            _check_p(p, max_p=MAX_BOUNDS_P)
        rows = records_table(args.p)
        from ..tables import table_text

        text = table_text([{k: ("—" if v is None else v) for k, v in r.items()} for r in rows] if args.format != "json"
                          else rows, args.format)
        if args.output:
            write_text(args.output, text, "--output")
        else:
            print(text)
        return 0
    from ..construct.extremal import search_minima

    res = search_minima(args.p, mode=args.mode, seed=args.seed, m=args.m, coeff_range=args.coeff_range,
                        rounds=args.rounds, steps=args.steps, starts=args.starts, chains=args.chains,
                        backend=args.backend, out=args.out, resume=args.resume, time_limit=args.time_limit,
                        workers=args.workers, progress=progress_on(args))
    if args.format == "json":
        print(json.dumps(res.to_json(), indent=1))
    else:
        print(res.summary())
    if res.best is None:
        print("no record certified (raise --time-limit or --rounds)", file=sys.stderr)
        return 3
    return 0
