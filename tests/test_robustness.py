"""Everyday robustness (issue 15, part A): every input surface answers bad input with a one-line error
naming the field and a documented exit status, never a traceback, and never prints a NaN.

One hypothesis test per surface — instance files (random mutations of ``examples/*.json``), CLI
arguments (random bad flag values through :func:`qnnsym.cli.main.main`), Python constructors
(``Sample``, ``Gate``/``QNN``/``Instance`` builders, evaluating a loss) — plus one regression test per
case of the issue.  The number of cases each hypothesis test ran is printed (``pytest -s``) and
checked against a floor.
"""
import contextlib
import copy
import io
import json
import math
import re
import tempfile
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qnnsym import QNN, Dataset, Gate, Instance, PauliSum, Sample, ValidationError, loss_poly
from qnnsym.cli.main import main
from qnnsym.errors import InstanceFileWarning, QnnsymError
from qnnsym.model.instances import KNOWN_KEYS, dump_instance, instance_from_dict, load_instance, prop5_instance

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {p.name: json.loads(p.read_text()) for p in sorted((ROOT / "examples").glob("*.json"))}
TMP = Path(tempfile.mkdtemp(prefix="qnnsym-robust-"))
(TMP / "file.json").write_text("{}\n")
NAN_RE = re.compile(r"\bnan\b|\binf\b", re.IGNORECASE)
#: free-text fields of an instance file, echoed verbatim by the commands (exempt from the NaN check)
FREE_TEXT = frozenset({"name", "description"})
#: how many cases each hypothesis test ran (reported at the end of the module)
RAN: dict[str, int] = {}


def _count(name: str) -> None:
    RAN[name] = RAN.get(name, 0) + 1


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``qnnsym ARGV`` in this process: ``(exit status, stdout, stderr)``; argparse exits are caught."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main(argv)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    return rc, out.getvalue(), err.getvalue()


def assert_clean(rc: int, out: str, err: str, allowed=frozenset({0, 1, 2})) -> None:
    """The contract of every command: documented status, no traceback, one error line naming a field, no NaN."""
    assert rc in allowed, (rc, err[-500:])
    assert "Traceback" not in err and "Traceback" not in out, err[-2000:]
    errors = [ln for ln in err.splitlines() if "error:" in ln]
    if rc == 2:
        assert len(errors) == 1, err
        msg = errors[0].split("error:", 1)[1].strip()
        assert ":" in msg and msg.split(":", 1)[0].strip(), f"the error names no field: {errors[0]!r}"
    assert not NAN_RE.search(out), out[-1000:]


def assert_names_field(e: QnnsymError) -> None:
    assert "\n" not in str(e), str(e)
    if isinstance(e, ValidationError):
        assert e.field and e.problem, str(e)


# --- instance files --------------------------------------------------------------------------------

JSON_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 5),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.5, 1e308, -0.0]),
    st.sampled_from(["nan", "inf", "Infinity", "1/0", "abc", "", "Z0", "X9", "Z0 Z0", "1/3", "2/6", "-1",
                     "3/5 + I", "1e999", "two-level", "hermitian", "qnnsym-instance/2"]),
    st.sampled_from([[], {}, [["1", "Z0"]], [[1, 0], [0, 1]], [["1/2", "I"]], {"pauli": "Z0"},
                     {"matrix": [["1", "0"], ["0", "-1"]]}, {"vector": ["1", "0"]}, {"vector": ["1", "1"]}]))


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _get(obj, path):
    for k in path:
        obj = obj[k]
    return obj


@st.composite
def mutated_instances(draw):
    """An example file with 1-3 random mutations: replace a value, delete an entry, add an unknown key."""
    data = copy.deepcopy(EXAMPLES[draw(st.sampled_from(sorted(EXAMPLES)))])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(data))))
        op = draw(st.sampled_from(["replace", "delete", "unknown-key"]))
        if not path:
            if op == "unknown-key":
                data["desciption"] = "typo"
            continue
        parent, key = _get(data, path[:-1]), path[-1]
        if op == "replace":
            value = copy.deepcopy(draw(JSON_VALUES))          # the strategy's constants stay intact
            if key in FREE_TEXT and isinstance(value, str) and NAN_RE.search(value):
                continue            # a name "nan" is echoed as text ("# Expansion of nan"): not a NaN number
            parent[key] = value
        elif op == "delete":
            del parent[key]
        elif isinstance(parent[key], dict):
            parent[key][draw(st.sampled_from(["lable", "knd", "Name", "vectr"]))] = copy.deepcopy(draw(JSON_VALUES))
    return data


