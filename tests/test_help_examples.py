"""Every example of every verb's ``--help`` pastes into bash: ``bash -n`` parses it (issue 26 §4: comments
written as ``(…)`` after a command were a bash syntax error)."""
import argparse
import shutil
import subprocess

import pytest

from qnnsym.cli.main import build_parser


def _examples():
    ap = build_parser()
    sub = next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction))
    for verb, p in sub.choices.items():
        for line in ((p.epilog or "") + "\n" + (p.description or "")).splitlines():
            if line.strip().startswith("qnnsym "):
                yield verb, line.strip()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_help_examples_are_valid_bash():
    lines = list(_examples())
    assert len(lines) > 20
    script = "\n".join(line for _, line in lines) + "\n"
    r = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
