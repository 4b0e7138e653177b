"""Exact and inexact scalars: parsing and printing.

Exact numbers are :class:`fractions.Fraction` (real) or :class:`GaussianRational`
(complex, both parts rational).  Python ``float``/``complex`` are accepted as well
but make everything they touch *inexact*; results say so.

Numbers in instance files are strings such as ``"3/5"``, ``"-2"``, ``"1/2 - 1/3*I"``;
JSON numbers are also accepted (integers are exact, non-integral floats are not).
"""
from __future__ import annotations

import cmath
import re
import sys
from contextlib import contextmanager
from fractions import Fraction
from typing import NamedTuple, Union

from ..errors import ValidationError
from ..validate import MAX_DIGITS

__all__ = ["GRAMMAR", "MAX_FLOAT", "GaussianRational", "Scalar", "parse_scalar", "real_scalar", "format_scalar", "is_exact", "to_complex",
           "as_fraction", "long_integers"]


class GaussianRational(NamedTuple):
    """An exact complex number ``re + i*im`` with rational parts."""

    re: Fraction
    im: Fraction

    def conjugate(self) -> "GaussianRational":
        return GaussianRational(self.re, -self.im)

    def __complex__(self) -> complex:
        return complex(float(self.re), float(self.im))


Scalar = Union[int, Fraction, GaussianRational, float, complex]

def parse_scalar(value: object, field: str = "value") -> Scalar:
    """Parse an exact or float scalar.

    Parameters
    ----------
    value : str, int, float, Fraction, GaussianRational or complex
        ``"3/5"``, ``"1/2 - 1/3*I"``, ``"I"``, ``"-2*I"``, ``7``, ``0.25`` ...
    field : str
        Name of the field, used in error messages.

    Returns
    -------
    Fraction, GaussianRational, float or complex
        A ``Fraction`` for exact reals, a ``GaussianRational`` for exact complex numbers
        with non-zero imaginary part, ``float``/``complex`` for inexact input.

    Raises
    ------
    ValidationError
        If the value is not a number, or not a finite one (NaN and infinities are refused).

    Examples
    --------
    >>> parse_scalar("3/5")
    Fraction(3, 5)
    >>> parse_scalar("1/2 - 1/3*I")
    GaussianRational(re=Fraction(1, 2), im=Fraction(-1, 3))
    >>> parse_scalar("0.5")
    0.5
    """
    if isinstance(value, bool):
        raise ValidationError(field, f"got a boolean {value!r}", expected="a number like \"3/5\" or \"1/2 - I\"")
    if isinstance(value, (float, complex)):
        return _finite(value.real if isinstance(value, complex) and value.imag == 0 else value, field)
    if isinstance(value, (Fraction, GaussianRational)):
        return value.re if isinstance(value, GaussianRational) and value.im == 0 else value
    if isinstance(value, int):
        return Fraction(value)
    if not isinstance(value, str):
        try:  # sympy numbers, numpy scalars, flint fmpq ...
            import sympy

            v = sympy.nsimplify(value) if not isinstance(value, sympy.Basic) else value
            re_, im_ = sympy.Rational(sympy.re(v)), sympy.Rational(sympy.im(v))
            return parse_scalar(GaussianRational(Fraction(int(re_.p), int(re_.q)), Fraction(int(im_.p), int(im_.q))))
        except Exception:
            raise ValidationError(field, f"cannot read {value!r} as a number",
                                  expected="a string like \"3/5\" or \"1/2 - 1/3*I\", an int or a float") from None
    if re.search(r"[\d.]\s+[\d.]", value):
        raise ValidationError(field, f"cannot read {value!r} as a number", expected="a single number like \"3/5\"")
    s = value.replace(" ", "").replace("\t", "")
    if not s:
        raise ValidationError(field, "empty string", expected="a number like \"3/5\"")
    re_part, im_part = _Reader(s, value, field).parse()
    if isinstance(re_part, float) or isinstance(im_part, float):
        return _finite(complex(float(re_part), float(im_part)) if im_part != 0 else float(re_part), field, value)
    if im_part == 0:
        return re_part
    return GaussianRational(re_part, im_part)


