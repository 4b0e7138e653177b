
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import pauli_keys, pauli_sums

from qnnsym import GaussianRational, PauliSum, ValidationError, format_scalar, parse_scalar
from qnnsym.exact.opmatrix import OpMatrix
from qnnsym.exact.paulis import (commutes, parse_pauli_string, pauli_label, pauli_matrix, pauli_product,
                                 pauli_sum_from_matrix)


@given(st.fractions(), st.fractions())
def test_scalar_round_trip(a, b):
    x = parse_scalar(GaussianRational(a, b))
    assert parse_scalar(format_scalar(x)) == x


@pytest.mark.parametrize("bad", ["abc", "1/", "2 3", "", "1/0", "3*", True])
def test_scalar_errors_name_the_field(bad):
    with pytest.raises(ValidationError, match="^coeff"):
        parse_scalar(bad, "coeff")


def test_float_input_is_inexact():
    assert isinstance(parse_scalar("0.25"), float)
    assert isinstance(parse_scalar("1.5 - 2*I"), complex)


@given(st.data())
def test_pauli_product_matches_matrices(data):
    n = data.draw(st.integers(1, 3))
    a, b = data.draw(pauli_keys(n, False)), data.draw(pauli_keys(n, False))
    g, c = pauli_product(a, b)
    A, B = pauli_matrix(a, n), pauli_matrix(b, n)
    assert np.allclose(A @ B, (1j) ** g * pauli_matrix(c, n))
    assert commutes(a, b) == np.allclose(A @ B, B @ A)


@given(st.data())
def test_pauli_sum_product_and_exact_matrix(data):
    n = data.draw(st.integers(1, 2))
    a, b = data.draw(pauli_sums(n)), data.draw(pauli_sums(n))
    re, im = a.product(b)
    assert np.allclose(a.to_matrix() @ b.to_matrix(), re.to_matrix() + 1j * im.to_matrix())
    exact = OpMatrix.from_pauli_sum(a)
    assert np.allclose(exact.to_numpy(), a.to_matrix())
    assert pauli_sum_from_matrix(exact, n) == a
    floats = pauli_sum_from_matrix(OpMatrix.from_numpy(a.to_matrix()), n)      # float path (numpy transform)
    assert set(floats) == set(a) and all(abs(floats[k] - float(a[k])) < 1e-12 for k in a)
    assert a.inner(b) == (exact @ OpMatrix.from_pauli_sum(b)).trace()


def test_pauli_sum_from_matrix_rejects_non_hermitian():
    with pytest.raises(ValidationError, match="not Hermitian"):
        pauli_sum_from_matrix([[0, 1], [0, 0]], 1)
    with pytest.raises(ValidationError, match="not Hermitian"):
        pauli_sum_from_matrix(OpMatrix.from_numpy(np.array([[0, 1.0], [0, 0]])), 1)


def test_pauli_labels():
    assert parse_pauli_string("X0 Y2", 3) == parse_pauli_string("XIY", 3) == (5, 4)
    assert pauli_label((5, 4), 3) == "X0 Y2"
    with pytest.raises(ValidationError, match="out of range"):
        parse_pauli_string("Z5", 2)
    with pytest.raises(ValidationError, match="twice"):
        parse_pauli_string("Z0 X0", 2)
    with pytest.raises(ValidationError, match="complex coefficient"):
        PauliSum.from_labels(1, {"X0": "I"})


def test_opmatrix_exact_spectral_facts():
    m = OpMatrix.from_rows([[1, "1/2 - I"], ["1/2 + I", 2]])
    assert m.is_hermitian() and m.is_psd()
    assert not OpMatrix.from_rows([[1, "1/2 - I"], ["1/2 + I", 1]]).is_psd()   # det = -1/4
    assert OpMatrix.from_rows([[0, 0], [0, 0]]).is_psd()
    assert OpMatrix.from_rows([[1, 1, 1], [1, 1, 1], [1, 1, 1]]).integer_spectrum() == [0, 0, 3]
    assert OpMatrix.from_rows([[0, "1/2"], ["1/2", 0]]).integer_spectrum() is None
