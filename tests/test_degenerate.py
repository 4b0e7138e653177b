"""Degenerate (non-isolated) critical sets by real exhaustion with region leaves (qnnsym.critical.degenerate; issues
23, 24): hand-derived answers, a cross-check with the exact component decomposition, the CLI, and certificates
whose forged region leaves are refused."""
from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest

from qnnsym.certify.checker.check import check_certificate
from qnnsym.certify.exhaustion import degenerate_certificate
from qnnsym.cli.main import main
from qnnsym.critical.degenerate import degenerate_cover, energy_bounds, quarter_grid_extremes
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.expansion.phi import loss_poly
from qnnsym.model.instances import instance_from_dict

#: one qubit, RY(a) RZ(b) RY(c) on |0⟩, H = Z: by hand E = cos φ1 cos φ3 − sin φ1 cos φ2 sin φ3 (the z component
#: of the Bloch vector), so −1 ≤ E ≤ 1; the minima form curves (the fibre over the south pole, e.g. φ1 = 0, φ3 = π,
#: φ2 free), there is no other local minimum, and the frequency lattice has full rank (no reduction applies)
EULER = {"n_qubits": 1, "objective": {"kind": "expectation"}, "circuit": [{"gate": "Y0"}, {"gate": "Z0"}, {"gate": "Y0"}],
         "observable": {"pauli": [["1", "Z0"]]}, "samples": [{"state": {"vector": ["1", "0"]}}]}


@pytest.fixture(scope="module")
def euler():
    inst = instance_from_dict(EULER)
    dc = degenerate_cover(loss_poly(inst), eps=1 / 4, bottom=-1, top=1)
    return inst, dc


def test_euler_energy_by_hand(euler):
    inst, dc = euler
    E = loss_poly(inst)
    assert E == TrigPoly(3, {(1, 0, 1): 1, (-1, 1, -1): -1}, omega=2)
    assert energy_bounds(inst) == (-1, 1)                          # the spectrum of Z
    assert dc.complete and dc.counts["unresolved"] == 0
    # no isolated point, no saddle: only bottom and top regions around the minimum and maximum curves
    assert dc.counts["points"] == 0 and dc.counts["saddle regions"] == 0
    assert dc.counts["bottom regions"] > 0 and dc.counts["top regions"] > 0
    assert dc.min_interval == (-1, -1) and dc.min_exact and dc.max_interval == (1, 1) and dc.max_exact
    assert dc.eps_bottom <= 1 / 4 and dc.local_dimension == 1     # curves of minima


def test_crossing_circles_agree_with_the_exact_component_decomposition():
    """``L = (cos φ1 + cos φ2)²``: minima on two crossing circles (``L = 0``, Hessian zero at the crossings), two
    nondegenerate maxima at ``L = 4``; the exact decomposition (sympy) says the same."""
    from qnnsym.critical.components import component_table

    L = TrigPoly(2, {(0, 0): 1, (2, 0): Fraction(1, 2), (0, 2): Fraction(1, 2), (1, 1): 2})
    dc = degenerate_cover(L, eps=1 / 16, bottom=0)
    assert dc.complete and dc.min_interval == (0, 0) and dc.max_interval[0] == 4
    assert dc.counts["points"] == 2 and dc.counts["flat bottoms"] > 0       # the maxima, isolated; flat crossings
    ct = component_table(L)[0]
    assert ct.complete and ct.min_value == 0 and ct.max_value == 4
    kinds = sorted((c.kind, c.dimension) for c in ct.components if c.real)
    assert kinds == [("maximum", 0)] * 2 + [("minimum manifold", 1)] * 2     # no spurious minimum either way


def test_quarter_grid_extremes_by_hand():
    # cos φ1 cos φ2 on the quarter-turn grid: −1 at (0, π), 1 at (0, 0)
    lo, lo_pt, hi, hi_pt = quarter_grid_extremes(TrigPoly(2, {(1, 1): 1}))
    assert (lo, hi, hi_pt) == (-1, 1, (0, 0)) and lo_pt == (0, Fraction(1, 2))


def test_box_budget_gives_an_honest_partial_cover():
    inst = instance_from_dict(EULER)
    dc = degenerate_cover(loss_poly(inst), eps=1 / 16, bottom=-1, top=1, max_boxes=200)
    assert not dc.complete and dc.cover.unresolved_volume > 0 and "box budget" in dc.cover.reason


def test_cli_table_and_certificate(tmp_path):
    inst_path, out, cert = tmp_path / "euler.json", tmp_path / "t.json", tmp_path / "c.json"
    inst_path.write_text(json.dumps(EULER))
    rc = main(["critical", str(inst_path), "--backend", "exhaustion", "--level-width", "0.0625", "--format", "json",
               "-o", str(out), "--certificate", str(cert)])
    assert rc == 0
    tab = json.loads(out.read_text())
    assert tab["status"] == "complete" and tab["certification"] == "certified (real exhaustion, degenerate)"
    d = tab["degenerate"]
    assert d["min_interval"] == ["-1", "-1"] and d["no_spurious_minimum"] and d["local_dimension"] == 1
    assert main(["check", str(cert)]) == 0
    assert main(["critical", str(inst_path), "--level-width", "0"]) == 2


def _region(cert: dict, code: str) -> int:
    """The position in ``cover.regions`` of the first region leaf with ``code``."""
    return next(i for i, r in enumerate(cert["cover"]["regions"]) if r["code"] == code)


