"""One rule for interrupts and time limits (issue 27 §4): interrupt → 130, time limit → 3, every verb.

* every verb of the parser (walked, so a new verb is covered): a real SIGINT or SIGTERM sent to this
  process while the verb runs (in-process), caught by the verb to keep a partial result or not, exits
  130; a time limit, raised or caught, exits 3; never a traceback;
* the long verbs, as real processes: started, signalled once their work has begun
  (``QNNSYM_READY_FILE``), they stop, exit 130 and keep what they have, marked partial;
* ``--time-limit`` starved by work, not by a clock a fast machine beats (1e-9 s).
"""
import argparse
import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import qnnsym.cli.main  # noqa: F401
from qnnsym.errors import TimeBudgetExceeded
from qnnsym.sim.experiments import ExperimentResult, _add_fits

ROOT = Path(__file__).resolve().parents[1]
cli_main = sys.modules["qnnsym.cli.main"]


def _leaf_parsers(ap, prefix=()):
    subs = [a for a in ap._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield prefix, ap
        return
    seen = set()
    for name, sp in subs[0].choices.items():
        if id(sp) in seen:
            continue
        seen.add(id(sp))
        yield from _leaf_parsers(sp, prefix + (name,))


VERBS = [(path, sp) for path, sp in _leaf_parsers(cli_main.build_parser())]
VERB_NAMES = [" ".join(p) for p, _ in VERBS]


def _minimal_argv(path, sp) -> list[str]:
    """The verb with its required arguments filled by harmless values (parsing must succeed)."""
    argv = list(path)
    for a in sp._actions:
        if a.option_strings and a.required:
            argv += [a.option_strings[0], "1"]
        elif not a.option_strings and a.nargs not in ("?", "*") and not isinstance(a, argparse._SubParsersAction) \
                and a.dest != "help":
            argv += [a.choices and next(iter(a.choices)) or "prop5"]
    for g in sp._mutually_exclusive_groups:
        if g.required:
            a = next(a for a in g._group_actions if a.nargs == 0)
            argv.append(a.option_strings[0])
    return argv


def _run(argv, behaviour):
    """Run ``argv`` in-process with the verb's work replaced by ``behaviour(args)``."""
    ap = cli_main.build_parser()
    args = ap.parse_args(argv)
    args.func = behaviour
    out, err = io.StringIO(), io.StringIO()
    real_build = cli_main.build_parser
    cli_main.build_parser = lambda: _Fixed(ap, args)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli_main.main(argv)
    finally:
        cli_main.build_parser = real_build
    return rc, err.getvalue()


class _Fixed:
    """A parser that returns the prepared namespace (the verb's work swapped for a behaviour)."""

    def __init__(self, ap, args):
        self.ap, self.args = ap, args
        self._actions = ap._actions

    def parse_args(self, argv):
        return self.args


def _signal_self(sig, caught):
    def work(args):
        try:
            os.kill(os.getpid(), sig)
            time.sleep(5)              # the handler raises at once
            return 0
        except KeyboardInterrupt:
            if caught:                 # a verb that keeps a partial result and returns normally
                print("partial table")
                return 0
            raise
    return work


def _time_limit(caught):
    def work(args):
        try:
            raise TimeBudgetExceeded("time limit of 1e-09 s exceeded; finished steps: nothing")
        except TimeBudgetExceeded:
            if caught:
                print("partial table")
                return 0
            raise
    return work


@pytest.mark.parametrize("caught", [False, True], ids=["raised", "caught"])
@pytest.mark.parametrize("what", [signal.SIGINT, signal.SIGTERM, "time limit"], ids=["SIGINT", "SIGTERM", "limit"])
@pytest.mark.parametrize("i", range(len(VERBS)), ids=VERB_NAMES)
def test_every_verb_follows_the_rule(i, what, caught):
    path, sp = VERBS[i]
    argv = _minimal_argv(path, sp)
    behaviour = _time_limit(caught) if what == "time limit" else _signal_self(what, caught)
    rc, err = _run(argv, behaviour)
    assert rc == (3 if what == "time limit" else 130), (argv, what, caught, err)
    assert "Traceback" not in err


def test_the_rule_covers_every_verb():
    names = set(VERB_NAMES)
    for v in ("expand", "critical", "landscape", "report", "study theorem6", "study minima", "experiment",
              "search minima", "search bounds", "construct theorem2", "check", "prove", "import", "export",
              "simulate", "independence", "doctor", "list"):
        assert any(n == v or n.startswith(v + " ") for n in names), (v, sorted(names))


# --- real processes ---------------------------------------------------------------------------------

def _start(argv, tmp_path, marker=None):
    """Start the verb; return once its work has begun (and, with ``marker``, once stderr matched it:
    some work is done, so a partial result exists)."""
    ready = tmp_path / "ready"
    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1", QNNSYM_READY_FILE=str(ready))
    errf = open(tmp_path / "stderr.txt", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "qnnsym.cli", *argv], stdout=subprocess.PIPE,
                            stderr=errf, text=True, env=env, cwd=tmp_path)
    proc.errf = errf
    deadline = time.monotonic() + 180
    def begun():
        if not ready.exists() or marker is None:
            return ready.exists()
        if marker.startswith("file:"):
            return (tmp_path / marker[5:]).exists()
        return re.search(marker, (tmp_path / "stderr.txt").read_text())

    while proc.poll() is None and time.monotonic() < deadline and not begun():
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    return proc


