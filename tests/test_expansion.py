from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from strategies import pauli_instances

from qnnsym import (QNN, Dataset, Gate, Instance, OpMatrix, PauliSum, Sample, TrigPoly, ValidationError, load_instance,
                    loss_poly, output_polys, phi, phi_terms, prop5_instance)
from qnnsym.construct.independence import cayley_unitary
from qnnsym.expansion.checks import run_checks
from qnnsym.expansion.direct import outputs_direct_exact, outputs_direct_float, phi_point
from qnnsym.model.circuit import to_opmatrix

F = Fraction


def test_single_gate_by_hand():
    # V = exp(-iθZ), M = Y: V†YV = cos2θ Y + sin2θ X, so for ρ = (I + xX + yY + zZ)/2: f = y cos2θ + x sin2θ
    Z, Y = PauliSum.string(1, "Z0"), PauliSum.string(1, "Y0")
    assert phi(0, Y, Z) == PauliSum(1, {}) and phi(1, Y, Z) == Y and phi(2, Y, Z) == PauliSum.string(1, "X0")
    rho = PauliSum.from_labels(1, {"I": "1/2", "X0": "1/6", "Y0": "1/4", "Z0": "1/8"})
    inst = Instance(QNN.from_paulis(["Z0"], 1), Y, Dataset((Sample(rho, F(1, 2)),)))
    f, = output_polys(inst)
    assert f == TrigPoly(1, {(1,): F(1, 2), (-1,): F(1, 3)})
    L = loss_poly(inst)                     # (y c + x s - 1/2)^2 with y = 1/2, x = 1/3
    assert L == (f - F(1, 2)) * (f - F(1, 2))
    assert L.fourier_degree() == 2 and L.degrees() == (2,)


def test_prop5_closed_form():
    # L = (1/2p) Σ_l [sin² u_l + r²(cos u_l - 1)²], u_l = φ_l - a_l  (docs/math.md)
    p, r = 3, F(1, 2)
    inst = prop5_instance(p, r="1/2")
    L = loss_poly(inst)
    expected = TrigPoly(p, {})
    for l, (c, s) in enumerate(inst.meta["angles"]):
        c, s = F(c), F(s)
        h = [0] * p
        hc, hs = list(h), list(h)
        hc[l], hs[l] = 1, -1
        sin_u = TrigPoly(p, {tuple(hs): c, tuple(hc): -s})        # sin(φ - a)
        cos_u = TrigPoly(p, {tuple(hc): c, tuple(hs): s})         # cos(φ - a)
        expected = expected + sin_u * sin_u + (cos_u - 1) * (cos_u - 1) * (r * r)
    assert L == expected.scale(F(1, 2 * p))
    assert L.evaluate_cs([(F(c), F(s)) for c, s in inst.meta["angles"]]) == 0


@given(pauli_instances())
def test_pauli_and_dense_engines_agree_exactly(inst):
    a = output_polys(inst, engine="pauli", picture="heisenberg")
    b = output_polys(inst, engine="pauli", picture="schrodinger")
    c = output_polys(inst, engine="dense")
    assert a == b == c
    ta = phi_terms(inst.qnn, inst.observable, "pauli")
    tc = phi_terms(inst.qnn, inst.observable, "dense")
    assert set(ta) == set(tc)
    assert all(to_opmatrix(ta[h]) == tc[h] for h in ta)


@given(pauli_instances(max_p=2))
def test_expansion_equals_direct_simulation_exactly(inst):
    pt = [(F(3, 5), F(-4, 5)), (F(-12, 13), F(5, 13))][:inst.p]
    direct = outputs_direct_exact(inst, pt)
    assert [f.evaluate_cs(phi_point(inst, pt)) for f in output_polys(inst)] == direct


@given(pauli_instances())
def test_identity_checks_hold(inst):
    assert all(r.passed for r in run_checks(inst, n_points=2))


