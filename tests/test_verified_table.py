"""Verified tables of floating-point instances (issue 23): RX(0.37) and T gates, by real exhaustion with
coefficient enclosures (qnnsym.critical.enclosure)."""
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.optimize import minimize

from qnnsym.critical.enclosure import EnclosedLoss, enclosed_loss
from qnnsym.critical.exhaustion import exhaust
from qnnsym.critical.inclusion import box_relation
from qnnsym.critical.table import critical_table
from qnnsym.errors import ValidationError
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.expansion.phi import loss_poly
from qnnsym.model.instances import instance_from_dict

CX = [({"pauli": [["1", "Z0"]], "cos": "0", "sin": "1"}), ({"pauli": [["1", "X1"]], "cos": "0", "sin": "1"}),
      ({"pauli": [["1", "Z0 X1"]], "cos": "0", "sin": "-1"})]


def _instance(n, ops, observable, objective="expectation"):
    circ = [{"gate": {"pauli": [["1", g]]}, "kind": "two-level"} if isinstance(g, str) else {"fixed": g} for g in ops]
    d = 2 ** n
    rho = [["1" if i == j == 0 else "0" for j in range(d)] for i in range(d)]
    return instance_from_dict({"format": "qnnsym-instance/1", "n_qubits": n, "circuit": circ,
                               "observable": {"pauli": observable}, "samples": [{"state": {"matrix": rho}}],
                               "objective": {"kind": objective}})


def _rot(label, angle):
    return {"pauli": [["1", label]], "cos": repr(math.cos(angle)), "sin": repr(math.sin(angle))}


#: the gallery's rx-0.37 (examples/circuits/fixed_angles.py:rx037): RY(a), RX(0.37), CX, RY(b)
RX037 = _instance(2, ["Y0", _rot("X0", 0.37)] + CX + ["Y1"], [["1", "Z0 Z1"], ["1/2", "X0"], ["1/2", "X1"]])
#: RY, T (= RZ(π/4) up to phase), RY on one qubit (p = 2): the loss depends on the T angle.  Given by float cos/sin
#: (as a hand-written file may): the verified route; the imported T gate ("angle": "1/4*pi") is exact (test_sqrt2.py)
T_GATE = _instance(1, ["Y0", _rot("Z0", math.pi / 4), "Y0"], [["1", "Z0"], ["1/3", "X0"]])


