"""Definition 1 (linear independence), the random model of eq. 21 and the Theorem-6 study."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qnnsym.construct.independence import (cayley_qnn, cayley_unitary, dimension_condition, expected_keys, gram_matrix,
                                           gram_stats, haar_qnn, haar_unitary, independence, phi_stack,
                                           random_rational_hermitian, theorem6_study)
from qnnsym.errors import ValidationError
from qnnsym.exact.opmatrix import OpMatrix
from qnnsym.exact.paulis import PauliSum
from qnnsym.expansion.phi import phi_terms
from qnnsym.model.circuit import QNN, TWO_LEVEL, Gate
from qnnsym.model.instances import prop5_instance


def test_dimension_condition_first_and_clear():
    ok, msg = dimension_condition(4, 26, 3)
    assert not ok and "15 < 26" in msg and "3^3 - 1" in msg
    q, M = cayley_qnn(4, 3, seed=0)
    rep = independence(q, M)
    assert not rep.independent and not rep.dimension_ok and rep.method == "dimension" and rep.exact_rank is None
    assert dimension_condition(8, 26, 3)[0]


@pytest.mark.parametrize("p", [1, 2, 3])
def test_prop5_product_is_orthogonal_and_independent(p):
    # Prop. 5: tr(Φ_ξ Φ_ξ') = 0 for ξ ≠ ξ', so the Gram matrix is diagonal (here 2^p·I for M = ⊗(Y + I))
    inst = prop5_instance(p)
    keys, G, _ = gram_matrix(inst.qnn, inst.observable)
    K = 3 ** p - 1
    assert len(keys) == K
    assert G.tolist() == [[2 ** p if i == j else 0 for j in range(K)] for i in range(K)]
    rep = independence(inst)
    assert rep.independent and rep.exact_rank == K and rep.gershgorin and rep.condition == pytest.approx(1.0)


def test_dependent_qnn_detected_exactly():
    # two rotations about the same axis: only θ1 + θ2 matters, so the operators are dependent
    q = QNN.from_paulis(["Z0", "Z0"], 2)
    M = PauliSum.from_labels(2, {"Y0": 1, "X1": 1})
    rep = independence(q, M)
    assert rep.dimension_ok and not rep.independent and rep.method == "exact"
    assert rep.exact_rank < rep.n_ops and rep.zero_terms  # e.g. the Φ with both ξ_l = 2 ... vanish / coincide
    assert "vanish" in rep.reason or "singular" in rep.reason


def test_exact_and_float_reports_agree():
    q, M = cayley_qnn(8, 2, seed=4)
    ex = independence(q, M)
    qf = QNN(tuple(Gate(OpMatrix(8, arr=g.generator.to_numpy()), TWO_LEVEL) for g in q.gates), dim=8)
    fl = independence(qf, OpMatrix(8, arr=M.to_numpy()))
    assert ex.method == "exact" and fl.method == "numeric"
    assert ex.independent and fl.independent and ex.exact_rank == 8
    assert fl.lambda_min == pytest.approx(ex.lambda_min, rel=1e-9)
    assert fl.condition == pytest.approx(ex.condition, rel=1e-9)


def test_bad_tolerance_rejected():
    with pytest.raises(ValidationError, match="tol"):
        independence(prop5_instance(1), tol=2.0)


def test_cayley_is_exactly_unitary_and_two_level():
    rng = np.random.default_rng(3)
    A = random_rational_hermitian(6, rng, bound=3)
    W = cayley_unitary(A)
    assert W.adjoint() @ W == OpMatrix.identity(6)
    q, M = cayley_qnn(6, 2, seed=1)  # Gate validation checks H² = I and tr H = 0 exactly
    assert q.exact and M.exact and M.trace() == 0 and M @ M == OpMatrix.identity(6)


@given(st.integers(1, 4), st.integers(0, 10 ** 6))
def test_cayley_unitary_property(d, seed):
    A = random_rational_hermitian(d, np.random.default_rng(seed), bound=2)
    W = cayley_unitary(A)
    assert W @ W.adjoint() == OpMatrix.identity(d)


def test_haar_phase_correction_unbiased():
    rng = np.random.default_rng(0)
    U = haar_unitary(2, rng, size=4000)
    assert np.allclose(np.einsum("sji,sjk->sik", U.conj(), U), np.eye(2), atol=1e-12)
    # Haar: E[U_00] = 0 and E|U_00|² = 1/2; plain QR (R with positive diagonal convention) is biased
    assert abs(U[:, 0, 0].mean()) < 0.05
    assert np.mean(np.abs(U[:, 0, 0]) ** 2) == pytest.approx(0.5, abs=0.03)


def test_phi_stack_matches_dense_engine():
    rng = np.random.default_rng(5)
    q = haar_qnn(4, 2, rng)
    M = np.diag([1.0, 1.0, -1.0, -1.0]).astype(complex)
    stack = phi_stack(np.array([g.generator.to_numpy() for g in q.gates])[None], M)[0]
    terms = phi_terms(q, OpMatrix(4, arr=M))
    digit = {0: 0, 1: 1, -1: 2}
    for h, op in terms.items():
        idx = digit[h[0]] * 3 + digit[h[1]]
        assert np.allclose(stack[idx], op.to_numpy(), atol=1e-12)
    # and the study's Gram matrix equals gram_matrix's
    keys, G, _ = gram_matrix(q, OpMatrix(4, arr=M), exact=False)
    A = stack[1:].reshape(8, 16)
    order = [digit[h[0]] * 3 + digit[h[1]] - 1 for h in keys]
    Gs = (A @ A.conj().T).real[np.ix_(order, order)]
    assert np.allclose(Gs, G, atol=1e-10)


@given(st.integers(2, 6), st.integers(0, 10 ** 6))
def test_gershgorin_implies_positive_definite(K, seed):
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((K, K + 2))
    G = B @ B.T
    s = gram_stats(G)
    if s["gershgorin"] or s["gershgorin_scaled"]:
        assert s["lambda_min"] > 0


def test_theorem6_study_reproducible_and_sane():
    a = theorem6_study([4, 8], [1, 2, 3], samples=30, seed=7, progress=False)
    b = theorem6_study([4, 8], [1, 2, 3], samples=30, seed=7, progress=False)
    strip = [{k: v for k, v in r.items() if k != "seconds"} for r in a]
    assert strip == [{k: v for k, v in r.items() if k != "seconds"} for r in b]
    cell = {(r["d"], r["p"]): r for r in a}
    assert cell[(4, 3)]["dim_condition"] is False and cell[(4, 3)]["samples"] == 0
    assert cell[(8, 3)]["samples"] == 30
    # p = 1: Φ^(1), Φ^(2) are orthogonal with equal norms (Φ^(2) = iHΦ^(1)), so the Gram is a multiple of I
    assert cell[(8, 1)]["cond_median"] == pytest.approx(1.0)
    assert cell[(8, 1)]["frac_gershgorin"] == 1.0
    for r in a:
        if r["samples"]:
            assert r["frac_gershgorin"] <= r["frac_independent"]
            assert r["frac_gershgorin_scaled"] <= r["frac_independent"]


def test_expected_keys_integer_spectrum():
    from qnnsym.construct.integer_spectrum import integer_spectrum_qnn

    q, _, J = integer_spectrum_qnn(1, "spin1")
    assert J == 2 and sorted(expected_keys(q)) == [(-2,), (-1,), (1,), (2,)]
