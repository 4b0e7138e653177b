"""Direct simulation ``f(ρ, θ) = tr(U(θ) ρ U(θ)† M)`` with dense matrices — the reference the
expansion is checked against (exact at rational-angle points, or in floats).

Exact points are given by ``(cos θ_l, sin θ_l)`` rational pairs, so ``V_l = cos θ I - i sin θ H``
(two-level) or ``V_l = Σ_E (cos θ - i sin θ)^E P_E`` (integer spectrum) are exact.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import numpy as np
from scipy.linalg import expm

from ..errors import ValidationError
from ..exact.opmatrix import OpMatrix, spectral_projectors
from ..exact.scalars import GaussianRational
from ..model.circuit import TWO_LEVEL, Gate, to_opmatrix
from ..model.data import Instance

__all__ = ["outputs_direct_exact", "outputs_direct_float", "phi_point"]


def _gauss_pow(c: Fraction, s: Fraction, e: int) -> GaussianRational:
    """``(c - i s)^e`` exactly (``e`` may be negative; ``c² + s² = 1``)."""
    re, im = Fraction(1), Fraction(0)
    bc, bs = (c, -s) if e >= 0 else (c, s)
    for _ in range(abs(e)):
        re, im = re * bc - im * bs, re * bs + im * bc
    return GaussianRational(re, im)


def outputs_direct_exact(inst: Instance, cs_theta: Sequence[tuple[Fraction, Fraction]]) -> list:
    """Exact ``f(ρ_k, θ)`` for all samples at the point ``(cos θ_l, sin θ_l) = cs_theta[l]``.

    The point gives one angle per parameterised gate: for gates sharing parameters, the gate
    angles ``t_g = Σ_l a_gl θ_l``.

    Each state is evolved gate by gate, ``ρ ↦ VρV†``; a fixed Pauli rotation given by
    ``(cos 2a, sin 2a)`` acts as ``ρ ↦ (1+cos2a)/2 ρ + (1−cos2a)/2 PρP + (i sin2a/2)(ρP − Pρ)``
    (no half angle needed).

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> outputs_direct_exact(prop5_instance(1), [(Fraction(1), Fraction(0))])
    [Fraction(1, 5), Fraction(13, 10)]
    """
    if len(cs_theta) != inst.qnn.n_gates:
        raise ValidationError("theta", f"{len(cs_theta)} angles", expected=f"{inst.qnn.n_gates} (one per parameterised gate)")
    if not inst.exact:
        raise ValidationError("instance", "exact simulation of an inexact instance", expected="exact coefficients")
    d = inst.dim
    channels = []  # each: function rho -> rho'
    l = 0
    for op in inst.qnn.ops:
        if isinstance(op, Gate):
            c, s = (Fraction(x) for x in cs_theta[l])
            if c * c + s * s != 1:
                raise ValidationError(f"theta[{l}]", "cos² + sin² ≠ 1", expected="a rational point on the unit circle")
            H = to_opmatrix(op.generator)
            if op.kind == TWO_LEVEL:
                V = OpMatrix.identity(d).scale(c) - H.scale(s).times_i()
            else:
                V = OpMatrix.zeros(d)
                for E, P in spectral_projectors(H, op.spectrum).items():
                    V = V + P.scale(_gauss_pow(c, s, E))
            channels.append(_unitary_channel(V))
            l += 1
        elif op.unitary is not None:
            channels.append(_unitary_channel(op.unitary))
        else:
            channels.append(_rotation_channel(to_opmatrix(op.pauli), Fraction(op.cos2a), Fraction(op.sin2a)))
    M = to_opmatrix(inst.observable)
    out = []
    for smp in inst.dataset.samples:
        rho = to_opmatrix(smp.state)
        for ch in channels:
            rho = ch(rho)
        v = rho.inner(M)
        out.append(v.re if isinstance(v, GaussianRational) else v)
    return out


def _unitary_channel(V: OpMatrix):
    Vd = V.adjoint()
    return lambda rho: V @ rho @ Vd


def _rotation_channel(P: OpMatrix, c2: Fraction, s2: Fraction):
    def apply(rho: OpMatrix) -> OpMatrix:
        return (rho.scale((1 + c2) / 2) + (P @ rho @ P).scale((1 - c2) / 2)
                + (rho @ P - P @ rho).times_i().scale(s2 / 2))
    return apply


def phi_point(inst: Instance, cs_theta: Sequence[tuple[Fraction, Fraction]],
              omega: Sequence[int] | None = None) -> list[tuple[Fraction, Fraction]]:
    """``(cos φ_l, sin φ_l)`` with ``φ_l = ω_l θ_l`` from ``(cos θ_l, sin θ_l)`` (exact); ``omega``: the
    base frequencies of the polynomial to evaluate (default the circuit's)."""
    from ..exact.trigpoly import cos_sin_multiple

    om = inst.qnn.omega if omega is None else omega
    return [cos_sin_multiple(Fraction(c), Fraction(s), w)[w] for (c, s), w in zip(cs_theta, om)]


def outputs_direct_float(inst: Instance, theta) -> np.ndarray:
    """Float ``f(ρ_k, θ)``, shape ``(N, m)`` for ``theta`` of shape ``(N, p)`` (scipy ``expm``; gate ``g``
    at the angle ``Σ_l a_gl θ_l`` when gates share parameters)."""
    from ..model.data import dense_arrays

    th = np.atleast_2d(np.asarray(theta, dtype=float))
    if inst.qnn.tied:                           # gate angles t = A θ (shared parameters)
        th = th @ inst.qnn.angle_matrix().T
    arr = dense_arrays(inst)
    out = np.empty((th.shape[0], inst.m))
    for n_, t in enumerate(th):
        U = np.eye(inst.dim, dtype=complex)
        for op in arr["ops"]:
            if op[0] == "gate":
                U = expm(-1j * t[op[1]] * op[2]) @ U
            else:
                U = op[1] @ U
        rhos = U @ arr["rhos"] @ U.conj().T
        out[n_] = np.einsum("kij,ji->k", rhos, arr["observable"]).real
    return out
