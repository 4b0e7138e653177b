"""Pauli strings and Pauli sums on n qubits with exact real coefficients.

A Pauli string is stored as a pair of bit masks ``(x, z)``: qubit ``q`` carries
``I, X, Z, Y`` for ``(x_q, z_q) = (0,0), (1,0), (0,1), (1,1)``; the string is the
*Hermitian* tensor product (``Y`` itself, not ``XZ``).  Qubit 0 is the leftmost
tensor factor (big-endian, as in ``np.kron(P0, P1, ...)``).

A :class:`PauliSum` is an immutable mapping ``{(x, z): coefficient}``; the
coefficients of a Hermitian operator in this basis are real, so they are
``Fraction`` (exact) or ``float`` (inexact).  Products follow the phase rule
``σ(a) σ(b) = i^g σ(a ⊕ b)`` with ``g`` counted by popcounts (no matrices).
"""
from __future__ import annotations

import cmath
import re
from fractions import Fraction
from typing import Iterable, Iterator, Mapping

import numpy as np

from ..errors import ValidationError
from ..validate import as_int
from .opmatrix import OpMatrix, bit_reversal
from .scalars import GaussianRational, format_scalar, parse_scalar

__all__ = ['PauliSum', 'pauli_label', 'parse_pauli_string', 'pauli_product', 'commutes', 'pauli_matrix', 'pauli_sum_from_matrix']

Key = tuple[int, int]


def _popcount(v: int) -> int:
    return v.bit_count()


def pauli_product(a: Key, b: Key) -> tuple[int, Key]:
    """Return ``(g, c)`` with ``σ(a) σ(b) = i^g σ(c)``, ``g`` in 0..3.

    Examples
    --------
    >>> pauli_product((1, 0), (1, 1))   # X Y = i Z
    (1, (0, 1))
    """
    x1, z1 = a
    x2, z2 = b
    y1, xo1, zo1 = x1 & z1, x1 & ~z1, z1 & ~x1
    y2, xo2, zo2 = x2 & z2, x2 & ~z2, z2 & ~x2
    g = (_popcount(y1 & zo2) - _popcount(y1 & xo2) + _popcount(xo1 & y2) - _popcount(xo1 & zo2)
         + _popcount(zo1 & xo2) - _popcount(zo1 & y2))
    return g % 4, (x1 ^ x2, z1 ^ z2)


def commutes(a: Key, b: Key) -> bool:
    """True if the Pauli strings ``a`` and ``b`` commute."""
    return _popcount((a[0] & b[1]) ^ (a[1] & b[0])) % 2 == 0


_LETTER = {"I": (0, 0), "X": (1, 0), "Z": (0, 1), "Y": (1, 1)}
_TOKEN = re.compile(r"([IXYZ])(\d+)")


def parse_pauli_string(label: str, n: int, field: str = "pauli") -> Key:
    """Parse ``"X0 Z2"`` (sparse, qubit indices) or ``"XIZ"`` (dense, length n).

    Examples
    --------
    >>> parse_pauli_string("X0 Y2", 3)
    (5, 4)
    >>> parse_pauli_string("XIY", 3)
    (5, 4)
    >>> parse_pauli_string("I", 3)
    (0, 0)
    """
    s = label.strip().upper()
    if s in ("", "I", "ID", "IDENTITY"):
        return (0, 0)
    x = z = 0
    if re.fullmatch(r"[IXYZ]+", s) and (len(s) == n) and not re.search(r"\d", s):
        for q, ch in enumerate(s):
            bx, bz = _LETTER[ch]
            x |= bx << q
            z |= bz << q
        return (x, z)
    toks = s.replace("*", " ").split()
    seen = set()
    for tok in toks:
        m = _TOKEN.fullmatch(tok)
        if not m:
            raise ValidationError(field, f"cannot read Pauli string {label!r}",
                                  expected=f"letters I,X,Y,Z with qubit indices like \"X0 Z2\", or a length-{n} word like \"XIZ\"")
        q = int(m.group(2))
        if q >= n:
            raise ValidationError(field, f"qubit index {q} in {label!r} is out of range",
                                  expected=f"indices 0..{n - 1} for {n} qubits")
        if q in seen:
            raise ValidationError(field, f"qubit {q} appears twice in {label!r}")
        seen.add(q)
        bx, bz = _LETTER[m.group(1)]
        x |= bx << q
        z |= bz << q
    return (x, z)


