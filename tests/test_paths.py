"""The data-loss rule of ``qnnsym.paths`` (issue 27 §2), with generated paths.

* an output path that names an input (any spelling: ``./``, ``..``, absolute, a symlink, a hard link)
  is refused before any work and the input is byte-identical afterwards;
* two outputs on one file are refused, nothing is written;
* a symlinked output is written through (the link stays a link, its target gets the content);
* a write that fails half way (an injected ENOSPC, or a real full tmpfs) leaves the old file whole and
  no temporary file behind;
* a run folder is locked: a second process is refused while the first holds it.
"""
import contextlib
import errno
import io
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnnsym import paths
from qnnsym.cli.main import main
from qnnsym.errors import ValidationError
from qnnsym.model.instances import dump_instance, prop5_instance

ROOT = Path(__file__).resolve().parents[1]
INSTANCE_TEXT = dump_instance(prop5_instance(1))
RAN: dict[str, int] = {}

NAMES = st.text(alphabet=st.sampled_from(list("abcXYZ019_-. é")), min_size=1, max_size=12).filter(
    lambda s: s.strip(" .") and not s.startswith("-") and s not in (".", ".."))
SUFFIXES = st.sampled_from([".json", ".md", ".txt", "", ".csv"])


def run_cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in argv])
    return rc, out.getvalue(), err.getvalue()


def _fresh() -> Path:
    d = Path(tempfile.mkdtemp(prefix="qnnsym-paths-"))
    return d


@st.composite
def aliases(draw):
    """A folder with a file, and another spelling of the same file: (folder, file, alias, how)."""
    d = _fresh()
    sub = draw(st.sampled_from(["", "in", "in/deeper"]))
    name = draw(NAMES) + draw(SUFFIXES)
    f = d / sub / name
    f.parent.mkdir(parents=True, exist_ok=True)
    how = draw(st.sampled_from(["same", "dot", "dotdot", "absolute", "symlink", "symlink-rel", "hardlink",
                                "double-slash"]))
    rel = os.path.relpath(f, d)
    if how == "same":
        alias = rel
    elif how == "dot":
        alias = "./" + rel
    elif how == "dotdot":
        alias = os.path.join(sub, "..", os.path.basename(sub), name) if sub else os.path.join("x", "..", name)
        (d / "x").mkdir(exist_ok=True)
    elif how == "absolute":
        alias = str(f)
    elif how == "double-slash":
        alias = rel.replace("/", "//") if "/" in rel else "./" + "/" + rel
    elif how == "hardlink":
        alias = "hard-" + uuid.uuid4().hex[:6]
        f.write_text(INSTANCE_TEXT)
        os.link(f, d / alias)
    else:
        alias = "link-" + uuid.uuid4().hex[:6]
        os.symlink(f if how == "symlink" else os.path.relpath(f, d), d / alias)
    return d, rel, alias, how


@contextlib.contextmanager
def cwd(d):
    old = os.getcwd()
    os.chdir(d)
    try:
        yield
    finally:
        os.chdir(old)


@settings(max_examples=40)
@given(aliases(), st.sampled_from([["expand", "{i}", "--loss", "-o", "{o}"],
                                    ["critical", "{i}", "-o", "{o}"],
                                    ["critical", "{i}", "--certificate", "{o}"],
                                    ["simulate", "{i}", "--theta", "0.1", "-o", "{o}"]]))
def test_output_equal_to_input_is_refused(case, argv):
    d, rel, alias, how = case
    with cwd(d):
        Path(rel).write_text(INSTANCE_TEXT)
        before = Path(rel).read_bytes()
        rc, out, err = run_cli([a.format(i=rel, o=alias) for a in argv])
        assert rc == 2, (how, err)
        assert "is the same file as" in err and err.count("error:") == 1, err
        assert Path(rel).read_bytes() == before and Path(rel).is_file()
        assert os.path.islink(alias) == how.startswith("symlink")
    RAN["input=output"] = RAN.get("input=output", 0) + 1


def _spell(d: Path, rel: str, how: str) -> str:
    """Another spelling of the path ``rel`` (relative to ``d``) that names the same file."""
    sub, name = os.path.split(rel)
    if how == "dot":
        return "./" + rel
    if how == "dotdot":
        (d / "x").mkdir(exist_ok=True)
        return os.path.join(sub, "..", os.path.basename(sub), name) if sub else os.path.join("x", "..", name)
    if how == "absolute":
        return str(d / rel)
    if how == "double-slash":
        return rel.replace("/", "//") if "/" in rel else ".//" + rel
    return rel


@settings(max_examples=30)
@given(aliases(), st.sampled_from(["same", "dot", "dotdot", "absolute", "double-slash"]),
       st.sampled_from(["certificate", "plot-data", "plot-table"]))
def test_two_outputs_on_one_file_are_refused(case, how2, verb):
    d, rel, alias, how = case
    with cwd(d):
        Path(rel).write_text("old\n")
        if verb == "certificate":
            argv = ["critical", "prop5", "--p", "1", "-o", rel, "--certificate", alias]
            victim = rel
        elif verb == "plot-data":      # the plot's data file STEM.csv is the table
            stem = os.path.splitext(rel)[0]
            victim = stem + ".csv"
            Path(victim).write_text("old\n")
            argv = ["landscape", "map", "dense", "--p", "2", "--seed", "0", "-o", victim,
                    "--plot", _spell(d, stem + ".png", how2)]
        else:
            victim = rel + ".png"
            Path(victim).write_text("old\n")
            argv = ["study", "theorem6", "--d", "4", "--p", "1", "--samples", "1", "-o", victim,
                    "--plot", _spell(d, victim, how2)]
        rc, out, err = run_cli(argv)
        assert rc == 2, err
        assert "is also the output of" in err, err
        assert Path(victim).read_text() == "old\n"
    RAN["two outputs"] = RAN.get("two outputs", 0) + 1