#: what a number string may be (``docs/instance-format.md``, "Numbers")
GRAMMAR = """number  := sum
sum     := [+|-] product { (+|-) product }
product := factor { (*|/) factor }
factor  := (+|-) factor | atom
atom    := NUMBER [I|j] | I | ( sum )
NUMBER  := integer | decimal (1.5, .5, 1e-3)
exact unless a decimal or a Python j-suffix appears (0.5+0.25j and (1+2j) are inexact)"""

_TOKEN = re.compile(r"(\d*\.\d+(?:[eE][-+]?\d+)?|\d+\.\d*(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\d+)([jJ]?)|([-+*/()I])")
_MAX_DEPTH = 50


class _Reader:
    """Recursive-descent reader of :data:`GRAMMAR` over pairs ``(re, im)`` (Fractions, or floats once a
    decimal appears); ``I`` and a ``j`` suffix are the imaginary unit (sympy's and Python's)."""

    def __init__(self, s: str, text: str, field: str):
        self.toks: list = []
        pos = 0
        while pos < len(s):
            m = _TOKEN.match(s, pos)
            if not m:
                self._fail(text, field)
            if m.group(1) is not None:
                num = m.group(1)
                if len(num) > MAX_DIGITS:
                    raise ValidationError(field, f"a number of {len(num)} digits",
                                          expected=f"at most {MAX_DIGITS} digits per literal",
                                          fix="use a number of reasonable size")
                val = Fraction(num) if num.isdigit() and not m.group(2) else float(num)   # 1j: Python's float complex
                self.toks.append(("num", (Fraction(0), val) if m.group(2) else (val, Fraction(0))))
            elif m.group(3) == "I":
                self.toks.append(("num", (Fraction(0), Fraction(1))))
            else:
                self.toks.append((m.group(3), None))
            pos = m.end()
        self.i, self.text, self.field, self.depth = 0, text, field, 0

    def _fail(self, text=None, field=None, why=""):
        text = self.text if text is None else text
        raise ValidationError(field or self.field, f"cannot read {text!r} as a number{why}",
                              expected='a string like "3/5", "-2", "0.25", "1/2 - 1/3*I", "(3 + 4*I)/5" or "0.5+0.25j"')

    def _peek(self):
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def parse(self):
        v = self._sum()
        if self.i != len(self.toks):
            self._fail(why=" (missing + or -)" if self._peek() in ("num", "(") else "")
        return v

    def _sum(self):
        v = self._product()
        while self._peek() in ("+", "-"):
            op = self.toks[self.i][0]
            self.i += 1
            w = self._product()
            v = (v[0] + w[0], v[1] + w[1]) if op == "+" else (v[0] - w[0], v[1] - w[1])
        return v

    def _product(self):
        v = self._factor()
        while True:
            nxt = self._peek()
            if nxt in ("*", "/"):
                self.i += 1
                w = self._factor()
            elif nxt == "num" and self.toks[self.i][1] == (Fraction(0), Fraction(1)):   # "2I": 2*I
                w = self._factor()
                nxt = "*"
            else:
                return v
            if nxt == "*":
                v = (v[0] * w[0] - v[1] * w[1], v[0] * w[1] + v[1] * w[0])
            else:
                den = w[0] * w[0] + w[1] * w[1]
                if den == 0:
                    raise ValidationError(self.field, f"division by zero in {self.text!r}")
                v = ((v[0] * w[0] + v[1] * w[1]) / den, (v[1] * w[0] - v[0] * w[1]) / den)

    def _factor(self):
        t = self._peek()
        if t in ("+", "-"):
            self.i += 1
            v = self._factor()
            return (-v[0], -v[1]) if t == "-" else v
        if t == "num":
            self.i += 1
            return self.toks[self.i - 1][1]
        if t == "(":
            self.depth += 1
            if self.depth > _MAX_DEPTH:
                self._fail(why=f" (more than {_MAX_DEPTH} nested parentheses)")
            self.i += 1
            v = self._sum()
            if self._peek() != ")":
                self._fail(why=" (unbalanced parentheses)")
            self.i += 1
            self.depth -= 1
            return v
        self._fail()


