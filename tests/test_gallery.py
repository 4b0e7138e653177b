"""The real-circuit gallery (examples/circuits/, docs/gallery.md) through the command line.

The fast tests run the fastest gallery circuits through ``qnnsym import → critical (→ check)`` and
compare with facts derived without qnnsym: the ground energy of the MaxCut cost, Farhi et al.'s
3/4 ratio of QAOA p = 1 on a ring, the closed form of a one-qubit ``Rot`` energy, and a float
multistart on the source's own simulator (Qiskit ``Statevector``).  The whole gallery (with its
2000-start QAOA searches) is ``benchmarks/gallery.py``; its slow rows are the ``slow`` test below.
"""
from __future__ import annotations

import importlib.util
import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from qnnsym.cli.main import main

pytest.importorskip("qiskit")
pytest.importorskip("pennylane")

ROOT = Path(__file__).resolve().parent.parent
CIRCUITS = ROOT / "examples" / "circuits"


def table_via_cli(tmp_path, source: str, *extra: str, certificate: bool = False) -> tuple[dict, int]:
    """``qnnsym import SOURCE … --objective energy``, then ``qnnsym critical`` as JSON; (table, exit)."""
    inst, tab = tmp_path / "inst.json", tmp_path / "tab.json"
    assert main(["import", str(CIRCUITS / source), *extra, "--objective", "energy", "-o", str(inst)]) == 0
    args = ["critical", str(inst), "--workers", "1", "--format", "json", "-o", str(tab)]
    if certificate:
        args += ["--certificate", str(tmp_path / "cert.json")]
    rc = main(args)
    return json.loads(tab.read_text()), rc


def counts(tab: dict) -> tuple:
    c = tab["counts"]
    return tab["status"], c["minima"], c["global_minima"], c["saddles"], c["maxima"], c["degenerate"]


def test_qaoa_triangle_reps1_qiskit_and_pennylane_agree_and_reach_the_ground_energy(tmp_path):
    """MaxCut on a triangle cuts at most 2 of 3 edges, so ``min spec C = −1`` (C = Σ Z_iZ_j); QAOA
    p = 1 reaches it.  Qiskit's ``qaoa_ansatz`` and PennyLane's ``qml.qaoa`` layers give one table."""
    qk, rc = table_via_cli(tmp_path, "qaoa_qiskit.py:triangle_r1")
    assert rc == 0
    pl, rc = table_via_cli(tmp_path, "qaoa_pennylane.py:triangle_r1", "--qnode-args", "[[0.1], [0.2]]")
    assert rc == 0
    assert counts(qk) == counts(pl) == ("complete", 2, 2, 3, 0, 1)
    assert qk["min_loss"] == pl["min_loss"] == ["-1", "-1"]
    assert qk["omega"] == [4, 4]          # period π/2 in γ and β


def test_qaoa_4cycle_reps1_certified_at_farhis_ratio(tmp_path):
    """The ring of 4 (bipartite, ground energy −4): QAOA p = 1 on a 2-regular ring reaches the cut
    ratio 3/4 (Farhi, Goldstone, Gutmann 2014), i.e. cut 3, ``E = 4 − 2·3 = −2``.  The graph is
    bipartite: ``X`` on one side maps ``C → −C`` and fixes ``|+…+⟩`` and the mixer, so
    ``E(γ, β) = −E(−γ, β)`` and the maxima mirror the minima (as many, at ``+2``)."""
    tab, rc = table_via_cli(tmp_path, "qaoa_qiskit.py:cycle4_r1", certificate=True)
    assert rc == 0
    assert counts(tab) == ("complete", 2, 2, 4, 2, 0)
    assert tab["min_loss"] == ["-2", "-2"]
    assert max(Fraction(lv["loss"]) for lv in tab["levels"]) == 2 and tab["counts"]["maxima"] == 2
    assert main(["check", str(tmp_path / "cert.json")]) == 0


def test_strongly_entangling_one_qubit_closed_form(tmp_path):
    """``StronglyEntanglingLayers`` on one qubit is ``Rot(φ, θ, ω)|0⟩``: φ is idle, and
    ``E = cos t + ½ sin t cos ω`` for ``H = Z + X/2``: minima at ``cos ω = ±1, tan t = ±½`` with
    ``E = −√5/2``, as many maxima at ``+√5/2``, 4 saddles at ``sin t = 0, cos ω = 0`` (8 points)."""
    tab, rc = table_via_cli(tmp_path, "pennylane_templates.py:strongly_entangling_1q",
                            "--qnode-args", "[[[[0.1, 0.2, 0.3]]]]", certificate=True)
    assert rc == 0
    st, mn, _, sad, mx, deg = counts(tab)
    assert (st, mn, sad, mx, deg) == ("complete", 2, 4, 2, 0)
    lo, hi = (Fraction(x) for x in tab["min_loss"])
    assert lo <= hi and float(lo) - 1e-12 <= -math.sqrt(5) / 2 <= float(hi) + 1e-12
    assert main(["check", str(tmp_path / "cert.json")]) == 0


