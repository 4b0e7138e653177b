from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from qnnsym import TrigPoly, ValidationError, h_to_xi, xi_to_h

fr = st.fractions(min_value=-3, max_value=3, max_denominator=6)


@st.composite
def trigpolys(draw, p=None, deg=2):
    p = p or draw(st.integers(1, 3))
    k = draw(st.integers(0, 6))
    terms = {tuple(draw(st.integers(-deg, deg)) for _ in range(p)): draw(fr) for _ in range(k)}
    return TrigPoly(p, terms)


@st.composite
def pairs(draw):
    p = draw(st.integers(1, 3))
    return draw(trigpolys(p)), draw(trigpolys(p))


pts = np.random.default_rng(0).uniform(-4, 4, (6, 3))


@given(pairs())
def test_arithmetic_matches_floats(ab):
    a, b = ab
    th = pts[:, :a.p]
    assert np.allclose((a * b)(th), a(th) * b(th))
    assert np.allclose((a + b)(th), a(th) + b(th))
    assert np.allclose((a - b)(th), a(th) - b(th))
    assert (a * b) == (b * a)                               # exact, canonical representation


@given(trigpolys())
def test_derivatives_match_finite_differences(a):
    th = pts[:, :a.p]
    eps = 1e-6
    for l in range(a.p):
        e = np.zeros(a.p)
        e[l] = eps
        assert np.allclose(a.derivative(l)(th), (a(th + e) - a(th - e)) / (2 * eps), atol=1e-5)
    H = a.hessian(th)
    assert np.allclose(H, np.swapaxes(H, -1, -2))


@given(trigpolys())
def test_representations_agree(a):
    th = pts[:, :a.p]
    phi = 2 * th
    # complex Fourier series
    v = np.zeros(len(th), dtype=complex)
    for k, c in a.fourier().items():
        v += complex(c) * np.exp(1j * phi @ np.array(k))
    assert np.allclose(v, a(th))
    # polynomial in c = cos φ, s = sin φ
    v = np.zeros(len(th))
    for k, c in a.cs_terms().items():
        assert all(k[2 * l + 1] in (0, 1) for l in range(a.p))    # normal form mod c²+s²=1
        t = float(c) * np.ones(len(th))
        for l in range(a.p):
            t *= np.cos(phi[:, l]) ** k[2 * l] * np.sin(phi[:, l]) ** k[2 * l + 1]
        v += t
    assert np.allclose(v, a(th))
    # sympy
    sy = sympy.symbols(f"t1:{a.p + 1}", real=True)
    f = sympy.lambdify(sy, a.to_sympy(sy))
    assert np.allclose([f(*t) for t in th], a(th))


@given(trigpolys())
def test_exact_evaluation_at_rational_angles(a):
    cs = [(Fraction(3, 5), Fraction(4, 5)), (Fraction(-5, 13), Fraction(12, 13)), (Fraction(0), Fraction(-1))][:a.p]
    exact = a.evaluate_cs(cs)
    assert isinstance(exact, (Fraction, int))
    theta = np.array([np.arctan2(float(s), float(c)) / 2 for c, s in cs])
    assert abs(float(exact) - a(theta)) < 1e-9


@given(trigpolys())
def test_shift_rule(a):
    for l in range(a.p):
        s = a.shift(l)
        th = pts[:, :a.p].copy()
        th2 = th.copy()
        th2[:, l] += np.pi / 2
        assert np.allclose(s(th), a(th2))
        assert s.shift(l) == a


def test_hand_example_and_degrees():
    f = TrigPoly(1, {(0,): 1, (1,): Fraction(1, 2)})              # 1 + cos(2θ)/2
    assert (f * f).terms == {(0,): Fraction(9, 8), (1,): Fraction(1), (2,): Fraction(1, 8)}
    g = TrigPoly.from_xi(2, {(1, 2): 3})                          # 3 cos φ1 sin φ2
    assert g.coefficient_xi((1, 2)) == 3 and g.fourier_degree() == 2 and g.degrees() == (1, 1)
    assert xi_to_h((0, 1, 2)) == (0, 1, -1) and h_to_xi((0, 1, -1)) == (0, 1, 2)
    assert g.to_latex() == r"3 \cos 2\theta_{1} \sin 2\theta_{2}"
    with pytest.raises(ValidationError):
        TrigPoly(2, {(1,): 1})
    with pytest.raises(ValidationError):
        f + TrigPoly(2, {})
