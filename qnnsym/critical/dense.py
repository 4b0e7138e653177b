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

from ..budget import power_estimate, refuse_if_too_large
from ..errors import ValidationError
from ..exact.paulis import PauliSum
from ..exact.scalars import as_fraction
from ..model.circuit import QNN, TWO_LEVEL, Gate
from ..model.data import Dataset, Instance, Sample
from ..model.instances import _positive_int
from ..validate import as_int

__all__ = ["dense_instance", "dense_residuals", "residual_instance"]


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
    refuse_if_too_large("p", f"residual coefficients (m·3^p with m = {m})", m * power_estimate(3, p), MAX_DENSE_COEFFICIENTS,
                        fix="use p ≤ 9 (the dense family has 3^p Fourier terms per sample by design)")
    rng = np.random.default_rng(seed)
    xis = list(itertools.product(range(3), repeat=p))
    A = rng.integers(-coeff_range, coeff_range + 1, size=(m, len(xis)))
    B = rng.integers(-coeff_range, coeff_range + 1, size=m)
    return [{xi: int(v) for xi, v in zip(xis, row)} for row in A], [int(v) for v in B]


def _residual_model(p: int, rows: list[dict], bs: list) -> tuple[QNN, PauliSum, Dataset, Fraction]:
    """``(qnn, M, dataset, κ)`` realising the residuals ``κ·r_k``, ``r_k = Σ_ξ rows[k][ξ] χ_ξ − bs[k]``
    (``H_l = Z_l``, ``M = ⊗(I + Y)``, ``ρ_k = I/d + κ Σ_ξ a_kξ P_ξ / d``; κ keeps every ρ_k ⪰ 0)."""
    big = max(sum(abs(v) for xi, v in row.items() if any(xi)) for row in rows)
    kappa = Fraction(1) / big if big else Fraction(1)
    d = Fraction(1, 2 ** p)
    gates = tuple(Gate(PauliSum.string(p, f"Z{l}"), TWO_LEVEL, field=f"qnn.gates[{l}]") for l in range(p))
    M = PauliSum(p, {(mask, mask): Fraction(1) for mask in range(2 ** p)})  # ⊗(I + Y)
    scale = kappa * d                       # every coefficient is v·scale: one Fraction per term
    num, den = scale.numerator, scale.denominator
    keys: dict = {}
    samples = []
    for row, bk in zip(rows, bs):
        terms = {(0, 0): d}
        for xi, v in row.items():
            if v and any(xi):
                key = keys.get(xi)
                if key is None:
                    key = keys[xi] = _pauli_key(xi)
                terms[key] = Fraction(v * num, den)
        samples.append(Sample(PauliSum(p, terms), 1 + kappa * (bk - row.get((0,) * p, 0))))
    return QNN(gates, n_qubits=p), M, Dataset(tuple(samples)), kappa


def residual_instance(a, b, name: str = "residual instance", description: str | None = None,
                      meta: dict | None = None) -> Instance:
    """The exact QNN instance (``H_l = Z_l``, ``M = ⊗(Y + I)``) whose residuals are ``κ·r_k`` with
    ``r_k = Σ_ξ a[k][ξ] χ_ξ − b[k]`` (docs/math.md "Dense random instances").

    Parameters
    ----------
    a : sequence of dict
        ``a[k][ξ]``: rational (int, Fraction or exact string) coefficients, ``ξ ∈ {0,1,2}^p`` as a
        tuple (missing keys are 0); every row must have the same ``p``.
    b : sequence
        Rational offsets, one per sample.
    name, description : str
    meta : dict, optional
        Extra free-form fields (the residual data and ``kappa`` are always recorded).

    Returns
    -------
    Instance

    Raises
    ------
    ValidationError
        Empty data, rows of different ``p``, lengths that differ, or non-rational coefficients.

    Examples
    --------
    >>> from qnnsym.expansion import loss_poly
    >>> inst = residual_instance([{(1,): 1}, {(2,): 1}], [0, 0])      # r = (cos φ, sin φ): L constant
    >>> loss_poly(inst).degrees()
    (0,)
    """
    if not a or len(a) != len(b):
        raise ValidationError("a, b", f"{len(a)} and {len(b)} samples", expected="the same positive number of samples")
    rows = []
    p = None
    for k, row in enumerate(a):
        r = {}
        for xi, v in row.items():
            xi = tuple(int(c) for c in xi)
            if p is None:
                p = len(xi)
            if len(xi) != p or any(c not in (0, 1, 2) for c in xi):
                raise ValidationError(f"a[{k}]", f"multi-index {xi}", expected=f"a tuple in {{0,1,2}}^{p}")
            r[xi] = as_fraction(v, f"a[{k}][{''.join(map(str, xi))}]")
        rows.append(r)
    if not p:
        raise ValidationError("a", "no coefficient", expected="at least one multi-index of length p ≥ 1")
    bs = [as_fraction(v, f"b[{k}]") for k, v in enumerate(b)]
    qnn, M, data, kappa = _residual_model(p, rows, bs)
    info = {"p": p, "m": len(rows), "kappa": str(kappa),
            "a": [{"".join(map(str, xi)): str(v) for xi, v in sorted(row.items()) if v} for row in rows],
            "b": [str(v) for v in bs]}
    info.update(meta or {})
    return Instance(qnn, M, data, name=name,
                    description=description or "H_l = Z_l, M = ⊗(Y+I), residuals r_k = Σ_ξ a_kξ χ_ξ − b_k "
                                               "realised up to the factor kappa", meta=info)


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
    seed = as_int(seed, "seed", lo=0, text=True)     # seed=0.5 would silently be seed 0
    a, b = dense_residuals(p, seed, m)
    qnn, M, data, kappa = _residual_model(p, a, b)
    names = {xi: "".join(map(str, xi)) for xi in a[0]}
    return Instance(qnn, M, data, name=f"dense(p={p}, seed={seed})",
                    description="dense random instance: H_l = Z_l, M = ⊗(Y+I), random integer residuals in [-3, 3]",
                    meta={"builtin": "dense", "p": p, "seed": int(seed), "m": len(a), "kappa": str(kappa),
                          "a": [{names.get(xi) or "".join(map(str, xi)): v for xi, v in row.items()} for row in a],
                          "b": b})
