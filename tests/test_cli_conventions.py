"""The command-line conventions of docs/cli-conventions.md, checked over the whole parser."""
from __future__ import annotations

import argparse
import json
import re
import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnnsym.cli.main import build_parser, main


def _verbs(ap: argparse.ArgumentParser, path: tuple[str, ...] = ("qnnsym",)):
    """Every (path, parser) pair, sub-verbs included; leaves are the runnable verbs."""
    subs = [a for a in ap._actions if isinstance(a, argparse._SubParsersAction)]
    yield path, ap, not subs
    for s in subs:
        for name, sp in s.choices.items():
            yield from _verbs(sp, path + (name,))


VERBS = list(_verbs(build_parser()))
LEAVES = [(" ".join(path), ap) for path, ap, leaf in VERBS if leaf]


def test_there_are_many_verbs():
    assert len(LEAVES) >= 18


@pytest.mark.parametrize("name,ap", LEAVES, ids=[n for n, _ in LEAVES])
def test_every_option_has_help_and_the_verb_its_own_examples(name, ap):
    assert ap.description, f"{name}: no description"
    for a in ap._actions:
        if isinstance(a, (argparse._HelpAction, argparse._VersionAction)) or a.help == argparse.SUPPRESS:
            continue
        assert a.help, f"{name} {a.option_strings or a.dest}: no help text"
    examples = [ln.strip() for ln in (ap.epilog or "").splitlines() if ln.strip().startswith("qnnsym ")]
    assert examples, f"{name}: no examples"
    assert all(ln == name or ln.startswith(name + " ") for ln in examples), f"{name}: examples of other verbs"


def test_every_example_parses():
    ap = build_parser()
    lines = {ln.strip() for _, p, _ in VERBS for ln in (p.epilog or "").splitlines()
             if ln.strip().startswith("qnnsym ")}
    assert len(lines) > 40
    for line in sorted(lines):
        argv = shlex.split(re.sub(r"\s+\(.*\)$", "", line), comments=True)[1:]
        ap.parse_args(argv)    # SystemExit (a usage error) fails the test


def test_format_md_and_json_everywhere():
    for name, ap in LEAVES:
        fmt = [a for a in ap._actions if "--format" in a.option_strings]
        if fmt:
            assert {"md", "json"} <= set(fmt[0].choices), name


def test_progress_is_one_switch():
    for name, ap in LEAVES:
        for a in ap._actions:
            if "--progress" in a.option_strings:
                assert "--no-progress" in a.option_strings, name


def test_single_instance_verbs_take_one_p_sweeps_several(capsys):
    assert main(["expand", "prop5", "--p", "1", "2"]) == 2
    assert "unrecognized arguments" in capsys.readouterr().err
    assert main(["study", "minima", "--p", "1", "2", "--starts", "16", "--no-progress", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["p"] for r in rows] == [1, 2]


def test_list_params_and_unknown_param(capsys):
    assert main(["list", "--params", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert [q["name"] for q in rows["dense"]["parameters"]] == ["p", "seed", "m"]
    assert {q["name"]: q["default"] for q in rows["theorem2"]["parameters"]}["d"] == "8"
    assert all(q["help"] for r in rows.values() for q in r["parameters"]), "a parameter without a description"
    assert main(["expand", "dense", "--param", "q=1"]) == 2
    err = capsys.readouterr().err
    assert "unknown parameter 'q'" in err and "p, seed, m" in err and "qnnsym list --params" in err


def test_construct_theorem2_takes_param_d(tmp_path, capsys):
    out = tmp_path / "t.json"
    assert main(["construct", "theorem2", "--qnn", "cayley", "--p", "1", "--param", "d=4", "--format", "json",
                 "-o", str(out)]) == 0
    res = json.loads(capsys.readouterr().out)
    assert "d=4" in res["instance"]
    assert main(["construct", "theorem2", "--qnn", "cayley", "--p", "1", "--param", "d=x"]) == 2
    assert "--param d" in capsys.readouterr().err


def test_prove_regenerate_never_overwrites_silently(tmp_path, capsys):
    root = tmp_path / "proofs"
    assert main(["prove", "--regenerate", "eqs-07-15-symbolic", "--root", str(root)]) == 0
    assert "(new)" in capsys.readouterr().err
    assert main(["prove", "--regenerate", "eqs-07-15-symbolic", "--root", str(root)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["prove", "--regenerate", "eqs-07-15-symbolic", "--root", str(root), "--force"]) == 0
    assert "(unchanged)" in capsys.readouterr().err
    cert = root / "eqs-07-15-symbolic" / "identities.json"
    assert main(["check", str(cert), "--format", "text", "--quiet"]) == 0     # the older name of md
    assert "ACCEPTED" in capsys.readouterr().out


def test_parameters_are_named_from_theta_1(capsys):
    from pathlib import Path

    cert = Path(__file__).resolve().parents[1] / "proofs" / "prop5-counts" / "prop5-p2.json"
    assert main(["check", str(cert)]) == 0
    out = capsys.readouterr().out
    assert "block 0 (θ_1)" in out and "block 1 (θ_2)" in out and "parameters [" not in out


def test_parser_names_match_the_simulator():
    """cli/experiment spells the experiment and optimiser names (building the parser imports no simulator)."""
    from qnnsym.cli.experiment import NAMES, OPTIMIZER_NAMES
    from qnnsym.sim.experiments import EXPERIMENTS
    from qnnsym.sim.optimizers import OPTIMIZERS

    assert set(NAMES) == set(EXPERIMENTS) and tuple(OPTIMIZER_NAMES) == tuple(OPTIMIZERS)


def test_building_the_parser_imports_no_engine():
    import subprocess
    import sys

    code = ("import sys; from qnnsym.cli.main import build_parser; build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sympy', 'scipy', 'qnnsym') and "
            "m.startswith(('sympy', 'scipy', 'qnnsym.sim', 'qnnsym.critical', 'qnnsym.certify', 'qnnsym.construct'))))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", r.stdout


# --- argparse errors: the same one line as every other error (issue 27 §5) --------------------------

GARBAGE = st.sampled_from(["--bogus", "--p", "x", "--format", "--format=xml", "--time-limit=nan", "--seed=-1",
                           "--workers=abc", "--p=1.5", "-o", "", "--samples=", "extra", "--tol=inf"])


@settings(max_examples=80)
@given(st.sampled_from(sorted(name for name, _ in LEAVES)), st.lists(GARBAGE, min_size=1, max_size=3))
def test_usage_errors_are_one_line(verb, garbage):
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = main(verb.split() + garbage)
    lines = [ln for ln in err.getvalue().splitlines() if ln.strip()]
    if rc == 2 and lines and lines[0].startswith("error: ") and "usage:" not in err.getvalue():
        assert len([ln for ln in lines if ln.startswith("error:")]) == 1, err.getvalue()
        field = lines[0][len("error: "):].split(":", 1)[0]
        assert field.strip() and "(" not in field[:1], lines[0]
    else:       # the garbage happened to be a valid command line: it ran, or failed later in the one-line form
        assert "usage:" not in err.getvalue() and "Traceback" not in err.getvalue(), err.getvalue()