def pauli_label(key: Key, n: int, sparse: bool = True) -> str:
    """Inverse of :func:`parse_pauli_string`.

    Examples
    --------
    >>> pauli_label((5, 4), 3)
    'X0 Y2'
    >>> pauli_label((5, 4), 3, sparse=False)
    'XIY'
    """
    x, z = key
    letters = []
    for q in range(n):
        bx, bz = (x >> q) & 1, (z >> q) & 1
        letters.append("IXZY"[bx + 2 * bz])
    if not sparse:
        return "".join(letters)
    toks = [f"{ch}{q}" for q, ch in enumerate(letters) if ch != "I"]
    return " ".join(toks) if toks else "I"


_SINGLE = {
    (0, 0): np.eye(2, dtype=complex),
    (1, 0): np.array([[0, 1], [1, 0]], dtype=complex),
    (0, 1): np.array([[1, 0], [0, -1]], dtype=complex),
    (1, 1): np.array([[0, -1j], [1j, 0]], dtype=complex),
}


def pauli_matrix(key: Key, n: int) -> np.ndarray:
    """Dense ``2^n x 2^n`` complex matrix of a Pauli string (for tests and the float path)."""
    out = np.ones((1, 1), dtype=complex)
    for q in range(n):
        out = np.kron(out, _SINGLE[((key[0] >> q) & 1, (key[1] >> q) & 1)])
    return out


