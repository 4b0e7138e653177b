"""Exact multivariate trigonometric polynomials (the output ``f`` and the loss ``L``).

A :class:`TrigPoly` in ``p`` parameters ``θ`` is stored in the *real harmonic basis*:
with ``φ_l = ω_l θ_l`` (``ω_l = 2`` for a two-level generator, eqs. 11–12),

    ``T(θ) = Σ_h a_h Π_l b_{h_l}(φ_l)``,   ``b_0 = 1``, ``b_j = cos(jφ)``, ``b_{-j} = sin(jφ)`` (j > 0).

The paper's multi-index ``ξ ∈ {0,1,2}^p`` (eq. 11) is the special case ``h_l ∈ {0, 1, -1}``
(``ξ_l = 1 ↦ cos``, ``ξ_l = 2 ↦ sin``).  Coefficients are ``Fraction`` (exact) or ``float``.
The basis is orthogonal, so the representation is unique: equality is exact equality.
"""
from __future__ import annotations

import cmath
from fractions import Fraction
from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np

from ..errors import ValidationError
from ..validate import as_int
from .angles import reduce_angles
from .products import kronecker_pays, kronecker_pays_all, sum_of_squares, termwise_product, trig_product
from .scalars import GaussianRational, format_scalar

__all__ = ["TrigPoly", "TrigEvaluator", "xi_to_h", "h_to_xi", "cos_sin_multiple", "as_theta"]

Key = tuple[int, ...]
HALF = Fraction(1, 2)


def xi_to_h(xi: Sequence[int]) -> Key:
    """Paper multi-index ``ξ ∈ {0,1,2}^p`` → harmonic index (``2 ↦ -1``).

    >>> xi_to_h((0, 1, 2))
    (0, 1, -1)
    """
    return tuple(0 if x == 0 else (1 if x == 1 else -1) for x in xi)


def h_to_xi(h: Sequence[int]) -> Key:
    """Inverse of :func:`xi_to_h` (only for ``|h_l| ≤ 1``)."""
    if any(abs(v) > 1 for v in h):
        raise ValidationError("h", f"{tuple(h)} has a harmonic of order > 1", expected="entries in {-1, 0, 1}")
    return tuple(0 if v == 0 else (1 if v == 1 else 2) for v in h)


def cos_sin_multiple(c, s, jmax: int):
    """Exact ``(cos jφ, sin jφ)`` for ``j = 0..jmax`` from ``(cos φ, sin φ)`` (Chebyshev recursion)."""
    cs = [(c * 0 + 1, s * 0)]
    for _ in range(jmax):
        pc, ps = cs[-1]
        cs.append((pc * c - ps * s, ps * c + pc * s))
    return cs


