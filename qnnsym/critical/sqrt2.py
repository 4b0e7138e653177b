"""Exact tables over ``Q(√2)``: circuits with ``T`` gates (docs/critical-points.md, "Exact tables over Q(√2)").

A fixed rotation ``exp(-iaP)`` by ``2a = kπ/4``, ``k`` odd (``T``, ``T†``, ``RZ(π/4)``, the rotations of
``CS`` and ``CSX``), has ``cos 2a, sin 2a ∈ ±√2/2``: the loss's coefficients lie in ``Q(√2)``, not in ``Q``.
The route keeps every number exact without a new number type:

1. **Widen.**  Every such gate becomes the gate ``exp(-i m_j ψ P)`` of one new shared parameter ``ψ``, with
   ``m_j ≡ k_j (mod 8)`` odd, ``|m_j| ≤ 3``, so that ``ψ = π/8`` gives back the circuit (docs/math.md "Shared
   parameters").  Its loss ``L(θ, ψ)`` is exact over ``Q`` (:func:`qnnsym.expansion.loss_poly`).
2. **Pin.**  ``ω_ψ`` (the loss's base frequency in ``ψ``) is even, so ``φ_ψ = ω_ψ ψ`` is ``kπ/4`` at ``ψ = π/8``,
   ``k = ω_ψ/2``.  For even ``k`` the loss is rational (:meth:`Sqrt2Loss.rational_loss`); for odd ``k``,
   ``(c_ψ, s_ψ) = (σ√2/2, τ√2/2)`` with signs ``σ, τ`` of ``cos kπ/4, sin kπ/4``.  The cs system is ``∂L/∂θ_l = 0``
   (``l ≤ p``), the circles of every pair, and the **pin** ``τ s_ψ − σ c_ψ = 0`` in place of ``∂L/∂ψ``: together
   with ``c_ψ² + s_ψ² = 1`` it says ``s_ψ² = 1/2``, i.e. it adjoins ``w = 2τ s_ψ`` with ``w² = 2``.  The system has
   rational coefficients, so the exact routes apply unchanged (Gröbner basis over ``Q``, dimension 0, rational
   univariate representation, exact real-root isolation: level ``exact``).
3. **Branch.**  Its solutions are those of the circuit (``w = +√2``) and of its Galois conjugate (``w = −√2``,
   every T gate replaced by ``T·Z``).  An automorphism of ``Q̄`` extending ``√2 ↦ −√2`` maps one branch
   bijectively onto the other, so the circuit has exactly half the complex solutions (not necessarily half the
   real ones: the automorphism need not keep real points real); its real points are those with ``τ s_ψ > 0``,
   decided exactly (:meth:`AlgebraicPoint.sign`).
4. **Classify** on ``L(θ, ψ)`` at the pinned points with the Hessian over ``θ`` only (``LossData(L, free=p)``).

Examples
--------
Tables: :func:`qnnsym.critical.table.critical_table` of such an instance (``tests/test_sqrt2.py``); the pin of
``ψ`` for one ``T`` gate (``k = 1``: ``σ = τ = 1``):

>>> pin_equation(2, 1, (1, 1))
{(0, 0, 0, 1): Fraction(1, 1), (0, 0, 1, 0): Fraction(-1, 1)}
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from fractions import Fraction

from ..exact.paulis import PauliSum
from ..exact.scalars import long_integers
from ..exact.trigpoly import TrigPoly

__all__ = ["Sqrt2Loss", "sqrt2_loss", "pin_equation", "solve_sqrt2", "value_roots", "PSI_NAME"]

#: the name of the pinned parameter ``ψ`` (``ψ = π/8``) in the widened circuit
PSI_NAME = "ψ_T"


@dataclass(frozen=True)
class Sqrt2Loss:
    """The widened loss ``L(θ, ψ)`` of a circuit with ``T`` gates (module docstring).

    Attributes
    ----------
    wide : TrigPoly
        ``L(θ_1 … θ_p, ψ)`` exact over ``Q``; the circuit's loss is ``L(θ, π/8)``.
    p : int
        The circuit's number of parameters (``ψ`` is index ``p``).
    gates : tuple of str
        The names of the gates freed into ``ψ``.
    """

    wide: TrigPoly
    p: int
    gates: tuple = ()

    @property
    def eighths(self) -> int:
        """``k`` with ``φ_ψ = ω_ψ·π/8 = kπ/4`` at ``ψ = π/8`` (``ω_ψ`` the loss's base frequency in ``ψ``, even)."""
        return self.wide.omega[self.p] // 2

    @property
    def signs(self) -> tuple[int, int]:
        """``(σ, τ)`` with ``(cos φ_ψ, sin φ_ψ) = (σ√2/2, τ√2/2)`` (for odd :attr:`eighths`)."""
        k = self.eighths % 8
        return (1 if k in (1, 7) else -1), (1 if k in (1, 3) else -1)

    @property
    def rational(self) -> bool:
        """Whether ``L(θ, π/8)`` is rational: ``L`` does not depend on ``ψ``, or only through harmonics of ``ψ`` at
        quarter turns (an even :attr:`eighths`: e.g. the loss of one ``CS`` has frequency 4 in ``ψ``)."""
        return not any(h[self.p] for h in self.wide.terms) or self.eighths % 2 == 0

    def rational_loss(self) -> TrigPoly:
        """``L(θ, π/8)`` exactly when :attr:`rational`: each basis function ``cos jφ_ψ``, ``sin jφ_ψ`` at a multiple
        of ``π/2`` is ``0`` or ``±1``."""
        acc: dict = {}
        for h, c in self.wide.terms.items():
            j = h[self.p]
            if j:
                cs = ((1, 0), (0, 1), (-1, 0), (0, -1))[(abs(j) * self.eighths // 2) % 4]
                c = c * (cs[0] if j > 0 else cs[1])
            if c:
                acc[h[:self.p]] = acc.get(h[:self.p], 0) + c
        return TrigPoly(self.p, {h: c for h, c in acc.items() if c}, omega=self.wide.omega[:self.p])


def _odd_eighth(pi_angle: Fraction) -> int:
    """``m ∈ {−3, −1, 1, 3}`` with ``4·pi_angle ≡ m (mod 8)`` (``2a = mπ/4`` up to a multiple of ``2π``)."""
    return (int(4 * pi_angle) + 4) % 8 - 4


def sqrt2_loss(instance) -> Sqrt2Loss | None:
    """The :class:`Sqrt2Loss` of an instance whose only non-rational data are fixed rotations by odd multiples of
    ``π/4``; ``None`` when it has none, or has other non-rational data (a float angle: the verified route).

    Examples
    --------
    >>> from qnnsym.model.instances import instance_from_dict
    >>> inst = instance_from_dict({"format": "qnnsym-instance/1", "n_qubits": 1, "circuit": [
    ...     {"gate": {"pauli": "Y0"}}, {"fixed": {"pauli": "Z0", "angle": "1/4*pi"}}, {"gate": {"pauli": "Y0"}}],
    ...     "observable": {"pauli": "X0"}, "samples": [{"state": {"vector": ["1", "0"]}}],
    ...     "objective": {"kind": "expectation"}})
    >>> S = sqrt2_loss(inst)
    >>> S.p, S.signs, S.wide.p, S.wide.omega, S.rational
    (2, (1, 1), 3, (2, 2, 2), False)
    """
    from ..expansion.phi import loss_poly
    from ..model.circuit import QNN, FixedGate, Gate

    qnn = instance.qnn
    if not any(isinstance(o, FixedGate) and o.sqrt2 for o in qnn.ops):
        return None
    names = qnn.parameter_names
    psi = PSI_NAME
    while psi in names:
        psi += "'"
    P = len(names)
    ops, gi, freed = [], 0, []
    for o in qnn.ops:
        if isinstance(o, Gate):
            ops.append(replace(o, angle=qnn.angles[gi]))
            gi += 1
        elif isinstance(o, FixedGate) and o.sqrt2:
            m = _odd_eighth(o.pi_angle)
            freed.append(o.name or "fixed")
            ops.append(Gate(PauliSum(o.pauli.n, dict(o.pauli)), name=o.name, angle=((P, Fraction(m)),)))
        else:
            ops.append(o)
    wide_qnn = QNN(tuple(ops), n_qubits=qnn.n_qubits, dim=qnn.dim, field=qnn.field, parameters=tuple(names) + (psi,))
    wide = replace(instance, qnn=wide_qnn)
    if not wide.exact:
        return None
    return Sqrt2Loss(loss_poly(wide), P, tuple(freed))


def pin_equation(n_pairs: int, index: int, signs: tuple[int, int]) -> dict:
    """``τ s_ψ − σ c_ψ`` for the pair ``index`` of ``n_pairs`` (a cs polynomial, :mod:`.system`), ``(σ, τ) = signs``."""
    c = [0] * (2 * n_pairs)
    s = list(c)
    c[2 * index], s[2 * index + 1] = 1, 1
    return {tuple(s): Fraction(signs[1]), tuple(c): Fraction(-signs[0])}


def _theta_bounds(system, p: int) -> dict:
    """The bounds of the circuit's own system: ``g_l`` (``l < p``) over the ``θ`` pairs (the coefficient field
    does not change the degrees; ``ψ`` is a constant there)."""
    from ..exact.combinatorics import permanent

    d = [[max((k[2 * j] + k[2 * j + 1] for k in g), default=0) for j in range(p)] for g in system.gradient[:p]]
    tot = [max((sum(k[:2 * p]) for k in g), default=0) for g in system.gradient[:p]]
    D = [max((abs(h[j]) for h in system.loss.terms), default=0) for j in range(p)]
    return {"bezout": math.prod(tot) * 2 ** p, "multihomogeneous": permanent(d) * 2 ** p,
            "bezout_generic": (2 * sum(D)) ** p, "multihomogeneous_generic": math.factorial(p) * math.prod(2 * x for x in D)}


def _value_polynomial(pt, cs: dict, n_pairs: int):
    """The characteristic polynomial of multiplication by the loss on ``Q[u]/(q)`` (``q`` the point's eliminant):
    its roots are the loss values at the roots of ``q``, the point's value among them."""
    import flint

    from .points import substitute_rur

    q = pt._q
    N, D = pt._cache["N"], pt._cache["D"]
    A, e = substitute_rur(cs, n_pairs, q, N, D)
    g, inv, _ = (D ** e % q).xgcd(q)
    r = A * inv / g[0] % q                       # g is a non-zero constant: D does not vanish at the roots of q
    n = q.degree()
    cols, col = [], r
    for _ in range(n):
        cols.append([col[i] for i in range(n)])
        col = col * flint.fmpq_poly([0, 1]) % q
    return flint.fmpq_mat(n, n, [cols[j][i] for i in range(n) for j in range(n)]).charpoly()


def value_roots(points, cs: dict, n_pairs: int, bits: int = 200) -> list[int | None]:
    """For algebraic points (:class:`~qnnsym.critical.points.AlgebraicPoint`), the index of the root of one *value
    polynomial* that is each point's loss value (``None`` where the enclosure does not single one out).

    At the roots ``u_i`` of a point's eliminant ``q`` the loss is ``r(u_i)``, ``r = A·D^{-e} mod q``
    (:func:`~qnnsym.critical.points.substitute_rur`); these values are the eigenvalues of multiplication by ``r`` on
    ``Q[u]/(q)``, roots of its characteristic polynomial.  ``P`` is the square-free part of the lcm of these
    polynomials over the points' eliminants; Arb isolates its roots in disjoint balls, one root each; a value (a root
    of ``P``) whose enclosure meets exactly one ball is that root.  Two points with the same index have **equal**
    values, exactly.
    """
    import flint

    from ..exact.interval import ball, precision

    if not points or any(pt.coords is not None for pt in points):
        return [None] * len(points)
    P = flint.fmpq_poly([1])
    for elim in dict.fromkeys(pt.eliminant for pt in points):
        Pi = _value_polynomial(next(pt for pt in points if pt.eliminant == elim), cs, n_pairs)
        P = P * Pi / P.gcd(Pi)
    P = P / P.gcd(P.derivative())
    roots = [z for z, _ in P.numer().complex_roots()]
    out = []
    for pt in points:
        with precision(bits + 64):
            v = ball(*pt.value_interval(cs, bits))
            hit = [k for k, z in enumerate(roots) if z.imag.contains(0) and z.real.overlaps(v)]
        out.append(hit[0] if len(hit) == 1 else None)
    return out


def _decide_global(pts: list, cs: dict, n_pairs: int) -> list[str]:
    """Decide ``global`` for the points whose loss intervals overlap the least one (of a complete list): when their
    values are the same root of the value polynomial (:func:`value_roots`) they are all equal to the least value."""
    undecided = [cp for cp in pts if cp.is_global is None]
    if len(undecided) < 2 or any(cp.point is None for cp in undecided):
        return []
    idx = value_roots([cp.point for cp in undecided], cs, n_pairs)
    if idx[0] is None or any(k != idx[0] for k in idx):
        return []
    for cp in undecided:
        cp.is_global = True
    return [f"{len(undecided)} points share the least critical value, proven exactly (one root of the value "
            "polynomial charpoly(L mod q))"]


def solve_sqrt2(sq: Sqrt2Loss, backend: str = "auto", time_limit: float | None = None, bits: int = 64,
                clock=None) -> tuple:
    """Solve and classify the circuit ``L(θ, π/8)`` exactly (module docstring, steps 2–4).

    Parameters
    ----------
    sq : Sqrt2Loss
    backend : str
        Only the Gröbner route proves the count (the pinned system is never generic, so msolve's and the
        homotopy's count-equals-bound proofs do not apply): another name adds a note.
    time_limit : float, optional
        Seconds (:class:`~qnnsym.errors.TimeBudgetExceeded` past it).

    Returns
    -------
    (SolveResult, list of ClassifiedPoint, list of str, float)
        The result restated for the circuit (``p``, ``ω``, bounds of the ``θ`` system, ``n_complex`` halved, the
        kept branch's real points), its classified points (unsorted; none when positive-dimensional), notes, and
        the classification's seconds.
    """
    from ..errors import CertificateError
    from .backends.common import Budget
    from .backends.sympy_backend import solve_sympy
    from .classify import LossData, classify_points
    from .system import CriticalSystem, critical_system

    p, L = sq.p, sq.wide
    full = critical_system(L)
    sigma, tau = sq.signs
    system = CriticalSystem(L, tuple(full.gradient[:p]) + (pin_equation(p + 1, p, sq.signs),))
    notes = [f"exact over Q(√2): {', '.join(sq.gates)} (rotations by odd multiples of π/4) freed into ψ = π/8 "
             f"(φ_ψ = {sq.eighths}π/4), pinned by {'' if tau > 0 else '−'}s_ψ {'−' if sigma > 0 else '+'} c_ψ = 0 "
             f"(adjoins √2 = {'' if tau > 0 else '−'}2s_ψ); branch {'' if tau > 0 else '−'}s_ψ > 0 kept, decided exactly"]
    if backend not in ("auto", "sympy"):
        notes.append(f"backend {backend!r}: the pinned system is solved with sympy (its count is not the bound, so "
                     "only a Gröbner basis proves completeness)")
    budget = Budget(time_limit, False, label=f"critical points (sympy over Q(√2), p={p})", clock=clock)
    try:        # the parametrization of the pinned system has rationals of more than 4300 digits from p = 3 on
        with long_integers():
            res = solve_sympy(system, budget)
    finally:
        budget.close()
    bounds = _theta_bounds(system, p)
    if res.dimension != 0:
        res.p, res.omega, res.bounds = p, L.omega[:p], bounds
        return res, [], notes, 0.0
    key = tuple(int(i == 2 * p + 1) for i in range(2 * p + 2))
    kept = [pt for pt in res.real_points if pt.sign({key: Fraction(tau)}) > 0]
    if res.n_complex % 2:
        raise CertificateError(f"an odd number of complex solutions ({res.n_complex}): the conjugate branches "
                               "must be of equal size")
    t0 = time.perf_counter()
    data = LossData(L, free=p)
    pts = classify_points(data, kept, complete=bool(res.complete), bits=bits)
    if res.complete:               # the least listed value is then the global minimum
        notes += _decide_global(pts, data.cs, p + 1)
    res.notes.append(f"pinned system: {res.n_complex} complex solutions, {len(res.real_points)} real over both "
                     f"branches w = ±√2; the circuit's branch (s_ψ > 0): {res.n_complex // 2} complex (Galois), "
                     f"{len(kept)} real")
    res.p, res.omega, res.bounds = p, L.omega[:p], bounds
    res.n_complex, res.real_points = res.n_complex // 2, kept
    return res, pts, notes, time.perf_counter() - t0