class PauliSum(Mapping[Key, object]):
    """Immutable real linear combination of Pauli strings on ``n`` qubits.

    Parameters
    ----------
    n : int
        Number of qubits.
    terms : mapping
        ``{(x, z): coefficient}`` or ``{"X0 Z1": "1/2", ...}``; zero coefficients are dropped.

    Examples
    --------
    >>> m = PauliSum.from_labels(1, {"Y0": 1, "I": 1})
    >>> m
    PauliSum(1, '1 + Y0')
    >>> (m * m).to_string()
    '2 + 2*Y0'
    """

    __slots__ = ("n", "_terms", "_hash")

    def __init__(self, n: int, terms: Mapping[Key, object] | None = None):
        self.n = as_int(n, "n_qubits", lo=1)
        clean = {}
        for k, v in (terms or {}).items():
            if v != 0:
                if isinstance(v, (float, complex)) and not cmath.isfinite(v):
                    raise ValidationError("coefficient", f"{v!r}", expected="a finite coefficient")
                clean[k] = v
        self._terms = clean
        self._hash = None

    # --- construction -------------------------------------------------
    @classmethod
    def from_labels(cls, n: int, terms: Mapping[str, object] | Iterable[tuple[object, str]],
                    field: str = "pauli_sum") -> "PauliSum":
        """Build from ``{"X0 Z1": coeff}`` or ``[(coeff, "X0 Z1"), ...]``; coefficients must be real."""
        # errors name the entry as written: field['X0'] for a mapping, field[i][0] / field[i][1] for pairs
        mapping = isinstance(terms, Mapping)
        items = terms.items() if mapping else [(lab, c) for c, lab in terms]
        acc: dict[Key, object] = {}
        for i, (lab, c) in enumerate(items):
            f_coef, f_lab = (f"{field}[{lab!r}]",) * 2 if mapping else (f"{field}[{i}][0]", f"{field}[{i}][1]")
            v = parse_scalar(c, f_coef)
            if isinstance(v, (GaussianRational, complex)):
                raise ValidationError(f_coef, f"complex coefficient {format_scalar(v)}",
                                      expected="real coefficients (a Hermitian operator has real Pauli coefficients)")
            if not isinstance(lab, str):
                raise ValidationError(f_lab, f"got {type(lab).__name__}", expected='a Pauli label like "X0 Z1"')
            k = parse_pauli_string(lab, n, f_lab)
            acc[k] = acc.get(k, 0) + v
        return cls(n, acc)

    @classmethod
    def string(cls, n: int, label: str | Key, coeff: object = 1) -> "PauliSum":
        key = parse_pauli_string(label, n) if isinstance(label, str) else label
        return cls(n, {key: parse_scalar(coeff)})

    @classmethod
    def identity(cls, n: int, coeff: object = 1) -> "PauliSum":
        return cls(n, {(0, 0): parse_scalar(coeff)})

    # --- mapping protocol ----------------------------------------------
    def __getitem__(self, k: Key):
        return self._terms[k]

    def get(self, k, default=0):
        return self._terms.get(k, default)

    def __iter__(self) -> Iterator[Key]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def __eq__(self, other) -> bool:
        return isinstance(other, PauliSum) and self.n == other.n and self._terms == other._terms

    def __hash__(self):
        if self._hash is None:
            self._hash = hash((self.n, frozenset(self._terms.items())))
        return self._hash

    @property
    def exact(self) -> bool:
        return all(not isinstance(v, float) for v in self._terms.values())

    # --- arithmetic ----------------------------------------------------
    def __add__(self, other: "PauliSum") -> "PauliSum":
        acc = dict(self._terms)
        for k, v in other._terms.items():
            acc[k] = acc.get(k, 0) + v
        return PauliSum(self.n, acc)

    def __sub__(self, other: "PauliSum") -> "PauliSum":
        return self + other.scale(-1)

    def __neg__(self) -> "PauliSum":
        return self.scale(-1)

    def scale(self, c) -> "PauliSum":
        return PauliSum(self.n, {k: c * v for k, v in self._terms.items()})

    def __mul__(self, other):
        """Operator product; the result must be Hermitian-expandable (real), else use :meth:`product`."""
        if not isinstance(other, PauliSum):
            return self.scale(other)
        re_, im_ = self.product(other)
        if im_:
            raise ValidationError("pauli_sum", "product is not Hermitian; use PauliSum.product for (real, imaginary) parts")
        return re_

    __rmul__ = scale

    def product(self, other: "PauliSum") -> tuple["PauliSum", "PauliSum"]:
        """Return ``(R, J)`` with ``self @ other = R + i J`` (both real Pauli sums)."""
        re_: dict[Key, object] = {}
        im_: dict[Key, object] = {}
        for a, ca in self._terms.items():
            for b, cb in other._terms.items():
                g, c = pauli_product(a, b)
                v = ca * cb
                if g == 0:
                    re_[c] = re_.get(c, 0) + v
                elif g == 2:
                    re_[c] = re_.get(c, 0) - v
                elif g == 1:
                    im_[c] = im_.get(c, 0) + v
                else:
                    im_[c] = im_.get(c, 0) - v
        return PauliSum(self.n, re_), PauliSum(self.n, im_)

    def trace(self):
        """``tr`` of the operator: ``2^n`` times the identity coefficient."""
        return self._terms.get((0, 0), 0) * (2 ** self.n)

    def inner(self, other: "PauliSum"):
        """Hilbert-Schmidt inner product ``tr(self · other)`` (both Hermitian)."""
        small, big = (self, other) if len(self) <= len(other) else (other, self)
        s = 0
        for k, v in small._terms.items():
            w = big._terms.get(k)
            if w is not None:
                s += v * w
        return s * (2 ** self.n)

    # --- conversions ---------------------------------------------------
    def to_matrix(self) -> np.ndarray:
        """Dense complex matrix (float); only for small n (tests, the dense engine)."""
        d = 2 ** self.n
        out = np.zeros((d, d), dtype=complex)
        for k, v in self._terms.items():
            out += float(v) * pauli_matrix(k, self.n)
        return out

    def to_string(self, sparse: bool = True) -> str:
        if not self._terms:
            return "0"
        parts = []
        for k in sorted(self._terms, key=lambda k: (bin(k[0] | k[1]).count("1"), pauli_label(k, self.n, False))):
            v = self._terms[k]
            lab = pauli_label(k, self.n, sparse)
            cs = format_scalar(v)
            if lab == "I":
                term = cs
            elif v == 1:
                term = lab
            elif v == -1:
                term = "-" + lab
            else:
                term = f"{cs}*{lab}"
            parts.append(term)
        s = " + ".join(parts)
        return s.replace("+ -", "- ")

    def to_labels(self) -> list[list[str]]:
        """``[[coefficient, label], ...]`` as strings (the instance-file format)."""
        return [[format_scalar(v), pauli_label(k, self.n)] for k, v in sorted(self._terms.items())]

    def to_latex(self, max_terms: int = 40) -> str:
        """LaTeX, e.g. ``\\frac{1}{2} X_{0} Z_{1} - Y_{2}`` (the first ``max_terms`` terms)."""
        from .scalars import format_scalar

        parts = []
        for n_, (k, v) in enumerate(sorted(self._terms.items())):
            if n_ >= max_terms:
                parts.append(r"+ \dots")
                break
            lab = pauli_label(k, self.n)
            ops = "" if lab == "I" else " ".join(f"{c[0]}_{{{c[1:]}}}" for c in lab.split())
            f = Fraction(v) if not isinstance(v, float) else None
            sign = "-" if (f is not None and f < 0) or (f is None and v < 0) else "+"
            mag = abs(f) if f is not None else abs(v)
            if f is not None:
                c = (str(mag.numerator) if mag.denominator == 1 else f"\\frac{{{mag.numerator}}}{{{mag.denominator}}}")
            else:
                c = format_scalar(mag)
            if ops and mag == 1:
                c = ""
            term = (c + " " + ops).strip() or "I"
            if not ops:
                term = c or "1"
            parts.append(("-" if sign == "-" else "") + term if not parts else f"{sign} {term}")
        return " ".join(parts) if parts else "0"

    def _repr_latex_(self) -> str:
        return "$" + self.to_latex() + "$"

    def __repr__(self) -> str:
        return f"PauliSum({self.n}, {self.to_string()!r})"