def test_vqe_minimum_against_a_statevector_multistart(tmp_path):
    """The VQE gallery circuit: the table's minimum energy is the lowest value found by L-BFGS-B on
    Qiskit's own ``Statevector`` (no qnnsym), and every float minimum's energy is a listed level."""
    from qiskit.quantum_info import Statevector
    from scipy.optimize import minimize

    spec = importlib.util.spec_from_file_location("vqe_h2", CIRCUITS / "vqe_h2.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    qc, H = mod.make()
    tab, rc = table_via_cli(tmp_path, "vqe_h2.py:make")
    assert rc == 0 and tab["status"] == "complete"

    def energy(x):
        return float(np.real(Statevector(qc.assign_parameters(x)).expectation_value(H)))

    rng = np.random.default_rng(0)
    vals = [minimize(energy, rng.uniform(0, 2 * math.pi, qc.num_parameters), method="L-BFGS-B").fun
            for _ in range(8)]
    levels = [float(Fraction(lv["loss"])) for lv in tab["levels"] if lv["kind"] == "minimum"]
    assert abs(min(vals) - float(Fraction(tab["min_loss"][0]))) < 1e-6
    assert all(min(abs(v - l) for l in levels) < 1e-6 for v in vals)


def _gallery():
    spec = importlib.util.spec_from_file_location("gallery_bench", ROOT / "benchmarks" / "gallery.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name,level", [("t-gate", "exact"), ("rx-0.37", "verified (coefficients enclosed to 2^-")])
def test_fixed_angle_rows_complete_and_equal_to_a_float_search(name, level):
    """The gallery's T-gate row (exact over Q(√2)) and RX(0.37) row (verified): complete tables whose minima are
    the float search's (qnnsym's direct ``expm`` simulator, L-BFGS-B), both ways; no certificate (not rational)."""
    row = _gallery().gallery_row(name, 120, float_starts=16)
    assert row["status"] == "complete" and row["certification"].startswith(level), row
    assert row["minima"] == row["float_minima_distinct"] == 2
    assert row["undecided_global"] == (0 if name == "t-gate" else 2)      # equal values: exact in Q(√2)-route only
    assert row["float_in_table"] and row["table_in_float"]
    assert "not rational" in row["check"] and len(_gallery().commands(name, 120)) == 2


@pytest.mark.slow
@pytest.mark.parametrize("name", ["qaoa-cycle4-r1-pennylane", "qaoa-triangle-r2-qiskit", "qaoa-cycle4-r2-qiskit",
                                  "basic-entangler-2q", "qasm3-shared", "real-amplitudes-r1", "efficient-su2-ry",
                                  "two-local-tied", "simplified-two-design", "strongly-entangling-2q"])
def test_gallery_row_imports_and_reports_an_honest_status(name):
    """Every other gallery circuit imports from its source without manual decomposition and ends with a
    status the table states (complete, incomplete, positive-dimensional, timed out), never an error."""
    row = _gallery().gallery_row(name, 120)
    assert not str(row["status"]).startswith(("import failed", "no table")), row
    assert row["p"] >= 1
    if row["status"] == "complete" and row.get("minima") is not None:
        assert row["minima"] >= 1


def test_qaoa_triangle_reps1_degenerate_point_decided_as_the_global_maximum(tmp_path):
    """The degenerate point γ = β = π/4 has E = 3, the largest critical value of the complete table (and the top of
    spec C): a global maximum whatever its Hessian (qnnsym.critical.components.settle_degenerate_points)."""
    tab, rc = table_via_cli(tmp_path, "qaoa_qiskit.py:triangle_r1")
    assert rc == 0
    assert any("degenerate point" in n and "(L = 3): a global maximum" in n for n in tab["notes"])


@pytest.mark.slow
def test_qaoa_4cycle_reps2_complete_and_matches_a_numpy_multistart(tmp_path):
    """84 of 384 complex solutions (non-generic): the exact msolve list is proven complete by a real exhaustion
    (64 real points); 4 global minima at E = −4 exactly, the float search (numpy, no qnnsym) finds exactly them."""
    tab, rc = table_via_cli(tmp_path, "qaoa_qiskit.py:cycle4_r2")
    assert rc == 0 and counts(tab) == ("complete", 4, 4, 56, 4, 0) and tab["min_loss"] == ["-4", "-4"]
    spec = importlib.util.spec_from_file_location("qaoa_maxcut", ROOT / "benchmarks" / "qaoa_maxcut.py")
    q = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(q)
    mins = [np.array([float(t) for t in pt["theta"]]) for pt in tab["points"] if pt["kind"] == "minimum"]
    found = q.multistart("4-cycle", ["γ[0]", "β[0]", "γ[1]", "β[1]"], np.pi / 2, 100, seed=0)
    P = np.pi / 2
    near = lambda x, m: np.all(np.abs(np.mod(x - m + P / 2, P) - P / 2) < 1e-4)
    assert all(abs(e + 4) < 1e-8 and any(near(x, m) for m in mins) for x, e in found)