def _stop(proc, sig, wait=0.5):
    time.sleep(wait)                       # inside the work (every workload below takes minutes)
    proc.send_signal(sig)
    try:
        out, _ = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("did not stop within 120 s of the signal")
    proc.errf.seek(0)
    return out, proc.errf.read()


LONG = {
    "expand": ["expand", "dense", "--p", "9", "--loss", "--time-limit", "100000", "--no-progress"],
    "critical": ["critical", "dense", "--p", "5", "--backend", "homotopy", "--workers", "1", "--no-progress"],
    "landscape": ["landscape", "basins", "dense", "--p", "2", "--seed", "0", "--samples", "100000000",
                  "--time-limit", "100000", "--no-progress"],
    "report": ["report", "dense", "--p", "5", "-o", "rep", "--no-progress"],
    "study theorem6": ["study", "theorem6", "--d", "4", "128", "--p", "1", "4", "--samples", "500",
                       "--progress"],
    "study minima": ["study", "minima", "--p", "2", "24", "--starts", "100000000", "--no-progress"],
    "experiment": ["experiment", "figure4", "--starts", "200000", "--p", "2", "3", "-o", "exp", "--no-progress"],
    "search minima": ["search", "minima", "--p", "3", "--rounds", "100000", "--workers", "1", "--chains", "1",
                      "--time-limit", "100000", "--out", "run", "--no-progress"],
}


@pytest.mark.parametrize("verb", ["landscape"])
def test_a_real_signal_stops_a_verb(verb, tmp_path):
    _check_signal(verb, signal.SIGINT, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("verb", sorted(LONG))
def test_a_real_signal_stops_every_long_verb(verb, sig, tmp_path):
    _check_signal(verb, sig, tmp_path)


def _check_signal(verb, sig, tmp_path):
    proc = _start(LONG[verb], tmp_path, MARKERS.get(verb))
    out, err = _stop(proc, sig)
    assert proc.returncode == 130, (verb, proc.returncode, err[-2000:])
    assert "Traceback" not in err and "Exception ignored" not in err, err[-3000:]
    if verb == "study theorem6":
        assert "PARTIAL" in out and "interrupted" in out, out
    if verb == "experiment":
        assert "INTERRUPTED" in out


#: stderr once some work is done (a progress bar past its first unit)
MARKERS = {"study theorem6": r"theorem 6:.*?\b[1-9]\d*/\d+", "experiment": "file:exp/figure4.json"}

TIME_LIMITED = {
    "expand": ["expand", "dense", "--p", "6", "--loss", "--time-limit", "1e-9"],
    "critical": ["critical", "dense", "--p", "3", "--time-limit", "1e-9", "--no-progress"],
    "landscape": ["landscape", "graph", "dense", "--p", "3", "--time-limit", "1e-9", "--no-progress"],
}


@pytest.mark.parametrize("verb", sorted(TIME_LIMITED))
def test_a_time_limit_exits_3(verb, tmp_path):
    got = subprocess.run([sys.executable, "-m", "qnnsym.cli", *TIME_LIMITED[verb]], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1"), cwd=tmp_path,
                         timeout=300)
    assert got.returncode == 3, (verb, got.returncode, got.stderr[-2000:])
    assert "Traceback" not in got.stderr


def test_an_interrupted_cell_is_not_fitted():
    """Figure 4: a partial cell (837 of 1000 runs) is marked and left out of the fit."""
    full = [{"optimizer": "adam", "p": p, "successes": int(1000 * 0.5 ** p), "runs": 1000, "partial": False}
            for p in (2, 3, 4)]
    cut = dict(full[-1], p=5, successes=800, runs=837, partial=True)       # would bend the fit upwards
    res = ExperimentResult("figure4", [], full + [cut], {"instances": {}, "ps": [2, 3, 4, 5]})
    fit = _add_fits(res).meta["fits"]["adam"]
    assert abs(fit["q"] - 0.5) < 0.02, fit
