"""Sizes that used to blow up (issue 15): the cost follows the terms, not 2^n; a job out of reach is
refused before it starts, quoting its estimate; the exact dense product equals the term-by-term rule."""
from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnnsym.budget import Budget
from qnnsym.cli import main
from qnnsym.errors import JobTooLarge, TimeBudgetExceeded
from qnnsym.exact.products import sum_of_squares, termwise_product, trig_product
from qnnsym.expansion.cost import expansion_estimate
from qnnsym.expansion.phi import _pauli_flat, loss_poly, output_polys
from qnnsym.model.instances import builtin_instance, instance_from_dict

keys = st.integers(-3, 3)
coeff = st.fractions(min_value=-20, max_value=20, max_denominator=50)


def _poly(p):
    return st.dictionaries(st.tuples(*[keys] * p), coeff, max_size=12).map(lambda d: {k: v for k, v in d.items() if v})


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4).flatmap(lambda p: st.tuples(st.just(p), _poly(p), _poly(p))))
def test_kronecker_product_equals_termwise(case):
    p, a, b = case
    ref = {k: v for k, v in termwise_product(a, b).items() if v}
    assert trig_product(a, b, p) == ref
    assert trig_product(a, a, p) == {k: v for k, v in termwise_product(a, a).items() if v}


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3).flatmap(lambda p: st.tuples(st.just(p), st.lists(_poly(p), min_size=1, max_size=4))))
def test_sum_of_squares_equals_termwise(case):
    p, rs = case
    ref: dict = {}
    for r in rs:
        for k, v in termwise_product(r, r).items():
            ref[k] = ref.get(k, 0) + v
    w = Fraction(1, 3)
    assert sum_of_squares(rs, p, w) == {k: w * v for k, v in ref.items() if v}


def test_kronecker_huge_coefficients_use_python_ints():
    a = {(1, -2): Fraction(10 ** 40, 3), (0, 1): Fraction(7, 10 ** 30)}
    assert trig_product(a, a, 2) == termwise_product(a, a)


def _pauli_circuit(n: int) -> dict:
    """The 2-gate n-qubit circuit of benchmarks/bench_robust_sizes.py (one definition for both)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_robust_sizes.py"
    spec = importlib.util.spec_from_file_location("bench_robust_sizes", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.pauli_circuit(n)


@pytest.mark.parametrize("n", [28, 60, 200])
def test_wide_pauli_circuit_costs_its_terms_not_2n(n):
    inst = instance_from_dict(_pauli_circuit(n))
    L = loss_poly(inst)
    assert L.to_string() == "17/72 - 1/3*cos(2θ1) + 1/8*cos(4θ1)"   # by hand: f = cos(2θ1)/2, L = (f - 1/3)²
    assert inst.qnn.gates[0].spectrum == (-1, 1)


@pytest.mark.parametrize("name,params,field", [("prop5", {"p": 64}, "p"), ("prop5", {"p": 10 ** 6}, "p"),
                                               ("prop5", {"p": 26}, "p"), ("dense", {"p": 12}, "p")])
def test_out_of_reach_builtins_refused_with_estimate(name, params, field):
    with pytest.raises(JobTooLarge) as e:
        builtin_instance(name, **params)
    assert e.value.field == field and "estimated cost" in str(e.value) and e.value.size > e.value.limit


@pytest.mark.parametrize("argv", [["expand", "prop5", "--p", "64"], ["expand", "prop5", "--p", "1000000"],
                                  ["critical", "prop5", "--p", "26", "--no-progress"],
                                  ["expand", "dense", "--p", "9", "--loss", "--no-progress"]])
def test_cli_refuses_with_estimate(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "estimated cost" in err and "Traceback" not in err


def test_expand_time_limit_stops_cleanly(capsys):
    """A time limit exits 3 in every verb (issue 27 §4)."""
    assert main(["expand", "dense", "--p", "7", "--loss", "--time-limit", "1e-6", "--no-progress"]) == 3
    assert "time limit of 1e-06 s exceeded" in capsys.readouterr().err


def _random_pauli_instance(rng: random.Random, n: int, gates: int) -> dict:
    def label():
        qs = rng.sample(range(n), rng.randint(1, min(3, n)))
        return " ".join(f"{rng.choice('XYZ')}{q}" for q in sorted(qs))
    d = 2 ** n
    return {"format": "qnnsym-instance/1", "n_qubits": n,
            "circuit": [{"gate": label(), "kind": "two-level"} for _ in range(gates)],
            "observable": {"pauli": [["1", label()], ["1/3", label()]]},
            "samples": [{"state": {"pauli": [[f"1/{d}", "I"], [f"1/{2 * d}", label()]]}, "label": "1/2"}
                        for _ in range(2)]}


@pytest.mark.parametrize("seed", range(12))
def test_estimate_bounds_the_real_sizes(seed):
    """The estimate's bounds are upper bounds of the measured sizes (random Pauli circuits)."""
    rng = random.Random(seed)
    inst = instance_from_dict(_random_pauli_instance(rng, rng.randint(2, 8), rng.randint(1, 6)))
    est = expansion_estimate(inst, loss=True)
    fs = output_polys(inst)
    L = loss_poly(inst, outputs=fs)
    assert max(len(f.terms) for f in fs) <= est.output_terms
    assert len(L.terms) <= est.loss_terms
    start = inst.observable if est.picture == "heisenberg" else None
    if start is not None:
        assert len(_pauli_flat(inst.qnn, start)) <= est.propagation_terms
    else:
        assert max(len(_pauli_flat(inst.qnn, s.state, "schrodinger")) for s in inst.dataset.samples) \
            <= est.propagation_terms


def test_budget_tick_enforces_the_limit():
    b = Budget(1e-9)
    with pytest.raises(TimeBudgetExceeded):
        b.tick()


def test_expand_json_of_wide_circuit(tmp_path):
    f = tmp_path / "wide.json"
    f.write_text(json.dumps(_pauli_circuit(40)))
    assert main(["expand", str(f), "--loss", "--format", "json", "--no-progress", "-o", str(tmp_path / "L.json")]) == 0
    assert json.loads((tmp_path / "L.json").read_text())["polys"][0]["name"] == "L"


def test_absurd_time_limit_is_no_limit(capsys):
    """Found by tests/test_robustness.py in CI: setitimer overflowed on --time-limit 1e20."""
    assert main(["critical", "prop5", "--p", "1", "--time-limit", "99999999999999999999", "--no-progress"]) == 0
    assert "minimum" in capsys.readouterr().out


def test_integer_parameters_are_stored_as_integers():
    """``--param m=4`` (a string) and ``m=4`` give one instance and one origin (the checker insists on it)."""
    a = builtin_instance("dense", p=1, seed="2", m="4")
    b = builtin_instance("dense", p=1, seed=2, m=4)
    assert a.origin == b.origin == {"builtin": "dense", "params": {"m": 4, "p": 1, "seed": 2}}
