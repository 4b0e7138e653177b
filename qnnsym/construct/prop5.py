"""Proposition 5: product QNNs ``h_l``, ``m_l`` on one qubit each, separable and coupled designs.

The dual basis of the per-qubit operators ``Φ^(j)(m_l)`` solves eq. (18) directly; the coupled
(Ising-type) design gives a family whose minima defeat coordinate-wise greedy search
(:func:`greedy_demo`).
"""
from __future__ import annotations

import math
from fractions import Fraction
from math import prod

import numpy as np

from ..budget import refuse_if_too_large
from ..errors import ValidationError
from ..exact.opmatrix import OpMatrix
from ..exact.paulis import PauliSum
from ..exact.scalars import as_fraction
from ..expansion.phi import phi
from ..model.circuit import QNN, TWO_LEVEL, Gate, to_opmatrix
from ..model.data import Instance
from ..model.instances import MAX_OBSERVABLE_TERMS
from ..sim.search import coordinate_greedy
from .construction import Construction
from .designs import angles_from_spec, default_angles, design_p, ising_design, separable_design
from .realise import realise_design

__all__ = ['prop5_qnn', 'prop5_construction', 'prop5_family_instance', 'prop5_coupled_instance', 'greedy_demo']


# --- Proposition 5 ----------------------------------------------------------------------------------

def _single(op, field: str) -> PauliSum:
    if isinstance(op, PauliSum):
        if op.n != 1:
            raise ValidationError(field, f"acts on {op.n} qubits", expected="a single-qubit operator")
        return op
    if isinstance(op, str):
        return PauliSum.from_labels(1, _labels_from_text(op, field), field)
    if isinstance(op, dict):
        return PauliSum.from_labels(1, op, field)
    from ..exact.paulis import pauli_sum_from_matrix

    return pauli_sum_from_matrix(to_opmatrix(op) if isinstance(op, OpMatrix) else OpMatrix.from_rows(op, field), 1, field)


def _labels_from_text(text: str, field: str) -> dict:
    """``"Y + I"``, ``"3/5 X + 4/5 Z"`` → ``{"Y0": 1, "I": 1}`` (single qubit)."""
    import re

    out: dict = {}
    t = text.replace(" ", "")
    for m in re.finditer(r"([+-]?)([0-9/]*)\*?([IXYZ])", t):
        sign, coef, letter = m.groups()
        c = as_fraction(coef, field) if coef else Fraction(1)
        c = -c if sign == "-" else c
        key = "I" if letter == "I" else f"{letter}0"
        out[key] = out.get(key, 0) + c
    if not out or re.sub(r"([+-]?)([0-9/]*)\*?([IXYZ])", "", t):
        raise ValidationError(field, f"{text!r}", expected='a single-qubit Pauli sum such as "Y + I" or "3/5 X + 4/5 Z"')
    return out


def _embed(op: PauliSum, q: int, n: int) -> PauliSum:
    return PauliSum(n, {(x << q, z << q): v for (x, z), v in op.items()})


def prop5_qnn(p: int, h="Z", m="Y + I") -> tuple[QNN, PauliSum, list, list]:
    """The Proposition-5 circuit: ``H_l = h_l`` on qubit ``l``, ``M = ⊗_l m_l``.

    ``h`` and ``m``: one single-qubit operator for all qubits or a list of ``p``.  Checks the
    proposition's condition ``m_l ± h_l m_l h_l ≠ 0``.

    Returns
    -------
    (QNN, M, hs, ms) with the single-qubit PauliSums.

    Examples
    --------
    >>> q, M, _, _ = prop5_qnn(2)
    >>> q.p, len(M)
    (2, 4)
    """
    p = design_p(p)
    hs = [_single(x, f"h[{l}]") for l, x in enumerate(h if isinstance(h, (list, tuple)) else [h] * p)]
    ms = [_single(x, f"m[{l}]") for l, x in enumerate(m if isinstance(m, (list, tuple)) else [m] * p)]
    if len(hs) != p or len(ms) != p:
        raise ValidationError("h/m", f"{len(hs)}/{len(ms)} operators", expected=f"one or {p}")
    for l, (hl, ml) in enumerate(zip(hs, ms)):
        for which, sign in ((0, "+"), (1, "-")):
            if len(phi(which, ml, hl)) == 0:
                raise ValidationError(f"m[{l}]", f"m {sign} h m h = 0 for h = {hl.to_string()}, m = {ml.to_string()}",
                                      expected="m_l + h_l m_l h_l ≠ 0 and m_l − h_l m_l h_l ≠ 0 (Proposition 5)",
                                      fix="add a component of m commuting with h (e.g. I) and one anticommuting (e.g. Y)")
    refuse_if_too_large("m", "Pauli terms of the observable ⊗_l m_l", prod(len(x) for x in ms), MAX_OBSERVABLE_TERMS,
                        fix="fewer qubits or sparser m_l")
    gates = tuple(Gate(_embed(hl, l, p), TWO_LEVEL, field=f"qnn.gates[{l}]") for l, hl in enumerate(hs))
    M = PauliSum.identity(p)
    for l, ml in enumerate(ms):
        M = M * _embed(ml, l, p)
    return QNN(gates, n_qubits=p), M, hs, ms