class TrigPoly:
    """An immutable real trigonometric polynomial in ``θ ∈ R^p``.

    Parameters
    ----------
    p : int
        Number of parameters.
    terms : mapping
        ``{h: coefficient}`` in the harmonic basis (see module docstring).
    omega : sequence of int, optional
        Base frequency per coordinate, ``φ_l = ω_l θ_l`` (default 2: two-level generators).

    Examples
    --------
    >>> f = TrigPoly(1, {(0,): 1, (1,): Fraction(1, 2)})       # 1 + cos(2θ)/2
    >>> (f * f).terms == {(0,): Fraction(9, 8), (1,): Fraction(1), (2,): Fraction(1, 8)}
    True
    >>> f.evaluate_cs([(Fraction(3, 5), Fraction(4, 5))])      # at cos 2θ = 3/5
    Fraction(13, 10)
    >>> f.fourier_degree()
    1
    """

    __slots__ = ("p", "terms", "omega", "_evaluator")

    def __init__(self, p: int, terms: Mapping[Key, object] | None = None, omega: Sequence[int] | int = 2):
        self.p = as_int(p, "p", lo=0)
        if not isinstance(omega, (list, tuple, np.ndarray)):
            omega = (as_int(omega, "omega", lo=1),) * self.p
        self.omega = tuple(as_int(w, "omega", lo=1) for w in omega)
        if len(self.omega) != self.p:
            raise ValidationError("omega", f"length {len(self.omega)}", expected=f"one base frequency per parameter ({self.p})")
        clean = {}
        for k, v in (terms or {}).items():
            if v != 0:
                if isinstance(v, int):
                    v = Fraction(v)
                elif isinstance(v, (float, complex)) and not cmath.isfinite(v):
                    raise ValidationError("terms", f"coefficient {v!r} of {k}", expected="finite coefficients")
                k = tuple(int(x) for x in k)
                if len(k) != self.p:
                    raise ValidationError("terms", f"key {k} has length {len(k)}", expected=f"length {self.p}")
                clean[k] = v
        self.terms: dict[Key, object] = clean
        self._evaluator = None

    @classmethod
    def _trusted(cls, p: int, terms: dict[Key, Fraction], omega: tuple[int, ...]) -> "TrigPoly":
        """Wrap terms that are already clean (non-zero ``Fraction`` values, int-tuple keys of length p)."""
        out = cls.__new__(cls)
        out.p, out.terms, out.omega, out._evaluator = p, terms, omega, None
        return out

    # --- constructors --------------------------------------------------
    @classmethod
    def constant(cls, p: int, c, omega: Sequence[int] | int = 2) -> "TrigPoly":
        return cls(p, {(0,) * p: c}, omega)

    @classmethod
    def from_xi(cls, p: int, coeffs: Mapping[Key, object], omega: Sequence[int] | int = 2) -> "TrigPoly":
        """From ``{ξ: coefficient}`` with ``ξ ∈ {0,1,2}^p`` (eq. 12)."""
        return cls(p, {xi_to_h(xi): c for xi, c in coeffs.items()}, omega)

    # --- basic properties ------------------------------------------------
    @property
    def exact(self) -> bool:
        """True when every coefficient is exact (no float)."""
        return not any(isinstance(v, float) for v in self.terms.values())

    def __eq__(self, other) -> bool:
        return (isinstance(other, TrigPoly) and self.p == other.p and self.omega == other.omega
                and self.terms == other.terms)

    def __hash__(self):
        return hash((self.p, self.omega, frozenset(self.terms.items())))

    def __repr__(self) -> str:
        return f"TrigPoly(p={self.p}, {len(self.terms)} terms, omega={self.omega})"

    def is_zero(self) -> bool:
        return not self.terms

    def _check(self, other: "TrigPoly"):
        if not isinstance(other, TrigPoly):
            raise TypeError("TrigPoly arithmetic needs TrigPoly or scalar operands")
        if other.p != self.p or other.omega != self.omega:
            raise ValidationError("trigpoly", f"mismatched polynomials (p={self.p}, ω={self.omega}) and "
                                  f"(p={other.p}, ω={other.omega})", expected="the same parameters and base frequencies")

    # --- arithmetic --------------------------------------------------------
    def __add__(self, other) -> "TrigPoly":
        if not isinstance(other, TrigPoly):
            other = TrigPoly.constant(self.p, other, self.omega)
        self._check(other)
        acc = dict(self.terms)
        for k, v in other.terms.items():
            acc[k] = acc.get(k, 0) + v
        return TrigPoly(self.p, acc, self.omega)

    __radd__ = __add__

    def __neg__(self) -> "TrigPoly":
        return self.scale(-1)

    def __sub__(self, other) -> "TrigPoly":
        if not isinstance(other, TrigPoly):
            other = TrigPoly.constant(self.p, other, self.omega)
        return self + (-other)

    def __rsub__(self, other) -> "TrigPoly":
        return (-self) + other

    def scale(self, c) -> "TrigPoly":
        return TrigPoly(self.p, {k: c * v for k, v in self.terms.items()}, self.omega)

    def __mul__(self, other) -> "TrigPoly":
        if not isinstance(other, TrigPoly):
            return self.scale(other)
        self._check(other)
        if kronecker_pays(self.terms, other.terms, self.p):
            return TrigPoly._trusted(self.p, trig_product(self.terms, other.terms, self.p), self.omega)
        return TrigPoly(self.p, termwise_product(self.terms, other.terms), self.omega)

    __rmul__ = scale

    @staticmethod
    def sum_of_squares(polys: Sequence["TrigPoly"], weight=1) -> "TrigPoly":
        """``weight · Σ_k r_k²`` (the loss of eq. 6 with ``weight = 1/m``), in one exact dense pass
        when that pays.

        Examples
        --------
        >>> c, s = TrigPoly(1, {(1,): 1}), TrigPoly(1, {(-1,): 1})
        >>> TrigPoly.sum_of_squares([c, s]).to_string()
        '1'
        """
        if not polys:
            raise ValidationError("polys", "no polynomials", expected="at least one")
        first = polys[0]
        for r in polys[1:]:
            first._check(r)
        if type(weight) in (int, Fraction) and kronecker_pays_all([r.terms for r in polys], first.p):
            return TrigPoly._trusted(first.p, sum_of_squares([r.terms for r in polys], first.p, Fraction(weight)),
                                     first.omega)
        total = TrigPoly(first.p, {}, first.omega)
        for r in polys:
            total = total + r * r
        return total if weight == 1 else total.scale(weight)

    def __pow__(self, n: int) -> "TrigPoly":
        if n < 0:
            raise ValidationError("exponent", f"{n}", expected="a non-negative integer")
        out = TrigPoly.constant(self.p, Fraction(1), self.omega)
        for _ in range(n):
            out = out * self
        return out

    def to_float(self) -> "TrigPoly":
        return TrigPoly(self.p, {k: float(v) for k, v in self.terms.items()}, self.omega)

    # --- coefficients, support, degrees ------------------------------------------
    def coefficient(self, h: Sequence[int]):
        """Coefficient of the basis function with harmonic index ``h`` (0 if absent)."""
        return self.terms.get(tuple(h), 0)

    def coefficient_xi(self, xi: Sequence[int]):
        """Coefficient of ``Π_{ξ_l=1} cos φ_l Π_{ξ_l=2} sin φ_l`` (eq. 12)."""
        return self.terms.get(xi_to_h(xi), 0)

    def fourier(self) -> dict[Key, GaussianRational | complex]:
        """Complex Fourier coefficients ``{k: c_k}`` with ``T = Σ c_k e^{i k·φ}`` (``k`` in φ units).

        Examples
        --------
        >>> TrigPoly(1, {(-1,): 2}).fourier()   # 2 sin φ = -i e^{iφ} + i e^{-iφ}
        {(1,): GaussianRational(re=Fraction(0, 1), im=Fraction(-1, 1)), (-1,): GaussianRational(re=Fraction(0, 1), im=Fraction(1, 1))}
        """
        acc: dict[Key, list] = {}
        for h, v in self.terms.items():
            partial = [((), (v, 0 * v))]  # complex as (re, im)
            for j in h:
                if j == 0:
                    partial = [(k + (0,), c) for k, c in partial]
                elif j > 0:  # cos jφ = (e^{ij} + e^{-ij})/2
                    partial = [(k + (s * j,), (c[0] * HALF, c[1] * HALF)) for k, c in partial for s in (1, -1)]
                else:  # sin mφ = (e^{im} - e^{-im})/(2i) = -i/2 e^{im} + i/2 e^{-im}
                    m = -j
                    nxt = []
                    for k, (a, b) in partial:
                        nxt.append((k + (m,), (b * HALF, -a * HALF)))   # (a+ib)(-i/2)
                        nxt.append((k + (-m,), (-b * HALF, a * HALF)))  # (a+ib)(i/2)
                    partial = nxt
            for k, (a, b) in partial:
                cur = acc.setdefault(k, [0, 0])
                cur[0] += a
                cur[1] += b
        out = {}
        for k, (a, b) in acc.items():
            if a == 0 and b == 0:
                continue
            if isinstance(a, float) or isinstance(b, float):
                out[k] = complex(a, b)
            else:
                out[k] = GaussianRational(Fraction(a), Fraction(b))
        return out

    def fourier_coefficient(self, k: Sequence[int]):
        """Complex Fourier coefficient ``c_k`` of ``e^{i k·φ}`` (exact ``GaussianRational`` or complex; 0 if absent).

        >>> TrigPoly(1, {(1,): 2}).fourier_coefficient((-1,))     # 2 cos φ = e^{iφ} + e^{-iφ}
        GaussianRational(re=Fraction(1, 1), im=Fraction(0, 1))
        """
        return self.fourier().get(tuple(k), 0)

    def fourier_support(self) -> set[Key]:
        """Frequency vectors ``k`` (φ units) with a non-zero Fourier coefficient."""
        return set(self.fourier())

    def fourier_degree(self) -> int:
        """``max ‖k‖₁`` over the support (φ units); 0 for the zero polynomial."""
        return max((sum(abs(x) for x in h) for h in self.terms), default=0)

    def degrees(self) -> tuple[int, ...]:
        """Per-coordinate degree ``max |k_l|`` (φ units)."""
        return tuple(max((abs(h[l]) for h in self.terms), default=0) for l in range(self.p))

    def variables(self) -> set[int]:
        """Indices of parameters the polynomial depends on."""
        return {l for h in self.terms for l in range(self.p) if h[l] != 0}

    # --- calculus ------------------------------------------------------------------------
    def derivative(self, l: int, order: int = 1) -> "TrigPoly":
        """``∂^order T / ∂θ_l^order`` (exact)."""
        if not 0 <= l < self.p:
            raise ValidationError("l", f"{l}", expected=f"a parameter index 0..{self.p - 1}")
        t = self
        for _ in range(order):
            acc = {}
            w = t.omega[l]
            for h, v in t.terms.items():
                j = h[l]
                if j == 0:
                    continue
                hh = list(h)
                hh[l] = -j
                # d/dθ cos(jωθ) = -jω sin(jωθ) (j > 0); d/dθ sin(mωθ) = mω cos(mωθ) with m = -j (j < 0): both -jω
                acc[tuple(hh)] = v * (-j * w)
            t = TrigPoly(t.p, acc, t.omega)
        return t

    def gradient_polys(self) -> list["TrigPoly"]:
        return [self.derivative(l) for l in range(self.p)]

    def hessian_polys(self) -> list[list["TrigPoly"]]:
        g = self.gradient_polys()
        return [[g[i].derivative(j) for j in range(self.p)] for i in range(self.p)]

    def shift(self, l: int, half_turns: int = 1) -> "TrigPoly":
        """``T`` with ``φ_l ↦ φ_l + half_turns·π`` (for ω = 2: ``θ_l ↦ θ_l + half_turns·π/2``, eqs. 13–15).

        A basis function of odd order in ``φ_l`` flips sign, an even one is invariant.

        >>> TrigPoly(1, {(1,): 1, (2,): 1}).shift(0).terms == {(1,): -1, (2,): 1}
        True
        """
        acc = {}
        for h, v in self.terms.items():
            j = h[l]
            sign = -1 if (j % 2 and half_turns % 2) else 1
            acc[h] = v * sign
        return TrigPoly(self.p, acc, self.omega)

    # --- evaluation ----------------------------------------------------------------
    def evaluate_cs(self, cs: Sequence[tuple[object, object]]):
        """Exact value at the point with ``(cos φ_l, sin φ_l) = cs[l]`` (rationals keep it exact)."""
        if len(cs) != self.p:
            raise ValidationError("cs", f"{len(cs)} pairs", expected=f"{self.p} pairs (cos φ_l, sin φ_l)")
        degs = self.degrees()
        tables = [cos_sin_multiple(c, s, d) for (c, s), d in zip(cs, degs)]
        total = 0
        for h, v in self.terms.items():
            t = v
            for l, j in enumerate(h):
                if j > 0:
                    t = t * tables[l][j][0]
                elif j < 0:
                    t = t * tables[l][-j][1]
            total = total + t
        return total

    def evaluator(self) -> "TrigEvaluator":
        """The cached batched float evaluator (values, gradient, Hessian diagonal)."""
        if self._evaluator is None:
            self._evaluator = TrigEvaluator(self)
        return self._evaluator

    def __call__(self, theta) -> np.ndarray | float:
        """Float values at ``theta`` (shape ``(p,)`` or ``(N, p)``, finite; see :func:`as_theta`), vectorised."""
        th, single = as_theta(theta, self.p)
        out = self.evaluator()(th, derivatives=False)[0]
        return float(out[0]) if single else out

    def gradient(self, theta) -> np.ndarray:
        """Float gradient ``(N, p)`` (or ``(p,)``) at ``theta``."""
        th, single = as_theta(theta, self.p)
        out = self.evaluator()(th)[1]
        return out[0] if single else out

    def hessian(self, theta) -> np.ndarray:
        """Float Hessian ``(N, p, p)`` (or ``(p, p)``) at ``theta``."""
        th2, single = as_theta(theta, self.p)
        H = self.hessian_polys()
        out = np.stack([np.stack([H[i][j](th2) for j in range(self.p)], -1) for i in range(self.p)], -2)
        return out[0] if single else out

    # --- conversions ----------------------------------------------------------------
    def to_sympy(self, symbols: Sequence | None = None):
        """A sympy expression in ``θ_1..θ_p`` (symbols created if not given); exact coefficients."""
        import sympy

        th = list(symbols) if symbols is not None else list(sympy.symbols(f"theta1:{self.p + 1}", real=True))
        expr = sympy.Integer(0)
        for h, v in sorted(self.terms.items()):
            c = sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sympy.Float(v)
            t = c
            for l, j in enumerate(h):
                if j > 0:
                    t *= sympy.cos(j * self.omega[l] * th[l])
                elif j < 0:
                    t *= sympy.sin(-j * self.omega[l] * th[l])
            expr += t
        return expr

    def cs_terms(self) -> dict[tuple[int, ...], object]:
        """Polynomial in ``c_l = cos φ_l``, ``s_l = sin φ_l``: ``{(a_1, b_1, …, a_p, b_p): coeff}``.

        Normal form modulo ``c² + s² = 1``: every ``b_l ∈ {0, 1}`` (``cos jφ = T_j(c)``,
        ``sin jφ = s U_{j-1}(c)``).  This is the input of the critical-point system (Sect. 5).
        """
        acc: dict[tuple[int, ...], object] = {}
        for h, v in self.terms.items():
            partial = [((), v)]
            for j in h:
                if j == 0:
                    partial = [(k + (0, 0), c) for k, c in partial]
                elif j > 0:
                    partial = [(k + (a, 0), c * t) for k, c in partial for a, t in _cheb_T(j)]
                else:
                    partial = [(k + (a, 1), c * t) for k, c in partial for a, t in _cheb_U(-j - 1)]
            for k, c in partial:
                acc[k] = acc.get(k, 0) + c
        return {k: c for k, c in acc.items() if c != 0}

    def to_latex(self, var: str = r"\theta", max_terms: int | None = None) -> str:
        """LaTeX string, e.g. ``\\frac{1}{2} \\cos 2\\theta_{1} + …``."""
        parts = []
        items = sorted(self.terms.items(), key=lambda kv: _display_key(kv[0]))
        for n_, (h, v) in enumerate(items):
            if max_terms is not None and n_ >= max_terms:
                parts.append(r"\dots")
                break
            fac = []
            for l, j in enumerate(h):
                if j == 0:
                    continue
                mult = abs(j) * self.omega[l]
                fn = r"\cos" if j > 0 else r"\sin"
                fac.append(f"{fn} {mult if mult != 1 else ''}{var}_{{{l + 1}}}")
            parts.append((_latex_coeff(v, bool(fac)), " ".join(fac)))
        if not parts:
            return "0"
        out = ""
        for i, part in enumerate(parts):
            if isinstance(part, str):
                out += " + " + part
                continue
            c, f = part
            sgn = "-" if c.startswith("-") else "+"
            c = c.lstrip("-")
            body = (c + " " + f).strip()
            out += (("-" if sgn == "-" else "") if i == 0 else f" {sgn} ") + body
        return out

    def _repr_latex_(self) -> str:
        """Jupyter: the polynomial as LaTeX (the first 40 terms)."""
        return "$" + self.to_latex(max_terms=40) + "$"

    def to_string(self) -> str:
        """Plain-text form, e.g. ``1/2*cos(2θ1)*sin(2θ2) - 3``."""
        parts = []
        for h, v in sorted(self.terms.items(), key=lambda kv: _display_key(kv[0])):
            fac = []
            for l, j in enumerate(h):
                if j:
                    mult = abs(j) * self.omega[l]
                    fac.append(f"{'cos' if j > 0 else 'sin'}({mult if mult != 1 else ''}θ{l + 1})")
            cs = format_scalar(v)
            parts.append("*".join(([] if (fac and v == 1) else [cs]) + fac))
        return " + ".join(parts).replace("+ -", "- ") if parts else "0"

    def as_json(self) -> dict:
        """``{"p", "omega", "terms": [[h, "coeff"], ...]}`` with exact strings."""
        return {"p": self.p, "omega": list(self.omega),
                "basis": "term [h, a]: a * prod_l b(h_l, omega_l*theta_l), b(0,x) = 1, b(j,x) = cos(j x), b(-j,x) = sin(j x)",
                "terms": [[list(h), format_scalar(v)] for h, v in sorted(self.terms.items())]}


