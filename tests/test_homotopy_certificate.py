"""Certificates of homotopy tables (method ``homotopy``, level ``numeric``): accepted, and each forgery refused."""
import copy
import json

import numpy as np
import pytest

from qnnsym.certify.certificate import critical_certificate
from qnnsym.certify.checker.boxes import decode_boxes, encode_boxes
from qnnsym.certify.checker.check import check_certificate
from qnnsym.cli.main import main
from qnnsym.critical.dense import dense_instance
from qnnsym.critical.table import critical_table


@pytest.fixture(scope="module")
def cert():
    inst = dense_instance(3, seed=2)
    return critical_certificate(inst, table=critical_table(inst, backend="homotopy", workers=1))


def _failed(c):
    return [v for v in check_certificate(c) if not v.ok]


def _boxes(c):
    blk = c["blocks"][0]
    return blk, decode_boxes(blk["boxes"], len(blk["parameters"]))


def _set_boxes(blk, mid, rad, chart, rot):
    blk["boxes"] = encode_boxes(mid, rad, chart, rot)


def test_homotopy_certificate_is_accepted(cert):
    blk = cert["blocks"][0]
    assert blk["method"] == "homotopy" and blk["certification"] == "numeric" and blk["complete"]
    assert blk["n_complex"] == 384 == blk["bounds"]["multihomogeneous"]
    assert cert["certification"] == "numeric" and cert["summary"]["complete"]
    assert not _failed(cert)
    # a complete list of non-degenerate critical points of a function on the torus has Σ(−1)^index = 0
    assert sum((-1) ** pt["index"] for pt in cert["points"]) == 0


def test_dropped_box_is_refused(cert):
    c = copy.deepcopy(cert)
    blk, (mid, rad, chart, rot) = _boxes(c)
    real = {pt["box"] for pt in blk["points"]}
    k = next(i for i in range(len(rad)) if i not in real)            # drop a non-real box, keep the claim
    keep = np.arange(len(rad)) != k
    _set_boxes(blk, mid[keep], rad[keep], chart[keep], rot)
    for pt in blk["points"]:
        pt["box"] -= pt["box"] > k
    bad = _failed(c)
    assert any("complete" in v.claim for v in bad)


def test_overlapping_boxes_are_refused(cert):
    c = copy.deepcopy(cert)
    blk, (mid, rad, chart, rot) = _boxes(c)
    real = {pt["box"] for pt in blk["points"]}
    k = next(i for i in range(len(rad)) if i not in real)
    mid, rad, chart = mid.copy(), rad.copy(), chart.copy()
    j = next(i for i in range(len(rad)) if i not in real and i != k)
    mid[k], rad[k], chart[k] = mid[j], rad[j], chart[j]              # one solution counted twice
    _set_boxes(blk, mid, rad, chart, rot)
    bad = _failed(c)
    assert any("disjoint" in v.claim for v in bad)


def test_wrong_bound_is_refused(cert):
    c = copy.deepcopy(cert)
    c["blocks"][0]["bounds"]["multihomogeneous"] = 383
    assert any("bounds" in v.claim for v in _failed(c))


def test_non_real_point_listed_as_real_is_refused(cert):
    c = copy.deepcopy(cert)
    blk, (mid, rad, chart, rot) = _boxes(c)
    real = {pt["box"] for pt in blk["points"]}
    k = next(i for i in range(len(rad)) if i not in real)
    blk["points"][0]["box"] = k
    bad = _failed(c)
    assert any("one per real box" in v.claim for v in bad)


def test_moved_box_fails_krawczyk(cert):
    c = copy.deepcopy(cert)
    blk, (mid, rad, chart, rot) = _boxes(c)
    mid = mid.copy()
    mid[5] = mid[5] + 1e-3                                           # no longer around its solution
    _set_boxes(blk, mid, rad, chart, rot)
    assert any("Krawczyk" in v.claim for v in _failed(c))


def test_wrong_index_is_refused(cert):
    c = copy.deepcopy(cert)
    pt = c["blocks"][0]["points"][0]
    pt["index"] = (pt["index"] + 1) % 4
    assert _failed(c)


def test_cli_homotopy_certificate_round_trip(tmp_path, capsys):
    f = tmp_path / "c.json"
    assert main(["critical", "dense", "--p", "2", "--seed", "1", "--backend", "homotopy", "--workers", "1",
                 "--certificate", str(f)]) == 0
    assert json.loads(f.read_text())["blocks"][0]["method"] == "homotopy"
    capsys.readouterr()
    assert main(["check", str(f)]) == 0
    assert "ACCEPTED" in capsys.readouterr().out
    for kernel, who in (("ball", "by the ball kernel (Arb) on"), ("float", "by the float kernel on"),
                        ("auto", "by the float kernel and ball kernel (Arb)")):
        assert main(["check", str(f), "--kernel", kernel]) == 0
        assert who in capsys.readouterr().out


# --- sampled checks (qnnsym check --sample N; proofs too large to re-prove in CI) ------------------------------

def _sampled(c, n=40, seed=0):
    return check_certificate(c, sample=n, sample_seed=seed)


def _forge_box(c, k):
    """Move box ``k``'s centre off its solution (by far more than its radius); nothing else changes."""
    blk, (mid, rad, chart, rot) = _boxes(c)
    mid = mid.copy()
    mid[k] *= 1 + 1e-4
    _set_boxes(blk, mid, rad, chart, rot)


