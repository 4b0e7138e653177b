"""The real-circuit gallery (docs/gallery.md): every circuit of ``examples/circuits/`` through the command
line — ``qnnsym import``, ``qnnsym critical --certificate``, ``qnnsym check`` — with a time limit, and
the QAOA rows against a multistart L-BFGS-B search written without qnnsym (``benchmarks/qaoa_maxcut.py``'s
numpy state vectors).

Run: ``OPENBLAS_NUM_THREADS=1 python benchmarks/gallery.py [time_limit] [starts] [NAME ...]``
(defaults 120 s and 2000 starts) writes ``benchmarks/gallery_results.json`` (one row per circuit, updated
in place); ``python benchmarks/gallery.py --table`` prints it as the Markdown table of docs/gallery.md.
"""
from __future__ import annotations

import functools
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
ROOT = Path(__file__).resolve().parent.parent
C = "examples/circuits/"

#: name -> (source, objective, the ``qnnsym import`` arguments after the source)
GALLERY = {
    "qaoa-triangle-r1-qiskit": ("Qiskit qaoa_ansatz", C + "qaoa_qiskit.py:triangle_r1", ""),
    "qaoa-triangle-r1-pennylane": ("PennyLane qml.qaoa", C + "qaoa_pennylane.py:triangle_r1", "--qnode-args '[[0.1],[0.2]]'"),
    "qaoa-cycle4-r1-qiskit": ("Qiskit qaoa_ansatz", C + "qaoa_qiskit.py:cycle4_r1", ""),
    "qaoa-cycle4-r1-pennylane": ("PennyLane qml.qaoa", C + "qaoa_pennylane.py:cycle4_r1", "--qnode-args '[[0.1],[0.2]]'"),
    "qaoa-triangle-r2-qiskit": ("Qiskit qaoa_ansatz", C + "qaoa_qiskit.py:triangle_r2", ""),
    "qaoa-triangle-r2-pennylane": ("PennyLane qml.qaoa", C + "qaoa_pennylane.py:triangle_r2", "--qnode-args '[[0.1,0.3],[0.2,0.4]]'"),
    "qaoa-cycle4-r2-qiskit": ("Qiskit qaoa_ansatz", C + "qaoa_qiskit.py:cycle4_r2", ""),
    "qaoa-cycle4-r2-pennylane": ("PennyLane qml.qaoa", C + "qaoa_pennylane.py:cycle4_r2", "--qnode-args '[[0.1,0.3],[0.2,0.4]]'"),
    "strongly-entangling-1q": ("PennyLane StronglyEntanglingLayers", C + "pennylane_templates.py:strongly_entangling_1q",
                               "--qnode-args '[[[[0.1,0.2,0.3]]]]'"),
    "basic-entangler-2q": ("PennyLane BasicEntanglerLayers", C + "pennylane_templates.py:basic_entangler",
                           "--qnode-args '[[[0.1,0.2]]]'"),
    "vqe-h2-like": ("Qiskit (hand-written)", C + "vqe_h2.py:make", ""),
    "qasm3-shared": ("OpenQASM 3 (hand-written)", C + "ansatz_shared.qasm", '--observable \'{"pauli": [["1", "Z0 Z1"], ["1", "X0"]]}\''),
    "real-amplitudes-r1": ("Qiskit real_amplitudes", C + "qiskit_library.py:real_amplitudes_r1", ""),
    "efficient-su2-ry": ("Qiskit efficient_su2 (RY)", C + "qiskit_library.py:efficient_su2_small", ""),
    "two-local-tied": ("Qiskit n_local (layer-tied)", C + "qiskit_library.py:two_local_shared", ""),
    "simplified-two-design": ("PennyLane SimplifiedTwoDesign", C + "pennylane_templates.py:simplified_two_design",
                              "--qnode-args '[[0.1,0.2],[[[0.3,0.4]]]]'"),
    "strongly-entangling-2q": ("PennyLane StronglyEntanglingLayers", C + "pennylane_templates.py:strongly_entangling_2q",
                               "--qnode-args '[[[[0.1,0.2,0.3],[0.4,0.5,0.6]]]]'"),
    "t-gate": ("Qiskit (hand-written, H·T)", C + "fixed_angles.py:t_gate", ""),
    "rx-0.37": ("Qiskit (hand-written, RX(0.37))", C + "fixed_angles.py:rx037", ""),
}


#: rows whose instance is not rational (a T gate: exact over Q(√2); RX(0.37): verified): no certificate (the
#: checker reads rational data only), so two commands
NO_CERTIFICATE = {"t-gate", "rx-0.37"}


def commands(name: str, limit: float) -> list[str]:
    """The commands of a gallery row (run in the repository root): import, critical (with a certificate) and check."""
    _, src, extra = GALLERY[name]
    imp = f"qnnsym import {src} {extra} --objective energy -o {name}.json".replace("  ", " ")
    crit = f"qnnsym critical {name}.json --workers 1 --time-limit {limit:g}"
    if name in NO_CERTIFICATE:
        return [imp, crit]
    return [imp, crit + f" --certificate {name}.cert.json", f"qnnsym check {name}.cert.json"]