@settings(max_examples=30)
@given(NAMES, SUFFIXES, st.booleans(), st.booleans(), st.binary(max_size=300))
def test_symlinked_output_is_written_through(name, suf, relative, dangling, data):
    d = _fresh()
    target = d / "t" / (name + suf)
    target.parent.mkdir()
    if not dangling:
        target.write_text("old\n")
    link = d / ("l-" + name + suf)
    os.symlink(os.path.relpath(target, d) if relative else target, link)
    with cwd(d):
        paths.write_bytes(link.name, data, "-o")
    assert link.is_symlink() and target.read_bytes() == data
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]      # no temporary file left
    RAN["symlink"] = RAN.get("symlink", 0) + 1


def test_symlink_loop_is_refused(tmp_path):
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    with pytest.raises(ValidationError, match="symlink loop"):
        paths.write_text(tmp_path / "a", "x", "-o")
    with pytest.raises(ValidationError, match="symlink loop"):
        paths.read_text(tmp_path / "a", "INSTANCE")


def _failing_write(fail_after: int):
    real = os.write
    written = [0]

    def write(fd, data):
        room = fail_after - written[0]
        if room <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real(fd, bytes(data[:room]))
        written[0] += n
        return n
    return write


@settings(max_examples=40)
@given(st.binary(max_size=200), st.binary(min_size=1, max_size=5000), st.integers(0, 4999), NAMES)
def test_full_disk_leaves_the_old_file(old, new, fail_after, name):
    d = _fresh()
    f = d / name
    f.write_bytes(old)
    if fail_after >= len(new):
        fail_after = len(new) - 1
    mp = pytest.MonkeyPatch()
    mp.setattr(os, "write", _failing_write(fail_after))
    try:
        with pytest.raises(ValidationError, match="No space left.*old file is unchanged"):
            paths.write_bytes(f, new, "-o")
    finally:
        mp.undo()
    assert f.read_bytes() == old
    assert [p.name for p in d.iterdir()] == [name]        # the temporary file is gone
    RAN["full disk"] = RAN.get("full disk", 0) + 1


def test_full_disk_during_a_plot_leaves_the_old_file(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    import matplotlib.figure

    out = tmp_path / "fig.png"
    out.write_bytes(b"old png")

    def savefig(self, fname, **kw):
        Path(fname).write_bytes(b"\x89PNG half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)
    rc, out_, err = run_cli(["landscape", "spectrum", "prop5", "--p", "1", "--plot", str(out)])
    assert rc == 2 and "No space left" in err, err
    assert out.read_bytes() == b"old png"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []


def test_a_real_full_tmpfs_leaves_the_old_file(tmp_path):
    """A 64 KiB tmpfs filled up (needs root and mount; skipped elsewhere)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
                                           capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        f = mnt / "t.md"
        f.write_text("old\n")
        with pytest.raises(ValidationError, match="old file is unchanged"):
            paths.write_text(f, "x" * 200_000, "-o")
        assert f.read_text() == "old\n" and [p.name for p in mnt.iterdir()] == ["t.md"]
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_write_keeps_the_mode_of_the_old_file(tmp_path):
    f = tmp_path / "t.md"
    f.write_text("old")
    os.chmod(f, 0o640)
    paths.write_text(f, "new")
    assert f.read_text() == "new\n" and (f.stat().st_mode & 0o777) == 0o640


def test_protected_inputs_guard_derived_files(tmp_path):
    f = tmp_path / "table.json"
    f.write_text("mine")
    with paths.protected_inputs({"INSTANCE": f}):
        with pytest.raises(ValidationError, match="is the input INSTANCE"):
            paths.write_text(tmp_path / "." / "table.json", "x", "-o")
    assert f.read_text() == "mine"
    paths.write_text(f, "x")            # outside a command: an API write may replace it


LOCK_PROBE = ("import sys; from qnnsym.paths import run_lock; from qnnsym.errors import ValidationError\n"
              "try:\n    cm = run_lock(sys.argv[1]); cm.__enter__(); print('got it')\n"
              "except ValidationError as e:\n    print(e)\n")


@settings(max_examples=5)
@given(NAMES)
def test_a_run_folder_is_locked(name):
    d = _fresh() / name
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with paths.run_lock(d, "--out"):
        with paths.run_lock(d, "--out"):        # re-entrant in one process
            pass
        got = subprocess.run([sys.executable, "-c", LOCK_PROBE, str(d)], capture_output=True, text=True, env=env)
        assert "in use by another qnnsym run" in got.stdout and f"pid {os.getpid()}" in got.stdout, got
    got = subprocess.run([sys.executable, "-c", LOCK_PROBE, str(d)], capture_output=True, text=True, env=env)
    assert got.stdout.strip() == "got it", got
    RAN["lock"] = RAN.get("lock", 0) + 1


def test_second_search_on_a_locked_folder_is_refused(tmp_path):
    with paths.run_lock(tmp_path / "run"):
        got = subprocess.run([sys.executable, "-m", "qnnsym.cli", "search", "minima", "--p", "1", "--rounds", "1",
                              "--out", str(tmp_path / "run")], capture_output=True, text=True,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert got.returncode == 2 and "in use by another qnnsym run" in got.stderr, got.stderr
    assert "state.json" not in os.listdir(tmp_path / "run")


def test_cases_ran():
    """Each hypothesis test above ran (``pytest -s`` prints the counts)."""
    print("\npath-rule cases:", RAN)
    assert all(v > 0 for v in RAN.values())
