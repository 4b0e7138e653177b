"""Redundant parameters (issue 24): the frequency lattice, L = L̃(Aθ), tables of critical manifolds, their
certificates, and agreement with a plain float multistart done without qnnsym's critical machinery."""
from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qnnsym import QNN, Dataset, Instance, PauliSum, Sample, loss_poly
from qnnsym.critical.table import critical_table
from qnnsym.errors import ValidationError
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.landscape.redundancy import frequency_lattice, from_fourier, reduce_loss
from qnnsym.model.instances import instance_to_dict, load_instance

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


# --- the over-parameterised circuits, built with the model API ------------------------------------------------

def _zero_times(n_qubits: int, bloch: dict) -> PauliSum:
    """|0⟩⟨0| on qubit 0 tensor a 1-qubit state on qubit 1 (Bloch coefficients of X, Y, Z as strings)."""
    d = {"I": "1/4", "Z0": "1/4"}
    for k, v in bloch.items():
        d[k + "1"] = v
        d["Z0 " + k + "1"] = v
    return PauliSum.from_labels(n_qubits, d)


def _one(bloch: dict) -> PauliSum:
    return PauliSum.from_labels(1, dict({"I": "1/2"}, **{k + "0": v for k, v in bloch.items()}))


def idle_rz() -> Instance:
    """RZ on |0⟩ before anything: the states are |0⟩ ⊗ σ, so exp(-iθ1 Z0) is idle."""
    data = [({"Z": "1/4"}, "1/2"), ({"X": "1/4"}, "-1/3"), ({"Y": "1/4"}, "1/5")]
    return Instance(QNN.from_paulis(["Z0", "Y0", "Y1"], 2), PauliSum.from_labels(2, {"Z0": 1, "X0 X1": "1/2"}),
                    Dataset(tuple(Sample(_zero_times(2, s), y) for s, y in data)), name="redundant_idle_rz",
                    description="an RZ acting on |0> before anything (idle), then RY on each qubit; "
                                "observable Z0 + X0 X1/2")


def rz_rz() -> Instance:
    """RY, then two consecutive RZ on one qubit (only their sum matters), X readout."""
    states = [_one({"Z": "1/2"}), _one({"X": "1/2"}), _one({"Y": "1/2"})]
    return Instance(QNN.from_paulis(["Y0", "Z0", "Z0"], 1), PauliSum.from_labels(1, {"X0": 1}),
                    Dataset(tuple(Sample(s, y) for s, y in zip(states, ["1/2", "-1/3", "1/5"])), ),
                    name="redundant_rz_rz", description="RY then RZ RZ on one qubit (the loss sees θ2 + θ3); X readout")


def light_cone() -> Instance:
    """Two gates outside the observable's backward light cone: X1 X2 commutes with Z0 + X0 X1/2 and Y2 acts
    outside its support, after every gate that matters."""
    vs = [["1", "0", "0", "0", "0", "0", "0", "0"], ["3/5", "0", "0", "0", "4/5", "0", "0", "0"],
          ["0", "0", "3/5", "0", "0", "0", "4/5*I", "0"]]
    return Instance(QNN.from_paulis(["Y0", "Y1", "X1 X2", "Y2"], 3), PauliSum.from_labels(3, {"Z0": 1, "X0 X1": "1/2"}),
                    Dataset(tuple(Sample.from_vector(v, y) for v, y in zip(vs, ["1/2", "-1/3", "1/5"]))),
                    name="redundant_light_cone",
                    description="RY0 RY1, then X1X2 and RY2 outside the light cone of the observable Z0 + X0X1/2")


def su2(readout: str) -> Instance:
    """1-qubit EfficientSU2-like: RY RZ RY RZ (4 angles, SU(2) is 3-dimensional)."""
    states = [_one({"Z": "1/2"}), _one({"X": "1/2"}), _one({"Y": "1/2"}), _one({"Z": "3/10", "X": "2/5"})]
    return Instance(QNN.from_paulis(["Y0", "Z0", "Y0", "Z0"], 1), PauliSum.from_labels(1, {readout + "0": 1}),
                    Dataset(tuple(Sample(s, y) for s, y in zip(states, ["1/2", "-1/3", "1/5", "2/7"]))))


