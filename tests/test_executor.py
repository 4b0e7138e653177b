"""Scale-out (qnnsym.executor): the Theorem-6 study, a Figure-4 sweep, study minima and Theorem-2
constructions over seeds give the same numbers in-process, on 2 local processes and on a 2-worker
Dask LocalCluster (only timings differ)."""
import pytest

from qnnsym.construct import minima_study, theorem2_over_seeds, theorem6_study
from qnnsym.errors import ValidationError
from qnnsym.executor import LocalExecutor, get_executor
from qnnsym.sim.experiments import figure4, label_noise

pytest.importorskip("distributed")


def _nt(rows):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]


@pytest.fixture(scope="module")
def dask_ex():
    ex = get_executor("dask", workers=2, processes=False)
    yield ex
    ex.close()


def test_dask_local_cluster_has_two_workers(dask_ex):
    assert dask_ex.workers == 2 and "LocalCluster, 2 workers" in dask_ex.describe()


@pytest.mark.parametrize("where", ["dask", "local2"])
def test_theorem6_same_numbers(dask_ex, where):
    ex = dask_ex if where == "dask" else LocalExecutor(2)
    local = theorem6_study([4, 8], [1, 2], samples=40, seed=3, progress=False)
    other = theorem6_study([4, 8], [1, 2], samples=40, seed=3, progress=False, executor=ex)
    assert _nt(local) == _nt(other) and len(local) == 4
    assert local[0]["frac_independent"] == 1.0


@pytest.mark.parametrize("where", ["dask", "local2"])
def test_figure4_same_numbers(dask_ex, where):
    ex = dask_ex if where == "dask" else LocalExecutor(2)
    a = figure4(ps=(2, 4), starts=60, seed=1, optimizers=("adam", "lbfgs"), progress=False)
    b = figure4(ps=(2, 4), starts=60, seed=1, optimizers=("adam", "lbfgs"), progress=False, executor=ex)
    assert a.runs == b.runs and _nt(a.summary) == _nt(b.summary) and a.meta["fits"] == b.meta["fits"]
    assert b.meta["executor"] == ex.describe()


def test_label_noise_closure_tasks_same_numbers(dask_ex):
    a = label_noise(ps=(2, 3), starts=30, seed=2, optimizers=("rmsprop",), progress=False)
    b = label_noise(ps=(2, 3), starts=30, seed=2, optimizers=("rmsprop",), progress=False, executor=dask_ex)
    assert a.runs == b.runs


def test_minima_and_seeds_same_numbers(dask_ex):
    assert _nt(minima_study([1, 2, 3], starts=64, progress=False)) == \
        _nt(minima_study([1, 2, 3], starts=64, progress=False, executor=dask_ex))
    a = theorem2_over_seeds(4, 1, [0, 1, 2], progress=False)
    b = theorem2_over_seeds(4, 1, [0, 1, 2], progress=False, executor=dask_ex)
    assert _nt(a) == _nt(b) and all(r["certified"] and r["minima"] == 2 for r in a)


def test_bad_executor_arguments():
    with pytest.raises(ValidationError, match="--executor"):
        get_executor("slurm")
    with pytest.raises(ValidationError, match="--scheduler: only applies to --executor dask"):
        get_executor("local", scheduler="tcp://x:1")
    with pytest.raises(ValidationError, match="--workers"):
        get_executor("local", workers=0)


def test_cli_executor_flags(capsys):
    from qnnsym.cli import main

    rc = main(["study", "theorem6", "--d", "4", "--p", "1", "--samples", "10", "--quiet", "--format", "csv",
               "--executor", "local", "--workers", "2"])
    out, err = capsys.readouterr()
    assert rc == 0 and out.startswith("d,p,samples") and "executor local (2 processes)" in err
    rc = main(["construct", "theorem2", "--qnn", "cayley", "--param", "d=4", "--p", "1", "--seeds", "0", "1"])
    out, err = capsys.readouterr()
    assert rc == 0 and out.count("| True | True | 2 | 1 |") == 2
