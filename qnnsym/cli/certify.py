"""``qnnsym check`` and ``qnnsym prove``: re-check certificates; regenerate the evidence of ``proofs/``.

A thin layer over :mod:`qnnsym.certify.checker` and :mod:`qnnsym.certify.certificate`.  ``qnnsym critical … --certificate
FILE`` calls :func:`write_certificate`.

Exit status: 0 every certificate accepted; 1 some claim rejected (a claim over --max-cost included); 2 bad input
(not a certificate, not a regular file, too large) or no verdict (the checking process crashed or was killed).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import ValidationError
from .common import add_progress_arg, nonneg_int, progress_on

__all__ = ['register', 'run_check', 'run_prove']

CHECK_EXAMPLES = """examples:
  qnnsym check proofs/theorem7-dense/dense-p3-seed0.json
  qnnsym check cert.json --quiet            # one line per file
  qnnsym check a.json b.json --format json
  qnnsym check proofs/theorem7-dense/dense-p4-seed0.json --kernel ball   # every box re-proved in Arb balls
  qnnsym check big.json --max-cost 1e11      # allow a longer re-derivation than the default 1e9
  qnnsym check proofs/theorem7-dense/dense-p5-seed0.json --sample 2000   # a seeded sample of the 122,880 boxes

Each file is checked in its own process: a file that crashes its check or whose process is killed
(e.g. by the out-of-memory killer) gets an error, and every other file is still reported.  Files must
be regular files (not FIFOs, devices or folders) of at most --max-bytes bytes.