# --- the lattice, hand examples -------------------------------------------------------------------------------------

def test_lattice_of_hand_examples():
    # cos(2(φ1 + φ2)): Λ = ℤ(2, 2), index 2 in its saturation ℤ(1, 1)
    L = TrigPoly(2, {(2, 2): 1, (-2, -2): -1}, 1)
    red = reduce_loss(L)
    assert (red.basis, red.divisors, red.rank, red.flat, red.components) == (((2, 2),), (2,), 1, 1, 2)
    assert red.reduced == TrigPoly(1, {(1,): 1}, 1)                       # L̃(x) = cos x, x = 2φ1 + 2φ2
    # cos(φ1 + φ2) + cos(φ1 − φ2): rank 2 = p (no flat direction) but index 2 (an extra period (π, π))
    L2 = TrigPoly(2, {(1, 1): 2}, 1)
    red2 = reduce_loss(L2)
    assert (red2.rank, red2.flat, red2.divisors, red2.components) == (2, 0, (1, 2), 2)
    # an idle parameter: a zero column
    assert reduce_loss(TrigPoly(3, {(0, 1, 0): 1, (1, 0, 0): 2})).idle == (2,)


def test_components_of_cos_2_sum():
    """cos(2φ1 + 2φ2) on T²: critical where 2φ1 + 2φ2 ∈ {0, π}, i.e. φ1 + φ2 ∈ {0, π/2, π, 3π/2}: four circles,
    two minimum manifolds (value -1) and two maximum manifolds (value 1) — L̃ = cos x has two points, each
    standing for [Λ_sat : Λ] = 2 components."""
    t = critical_table(TrigPoly(2, {(2, 2): 1, (-2, -2): -1}, 1), backend="sympy")
    assert t.status == "complete" and t.dimension == 0 and t.reduction.flat == 1
    assert len(t.points) == 2 and t.n_real == 4
    assert (t.counts["minima"], t.counts["maxima"], t.counts["saddles"]) == (2, 2, 0)
    assert t.min_loss == (-1, -1)
    assert [r["components"] for r in t.rows()] == [2, 2] and {r["kind"] for r in t.rows()} == {
        "minimum manifold", "maximum manifold"}


def test_index_counts_points_when_rank_is_full():
    """L = cos(φ1 + φ2) + cos(φ1 − φ2) = 2 cos φ1 cos φ2 has no flat direction; its table has exactly
    [Λ_sat : Λ] = 2 points per critical point of L̃ (checked against the direct table)."""
    L = TrigPoly(2, {(1, 1): 2}, 1)
    red = reduce_loss(L)
    direct, reduced = critical_table(L, backend="sympy"), critical_table(red.reduced, backend="sympy")
    assert direct.reduction is None                           # full rank: solved directly
    assert direct.n_real == 8 and direct.n_real == red.components * reduced.n_real
    assert direct.counts["minima"] == red.components * reduced.counts["minima"] == 2


def test_reduced_loss_is_the_loss_everywhere():
    for inst in (idle_rz(), rz_rz(), light_cone(), su2("Z"), su2("X")):
        L = loss_poly(inst)
        red = reduce_loss(L)
        A = np.array([[float(a) for a in row] for row in red.theta_matrix]).reshape(red.rank, L.p)
        th = np.random.default_rng(0).uniform(0, np.pi, (20, L.p))
        assert np.allclose(L(th), red.reduced(th @ A.T), atol=1e-12)
        assert from_fourier(L.fourier(), L.p, L.omega[0]) == L   # the Fourier round trip


def test_from_fourier_refuses_a_complex_function():
    from qnnsym.exact.scalars import GaussianRational

    with pytest.raises(ValidationError, match="real function"):
        from_fourier({(1,): GaussianRational(Fraction(1), Fraction(0))}, 1)