class TrigEvaluator:
    """Float evaluation of a :class:`TrigPoly`, its gradient and its Hessian diagonal on a batch of
    points ``(N, p)``, from each term's non-constant factors only (cost ∝ number of factors, not
    ``p × terms``).  Calling it returns ``(values (N,), gradient (N, p), hessian diagonal (N, p))``;
    obtain one with :meth:`TrigPoly.evaluator` (cached).

    >>> L = TrigPoly(2, {(1, -1): 2, (0, 0): 1})            # 1 + 2 cos φ1 sin φ2
    >>> v, g, hd = L.evaluator()(np.zeros((1, 2)))
    >>> float(v[0]), g[0].tolist()
    (1.0, [0.0, 4.0])
    """

    def __init__(self, poly: TrigPoly):
        self.p = poly.p
        self.omega = np.array(poly.omega, dtype=float)
        self.D = max(poly.degrees(), default=0)
        self.const = float(sum(v for h, v in poly.terms.items() if not any(h)))
        self.groups = []  # per factor count k: (coeffs (T,), vars (T,k), harmonics (T,k))
        by_k: dict[int, list] = {}
        for h, v in poly.terms.items():
            f = [(l, j) for l, j in enumerate(h) if j]
            if f:
                by_k.setdefault(len(f), []).append((float(v), f))
        for k, items in sorted(by_k.items()):
            C = np.array([c for c, _ in items])
            V = np.array([[l for l, _ in f] for _, f in items], dtype=np.int64).reshape(len(items), k)
            Hh = np.array([[j for _, j in f] for _, f in items], dtype=np.int64).reshape(len(items), k)
            S = np.zeros((k, len(items), self.p))
            for i in range(k):
                S[i, np.arange(len(items)), V[:, i]] = 1.0
            self.groups.append((C, V, Hh, S))

    def _tables(self, th):
        D = self.D
        jj = np.arange(1, D + 1)
        ang = (th * self.omega)[:, :, None] * jj
        c, s = np.cos(ang), np.sin(ang)
        w = self.omega[None, :, None] * jj
        one = np.ones(th.shape + (1,))
        val = np.concatenate([s[:, :, ::-1], one, c], axis=2)
        dval = np.concatenate([(w * c)[:, :, ::-1], 0 * one, -w * s], axis=2)
        d2 = -(w ** 2)
        d2val = np.concatenate([(d2 * s)[:, :, ::-1], 0 * one, d2 * c], axis=2)
        return val, dval, d2val

    def __call__(self, th, derivatives: bool = True):
        N = th.shape[0]
        val, dval, d2val = self._tables(th)
        f = np.full(N, self.const)
        g = np.zeros((N, self.p))
        hd = np.zeros((N, self.p))
        for C, V, Hh, S in self.groups:
            F = val[:, V, Hh + self.D]  # (N, T, k)
            f += np.prod(F, axis=2) @ C
            if not derivatives:
                continue
            k = V.shape[1]
            pre = np.cumprod(np.concatenate([np.ones(F.shape[:2] + (1,)), F[:, :, :-1]], axis=2), axis=2)
            suf = np.cumprod(np.concatenate([np.ones(F.shape[:2] + (1,)), F[:, :, ::-1][:, :, :-1]], axis=2), axis=2)[:, :, ::-1]
            excl = pre * suf * C[None, :, None]
            for i in range(k):
                g += (excl[:, :, i] * dval[:, V[:, i], Hh[:, i] + self.D]) @ S[i]
                hd += (excl[:, :, i] * d2val[:, V[:, i], Hh[:, i] + self.D]) @ S[i]
        return f, g, hd



