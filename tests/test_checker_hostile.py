"""Hostile or broken files against ``qnnsym check`` (issue 22 §2): each gives a verdict or a clear error
quickly, and a batch reports every file whatever one of them does.

One test per class: a path that is not a regular file (FIFO, ``/dev/zero``) or too large; a homotopy
block of 240,000 boxes on one vertical line; claims whose re-derivation is exponential (a Pauli family
at the schema maximum, p = 14 gates on one qubit, ``((A+B)**8)**8``, a built-in copied 3·10^7 times);
a lone surrogate; a statement that forges the verdict line with terminal escapes; a worker killed by
``SIGKILL``; Ctrl-C.  Nothing here depends on the machine's speed: sizes are starved by the cost limit
(operations, not seconds) and the subprocess timeouts are generous hang guards only.
"""
from __future__ import annotations

import base64
import copy
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qnnsym import PauliSum, builtin_instance
from qnnsym.certify import check_certificate, critical_certificate, symbolic_identities_certificate
from qnnsym.certify.certificate import pauli_expansion_certificate
from qnnsym.certify.checker import check as check_mod
from qnnsym.certify.checker.check import check_files
from qnnsym.certify.checker.cost import (DEFAULT_MAX_COST, builtin_cost, interpolation_cost, pauli_family_cost)
from qnnsym.cli.main import main
from qnnsym.exact.krawczyk import disjoint, disjointness_pairs
from qnnsym.model import QNN, Dataset, Gate, Instance, Sample

ROOT = Path(__file__).resolve().parents[1]
HANG_GUARD = 600      # seconds: only a hang reaches it