def _cayley_two_level(A: OpMatrix, d: int) -> OpMatrix:
    """W H W† with the exact Cayley unitary W of A, H = diag(±1): exactly two-level."""
    W = cayley_unitary(A)
    H = OpMatrix.from_rows([[(1 if i < d // 2 else -1) if i == j else 0 for j in range(d)] for i in range(d)])
    return W @ H @ W.adjoint()


def test_dense_hermitian_generators_exact():
    rng = np.random.default_rng(3)
    d = 4
    gens = []
    for _ in range(2):
        a = rng.integers(-2, 3, (d, d))
        b = rng.integers(-2, 3, (d, d))
        rows = [[F(int(a[i, j] + a[j, i]), 2) if i == j else None for j in range(d)] for i in range(d)]
        from qnnsym import GaussianRational
        for i in range(d):
            for j in range(d):
                if i != j:
                    re, im = F(int(a[i, j] + a[j, i]), 2), F(int(b[i, j] - b[j, i]), 2)
                    rows[i][j] = GaussianRational(re, im)
        gens.append(Gate(_cayley_two_level(OpMatrix.from_rows(rows), d)))
    M = OpMatrix.from_pauli_sum(PauliSum.from_labels(2, {"Z0": 1, "X1": "1/2"}))
    rho = OpMatrix.from_pauli_sum(PauliSum.from_labels(2, {"I": "1/4", "Y0": "1/8", "X0 Z1": "1/8"}))
    inst = Instance(QNN(tuple(gens)), M, Dataset((Sample(rho, F(1, 3)),)))
    assert all(r.passed for r in run_checks(inst))


def test_integer_spectrum_and_fixed_gates_examples():
    for path in ("examples/spin1.json", "examples/two_qubit.json"):
        inst = load_instance(path)
        assert all(r.passed for r in run_checks(inst)), path
    spin = load_instance("examples/spin1.json")
    assert loss_poly(spin).degrees() == (4, 2)            # gaps 2 (ω=1) and 3 (ω=3): loss degrees 2Δ/ω


def test_float_path_agrees_with_exact():
    inst = load_instance("examples/two_qubit.json")
    exact = output_polys(inst)
    th = np.random.default_rng(0).uniform(0, 6, (5, inst.p))
    assert np.allclose(np.stack([f(th) for f in exact], 1), outputs_direct_float(inst, th), atol=1e-12)


def test_engine_errors():
    inst = load_instance("examples/spin1.json")
    with pytest.raises(ValidationError, match="Pauli engine"):
        phi_terms(inst.qnn, inst.observable, "pauli")
    h = Instance(QNN((Gate(OpMatrix.from_rows([[1, 0], [0, "1/2"]]), "hermitian"),)), OpMatrix.from_rows([[1, 0], [0, 0]]),
                 Dataset((Sample(OpMatrix.from_rows([["1/2", 0], [0, "1/2"]]), 0),)))
    with pytest.raises(ValidationError, match="no finite Fourier expansion"):
        loss_poly(h)


def test_prop5_large_p_is_fast_and_right():
    inst = prop5_instance(16)
    L = loss_poly(inst)
    assert len(L.terms) == 4 * 16 + 1 and L.fourier_degree() == 2


def _diag_conjugate(D, d, seed):
    """W D W† with an exact Cayley unitary W (rational Hermitian A): exact integer spectrum D."""
    rng = np.random.default_rng(seed)
    from qnnsym import GaussianRational
    rows = [[None] * d for _ in range(d)]
    for i in range(d):
        for j in range(i, d):
            if i == j:
                rows[i][j] = F(int(rng.integers(-2, 3)))
            else:
                re, im = F(int(rng.integers(-2, 3)), 2), F(int(rng.integers(-2, 3)), 2)
                rows[i][j] = GaussianRational(re, im)
                rows[j][i] = GaussianRational(re, -im)
    W = cayley_unitary(OpMatrix.from_rows(rows))
    Dm = OpMatrix.from_rows([[D[i] if i == j else 0 for j in range(d)] for i in range(d)])
    return W @ Dm @ W.adjoint()


@pytest.mark.parametrize("spectra,seed", [([(0, 1, 3), (-1, 1, 1)], 0), ([(2, -2, 0), (0, 0, 4)], 1), ([(-1, 1, 2)], 2)])
def test_integer_spectrum_generators_exact(spectra, seed):
    d = 3
    gens = tuple(Gate(_diag_conjugate(D, d, seed + i), "integer-spectrum") for i, D in enumerate(spectra))
    assert [g.spectrum for g in gens] == [tuple(sorted(set(D))) for D in spectra]
    M = OpMatrix.from_rows([[1, "1/2", 0], ["1/2", 0, "I"], [0, "-I", -1]])
    rho = OpMatrix.from_rows([["1/2", "1/8", 0], ["1/8", "1/4", 0], [0, 0, "1/4"]])
    inst = Instance(QNN(gens), M, Dataset((Sample(rho, F(1, 5)),)))
    assert all(r.passed for r in run_checks(inst, n_points=2)), run_checks(inst)
    L = loss_poly(inst)
    for g, deg in zip(gens, L.degrees()):
        assert deg <= 2 * g.max_gap // g.omega            # loss frequencies reach 2Δ per coordinate


def test_inexact_instance_uses_floats_and_agrees():
    exact = prop5_instance(3)
    from qnnsym import instance_from_dict, instance_to_dict
    d = instance_to_dict(exact)
    for s in d["samples"]:
        s["label"] = float(F(s["label"]))                 # a float label makes the instance inexact
    inexact = instance_from_dict(d)
    assert not inexact.exact
    Le, Lf = loss_poly(exact), loss_poly(inexact)
    assert not Lf.exact and set(Le.terms) == set(Lf.terms)
    assert max(abs(float(Le.terms[h]) - Lf.terms[h]) for h in Le.terms) < 1e-15
