"""Homotopy backend on dense instances: throughput and the time of each stage (Markdown tables).

First line: which jet kernel tracks (``qnnsym.critical.jetkernel``: compiled, or numpy).  Then, per p
(default 3 4; 5 6 on request) and seed: paths, certified and real solutions, paths/s (tracked
paths per second of tracking), system evaluations per path (the solve's ``evals_mean`` when it
reports one, else "–"), tracking, certification, classification and total seconds.

``--compare`` solves the same polynomial system, interleaved per p in the same run on the same
machine, with PHCpack (``phc -b``: blackbox, one task; Debian ``phcpack``, ``bash
.ci/install-engines.sh``) and Bertini 2 (PyPI ``bertini2``: ``bertini.solve`` with its defaults,
adaptive precision and the power-series endgame, a fixed seed, a fresh records directory) when they
are installed.  The system is qnnsym's own: the tan form of the critical-point equations
(``p`` integer polynomials in ``t_j = tan(φ'_j/2)``, rotated by ``qnnsym.exact.tanform.ROTATION``, whose
``2^p·perm(d)`` solutions are all finite, :func:`qnnsym.exact.tanform.tan_system`), written out with its
exact integer coefficients.  Each engine runs in a child process under ``--engine-timeout``; its CPU
seconds are the child's (user + system), qnnsym's are this process's and its workers'.  A solve stopped at
``--engine-timeout`` (wall) or ``--engine-cpu-limit`` (CPU) is reported as stopped, with the CPU seconds
it used.  "tracking" is the solve's ``tracking`` time when it reports one, else its ``track + certify``
(tracking with the per-batch Krawczyk certification); "certification" is then the final certification.  The engines'
solution counts are numerical (no certificate); qnnsym's are certified.

``--proof`` instead re-checks in full the ``proofs/`` certificates that CI checks by a seeded sample
(``qnnsym.certify.proofs.SAMPLED``, docs/certificates.md "Sampled checks") and prints the time.

Usage: python benchmarks/homotopy.py [P ...] [--seeds S ...] [--workers W] [--time-limit SEC]
                                     [--compare] [--engine-timeout SEC] [--engine-cpu-limit SEC]
       python benchmarks/homotopy.py --proof [--workers W]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from qnnsym import loss_poly  # noqa: E402
from qnnsym.critical.dense import dense_instance  # noqa: E402
from qnnsym.critical.system import critical_system  # noqa: E402
from qnnsym.critical.table import critical_table  # noqa: E402
from qnnsym.exact.tanform import ROTATION, tan_system  # noqa: E402


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its waited-for children."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def child_cpu() -> float:
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return c.ru_utime + c.ru_stime


def polynomial_text(T) -> str:
    """``Σ c·t1^k1·…`` of an integer tensor (PHCpack and Bertini share this syntax)."""
    terms = []
    for idx, c in zip(*_nonzero(T)):
        mono = "*".join(f"t{j + 1}" + (f"^{k}" if k > 1 else "") for j, k in enumerate(idx) if k)
        terms.append(f"{'+' if c > 0 else '-'} {abs(c)}" + (f"*{mono}" if mono else ""))
    return " ".join(terms) or "0"


def _nonzero(T):
    import numpy as np

    idx = [tuple(int(k) for k in i) for i in zip(*np.nonzero(T != 0))]
    return idx, [int(T[i]) for i in idx]


def _limits(cpu_limit: float | None):
    """``preexec_fn`` of an engine's child: at most ``cpu_limit`` CPU seconds (then SIGXCPU ends it)."""
    if cpu_limit is None:
        return None
    n = max(1, int(cpu_limit))
    return lambda: resource.setrlimit(resource.RLIMIT_CPU, (n, n + 5))


def _stopped(rc: int, cpu_limit: float | None) -> str | None:
    import signal

    if cpu_limit is not None and rc in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"stopped at its CPU limit {cpu_limit:.0f} s"
    return None


def run_engine(cmd: list, timeout: float, cpu_limit: float | None, cwd: str, **kw):
    """Run one external solve under the wall ``timeout`` and the CPU limit: ``(completed process, cpu, wall)``,
    or ``(None, status dict)`` when it was stopped."""
    c0, t0 = child_cpu(), time.perf_counter()
    try:
        res = subprocess.run(cmd, stdin=subprocess.DEVNULL, timeout=timeout, cwd=cwd, preexec_fn=_limits(cpu_limit),
                             **kw)
    except subprocess.TimeoutExpired:
        return None, {"status": f"stopped at {timeout:.0f} s wall", "cpu": child_cpu() - c0,
                      "wall": time.perf_counter() - t0}
    cpu, wall = child_cpu() - c0, time.perf_counter() - t0
    if _stopped(res.returncode, cpu_limit):
        return None, {"status": _stopped(res.returncode, cpu_limit), "cpu": cpu, "wall": wall}
    return res, {"cpu": cpu, "wall": wall}