FILE_ROOTS = set(KNOWN_KEYS["(top level)"]) | {"(top level)"}


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_instances())
def test_instance_files_mutated(data):
    """Random malformed mutations of examples/*.json: an instance, or one InstanceFile/Validation error whose
    field is a JSON path of the file (rooted at a top-level key); never another exception, never NaN."""
    _count("instance files")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InstanceFileWarning)
        try:
            inst = instance_from_dict(data, "mutant")
        except QnnsymError as e:
            assert isinstance(e, ValidationError), repr(e)
            assert_names_field(e)
            root = re.split(r"[.\[]", e.field, maxsplit=1)[0]
            assert root in FILE_ROOTS or e.field == "(top level)", f"not a path of the file: {e.field!r}"
            _count("instance files: refused")
            return
    try:
        L = loss_poly(inst)
    except QnnsymError as e:          # e.g. a 'hermitian' gate has no finite expansion
        assert_names_field(e)
        return
    assert all(np.isfinite(complex(v)) for v in L.terms.values())
    assert all(np.isfinite(float(y)) for y in inst.labels)


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_instances())
def test_instance_files_mutated_through_the_cli(data):
    """The same mutations written to a file and expanded by the CLI (JSON NaN literals included)."""
    _count("instance files (CLI)")
    path = TMP / "mutant.json"
    path.write_text(json.dumps(data, allow_nan=True))
    rc, out, err = run_cli(["expand", str(path), "--loss", "--format", "json"])
    assert_clean(rc, out, err)
    if rc == 0:
        json.loads(out)


# --- command-line arguments ------------------------------------------------------------------------

def _mostly(good: list[str], bad: list[str]):
    """A bad value one time in four, else a valid one (so that commands with several flags also run)."""
    return st.integers(0, 3).flatmap(lambda i: st.sampled_from(bad if i == 0 else good))


SMALL = _mostly(["1", "2"], ["-1", "0", "abc", "nan", "1.5", "", "1e999"])
NUMBER = _mostly(["0.5", "3", "1e-9"], ["-1", "0", "nan", "inf", "-inf", "1e999", "abc", "", "1/0",
                                        "99999999999999999999"])
SEED = _mostly(["0", "7", "99999999999999999999"], ["-1", "abc", "nan", "1.5"])
OUT = _mostly([str(TMP / "new" / "deeper" / "x.json"), str(TMP / "ok.json"), str(TMP / "fig.png")],
              [str(TMP), str(TMP / "file.json" / "x.json"), "", str(TMP / "plot.foo")])
INPUT = st.sampled_from([str(TMP), str(TMP / "missing.json"), str(TMP / "file.json"), str(TMP / "mutant.json"),
                         str(ROOT / "examples" / "spin1.json"), ""])
KV = _mostly(["eps=1/4", "t=1/2"], ["eps=2", "t=nan", "eps=abc", "x=1", "eps", "eps=1/0", "t=-1", "eps=0"])
OP_TEXT = _mostly(["Z", "3/5 X + 4/5 Z", "Y + I"], ["Q", "", "1/0 X", "2 Z", "nan X"])
DIM = _mostly(["4"], ["-2", "0", "3", "x"])