exit status: 0 all accepted; 1 a claim was rejected; 2 not a certificate / unreadable / no verdict."""

PROVE_EXAMPLES = """examples:
  qnnsym prove --list
  qnnsym prove --check-all                  # re-check every certificate under proofs/
  qnnsym prove --regenerate --root /tmp/p   # recompute all of proofs/ elsewhere (slow: solves the systems again)
  qnnsym prove --regenerate theorem7-dense --force   # replace the committed certificates
  qnnsym prove --regenerate theorem7-dense"""


def register(sub) -> None:
    ap = sub.add_parser("check", help="re-check a certificate independently (verdict per claim)",
                        description="Independent checker: rebuilds the loss from the instance by direct simulation, "
                                    "verifies the parametrization exactly modulo the eliminant, counts real roots, "
                                    "proves a unique critical point in every box (Krawczyk), re-derives Hessian "
                                    "indices, loss values and counts; or re-verifies symbolic / Pauli-circuit / "
                                    "Fourier-degree identities. Prints a verdict per claim.",
                        epilog=CHECK_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", metavar="FILE", help="certificate JSON file(s)")
    ap.add_argument("--quiet", action="store_true", help="only the ACCEPTED/REJECTED line per file")
    ap.add_argument("--format", choices=["md", "json"], default="md", type=lambda s: "md" if s == "text" else s,
                    help="md (default): one verdict line per claim; json: every verdict as data")
    ap.add_argument("--kernel", choices=["auto", "float", "ball"], default="auto",
                    help="Krawczyk kernel for homotopy boxes: auto (default) = float on every box, and Arb balls on "
                         "every box a completeness/global claim depends on; ball = every box in Arb balls; "
                         "float = the float kernel only (docs/certification-levels.md, 'Trusted base')")
    ap.add_argument("--sample", type=_count("--sample"), default=None, metavar="N",
                    help="a sampled check of large homotopy certificates: re-prove N boxes and N/20 real points drawn "
                         "with --sample-seed, check everything else in full, take the rest as claimed; the verdict "
                         "line says 'ACCEPTED (sampled check: …)' (default: re-prove every box)")
    ap.add_argument("--sample-seed", type=nonneg_int, default=0, metavar="S", help="seed of --sample (default 0)")
    ap.add_argument("--workers", type=_count("--workers"), default=None, metavar="N",
                    help="processes: with one FILE, its homotopy boxes are re-proved by N forked processes (same "
                         "verdicts as 1); with several, N files are checked at once (default: up to 2)")
    _add_limit_args(ap)
    add_progress_arg(ap, quiet_alias=False)
    ap.set_defaults(func=run_check)

    pp = sub.add_parser("prove", help="the paper's statements verified on instances: check or regenerate proofs/",
                        description="proofs/ holds one folder per statement of the paper with committed certificates. "
                                    "--check-all re-checks every certificate (CI runs it); --regenerate recomputes them.",
                        epilog=PROVE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = pp.add_mutually_exclusive_group(required=True)
    g.add_argument("--check-all", action="store_true", help="check every *.json certificate under proofs/")
    g.add_argument("--regenerate", nargs="*", metavar="NAME", help="regenerate these proofs (all if none given)")
    g.add_argument("--list", action="store_true", help="list the proofs and their certificates")
    pp.add_argument("--root", default=None, help="the proofs/ folder (default: the one of this source tree)")
    pp.add_argument("--full", action="store_true",
                    help="--check-all: re-prove every box of the certificates that CI checks by a seeded sample "
                         "(the dense p = 5 homotopy certificate: about 10 min)")
    _add_limit_args(pp)
    pp.add_argument("--force", action="store_true",
                    help="--regenerate: replace existing certificates (without it an existing one is refused, "
                         "before any work; each file is reported as new, unchanged or replaced)")
    add_progress_arg(pp, quiet_alias=False)
    pp.set_defaults(func=run_prove)


def _count(flag: str):
    """An argparse type: a positive integer, also written ``1e9`` or ``10**9``."""
    def parse(text: str) -> int:
        t = text.strip().replace("_", "").replace(",", "")
        try:
            if "**" in t:
                b, e = t.split("**")
                v = int(b) ** int(e) if int(e) <= 100 else -1
            elif "e" in t.lower():
                m, e = t.lower().split("e")
                v = int(float(m) * 10 ** int(e)) if 0 <= int(e) <= 100 else -1
            else:
                v = int(t)
        except ValueError:
            v = -1
        if v < 1:
            raise argparse.ArgumentTypeError(f"{flag} {text!r}: expected a positive integer (e.g. 1000000000 or 1e9)")
        return v
    return parse


#: the checker's defaults as the help states them (not imported: building the parser loads no checker;
#: tests/test_checker_hostile.py compares them with cost.DEFAULT_MAX_COST and strict.MAX_BYTES)
MAX_COST_HELP, MAX_BYTES_HELP = "1e9", "67108864 = 64 MiB"


def _add_limit_args(ap) -> None:
    ap.add_argument("--max-cost", type=_count("--max-cost"), default=None, metavar="N",
                    help="largest estimated cost of one re-derivation, in elementary operations (about 1 µs each; "
                         f"default {MAX_COST_HELP}); a claim above it is rejected as 'not checked' with its estimate "
                         "(docs/certificates.md, 'Hostile files and limits')")
    ap.add_argument("--max-bytes", type=_count("--max-bytes"), default=None, metavar="N",
                    help=f"largest certificate file read (default {MAX_BYTES_HELP})")


def run_check(args) -> int:
    """Check each file in its own process (no file can influence another); exit 0 / 1 / 2."""
    import json

    from ..certify.checker.check import check_files, format_verdicts
    from ..executor import check_workers
    from ..certify.checker.common import printable, verdict_record

    bad = malformed = 0
    results = []
    workers = None if args.workers is None else check_workers(args.workers)
    for f, verdicts, err, dt in check_files(args.files, progress=progress_on(args), kernel=args.kernel,
                                            max_cost=args.max_cost, max_bytes=args.max_bytes, workers=workers,
                                            sample=args.sample, sample_seed=args.sample_seed):
        if err is not None:
            malformed += 1
            print(f"error: {err}", file=sys.stderr)
            if args.format == "md":     # the report on stdout names every file, this one too
                print(f"{printable(f)}: ERROR (no verdict: see the error above) [{dt:.1f} s]")
            if args.format == "json":
                results.append({"file": printable(f), "accepted": False, "error": err, "seconds": round(dt, 3),
                                "verdicts": []})
            continue
        ok = all(v.ok for v in verdicts)
        bad += not ok
        if args.format == "json":
            results.append(verdict_record(f, verdicts, dt))
        elif args.quiet:
            print(format_verdicts(verdicts, f).splitlines()[-1] + f" [{dt:.1f} s]")
        else:
            print(format_verdicts(verdicts, f) + f" [{dt:.1f} s]")
    if args.format == "json":
        print(json.dumps(results, indent=1))
    return 2 if malformed else (1 if bad else 0)


def run_prove(args) -> int:
    from ..certify.proofs import PROOFS, check_all, proofs_root, regenerate_proof

    if args.root is not None and not args.root.strip():
        raise ValidationError("--root", "empty path", expected="a proofs/ folder",
                              fix="leave --root out for the proofs of this source tree")
    root = Path(args.root) if args.root is not None else proofs_root()
    if args.check_all and not root.is_dir():
        raise ValidationError(f"--root {root}", "no such folder", expected="a proofs/ folder")
    if args.list:
        for name, files in PROOFS.items():
            print(f"{name}: " + ", ".join(files))
        return 0
    if args.check_all:
        t0 = time.perf_counter()
        res = check_all(root, progress=progress_on(args), max_cost=args.max_cost, max_bytes=args.max_bytes,
                        full=args.full)
        n_bad = sum(not r["accepted"] for r in res)
        print(f"{len(res) - n_bad}/{len(res)} certificates accepted in {time.perf_counter() - t0:.1f} s")
        return 1 if n_bad else 0
    names = args.regenerate or list(PROOFS)
    for name in names:
        t0 = time.perf_counter()
        for path, what in regenerate_proof(name, root, progress=progress_on(args), replace=args.force):
            print(f"wrote {path} ({what}) [{time.perf_counter() - t0:.1f} s]", file=sys.stderr)
    return 0
