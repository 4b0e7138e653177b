"""The homotopy on the executor (issue 25): its path batches on a real Dask LocalCluster (2 process
workers) give the table of the local run, a worker killed mid-run loses nothing certified, and per-batch
checkpoints let an interrupted run resume without re-tracking its finished batches."""
import os

import pytest

import qnnsym.critical.backends.homotopy_backend as hb
from qnnsym.critical.backends.common import Budget
from qnnsym.critical.backends.homotopy_backend import solve_homotopy
from qnnsym.critical.dense import dense_instance
from qnnsym.critical.system import critical_system
from qnnsym.critical.table import critical_table
from qnnsym.errors import ValidationError
from qnnsym.executor import get_executor
from qnnsym.expansion import loss_poly

pytest.importorskip("distributed")

#: 384 paths at p = 3: 12 batches of 32 in the first round
SMALL = 32


@pytest.fixture(scope="module")
def p3():
    return critical_system(loss_poly(dense_instance(3, seed=0)))


@pytest.fixture(scope="module")
def local_p3(p3):
    return solve_homotopy(p3, Budget(None), workers=1, batch=SMALL)


def _key(res):
    """The certified result: completeness, counts, and every real point (box centre to 1e-9)."""
    return (res.complete, res.n_complex, res.boxes["n_certified"],
            sorted(tuple(round(x, 9) for x in pt.approx()) for pt in res.real_points))


def _table(t):
    return (t.status, t.certification, t.n_complex, t.n_real,
            sorted((cp.index, round(float(sum(cp.loss) / 2), 9), tuple(round(x, 7) for x in cp.theta)) for cp in t.points))


def test_dask_gives_the_local_table():
    inst = dense_instance(3, seed=0)
    with get_executor("dask", workers=2) as ex:         # processes=True: real worker processes
        assert ex.workers == 2
        d = critical_table(inst, backend="homotopy", executor=ex)
    loc = critical_table(inst, backend="homotopy", workers=1)
    assert d.status == "complete" and d.n_complex == 384
    assert _table(d) == _table(loc)


def test_killed_worker_loses_nothing(p3, local_p3, monkeypatch):
    """One worker process dies (os._exit) when the first batch's boxes are collected, with batches in flight:
    the scheduler re-runs them on the other worker (the nanny restarts the dead one); every path is
    certified and the result is the local one."""
    real_add, killed = hb._Boxes.add, []

    async def die():          # runs on the worker's event loop, beside the batch its thread is tracking
        os._exit(1)

    with get_executor("dask", workers=2) as ex:
        def kill_then_add(*a, **k):
            if not killed:
                busy = [w for w, keys in ex.client.processing().items() if keys] or list(ex.client.scheduler_info()["workers"])
                killed.append(busy[0])
                ex.client.run(die, workers=[busy[0]], wait=False)
            return real_add(*a, **k)

        monkeypatch.setattr(hb._Boxes, "add", kill_then_add)
        res = solve_homotopy(p3, Budget(None), executor=ex, batch=16)
        assert killed and killed[0] not in ex.client.scheduler_info()["workers"]      # it did die
    st = res.boxes["stats"]
    assert st["batches_tracked"] >= 24 and st["executor"] == "dask (LocalCluster, 2 workers)"
    assert _key(res) == _key(local_p3) and res.complete


def test_interrupted_run_resumes_without_retracking(p3, local_p3, tmp_path, monkeypatch):
    """Ctrl-C after k batches (here: raised while the (k+1)-th finished batch's boxes are collected, so
    k+1 are stored), then --resume: those batches are read back, only the rest is tracked, the table is
    the same."""
    k = 5
    real_add, calls = hb._Boxes.add, []

    def interrupt_after_k(*a, **kw):
        calls.append(1)
        if len(calls) == k + 1:
            raise KeyboardInterrupt
        return real_add(*a, **kw)

    monkeypatch.setattr(hb._Boxes, "add", interrupt_after_k)
    cut = solve_homotopy(p3, Budget(None), workers=1, batch=SMALL, checkpoint=tmp_path)
    monkeypatch.setattr(hb._Boxes, "add", real_add)
    assert not cut.complete and any("interrupted" in n for n in cut.notes)
    assert len(list((tmp_path / "round-000").glob("batch-*.npz"))) == k + 1
    res = solve_homotopy(p3, Budget(None), workers=1, batch=SMALL, checkpoint=tmp_path, resume=True)
    st, full = res.boxes["stats"], local_p3.boxes["stats"]
    assert st["batches_resumed"] == k + 1
    assert st["batches_tracked"] == full["batches_tracked"] - (k + 1)
    assert _key(res) == _key(local_p3)
    again = solve_homotopy(p3, Budget(None), workers=1, batch=SMALL, checkpoint=tmp_path, resume=True)
    assert again.boxes["stats"]["batches_tracked"] == 0 and _key(again) == _key(local_p3)   # all stored now