@st.composite
def argvs(draw):
    """A command line with random (mostly bad) values, kept small enough to run fast."""
    verb = draw(st.sampled_from(["simulate", "critical", "dense", "expand", "prop5", "theorem2", "theorem6",
                                 "independence", "experiment", "check", "input", "param"]))
    v = draw
    if verb == "simulate":
        theta = v(_mostly(["random", "0.1,0.2"], ["nan,0", "0.1", "inf,1", "a,b", "", "0.1,0.2,0.3", "1e999,0"]))
        return ["simulate", "prop5", "--p", v(SMALL), "--theta", theta, "--theta-seed", v(SEED), "--grad", "--hessian",
                "--format", v(st.sampled_from(["md", "json"]))]
    if verb == "critical":
        return ["critical", "prop5", "--p", v(SMALL), "--time-limit", v(NUMBER), "--max-points", v(SMALL),
                "--format", v(st.sampled_from(["md", "csv", "json", "latex"])), "-o", v(OUT)]
    if verb == "dense":
        return ["critical", "dense", "--p", "1", "--seed", v(SEED), "--certificate", v(OUT), "--backend", "sympy"]
    if verb == "expand":
        return ["expand", "prop5", "--p", v(SMALL), "--sample", v(SMALL), "--engine",
                v(st.sampled_from(["auto", "pauli", "dense"])), "-o", v(OUT)]
    if verb == "prop5":
        return ["construct", "prop5", "--p", v(SMALL), "--scale", v(KV), "--h", v(OP_TEXT), "--m", v(OP_TEXT),
                "--kappa", v(NUMBER), "--format", v(st.sampled_from(["md", "json"])), "-o", v(OUT)]
    if verb == "theorem2":
        return ["construct", "theorem2", "--qnn", "cayley", "--param", "d=" + v(DIM),
                "--p", v(SMALL), "--seed", v(SEED), "--eps", v(NUMBER), "--t", v(NUMBER)]
    if verb == "theorem6":
        return ["study", "theorem6", "--d", v(DIM), "--p", v(SMALL),
                "--samples", v(SMALL), "--seed", v(SEED), "--tol", v(NUMBER), "--quiet", "--plot", v(OUT)]
    if verb == "independence":
        return ["independence", "prop5", "--p", v(SMALL), "--tol", v(NUMBER), "-o", v(OUT)]
    if verb == "experiment":
        return ["experiment", "figure2", "--p", v(SMALL), "--starts", v(SMALL), "--seed", v(SEED), "--gtol", v(NUMBER),
                "--max-iter", v(SMALL), "--quiet", "--out", v(OUT), "--format", v(st.sampled_from(["md", "csv"]))]
    if verb == "check":
        return ["check", v(INPUT)]
    if verb == "input":
        cmd = v(st.sampled_from(["expand", "critical", "simulate"]))
        return [cmd, v(INPUT)] + (["--theta", "0,0"] if cmd == "simulate" else [])
    return ["expand", "prop5", "--param", v(st.sampled_from(["r=nan", "r=2", "r=-1", "r=1/0", "r=abc", "r", "q=1",
                                                             "r=1/3", "s1_copies=0", "s1_copies=x"])), "--p", "2"]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(argvs())
def test_cli_arguments(argv):
    """Random bad flag values: exit 0/1/2 (critical: also 3 partial, 4 positive-dimensional), no traceback,
    one error line that names the flag or field, no NaN on standard output."""
    _count("CLI arguments")
    rc, out, err = run_cli(argv)
    _count(f"CLI arguments: exit {rc}")
    allowed = {0, 1, 2, 3, 4} if argv[0] == "critical" else {0, 1, 2}
    assert_clean(rc, out, err, allowed)


# --- Python constructors ---------------------------------------------------------------------------

LABELS = st.one_of(JSON_VALUES, st.fractions(max_denominator=50), st.floats(allow_nan=True, allow_infinity=True),
                   st.complex_numbers(max_magnitude=3), st.sampled_from([np.float64("nan"), np.int64(3), b"1"]))
STATES = st.sampled_from([PauliSum.identity(1, "1/2"), PauliSum.from_labels(1, {"I": "1/2", "Z0": "1/2"}),
                          ["3/5", "4/5*I"], np.array([1.0, 0.0]), np.array([[0.5, 0], [0, 0.5]]),
                          np.array([[np.nan, 0], [0, 1]]), [[1, 0], [0, 0]], "Z0", None, 3])