def _run(cmd: str, cwd: str, timeout: float) -> tuple[int, str, float]:
    t0 = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1")
    cmd = cmd.replace(" examples/", f" {ROOT}/examples/")
    try:
        r = subprocess.run(cmd, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
        return r.returncode, (r.stdout + r.stderr).strip(), time.perf_counter() - t0
    except subprocess.TimeoutExpired:
        return 124, "killed after the timeout", time.perf_counter() - t0


def _float(q: str) -> float:
    """A rational ``"a/b"`` of the table as a float to 9 decimals (display only)."""
    from fractions import Fraction

    return round(float(Fraction(q)), 9)


def direct_float_search(inst_path: Path, starts: int, omega=None, seed: int = 0) -> dict:
    """Distinct local minima of ``starts`` L-BFGS-B runs on the instance's energy by qnnsym's direct float
    simulator (``expm`` of each gate, no expansion, no critical machinery), per period ``[0, 2π/ω_l)``
    (``omega``: the table's frequencies, whose periods the table counts in; default the circuit's)."""
    from scipy.optimize import minimize

    from qnnsym.expansion import outputs_direct_float
    from qnnsym.model.instances import load_instance

    inst = load_instance(inst_path)
    period = 2 * np.pi / np.asarray(omega or inst.qnn.omega, dtype=float)
    rng = np.random.default_rng(seed)
    found = []
    t0 = time.perf_counter()
    for _ in range(starts):
        r = minimize(lambda x: float(outputs_direct_float(inst, x)[0, 0]), rng.uniform(0, period),
                     method="L-BFGS-B", options={"gtol": 1e-10, "ftol": 1e-15})
        x = np.mod(r.x, period)
        if not any(np.all(np.abs(np.mod(x - y + period / 2, period) - period / 2) < 1e-4) for y, _ in found):
            found.append((x, r.fun))
    vals = [v for _, v in found]
    return {"float_minima_distinct": len(found), "float_min_E": round(min(vals), 9),
            "float_min_values": sorted({round(v, 6) for v in vals})[:8], "float_starts": starts,
            "float_time_s": round(time.perf_counter() - t0, 1),
            "float_minima": [([float(t) for t in x], float(v)) for x, v in found], "float_period": period.tolist()}


def gallery_row(name: str, limit: float = 120.0, float_starts: int = 0) -> dict:
    """Run one circuit through import → critical (+ certificate) → check; the row of docs/gallery.md."""
    imp, crit, *chk = commands(name, limit)
    out = {"circuit": name, "source": GALLERY[name][0]}
    with tempfile.TemporaryDirectory() as d:
        rc, txt, t = _run(imp, d, 300)
        if rc:
            out.update(status=f"import failed: {txt.splitlines()[-1][:120]}")
            return out
        inst = json.loads(Path(d, f"{name}.json").read_text())
        out["parameters"] = inst.get("parameters")
        out["p"] = len(inst.get("parameters") or []) or sum(1 for g in inst["circuit"] if "gate" in g)
        out["gates"] = sum(1 for g in inst["circuit"] if "gate" in g)
        rc, txt, t = _run(crit.replace(f"--time-limit {limit:g}", f"--time-limit {limit:g} --format json -o tab.json"),
                          d, limit + 60)
        out["critical_exit"], out["time_s"] = rc, round(t, 1)
        tab_path = Path(d, "tab.json")
        if not tab_path.exists():
            if float_starts:
                out.update(direct_float_search(Path(d, f"{name}.json"), float_starts))
            out["status"] = f"no table (exit {rc}): {txt.splitlines()[-1][:120] if txt else ''}"
            return out
        tab = json.loads(tab_path.read_text())
        if float_starts:
            out.update(direct_float_search(Path(d, f"{name}.json"), float_starts, tab.get("omega")))
        c = tab.get("counts") or {}
        out.update(status=tab.get("status"), certification=tab.get("certification"),
                   complex=tab.get("n_complex"), bound=(tab.get("bounds") or {}).get("multihomogeneous"),
                   minima=c.get("minima"), global_minima=c.get("global_minima"),
                   spurious_minima=c.get("spurious_minima"), saddles=c.get("saddles"),
                   maxima=c.get("maxima"), degenerate=c.get("degenerate"),
                   undecided_global=c.get("undecided_global"),
                   min_E=_float(tab["min_loss"][0]) if tab.get("min_loss") else None)
        if tab.get("points") and not tab.get("reduction"):
            out["table_minima"] = [([float(t) for t in cp["theta"]], _float(cp["loss_interval"][0]))
                                   for cp in tab["points"] if cp.get("kind") == "minimum"]
            if float_starts and "float_minima" in out:
                out.update(agreement(out["float_minima"], out["table_minima"], out["float_period"]))
        if tab.get("reduction"):                  # redundant parameters: a table of critical manifolds
            out["manifold_dimension"] = tab.get("component_dimension")
            out["reduced_rank"] = tab["reduction"].get("rank")
        if rc and txt:
            out["critical_note"] = txt.splitlines()[-1][:160]
        if chk and Path(d, f"{name}.cert.json").exists():
            rc, txt, t = _run(chk[0], d, 300)
            out["check"] = ("ACCEPTED" if rc == 0 else f"rejected (exit {rc})") + f" in {t:.1f} s"
            if rc:
                out["check_note"] = " | ".join(l for l in txt.splitlines() if "REJECT" in l or "fail" in l.lower())[:240]
        else:
            out["check"] = "no certificate written" if chk else "– (not rational: no certificate)"
    return out


@functools.lru_cache(maxsize=None)
def _qaoa_float_search(graph: str, names: tuple, starts: int) -> tuple:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from qaoa_maxcut import multistart

    t0 = time.perf_counter()
    found = multistart(graph, list(names), math.pi / 2, starts)   # per period [0, π/2)^p, as the table
    return tuple((tuple(x), v) for x, v in found), time.perf_counter() - t0


def qaoa_float_search(row: dict, starts: int) -> dict:
    """``starts`` L-BFGS-B runs on the numpy QAOA energy (no qnnsym): distinct minima, their values, and
    whether they are the table's listed minima (positions mod ``π/2`` to 1e-4 and values, both ways)."""
    graph = "triangle" if "triangle" in row["circuit"] else "4-cycle"
    names = tuple(n.replace("gammas", "γ").replace("betas", "β") for n in row["parameters"])
    found, t = _qaoa_float_search(graph, names, starts)
    vals = [v for _, v in found]
    out = {"float_minima_distinct": len(found), "float_min_E": round(min(vals), 9),
           "float_min_values": sorted({round(v, 6) for v in vals})[:8], "float_time_s": round(t, 1)}
    if row.get("table_minima") is not None:
        out.update(agreement(found, row["table_minima"], [math.pi / 2] * len(names)))
    return out


def agreement(found, table_minima, period) -> dict:
    """Whether the float minima ``found`` (``(x, E)``) are the table's listed minima: positions modulo ``period``
    to 1e-4 and energies to 1e-8, both ways (``float_in_table``, ``table_in_float``)."""
    per = np.asarray(period, dtype=float)

    def near(x, y):
        return bool(np.all(np.abs(np.mod(np.asarray(x) - np.asarray(y) + per / 2, per) - per / 2) < 1e-4))

    return {"float_in_table": all(any(near(x, y) and abs(v - e) < 1e-8 for y, e in table_minima) for x, v in found),
            "table_in_float": all(any(near(y, x) for x, _ in found) for y, _ in table_minima)}


def gallery_markdown(results: dict) -> str:
    """The table of docs/gallery.md from ``gallery_results.json``."""
    from qnnsym.tables import table_text

    cols = ["circuit", "source", "p", "status", "certification", "time_s", "complex / bound", "minima (global/spurious)",
            "saddles", "maxima", "degenerate", "min E", "check", "float search"]
    rows = []
    for r in results.values():
        row = {k: "–" if r.get(k) is None else r.get(k, "") for k in cols}
        if str(r.get("status", "")).startswith("no table"):
            row["status"] = "refused: " + r["status"].split("error: ", 1)[-1].split(" (expected")[0]
        if r.get("manifold_dimension"):
            row["status"] = f"{r['status']} (manifolds of dim {r['manifold_dimension']}, rank {r.get('reduced_rank')})"
        row["complex / bound"] = f"{r.get('complex') or '–'} / {r.get('bound') or '–'}"
        if r.get("minima") is not None:
            row["minima (global/spurious)"] = (f"{r['minima']} ({r.get('global_minima')}/{r.get('spurious_minima')}"
                                               + (f", {r['undecided_global']} undecided" if r.get("undecided_global") else "")
                                               + ")")
        else:
            row["minima (global/spurious)"] = "–"
        row["min E"] = "–" if r.get("min_E") is None else f"{r['min_E']:.6g}"
        if "float_minima_distinct" in r:
            row["float search"] = (f"{r['float_minima_distinct']} distinct minima / {r.get('float_starts', 2000)} starts, "
                                   f"min E {r['float_min_E']:.6g}")
            if "table_in_float" in r:
                row["float search"] += ("; the same points as the table's minima"
                                        if r["float_in_table"] and r["table_in_float"] else "; NOT the table's minima")
        rows.append(row)
    return table_text(rows, "md", cols)


def main(argv):
    if argv[:1] == ["--table"]:
        print(gallery_markdown(json.loads((ROOT / "benchmarks" / "gallery_results.json").read_text())))
        return
    limit = float(argv[0]) if argv else 120.0
    starts = int(argv[1]) if len(argv) > 1 else 2000
    names = argv[2:] or list(GALLERY)
    res_path = ROOT / "benchmarks" / "gallery_results.json"
    results = json.loads(res_path.read_text()) if res_path.exists() else {}
    for n in names:
        row = gallery_row(n, limit, 0 if n.startswith("qaoa") else min(starts, 200))
        if n.startswith("qaoa") and starts:
            row.update(qaoa_float_search(row, starts))
        row["commands"] = commands(n, limit)
        results[n] = row
        res_path.write_text(json.dumps(results, indent=1, ensure_ascii=False))
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
