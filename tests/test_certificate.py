"""Certificate files: schema, round trips, the CLI (check / prove / critical --certificate)."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from qnnsym.certify.certificate import critical_certificate, random_pauli_instance, write_json
from qnnsym.certify.checker.check import check_certificate, format_verdicts
from qnnsym.certify.proofs import PROOFS, certificate_files, proofs_root
from qnnsym.cli.main import main
from qnnsym.errors import CertificateError
from qnnsym.model.instances import builtin_instance, instance_from_dict, instance_to_dict, prop5_instance

SCHEMA = Path(__file__).resolve().parent.parent / "qnnsym" / "data" / "certificate.schema.json"


def test_committed_certificates_match_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text())
    files = certificate_files()
    assert len(files) >= 10
    for f in files:
        jsonschema.validate(json.loads(f.read_text()), schema)


def test_every_proof_folder_has_a_readme_and_its_certificates():
    for name, files in PROOFS.items():
        folder = proofs_root() / name
        readme = (folder / "README.md").read_text()
        assert "qnnsym check" in readme and "qnnsym prove --regenerate" in readme
        for fname in files:
            assert (folder / fname).exists(), f"{name}/{fname} not committed"


def test_certificate_stores_the_instance_exactly():
    from qnnsym.certify.checker.instance import unlabelled

    inst = prop5_instance(1, r="1/3")
    cert = critical_certificate(inst)
    # the data exactly; the free-text labels only with an origin the checker can rebuild
    assert instance_to_dict(instance_from_dict(cert["instance"])) == unlabelled(instance_to_dict(inst))
    assert cert["instance"] == unlabelled(instance_to_dict(inst)) and cert["origin"] is None
    named = critical_certificate(builtin_instance("prop5", p=1, r="1/3"))
    assert named["instance"] == instance_to_dict(inst) and named["origin"] == {"builtin": "prop5",
                                                                               "params": {"p": 1, "r": "1/3"}}
    # p = 1, r² < 1/2: two minima (one spurious), two maxima, 4 = p!·4^p complex critical points
    assert cert["summary"] == {"n_real": 4, "n_complex": 4, "complete": True, "minima": 2, "global_minima": 1,
                               "spurious_minima": 1, "undecided_global": 0, "saddles": 0, "maxima": 2,
                               "degenerate": 0}


def test_incomplete_tables_are_not_certified():
    from qnnsym.critical.table import critical_table

    table = critical_table(prop5_instance(2), max_points=1)    # aggregated: points not listed
    with pytest.raises(CertificateError):
        critical_certificate(prop5_instance(2), table=table)


def test_random_pauli_instance_is_reproducible():
    a, b = random_pauli_instance(2, 3, 3, seed=5), random_pauli_instance(2, 3, 3, seed=5)
    assert instance_to_dict(a) == instance_to_dict(b)


def test_cli_check_exit_codes(tmp_path, capsys):
    good = write_json(critical_certificate(prop5_instance(1)), tmp_path / "good.json")
    assert main(["check", str(good), "--quiet"]) == 0
    assert "ACCEPTED" in capsys.readouterr().out
    cert = json.loads(good.read_text())
    cert["summary"]["minima"] = 3
    bad = write_json(cert, tmp_path / "bad.json")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "FAIL" in out
    assert main(["check", str(tmp_path / "missing.json")]) == 2
    assert "missing.json: ERROR" in capsys.readouterr().out
    assert main(["check", str(good), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["accepted"] is True


def test_cli_critical_writes_a_checkable_certificate(tmp_path, capsys):
    path = tmp_path / "c.json"
    assert main(["critical", "prop5", "--p", "2", "--backend", "sympy", "--no-progress", "--certificate", str(path)]) == 0
    capsys.readouterr()
    assert main(["check", str(path), "--quiet"]) == 0


def test_cli_prove_list_and_check_all_on_a_folder(tmp_path, capsys):
    assert main(["prove", "--list"]) == 0
    assert "theorem7-dense" in capsys.readouterr().out
    write_json(critical_certificate(prop5_instance(1)), tmp_path / "a" / "p1.json")
    assert main(["prove", "--check-all", "--root", str(tmp_path)]) == 0
    cert = json.loads((tmp_path / "a" / "p1.json").read_text())
    cert["points"][0]["kind"] = "saddle"
    write_json(cert, tmp_path / "a" / "p1-bad.json")
    assert main(["prove", "--check-all", "--root", str(tmp_path)]) == 1
    assert main(["prove", "--check-all", "--root", str(tmp_path / "empty")]) == 2


# --- issue 24: a table below the bound (non-generic) is certified with an exhaustion cover ----------------

#: a 2-qubit energy, p = 3: deg q = 40 < bound 48 (non-generic), 16 real critical points (sympy, exactly)
BELOW_BOUND = {"n_qubits": 2, "objective": {"kind": "expectation"},
               "circuit": [{"gate": "Y0"}, {"gate": "X0 X1"}, {"gate": "Y1"}],
               "observable": {"pauli": [["1", "Z0 Z1"], ["1/2", "Z0"], ["1/3", "X1"]]},
               "samples": [{"state": {"vector": ["1", "0", "0", "0"]}}]}


@pytest.fixture(scope="module")
def below_bound_cert():
    from qnnsym.model.instances import instance_from_dict

    return critical_certificate(instance_from_dict(BELOW_BOUND), backend="sympy")


def test_below_bound_table_certificate_is_accepted(below_bound_cert):
    c = below_bound_cert
    blk = c["blocks"][0]
    assert blk["n_complex"] == 40 and blk["bounds"]["multihomogeneous"] == 48
    assert blk["complete"] is False and blk["real_complete"] is True      # complex count not claimed complete
    assert c["summary"]["complete"] is True and c["summary"]["complex_complete"] is False
    assert c["summary"]["n_real"] == 16 and "at least 40 complex" in c["statement"]
    v = check_certificate(c)
    assert v.accepted, format_verdicts(v)
    assert any("real cover: the block's 16 real points are all" in x.claim and x.ok for x in v)


def test_below_bound_forged_cover_is_refused(below_bound_cert):
    """A cover with an excluded box dropped (its parent becomes a leaf it does not cover), a cover whose
    last point box is dropped, a block whose real claim loses its cover: each refused."""
    c = copy.deepcopy(below_bound_cert)
    tree = c["blocks"][0]["real_cover"]["tree"]
    i = tree.rindex("0")
    c["blocks"][0]["real_cover"]["tree"] = tree[:i] + tree[i + 1:]          # a box dropped
    assert not check_certificate(c).accepted
    c = copy.deepcopy(below_bound_cert)
    c["blocks"][0]["real_cover"]["points"].pop()
    assert not check_certificate(c).accepted
    c = copy.deepcopy(below_bound_cert)                                        # completeness without evidence
    c["blocks"][0].pop("real_cover")
    c["blocks"][0].pop("real_complete")
    assert not check_certificate(c).accepted


def test_cli_critical_certificate_below_the_bound_is_accepted(tmp_path, capsys):
    """``qnnsym critical FILE --certificate`` then ``qnnsym check`` on the non-generic energy (40 of 48)."""
    src = tmp_path / "energy.json"
    src.write_text(json.dumps(BELOW_BOUND))
    cert = tmp_path / "c.json"
    assert main(["critical", str(src), "--backend", "sympy", "--no-progress", "--certificate", str(cert)]) == 0
    capsys.readouterr()
    assert main(["check", str(cert)]) == 0
    assert "ACCEPTED" in capsys.readouterr().out