def test_lattice_of_nothing_and_constant_loss():
    assert frequency_lattice([], 2) == ((), ())
    t = critical_table(TrigPoly(2, {(0, 0): Fraction(1, 3)}))
    assert t.status == "complete" and t.counts["minima"] == 1 and t.counts["global_minima"] == 1
    assert t.reduction.flat == 2 and t.min_loss == (Fraction(1, 3), Fraction(1, 3))


# --- the circuits: lattice, components, minima manifolds -------------------------------------------------------

CIRCUITS = {
    # name: (builder, basis B, idle, #components, (minima, saddles, maxima), global minima)
    "idle_rz": (idle_rz, ((0, 1, 0), (0, 0, 1)), (0,), 12, (2, 6, 4), 2),
    "rz_rz": (rz_rz, ((1, 0, 0), (0, 1, 1)), (), 8, (2, 4, 2), 2),
    "light_cone": (light_cone, ((1, 0, 0, 0), (0, 1, 0, 0)), (2, 3), 8, (2, 4, 2), 2),
}


@pytest.mark.parametrize("name", sorted(CIRCUITS))
def test_circuit_tables_of_components(name):
    build, basis, idle, n, (mins, sads, maxs), glob = CIRCUITS[name]
    t = critical_table(build())
    red = t.reduction
    assert red.basis == basis and red.idle == idle and red.components == 1
    assert t.status == "complete" and t.complete and t.dimension == 0 and t.certification == "verified parametrization"
    assert t.n_real == n == len(t.points)
    assert (t.counts["minima"], t.counts["saddles"], t.counts["maxima"]) == (mins, sads, maxs)
    assert t.counts["global_minima"] + t.counts["undecided_global"] == glob   # equal irrational minima: undecided
    # every representative θ lies on its component: Aθ ∈ the enclosure of y*, and its Hessian inertia has
    # p − r more zero eigenvalues than L̃'s (Morse–Bott)
    for cp, inner in zip(t.points, t.reduced_table.points):
        for row, (lo, hi) in zip(red.theta_matrix, inner.theta_box):
            v = [sum(a * (b[0] if a >= 0 else b[1]) for a, b in zip(row, cp.theta_box)),
                 sum(a * (b[1] if a >= 0 else b[0]) for a, b in zip(row, cp.theta_box))]
            assert lo <= v[0] and v[1] <= hi
        assert cp.inertia[1] == inner.inertia[1] + red.flat
        L = loss_poly(build())
        H = L.hessian(np.array(cp.theta))
        ev = np.linalg.eigvalsh(H)
        assert sum(abs(ev) < 1e-7) == red.flat and sum(ev < -1e-7) == cp.index
    js = t.to_json()
    assert js["reduction"]["basis"] == [list(b) for b in basis] and len(js["components"]) == n
    for fmt in ("md", "csv", "latex"):
        assert "minimum manifold" in t.to_text(fmt)


def test_su2_readouts_are_reported():
    """EfficientSU2-like on one qubit: the Z readout has the last RZ idle (rank 3); the X readout has no linear
    redundancy (rank 4).  Both keep a non-linear 1-dimensional degeneracy (SU(2) is 3-dimensional), so the
    tables stay positive-dimensional and say so."""
    rz, rx = reduce_loss(loss_poly(su2("Z"))), reduce_loss(loss_poly(su2("X")))
    assert (rz.rank, rz.idle, rz.basis) == (3, (3,), ((1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0)))
    assert (rx.rank, rx.idle) == (4, ())
    if _has_msolve():
        tz, tx = critical_table(su2("Z"), backend="msolve"), critical_table(su2("X"), backend="msolve")
        assert tz.status == "positive-dimensional" and tz.dimension == 2 and tz.reduction.flat == 1
        assert tx.status == "positive-dimensional" and tx.reduction is None


