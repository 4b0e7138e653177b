"""proofs/: `qnnsym check` accepts every committed certificate (the fast ones by default, all with -m slow)."""
from __future__ import annotations


import pytest

from qnnsym.certify.checker.check import check_certificate
from qnnsym.certify.proofs import certificate_files, proofs_root

FAST = ["eqs-07-15-symbolic/identities.json", "prop5-counts/prop5-p1.json", "prop5-counts/prop5-p2.json",
        "prop5-counts/prop5-p3.json", "theorem7-dense/dense-p1-seed0.json", "theorem7-dense/dense-p2-seed0.json",
        "theorem2-constructions/theorem2-p2.json", "theorem2-constructions/prop5-coupled-p2.json",
        "theorem2-constructions/integer-spectrum-p1.json", "extremal-minima/minima-p2-8.json",
        "extremal-minima/spurious-p2-6.json"]


@pytest.mark.parametrize("name", FAST)
def test_committed_certificate_accepted(name):
    verdicts = check_certificate(proofs_root() / name)
    assert verdicts and all(v.ok for v in verdicts), [v for v in verdicts if not v.ok]


@pytest.mark.slow
@pytest.mark.parametrize("path", certificate_files(), ids=lambda p: p.name)
def test_every_committed_certificate_accepted(path):
    verdicts = check_certificate(path)
    assert verdicts and all(v.ok for v in verdicts), [v for v in verdicts if not v.ok]