#: largest magnitude of an inexact (float) input: a few products of such numbers stay finite in floats
MAX_FLOAT = 1e100


def _finite(x: complex, field: str, text: object = None) -> complex:
    """``x`` unless it is NaN or infinite (JSON ``NaN``/``Infinity``, ``1e999``, ``float("nan")``), or a float
    so large (``|x| > MAX_FLOAT``) that the products of an expansion would overflow to ``inf``/NaN."""
    shown = text if text is not None else repr(x)
    if not cmath.isfinite(x):
        raise ValidationError(field, f"{shown} is not a finite number", expected="a finite number like \"3/5\" or 0.25")
    if abs(x) > MAX_FLOAT:
        raise ValidationError(field, f"{shown} is too large for floating-point arithmetic",
                              expected=f"|x| ≤ {MAX_FLOAT:g} for a decimal number",
                              fix="write it exactly, as an integer or a fraction string")
    return x


def real_scalar(value: object, field: str = "value") -> Fraction | float:
    """:func:`parse_scalar` restricted to real numbers (labels, angles); exact input gives a ``Fraction``.

    >>> real_scalar("2/6"), real_scalar(1)
    (Fraction(1, 3), Fraction(1, 1))
    """
    x = parse_scalar(value, field)
    if isinstance(x, (GaussianRational, complex)):
        raise ValidationError(field, f"complex number {format_scalar(x)}", expected="a real number")
    return x


def is_exact(x: Scalar) -> bool:
    """True for ``int``, ``Fraction`` and ``GaussianRational``."""
    return isinstance(x, (int, Fraction, GaussianRational))


def as_fraction(x: Scalar, field: str = "value") -> Fraction:
    """Return ``x`` as a Fraction, or raise if it is complex or inexact."""
    x = parse_scalar(x, field)
    if isinstance(x, Fraction):
        return x
    raise ValidationError(field, f"{format_scalar(x)} is not an exact real number",
                          expected="an exact rational such as \"3/5\"")


def to_complex(x: Scalar) -> complex:
    """Float value of any scalar."""
    if isinstance(x, GaussianRational):
        return complex(x)
    return complex(x)


def format_scalar(x: Scalar) -> str:
    """Inverse of :func:`parse_scalar` for exact values (round-trips exactly).

    Examples
    --------
    >>> format_scalar(GaussianRational(Fraction(1, 2), Fraction(-1, 3)))
    '1/2 - 1/3*I'
    >>> format_scalar(Fraction(-3, 5))
    '-3/5'
    """
    if isinstance(x, GaussianRational):
        if x.im == 0:
            return format_scalar(x.re)
        im = x.im
        sign = "-" if im < 0 else "+"
        mag = abs(im)
        im_s = "I" if mag == 1 else f"{mag}*I"
        if x.re == 0:
            return ("-" if im < 0 else "") + im_s
        return f"{x.re} {sign} {im_s}"
    if isinstance(x, complex):
        if x.imag == 0:
            return repr(x.real)
        return f"{x.real!r} {'-' if x.imag < 0 else '+'} {abs(x.imag)!r}*I"
    if isinstance(x, float):
        return repr(x)
    return str(Fraction(x))


@contextmanager
def long_integers():
    """Within the block, integers of any size convert to strings (exact results: a rational univariate
    representation can have coefficients of more than the 4300 digits Python ≥ 3.11 prints by default).  Input
    is unaffected in practice: every number qnnsym parses has at most :data:`~qnnsym.validate.MAX_DIGITS` digits.

    >>> with long_integers():
    ...     len(str(10 ** 5000))
    5001
    """
    old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
    if old is not None:
        sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        if old is not None:
            sys.set_int_max_str_digits(old)