def run_phc(tens, timeout: float, cpu_limit: float | None = None) -> dict:
    p = len(tens)
    with tempfile.TemporaryDirectory() as d:
        inp, out = os.path.join(d, "sys"), os.path.join(d, "out")
        with open(inp, "w") as f:
            f.write(f"{p}\n" + "".join(polynomial_text(T) + ";\n" for T in tens))
        res, took = run_engine(["phc", "-b", inp, out], timeout, cpu_limit, d, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        if res is None:
            return took
        text = open(out).read() if os.path.exists(out) else ""

    def last(pattern):
        got = re.findall(pattern, text)
        return int(got[-1]) if got else None

    return {"status": "done", **took,
            "paths": last(r"(?:mixed volume|total degree|root count)\s*:\s*(\d+)") or last(r"A list of (\d+) solutions"),
            "finite": last(r"Number of regular solutions\s*:\s*(\d+)"),
            "singular": last(r"Number of singular solutions\s*:\s*(\d+)"),
            "real": last(r"Number of real solutions\s*:\s*(\d+)"),
            "complex": last(r"Number of complex solutions\s*:\s*(\d+)"),
            "failures": last(r"Number of failures\s*:\s*(\d+)")}


_BERTINI = r"""
import json, sys, tempfile
import bertini
src = open(sys.argv[1]).read()
s = bertini.parse.system(src)
with tempfile.TemporaryDirectory() as d:
    r = bertini.solve(s, seed=1, directory=d, show_progress=False)
    sv = r.solver
    out = {"paths": sv.num_paths(), "finite": len(sv.finite_solutions()), "real": len(sv.real_solutions()),
           "singular": len(sv.singular_solutions()), "nonsingular": len(sv.nonsingular_solutions())}
print(json.dumps(out))
"""


def run_bertini(tens, timeout: float, cpu_limit: float | None = None) -> dict:
    p = len(tens)
    names = ", ".join(f"t{j + 1}" for j in range(p))
    src = (f"variable_group {names};\nfunction " + ", ".join(f"f{l + 1}" for l in range(p)) + ";\n"
           + "".join(f"f{l + 1} = {polynomial_text(T)};\n" for l, T in enumerate(tens)))
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "sys")
        with open(inp, "w") as f:
            f.write(src)
        res, took = run_engine([sys.executable, "-c", _BERTINI, inp], timeout, cpu_limit, d, capture_output=True,
                               text=True)
    if res is None:
        return took
    if res.returncode != 0:
        return {"status": "failed: " + (res.stderr.strip().splitlines() or ["?"])[-1][:80], **took}
    got = json.loads(res.stdout.strip().splitlines()[-1])
    got["complex"] = got["finite"] - got["real"]
    return {"status": "done", **took, **got}


def bertini_available() -> str | None:
    """``None`` when Bertini 2 imports, else why not."""
    r = subprocess.run([sys.executable, "-c", "import bertini"], capture_output=True, text=True)
    return None if r.returncode == 0 else "not installed (" + (r.stderr.strip().splitlines() or ["?"])[-1][:60] + ")"


def _fmt(x, spec=".1f"):
    return "–" if x is None else format(x, spec)