def _has_msolve() -> bool:
    import shutil

    return shutil.which("msolve") is not None


def test_examples_are_the_api_instances():
    for fname, build in (("redundant_idle_rz.json", idle_rz), ("redundant_rz_rz.json", rz_rz),
                         ("redundant_light_cone.json", light_cone)):
        inst = load_instance(EXAMPLES / fname)
        assert instance_to_dict(inst) == instance_to_dict(build())


def test_landscape_tools_refuse_a_table_of_components():
    from qnnsym.landscape.points import blocks_from_table

    with pytest.raises(ValidationError, match="reduced_table"):
        blocks_from_table(critical_table(rz_rz()))


# --- agreement with a float multistart done without qnnsym's critical machinery -----------------------------

_PAULI = {"I": np.eye(2), "X": np.array([[0, 1], [1, 0]]), "Y": np.array([[0, -1j], [1j, 0]]),
          "Z": np.diag([1.0, -1.0])}


def _pauli_matrix(label: str, n: int) -> np.ndarray:
    ops = ["I"] * n
    for tok in label.split():
        if tok != "I":
            ops[int(tok[1:])] = tok[0]
    out = np.ones((1, 1))
    for o in ops:                     # qubit 0 is the leftmost tensor factor (qnnsym's matrix convention)
        out = np.kron(out, _PAULI[o])
    return out


def _number(x: str) -> complex:
    from qnnsym.exact.scalars import parse_scalar

    return complex(parse_scalar(x))


def _pauli_sum(pairs, n: int) -> np.ndarray:
    return sum(_number(c) * _pauli_matrix(lab, n) for c, lab in pairs)


def _float_loss_from_json(path: Path):
    """L(θ) from the instance file alone, by plain numpy: U = Π_l exp(-iθ_l P_l), L = mean_k (tr(Uρ_kU†M) − y_k)²."""
    raw = json.loads(path.read_text())
    n = raw["n_qubits"]
    P = [_pauli_sum(op["gate"]["pauli"], n) for op in raw["circuit"]]
    M = _pauli_sum(raw["observable"]["pauli"], n)
    states = []
    for smp in raw["samples"]:
        if "matrix" in smp["state"]:
            states.append(np.array([[_number(x) for x in row] for row in smp["state"]["matrix"]]))
        else:
            states.append(_pauli_sum(smp["state"]["pauli"], n))
    ys = [float(Fraction(smp["label"])) for smp in raw["samples"]]
    eye = np.eye(2 ** n)

    def loss(th):
        U = eye.astype(complex)
        for t, p in zip(th, P):
            U = (np.cos(t) * eye - 1j * np.sin(t) * p) @ U
        return float(np.mean([(np.real(np.trace(U @ r @ U.conj().T @ M)) - y) ** 2 for r, y in zip(states, ys)]))

    return loss, len(P)


