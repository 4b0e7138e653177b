"""Example: the landscape of a dense p = 2 instance — table, minima–saddle graph, tree, torus map.

Run:  python examples/landscape_dense_p2.py [OUT_DIR]   (default: ./landscape_dense_p2)
Writes the torus map and the disconnectivity tree (PNG + CSV/JSON data) into OUT_DIR.
"""
import sys
from pathlib import Path

import qnnsym
from qnnsym.landscape import blocks_from_table, disconnectivity_tree, graph_rows, graph_summary, minima_saddle_graph
from qnnsym.report import draw_torus_map, draw_tree


def main(out: Path) -> None:
    inst = qnnsym.load_instance("dense", p=2, seed=0)
    table = qnnsym.critical_table(inst)
    print("\n".join(table.summary_lines()))
    (block,) = blocks_from_table(table)
    graph = minima_saddle_graph(block, record=5)
    summary = graph_summary(graph)
    print(summary)
    for row in graph_rows(graph):
        print(f"  saddle {row['saddle']:>2}: minima {row['minimum_a']} – {row['minimum_b']}, level {row['level']:.5f}, "
              f"barrier {row['barrier']:.5f}")
    tree = disconnectivity_tree(graph)
    for m in tree.merges:
        print(f"  at L = {m.level:.5f} saddle {m.saddle} joins {sorted(m.left)} and {sorted(m.right)}")
    print("wrote", draw_torus_map(block, out / "torus_map.png", graph=graph))
    print("wrote", draw_tree(tree, out / "tree.png"))
    if summary["unmatched"] or not summary["connected"]:
        raise SystemExit("unexpected: an unmatched descent or a disconnected graph")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "landscape_dense_p2"))