def test_resume_of_another_run_is_refused(p3, tmp_path):
    solve_homotopy(p3, Budget(None), workers=1, batch=SMALL, checkpoint=tmp_path, max_paths=SMALL)
    with pytest.raises(ValidationError, match="holds a run with seed 0 .this run: seed 1."):
        solve_homotopy(p3, Budget(None), workers=1, seed=1, batch=SMALL, checkpoint=tmp_path, resume=True,
                       max_paths=SMALL)
    other = critical_system(loss_poly(dense_instance(3, seed=1)))
    with pytest.raises(ValidationError, match="holds a run with system"):
        solve_homotopy(other, Budget(None), workers=1, batch=SMALL, checkpoint=tmp_path, resume=True, max_paths=SMALL)
    with pytest.raises(ValidationError, match="holds the checkpoint of an earlier run.*--resume"):
        solve_homotopy(p3, Budget(None), workers=1, batch=SMALL, checkpoint=tmp_path, max_paths=SMALL)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("a user's file")
    with pytest.raises(ValidationError, match="is not empty and holds no qnnsym checkpoint"):
        solve_homotopy(p3, Budget(None), workers=1, batch=SMALL, checkpoint=tmp_path / "mine", max_paths=SMALL)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "a user's file"


def test_cli_flags(tmp_path, capsys):
    from qnnsym.cli import main

    for argv, msg in [(["--executor", "dask", "--scheduler", "tcp://a b:1"], "error: --scheduler: malformed address"),
                      (["--resume"], "error: --resume: needs the checkpoint folder"),
                      (["--scheduler", "tcp://h:8786"], "error: --scheduler: only applies to --executor dask")]:
        assert main(["critical", "dense", "--p", "2", "--backend", "homotopy"] + argv) == 2
        assert msg in capsys.readouterr().err
    assert main(["critical", "dense", "--p", "2", "--backend", "sympy", "--checkpoint", str(tmp_path)]) == 2
    assert "error: --checkpoint: does not apply to --backend sympy" in capsys.readouterr().err
    ck = str(tmp_path / "ck")
    assert main(["critical", "dense", "--p", "2", "--backend", "homotopy", "--workers", "2", "--checkpoint", ck,
                 "--format", "csv"]) == 0
    first = capsys.readouterr().out
    assert main(["critical", "dense", "--p", "2", "--backend", "homotopy", "--workers", "1", "--checkpoint", ck,
                 "--resume", "--format", "csv"]) == 0
    assert capsys.readouterr().out == first


def test_cli_without_dask_names_the_extra(monkeypatch, capsys):
    import sys

    from qnnsym.cli import main

    monkeypatch.setitem(sys.modules, "dask.distributed", None)      # as if the extra were not installed
    assert main(["critical", "dense", "--p", "2", "--backend", "homotopy", "--executor", "dask"]) == 2
    assert capsys.readouterr().err.strip() == "error: Dask is not installed (fix: pip install 'qnnsym[dask]', " \
                                              "i.e. dask[distributed])"


def test_final_check_runs_on_the_workers(p3, local_p3, monkeypatch):
    """With more than eight batches of boxes, the final Krawczyk re-proof runs in batches on the workers
    (two local processes here) and keeps exactly what the in-process check keeps."""
    from qnnsym.executor import LocalExecutor

    seen, real = [], LocalExecutor.imap_unordered

    def spy(self, fn, items, *a, **k):
        items = list(items)
        seen.append((fn.__name__, len(items)))
        return real(self, fn, items, *a, **k)

    monkeypatch.setattr(LocalExecutor, "imap_unordered", spy)
    res = solve_homotopy(p3, Budget(None), workers=2, batch=SMALL)
    assert ("_krawczyk_on_worker", 12) in seen
    assert _key(res) == _key(local_p3) and res.complete