@settings(max_examples=150)
@given(LABELS, STATES, st.sampled_from(["Z0", "X0", "Z0 Z0", "Q0", "", "X1"]),
       st.sampled_from([None, -1, 0, 1, 2]), st.sampled_from(["two-level", "hermitian", "integer-spectrum", "bad"]),
       st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32), st.sampled_from(["a", None])),
                max_size=3))
def test_python_constructors(label, state, pauli, n, kind, theta):
    """Sample, Gate, QNN.from_paulis, Instance and evaluating the loss: a result or one QnnsymError naming the
    field; an accepted label is a Fraction (exact) or a finite float; a loss value is finite."""
    _count("Python constructors")
    try:
        s = Sample(state if not isinstance(state, (list, np.ndarray)) or np.ndim(state) != 1
                   else Sample.from_vector(state, 0).state, label)
    except QnnsymError as e:
        assert_names_field(e)
        s = None
    if s is not None:
        assert isinstance(s.label, Fraction) or (isinstance(s.label, float) and math.isfinite(s.label)), s.label
    try:
        qnn = QNN((Gate(QNN.from_paulis([pauli], n).gates[0].generator, kind),), n_qubits=n)
        inst = Instance(qnn, PauliSum.from_labels(qnn.n_qubits or 1, {"Y0": 1, "I": 1}),
                        Dataset((s if s is not None else Sample(PauliSum.identity(1, "1/2"), 0),)))
        L = loss_poly(inst)
    except QnnsymError as e:
        assert_names_field(e)
        return
    try:
        value = L(theta)
    except ValidationError as e:
        assert e.field == "theta" and ("1 value" in e.expected or "finite" in e.expected or "real" in e.expected)
        return
    assert math.isfinite(value)


# --- regression tests, one per case of the issue ----------------------------------------------------

def test_output_paths_one_rule(tmp_path):
    """Item 1: missing folders are created for every output; a folder (or a path below a file) is refused."""
    new = tmp_path / "a" / "b"
    for argv, made in ((["expand", "prop5", "--p", "1", "-o", str(new / "e.md")], new / "e.md"),
                       (["construct", "prop5", "--p", "1", "-o", str(new / "c.json")], new / "c.json"),
                       (["critical", "prop5", "--p", "1", "-o", str(new / "t.md")], new / "t.md"),
                       (["critical", "dense", "--p", "1", "--seed", "0", "--certificate", str(new / "x" / "c.json")],
                        new / "x" / "c.json"),
                       (["experiment", "figure2", "--p", "1", "--starts", "2", "--quiet", "--out", str(new / "runs")],
                        new / "runs" / "figure2_runs.csv")):
        rc, _, err = run_cli(argv)
        assert rc == 0 and made.is_file(), (argv, err)
    for flag, verb in (("-o", ["expand", "prop5"]), ("-o", ["critical", "prop5"]), ("-o", ["construct", "prop5"]),
                       ("--plot", ["study", "theorem6", "--d", "4", "--p", "1", "--samples", "1", "--quiet"]),
                       ("--certificate", ["critical", "prop5"])):
        for bad, why in ((tmp_path, "is a directory"), (new / "e.md" / "x", "is a file, not a folder")):
            rc, _, err = run_cli(verb + [flag, str(bad)])
            assert rc == 2 and err.startswith(f"error: {flag} {bad}: ") and why in err, err
    rc, _, err = run_cli(["experiment", "figure2", "--out", str(new / "e.md")])
    assert rc == 2 and err.startswith(f"error: --out {new / 'e.md'}: is a file"), err
    rc, _, err = run_cli(["expand", str(tmp_path)])
    assert rc == 2 and err.startswith(f"error: instance {tmp_path}: is a directory"), err