def _multistart_minima(loss, p: int, A: np.ndarray, period: float, starts: int, seed: int = 0):
    """L-BFGS from random starts; minimisers mapped through A (y = Aθ) and clustered modulo the period of L̃."""
    from scipy.optimize import minimize

    rng = np.random.default_rng(seed)
    found = []
    for x0 in rng.uniform(0, np.pi, (starts, p)):
        res = minimize(loss, x0, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
        y = np.mod(A @ res.x, period)
        if not any(np.allclose(_wrap(y - z, period), 0, atol=1e-4) for z, _ in found):
            found.append((y, res.fun))
    return found


def _wrap(d, period):
    return (d + period / 2) % period - period / 2


@pytest.mark.parametrize("name", ["idle_rz", "rz_rz", "light_cone"])
def test_minima_manifolds_agree_with_a_float_multistart(name):
    t = critical_table(CIRCUITS[name][0]())
    red = t.reduction
    loss, p = _float_loss_from_json(EXAMPLES / f"redundant_{name}.json")
    A = np.array([[float(a) for a in row] for row in red.theta_matrix])
    found = _multistart_minima(loss, p, A, np.pi, starts=60)
    mins = [cp for cp in t.reduced_table.points if cp.kind == "minimum"]
    assert len(found) == len(mins) == t.counts["minima"]          # red.components == 1 here
    for cp in mins:
        match = [f for y, f in found if np.allclose(_wrap(y - np.array(cp.theta), np.pi), 0, atol=1e-4)]
        assert len(match) == 1 and abs(match[0] - float(cp.loss[0])) < 1e-9


# --- certificates -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rz_rz_certificate():
    from qnnsym.certify.certificate import critical_certificate

    return critical_certificate(rz_rz(), table=critical_table(rz_rz()))


def _ok(cert) -> bool:
    from qnnsym.certify.checker.check import check_certificate

    return all(v.ok for v in check_certificate(copy.deepcopy(cert)))


def test_certificate_of_components_is_accepted(rz_rz_certificate, tmp_path):
    from qnnsym.certify.checker.check import check_certificate

    cert = rz_rz_certificate
    assert cert["reduction"]["basis"] == [[1, 0, 0], [0, 1, 1]] and cert["summary"]["n_real"] == 8
    assert "2 local minimum manifolds" in cert["statement"]
    path = tmp_path / "c.json"
    path.write_text(json.dumps(cert))
    verdicts = check_certificate(path)                       # through the file reader and the schema
    assert all(v.ok for v in verdicts)
    assert any("L(θ) = L̃(Aθ)" in v.claim and v.ok for v in verdicts)


def test_forged_reductions_are_refused(rz_rz_certificate):
    cert = rz_rz_certificate
    bad = copy.deepcopy(cert)
    bad["reduction"]["basis"] = [[1, 0, 0], [0, 1, 2]]                     # wrong B
    assert not _ok(bad)
    bad = copy.deepcopy(cert)
    bad["reduction"]["basis"] = [[1, 0, 0], [0, 2, 2]]                     # B scaled: L̃ no longer matches
    assert not _ok(bad)
    bad = copy.deepcopy(cert)
    bad["reduction"]["reduced_loss"]["terms"][-1][1] = "7/3"               # wrong L̃
    assert not _ok(bad)
    bad = copy.deepcopy(cert)
    bad["reduction"]["basis"] = [[1, 0, 0], [2, 0, 0]]                     # rank-deficient B
    assert not _ok(bad)
    bad = copy.deepcopy(cert)
    bad["summary"]["minima"] = 1                                           # counts of components re-derived
    assert not _ok(bad)
    bad = copy.deepcopy(cert)
    del bad["reduction"]                                                   # the blocks are not those of L
    assert not _ok(bad)


def test_fibre_components_from_minors():
    """The checker's count (gcd of the maximal minors) equals the writer's (Smith form) on hand examples."""
    from qnnsym.certify.checker.reduction import fibre_components

    for vecs, p in (([(2, 2)], 2), ([(1, 1), (1, -1)], 2), ([(2, 0, 4), (0, 6, 0)], 3), ([(1, 2, 3)], 3)):
        basis, divisors = frequency_lattice(vecs, p)
        assert fibre_components([list(b) for b in basis]) == int(np.prod(divisors))


# --- command line -------------------------------------------------------------------------------------------------

def test_cli_prints_the_component_table(capsys):
    from qnnsym.cli.main import main

    assert main(["critical", str(EXAMPLES / "redundant_rz_rz.json")]) == 0
    out = capsys.readouterr().out
    assert "# Critical manifolds" in out and "minimum manifold" in out and "y1 = θ1; y2 = θ2 + θ3" in out


def test_cli_certificate_of_components_checks(tmp_path, capsys):
    from qnnsym.cli.main import main

    cert = tmp_path / "c.json"
    assert main(["critical", str(EXAMPLES / "redundant_light_cone.json"), "--format", "csv",
                 "--certificate", str(cert)]) == 0
    assert "minimum manifold" in capsys.readouterr().out
    assert main(["check", str(cert)]) == 0
    assert "ACCEPTED" in capsys.readouterr().out


def test_components_per_point_agree_with_a_float_multistart():
    """cos(2φ1 + 2φ2): the minimum set {2φ1 + 2φ2 ≡ π} has 2 connected components on T²
    (φ1 + φ2 ≡ π/2 or 3π/2); L-BFGS minimisers clustered by φ1 + φ2 mod 2π find the same 2."""
    from scipy.optimize import minimize

    L = TrigPoly(2, {(2, 2): 1, (-2, -2): -1}, 1)
    t = critical_table(L, backend="sympy")
    rng = np.random.default_rng(1)
    sums = set()
    for x0 in rng.uniform(0, 2 * np.pi, (40, 2)):
        res = minimize(lambda x: np.cos(2 * x[0] + 2 * x[1]), x0, method="L-BFGS-B")
        sums.add(round(float(np.mod(res.x[0] + res.x[1], 2 * np.pi)), 3))
    assert sorted(sums) == pytest.approx([np.pi / 2, 3 * np.pi / 2], abs=2e-3)
    assert t.counts["minima"] == len(sums) == 2


def test_certificate_with_points_at_phi_pi_is_accepted():
    """idle_rz's L̃ has saddles at φ1 = π with an irrational second coordinate: the checker's θ balls must not
    straddle atan2's branch cut there (they did: 'index None', 'RUR point NOT in the θ box')."""
    from qnnsym.certify.certificate import critical_certificate

    t = critical_table(idle_rz())
    assert any(abs(cp.theta[0] - np.pi / 2) < 1e-12 and cp.loss_exact is not None for cp in t.reduced_table.points)
    assert _ok(critical_certificate(idle_rz(), table=t))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.integers(0, 2), st.data())
