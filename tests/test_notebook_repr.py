"""Jupyter: rich reprs (LaTeX for polynomials and operators, HTML for tables and verdicts), the example
notebook executed end to end with its outputs checked, and `qnnsym doctor`."""
import json
import os
from pathlib import Path

import pytest

from qnnsym import OpMatrix, PauliSum, check_certificate, critical_table, loss_poly, prop5_instance
from qnnsym.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_latex_reprs():
    assert PauliSum.from_labels(3, {"X0 Y2": "1/2", "I": 1, "Z1": -1})._repr_latex_() == \
        r"$1 - Z_{1} + \frac{1}{2} X_{0} Y_{2}$"
    L = loss_poly(prop5_instance(1))
    assert L._repr_latex_().startswith("$") and r"\cos 2\theta_{1}" in L._repr_latex_()
    assert OpMatrix.from_rows([[1, 0], [0, -1]])._repr_latex_() == r"$\begin{pmatrix}1 & 0 \\ 0 & -1\end{pmatrix}$"


def test_html_reprs():
    from qnnsym.certify.certificate import symbolic_identities_certificate
    from qnnsym.construct import theorem6_study

    t = critical_table(prop5_instance(2))
    h = t._repr_html_()
    assert "<table>" in h and "minima 4 (global 1, spurious 3)" in h
    rows = theorem6_study([4], [1], samples=5, progress=False)
    assert rows[0]["d"] == 4 and "<th>frac_independent</th>" in rows._repr_html_()
    v = check_certificate(symbolic_identities_certificate())
    assert v.accepted and "<b>ACCEPTED</b>" in v._repr_html_() and "✓" in v[0]._repr_html_()


def test_example_notebook_runs(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("qiskit")
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    nb = nbformat.read(ROOT / "examples" / "qnnsym_tour.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outs if o.output_type == "error"]
    latex = [o["data"]["text/latex"] for o in outs if "text/latex" in o.get("data", {})]
    html = [o["data"]["text/html"] for o in outs if "text/html" in o.get("data", {})]
    text = "".join(o.get("text", "") for o in outs if o.output_type == "stream")
    assert latex[0].startswith(r"$\frac{7}{16}")                       # the exact loss of prop5, p = 2
    assert latex[-1] == r"$\frac{3}{4} - \cos 2\theta_{2} + \frac{1}{2} \cos 4\theta_{2}$"   # the Qiskit import
    assert any("minima 4" in h for h in html) and any("ACCEPTED" in h for h in html)
    assert "4 minima, 3 spurious" in text


def test_doctor(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    for name in ("python-flint", "msolve", "PHCpack", "matplotlib", "Qiskit", "PennyLane", "Dask"):
        assert f"| {name} |" in out
    assert main(["doctor", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["engine"]: r for r in data["engines"]}
    assert rows["python-flint"]["found"] == "yes" and rows["python-flint"]["version"]
    assert all(r["install"] for r in rows.values() if r["found"] == "no")


def test_doctor_names_the_install_command(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *a: None if n == "pennylane" else real(n, *a))
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "| PennyLane | no |" in out and "pip install 'qnnsym[pennylane]'    # PennyLane" in out


def test_rich_reprs_of_instances_checks_basins_trees():
    """Issue 26 §4: Instance, QNN, run_checks, basins and trees render as HTML in Jupyter."""
    from qnnsym import run_checks
    from qnnsym.landscape import blocks_from_table, disconnectivity_tree, minima_saddle_graph
    from qnnsym.landscape.basins import basin_volumes

    inst = prop5_instance(1)
    h = inst._repr_html_()
    assert "p = 1 parameters" in h and "<caption>samples" in h and "<td>θ_1</td>" in h
    assert "<caption>QNN: 1 parameters" in inst.qnn._repr_html_()
    checks = run_checks(inst)
    assert checks.passed and "checks passed</caption>" in checks._repr_html_()
    blocks = blocks_from_table(critical_table(inst, backend="sympy"))
    tree = disconnectivity_tree(minima_saddle_graph(blocks[0]))
    th = tree._repr_html_()
    assert "<td>1/2</td>" in th and "merges" in th                 # the exact spurious value, not 0.5
    assert "global share" in basin_volumes(blocks, n=50, seed=0)._repr_html_()
