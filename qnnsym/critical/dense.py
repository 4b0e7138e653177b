"""Dense random instances: a real QNN dataset behind random multi-affine residuals (docs/math.md).

With ``H_l = Z_l`` and ``M = ⊗(Y + I)``, ``Φ_ξ(M) = P_ξ = ⊗_l {I, Y, X}[ξ_l]`` (eqs. 10–11), so
the output on ``ρ`` is ``f(ρ, θ) = Σ_ξ tr(ρ P_ξ) χ_ξ(θ)`` (eq. 12).  Target residuals
``r_k = Σ_ξ a_{k,ξ} χ_ξ − b_k`` are realised, up to one common factor ``κ > 0`` (which does not move
critical points), by ``ρ_k = (I + κ Σ_{ξ≠0} a_{k,ξ} P_ξ) / 2^p`` and ``y_k = 1 + κ(b_k − a_{k,0})``:
then ``f(ρ_k, θ) − y_k = κ r_k(θ)``.  ``κ = 1 / max_k Σ_{ξ≠0} |a_{k,ξ}|`` makes every ``ρ_k ⪰ 0``
(the Pauli strings have eigenvalues ±1).  Random integer ``a, b ∈ [−3, 3]`` with ``m = 2p + 2``
samples give losses whose critical-point systems reach the multihomogeneous bound ``p!·4^p``.
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from ..budget import refuse_if_too_large
from ..errors import ValidationError
from ..exact.paulis import PauliSum
from ..model.circuit import QNN, TWO_LEVEL, Gate
from ..model.data import Dataset, Instance, Sample
from ..model.instances import _positive_int

__all__ = ["dense_instance", "dense_residuals"]


def _pauli_key(xi: tuple[int, ...]) -> tuple[int, int]:
    """``(x_mask, z_mask)`` of ``⊗{I, Y, X}[ξ_l]`` (Y = both bits, X = x bit)."""
    x = z = 0
    for l, v in enumerate(xi):
        if v == 1:
            x |= 1 << l
            z |= 1 << l
        elif v == 2:
            x |= 1 << l
    return x, z


#: the largest dense family built (m·3^p residual coefficients; p = 9 takes a few seconds)
MAX_DENSE_COEFFICIENTS = 2 ** 19


def dense_residuals(p: int = 2, seed: int = 0, m: int | None = None, coeff_range: int = 3):
    """Random integer residual data ``(a, b)``: ``a[k][ξ]`` for ``ξ ∈ {0,1,2}^p`` and ``b[k]``.

    Parameters
    ----------
    p : int
        Number of parameters.
    seed : int
        Seed of ``numpy.random.default_rng``.
    m : int, optional
        Number of samples (default ``2p + 2``).
    coeff_range : int
        Coefficients are uniform integers in ``[−coeff_range, coeff_range]``.

    Returns
    -------
    (list of dict, list of int)
        ``a`` (one ``{ξ: int}`` per sample) and ``b``.

    Examples
    --------
    >>> a, b = dense_residuals(1, seed=0)
    >>> len(a), sorted(a[0]), all(-3 <= v <= 3 for v in b)
    (4, [(0,), (1,), (2,)], True)
    """
    p = _positive_int(p, "p")
    m = 2 * p + 2 if m is None else _positive_int(m, "m")
    coeff_range = _positive_int(coeff_range, "coeff_range")
    try:
        seed = int(seed)
    except (TypeError, ValueError):
        raise ValidationError("seed", f"{seed!r}", expected="a non-negative integer") from None
    if seed < 0:
        raise ValidationError("seed", f"{seed}", expected="a non-negative integer")
    refuse_if_too_large("p", f"residual coefficients (m·3^p with m = {m})", m * 3 ** p, MAX_DENSE_COEFFICIENTS,
                        fix="use p ≤ 9 (the dense family has 3^p Fourier terms per sample by design)")
    rng = np.random.default_rng(seed)
    xis = list(itertools.product(range(3), repeat=p))
    A = rng.integers(-coeff_range, coeff_range + 1, size=(m, len(xis)))
    B = rng.integers(-coeff_range, coeff_range + 1, size=m)
    return [{xi: int(v) for xi, v in zip(xis, row)} for row in A], [int(v) for v in B]


def dense_instance(p: int = 2, seed: int = 0, m: int | None = None) -> Instance:
    """The dense random instance of docs/math.md "Dense random instances".

    Parameters
    ----------
    p : int
        Number of parameters (= qubits), ``p ≥ 1``.
    seed : int
        Random seed (reproducible).
    m : int, optional
        Number of samples (default ``2p + 2``).

    Returns
    -------
    Instance
        ``meta`` holds ``kappa`` and the residual data ``a``, ``b`` (strings).

    Raises
    ------
    ValidationError
        For a non-positive ``p``/``m`` or a negative seed.

    Examples
    --------
    >>> from qnnsym.expansion import output_polys
    >>> inst = dense_instance(1, seed=3)
    >>> a, b = dense_residuals(1, seed=3)
    >>> kappa = Fraction(inst.meta["kappa"])
    >>> f0 = output_polys(inst)[0]
    >>> f0.coefficient_xi((1,)) == kappa * a[0][(1,)] and inst.m == 4
    True
    """
    p = _positive_int(p, "p")
    a, b = dense_residuals(p, seed, m)
    big = max(sum(abs(v) for xi, v in row.items() if any(xi)) for row in a)
    kappa = Fraction(1, big) if big else Fraction(1)
    n = p
    d = Fraction(1, 2 ** n)
    gates = tuple(Gate(PauliSum.string(n, f"Z{l}"), TWO_LEVEL, field=f"qnn.gates[{l}]") for l in range(p))
    M = PauliSum(n, {(mask, mask): Fraction(1) for mask in range(2 ** n)})  # ⊗(I + Y)
    samples = []
    scale = kappa * d                       # every coefficient is v·scale: one Fraction per term
    num, den = scale.numerator, scale.denominator
    keys = {xi: _pauli_key(xi) for xi in a[0]} if a else {}
    names = {xi: "".join(map(str, xi)) for xi in keys}
    for row, bk in zip(a, b):
        terms = {(0, 0): d}
        for xi, v in row.items():
            if v and any(xi):
                terms[keys[xi] if xi in keys else _pauli_key(xi)] = Fraction(v * num, den)
        samples.append(Sample(PauliSum(n, terms), 1 + kappa * (bk - row[(0,) * p])))
    return Instance(QNN(gates, n_qubits=n), M, Dataset(tuple(samples)), name=f"dense(p={p}, seed={seed})",
                    description="dense random instance: H_l = Z_l, M = ⊗(Y+I), random integer residuals in [-3, 3]",
                    meta={"builtin": "dense", "p": p, "seed": int(seed), "m": len(a), "kappa": str(kappa),
                          "a": [{names.get(xi) or "".join(map(str, xi)): v for xi, v in row.items()} for row in a],
                          "b": b})