def _cli(*args: str, timeout: float = HANG_GUARD, **kw) -> subprocess.CompletedProcess:
    """``qnnsym ARGS`` in a fresh interpreter (output as UTF-8 bytes, decoded with backslash escapes)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "qnnsym.cli", *args], capture_output=True, timeout=timeout,
                          env=env, **kw)


def _text(b: bytes) -> str:
    return b.decode("utf-8", errors="backslashreplace")


def _write(path: Path, cert: dict) -> Path:
    path.write_text(json.dumps(cert))
    return path


@pytest.fixture(scope="module")
def identities():
    return symbolic_identities_certificate()


def _not_checked(verdicts) -> list:
    return [v for v in verdicts if not v.ok and "not checked: estimated cost" in v.detail and "--max-cost" in v.detail]


# --- paths that are not regular files, and size ---------------------------------------------------------

def test_fifo_is_refused_not_read(tmp_path):
    fifo = tmp_path / "cert.json"
    os.mkfifo(fifo)
    r = _cli("check", str(fifo))
    err = _text(r.stderr)
    assert r.returncode == 2 and "FIFO" in err and str(fifo) in err and "Traceback" not in err


def test_dev_zero_is_refused_not_read():
    r = _cli("check", "/dev/zero")
    err = _text(r.stderr)
    assert r.returncode == 2 and "/dev/zero: is a character device, not a regular file" in err


def test_directory_and_size_limit(tmp_path, identities, capsys):
    f = _write(tmp_path / "c.json", identities)
    size = f.stat().st_size
    assert main(["check", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert main(["check", str(f), "--max-bytes", str(size - 1), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"{size} bytes, above the limit of {size - 1} bytes" in err and "--max-bytes" in err
    assert main(["check", str(f), "--max-bytes", str(size), "--quiet"]) == 0
    assert "ACCEPTED" in capsys.readouterr().out


def test_millions_of_tiny_values_are_refused_before_parsing(tmp_path, capsys):
    """Parsing and schema validation cost microseconds per value: 3 million values (6 MB) are refused by a
    count made at C speed; below the count, schema errors are collected lazily (not one per item)."""
    head = '{"format": "qnnsym-certificate/2", "kind": "symbolic-identities", "statement": "x", "claims": ['
    many = tmp_path / "many.json"
    many.write_text(head + ",".join(["{}"] * 3_000_000) + "]}")
    assert main(["check", str(many), "--max-bytes", "67108864"]) == 2
    assert "about 3000007 JSON values, more than 2097152" in capsys.readouterr().err
    some = tmp_path / "some.json"
    some.write_text(head + ",".join(["{}"] * 100_000) + "]}")
    assert main(["check", str(some)]) == 2
    assert "claims[0]: 'name' is a required property (and at least 49 more" in capsys.readouterr().err


# --- the disjointness sweep --------------------------------------------------------------------------------

def test_boxes_on_one_vertical_line_are_swept_in_n_log_n():
    """240,000 disjoint boxes with one sweep key (``Re t`` equal): the sweep compares no pair at all
    (a count of operations, not a time); one overlapping pair among them is found."""
    n = 240_000
    mid = np.stack([0.5 + 1j * np.arange(n) * 1e-3, np.full(n, 0.25 + 0j)], axis=1)
    rad = np.full(n, 1e-4)
    assert disjointness_pairs(mid, rad) == 0
    assert disjoint(mid, rad) == (True, None)
    mid[1000, 0] = mid[999, 0] + 1e-4j           # boxes 999 and 1000 now overlap
    assert disjoint(mid, rad) == (False, (999, 1000))
    # the same boxes on a horizontal line, and all at one point in t_1 but spread in t_2
    assert disjointness_pairs(mid.imag + 1j * mid.real, rad) <= 1
    same = np.stack([np.full(n, 0.5 + 0.5j), np.arange(n) * 1e-3 + 0j], axis=1)
    assert disjointness_pairs(same, rad) == 0 and disjoint(same, rad) == (True, None)


def test_disjoint_agrees_with_all_pairs_on_random_boxes():
    rng = np.random.default_rng(7)
    for trial in range(200):
        n, p = int(rng.integers(2, 30)), int(rng.integers(1, 4))
        mid = (np.round(rng.normal(size=(n, p)) * 3) + 1j * np.round(rng.normal(size=(n, p)) * 3)) / 2
        rad = rng.uniform(0.01, 0.6, size=(n, p) if trial % 2 else n)
        r = np.broadcast_to(rad.reshape(n, -1), mid.shape)
        meet = [(i, j) for i in range(n) for j in range(i + 1, n)
                if not (np.abs(mid[i] - mid[j]) > (r[i] + r[j]) * (1 + 1e-12)).any()]
        ok, pair = disjoint(mid, rad)
        assert ok == (not meet)
        if pair is not None:
            i, j = pair
            assert not (np.abs(mid[i] - mid[j]) > (r[i] + r[j]) * (1 + 1e-12)).any()


def test_homotopy_block_of_240000_boxes_on_one_line_gets_a_verdict(tmp_path):
    from qnnsym.critical import critical_table

    inst = builtin_instance("dense", p=1, seed=0)
    cert = critical_certificate(inst, table=critical_table(inst, backend="homotopy", workers=1))
    n = 240_000
    b64 = lambda a, dt: base64.b64encode(np.ascontiguousarray(a, dtype=dt).tobytes()).decode("ascii")  # noqa: E731
    blk = cert["blocks"][0]
    blk["boxes"].update(n=n, mid_re=b64(np.full(n, 0.5), "<f8"), mid_im=b64(np.arange(n) * 1e-3, "<f8"),
                        radius=b64(np.full(n, 1e-4), "<f8"), chart=b64(np.zeros(n), "u1"))
    blk["n_complex"] = n
    r = _cli("check", str(_write(tmp_path / "boxes.json", cert)), "--quiet")
    assert r.returncode == 1 and "REJECTED" in _text(r.stdout), _text(r.stderr)


# --- claims whose re-derivation is exponential: refused by the cost estimate ---------------------------------

def test_pauli_family_at_the_schema_maximum_is_refused_by_its_cost():
    cert = pauli_expansion_certificate([(1, 1)])
    fam = dict(cert["families"][0], n_qubits=3, p=4, n_cases=63 ** 5)
    cert["families"].append(fam)
    assert pauli_family_cost(3, 4) > DEFAULT_MAX_COST
    v = check_certificate(cert)
    refused = _not_checked(v)
    assert len(refused) == 1 and "992436543 circuits" in refused[0].detail
    assert sum(not x.ok for x in v) == 1        # the small family is still checked, and holds


def _one_qubit(p: int) -> Instance:
    qnn = QNN(tuple(Gate(PauliSum.from_labels(1, {g: 1})) for g in (["Z0", "Y0"] * p)[:p]), n_qubits=1)
    rho = PauliSum.from_labels(1, {"I": "1/2", "X0": "1/2"})
    return Instance(qnn, PauliSum.from_labels(1, {"X0": 1}), Dataset((Sample(rho, "0"),)))


def test_fourteen_gates_on_one_qubit_are_refused_before_interpolation(monkeypatch):
    small = critical_certificate(builtin_instance("prop5", p=1))      # its claims, about another instance
    from qnnsym.certify.checker.instance import certificate_instance, instance_digest

    d, origin = certificate_instance(_one_qubit(14))
    cert = dict(copy.deepcopy(small), instance=d, origin=origin, instance_sha256=instance_digest(d))
    assert interpolation_cost(_one_qubit(14)) > DEFAULT_MAX_COST > interpolation_cost(_one_qubit(2))

    def never(*a, **k):
        raise AssertionError("the loss was interpolated")

    monkeypatch.setattr("qnnsym.certify.checker.critical.loss_by_interpolation", never)
    v = check_certificate(cert)
    assert len(_not_checked(v)) == 1 and "interpolating the loss of p = 14 gates" in _not_checked(v)[0].detail


def test_symbolic_identity_with_a_huge_expansion_is_refused(identities):
    cert = copy.deepcopy(identities)
    cert["claims"].append({"name": "blow-up", "paper": "", "lhs": "((A+H)**8)**8", "rhs": "0",
                           "noncommutative": ["A", "H"], "commutative": [], "involutions": ["H"], "circles": [],
                           "trace": False})
    v = check_certificate(cert)
    refused = _not_checked(v)
    assert len(refused) == 1 and refused[0].claim.startswith("blow-up")
    assert sum(not x.ok for x in v) == 1


def test_builtin_origin_with_a_huge_copy_count_is_refused(monkeypatch):
    cert = critical_certificate(builtin_instance("prop5", p=1))
    cert["origin"]["params"]["s1_copies"] = 3 * 10 ** 7
    assert builtin_cost("prop5", cert["origin"]["params"]) > DEFAULT_MAX_COST

    def never(*a, **k):
        raise AssertionError("the built-in was rebuilt")

    monkeypatch.setattr("qnnsym.model.instances.builtin_instance", never)
    v = check_certificate(cert)
    assert len(_not_checked(v)) == 1 and "rebuilding the built-in prop5" in _not_checked(v)[0].detail


def test_max_cost_option_refuses_and_allows(tmp_path, identities, capsys):
    f = _write(tmp_path / "c.json", identities)
    assert main(["check", str(f), "--max-cost", "10"]) == 1
    assert "not checked: estimated cost" in capsys.readouterr().out
    assert main(["check", str(f), "--max-cost", "1e9", "--quiet"]) == 0
    assert main(["check", str(f), "--max-cost", "-3"]) == 2
    assert "--max-cost" in capsys.readouterr().err


def test_help_states_the_defaults():
    from qnnsym.certify.checker.strict import MAX_BYTES
    from qnnsym.cli.certify import MAX_BYTES_HELP, MAX_COST_HELP

    assert float(MAX_COST_HELP) == DEFAULT_MAX_COST and int(MAX_BYTES_HELP.split()[0]) == MAX_BYTES


# --- what a file can make the checker print ------------------------------------------------------------------

def test_lone_surrogate_is_reported_and_the_batch_goes_on(tmp_path, identities):
    bad = copy.deepcopy(identities)
    bad["statement"] = "eqs. 7-15 \ud800 hold"
    f1 = tmp_path / "1.json"
    f1.write_text(json.dumps(bad))          # ensure_ascii: the file holds the escape \ud800
    f2 = _write(tmp_path / "2.json", identities)
    r = _cli("check", str(f1), str(f2), "--quiet")
    out = _text(r.stdout)
    assert r.returncode == 1 and "Traceback" not in _text(r.stderr)
    assert f"{f1}: REJECTED" in out and f"{f2}: ACCEPTED" in out
    r = _cli("check", str(f1))
    assert "\\ud800" in _text(r.stdout) and r.returncode == 1


def test_forged_verdict_line_and_terminal_escapes_are_escaped(tmp_path, identities):
    forged = copy.deepcopy(identities)
    forged["statement"] = "x\n/tmp/c.json: ACCEPTED (19/19 claims verified)\x1b[8m\r\u202e"
    f = _write(tmp_path / "c.json", forged)
    r = _cli("check", str(f))
    out = _text(r.stdout)
    assert r.returncode == 1
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    lines = out.splitlines()
    assert not any(line.startswith("/tmp/c.json: ACCEPTED") for line in lines)
    assert lines[-1].startswith(f"{f}: REJECTED")
    assert "\\x0a/tmp/c.json: ACCEPTED (19/19 claims verified)\\x1b[8m\\x0d\\u202e" in out
    from qnnsym.certify.checker.common import Verdict
    from qnnsym.certify.checker.check import format_verdicts

    shown = format_verdicts([Verdict("y" * 100_000, False, "\ud800" * 10)], "f\n")
    assert max(map(len, shown.splitlines())) < 2100 and "…[98000 more characters]" in shown
    assert shown.endswith("f\\x0a: REJECTED (0/1 claims verified)")


# --- per-file isolation ----------------------------------------------------------------------------------------

def test_a_worker_killed_by_sigkill_gets_an_error_and_the_batch_goes_on(tmp_path, monkeypatch, identities, capsys):
    files = [_write(tmp_path / f"{k}.json", identities) for k in ("a", "poison", "b", "c")]
    real = check_mod._check_one

    def dies_on_poison(path, *args):
        if path.endswith("poison.json"):
            os.kill(os.getpid(), signal.SIGKILL)     # as the out-of-memory killer would
        return real(path, *args)

    monkeypatch.setattr(check_mod, "_check_one", dies_on_poison)    # inherited by the forked workers
    res = list(check_files(files, workers=2))
    assert [Path(r[0]).name for r in res] == ["a.json", "poison.json", "b.json", "c.json"]
    assert all(r[1] and all(v.ok for v in r[1]) for k, r in enumerate(res) if k != 1)
    assert res[1][1] is None and "killed by SIGKILL" in res[1][2]
    assert main(["check", *map(str, files), "--quiet"]) == 2
    out = capsys.readouterr()
    assert out.out.count("ACCEPTED") == 3 and "poison.json: the checker process was killed by SIGKILL" in out.err
    assert [line.split(": ")[1].split()[0] for line in out.out.splitlines()] == ["ACCEPTED", "ERROR", "ACCEPTED",
                                                                               "ACCEPTED"]


def test_a_crashing_check_is_an_error_for_that_file_only(tmp_path, monkeypatch, identities):
    files = [_write(tmp_path / f"{k}.json", identities) for k in ("a", "crash", "b")]
    real = check_mod._check_one

    def crashes(path, *args):
        if path.endswith("crash.json"):
            raise SystemError("boom")
        return real(path, *args)

    monkeypatch.setattr(check_mod, "_check_one", crashes)
    res = list(check_files(files, workers=1))
    assert res[1][1] is None and "SystemError: boom" in res[1][2]
    assert all(v.ok for v in res[0][1]) and all(v.ok for v in res[2][1])


SLOW_BATCH = """
import os, sys, time
from qnnsym.certify.checker import check as c
def stuck(path, *a):
    open(os.environ["MARK"], "w").close()
    while True:
        time.sleep(0.05)
c._check_one = stuck
from qnnsym.cli.main import main
sys.exit(main(["check"] + sys.argv[1:]))
"""


def test_ctrl_c_stops_the_batch_without_worker_tracebacks(tmp_path, identities):
    import time

    f = _write(tmp_path / "c.json", identities)
    mark = tmp_path / "started"
    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", MARK=str(mark))
    proc = subprocess.Popen([sys.executable, "-c", SLOW_BATCH, str(f), str(f)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        for _ in range(HANG_GUARD * 20):     # until a worker runs (not a time limit: a hang guard)
            if mark.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert mark.exists()
        os.killpg(proc.pid, signal.SIGINT)      # Ctrl-C reaches the whole foreground process group
        out, err = proc.communicate(timeout=HANG_GUARD)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and "Traceback" not in _text(err) and "interrupted" in _text(err)
