"""Example: why optimisers fail — the global basin's share against optimiser success rates (Figure 4).

For Proposition-5 instances p = 2, 3, 4 (2^p minima, one global) and the dense p = 2 instance:
basin volumes by sampling (seeded, 95% Wilson intervals), the closed-form gradient-flow share for
Proposition 5, and the success rates of L-BFGS and Adam from uniform starts.

Run:  python examples/basins_vs_optimizers.py [OUT_DIR]   (default: ./basins_vs_optimizers)
Writes basins.csv (the table printed) and basins.png into OUT_DIR.
"""
import sys
from pathlib import Path

import qnnsym
from qnnsym.landscape import basin_volumes, blocks_from_table
from qnnsym.report import compare_rates, optimizer_success
from qnnsym.sim.experiments import gradient_flow_success
from qnnsym.tables import table_text


def main(out: Path, samples: int = 2000, starts: int = 300) -> None:
    rows = []
    cases = [("prop5", p, qnnsym.prop5_instance(p)) for p in (2, 3, 4)]
    cases.append(("dense seed 0", 2, qnnsym.load_instance("dense", p=2, seed=0)))
    for name, p, inst in cases:
        table = qnnsym.critical_table(inst, backend="sympy" if name == "prop5" else "auto")
        bas = basin_volumes(blocks_from_table(table, by_block=True), n=samples, seed=p)
        rates = optimizer_success(inst, float(sum(table.min_loss) / 2), ["lbfgs", "adam"], starts=starts, seed=p)
        row = {"instance": name, "p": p, "minima": table.counts["minima"], "basin_share": round(bas.global_share, 4),
               "basin_ci": f"[{bas.global_ci[0]:.3f}, {bas.global_ci[1]:.3f}]",
               "closed_form": round(gradient_flow_success(inst), 4) if name == "prop5" else ""}
        for r in rates:
            c = compare_rates(bas.global_share, bas.n, r["success_rate"], r["runs"])
            row[r["optimizer"]] = round(r["success_rate"], 4)
            row[f"{r['optimizer']}_z"] = round(c["z"], 2)
        rows.append(row)
    text = table_text(rows, "md")
    print(text)
    out.mkdir(parents=True, exist_ok=True)
    (out / "basins.csv").write_text(table_text(rows, "csv"))
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    x = range(len(rows))
    ax.bar([i - 0.2 for i in x], [r["basin_share"] for r in rows], 0.4, label="global basin share")
    ax.bar([i + 0.2 for i in x], [r["lbfgs"] for r in rows], 0.4, label="L-BFGS success")
    ax.set_xticks(list(x))
    ax.set_xticklabels([f"{r['instance']}\np={r['p']}" for r in rows], fontsize=8)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "basins.png", dpi=100)
    print("wrote", out / "basins.csv", out / "basins.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "basins_vs_optimizers"))
