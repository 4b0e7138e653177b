"""Exact real-root isolation of univariate eliminants (python-flint) and its small helpers."""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import flint

__all__ = ['isolate_real_roots']


def _arb_bounds(b: flint.arb) -> tuple[Fraction, Fraction]:
    """Exact rational bounds of an arb ball (mid ± rad are dyadic)."""
    m, e = b.mid().man_exp()
    rm, re_ = b.rad().man_exp()
    mid = Fraction(int(m)) * Fraction(2) ** int(e)
    rad = Fraction(int(rm)) * Fraction(2) ** int(re_)
    return mid - rad, mid + rad


def _short_dyadic(a: Fraction, b: Fraction) -> Fraction:
    """A dyadic rational with few bits strictly between ``a < b``.

    >>> _short_dyadic(Fraction(1, 3), Fraction(2, 5))
    Fraction(3, 8)
    """
    w = b - a
    k = max(0, w.denominator.bit_length() - w.numerator.bit_length())   # 2^-k ≈ b - a: a dyadic fits
    while True:
        x = Fraction(math.floor(a * 2 ** k) + 1, 2 ** k)
        if x < b:
            return x
        k += 1


def _sign_variations(coeffs) -> int:
    signs = [c > 0 for c in coeffs if c != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)


# --- points from a rational univariate representation ---------------------------------------------

def isolate_real_roots(eliminant: Sequence[int]) -> list[tuple[tuple[int, ...], list[tuple[Fraction, Fraction]]]]:
    """Irreducible factors of ``q`` over Q with certified enclosures of their real roots (sorted).

    flint's ``complex_roots`` isolates every complex root in disjoint balls and returns the real
    ones with zero imaginary part.  Picklable output (it may run in a worker process).

    >>> isolate_real_roots((-2, 0, 1))[0][0], len(isolate_real_roots((-2, 0, 1))[0][1])
    ((-2, 0, 1), 2)
    """
    q = flint.fmpz_poly([int(c) for c in eliminant])
    out = []
    for f, _mult in q.factor()[1]:
        coeffs = tuple(int(c) for c in f.coeffs())
        if f.degree() == 1:
            out.append((coeffs, []))
        else:
            out.append((coeffs, sorted(_arb_bounds(b.real) for b, _m in f.complex_roots() if b.imag.is_zero())))
    return out