def test_any_composed_loss_is_reduced_and_its_identity_checked(r, extra, data):
    """L = L̃(Bφ) for a random integer B (r × p, p = r + extra) and a random L̃: reduce_loss finds a lattice of
    rank ≤ r with L = L̃'(B'φ) exactly, the checker accepts both factorisations (when of full rank r' < p), and
    a changed coefficient is refused (B of full row rank)."""
    from qnnsym.certify.checker.reduction import check_reduction, fibre_components

    p = r + extra
    B = data.draw(st.lists(st.lists(st.integers(-2, 2), min_size=p, max_size=p), min_size=r, max_size=r))
    assume(fibre_components(B) > 0)                    # full row rank: m ↦ Bᵀm is injective
    keys = data.draw(st.lists(st.tuples(*[st.integers(-2, 2)] * r), min_size=1, max_size=4, unique=True))
    vals = data.draw(st.lists(st.fractions(-3, 3, max_denominator=4).filter(bool), min_size=len(keys),
                              max_size=len(keys)))
    Lr = TrigPoly(r, dict(zip(keys, vals)), 1)
    L = from_fourier({tuple(sum(B[i][l] * m[i] for i in range(r)) for l in range(p)): c
                      for m, c in Lr.fourier().items()}, p, 1) if any(Lr.fourier()) else TrigPoly(p, {}, 1)
    red = reduce_loss(L)
    assert red.rank <= r
    th = np.random.default_rng(0).uniform(0, 2 * np.pi, (5, p))
    A = np.array(red.basis, dtype=float).reshape(red.rank, p)
    assert np.allclose(L(th), red.reduced(th @ A.T) if red.rank else float(red.reduced.terms.get((), 0)))
    for basis, reduced in ((red.basis, red.reduced), (B, Lr)):
        if 0 < len(basis) < p:
            out = []
            js = {"basis": [list(b) for b in basis], "reduced_loss": dict(reduced.as_json())}
            assert check_reduction(L, js, out) is not None and all(v.ok for v in out)
            forged = copy.deepcopy(js)
            forged["reduced_loss"]["terms"][0][1] = str(Fraction(forged["reduced_loss"]["terms"][0][1]) + 1)
            assert check_reduction(L, forged, []) is None


