"""What the CLI and the Python API must refuse (issue 27 §1), with generated cases.

* the public constructors and functions check their arguments at the boundary (``qnnsym.validate``):
  a wrong type or value is a one-line :class:`ValidationError` naming the argument, never a silent
  answer (``prop5_instance(True)``, ``dense_instance(2, seed=0.5)``) and never an ``AttributeError``;
* instance files with a duplicated key (anywhere in the file) are refused;
* the command line refuses a parameter given twice, an empty ``--optimizers`` list, an empty
  ``--root``, an empty or malformed ``--scheduler``;
* ``doctor`` imports every optional module: a broken one is reported as broken.
"""
import contextlib
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnnsym import QNN, Dataset, Gate, Instance, OpMatrix, PauliSum, TrigPoly, ValidationError, loss_poly, phi
from qnnsym.cli.main import main
from qnnsym.critical.dense import dense_instance
from qnnsym.errors import InstanceFileError
from qnnsym.model.instances import load_instance, prop5_instance
from qnnsym.sim.dense_count import count_minima

ROOT = Path(__file__).resolve().parents[1]
RAN: dict[str, int] = {}

NOT_INTS = st.sampled_from([True, False, 0.5, 2.0, -1.5, math.nan, math.inf, None, "2", "x", 1j, [2], {}, b"2"])
NOT_POSITIVE = st.one_of(NOT_INTS, st.integers(-10 ** 30, 0))
NOT_OPERATORS = st.sampled_from(["Z0", None, 1, 0.5, [1, 2], {"Z0": 1}, b"Z", object()])
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf, complex(math.nan, 0)])


def _refused(f, *a, **kw):
    with pytest.raises(ValidationError) as e:
        f(*a, **kw)
    assert "\n" not in str(e.value) and e.value.field and e.value.problem, str(e.value)
    return e.value


@given(NOT_POSITIVE)
def test_positive_integer_arguments(v):
    if v != "2":      # the built-ins take decimal text too (--param p=2)
        _refused(prop5_instance, v)
        _refused(dense_instance, v)
    _refused(PauliSum, v)
    _refused(PauliSum, v, {})
    _refused(OpMatrix, v)
    if not isinstance(v, list):
        _refused(TrigPoly, 1, {(1,): 1}, omega=v)
    RAN["positive int"] = RAN.get("positive int", 0) + 1


@given(st.one_of(NOT_INTS, st.integers(-10 ** 6, -1)))
def test_seed_is_an_integer(v):
    if v == "2":
        return
    e = _refused(dense_instance, 1, seed=v)
    assert e.field == "seed"
    RAN["seed"] = RAN.get("seed", 0) + 1


@given(NOT_OPERATORS)
def test_wrong_types_name_the_argument(v):
    _refused(Gate, v)
    _refused(loss_poly, v)
    _refused(Instance, v, v, v)
    _refused(QNN, [v])
    _refused(Dataset, [v])
    _refused(phi, 1, v, PauliSum.string(1, "Z0"))
    RAN["types"] = RAN.get("types", 0) + 1


@given(NON_FINITE, st.integers(1, 3))
def test_non_finite_coefficients_are_refused(x, p):
    _refused(TrigPoly, p, {(1,) * p: x})
    if not isinstance(x, complex):
        _refused(PauliSum, p, {(0, 1): x})
    arr = np.eye(2 ** p, dtype=complex)
    arr[0, 0] = x
    _refused(OpMatrix.from_numpy, arr)
    W = np.zeros((2, 3 ** p))
    W[0, 0] = x.real
    _refused(count_minima, W, starts=2)
    RAN["non-finite"] = RAN.get("non-finite", 0) + 1


@given(st.integers(1, 3), st.integers(1, 3))
def test_phi_on_operators_of_different_sizes(n, k):
    A, H = PauliSum.string(n, "Z0"), PauliSum.string(n + k, "X0")
    _refused(phi, 1, A, H)
    _refused(phi, 2, OpMatrix.from_pauli_sum(H), A)


def test_complex_angles_are_refused():
    from qnnsym import simulator

    _refused(simulator(prop5_instance(2)).loss, [[0.1 + 1j, 0.2]])


# --- duplicated keys in instance files -----------------------------------------------------------

EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def _objects(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _objects(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _objects(v, path + (i,))


def _dump_with_duplicate(node, target, key, value) -> str:
    if isinstance(node, dict):
        items = [json.dumps(k) + ": " + _dump_with_duplicate(v, target, key, value) for k, v in node.items()]
        if node is target:
            items.append(json.dumps(key) + ": " + json.dumps(value))
        return "{" + ", ".join(items) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(_dump_with_duplicate(v, target, key, value) for v in node) + "]"
    return json.dumps(node)


@settings(max_examples=40)
@given(st.sampled_from(EXAMPLES), st.data())
def test_duplicated_keys_anywhere_are_refused(path, data):
    doc = json.loads(path.read_text())
    objs = [o for _, o in _objects(doc) if o]
    target = data.draw(st.sampled_from(objs))
    key = data.draw(st.sampled_from(sorted(target)))
    value = data.draw(st.sampled_from([target[key], 0, "x", None, [], {"a": 1}]))
    f = Path(os.environ.get("TMPDIR", "/tmp")) / f"qnnsym-dup-{os.getpid()}.json"
    f.write_text(_dump_with_duplicate(doc, target, key, value))
    with pytest.raises(InstanceFileError, match="duplicated key"):
        load_instance(str(f))
    f.unlink()
    RAN["duplicate keys"] = RAN.get("duplicate keys", 0) + 1


# --- the command line ------------------------------------------------------------------------------

def run_cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in argv])
    return rc, out.getvalue(), err.getvalue()


@given(st.sampled_from(["p", "seed"]), st.integers(1, 3), st.integers(1, 3))
def test_a_parameter_given_twice_is_refused(key, a, b):
    rc, out, err = run_cli(["expand", "dense", "--p", "1", f"--{key}", a, "--param", f"{key}={b}"] if key == "seed"
                           else ["expand", "dense", "--p", a, "--param", f"p={b}"])
    assert rc == 2 and "given twice" in err, err
    rc, out, err = run_cli(["expand", "prop5", "--param", f"r=1/{a + 1}", "--param", f"r=1/{b + 1}"])
    assert rc == 2 and "given twice" in err, err
    RAN["param twice"] = RAN.get("param twice", 0) + 1


@given(st.text(alphabet=" ,\t", max_size=5))
def test_an_empty_optimizer_list_is_refused(text):
    rc, out, err = run_cli(["landscape", "basins", "prop5", "--p", "1", "--compare", "--optimizers", text])
    assert rc == 2 and "--optimizers" in err, err


@given(st.one_of(st.text(alphabet=" \t", max_size=3),
                 st.sampled_from(["tcp://", "tcp://a b", "tcp://host:0", "tcp://host:99999", "://x", "tcp://h:p",
                                  "http://x:1", "tcp://[::1", "a:b:c"])))
def test_an_empty_or_malformed_scheduler_is_refused(address):
    pytest.importorskip("distributed")
    rc, out, err = run_cli(["study", "theorem6", "--d", "4", "--p", "1", "--samples", "1", "--executor", "dask",
                            "--scheduler", address])
    assert rc == 2 and "--scheduler" in err and "LocalCluster" not in out, err
    RAN["scheduler"] = RAN.get("scheduler", 0) + 1


@pytest.mark.parametrize("root", ["", " "])
def test_prove_with_an_empty_root_is_refused(root):
    rc, out, err = run_cli(["prove", "--check-all", "--root", root])
    assert rc == 2 and "--root" in err and "accepted" not in out, err


def test_doctor_imports_a_broken_module(tmp_path):
    broken = tmp_path / "nbclient"
    broken.mkdir()
    (broken / "__init__.py").write_text("__version__ = '9.9'\nraise RuntimeError('half-installed')\n")
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}")
    got = subprocess.run([sys.executable, "-m", "qnnsym.cli", "doctor", "--format", "json"], capture_output=True,
                         text=True, env=env, timeout=600)
    rows = {r["engine"]: r for r in json.loads(got.stdout)["engines"]}
    assert rows["nbclient"]["found"] == "broken" and "half-installed" in rows["nbclient"]["version"], rows["nbclient"]


def test_cases_ran():
    print("\nacceptance cases:", RAN)
    assert all(v > 0 for v in RAN.values())


def test_a_silent_scheduler_times_out(monkeypatch):
    """A scheduler address that accepts the connection and never answers: a clear error after the
    timeout (shortened here), never a wait forever."""
    pytest.importorskip("distributed")
    import socket
    import time

    from qnnsym import executor

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    monkeypatch.setattr(executor, "DASK_TIMEOUT", 3)
    t0 = time.monotonic()
    try:
        with pytest.raises(ValidationError, match="--scheduler|scheduler"):
            executor.DaskExecutor(f"tcp://127.0.0.1:{srv.getsockname()[1]}")
    finally:
        srv.close()
    assert time.monotonic() - t0 < 60
