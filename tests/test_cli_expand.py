import json
import subprocess
import sys

from qnnsym.cli.main import main


def test_expand_loss_json(capsys):
    assert main(["expand", "prop5", "--p", "3", "--loss", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["p"] == 3 and out["exact"] is True
    poly, = out["polys"]
    assert poly["name"] == "L" and poly["fourier_degree"] == 2 and poly["degrees"] == [2, 2, 2]


def test_expand_formats_and_checks(capsys):
    assert main(["expand", "prop5", "--p", "2", "--sample", "0", "--format", "latex"]) == 0
    assert r"\cos" in capsys.readouterr().out
    assert main(["expand", "examples/two_qubit.json", "--check"]) == 0
    out = capsys.readouterr().out
    assert "f_2(θ)" in out and out.count("[PASS]") >= 5 and "[FAIL]" not in out
    assert main(["expand", "prop5", "--p", "2", "--phi"]) == 0
    assert "ξ = 12" in capsys.readouterr().out


def test_bad_input_is_one_clear_line(capsys):
    assert main(["expand", "prop5", "--p", "2", "--sample", "9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --sample") and "Traceback" not in err
    assert main(["expand", "nonexistent.json"]) == 2
    assert "neither a built-in nor an existing file" in capsys.readouterr().err


def test_console_script_help():
    r = subprocess.run([sys.executable, "-m", "qnnsym.cli", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "expand" in r.stdout and "examples:" in r.stdout