def _dual_solver(p: int, hs, ms):
    """Eq. (18) for product QNNs: ``D_h = ⊗_l E_l^{(h_l)}`` with the dual basis
    ``tr(E^{(i)} Φ^{(j)}(m_l)) = δ_ij``: ``E^{(j)} = Φ^{(j)}/tr Φ^{(j)}²``, except
    ``E^{(0)} = I/tr m_l`` when ``tr m_l ≠ 0`` (then ``D_h`` acts on the support of ``h`` only)."""
    E = []
    tr_m = Fraction(1)
    for hl, ml in zip(hs, ms):
        f = [phi(j, ml, hl) for j in (0, 1, 2)]
        t0 = Fraction(ml.trace())
        tr_m *= t0
        E.append({0: PauliSum.identity(1, 1 / t0) if t0 else f[0].scale(1 / Fraction(f[0].inner(f[0]))),
                  1: f[1].scale(1 / Fraction(f[1].inner(f[1]))), -1: f[2].scale(1 / Fraction(f[2].inner(f[2])))})

    def solve(targets):
        Ds = []
        for tgt in targets:
            D = PauliSum(p, {})
            for h, v in tgt.items():
                term = PauliSum.identity(p, v)
                for l, j in enumerate(h):
                    term = term * _embed(E[l][j], l, p)
                D = D + term
            Ds.append(D)
        # tr(ρ Φ_0) = tr(M)/d for every ρ = I/d + κD (D ⊥ Φ_0 by duality, tr Φ_0 = tr M)
        return Ds, "dual basis of the product operators (Prop. 5: Φ_ξ(M) mutually orthogonal)", tr_m / 2 ** p

    return solve


def prop5_construction(p: int = 3, h="Z", m="Y + I", coupled: bool = False, theta_star=None, kappa=None,
                       **scalings) -> Construction:
    """Proposition-5 family on ``p`` qubits: separable (``coupled=False``, scalings ``eps``, ``t``)
    or coupled Ising (``coupled=True``, scalings ``eps1, t1, eps2, t2``).

    Examples
    --------
    >>> c = prop5_construction(2)
    >>> c.loss_verified, c.kappa, c.certificate.n_minima
    (True, Fraction(1, 1), 4)
    """
    qnn, M, hs, ms = prop5_qnn(p, h, m)
    design = ising_design(p, **scalings) if coupled else separable_design(p, **scalings)
    angles = default_angles(p) if theta_star is None else angles_from_spec(theta_star, p, qnn.omega)
    kind = "coupled" if coupled else "separable"
    return realise_design(qnn, M, design, angles, kappa, name=f"prop5-{kind}(p={p})",
                          description=f"Proposition-5 {kind} family (h = {hs[0].to_string()}, m = {ms[0].to_string()}): "
                                      "2^p minima, 2^p - 1 spurious",
                          _dual=_dual_solver(p, hs, ms))


def prop5_family_instance(p: int = 2, h: str = "Z", m: str = "Y + I") -> Instance:
    """Proposition-5 separable family with any single-qubit ``h`` (two-level) and ``m``.

    Parameters
    ----------
    p : int
        Number of parameters (= qubits), ``p ≥ 1``.
    h : str
        Single-qubit two-level generator ``h_l``, e.g. ``Z`` or ``3/5 X + 4/5 Z``.
    m : str
        Single-qubit observable factor ``m_l`` (``m ± hmh ≠ 0``, ``tr m ≠ 0``).
    """
    return prop5_construction(int(p), h, m).instance


def prop5_coupled_instance(p: int = 3, h: str = "Z", m: str = "Y + I") -> Instance:
    """Proposition-5 coupled (Ising) family: 2^p minima that defeat coordinate-wise greedy search.

    Parameters
    ----------
    p : int
        Number of parameters (= qubits), ``p ≥ 2``.
    h : str
        Single-qubit two-level generator ``h_l``, e.g. ``Z`` or ``3/5 X + 4/5 Z``.
    m : str
        Single-qubit observable factor ``m_l`` (``m ± hmh ≠ 0``, ``tr m ≠ 0``).
    """
    return prop5_construction(int(p), h, m, coupled=True).instance


def greedy_demo(con: Construction, n_random: int = 100, seed: int = 0, offset: float = 0.05) -> dict:
    """Coordinate-wise greedy optimisation on a construction (numeric demonstration).

    Starts at the all-flipped translate ``θ* + (π/ω)(1, …, 1)`` shifted by ``offset`` in every
    coordinate, and from ``n_random`` uniform random starts.  For the coupled family the first
    run stays in the spurious all-flipped minimum (no single-coordinate move improves it); for the
    separable family every run reaches ``θ*``.

    Returns
    -------
    dict
        ``start``, ``end``, ``end_loss``, ``global_loss``, ``stuck`` (end is spurious),
        ``random_spurious_fraction``.
    """
    L = con.loss
    om = np.array(L.omega, dtype=float)
    a = np.array([math.atan2(float(s), float(c)) for c, s in con.angles])
    start = ((a + np.pi) / om + offset)[None]
    end = coordinate_greedy(L, start)
    gl = float(L((a / om)[None])[0])
    el = float(L(end)[0])
    tol = 1e-9 * max(1.0, abs(gl))
    rng = np.random.default_rng(seed)
    rs = rng.uniform(0, 1, size=(n_random, L.p)) * (2 * np.pi / om)
    fr = coordinate_greedy(L, rs)
    return {"start": start[0], "end": end[0], "end_loss": el, "global_loss": gl, "stuck": el > gl + tol,
            "random_spurious_fraction": float(np.mean(L(fr) > gl + tol))}
