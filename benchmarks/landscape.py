"""Measured claims of the landscape tools (issue 11), printed as tables.

1. dense p = 2 and p = 3, several seeds: every index-1 saddle gives two descents; how many reach a
   certified minimum; is the minima–saddle graph connected;
2. basin volumes (sum check) and the global basin share against the L-BFGS (and Adam) success rate,
   Proposition 5 p = 2…8 and dense p = 2, 3;
3. wall time of `qnnsym report dense --p 2 --seed 0`.

Run:  python benchmarks/landscape.py [--quick]
"""
import sys
import tempfile
import time

import qnnsym
from qnnsym.landscape import basin_volumes, blocks_from_table, graph_summary, minima_saddle_graph
from qnnsym.report import compare_rates, optimizer_success
from qnnsym.sim.experiments import gradient_flow_success
from qnnsym.tables import table_text

QUICK = "--quick" in sys.argv
SAMPLES, STARTS = (1000, 200) if QUICK else (4000, 1000)

rows = []
tables = {}
for p, seeds in ((2, range(5)), (3, range(3) if not QUICK else range(1))):
    for seed in seeds:
        inst = qnnsym.load_instance("dense", p=p, seed=seed)
        t0 = time.perf_counter()
        t = qnnsym.critical_table(inst)
        ts = time.perf_counter() - t0
        tables[(p, seed)] = (inst, t)
        (b,) = blocks_from_table(t)
        t1 = time.perf_counter()
        G = minima_saddle_graph(b)
        s = graph_summary(G)
        per_saddle = {}
        for r in G.graph["descents"]:
            per_saddle.setdefault(r.saddle, []).append(r)
        two = all(len(v) == 2 for v in per_saddle.values())
        rows.append({"instance": f"dense p={p} seed={seed}", "minima": s["minima"], "index1_saddles": s["transition_states"],
                     "descents": s["descents"], "two_per_saddle": two, "matched": s["matched"],
                     "unmatched": s["unmatched"], "edges": s["edges"], "connected": s["connected"],
                     "self_loops": s["self_loops"], "table_s": round(ts, 1), "graph_s": round(time.perf_counter() - t1, 2),
                     "reasons": "; ".join(r.reason for r in G.graph["unmatched"])})
print("## minima–saddle graphs\n")
print(table_text(rows, "md"))

rows = []
cases = [(f"prop5 p={p}", qnnsym.prop5_instance(p), None) for p in range(2, 9)]
cases += [(f"dense p={p} seed=0", *tables[(p, 0)]) for p in (2, 3)]
for name, inst, t in cases:
    if t is None:
        t = qnnsym.critical_table(inst, backend="sympy")
    bl = blocks_from_table(t, by_block=True)
    bas = basin_volumes(bl, n=SAMPLES, seed=1)
    sc = bas.sum_check()
    rates = optimizer_success(inst, float(sum(t.min_loss) / 2), ["lbfgs", "adam"], starts=STARTS, seed=2, blocks=bl)
    row = {"instance": name, "minima": t.counts["minima"], "samples": bas.n,
           "global_share": f"{bas.global_share:.4f} [{bas.global_ci[0]:.4f}, {bas.global_ci[1]:.4f}]",
           "closed_form": f"{gradient_flow_success(inst):.4f}" if name.startswith("prop5") else "",
           "sum": sc["sum_shares"], "sum_ci": f"[{sc['sum_ci_low']:.3f}, {sc['sum_ci_high']:.3f}]",
           "unmatched": bas.unmatched}
    for r in rates:
        c = compare_rates(bas.global_share, bas.n, r["success_rate"], r["runs"])
        row[r["optimizer"]] = f"{r['success_rate']:.4f} [{r['ci_low']:.4f}, {r['ci_high']:.4f}]"
        row[f"{r['optimizer']}_z"] = round(c["z"], 2)
        row[f"{r['optimizer']}_agree"] = c["agree"]
        # paired with the flow from the same starts: success = starts in the global basin + flux in − flux out
        row[f"{r['optimizer']}_left_basin"] = round(r["left_start_basin"], 4)
        row[f"{r['optimizer']}_flux"] = f"+{r['into_global']:.4f} −{r['out_of_global']:.4f}"
    rows.append(row)
    print(row, flush=True)
print("\n## basin volumes vs optimisers\n")
print(table_text(rows, "md"))

from qnnsym.cli.main import main

with tempfile.TemporaryDirectory() as d:
    t0 = time.perf_counter()
    rc = main(["report", "dense", "--p", "2", "--seed", "0", "-o", d + "/out", "--no-progress"])
    print(f"\n## report\n\nqnnsym report dense --p 2 --seed 0: exit {rc}, {time.perf_counter() - t0:.1f} s")