def _display_key(h: Key):
    """Display order: by total degree, then per coordinate cos before sin."""
    return (sum(abs(x) for x in h), tuple((abs(x), x < 0) for x in h))


def _latex_coeff(v, has_factor: bool) -> str:
    if isinstance(v, Fraction):
        if has_factor and v == 1:
            return ""
        if has_factor and v == -1:
            return "-"
        if v.denominator == 1:
            return str(v.numerator)
        sign = "-" if v < 0 else ""
        return f"{sign}\\frac{{{abs(v.numerator)}}}{{{v.denominator}}}"
    return repr(v)


@lru_cache(maxsize=None)
def _cheb_T(j: int) -> tuple[tuple[int, int], ...]:
    """Chebyshev ``T_j`` coefficients ``((power, coeff), ...)``."""
    a, b = [1], [0, 1]
    if j == 0:
        return ((0, 1),)
    for _ in range(j - 1):
        a, b = b, [(-x) for x in a] + [0, 0]
        b = [b[i] + (2 * a[i - 1] if i >= 1 and i - 1 < len(a) else 0) for i in range(len(b))]
    return tuple((i, c) for i, c in enumerate(b) if c)


@lru_cache(maxsize=None)
def _cheb_U(j: int) -> tuple[tuple[int, int], ...]:
    """Chebyshev ``U_j`` coefficients (``sin((j+1)φ) = sin φ · U_j(cos φ)``)."""
    a, b = [1], [0, 2]
    if j == 0:
        return ((0, 1),)
    for _ in range(j - 1):
        a, b = b, [(-x) for x in a] + [0, 0]
        b = [b[i] + (2 * a[i - 1] if i >= 1 and i - 1 < len(a) else 0) for i in range(len(b))]
    return tuple((i, c) for i, c in enumerate(b) if c)


