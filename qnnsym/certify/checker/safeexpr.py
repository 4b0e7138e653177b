"""A parser for the expressions of ``symbolic-identities`` certificates that cannot execute anything.

Every form of ``sympy.parse_expr`` / ``sympify`` on untrusted text is Python ``eval``: a
certificate could import modules and patch the checker.  This module reads a small grammar and
builds sympy objects with their constructors only::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-") unary | power
    power  := atom (("**" | "^") unary)?
    atom   := INTEGER | NAME | "I" | "(" expr ")"

``NAME`` must be one of the symbols the claim declares; ``/`` divides by a non-zero rational
number only; exponents are integer constants in ``[0, MAX_EXPONENT]``.  Sizes are capped
(length, nesting, integer digits) so that no input can exhaust memory or the stack.
"""
from __future__ import annotations

import re
from typing import Mapping

from ...errors import CertificateError

__all__ = ["parse_expression", "MAX_EXPONENT", "MAX_LENGTH", "MAX_DEPTH"]

MAX_EXPONENT = 8
MAX_LENGTH = 20_000
MAX_DEPTH = 100
MAX_DIGITS = 200

_TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/^()]))")


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise CertificateError(f"expression: unexpected character {text[pos:pos + 1]!r} at position {pos}")
        num, name, op = m.groups()
        if num is not None:
            if len(num) > MAX_DIGITS:
                raise CertificateError(f"expression: integer with {len(num)} digits (at most {MAX_DIGITS})")
            out.append(("num", num))
        elif name is not None:
            out.append(("name", name))
        else:
            out.append(("op", "**" if op == "^" else op))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens, symbols):
        import sympy

        self.sp = sympy
        self.t = tokens
        self.i = 0
        self.symbols = symbols
        self.depth = 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def take(self, op=None):
        tok = self.peek()
        if tok[0] is None or (op is not None and tok != ("op", op)):
            want = f"{op!r}" if op else "more input"
            raise CertificateError(f"expression: expected {want} at token {self.i}, found {tok[1]!r}")
        self.i += 1
        return tok

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CertificateError(f"expression: nested more than {MAX_DEPTH} levels")

    def expr(self):
        self.enter()
        terms = [self.term()]
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            t = self.term()
            terms.append(t if op == "+" else self.sp.Mul(self.sp.Integer(-1), t))
        self.depth -= 1
        return self.sp.Add(*terms)

    def term(self):
        factors = [self.unary()]
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            f = self.unary()
            if op == "/":
                if not (f.is_Rational and f != 0):
                    raise CertificateError("expression: division by something that is not a non-zero rational number")
                f = self.sp.Rational(1, 1) / f
            factors.append(f)
        return self.sp.Mul(*factors)

    def unary(self):
        if self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            self.enter()
            u = self.unary()
            self.depth -= 1
            return u if op == "+" else self.sp.Mul(self.sp.Integer(-1), u)
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek() == ("op", "**"):
            self.take()
            self.enter()
            e = self.unary()
            self.depth -= 1
            if not (e.is_Integer and 0 <= int(e) <= MAX_EXPONENT):
                raise CertificateError(f"expression: exponent {e} (integer constants 0..{MAX_EXPONENT} only)")
            if base.is_Rational:     # a power of a number is computed now: bound its size first
                bits = (int(base.p).bit_length() + int(base.q).bit_length()) * int(e)
                if bits > 3.33 * MAX_DIGITS * MAX_EXPONENT:
                    raise CertificateError(f"expression: a power of a number with about {int(bits / 3.32)} digits "
                                           f"(at most {MAX_DIGITS * MAX_EXPONENT})")
            return self.sp.Pow(base, e)
        return base

    def atom(self):
        kind, val = self.take()
        if kind == "num":
            return self.sp.Integer(int(val))
        if kind == "name":
            if val == "I":
                return self.sp.I
            if val not in self.symbols:
                raise CertificateError(f"expression: unknown name {val!r} (declared symbols: "
                                       f"{', '.join(sorted(self.symbols)) or 'none'}, and I)")
            return self.symbols[val]
        if val == "(":
            e = self.expr()
            self.take(")")
            return e
        raise CertificateError(f"expression: unexpected {val!r}")


def parse_expression(text: str, symbols: Mapping[str, object]):
    """The sympy expression of ``text`` over the given symbols (see the module docstring).

    Raises
    ------
    CertificateError
        Anything outside the grammar or the size limits.

    Examples
    --------
    >>> import sympy
    >>> A, H = sympy.symbols("A H", commutative=False)
    >>> parse_expression("A/2 - I/2*H*A*H**2", {"A": A, "H": H})
    A/2 - I*H*A*H**2/2
    >>> parse_expression("__import__('os')", {})
    Traceback (most recent call last):
    ...
    qnnsym.errors.CertificateError: expression: unexpected character "'" at position 11
    >>> parse_expression("exec", {})
    Traceback (most recent call last):
    ...
    qnnsym.errors.CertificateError: expression: unknown name 'exec' (declared symbols: none, and I)
    """
    if not isinstance(text, str):
        raise CertificateError("expression: not a string")
    if len(text) > MAX_LENGTH:
        raise CertificateError(f"expression: {len(text)} characters (at most {MAX_LENGTH})")
    p = _Parser(_tokens(text), dict(symbols))
    if not p.t:
        raise CertificateError("expression: empty")
    e = p.expr()
    if p.i != len(p.t):
        raise CertificateError(f"expression: unexpected {p.t[p.i][1]!r} at token {p.i}")
    return e