def test_sampled_check_says_what_it_proved(cert):
    from qnnsym.certify.checker.check import format_verdicts

    v = _sampled(cert)
    assert all(x.ok for x in v), [x for x in v if not x.ok]
    assert v[0].claim == "scope: a sampled check" and "40 of the 384 boxes" in v[0].detail
    assert "2 of the" in v[0].detail                        # ⌈40/20⌉ real points re-proved
    assert format_verdicts(v, "c.json").splitlines()[-1].startswith("c.json: ACCEPTED (sampled check: ")
    # the full check has no such line
    full = check_certificate(cert)
    assert not any(x.claim.startswith("scope:") for x in full)


def test_sampled_check_refuses_a_forged_box_in_the_sample_and_only_the_full_check_the_others(cert):
    from qnnsym.certify.checker.boxes import sample_indices

    blk = cert["blocks"][0]
    n = blk["boxes"]["n"]
    real = {pt["box"] for pt in blk["points"]}
    sample = set(sample_indices(n, 40, 0).tolist())
    inside = next(k for k in sorted(sample) if k not in real)
    outside = next(k for k in range(n) if k not in sample and k not in real)
    c = copy.deepcopy(cert)
    _forge_box(c, inside)
    bad = [x for x in _sampled(c) if not x.ok]
    assert bad and f"box {inside}:" in bad[0].detail
    c = copy.deepcopy(cert)
    _forge_box(c, outside)
    assert all(x.ok for x in _sampled(c))                    # a sample cannot see it: that is what "sampled" says
    bad = _failed(c)
    assert bad and f"box {outside}:" in bad[0].detail        # the full check does


def test_sampled_check_refuses_a_forged_index_in_the_point_sample(cert):
    from qnnsym.certify.checker.boxes import sample_indices

    c = copy.deepcopy(cert)
    pts = c["blocks"][0]["points"]
    i = int(sample_indices(len(pts), 2, 1)[0])              # the point sample is drawn with seed + 1
    pts[i]["index"] = (pts[i]["index"] + 1) % 4
    assert [x for x in _sampled(c) if not x.ok]


def test_check_sample_cli(tmp_path, capsys):
    f = tmp_path / "c.json"
    main(["critical", "dense", "--p", "2", "--seed", "0", "--backend", "homotopy", "--workers", "1",
          "--certificate", str(f), "-o", str(tmp_path / "t.md")])
    capsys.readouterr()
    assert main(["check", str(f), "--sample", "10", "--quiet"]) == 0
    assert "ACCEPTED (sampled check: " in capsys.readouterr().out
    assert main(["check", str(f), "--sample", "0"]) == 2
    assert "--sample '0': expected a positive integer" in capsys.readouterr().err


def test_check_all_samples_the_registered_files(tmp_path, cert, monkeypatch):
    from qnnsym.certify.certificate import write_json
    from qnnsym.certify.proofs import SAMPLED, check_all

    name = next(iter(SAMPLED))
    monkeypatch.setitem(SAMPLED, name, dict(SAMPLED[name], sample=40))    # scaled to this 384-box certificate
    write_json(cert, tmp_path / name)
    lines = []
    (rec,) = check_all(tmp_path, echo=lines.append)
    assert rec["accepted"] and rec["sampled"] and "ACCEPTED (sampled check: " in lines[0]
    (rec,) = check_all(tmp_path, echo=lines.append, full=True)
    assert rec["accepted"] and not rec["sampled"]


def _same_verdicts_on_workers(c, kernel):
    one = [(v.claim, v.ok, v.detail) for v in check_certificate(c, kernel=kernel, workers=1)]
    assert one == [(v.claim, v.ok, v.detail) for v in check_certificate(c, kernel=kernel, workers=2)]
    return one


def test_box_reproof_over_workers_gives_the_verdicts_of_one_worker(cert):
    """``workers=2`` (θ-box proofs, ball-kernel chunks in forked processes) = ``workers=1``, verdict for
    verdict: on a forged index (that point fails, the others pass), and on a forged box (the ball kernel)."""
    c = copy.deepcopy(cert)
    c["blocks"][0]["points"][3]["index"] = (c["blocks"][0]["points"][3]["index"] + 1) % 4
    one = _same_verdicts_on_workers(c, "float")
    assert [claim for claim, ok, _ in one if not ok and " point " in claim] == \
        [claim for claim, _, _ in one if "point 3:" in claim]
    c = copy.deepcopy(cert)
    blk, (mid, rad, chart, rot) = _boxes(c)
    non_real = next(i for i in range(len(rad)) if i not in {pt["box"] for pt in blk["points"]})
    mid = mid.copy()
    mid[non_real] += 0.05                                            # no longer around its solution
    _set_boxes(blk, mid, rad, chart, rot)
    one = _same_verdicts_on_workers(c, "ball")
    assert any(not ok and "boxes fail the ball kernel" in d for _, ok, d in one)


def test_cli_check_workers(cert, tmp_path, capsys):
    f = tmp_path / "cert.json"
    f.write_text(json.dumps(cert))
    assert main(["check", str(f), "--workers", "2", "--kernel", "float", "--quiet"]) == 0
    assert "ACCEPTED" in capsys.readouterr().out
    assert main(["check", str(f), "--workers", "100000"]) == 2
    assert "error: --workers" in capsys.readouterr().err