def as_theta(theta, p: int, field: str = "theta", finite: bool = True,
             periodic: bool = True) -> tuple[np.ndarray, bool]:
    """Parameters as a float array ``(N, p)``, and whether one point ``(p,)`` was given.

    Parameters
    ----------
    theta : array_like
        ``(p,)`` (one point) or ``(N, p)`` (a batch).
    p : int
        The number of parameters expected.
    field : str
        Name used in the error.
    finite : bool
        Refuse NaN and infinite entries (a silent NaN result otherwise).
    periodic : bool
        The function is ``2π``-periodic in each angle: reduce them (:func:`reduce_angles`).

    Raises
    ------
    ValidationError
        Not numbers, the wrong length (naming the expected one) or a non-finite entry.

    Examples
    --------
    >>> as_theta([0.1, 0.2], 2)[0].shape
    (1, 2)
    >>> try:
    ...     as_theta([0.1], 2)
    ... except ValidationError as e:
    ...     print(e)
    theta: 1 value(s) (expected 2 values, one per parameter θ_1..θ_2, or an (N, 2) array)
    """
    try:
        th = np.asarray(theta, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError(field, f"cannot read {theta!r} as numbers", expected=f"{p} real numbers") from None
    expected = f"{p} values, one per parameter θ_1..θ_{p}, or an (N, {p}) array"
    if th.ndim == 1 and th.shape[0] != p or th.ndim == 0:
        raise ValidationError(field, f"{th.size} value(s)", expected=expected)
    if th.ndim not in (1, 2) or th.shape[-1] != p:
        raise ValidationError(field, f"shape {th.shape}", expected=expected)
    if finite and not np.isfinite(th).all():
        raise ValidationError(field, "contains NaN or an infinite value", expected="finite angles")
    if periodic:        # integer frequencies: reduce exactly, before ω·θ overflows
        th = reduce_angles(th)
    return th.reshape(-1, p), th.ndim == 1