def full_proof_check(workers: int | None) -> None:
    """Re-prove in full (``qnnsym check`` without ``--sample``) the certificates CI checks by a sample."""
    from qnnsym.certify.checker.check import check_files
    from qnnsym.certify.proofs import SAMPLED, proofs_root

    print("| certificate | verdict | claims | seconds |")
    print("|---|---|---|---|")
    for name, entry in SAMPLED.items():
        for _, verdicts, err, dt in check_files([proofs_root() / name], workers=workers or 2,
                                                max_cost=entry["max_cost"]):
            ok = err is None and all(v.ok for v in verdicts)
            print(f"| {name} | {'ACCEPTED' if ok else 'REJECTED: ' + (err or next(v.detail for v in verdicts if not v.ok))} "
                  f"| {len(verdicts or [])} | {dt:.1f} |", flush=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("p", nargs="*", type=int, default=[3, 4])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--time-limit", type=float, default=None, help="seconds per instance (then: incomplete, N of B)")
    ap.add_argument("--compare", action="store_true", help="also PHCpack (phc -b) and Bertini 2 on the same system")
    ap.add_argument("--engine-timeout", type=float, default=900.0,
                    help="wall seconds per external solve (default 900)")
    ap.add_argument("--engine-cpu-limit", type=float, default=None,
                    help="CPU seconds per external solve (RLIMIT_CPU; fairer than wall seconds on a loaded machine)")
    ap.add_argument("--proof", action="store_true",
                    help="instead: the full check (every box, every point) of the proofs/ certificates that CI checks by "
                         "a seeded sample (qnnsym.certify.proofs.SAMPLED: dense p = 5), timed")
    args = ap.parse_args(argv)
    if args.proof:
        full_proof_check(args.workers)
        return
    rows, cmp_rows = [], []
    from qnnsym.critical.jetkernel import load as jet_kernel

    lib = jet_kernel()
    print(f"jet kernel: {'compiled, ' + lib._name if lib is not None else 'numpy (no C compiler, or QNNSYM_JET_KERNEL=numpy)'}",
          flush=True)
    phc = shutil.which("phc")
    bertini_why = bertini_available() if args.compare else None
    for p in args.p:
        for seed in args.seeds:
            inst = dense_instance(p, seed=seed)
            c0, t0 = cpu_seconds(), time.perf_counter()
            t = critical_table(inst, backend="homotopy", workers=args.workers, time_limit=args.time_limit,
                               progress=sys.stderr.isatty())
            tot, cpu = time.perf_counter() - t0, cpu_seconds() - c0
            r = t.blocks[0].result
            st, tm = r.boxes["stats"], r.timings
            track = tm.get("tracking", tm.get("track + certify", 0.0))
            cert = tm.get("certification", tm.get("final certification"))
            rows.append(f"| {p} | {seed} | {r.boxes['bound']} | {r.boxes['n_certified']} | {t.n_real} | {t.status} | "
                        f"{st['tracked'] / max(track, 1e-9):.0f} | {_fmt(st.get('evals_mean'), '.0f')} | {track:.1f} | "
                        f"{_fmt(cert, '.2f')} | {t.timings['classify']:.2f} | {tot:.1f} | {cpu:.1f} |")
            print(rows[-1], flush=True)
            if not args.compare:
                continue
            cmp_rows.append(f"| {p} | {seed} | qnnsym homotopy (workers {st['workers']}) | {cpu:.1f} | {tot:.1f} | "
                            f"{st['tracked']} | {st['tracked'] / max(cpu, 1e-9):.0f} | {r.boxes['n_certified']} | "
                            f"{t.n_real} | {r.boxes['n_certified'] - t.n_real} | certified (complete: {t.complete}) |")
            print(cmp_rows[-1], flush=True)
            tens, _ = tan_system(critical_system(loss_poly(inst)).gradient, p, ROTATION)
            engines = [("PHCpack `phc -b` (1 task)", (lambda: run_phc(tens, args.engine_timeout, args.engine_cpu_limit)) if phc else None,
                        "not installed (no `phc` on PATH)"),
                       ("Bertini 2 `bertini.solve` (defaults)",
                        (lambda: run_bertini(tens, args.engine_timeout, args.engine_cpu_limit)) if bertini_why is None else None, bertini_why)]
            for name, run, why in engines:
                if run is None:
                    cmp_rows.append(f"| {p} | {seed} | {name} | {why} | | | | | | | |")
                else:
                    g = run()
                    paths = g.get("paths")
                    cmp_rows.append(f"| {p} | {seed} | {name} | {g['cpu']:.1f} | {g['wall']:.1f} | {_fmt(paths, 'd')} | "
                                    f"{_fmt(paths / max(g['cpu'], 1e-9) if paths else None, '.0f')} | "
                                    f"{_fmt(g.get('finite'), 'd')} | {_fmt(g.get('real'), 'd')} | "
                                    f"{_fmt(g.get('complex'), 'd')} | {g['status']}"
                                    + (f", {g['singular']} singular" if g.get("singular") else "")
                                    + (f", {g['failures']} failures" if g.get("failures") else "") + " |")
                print(cmp_rows[-1], flush=True)
    print("\n| p | seed | paths | certified | real | status | paths/s | evals/path | tracking s | certification s "
          "| classification s | total s | CPU s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    if args.compare:
        print("\n| p | seed | engine | CPU s | wall s | paths | paths/CPU s | finite solutions | real | non-real | "
              "status |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        print("\n".join(cmp_rows))


if __name__ == "__main__":
    main()
