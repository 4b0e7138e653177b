"""Shared parameters: a polynomial in the gate angles rewritten in the free parameters (docs/math.md
"Shared parameters and linear angles").

A circuit whose gate ``g`` has the angle ``t_g = Σ_l a_gl θ_l`` (:attr:`~qnnsym.model.circuit.Gate.angle`)
is expanded gate by gate as an untied circuit (eq. 12, one variable ``t_g`` per gate), then every
Fourier term ``e^{i Σ_g n_g ω_g t_g}`` becomes ``e^{i Σ_l k_l ω_l θ_l}`` with
``k_l = Σ_g n_g ω_g a_gl / ω_l`` — an integer, since ``ω_l = gcd_g(ω_g |a_gl|)`` (``QNN.omega``).
The substitution is a ring homomorphism, so it can be applied to the outputs before squaring.
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from ..exact.scalars import GaussianRational
from ..exact.trigpoly import TrigPoly
from ..model.circuit import QNN
from ..model.data import Instance

__all__ = ["substitute_angles", "untied_instance", "from_fourier", "gate_points", "common_frequencies"]


def untied_instance(inst: Instance) -> Instance:
    """``inst`` with every gate a parameter of its own (``inst`` itself when it is untied)."""
    return inst if not inst.qnn.tied else replace(inst, qnn=inst.qnn.untied())


def from_fourier(p: int, coeffs: dict, omega) -> TrigPoly:
    """The real polynomial ``Σ_k c_k e^{i k·φ}`` (``c_{−k} = conj(c_k)``) in the harmonic basis; the
    inverse of :meth:`TrigPoly.fourier`.

    Examples
    --------
    >>> T = TrigPoly(2, {(1, -1): Fraction(3), (0, 2): Fraction(1, 2), (0, 0): Fraction(1)})
    >>> from_fourier(2, T.fourier(), 2) == T
    True
    """
    acc: dict = {}
    for k, c in coeffs.items():
        re, im = (c.re, c.im) if isinstance(c, GaussianRational) else \
            ((c.real, c.imag) if isinstance(c, complex) else (c, 0))
        parts = [((), 0, 1)]                 # (h, power of i, sign)
        for kl in k:
            if kl == 0:
                parts = [(h + (0,), s, sg) for h, s, sg in parts]
            else:                            # e^{ikφ} = cos|k|φ + i·sgn(k)·sin|k|φ
                parts = [q for h, s, sg in parts
                         for q in ((h + (abs(kl),), s, sg), (h + (-abs(kl),), s + 1, sg * (1 if kl > 0 else -1)))]
        for h, s, sg in parts:
            v = (re, -im, -re, im)[s % 4] * sg    # Re(c · i^s) · sign
            if v:
                acc[h] = acc.get(h, 0) + v
    return TrigPoly(p, acc, omega)


def substitute_angles(poly: TrigPoly, qnn: QNN) -> TrigPoly:
    """A polynomial in the gate angles ``t_g`` (as :func:`~qnnsym.expansion.phi.output_polys` of the
    untied circuit gives it) as a polynomial in the free parameters ``θ_l``, ``t_g = Σ_l a_gl θ_l``.

    Examples
    --------
    >>> from qnnsym.model.circuit import Gate
    >>> from qnnsym.exact.paulis import PauliSum
    >>> q = QNN((Gate(PauliSum.string(1, "Z0"), angle=((0, 1),)), Gate(PauliSum.string(1, "Z0"), angle=((0, 1),))),
    ...         n_qubits=1, parameters=("t",))
    >>> f = TrigPoly(2, {(1, 1): Fraction(1)})                      # cos 2t_1 · cos 2t_2
    >>> substitute_angles(f, q).to_string()                         # = (1 + cos 4t)/2
    '1/2 + 1/2*cos(4θ1)'
    """
    if not qnn.tied:
        return poly
    gomega = tuple(g.omega for g in qnn.gates)
    omega = qnn.omega
    # per gate: its frequency ω_g t_g in units of ω_l θ_l
    rows = [[(l, a * w / omega[l]) for l, a in ang]            # integers: ω_l divides every ω_g·|a_gl|
            for w, ang in zip(gomega, qnn.angles)]
    out: dict = {}
    for n, c in poly.fourier().items():
        k = [0] * qnn.p
        for g, ng in enumerate(n):
            if ng:
                for l, r in rows[g]:
                    k[l] += ng * r
        key = tuple(int(x) for x in k)
        if isinstance(c, GaussianRational):
            prev = out.get(key, GaussianRational(Fraction(0), Fraction(0)))
            out[key] = GaussianRational(prev.re + c.re, prev.im + c.im)
        else:
            out[key] = out.get(key, 0) + complex(c)
    return from_fourier(qnn.p, out, omega)


def gate_points(qnn: QNN, cs_params):
    """Exact ``(cos t_g, sin t_g)`` of every gate angle ``t_g = Σ_l a_gl θ_l`` from the parameter point
    ``(cos θ_l, sin θ_l) = cs_params[l]`` (integer coefficients ``a_gl``; a gate-level point is returned
    unchanged for an untied circuit).

    Examples
    --------
    >>> from qnnsym.model.circuit import Gate
    >>> from qnnsym.exact.paulis import PauliSum
    >>> q = QNN((Gate(PauliSum.string(1, "Z0"), angle=((0, 2),)),), n_qubits=1, parameters=("t",))
    >>> gate_points(q, [(Fraction(3, 5), Fraction(4, 5))])           # (cos 2t, sin 2t)
    [(Fraction(-7, 25), Fraction(24, 25))]
    """
    from ..errors import ValidationError
    from ..exact.trigpoly import cos_sin_multiple

    if not qnn.tied:
        return list(cs_params)
    out = []
    for g, ang in enumerate(qnn.angles):
        c, s = Fraction(1), Fraction(0)
        for l, a in ang:
            if a.denominator != 1:
                raise ValidationError(f"gate {g}: angle", f"coefficient {a}", expected="integer coefficients for an "
                                      "exact point (cos, sin of a half angle is irrational in general)")
            cl, sl = cos_sin_multiple(Fraction(cs_params[l][0]), Fraction(cs_params[l][1]), abs(int(a)))[abs(int(a))]
            sl = sl if a > 0 else -sl
            c, s = c * cl - s * sl, s * cl + c * sl
        out.append((c, s))
    return out


def common_frequencies(polys: list[TrigPoly]) -> list[TrigPoly]:
    """The polynomials in the largest base frequencies they allow: when every harmonic of ``θ_l`` in
    every polynomial is a multiple of ``g_l``, ``ω_l`` becomes ``g_l·ω_l`` and the harmonics are divided
    by ``g_l`` (the same functions; degrees and bounds drop by the factor ``g_l``).

    Applied to the outputs of circuits with shared parameters (QAOA's energy has only even harmonics
    of ``2γ``); the checker re-derives it (docs/math.md, "Shared parameters and linear angles").

    Examples
    --------
    >>> f = TrigPoly(2, {(2, 0): Fraction(1), (0, 1): Fraction(3)}, (2, 2))      # cos 4θ₁ + 3 cos 2θ₂
    >>> g, = common_frequencies([f])
    >>> g.omega, g.terms
    ((4, 2), {(1, 0): Fraction(1, 1), (0, 1): Fraction(3, 1)})
    """
    from math import gcd

    if not polys:
        return polys
    p = polys[0].p
    g = [0] * p
    for f in polys:
        for h in f.terms:
            for l, j in enumerate(h):
                g[l] = gcd(g[l], abs(j))
    if all(x in (0, 1) for x in g):
        return polys
    div = [x or 1 for x in g]
    omega = tuple(w * d for w, d in zip(polys[0].omega, div))
    return [TrigPoly(p, {tuple(j // d for j, d in zip(h, div)): v for h, v in f.terms.items()}, omega) for f in polys]
