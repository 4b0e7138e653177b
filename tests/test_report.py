"""``qnnsym report`` / ``qnnsym landscape``: files, content, a real headless browser, the tutorial and examples."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qnnsym.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "out"
    rc = main(["report", "dense", "--p", "2", "--seed", "0", "-o", str(out), "--no-progress"])
    return out, rc


def test_report_files_and_content(report_dir):
    out, rc = report_dir
    assert rc == 0
    for name in ("report.html", "report.md", "landscape.json", "table.json", "certificate.json"):
        assert (out / name).is_file(), name
    for fig in ("torus_map", "tree", "slices", "spectrum", "basins"):
        assert (out / "figures" / f"{fig}.png").stat().st_size > 5000, fig
        assert any((out / "figures" / f"{fig}{ext}").is_file() for ext in (".csv", ".json")), fig
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 5       # self-contained: every picture embedded
    assert "src='figures/" not in html
    for section in ("1. Instance", "2. Exact expansion", "3. Certified critical points", "4. Certificate",
                    "5. Minima", "6. Pictures", "7. Basins", "8. Reproduce"):
        assert section in html, section
    assert re.search(r"\b(\d+) of \1 claims ok", html) and "REJECTED</span>" not in html
    data = json.loads((out / "landscape.json").read_text())
    g = data["graph"]["summary"]
    assert g["connected"] and g["unmatched"] == 0 and g["descents"] == 2 * g["transition_states"] == 14
    assert data["basins"]["sum_check"]["ok"]
    md = (out / "report.md").read_text()
    assert "![" in md and "figures/torus_map.png" in md


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (CI installs it: .ci/install-engines.sh)")
def test_report_in_headless_chromium(report_dir, tmp_path):
    out, _ = report_dir
    shot = tmp_path / "shot.png"
    res = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          f"--screenshot={shot}", "--window-size=1200,2000", (out / "report.html").as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10000, res.stderr[-2000:]
    import matplotlib.image as mpimg

    img = mpimg.imread(str(shot))[..., :3]
    assert img.shape[:2] == (2000, 1200)
    assert float(img.std()) > 0.05                         # not blank
    dark = (img.mean(axis=2) < 0.5).mean()                 # text and tables drawn
    assert 0.005 < dark < 0.6
    colour = ((img.max(axis=2) - img.min(axis=2)) > 0.25).mean()   # the green heading rule, coloured verdicts
    assert colour > 0.0001


def test_cli_landscape_verbs(tmp_path, capsys):
    assert main(["landscape", "graph", "dense", "--p", "2", "--seed", "0", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["edges"] == 7 and len(data["rows"]) == 7
    assert main(["landscape", "tree", "prop5", "--p", "2", "--plot", str(tmp_path / "t.png")]) == 0
    assert "connected: True" in capsys.readouterr().out
    assert (tmp_path / "t.png").is_file() and (tmp_path / "t.json").is_file()
    assert main(["landscape", "spectrum", "prop5", "--p", "2", "--format", "csv", "-o", str(tmp_path / "st.csv"),
                 "--plot", str(tmp_path / "s.svg")]) == 0     # -o s.csv would be the plot's data file: refused
    assert (tmp_path / "st.csv").read_text().startswith("k,l1,abs,re,im") and (tmp_path / "s.svg").is_file()
    assert main(["landscape", "basins", "prop5", "--p", "2", "--samples", "500", "--compare", "--starts", "100",
                 "--optimizers", "lbfgs", "--format", "json"]) == 0
    b = json.loads(capsys.readouterr().out)
    assert b["basins"]["n"] == 500 and b["success"][0]["optimizer"] == "lbfgs"
    assert main(["landscape", "slices", "dense", "--p", "2", "--seed", "1", "--plot", str(tmp_path / "sl.png")]) == 0
    assert (tmp_path / "sl.csv").is_file()


def test_cli_landscape_errors(capsys):
    assert main(["landscape", "map", "prop5", "--p", "3"]) == 2
    assert "torus map" in capsys.readouterr().err
    assert main(["landscape", "basins", "prop5", "--p", "2", "--optimizers", "sgd", "--compare"]) == 2
    assert "--optimizers" in capsys.readouterr().err
    assert main(["landscape", "basins", "prop5", "--p", "2", "--samples", "0"]) == 2


def _python_blocks(md: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", md, flags=re.S)


def test_tutorial_code_blocks_run(tmp_path, monkeypatch):
    """Every ```python block of docs/tutorial.md, in order, in one namespace (as a reader would run them)."""
    blocks = _python_blocks((ROOT / "docs" / "tutorial.md").read_text())
    assert len(blocks) >= 8
    monkeypatch.chdir(tmp_path)
    ns: dict = {"__name__": "__tutorial__"}
    for i, code in enumerate(blocks):
        try:
            exec(compile(code, f"docs/tutorial.md block {i + 1}", "exec"), ns)
        except Exception as e:          # pragma: no cover - the message names the block
            raise AssertionError(f"tutorial block {i + 1} failed: {e!r}\n{code}") from e
    for fig in ("tutorial_p1_landscape.png", "tutorial_p2_map.png", "tutorial_p2_tree.png"):
        assert (tmp_path / fig).is_file(), fig


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "examples").glob("*.py")))
def test_example_scripts_run(script, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), MPLBACKEND="Agg")
    res = subprocess.run([sys.executable, str(ROOT / "examples" / script), str(tmp_path)], capture_output=True,
                         text=True, timeout=300, env=env, cwd=tmp_path)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    assert list(tmp_path.iterdir()), "an example writes its figures/data into the folder given"
