"""SIGTERM handled like Ctrl-C (qnnsym.signals) without hanging forked workers.

Regression: a pool that terminated a worker it had just forked waited for it forever, because the
worker inherited the Python-level SIGTERM handler and CPython drops a signal that arrives during
the child's after-fork bookkeeping (CI hung in ``qnnsym check`` until its time limit).
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time

import pytest

from qnnsym.signals import sigterm_as_interrupt

pytestmark = pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs fork")


def _sleep():
    time.sleep(60)


def _report(conn):
    conn.send(signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)
    conn.close()


def test_worker_terminated_right_after_fork_dies():
    # before the fix about 9 in 10 of these children never died
    ctx = mp.get_context("fork")
    with sigterm_as_interrupt():
        for _ in range(30):
            p = ctx.Process(target=_sleep)
            p.start()
            p.terminate()
            p.join(10)
            alive = p.is_alive()
            if alive:
                p.kill()
                p.join()
            assert not alive, "a freshly forked worker survived SIGTERM"
            assert p.exitcode == -signal.SIGTERM


def test_child_gets_default_action_parent_keeps_handler():
    ctx = mp.get_context("fork")
    with sigterm_as_interrupt():
        here = signal.getsignal(signal.SIGTERM)
        a, b = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_report, args=(b,))
        p.start()
        assert a.recv() is True
        p.join(10)
        assert signal.getsignal(signal.SIGTERM) is here is not signal.SIG_DFL
        assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, set())


def test_pool_with_one_task_per_child_terminates():
    # the pattern of certify.checker.check_files: maxtasksperchild=1, so the pool keeps forking
    with sigterm_as_interrupt():
        for _ in range(10):
            with mp.get_context("fork").Pool(2, maxtasksperchild=1) as pool:
                assert pool.map(abs, range(-6, 0)) == [6, 5, 4, 3, 2, 1]


@pytest.mark.parametrize("workers", [1, 2])
def test_cli_sigterm_keeps_partial_results(tmp_path, workers):
    out = tmp_path / "o"
    cmd = [sys.executable, "-m", "qnnsym.cli", "experiment", "figure4", "--starts", "20000", "--p", "2", "3", "4", "5", "6",
           "-o", str(out), "--no-progress", "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    deadline = time.monotonic() + 120
    while not (out / "figure4.json").exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    try:
        stdout, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the command did not stop within 60 s of SIGTERM")
    assert proc.returncode == 130, stderr
    assert "INTERRUPTED" in stdout
    data = json.loads((out / "figure4.json").read_text())
    assert data
