"""Dense operators: exact Gaussian-rational matrices (python-flint) or float matrices (numpy).

An :class:`OpMatrix` is the dense engine's operator type.  Exact matrices are stored as
a pair ``(Re, Im)`` of ``flint.fmpq_mat`` so that products, traces, characteristic
polynomials and PSD tests are exact and fast; inexact ones hold a numpy array.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Iterable, Sequence

import flint
import numpy as np

from ..errors import ValidationError
from ..validate import as_int
from .scalars import MAX_FLOAT, GaussianRational, format_scalar, parse_scalar

__all__ = ["OpMatrix", "spectral_projectors", "bit_reversal"]


def _fq(x: Fraction) -> flint.fmpq:
    return flint.fmpq(x.numerator, x.denominator)


def _tofrac(q) -> Fraction:
    return Fraction(int(q.p), int(q.q))


class OpMatrix:
    """A square complex matrix, exact (``re``, ``im`` fmpq_mat) or float (``arr``).

    Examples
    --------
    >>> z = OpMatrix.from_rows([[1, 0], [0, -1]])
    >>> (z @ z) == OpMatrix.identity(2)
    True
    >>> z.trace()
    Fraction(0, 1)
    """

    __slots__ = ("dim", "exact", "re", "im", "arr")

    def __init__(self, dim: int, re=None, im=None, arr=None):
        dim = as_int(dim, "dim", lo=1)
        if arr is not None:
            arr = np.asarray(arr)
            if arr.shape != (dim, dim):
                raise ValidationError("matrix", f"shape {arr.shape}", expected=f"a {dim} × {dim} matrix")
            if not np.all(np.isfinite(arr)):
                raise ValidationError("matrix", "NaN or infinite entries", expected="finite numbers")
        elif re is None or im is None:
            raise ValidationError("matrix", "no entries", expected="OpMatrix.from_rows(...), from_numpy(...) or identity(d)")
        self.dim = dim
        self.exact = arr is None
        self.re, self.im, self.arr = re, im, arr

    # --- construction ----------------------------------------------------
    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[object]], field: str = "matrix") -> "OpMatrix":
        """From a list of rows of scalars (strings like ``"1/2 - I"``, ints, Fractions, floats)."""
        if isinstance(rows, np.ndarray):
            return cls.from_numpy(rows, field)
        if isinstance(rows, OpMatrix):
            return rows
        try:
            d = len(rows)
            ok = d > 0 and all(len(r) == d for r in rows)
        except TypeError:
            ok = False
        if not ok:
            raise ValidationError(field, "not a square matrix", expected="a non-empty list of d rows of d numbers each")
        vals = [[parse_scalar(v, f"{field}[{i}][{j}]") for j, v in enumerate(r)] for i, r in enumerate(rows)]
        if any(isinstance(v, (float, complex)) for r in vals for v in r):
            return cls(d, arr=np.array([[complex(v) if not isinstance(v, GaussianRational) else complex(v) for v in r]
                                        for r in vals], dtype=complex))
        re = flint.fmpq_mat(d, d)
        im = flint.fmpq_mat(d, d)
        for i, r in enumerate(vals):
            for j, v in enumerate(r):
                if isinstance(v, GaussianRational):
                    re[i, j] = _fq(v.re)
                    im[i, j] = _fq(v.im)
                else:
                    re[i, j] = _fq(Fraction(v))
        return cls(d, re, im)

    @classmethod
    def from_numpy(cls, a: np.ndarray, field: str = "matrix") -> "OpMatrix":
        a = np.asarray(a)
        if a.ndim != 2 or a.shape[0] != a.shape[1]:
            raise ValidationError(field, f"shape {a.shape}", expected="a square matrix")
        if a.dtype.kind in "iu":
            return cls.from_rows([[int(v) for v in r] for r in a], field)
        if a.dtype.kind not in "fc":
            raise ValidationError(field, f"array of {a.dtype}", expected="a numeric (integer, float or complex) matrix")
        bad = np.argwhere(~(np.abs(a) <= MAX_FLOAT))   # NaN, ±inf and overflowing magnitudes
        if len(bad):
            i, j = bad[0]
            parse_scalar(complex(a[i, j]), f"{field}[{i}][{j}]")   # raises, naming the entry
        return cls(a.shape[0], arr=a.astype(complex))

    @classmethod
    def identity(cls, d: int) -> "OpMatrix":
        return cls(d, flint.fmpq_mat(d, d, [1 if i == j else 0 for i in range(d) for j in range(d)]),
                   flint.fmpq_mat(d, d))

    @classmethod
    def zeros(cls, d: int) -> "OpMatrix":
        return cls(d, flint.fmpq_mat(d, d), flint.fmpq_mat(d, d))

    @classmethod
    def from_pauli_sum(cls, ps) -> "OpMatrix":
        """Exact dense matrix of a :class:`~qnnsym.exact.paulis.PauliSum` (float if it is inexact)."""
        n = ps.n
        d = 2 ** n
        if not ps.exact:
            return cls(d, arr=ps.to_matrix())
        re = flint.fmpq_mat(d, d)
        im = flint.fmpq_mat(d, d)
        rev = bit_reversal(n)
        for (x, z), c in ps.items():
            cq = _fq(Fraction(c))
            # σ(x,z)|j> = phase |j ^ x>; phase = i^{popcount(x&z)} (-1)^{popcount(j & z)}
            ny = (x & z).bit_count() % 4
            for j in range(d):
                # qubit 0 is the most significant bit of the row index
                jb = rev[j]
                sign = -1 if (jb & z).bit_count() % 2 else 1
                i_ = rev[jb ^ x]
                ph = [(1, 0), (0, 1), (-1, 0), (0, -1)][ny]
                re[i_, j] += cq * sign * ph[0]
                im[i_, j] += cq * sign * ph[1]
        return cls(d, re, im)

    # --- basic algebra -----------------------------------------------------
    def _float(self) -> np.ndarray:
        if not self.exact:
            return self.arr
        return _fmpq_to_np(self.re) + 1j * _fmpq_to_np(self.im)

    def to_numpy(self) -> np.ndarray:
        """Float complex numpy array."""
        return self._float().copy() if not self.exact else self._float()

    def _coerce(self, other: "OpMatrix"):
        if self.dim != other.dim:
            raise ValidationError("matrix", f"dimension mismatch {self.dim} vs {other.dim}",
                                  expected="operators of one dimension")
        if self.exact and other.exact:
            return True
        return False

    def __matmul__(self, other: "OpMatrix") -> "OpMatrix":
        if self._coerce(other):
            return OpMatrix(self.dim, self.re * other.re - self.im * other.im, self.re * other.im + self.im * other.re)
        return OpMatrix(self.dim, arr=self._float() @ other._float())

    def __add__(self, other: "OpMatrix") -> "OpMatrix":
        if self._coerce(other):
            return OpMatrix(self.dim, self.re + other.re, self.im + other.im)
        return OpMatrix(self.dim, arr=self._float() + other._float())

    def __sub__(self, other: "OpMatrix") -> "OpMatrix":
        if self._coerce(other):
            return OpMatrix(self.dim, self.re - other.re, self.im - other.im)
        return OpMatrix(self.dim, arr=self._float() - other._float())

    def __neg__(self) -> "OpMatrix":
        return self.scale(-1)

    def scale(self, c) -> "OpMatrix":
        """Multiply by a scalar (Fraction, int, GaussianRational, float, complex)."""
        c = parse_scalar(c)
        if self.exact and not isinstance(c, (float, complex)):
            if isinstance(c, GaussianRational):
                a, b = _fq(c.re), _fq(c.im)
                return OpMatrix(self.dim, self.re * a - self.im * b, self.re * b + self.im * a)
            a = _fq(Fraction(c))
            return OpMatrix(self.dim, self.re * a, self.im * a)
        return OpMatrix(self.dim, arr=self._float() * complex(c))

    def times_i(self) -> "OpMatrix":
        """``i * self``."""
        if self.exact:
            return OpMatrix(self.dim, -self.im, self.re)
        return OpMatrix(self.dim, arr=1j * self.arr)

    def adjoint(self) -> "OpMatrix":
        if self.exact:
            return OpMatrix(self.dim, self.re.transpose(), -self.im.transpose())
        return OpMatrix(self.dim, arr=self.arr.conj().T)

    def trace(self):
        """Exact trace (Fraction or GaussianRational) or a float/complex one."""
        if self.exact:
            tr = sum((self.re[i, i] for i in range(self.dim)), flint.fmpq(0))
            ti = sum((self.im[i, i] for i in range(self.dim)), flint.fmpq(0))
            return parse_scalar(GaussianRational(_tofrac(tr), _tofrac(ti)))
        t = complex(np.trace(self.arr))
        return t.real if abs(t.imag) == 0 else t

    def inner(self, other: "OpMatrix"):
        """``tr(self @ other)`` (real for two Hermitian matrices)."""
        if self._coerce(other):
            # tr(AB) = Σ_ij A_ij B_ji
            r = flint.fmpq(0)
            i_ = flint.fmpq(0)
            ar, ai, br, bi = self.re, self.im, other.re, other.im
            d = self.dim
            for i in range(d):
                for j in range(d):
                    r += ar[i, j] * br[j, i] - ai[i, j] * bi[j, i]
                    i_ += ar[i, j] * bi[j, i] + ai[i, j] * br[j, i]
            return parse_scalar(GaussianRational(_tofrac(r), _tofrac(i_)))
        t = complex(np.einsum("ij,ji->", self._float(), other._float()))
        return t.real if t.imag == 0 else t

    def __eq__(self, other) -> bool:
        if not isinstance(other, OpMatrix) or self.dim != other.dim:
            return False
        if self.exact and other.exact:
            return self.re == other.re and self.im == other.im
        return bool(np.array_equal(self._float(), other._float()))

    __hash__ = None  # mutable flint storage

    def is_zero(self, tol: float = 0.0) -> bool:
        if self.exact:
            return not any(self.re.entries()) and not any(self.im.entries())
        return bool(np.max(np.abs(self.arr), initial=0.0) <= tol)

    def is_hermitian(self, tol: float = 1e-10) -> bool:
        return (self - self.adjoint()).is_zero(tol)

    # --- exact spectral facts ------------------------------------------------
    def _real_embedding(self):
        """The real ``2d × 2d`` matrix ``[[Re, −Im], [Im, Re]]`` (same spectrum, doubled)."""
        d = self.dim
        m = flint.fmpq_mat(2 * d, 2 * d)
        for i in range(d):
            for j in range(d):
                a, b = self.re[i, j], self.im[i, j]
                m[i, j] = a
                m[i + d, j + d] = a
                m[i, j + d] = -b
                m[i + d, j] = b
        return m

    def inverse(self) -> "OpMatrix":
        """Exact (or float) inverse, through the real embedding ``X + iY ↦ [[X, −Y], [Y, X]]``.

        >>> OpMatrix.from_rows([[1, "I"], [0, 2]]).inverse() == OpMatrix.from_rows([[1, "-1/2*I"], [0, "1/2"]])
        True
        """
        if not self.exact:
            return OpMatrix(self.dim, arr=np.linalg.inv(self.arr))
        d = self.dim
        try:
            inv = self._real_embedding().inv()
        except ZeroDivisionError:
            raise ValidationError("matrix", "singular matrix", expected="an invertible matrix") from None
        re = flint.fmpq_mat(d, d, [inv[i, j] for i in range(d) for j in range(d)])
        im = flint.fmpq_mat(d, d, [inv[i + d, j] for i in range(d) for j in range(d)])
        return OpMatrix(d, re, im)

    def charpoly(self) -> flint.fmpq_poly:
        """Exact characteristic polynomial ``det(tI - A)`` of a Hermitian exact matrix (rational coefficients)."""
        if not self.exact:
            raise ValidationError("matrix", "exact characteristic polynomial of a float matrix")
        # the real 2d x 2d embedding has charpoly χ_A(t)^2 (A Hermitian); take the square root via gcd with derivative
        emb = self._real_embedding()
        return emb.charpoly().sqrt()

    def is_psd(self, tol: float = 1e-10) -> bool:
        """``A ⪰ 0`` for a Hermitian ``A``: exact (sign pattern of the characteristic polynomial) or numeric."""
        if not self.exact:
            return bool(np.linalg.eigvalsh((self.arr + self.arr.conj().T) / 2).min() >= -tol)
        chi = self.charpoly()
        coeffs = [chi[k] for k in range(chi.degree() + 1)]  # χ(t) = Π (t - λ); all λ ≥ 0 iff (-1)^(d-k) c_k ≥ 0
        d = chi.degree()
        return all(((-1) ** (d - k)) * coeffs[k] >= 0 for k in range(d + 1))

    def integer_spectrum(self) -> list[int] | None:
        """Eigenvalues with multiplicity if they are all integers (exact), else ``None``."""
        if not self.exact:
            w = np.linalg.eigvalsh((self.arr + self.arr.conj().T) / 2)
            r = np.round(w)
            return [int(v) for v in r] if np.allclose(w, r, atol=1e-9) else None
        chi = self.charpoly()
        _, facs = chi.factor()
        eig = []
        for f, e in facs:
            if f.degree() != 1:
                return None
            root = -f[0] / f[1]
            if root.q != 1:
                return None
            eig += [int(root.p)] * e
        return sorted(eig)

    def to_rows(self) -> list[list[str]]:
        """Rows of strings (the instance-file format)."""
        if self.exact:
            return [[format_scalar(parse_scalar(GaussianRational(_tofrac(self.re[i, j]), _tofrac(self.im[i, j]))))
                     for j in range(self.dim)] for i in range(self.dim)]
        return [[format_scalar(complex(v)) if complex(v).imag else repr(float(complex(v).real)) for v in r]
                for r in self.arr]

    def _repr_latex_(self) -> str | None:
        """Jupyter: the matrix as a LaTeX ``pmatrix`` (dimension ≤ 16; else the plain repr)."""
        if self.dim > 16:
            return None
        from .scalars import format_scalar

        rows = self.to_rows() if self.exact else [[format_scalar(complex(x)) for x in r] for r in self.to_numpy()]
        body = r" \\ ".join(" & ".join(c.replace("*I", "i").replace("I", "i") for c in r) for r in rows)
        return r"$\begin{pmatrix}" + body + r"\end{pmatrix}$"

    def __repr__(self) -> str:
        return f"OpMatrix({self.to_rows()!r})"


def _fmpq_to_np(m) -> np.ndarray:
    return np.array([float(int(v.p)) / float(int(v.q)) if v.q != 1 else float(int(v.p)) for v in m.entries()],
                    dtype=float).reshape(m.nrows(), m.ncols())


def spectral_projectors(H: OpMatrix, spectrum: Iterable[int]) -> dict[int, OpMatrix]:
    """Spectral projectors ``P_E = Π_{E'≠E} (H - E')/(E - E')`` (exact Lagrange interpolation)."""
    ev = sorted(set(spectrum))
    d = H.dim
    I = OpMatrix.identity(d) if H.exact else OpMatrix(d, arr=OpMatrix.identity(d).to_numpy())
    out = {}
    for E in ev:
        P = I
        for E2 in ev:
            if E2 != E:
                P = P @ (H - I.scale(E2)).scale(Fraction(1, E - E2))
        out[E] = P
    return out


def bit_reversal(n: int) -> list[int]:
    """Permutation between matrix indices (qubit 0 = most significant bit) and Pauli masks (qubit 0 = bit 0)."""
    return [sum(((j >> (n - 1 - q)) & 1) << q for q in range(n)) for j in range(2 ** n)]
