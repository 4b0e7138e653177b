"""Realising a design on any QNN with linear independence (eq. 18, Lemmas 3–4, Theorem 2).

A residual ``κ r(θ)`` is produced by ``ρ = I/d + κ D`` with ``tr(D Φ_ξ(M)) = r̂_ξ`` for ``ξ ≠ 0`` and
``tr D = 0`` (eq. 18), solved exactly through the Gram matrix of the ``Φ_ξ(M)``; one exact
rational ``κ`` makes every ``ρ_k ⪰ 0``; the label is ``y = tr(ρ Φ_0(M)) − κ r̂_0``.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

from ..errors import ValidationError
from ..exact.opmatrix import OpMatrix
from ..exact.paulis import PauliSum
from ..exact.scalars import GaussianRational, format_scalar
from ..expansion.phi import loss_poly, phi_terms
from ..model.circuit import QNN, TWO_LEVEL, Operator, to_opmatrix
from ..model.data import Dataset, Instance, Sample, validate_state
from .construction import Construction
from .design_certificate import certify_design
from .designs import Design, _rational, angles_from_spec, default_angles, separable_design, translate
from .independence import _rows, gram_matrix, independence

__all__ = ['realise_design', 'theorem2_construction', 'theorem2_instance']


def _kappa_bound(D: Operator, d: int) -> Fraction:
    """A rational ``κ₀`` with ``I/d + κD ⪰ 0`` for ``0 ≤ κ ≤ κ₀`` (``‖D‖ ≤ Σ|c_P|`` or ``‖D‖_F``)."""
    if isinstance(D, PauliSum):
        norm = sum((abs(Fraction(v)) for k, v in D.items() if k != (0, 0)), Fraction(0))
    else:
        fro2 = D.inner(D)
        fro2 = fro2.re if isinstance(fro2, GaussianRational) else Fraction(fro2)
        q = Fraction(fro2)
        norm = Fraction(math.isqrt(q.numerator * q.denominator) + 1, q.denominator)  # ≥ sqrt(q)
    return Fraction(1, 1) if norm == 0 else 1 / (d * norm)


def _choose_kappa(Ds: Sequence[Operator], d: int, kappa) -> Fraction:
    if kappa is not None:
        return _rational(kappa, "kappa")
    k0 = min(_kappa_bound(D, d) for D in Ds)
    cands = [Fraction(1, 2 ** j) for j in range(0, 40) if Fraction(1, 2 ** j) > k0] + [Fraction(1, math.ceil(1 / k0))]
    for k in cands:
        if all(_psd_ok(_state(D, d, k), d) for D in Ds):
            return k
    return k0


def _state(D: Operator, d: int, kappa: Fraction) -> Operator:
    if isinstance(D, PauliSum):
        return PauliSum.identity(D.n, Fraction(1, d)) + D.scale(kappa)
    return OpMatrix.identity(d).scale(Fraction(1, d)) + D.scale(kappa)


def _psd_ok(rho: Operator, d: int) -> bool:
    try:
        validate_state(rho, d, "state")
    except ValidationError:
        return False
    return True


def _solve_gram(qnn: QNN, M: Operator, targets: list[dict]) -> tuple[list[Operator], str]:
    """Least-norm solutions ``D_k = Σ_ξ c_ξ Φ_ξ(M)`` of eq. (18) with ``G c = r̂_k`` (exact)."""
    import flint

    rep = independence(qnn, M)
    if not rep.independent:
        raise ValidationError("qnn", f"the QNN is not with linear independence: {rep.reason}",
                              expected="a QNN whose operators Φ_ξ(M), ξ ≠ 0, are linearly independent (Definition 1)",
                              fix="add qubits/dimension, change the observable, or use fewer parameters")
    if not (qnn.exact and M.exact):
        raise ValidationError("qnn", "the QNN or the observable is not exact",
                              expected="exact generators and observable (rational / Gaussian-rational entries)",
                              fix="use exact stand-ins, e.g. Cayley unitaries (qnnsym.construct.independence.cayley_qnn)")
    keys, G, ops = gram_matrix(qnn, M, exact=True)
    index = {h: i for i, h in enumerate(keys)}
    T = flint.fmpq_mat(len(keys), len(targets))
    for k, tgt in enumerate(targets):
        for h, v in tgt.items():
            if h not in index:
                raise ValidationError("design", f"residual term h = {h} is not a harmonic of this QNN",
                                      expected="residuals within the span of the expansion (eq. 12)")
            T[index[h], k] = flint.fmpq(v.numerator, v.denominator)
    C = G.solve(T)
    R, _ = _rows(ops, True)
    Dmat = C.transpose() * R
    out = []
    pauli = all(isinstance(o, PauliSum) for o in ops)
    if pauli:
        pkeys = sorted({kk for o in ops for kk in o})
    for k in range(len(targets)):
        row = [Fraction(int(v.p), int(v.q)) for v in (Dmat[k, j] for j in range(Dmat.ncols()))]
        if pauli:
            out.append(PauliSum(M.n, dict(zip(pkeys, row))))
        else:
            dd = qnn.dim
            re = flint.fmpq_mat(dd, dd, [flint.fmpq(v.numerator, v.denominator) for v in row[:dd * dd]])
            im = flint.fmpq_mat(dd, dd, [flint.fmpq(v.numerator, v.denominator) for v in row[dd * dd:]])
            out.append(OpMatrix(dd, re, im))
    return out, f"Gram matrix (exact least-norm solution, rank {rep.exact_rank} = {rep.n_ops})"


def realise_design(qnn: QNN, observable: Operator, design: Design, angles: Sequence[tuple[Fraction, Fraction]],
                   kappa=None, name: str = "", description: str = "", _dual=None) -> Construction:
    """Realise a design on a QNN: samples ``(ρ_k, y_k)`` whose residuals are ``κ r_k(θ)`` (Lemma 3).

    Parameters
    ----------
    qnn, observable
        An exact QNN with linear independence (checked; refused with the reason otherwise).
    design : Design
    angles : list of (cos a_l, sin a_l)
        ``θ*``: ``φ*_l = ω_l θ*_l = a_l``.
    kappa : rational, optional
        Override the automatic choice (largest ``2^{-j}`` passing the exact PSD test).

    Returns
    -------
    Construction

    Raises
    ------
    ValidationError
        QNN without linear independence, inexact QNN, residual outside the expansion's span,
        ``kappa`` too large for ``ρ ⪰ 0``.
    """
    if design.p != qnn.p:
        raise ValidationError("theta_star", f"design for p = {design.p}", expected=f"p = {qnn.p} (the QNN's)")
    omega = qnn.omega
    targets_poly = [translate(r, angles, omega) for r in design.residuals]
    zero = (0,) * qnn.p
    targets = [{h: Fraction(v) for h, v in r.terms.items() if h != zero} for r in targets_poly]
    if _dual is not None:
        Ds, solver, trM = _dual(targets)
    else:
        Ds, solver = _solve_gram(qnn, observable, targets)
        trM = None
    d = qnn.dim
    k = _choose_kappa(Ds, d, kappa)
    terms0 = None
    samples = []
    for D, r in zip(Ds, targets_poly):
        rho = _state(D, d, k)
        if kappa is not None and not _psd_ok(rho, d):
            raise ValidationError("kappa", f"{format_scalar(k)} makes a state non-PSD",
                                  expected="a smaller κ", fix="omit --kappa to choose it automatically")
        if trM is not None:
            y0 = trM
        else:
            if terms0 is None:
                terms0 = phi_terms(qnn, observable).get(zero)
            y0 = Fraction(0) if terms0 is None else _inner(rho, terms0)
        samples.append(Sample(rho, y0 - k * Fraction(r.terms.get(zero, 0))))
    inst = Instance(qnn, observable, Dataset(tuple(samples)), name=name or f"{design.name}(p={design.p})",
                    description=description,
                    meta={"construction": design.name, "p": design.p, "J": design.J, "kappa": format_scalar(k),
                          "params": {a: format_scalar(v) for a, v in design.params.items()},
                          "theta_star_cos_sin": [[format_scalar(c), format_scalar(s)] for c, s in angles]})
    L = loss_poly(inst)
    designed = translate(design.loss(), angles, omega).scale(k * k / inst.m)
    return Construction(inst, design, list(angles), k, L, L == designed, certify_design(design), solver)


def _inner(rho: Operator, A: Operator) -> Fraction:
    if isinstance(rho, PauliSum) and isinstance(A, PauliSum):
        v = rho.inner(A)
    else:
        v = to_opmatrix(rho).inner(to_opmatrix(A))
    if isinstance(v, GaussianRational):
        v = v.re
    return Fraction(v)


def theorem2_construction(qnn: QNN, observable: Operator, theta_star=None, eps="1/2", t="1/2",
                          kappa=None) -> Construction:
    """Theorem 2 for any exact two-level QNN with linear independence: ``S_0`` (Lemma 3, residuals
    ``sin(φ_l − φ*_l)``) and ``S_1`` (Lemma 4, residuals ``ε cos(φ_l − φ*_l) − t``).

    Examples
    --------
    >>> from qnnsym.construct.independence import cayley_qnn
    >>> q, M = cayley_qnn(4, 1, seed=3)
    >>> c = theorem2_construction(q, M)
    >>> c.loss_verified, c.certificate.n_minima, c.certificate.n_spurious
    (True, 2, 1)
    """
    for i, g in enumerate(qnn.gates):
        if g.kind != TWO_LEVEL:
            raise ValidationError(f"qnn.gates[{i}].kind", g.kind, expected="two-level gates (Theorem 2)",
                                  fix="use integer_spectrum_construction for integer spectra")
    angles = default_angles(qnn.p) if theta_star is None else angles_from_spec(theta_star, qnn.p, qnn.omega)
    return realise_design(qnn, observable, separable_design(qnn.p, eps, t), angles, kappa,
                          name=f"theorem2(p={qnn.p}, d={qnn.dim})",
                          description="Theorem 2 construction: S_0 (Lemma 3) + S_1 (Lemma 4); 2^p minima, 2^p - 1 spurious")


# --- built-in factories --------------------------------------------------------------------------

def theorem2_instance(p: int = 2, d: int = 8, seed: int = 0) -> Instance:
    """Theorem-2 dataset on an exact Haar stand-in QNN (Cayley unitaries, ``d``, ``p``).

    Parameters
    ----------
    p : int
        Number of parameters (gates), ``p ≥ 1``; linear independence needs ``d² − 1 ≥ 3^p − 1``.
    d : int
        Hilbert-space dimension (even), e.g. 8 for three qubits.
    seed : int
        Seed of the exact Cayley unitaries (reproducible).
    """
    from .independence import cayley_qnn

    q, M = cayley_qnn(int(d), int(p), int(seed))
    return theorem2_construction(q, M).instance