def _walsh_hadamard(v: list) -> list:
    """``W[z] = Σ_j (-1)^{popcount(j & z)} v[j]`` for a list of ``(re, im)`` pairs (exact butterflies)."""
    v = list(v)
    h = 1
    while h < len(v):
        for i in range(0, len(v), 2 * h):
            for j in range(i, i + h):
                (ar, ai), (br, bi) = v[j], v[j + h]
                v[j], v[j + h] = (ar + br, ai + bi), (ar - br, ai - bi)
        h *= 2
    return v


def pauli_sum_from_matrix(a, n: int, field: str = "matrix", tol: float = 1e-12) -> PauliSum:
    """Pauli expansion ``Σ_P tr(P A)/2^n · P`` of a Hermitian matrix (exact for exact input).

    For each ``x`` mask the coefficients over all ``z`` are one Walsh–Hadamard transform of the
    diagonal ``j ↦ A[j, j ⊕ x]`` (times ``i^{popcount(x & z)}``): cost ``O(4^n · n)`` instead of one
    trace per Pauli string.  Float matrices use numpy; coefficients below ``tol·max`` are dropped.

    Raises
    ------
    ValidationError
        Wrong dimension, or a non-real coefficient (the matrix is not Hermitian).

    Examples
    --------
    >>> pauli_sum_from_matrix([[1, "-I"], ["I", 0]], 1)
    PauliSum(1, '1/2 + Y0 + 1/2*Z0')
    """
    m = a if isinstance(a, OpMatrix) else OpMatrix.from_rows(a, field)
    d = 2 ** n
    if m.dim != d:
        raise ValidationError(field, f"matrix is {m.dim}x{m.dim}", expected=f"{d}x{d} for {n} qubits")
    rev = bit_reversal(n)
    not_hermitian = ValidationError(field, "not Hermitian (complex Pauli coefficient)", expected="A = A†")
    if not m.exact:
        idx = np.arange(d)
        B = m.arr[np.ix_(rev, rev)]
        W = B[idx[None, :], idx[None, :] ^ idx[:, None]]            # W[x, j] = B[j, j ^ x]
        h = 1
        while h < d:
            W = W.reshape(d, d // (2 * h), 2, h)
            W = np.stack([W[:, :, 0] + W[:, :, 1], W[:, :, 0] - W[:, :, 1]], axis=2).reshape(d, d)
            h *= 2
        ny = np.array([[(x & z).bit_count() % 4 for z in range(d)] for x in range(d)])
        C = (1j ** ny) * W / d
        scale = max(float(np.abs(C).max()), 1e-300)
        if float(np.abs(C.imag).max()) > tol * max(scale, 1.0):
            raise not_hermitian
        keep = np.abs(C.real) > tol * scale
        return PauliSum(n, {(int(x), int(z)): float(C.real[x, z]) for x, z in zip(*np.nonzero(keep))})
    re = [Fraction(int(v.p), int(v.q)) for v in m.re.entries()]
    im = [Fraction(int(v.p), int(v.q)) for v in m.im.entries()]
    terms = {}
    for x in range(d):
        diag = [(re[rev[j] * d + rev[j ^ x]], im[rev[j] * d + rev[j ^ x]]) for j in range(d)]
        for z, (wr, wi) in enumerate(_walsh_hadamard(diag)):
            k = (x & z).bit_count() % 4                               # i^k (wr + i wi)
            real, imag = [(wr, wi), (-wi, wr), (-wr, -wi), (wi, -wr)][k]
            if imag:
                raise not_hermitian
            if real:
                terms[(x, z)] = real / d
    return PauliSum(n, terms)
