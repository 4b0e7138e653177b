"""Issue 24: exhaustion of a real ansatz whose critical points sit on the faces and corners of the dyadic grid
(θ = 0, π/2: turns 0 and 1/2, the seam of the torus included), against sympy's exact table; its certificate."""
from __future__ import annotations

import copy
from fractions import Fraction

import numpy as np
import pytest

from qnnsym.certify.checker.check import check_certificate
from qnnsym.certify.exhaustion import exhaustion_certificate
from qnnsym.critical.exhaustion import exhaust
from qnnsym.critical.inclusion import Enclosures, Points, krawczyk_mask
from qnnsym.critical.table import critical_table
from qnnsym.expansion.phi import loss_poly
from qnnsym.model.instances import instance_from_dict

#: RY ⊗ RY on basis states with a Z-type observable: L is a polynomial in cos 2θ_1, cos 2θ_2, so
#: θ_l ∈ {0, π/2} (turns 0, 1/2) are critical coordinates: 4 points on grid corners, 4 inside
FACES = {"format": "qnnsym-instance/1", "name": "ry_faces", "n_qubits": 2,
         "circuit": [{"gate": "Y0", "kind": "two-level"}, {"gate": "Y1", "kind": "two-level"}],
         "observable": {"pauli": [["1", "Z0 Z1"], ["1/2", "Z0"], ["1/3", "Z1"]]},
         "samples": [{"state": {"vector": ["1", "0", "0", "0"]}, "label": "2"},
                     {"state": {"vector": ["0", "1", "0", "0"]}, "label": "-1"}]}


@pytest.fixture(scope="module")
def faces():
    inst = instance_from_dict(FACES)
    return inst, exhaust(loss_poly(inst))


def _accepted(cert) -> bool:
    return all(v.ok for v in check_certificate(cert))


def test_points_on_grid_corners_complete_and_equal_to_sympy(faces):
    inst, cov = faces
    assert cov.complete and len(cov.points) == 8
    corners = [c for c, _ in cov.points if all(abs(x - round(2 * x) / 2) < 1e-12 for x in c)]
    assert len(corners) == 4                                    # (0, 0), (0, ½), (½, 0), (½, ½) turns
    ex = critical_table(inst, backend="exhaustion")
    sy = critical_table(inst, backend="sympy")
    assert ex.complete and ex.certification == "certified (real exhaustion)"
    assert ex.n_real == sy.n_real == 8 and ex.counts == sy.counts
    for a in sy.points:
        hits = [b for b in ex.points
                if all(lo2 <= hi1 and lo1 <= hi2 for (lo1, hi1), (lo2, hi2) in zip(a.theta_box, b.theta_box))]
        assert len(hits) == 1 and hits[0].index == a.index


def test_leaves_on_both_sides_of_a_corner_share_one_enclosure(faces):
    """The corner point at turns (0, 0) is covered by leaves on every side of the seam; their K all hold it."""
    _, cov = faces
    j0 = next(j for j, (c, _) in enumerate(cov.points) if np.allclose(np.mod(c + 0.25, 1) - 0.25, 0, atol=1e-12))
    ks = [(c, r) for c, r, j in cov.inclusions if j == j0]
    assert len(ks) >= 4 and all(np.all(r < 0.25) for _, r in ks)


def test_enclosures_are_centred_and_exact():
    """The enclosure of the maximum of cos φ₁ + cos φ₂ + ½ cos φ₁ cos φ₂ at the corner φ = 0 (the seam) holds
    boxes on all four sides of it, and no far box."""
    from qnnsym.critical.exhaustion import LossJet
    from qnnsym.exact.trigpoly import TrigPoly

    jet = LossJet(TrigPoly(2, {(1, 0): 1, (0, 1): 1, (1, 1): Fraction(1, 2)}))
    enc = Enclosures(jet, Points(2))
    assert enc.add_near(np.array([[1e-3, -1e-3]])) == [0]
    R = float(enc.r[0, 0])
    assert np.abs(np.mod(enc.c[0] + 0.5, 1) - 0.5).max() < 1e-15 and R >= 2.0 ** -6
    assert krawczyk_mask(jet, enc.c[:1], enc.r[:1])[0]
    q = R / 4
    m = np.array([[s * q, t * q] for s in (-1, 1) for t in (-1, 1)]) % 1.0
    assert (enc.inside(m, np.full((4, 2), q / 2)) == 0).all()
    assert (enc.inside(np.array([[0.25, 0.25]]), np.full((1, 2), q)) == -1).all()


def test_certificate_accepted_and_forgeries_refused(faces):
    inst, cov = faces
    cert = exhaustion_certificate(inst, cover=cov)
    assert cert["summary"]["n_real"] == 8 and cert["summary"]["complete"] and _accepted(cert)
    # an inclusion leaf dropped from the records (the cover no longer says why that box holds one point)
    bad = copy.deepcopy(cert)
    del bad["cover"]["inclusions"][0]
    assert not _accepted(bad)
    # an inclusion box K replaced by a K beside its leaf (the leaf is not covered)
    bad = copy.deepcopy(cert)
    rec = bad["cover"]["inclusions"][0]
    rec["centre"] = [str(Fraction(c) + 2 * Fraction(r)) for c, r in zip(rec["centre"], rec["radius"])]
    assert not _accepted(bad)
    # a corner point listed twice (counted two times): refused
    bad = copy.deepcopy(cert)
    bad["cover"]["points"].append(copy.deepcopy(bad["cover"]["points"][0]))
    bad["summary"]["n_real"] += 1
    assert not _accepted(bad)
