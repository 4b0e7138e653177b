"""``qnnsym check`` and ``qnnsym prove``: re-check certificates; regenerate the evidence of ``proofs/``.

A thin layer over :mod:`qnnsym.certify.checker` and :mod:`qnnsym.certify.certificate`.  ``qnnsym critical … --certificate
FILE`` calls :func:`write_certificate`.

Exit status: 0 every certificate accepted; 1 some claim rejected; 2 bad input (not a certificate).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import ValidationError
from .common import add_progress_arg, progress_on

__all__ = ['register', 'run_check', 'run_prove']

CHECK_EXAMPLES = """examples:
  qnnsym check proofs/theorem7-dense/dense-p3-seed0.json
  qnnsym check cert.json --quiet            # one line per file
  qnnsym check a.json b.json --format json

exit status: 0 all accepted; 1 a claim was rejected; 2 not a certificate / unreadable."""

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
    pp.add_argument("--force", action="store_true",
                    help="--regenerate: replace existing certificates (without it an existing one is refused, "
                         "before any work; each file is reported as new, unchanged or replaced)")
    add_progress_arg(pp, quiet_alias=False)
    pp.set_defaults(func=run_prove)


def run_check(args) -> int:
    """Check each file in its own process (no file can influence another); exit 0 / 1 / 2."""
    import json

    from ..certify.checker.check import check_files, format_verdicts
    from ..certify.checker.common import verdict_record

    bad = malformed = 0
    results = []
    for f, verdicts, err, dt in check_files(args.files, progress=progress_on(args)):
        if err is not None:
            malformed += 1
            print(f"error: {err}", file=sys.stderr)
            if args.format == "json":
                results.append({"file": f, "accepted": False, "error": err, "seconds": round(dt, 3), "verdicts": []})
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
        res = check_all(root, progress=progress_on(args))
        n_bad = sum(not r["accepted"] for r in res)
        print(f"{len(res) - n_bad}/{len(res)} certificates accepted in {time.perf_counter() - t0:.1f} s")
        return 1 if n_bad else 0
    names = args.regenerate or list(PROOFS)
    for name in names:
        t0 = time.perf_counter()
        for path, what in regenerate_proof(name, root, progress=progress_on(args), replace=args.force):
            print(f"wrote {path} ({what}) [{time.perf_counter() - t0:.1f} s]", file=sys.stderr)
    return 0
