"""Issue 24: tables with a block completed by real exhaustion (several blocks, or a reduced table) are certified;
each block carries its own cover and the checker re-proves it; forged blocks are refused."""
from __future__ import annotations

import copy
from fractions import Fraction

import pytest

from qnnsym.certify.certificate import critical_certificate
from qnnsym.certify.checker.check import check_certificate
from qnnsym.critical.table import critical_table
from qnnsym.model.instances import load_instance, prop5_instance


def _failed(cert) -> list[str]:
    return [v.claim for v in check_certificate(cert) if not v.ok]


@pytest.fixture(scope="module")
def two_blocks():
    inst = prop5_instance(2)
    tab = critical_table(inst, backend="exhaustion")
    assert len(tab.blocks) == 2 and all(b.result.backend == "exhaustion" for b in tab.blocks)
    return critical_certificate(inst, tab)


def test_two_exhausted_blocks_are_certified(two_blocks):
    cert = two_blocks
    assert [b["method"] for b in cert["blocks"]] == ["exhaustion", "exhaustion"]
    assert cert["certification"] == "certified (real exhaustion)" and cert["summary"]["n_complex"] is None
    # Proposition 5 with two qubits: 4 real critical points per qubit, 16 in the product, one global minimum
    assert cert["summary"]["n_real"] == 16 and cert["summary"]["global_minima"] == 1
    assert not _failed(cert)


def test_reduced_table_with_an_exhausted_block_is_certified():
    inst = load_instance("examples/redundant_rz_rz.json")
    tab = critical_table(inst, backend="exhaustion")
    assert tab.reduction is not None
    cert = critical_certificate(inst, tab)
    assert cert["blocks"][0]["method"] == "exhaustion" and "reduction" in cert
    assert not _failed(cert)


def test_forged_block_cover_with_a_dropped_box_is_refused(two_blocks):
    bad = copy.deepcopy(two_blocks)
    cov = bad["blocks"][1]["cover"]
    cov["tree"] = cov["tree"][:-1]
    assert any("covers the torus" in c for c in _failed(bad))


def test_forged_block_with_an_excluded_box_holding_a_zero_is_refused(two_blocks):
    bad = copy.deepcopy(two_blocks)
    cov = bad["blocks"][0]["cover"]
    i = cov["tree"].index("2")
    cov["tree"] = cov["tree"][:i] + "0" + cov["tree"][i + 1:]
    del cov["inclusions"][0]
    assert any("hold no critical point" in c for c in _failed(bad))


def test_forged_block_index_level_and_value_are_refused(two_blocks):
    bad = copy.deepcopy(two_blocks)
    pt = bad["blocks"][0]["cover"]["points"][0]
    pt["index"] = 1 - pt["index"]
    assert _failed(bad)
    bad = copy.deepcopy(two_blocks)
    bad["blocks"][0]["certification"] = "verified parametrization"
    assert _failed(bad)
    bad = copy.deepcopy(two_blocks)
    lo, hi = (Fraction(x) for x in bad["points"][0]["loss_interval"])
    bad["points"][0]["loss_interval"] = [str(lo + Fraction(1, 1000)), str(hi + Fraction(1, 1000))]
    assert any("loss value" in c for c in _failed(bad))