def test_non_finite_numbers_refused_and_labels_normalised(tmp_path):
    """Item 2."""
    d = copy.deepcopy(EXAMPLES["two_qubit.json"])
    d["samples"][0]["label"] = math.nan
    (tmp_path / "nan.json").write_text(json.dumps(d))           # a JSON NaN literal
    rc, _, err = run_cli(["expand", str(tmp_path / "nan.json"), "--loss"])
    assert rc == 2 and err.startswith("error: samples[0].label: nan is not a finite number"), err
    for theta in ("nan,0,0", "inf,0,0", "1e999,0,0"):
        rc, _, err = run_cli(["simulate", "prop5", "--p", "3", "--theta", theta])
        assert rc == 2 and "--theta: value 1: not a finite number" in err, err
    rho = PauliSum.identity(1, "1/2")
    assert Sample(rho, "1/3") == Sample(rho, "2/6") == Sample(rho, Fraction(1, 3))
    assert Sample(rho, "1/3").label == Fraction(1, 3) and Sample(rho, 1).label == 1
    with pytest.raises(ValidationError, match="label: nan is not a finite number"):
        Sample(rho, float("nan"))
    inst = load_instance(ROOT / "examples" / "two_qubit.json")
    assert instance_from_dict(json.loads(dump_instance(inst))) == inst


def test_honest_status(tmp_path):
    """Item 3: no wrong table, no 'exact' for nothing solved, rc 2 for a non-certificate."""
    rc, out, err = run_cli(["construct", "prop5", "--scale", "eps=2"])
    assert rc == 1 and "Predicted local minima" not in out and "No predicted minima" in out
    rc, out, err = run_cli(["construct", "prop5", "--scale", "eps=2", "--format", "json"])
    assert rc == 1 and json.loads(out)["minima"] == []
    rc, out, err = run_cli(["critical", "prop5", "--p", "3", "--time-limit", "1e-9", "--format", "json"])
    d = json.loads(out)
    assert rc == 3 and d["status"] == "timed out" and d["certification"] == "none" and len(d["pending_blocks"]) == 3
    (tmp_path / "empty.json").write_text("{}")
    for f in (tmp_path / "empty.json", ROOT / "examples" / "spin1.json"):
        rc, out, err = run_cli(["check", str(f)])
        assert rc == 2 and err.startswith(f"error: {f}: format:") and "Traceback" not in err, err


def test_other_tracebacks():
    """Item 4."""
    rc, _, err = run_cli(["expand", str(ROOT / "examples" / "spin1.json"), "--engine", "pauli"])
    assert rc == 2 and "the Pauli engine needs Pauli generators" in err, err
    rc, _, err = run_cli(["simulate", "prop5", "--p", "2", "--theta", "random", "--theta-seed", "-1"])
    assert rc == 2 and "--theta-seed" in err and "Traceback" not in err
    L = loss_poly(prop5_instance(2))
    with pytest.raises(ValidationError, match=r"theta: 1 value\(s\) \(expected 2 values"):
        L([0.1])


def test_machine_readable_output():
    """Item 5: one form per field, stdout carries only the requested format."""
    rc, out, _ = run_cli(["critical", "dense", "--p", "2", "--seed", "0", "--max-points", "0", "--format", "json"])
    d = json.loads(out)
    assert rc == 0 and d["points"] is None and d["levels"]
    for lv in d["levels"]:
        assert isinstance(lv["loss_interval"], list) and isinstance(lv["global"], bool) and isinstance(lv["loss"], str)
    assert isinstance(d["min_loss"], list)
    rc, out, _ = run_cli(["critical", "prop5", "--p", "3", "--format", "csv"])
    assert out.splitlines()[0].startswith("n,theta_1,theta_2,theta_3,loss,")
    with tempfile.TemporaryDirectory() as tmp:
        rc, out, err = run_cli(["experiment", "figure2", "--p", "1", "--starts", "2", "--quiet", "--format", "csv",
                                "--out", tmp])
    assert rc == 0 and "wrote" not in out and "wrote" in err
    assert len({len(r.split(",")) for r in out.strip().splitlines()}) == 1     # pure CSV
    rc, out, err = run_cli(["expand", "prop5", "--p", "1", "--check", "--format", "json"])
    assert rc == 0 and all(c["passed"] for c in json.loads(out)["checks"])


