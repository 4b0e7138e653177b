"""The independent checker: it accepts honest certificates and rejects tampered ones."""
from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest

from qnnsym.certify.certificate import (critical_certificate, fourier_degree_certificate, pauli_expansion_certificate,
                                        symbolic_identities_certificate)
from qnnsym.certify.checker.check import check_certificate
from qnnsym.certify.checker.loss import loss_by_interpolation
from qnnsym.certify.checker.pauli import _verify_case, pauli_family_cases
from qnnsym.errors import CertificateError
from qnnsym.expansion.phi import loss_poly, phi_terms
from qnnsym.model.instances import builtin_instance, prop5_instance


def accepted(cert) -> bool:
    return all(v.ok for v in check_certificate(cert))


def rejected_claims(cert) -> list[str]:
    return [v.claim for v in check_certificate(cert) if not v.ok]


# --- fixtures: honest certificates (module scope: computed once) -------------------------------------

@pytest.fixture(scope="module")
def prop5_cert():
    return critical_certificate(prop5_instance(2))


@pytest.fixture(scope="module")
def dense_cert():
    return critical_certificate(builtin_instance("dense", p=2, seed=0))


def test_honest_critical_certificates_accepted(prop5_cert, dense_cert):
    assert accepted(prop5_cert)
    assert accepted(dense_cert)
    # the known answers: Proposition 5 at p = 2 has 2^p minima, 2^p − 1 spurious; dense p = 2 reaches p!·4^p = 32
    assert prop5_cert["summary"]["minima"] == 4 and prop5_cert["summary"]["spurious_minima"] == 3
    assert prop5_cert["summary"]["n_real"] == 16
    assert dense_cert["summary"]["n_complex"] == 32 and dense_cert["summary"]["complete"]


def test_certificate_round_trips_through_json(dense_cert, tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(dense_cert))
    assert all(v.ok for v in check_certificate(path))


# --- tampering: each variant must be rejected -----------------------------------------------------------

def _tamper(cert, fn):
    c = copy.deepcopy(cert)
    fn(c)
    return c


def _move_box(c):
    box = c["blocks"][0]["points"][0]["theta_box"]
    box[0] = [str(Fraction(box[0][0]) + Fraction(1, 10)), str(Fraction(box[0][1]) + Fraction(1, 10))]


def _drop_point(c):
    blk = c["blocks"][0]
    blk["points"].pop()
    gone = len(blk["points"])
    c["points"] = [pt for pt in c["points"] if pt["components"][0] != gone]


def _flip_block_index(c):
    pt = c["blocks"][0]["points"][0]
    pt["index"] = 1 - pt["index"] if pt["index"] in (0, 1) else 0


def _flip_point_index(c):
    pt = c["points"][0]
    pt["index"] = pt["index"] + 1


def _change_label(c):
    smp = c["instance"]["samples"][0]
    smp["label"] = str(Fraction(smp["label"]) + Fraction(1, 7))


def _change_eliminant(c):
    q = c["blocks"][0]["rur"]["eliminant"]
    q[0] = str(int(q[0]) + 1)


def _change_numerator(c):
    n = c["blocks"][0]["rur"]["numerators"][0]
    n[0] = str(Fraction(n[0]) + 1)


def _shift_loss(c):
    pt = c["points"][0]
    pt["loss_interval"] = [str(Fraction(x) + Fraction(1, 1000)) for x in pt["loss_interval"]]


def _flip_global(c):
    for pt in c["points"]:
        if pt["kind"] == "minimum":
            pt["global"] = not pt["global"]
            return


def _inflate_count(c):
    c["summary"]["minima"] += 1


def _claim_bigger_degree(c):
    c["blocks"][0]["n_complex"] += 1


TAMPERS = [_move_box, _drop_point, _flip_block_index, _flip_point_index, _change_label, _change_eliminant,
           _change_numerator, _shift_loss, _flip_global, _inflate_count, _claim_bigger_degree]


@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda f: f.__name__.strip("_"))
def test_tampered_prop5_certificate_rejected(prop5_cert, tamper):
    assert not accepted(_tamper(prop5_cert, tamper))