def _retag(cert: dict, i: int, code: str) -> None:
    """Give the ``i``-th region leaf (breadth-first) the code ``code``, in the tree and in its record."""
    tree = cert["cover"]["tree"]
    pos = [k for k, ch in enumerate(tree) if ch in "5678"][i]
    cert["cover"]["tree"] = tree[:pos] + code + tree[pos + 1:]
    cert["cover"]["regions"][i]["code"] = code


def test_certificate_accepted_and_forged_regions_refused(euler):
    inst, dc = euler
    cert = degenerate_certificate(inst, dc)
    assert cert["certification"] == "certified (real exhaustion, degenerate)"
    assert check_certificate(cert).accepted
    # 1. a bottom region (positive semidefinite Hessian, a curve of minima) forged into a saddle region: its
    #    "negative curvature" witness is the positive one
    f1 = copy.deepcopy(cert)
    i = _region(f1, "6")
    _retag(f1, i, "5")
    f1["cover"]["regions"][i]["v"] = f1["cover"]["regions"][i]["w"]
    f1["summary"]["regions"]["bottom"] -= 1
    f1["summary"]["regions"]["saddle"] += 1
    res = check_certificate(f1)
    assert not res.accepted
    assert any(not v.ok and "vᵀH(x)v < 0" in v.detail for v in res)
    # 2. a top region (L ≈ 1) forged into a bottom region (L ≤ −1 + ε): refused by the level test
    f2 = copy.deepcopy(cert)
    i = _region(f2, "7")
    _retag(f2, i, "6")
    f2["cover"]["regions"][i]["w"] = f2["cover"]["regions"][i]["v"]
    res = check_certificate(f2)
    assert not res.accepted
    assert any(not v.ok and "L ≤ bottom + eps_bottom" in v.detail for v in res)
    # 3. a narrower level claimed for the same regions
    f3 = copy.deepcopy(cert)
    f3["levels"]["eps_bottom"] = "1/1000000"
    res = check_certificate(f3)
    assert not res.accepted and any(not v.ok and "L ≤ bottom + eps_bottom" in v.detail for v in res)
    # 4. a bottom below the spectrum's is fine, one above min L is not proven
    f4 = copy.deepcopy(cert)
    f4["levels"]["bottom"] = "-1/2"
    assert not check_certificate(f4).accepted
    # 5. a region leaf dropped from the records
    f5 = copy.deepcopy(cert)
    f5["cover"]["regions"].pop()
    res = check_certificate(f5)
    assert not res.accepted and any(not v.ok and "region records" in v.detail for v in res)


def qaoa_triangle(reps: int) -> dict:
    """QAOA MaxCut on the triangle as an instance: ``ρ = |+++⟩⟨+++|`` (entries 1/8), ``e^{−iγ_k Z_iZ_j}`` on the three
    edges and ``e^{−iβ_k X_w}`` on the three qubits per layer, ``H = C = Σ Z_iZ_j`` (spectrum {3, −1})."""
    edges = [(0, 1), (1, 2), (0, 2)]
    circuit = []
    for k in range(reps):
        circuit += [{"gate": {"pauli": [["1", f"Z{i} Z{j}"]]}, "angle": [["1", f"g{k}"]]} for i, j in edges]
        circuit += [{"gate": {"pauli": [["1", f"X{w}"]]}, "angle": [["1", f"b{k}"]]} for w in range(3)]
    return {"n_qubits": 3, "objective": {"kind": "expectation"}, "circuit": circuit,
            "parameters": [x for k in range(reps) for x in (f"g{k}", f"b{k}")],
            "observable": {"pauli": [["1", f"Z{i} Z{j}"] for i, j in edges]},
            "samples": [{"state": {"matrix": [["1/8"] * 8 for _ in range(8)]}}]}


def test_qaoa_triangle_reps1_degenerate_cover_agrees_with_the_exact_table():
    """Reps 1 has a degenerate global maximum (``γ = β = π/4``, ``E = 3``) that blocks a finite certificate; the
    degenerate cover puts it in top regions and lists the two nondegenerate minima, as the exact table does."""
    from qnnsym.critical.table import critical_table

    inst = instance_from_dict(qaoa_triangle(1))
    assert energy_bounds(inst) == (-1, 3)
    dc = degenerate_cover(loss_poly(inst), eps=1 / 16, bottom=-1, top=3)
    assert dc.complete and dc.counts["top regions"] > 0 and dc.max_interval == (3, 3)
    assert dc.min_interval[0] == -1 and dc.min_interval[1] > -1 - 1e-12
    exact = critical_table(inst)
    mins = sorted(tuple(round(t, 6) for t in cp.theta) for cp in exact.points if cp.kind == "minimum")
    assert len(mins) == 2 and all(cp.loss_exact == -1 for cp in exact.points if cp.kind == "minimum")
    every = {tuple(round(t, 6) % 6.283185 for t in cp.theta) for cp in exact.points}
    om = loss_poly(inst).omega
    got = sorted(tuple(round(float(c[l]) * 2 * 3.141592653589793 / om[l], 6) for l in range(2)) for c, _ in dc.cover.points)
    # the cover lists the nondegenerate critical points it encloses (both minima; saddles may sit in saddle regions
    # instead): each is a point of the exact table
    assert set(mins) <= set(got) and {tuple(t % 6.283185 for t in g) for g in got} <= every
    cert = degenerate_certificate(inst, dc)
    assert check_certificate(cert).accepted and cert["summary"]["minima"] == 2