# --- p ≥ 5: reduced variables that are original angles, against a float multistart written without qnnsym -------

def su2_z_p6() -> Instance:
    """RZ on |0⟩ (idle), RY(a), RZ(b1) RZ(b2) (only b1 + b2 matters), RY(c), RZ(d) (idle for the Z readout);
    energy of Z: E = cos 2a cos 2c − sin 2a sin 2c cos 2(b1 + b2) (1-qubit EfficientSU2 with two redundant angles
    added)."""
    return Instance(QNN.from_paulis(["Z0", "Y0", "Z0", "Z0", "Y0", "Z0"], 1), PauliSum.from_labels(1, {"Z0": 1}),
                    Dataset((Sample.from_vector(["1", "0"], "0"),)), objective="energy", name="su2_z_p6")


def _numpy_energy(gates: list[str], theta) -> float:
    """⟨0|U(θ)† Z U(θ)|0⟩ with U = Π exp(−iθ_l P_l), by 2 × 2 matrices (no qnnsym)."""
    P = {"Y": np.array([[0, -1j], [1j, 0]]), "Z": np.diag([1.0 + 0j, -1.0])}
    psi = np.array([1.0 + 0j, 0.0])
    for g, t in zip(gates, theta):
        psi = (np.cos(t) * np.eye(2) - 1j * np.sin(t) * P[g[0]]) @ psi
    return float(np.real(np.conj(psi) @ P["Z"] @ psi))


def test_reduced_variables_are_original_angles_p6():
    """Hand-derived: the loss depends on θ2, θ3 + θ4, θ5 (θ1 and θ6 idle); the reduced variables are those angles
    (not the Hermite basis' mixtures), and L̃ = cos A cos C − sin A sin C cos B."""
    L = loss_poly(su2_z_p6())
    red = reduce_loss(L)
    assert red.equations() == ["y1 = θ2", "y2 = θ3 + θ4", "y3 = θ5"] and red.idle == (0, 5)
    assert red.divisors == (1, 1, 1) and red.components == 1
    assert red.reduced == TrigPoly(3, {(1, 0, 1): 1, (-1, 1, -1): -1}, omega=2)
    assert len(red.reduced.terms) <= len(L.terms)          # the Hermite basis (y1 = θ2 + θ5, y3 = 2θ5) had 6


def test_su2_z_p6_components_agree_with_a_float_multistart():
    """The table of the p = 6 circuit: every component a 4-dimensional manifold (1 of L̃ + 3 flat directions),
    minimum manifolds at −1 (global, no spurious one), maximum manifolds at +1, nothing else critical (hand:
    E = n·ẑ, a Bloch vector).  A numpy L-BFGS-B multistart (40 starts) ends at −1 every time, on a point whose
    reduced coordinates y = Aθ lie on a listed minimum component (its generators vanish there)."""
    import sympy
    from scipy.optimize import minimize

    gates = ["Z0", "Y0", "Z0", "Z0", "Y0", "Z0"]
    inst = su2_z_p6()
    rng = np.random.default_rng(4)
    for th in rng.uniform(0, 2 * np.pi, (5, 6)):       # the simulation is the model
        assert abs(_numpy_energy(gates, th) - loss_poly(inst)(th)) < 1e-12
    t = critical_table(inst)
    assert t.status == "complete" and t.complete and t.certification == "exact"
    comps = [c for c in t.components.components if c.real]
    assert {(c.kind, c.value) for c in comps} == {("minimum manifold", -1), ("maximum manifold", 1)}
    assert all(c.dimension == 4 for c in comps) and t.counts["spurious_minima"] == 0
    assert all(c.is_global == (c.value == -1) for c in comps)
    A = np.array([[float(a) for a in row] for row in t.reduction.theta_matrix])
    names = sympy.symbols("c1 s1 c2 s2 c3 s3")
    gens = [[sympy.lambdify(names, sympy.sympify(g)) for g in c.basis] for c in comps if c.value == -1]
    for _ in range(40):
        r = minimize(lambda th: _numpy_energy(gates, th), rng.uniform(0, 2 * np.pi, 6), method="L-BFGS-B",
                     options={"gtol": 1e-12, "ftol": 1e-15})
        assert abs(r.fun + 1) < 1e-8
        cs = [float(f(2 * y)) for y in A @ r.x for f in (np.cos, np.sin)]     # φ = ω̃ y, ω̃ = 2
        assert any(max(abs(float(g(*cs))) for g in G) < 1e-3 for G in gens)   # position error ~ √(value error)


