"""Constructions: build + exact certificate + numeric multi-start (+ critical engine for p ≤ 3).

Run: ``OPENBLAS_NUM_THREADS=1 python benchmarks/bench_constructions.py [max_starts]``.
Prints one table: family, p, d, κ, loss verified, certified minima/spurious, critical-engine
minima (p ≤ 3), distinct minima found by multi-start, times.
"""
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from qnnsym.construct.construction import critical_check
from qnnsym.construct.independence import cayley_qnn
from qnnsym.construct.integer_spectrum import integer_spectrum_construction
from qnnsym.construct.prop5 import prop5_construction
from qnnsym.construct.realise import theorem2_construction
from qnnsym.sim.search import multistart_minima
from qnnsym.tables import table_text


def row(family, con, starts, critical):
    t1 = time.perf_counter()
    cc = critical_check(con) if critical else None
    t2 = time.perf_counter()
    ms = multistart_minima(con.loss, starts, seed=0) if starts else None
    t3 = time.perf_counter()
    cert = con.certificate
    return {"family": family, "p": con.instance.p, "d": con.instance.dim, "kappa": str(con.kappa),
            "loss_verified": con.loss_verified, "certified": cert.certified,
            "minima": cert.n_minima, "spurious": cert.n_spurious,
            "critical_engine": (f"{cc['minima']} min / {cc['spurious_minima']} sp, global@θ* {cc['global_at_theta_star']}"
                                f", {cc['certification']}" if cc else ""),
            "crit_s": round(t2 - t1, 2) if cc else "",
            "multistart": f"{ms['distinct_minima']} of {2 ** con.instance.p if family != 'integer' else cert.n_minima}"
                          f" ({starts} starts)" if ms else "",
            "ms_s": round(t3 - t2, 2) if ms else ""}


def main() -> None:
    max_starts = int(sys.argv[1]) if len(sys.argv) > 1 else 40000
    rows = []
    for p in (1, 2, 3):
        t0 = time.perf_counter()
        q, M = cayley_qnn(8, p, seed=p)
        con = theorem2_construction(q, M)
        r = row("theorem2-cayley", con, 64 * 2 ** p, True)
        r["build_s"] = round(time.perf_counter() - t0, 2)
        rows.append(r)
        print(r, file=sys.stderr)
    for coupled in (False, True):
        for p in (1, 2, 3, 4, 6, 8, 10, 12, 14, 16):
            if coupled and p < 2:
                continue
            t0 = time.perf_counter()
            con = prop5_construction(p, coupled=coupled)
            b = round(time.perf_counter() - t0, 2)
            r = row("prop5-coupled" if coupled else "prop5", con, min(16 * 2 ** p, max_starts), p <= 3)
            r["build_s"] = b
            rows.append(r)
            print(r, file=sys.stderr)
    for gen in ("z1z2", "spin1"):
        for p in (1, 2):
            t0 = time.perf_counter()
            con = integer_spectrum_construction(p, gen)
            r = row("integer", con, 200 * 4 ** p, True)
            r["family"] = f"integer-{gen}"
            r["build_s"] = round(time.perf_counter() - t0, 2)
            rows.append(r)
    print(table_text(rows, "md", ["family", "p", "d", "kappa", "loss_verified", "certified", "minima", "spurious",
                                  "critical_engine", "crit_s", "multistart", "ms_s", "build_s"]))


if __name__ == "__main__":
    main()