@pytest.mark.parametrize("patch, field", [
    (lambda d: d["circuit"][0].update(gate={"matrix": [["2", "0"], ["0", "-2"]]}), "circuit[0].gate"),
    (lambda d: d["circuit"][0].update(kind="twolevel"), "circuit[0].kind"),
    (lambda d: d["circuit"][1]["fixed"].update(cos="1"), "circuit[1].fixed"),
    (lambda d: d.update(dim=8), "dim"),
    (lambda d: d["samples"][1]["state"].update(vector=["1", "1", "0", "0"]), "samples[1].state.vector"),
    (lambda d: d["observable"]["pauli"][0].__setitem__(1, "Q0"), "observable.pauli[0][1]"),
    (lambda d: d.update(circuit=[d["circuit"][1]]), "circuit"),
])
def test_error_paths_as_written(patch, field):
    """Item 6: the field is the JSON path of the file."""
    d = copy.deepcopy(EXAMPLES["two_qubit.json"])
    patch(d)
    with pytest.raises(ValidationError) as e:
        instance_from_dict(d)
    assert e.value.field == field, str(e.value)
    if field == "dim":
        assert "n_qubits and dim disagree" in e.value.problem
    if field.endswith("vector"):
        assert e.value.problem == "‖ψ‖² = 2"


def test_unknown_keys_warn(tmp_path):
    d = copy.deepcopy(EXAMPLES["two_qubit.json"])
    d["desciption"] = "typo"
    d["samples"][0]["lable"] = "1"
    with pytest.warns(InstanceFileWarning, match="unknown key"):
        instance_from_dict(d)
    (tmp_path / "typo.json").write_text(json.dumps(d))
    rc, _, err = run_cli(["expand", str(tmp_path / "typo.json")])
    assert rc == 0 and "warning: (top level): unknown key(s) 'desciption'" in err
    assert "warning: samples[0]: unknown key(s) 'lable'" in err and "Traceback" not in err


def test_known_keys_match_the_schema():
    schema = json.loads((ROOT / "qnnsym" / "data" / "instance.schema.json").read_text())
    circ = schema["properties"]["circuit"]["items"]["oneOf"]
    fixed = circ[1]["properties"]["fixed"]["oneOf"]
    assert set(KNOWN_KEYS["(top level)"]) == set(schema["properties"])
    assert set(KNOWN_KEYS["gate"]) == set(circ[0]["properties"])
    assert set(KNOWN_KEYS["fixed gate"]) == set(circ[1]["properties"])
    assert set(KNOWN_KEYS["fixed unitary"]) == set(fixed[0]["properties"])
    assert set(KNOWN_KEYS["fixed rotation"]) == set(fixed[1]["properties"])
    assert set(KNOWN_KEYS["sample"]) == set(schema["properties"]["samples"]["items"]["properties"])


# --- every verb's numeric options at their type limits (issue 27) -------------------------------------

#: a cheap run of each verb; the sweep changes one numeric option at a time
SWEEP_BASE = {
    "expand": ["expand", "prop5", "--p", "1"],
    "critical": ["critical", "prop5", "--p", "1", "--no-progress"],
    "experiment": ["experiment", "figure2", "--p", "2", "--starts", "4", "--max-iter", "50", "--no-progress"],
    "simulate": ["simulate", "prop5", "--p", "1", "--theta", "0.1"],
    "independence": ["independence", "prop5", "--p", "1"],
    "construct theorem2": ["construct", "theorem2", "--p", "1"],
    "construct prop5": ["construct", "prop5", "--p", "1"],
    "construct integer": ["construct", "integer", "--p", "1"],
    "study theorem6": ["study", "theorem6", "--d", "4", "--p", "1", "--samples", "2", "--no-progress"],
    "study minima": ["study", "minima", "--p", "1", "--starts", "8", "--no-progress"],
    "landscape": ["landscape", "basins", "prop5", "--p", "1", "--samples", "10", "--starts", "4", "--no-progress"],
    "report": ["report", "prop5", "--p", "1", "--samples", "10", "--starts", "4", "--no-progress", "-o",
               str(TMP / "report")],
    "export": ["export", "prop5", "--p", "1", "--to", "qasm3"],
    "search minima": ["search", "minima", "--p", "1", "--rounds", "1", "--steps", "1", "--starts", "8", "--workers", "1",
                      "--chains", "1", "--no-progress"],
    "search bounds": ["search", "bounds", "--p", "1"],
    "minimize": ["minimize", "prop5", "--p", "1", "--no-progress"],
    "check": ["check", str(ROOT / "proofs/theorem7-dense/dense-p1-seed0.json"), "--quiet", "--sample", "2"],
}
#: the type limits of a number, as a user may type them
LIMITS = ["0", "-1", "1000000000000000000", "1" + "0" * 5000, "nan", "inf", ""]


