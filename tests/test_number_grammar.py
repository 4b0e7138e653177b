"""The number strings users and sympy print (docs/instance-format.md, "Numbers")."""
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from qnnsym import GaussianRational, ValidationError, parse_scalar


@pytest.mark.parametrize("text,value", [
    ("524400*I/2390329", GaussianRational(Fraction(0), Fraction(524400, 2390329))),
    ("(3 + 4*I)/5", GaussianRational(Fraction(3, 5), Fraction(4, 5))),
    ("-1/2*I", GaussianRational(Fraction(0), Fraction(-1, 2))),
    ("-I/2", GaussianRational(Fraction(0), Fraction(-1, 2))),
    ("3/5 + 4*I/5", GaussianRational(Fraction(3, 5), Fraction(4, 5))),
    ("1/(1 + I)", GaussianRational(Fraction(1, 2), Fraction(-1, 2))),
    ("2*(1/3)", Fraction(2, 3)), ("-(1/2)", Fraction(-1, 2)), ("7", Fraction(7)), ("2I", GaussianRational(0, 2)),
])
def test_exact_forms(text, value):
    assert parse_scalar(text) == value


def test_python_complex_strings_are_inexact():
    assert parse_scalar("0.5+0.25j") == complex(0.5, 0.25) and isinstance(parse_scalar("0.5+0.25j"), complex)
    assert parse_scalar(str(complex(1, 2))) == complex(1, 2)         # "(1+2j)"
    assert isinstance(parse_scalar("1j"), complex)


@given(st.fractions(max_denominator=10 ** 6), st.fractions(max_denominator=10 ** 6))
def test_sympy_printing_round_trips(a, b):
    z = sympy.Rational(a.numerator, a.denominator) + sympy.I * sympy.Rational(b.numerator, b.denominator)
    got = parse_scalar(str(z))
    assert got == (GaussianRational(a, b) if b else a)


@pytest.mark.parametrize("bad", ["2**2", "sqrt(2)", "((1)", "1+", "()", "nan", "1/(1-1)", "(" * 60 + "1" + ")" * 60])
def test_refused(bad):
    with pytest.raises(ValidationError, match="^x: "):
        parse_scalar(bad, "x")