def idle_rz_rz_energy_p5() -> Instance:
    """p = 5, energy of H = Z0 + X0X1/2 + X1/3 on |00⟩: an RZ on |0⟩ (idle), RY0(a), RY1(b), RZ1 RZ1 (only
    their sum c matters).  By hand: E = cos 2a + (sin 2a / 2 + 1/3) sin 2b cos 2c; the reduced loss is not Morse
    (at sin 2b = 0 the angle c is flat: the Bloch azimuth), so its table is one of components."""
    return Instance(QNN.from_paulis(["Z0", "Y0", "Y1", "Z1", "Z1"], 2),
                    PauliSum.from_labels(2, {"Z0": 1, "X0 X1": "1/2", "X1": "1/3"}),
                    Dataset((Sample.from_vector(["1", "0", "0", "0"], "0"),)), objective="energy", name="p5")


def test_p5_components_with_algebraic_values_agree_with_a_float_multistart():
    """The p = 5 table is complete: its isolated points (in L̃) have algebraic values, decided by their certified
    enclosures; one positive-dimensional component has no real point (|sin 2b cos 2c| would exceed 1), proven by
    interval exclusion.  Minima: the two manifolds at E = −1.45136732208… (y = (θ2, θ3, θ4 + θ5) = (1.33897…,
    π/4 or 3π/4, π/2 or 0)), equal by symmetry but not proven equal, so 'global' stays undecided.  A plain
    float multistart (hand formula, 60 L-BFGS-B starts) ends on one of them every time."""
    from scipy.optimize import minimize

    t = critical_table(idle_rz_rz_energy_p5())
    assert t.status == "complete" and t.complete and t.reduction.equations() == ["y1 = θ2", "y2 = θ3",
                                                                                 "y3 = θ4 + θ5"]
    comps = [c for c in t.components.components if c.real]
    mins = [c for c in comps if c.kind.startswith("minimum")]
    assert len(mins) == 2 and all(c.dimension == 2 and c.value is None for c in mins)
    assert all(abs(float(c.enclosure[0]) + 1.45136732208) < 1e-10 for c in mins)
    assert sum(c.kind.startswith("saddle") for c in comps) == 12 and sum(c.kind.startswith("max") for c in comps) == 2
    assert any(c.real is False and c.dimension > 0 for c in t.components.components)
    ys = [np.array(c.theta)[[1, 2, 3]] + np.array([0, 0, c.theta[4]]) for c in mins]    # y = Aθ

    def E(th):
        a, b, c = th[1], th[2], th[3] + th[4]
        return np.cos(2 * a) + (np.sin(2 * a) / 2 + 1 / 3) * np.sin(2 * b) * np.cos(2 * c)

    L = loss_poly(idle_rz_rz_energy_p5())
    rng = np.random.default_rng(7)
    for th in rng.uniform(0, 2 * np.pi, (3, 5)):
        assert abs(E(th) - L(th)) < 1e-12
    for _ in range(60):
        r = minimize(E, rng.uniform(0, 2 * np.pi, 5), method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
        assert abs(r.fun + 1.45136732208) < 1e-8
        y = np.array([r.x[1], r.x[2], r.x[3] + r.x[4]])
        assert any(np.max(np.abs(np.mod(y - y0 + np.pi / 2, np.pi) - np.pi / 2)) < 1e-3 for y0 in ys)