@pytest.mark.parametrize("tamper", [_move_box, _drop_point, _flip_block_index, _change_label, _change_eliminant,
                                    _shift_loss], ids=lambda f: f.__name__.strip("_"))
def test_tampered_dense_certificate_rejected(dense_cert, tamper):
    assert not accepted(_tamper(dense_cert, tamper))


def test_rejection_names_the_failing_claim(dense_cert):
    bad = rejected_claims(_tamper(dense_cert, _move_box))
    assert any("θ box" in b for b in bad)
    bad = rejected_claims(_tamper(dense_cert, _drop_point))
    assert any("real critical points" in b for b in bad)
    bad = rejected_claims(_tamper(dense_cert, _change_label))
    assert any("loss" in b for b in bad) and any("parametrization" in b for b in bad)


def test_malformed_inputs(tmp_path, prop5_cert):
    with pytest.raises(CertificateError):
        check_certificate(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(CertificateError):
        check_certificate(tmp_path / "bad.json")
    with pytest.raises(CertificateError):
        check_certificate({"format": "something-else"})
    # a missing field inside a certificate is refused by the schema, naming the JSON path, not a traceback
    c = copy.deepcopy(prop5_cert)
    del c["blocks"][0]["rur"]
    with pytest.raises(CertificateError, match=r"blocks\[0\]"):
        check_certificate(c)


# --- the loss rebuilt independently -------------------------------------------------------------------------

@pytest.mark.parametrize("inst", [prop5_instance(1), prop5_instance(3, r="1/3"), builtin_instance("dense", p=2, seed=3)],
                         ids=["prop5-1", "prop5-3", "dense-2"])
def test_interpolated_loss_equals_expansion(inst):
    assert loss_by_interpolation(inst) == loss_poly(inst)


# --- identities -----------------------------------------------------------------------------------------

def test_symbolic_identities_and_a_false_one():
    cert = symbolic_identities_certificate()
    assert accepted(cert)
    bad = copy.deepcopy(cert)
    bad["claims"][2]["rhs"] = "-(" + bad["claims"][2]["rhs"] + ")"     # eq. 13 with the wrong sign
    bad_claims = rejected_claims(bad)
    assert len(bad_claims) == 1 and bad_claims[0].startswith("H-conjugation-phi0 (eq. 13)")
    # the shift rule without the sign flip is false
    bad = copy.deepcopy(cert)
    bad["claims"][1]["rhs"] = bad["claims"][0]["rhs"]
    assert not accepted(bad)


def test_pauli_expansion_certificate_and_tampering():
    cert = pauli_expansion_certificate([(1, 2), (2, 1)])
    assert accepted(cert)
    bad = copy.deepcopy(cert)
    bad["families"][0]["digest"] = "0" * 64
    assert not accepted(bad)
    bad = copy.deepcopy(cert)
    bad["families"][1]["n_cases"] += 1
    assert not accepted(bad)


def test_grid_check_detects_a_wrong_expansion():
    from qnnsym.exact.paulis import PauliSum
    from qnnsym.model.circuit import QNN, Gate

    gens, obs = next(iter(pauli_family_cases(2, 2)))
    qnn = QNN(tuple(Gate(PauliSum(2, {g: 1})) for g in gens), n_qubits=2)
    terms = {h: dict(t.items()) for h, t in phi_terms(qnn, PauliSum(2, {obs: 1})).items()}
    assert _verify_case(2, gens, obs, terms) is None
    h = next(iter(terms))
    k = next(iter(terms[h]))
    wrong = {**terms, h: {**terms[h], k: -terms[h][k]}}
    assert _verify_case(2, gens, obs, wrong) is not None


def test_fourier_degree_certificate_and_tampering():
    cert = fourier_degree_certificate([("prop5", "prop5", {"p": 3}), ("dense", "dense", {"p": 2, "seed": 0})])
    assert accepted(cert)
    assert cert["instances"][1]["max_l1"] == 4                 # dense reaches ‖k‖₁ = 2p
    bad = copy.deepcopy(cert)
    bad["instances"][1]["max_l1"] = 3
    assert not accepted(bad)
