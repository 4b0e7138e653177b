"""Exact redundancy of a loss: its frequency lattice and the reduced loss ``L = L̃(Aθ)``.

Let ``K ⊂ ℤ^p`` be the frequency vectors (``φ`` units, ``φ_l = ω_l θ_l``) of the non-zero complex Fourier
coefficients of ``L`` and ``Λ`` the lattice they span, of rank ``r``.  With ``B`` (``r × p``, integer, rows a
basis of ``Λ`` in Hermite normal form) every frequency is ``k = Bᵀm`` for a unique ``m ∈ ℤ^r``, so

    ``L(θ) = Σ_k c_k e^{i k·φ} = Σ_m c_{Bᵀm} e^{i m·x} = L̃(x)``,   ``x = Bφ``,

a trigonometric polynomial ``L̃`` in ``r`` variables with integer frequencies that span ``ℤ^r`` (so ``L̃`` has
no period smaller than ``2π`` in any direction).  :func:`reduce_loss` may instead take ``B' = B_S⁻¹B``
(identity on a set ``S`` of ``r`` columns, rows spanning ``Λ ⊆ Λ' ⊆ Λ_sat``): the reduced variables are then
original angles plus their flat partners and ``L̃`` keeps the degrees of ``L``, where the Hermite basis can mix
angles and double the terms; it keeps whichever basis has the smaller product of degrees, then fewer terms.

The critical set of ``L`` is the preimage of the critical points of ``L̃`` (``∇L = Bᵀ ∇L̃(Bφ)``, ``Bᵀ``
injective), and the Hessian of ``L`` is ``Bᵀ H̃ B``: the index of ``H̃`` and ``p − r`` zero eigenvalues (Morse–Bott).  Over one point ``x*`` of ``T^r`` the fibre
``{φ ∈ T^p : Bφ ≡ x*}`` is a disjoint union of ``[Λ_sat : Λ] = d_1 ⋯ d_r`` tori of dimension ``p − r``
(``d_i`` the elementary divisors of ``B``, ``Λ_sat = (Λ ⊗ ℚ) ∩ ℤ^p``; docs/math.md "Redundant parameters").
Parameters whose column of ``B`` is zero are idle (degree 0).

The reduced variables are ``y = x / ω̃`` with ``ω̃`` the common base frequency of ``L`` (1 when the ``ω_l``
differ), so that ``y = Bθ`` for two-level gates; :attr:`Reduction.theta_matrix` is ``A`` with ``y = Aθ``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from ..errors import ValidationError
from ..exact.scalars import GaussianRational, format_scalar
from ..exact.trigpoly import TrigPoly

__all__ = ["Reduction", "frequency_lattice", "reduce_loss", "from_fourier"]

Interval = tuple[Fraction, Fraction]


def frequency_lattice(vectors: Sequence[Sequence[int]], p: int) -> tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """A basis of the lattice spanned by integer vectors (Hermite normal form) and its elementary divisors.

    Parameters
    ----------
    vectors : sequence of integer vectors of length ``p``
    p : int

    Returns
    -------
    basis : tuple of tuples
        ``r`` rows in row Hermite normal form (python-flint ``fmpz_mat.hnf``) spanning the same lattice.
    divisors : tuple of int
        The non-zero elementary divisors ``d_1 | d_2 | … | d_r`` (Smith normal form); their product is the
        index of the lattice in its saturation.

    Examples
    --------
    >>> frequency_lattice([(2, 2), (-2, -2)], 2)          # cos(2(φ1 + φ2))
    (((2, 2),), (2,))
    >>> frequency_lattice([(1, 1), (1, -1)], 2)           # cos(φ1 + φ2) + cos(φ1 − φ2)
    (((1, 1), (0, 2)), (1, 2))
    >>> frequency_lattice([], 3)
    ((), ())
    """
    import flint

    rows = [tuple(int(x) for x in v) for v in vectors if any(v)]
    if not rows:
        return (), ()
    M = flint.fmpz_mat(len(rows), p, [x for r in rows for x in r])
    H, S = M.hnf(), M.snf()
    basis = tuple(t for t in (tuple(int(H[i, j]) for j in range(p)) for i in range(H.nrows())) if any(t))
    divisors = tuple(d for d in (abs(int(S[i, i])) for i in range(min(S.nrows(), p))) if d)
    return basis, divisors


def from_fourier(coeffs: dict[tuple[int, ...], GaussianRational], r: int, omega: int = 1) -> TrigPoly:
    """The real :class:`TrigPoly` ``Σ_m c_m e^{i m·φ}`` (``r`` variables, base frequency ``omega``) from its
    exact complex Fourier coefficients (inverse of :meth:`TrigPoly.fourier`; the imaginary part must cancel).

    >>> L = TrigPoly(2, {(1, 1): 3, (-2, 1): Fraction(1, 2), (0, 0): 1})
    >>> from_fourier(L.fourier(), 2) == TrigPoly(2, L.terms, 1)
    True
    """
    re: dict[tuple[int, ...], Fraction] = {}
    im: dict[tuple[int, ...], Fraction] = {}
    for m, c in coeffs.items():
        a, b = (Fraction(c.re), Fraction(c.im)) if isinstance(c, GaussianRational) else (Fraction(c), Fraction(0))
        # e^{i m_j φ_j} = cos(|m_j| φ_j) + i·sgn(m_j)·sin(|m_j| φ_j): choose cos or sin per coordinate
        partial = [((), 0, 1)]                       # (key, number of i factors, sign)
        for mj in m:
            if mj == 0:
                partial = [(k + (0,), n, s) for k, n, s in partial]
            else:
                sg = 1 if mj > 0 else -1
                partial = [nxt for k, n, s in partial for nxt in ((k + (abs(mj),), n, s), (k + (-abs(mj),), n + 1, s * sg))]
        for key, n, s in partial:
            # (a + ib)·i^n·s
            r_, i_ = [(a, b), (-b, a), (-a, -b), (b, -a)][n % 4]
            re[key] = re.get(key, 0) + s * r_
            im[key] = im.get(key, 0) + s * i_
    if any(v != 0 for v in im.values()):
        raise ValidationError("coeffs", "the Fourier coefficients are not those of a real function",
                              expected="c_{-m} = conj(c_m)")
    return TrigPoly(r, re, omega)


@dataclass(frozen=True)
class Reduction:
    """The factorisation ``L(θ) = L̃(Aθ)`` of a loss through its frequency lattice.

    Attributes
    ----------
    p : int
        Parameters of ``L``.
    omega : tuple of int
        Base frequencies of ``L``.
    basis : tuple of tuples of int
        ``B`` (``r × p``; the row Hermite normal form of the frequency lattice, or ``B_S⁻¹B``, the identity on
        ``r`` original angles): ``x = Bφ`` are the reduced angles.
    divisors : tuple of int
        Elementary divisors of ``B``; their product :attr:`components` is the number of connected
        components of the critical set of ``L`` over one critical point of ``L̃``.
    reduced : TrigPoly
        ``L̃`` in ``r`` variables ``y`` with base frequency ``ω̃`` (``ω̃ y = x = Bφ``).
    """
    p: int
    omega: tuple[int, ...]
    basis: tuple[tuple[int, ...], ...]
    divisors: tuple[int, ...]
    reduced: TrigPoly

    @property
    def rank(self) -> int:
        """``r``: the rank of the frequency lattice (the dimension of the reduced torus)."""
        return len(self.basis)

    @property
    def flat(self) -> int:
        """``p − r``: the dimension of every component of the critical set (flat directions)."""
        return self.p - self.rank

    @property
    def components(self) -> int:
        """Connected components (tori ``T^{p−r}``) over one critical point of ``L̃``: ``Π d_i``."""
        return math.prod(self.divisors)

    @property
    def idle(self) -> tuple[int, ...]:
        """Parameters (0-based) the loss does not depend on (degree 0: a zero column of ``B``)."""
        return tuple(l for l in range(self.p) if all(row[l] == 0 for row in self.basis))

    @property
    def theta_matrix(self) -> tuple[tuple[Fraction, ...], ...]:
        """``A`` with ``y = Aθ``: ``A = B·diag(ω)/ω̃`` (integral when the ``ω_l`` are equal)."""
        w = self.reduced.omega[0] if self.rank else 1
        return tuple(tuple(Fraction(b * self.omega[l], w) for l, b in enumerate(row)) for row in self.basis)

    def equations(self) -> list[str]:
        """The reduced variables as readable linear forms, e.g. ``['y1 = θ1 + θ2']``.

        >>> reduce_loss(TrigPoly(3, {(1, 1, 0): 1, (-1, -1, 0): -1})).equations()   # cos(φ1 + φ2)
        ['y1 = θ1 + θ2']
        """
        out = []
        for i, row in enumerate(self.theta_matrix):
            parts = []
            for l, a in enumerate(row):
                if a:
                    coef = "" if abs(a) == 1 else f"{format_scalar(abs(a))}·"
                    parts.append(("− " if a < 0 else "+ ") + f"{coef}θ{l + 1}")
            s = " ".join(parts)
            out.append(f"y{i + 1} = " + (s[2:] if s.startswith("+ ") else "−" + s[2:]))
        return out

    def representative(self, y_box: Sequence[Interval]) -> tuple[Interval, ...]:
        """An exact enclosure of one point ``θ`` of the component ``{θ : Aθ = y}`` for ``y`` in ``y_box``:
        the non-pivot coordinates of ``B`` set to 0, the pivot ones by back substitution (interval
        arithmetic with rational endpoints).

        >>> red = reduce_loss(TrigPoly(2, {(2, 2): 1, (-2, -2): -1}))   # cos(2φ1 + 2φ2): y = 2θ1 + 2θ2
        >>> red.representative([(Fraction(1), Fraction(1))])
        ((Fraction(1, 2), Fraction(1, 2)), (Fraction(0, 1), Fraction(0, 1)))
        """
        pivots = _pivots(self.basis)
        w = self.reduced.omega[0] if self.rank else 1
        phi: list[Interval] = [(Fraction(0), Fraction(0))] * self.p
        for i in reversed(range(self.rank)):
            lo, hi = Fraction(y_box[i][0]) * w, Fraction(y_box[i][1]) * w
            for i2 in range(i + 1, self.rank):
                b = self.basis[i][pivots[i2]]
                a1, a2 = phi[pivots[i2]]
                lo, hi = lo - max(b * a1, b * a2), hi - min(b * a1, b * a2)
            d = self.basis[i][pivots[i]]
            lo, hi = sorted((lo / d, hi / d))
            phi[pivots[i]] = (lo, hi)
        return tuple((a / self.omega[l], b / self.omega[l]) for l, (a, b) in enumerate(phi))

    def to_json(self) -> dict:
        """JSON-ready: ``basis`` (B, φ units), ``theta_matrix`` (A, y = Aθ), ``divisors``, ``components``,
        ``rank``, ``flat``, ``idle`` (0-based) and the reduced loss (``TrigPoly.as_json``)."""
        return {"rank": self.rank, "flat": self.flat, "basis": [list(r) for r in self.basis],
                "theta_matrix": [[format_scalar(a) for a in r] for r in self.theta_matrix],
                "equations": self.equations(), "divisors": list(self.divisors), "components": self.components,
                "idle": list(self.idle), "reduced_loss": self.reduced.as_json()}


def reduce_loss(loss: TrigPoly) -> Reduction:
    """The frequency lattice of an exact loss and the reduced loss ``L̃`` with ``L(θ) = L̃(Aθ)``.

    Parameters
    ----------
    loss : TrigPoly
        An exact loss.

    Returns
    -------
    Reduction
        ``rank == p`` when there is no redundancy (``L̃`` is then ``L`` in lattice coordinates).

    Raises
    ------
    ValidationError
        A loss with floating-point coefficients.

    Examples
    --------
    Two consecutive rotations on one qubit depend on their sum only (``cos(2θ1 + 2θ2)``), the third is idle:

    >>> L = TrigPoly(3, {(1, 1, 0): 1, (-1, -1, 0): -1})     # cos φ1 cos φ2 − sin φ1 sin φ2
    >>> red = reduce_loss(L)
    >>> red.basis, red.rank, red.flat, red.idle, red.components, red.reduced.to_string()
    (((1, 1, 0),), 1, 2, (2,), 1, 'cos(2θ1)')
    """
    if not loss.exact:
        raise ValidationError("loss", "has floating-point coefficients", expected="an exact loss")
    fourier = loss.fourier()
    hnf, _ = frequency_lattice(list(fourier), loss.p)
    w = loss.omega[0] if loss.p and len(set(loss.omega)) == 1 else 1
    if hnf == tuple(tuple(int(i == j) for j in range(loss.p)) for i in range(loss.p)):   # Λ = ℤ^p: L̃ = L
        return Reduction(loss.p, tuple(loss.omega), hnf, (1,) * loss.p, TrigPoly(loss.p, loss.terms, w))
    best = None
    for basis in (hnf, _angle_basis(hnf, loss.p) if len(hnf) < loss.p else None):   # r = p: no flat direction, Hermite
        if basis is None:
            continue
        reduced = from_fourier(_coordinates(fourier, basis), len(basis), w)
        cost = (math.prod(reduced.degrees()), len(reduced.terms))   # the degrees drive every route's cost, then terms
        if best is None or cost < best[0]:
            best = (cost, basis, reduced)
    _, basis, reduced = best
    _, divisors = frequency_lattice(basis, loss.p)
    return Reduction(loss.p, tuple(loss.omega), basis, divisors, reduced)


def _angle_basis(hnf: tuple[tuple[int, ...], ...], p: int, max_tries: int = 5000) -> tuple[tuple[int, ...], ...] | None:
    """``B' = B_S⁻¹B`` for the first set ``S`` of ``r`` columns (lexicographic) with ``B_S`` invertible and ``B'``
    integral, else ``None``.  ``B'`` is the identity on ``S``: the reduced variables are original angles
    ``x_i = φ_{S_i} + (flat partners)`` (an RZ·RZ pair: ``φ_5 + φ_6``), ``L̃`` has the frequencies ``k_S`` of ``L``
    — the same degrees and number of terms as ``L`` — where the Hermite basis can mix angles
    (``y1 = θ2 + θ4, y3 = 2θ4``) and double the terms.  Its rows span a lattice ``Λ ⊆ Λ' ⊆ Λ_sat``.

    >>> _angle_basis(((0, 1, 0, 1, 0, 0), (0, 0, 1, 0, 1, 1), (0, 0, 0, 2, 0, 0), (0, 0, 0, 0, 2, 2)), 6)
    ((0, 1, 0, 0, 0, 0), (0, 0, 1, 0, 0, 0), (0, 0, 0, 1, 0, 0), (0, 0, 0, 0, 1, 1))
    >>> _angle_basis(((1, 1), (0, 2)), 2) is None or True       # full rank: B' = I (Λ' = ℤ^2)
    True
    """
    import itertools

    import flint

    r = len(hnf)
    B = flint.fmpq_mat(r, p, [x for row in hnf for x in row])
    for n, S in enumerate(itertools.combinations(range(p), r)):
        if n >= max_tries:
            return None
        BS = flint.fmpq_mat(r, r, [hnf[i][j] for i in range(r) for j in S])
        if BS.det() == 0:
            continue
        X = BS.solve(B)
        if all(X[i, j].q == 1 for i in range(r) for j in range(p)):
            return tuple(tuple(int(X[i, j].p) for j in range(p)) for i in range(r))
    return None


def _coordinates(fourier: dict, basis: tuple[tuple[int, ...], ...]) -> dict:
    """The Fourier coefficients ``c̃_m`` of ``L̃``, ``k = Bᵀm``, by forward substitution on the pivot columns of ``B``
    (:func:`_pivots`)."""
    r = len(basis)
    pivots = _pivots(basis)
    coeffs = {}
    for k, c in fourier.items():
        m: list[int] = []
        for i in range(r):
            num = k[pivots[i]] - sum(basis[i2][pivots[i]] * m[i2] for i2 in range(i))
            q, rem = divmod(num, basis[i][pivots[i]])
            if rem:
                raise AssertionError("a frequency outside its own lattice")  # pragma: no cover - lattice invariant
            m.append(q)
        if any(sum(basis[i][l] * m[i] for i in range(r)) != k[l] for l in range(len(k))):
            raise AssertionError("a frequency outside its own lattice")  # pragma: no cover - lattice invariant
        coeffs[tuple(m)] = c
    return coeffs


def _pivots(basis) -> list[int]:
    """Per row ``i`` the first column where row ``i`` is non-zero and every row below it vanishes (Hermite form:
    the leading entry; ``B_S⁻¹B``: a column of ``S`` or an earlier one): ``B`` restricted to these columns is
    triangular, so ``k = Bᵀm`` is solved for ``m`` forwards and ``Bφ = x`` for ``φ`` backwards.

    >>> _pivots(((1, 1), (0, 2))), _pivots(((0, 1, 0, 0), (0, 0, 1, 1)))
    ([0, 1], [1, 2])
    """
    r = len(basis)
    return [next(j for j, b in enumerate(basis[i]) if b and all(basis[i2][j] == 0 for i2 in range(i + 1, r)))
            for i in range(r)]