def _leaf_parsers(ap, prefix=()):
    import argparse
    subs = [a for a in ap._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield " ".join(prefix), ap
        return
    seen = set()
    for name, sp in subs[0].choices.items():
        if id(sp) not in seen:
            seen.add(id(sp))
            yield from _leaf_parsers(sp, prefix + (name,))


def _numeric_options() -> dict[str, list[str]]:
    from qnnsym.cli.main import build_parser
    out = {}
    for verb, sp in _leaf_parsers(build_parser()):
        opts = [a.option_strings[0] for a in sp._actions
                if a.option_strings and getattr(a.type, "__name__", None) in ("int", "float", "nonneg_int",
                                                                            "positive_float", "finite_float")]
        if opts:
            out[verb] = opts
    return out


NUMERIC = _numeric_options()
SWEEP_CASES = [(verb, opt, val) for verb, opts in sorted(NUMERIC.items()) for opt in opts for val in LIMITS]


def _sweep_argv(verb, opt, val):
    base = list(SWEEP_BASE[verb])
    if opt in base:
        base[base.index(opt) + 1] = val
        return base
    return base + [opt, val]


class _Hang(BaseException):
    pass


def run_sweep_case(verb, opt, val, limit=60.0):
    """One case under a watchdog (a thread: SIGALRM belongs to the time limits): no traceback, a documented
    exit status, no NaN on standard output, done within ``limit`` seconds."""
    import os
    import signal
    import threading

    def on_alarm(signum, frame):
        raise _Hang(f"{verb} {opt} {val[:20]!r} ran past {limit} s")

    old = signal.signal(signal.SIGUSR1, on_alarm)
    timer = threading.Timer(limit, lambda: os.kill(os.getpid(), signal.SIGUSR1))
    timer.start()
    try:
        rc, out, err = run_cli(_sweep_argv(verb, opt, val))
    finally:
        timer.cancel()
        signal.signal(signal.SIGUSR1, old)
    _count("numeric limits")
    assert_clean(rc, out, err, allowed=frozenset({0, 1, 2, 3, 4}))


def test_sweep_covers_every_verb_with_numbers():
    assert set(NUMERIC) <= set(SWEEP_BASE), set(NUMERIC) - set(SWEEP_BASE)
    print(f"\nnumeric-limit sweep: {len(SWEEP_CASES)} cases ({len(NUMERIC)} verbs, "
          f"{sum(map(len, NUMERIC.values()))} options, {len(LIMITS)} limits)")


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([c for c in SWEEP_CASES if c[0] not in ("report", "experiment")]))
def test_numeric_limits_sampled(case):
    """A sample of the sweep in the default run (the whole sweep: ``test_numeric_limits_all``, slow)."""
    run_sweep_case(*case)


@pytest.mark.slow
@pytest.mark.parametrize("case", SWEEP_CASES, ids=lambda c: f"{c[0]}{c[1]}={c[2][:8]}")
def test_numeric_limits_all(case):
    run_sweep_case(*case)


def test_report_cases_ran():
    """Runs last in this module: every hypothesis test ran a real number of cases (printed with -s)."""
    print("\nhypothesis cases run:", RAN)
    floors = {"instance files": 100, "instance files (CLI)": 20, "CLI arguments": 150, "Python constructors": 100}
    for name, floor in floors.items():
        if name in RAN:                      # absent when run with -k on another test
            assert RAN[name] >= floor, (name, RAN[name])