def _float_minima(inst, starts=60, seed=0):
    """Distinct local minima (θ mod the period) of the float loss by L-BFGS multistart."""
    L = loss_poly(inst)
    per = np.array([2 * math.pi / w for w in L.omega])
    f = lambda t: float(L(t))
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(starts):
        r = minimize(f, rng.uniform(0, 1, L.p) * per, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
        t = np.mod(r.x, per)
        if not any(np.all(np.abs(((t - s + per / 2) % per) - per / 2) < 1e-4) for s in found):
            found.append(t)
    return found, per


@pytest.mark.parametrize("inst", [RX037, T_GATE], ids=["rx037", "t-gate"])
def test_verified_table_minima_agree_with_float_multistart(inst):
    assert not inst.exact
    t = critical_table(inst, max_points=50)
    assert t.certification.startswith("verified (coefficients enclosed to 2^-")
    k = int(t.certification.split("2^-")[1].rstrip(")"))
    assert k >= 40 and "exact" not in t.certification
    if inst is RX037:          # the T-gate cover is left incomplete today (a region undecided): see the report
        assert t.complete and t.status == "complete" and t.euler_characteristic == 0
    mins = [cp for cp in t.points if cp.kind == "minimum"]
    found, per = _float_minima(inst)
    assert len(found) == len(mins) > 0
    for s in found:           # each float minimum lies (within L-BFGS accuracy) at one certified minimum
        near = [cp for cp in mins
                if np.all(np.abs(((s - np.array(cp.theta) + per / 2) % per) - per / 2) < 1e-5)]
        assert len(near) == 1


#: the same RX(0.37) as imported: the angle stored as given ("angle": "0.37"), not as float cos/sin
RX037_ANGLE = _instance(2, ["Y0", {"pauli": [["1", "X0"]], "angle": "0.37"}] + CX + ["Y1"],
                        [["1", "Z0 Z1"], ["1/2", "X0"], ["1/2", "X1"]])


def test_rx037_stored_angle_is_enclosed_from_its_exact_double_and_agrees_with_the_float_search():
    """RX(0.37) with its angle kept at import: the coefficient balls come from the exact double 0.37 (no angle
    radius), so the table is verified to far below 2^-44, complete, with the same points as the cos/sin file."""
    enc = enclosed_loss(RX037_ANGLE)
    assert enc.bits >= 150 and "0.37 (exact)" in enc.notes[0]
    t = critical_table(RX037_ANGLE, max_points=50)
    assert t.certification == enc.level and t.complete and t.status == "complete" and t.euler_characteristic == 0
    old = critical_table(RX037, max_points=50)
    assert t.counts == old.counts
    found, per = _float_minima(RX037_ANGLE)
    mins = [cp for cp in t.points if cp.kind == "minimum"]
    assert len(found) == len(mins) == 2
    for s in found:
        assert sum(np.all(np.abs(((s - np.array(cp.theta) + per / 2) % per) - per / 2) < 1e-5) for cp in mins) == 1


def test_t_gate_is_enclosed_not_exact():
    enc = enclosed_loss(T_GATE)
    assert any(enc.radii.values()) and "T" not in enc.level and enc.level.startswith("verified")
    # the enclosure holds for the exact angle π/4 too: the exact-rational loss at a dyadic π/4 lies inside
    assert all(r < Fraction(1, 2 ** 40) for r in enc.radii.values())


def test_float_loss_without_bound_refused_and_enclosed_loss_accepted():
    with pytest.raises(ValidationError, match="without an error bound"):
        critical_table(TrigPoly(1, {(1,): 0.37}))
    L = TrigPoly(1, {(1,): Fraction(1, 2), (-2,): Fraction(1, 5)})
    t = critical_table(EnclosedLoss(L, {(1,): Fraction(1, 2 ** 30), (-2,): Fraction(1, 2 ** 30)}, 30))
    assert t.certification == "verified (coefficients enclosed to 2^-30)" and t.complete
    assert t.counts == critical_table(L, backend="sympy").counts


# a loss with wide radii (2^-16) so that the perturbations move its critical points visibly
WIDE = TrigPoly(2, {(1, 0): 1, (0, 1): Fraction(1, 2), (1, 1): Fraction(1, 3), (-1, 0): Fraction(1, 5),
                    (0, -2): Fraction(1, 7)})
WIDE_R = {h: Fraction(1, 2 ** 16) for h in WIDE.terms}
WIDE_COVER = exhaust(WIDE, radii=WIDE_R)


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(-2 ** 12, 2 ** 12), min_size=len(WIDE.terms), max_size=len(WIDE.terms)))
def test_perturbed_loss_keeps_its_critical_points_in_the_certified_boxes(ks):
    assert WIDE_COVER.complete
    pert = TrigPoly(2, {h: c + Fraction(k, 2 ** 12) * WIDE_R[h] for (h, c), k in zip(sorted(WIDE.terms.items()), ks)})
    cov = exhaust(pert)                      # the exact-rational perturbed loss, no radii
    assert cov.complete and len(cov.points) == len(WIDE_COVER.points)
    for c, r in cov.points:                  # exactly one of its points in each certified box
        homes = [j for j, (c2, r2) in enumerate(WIDE_COVER.points) if box_relation(c, [0.0] * 2, c2, r2) == "inside"]
        assert len(homes) == 1
    assert len({j for c, r in cov.points for j, (c2, r2) in enumerate(WIDE_COVER.points)
                if box_relation(c, [0.0] * 2, c2, r2) == "inside"}) == len(WIDE_COVER.points)


def test_certificate_of_a_float_instance_is_a_clear_error(tmp_path, capsys):
    import json

    from qnnsym.cli import main

    src = tmp_path / "rx.json"
    from qnnsym.model.instances import instance_to_dict

    src.write_text(json.dumps(instance_to_dict(RX037)))
    rc = main(["critical", str(src), "--certificate", str(tmp_path / "c.json")])
    err = capsys.readouterr().err
    assert rc != 0 and "certificates need exact data" in err and "Traceback" not in err
    assert not (tmp_path / "c.json").exists()
