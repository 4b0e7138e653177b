"""Checks ``pauli-expansion`` certificates: eqs. 11–15 exhaustively on every small Pauli circuit.

The Pauli engine's ``{Φ_ξ(M)}`` is tested against ``U(θ)†MU(θ)`` built here from Gaussian-integer
matrices on a unisolvent grid of ``3^p`` rational angles, with the ``θ_l ↦ θ_l + π/2`` sign rule
(eqs. 13–15) and ``tr Φ_ξ(M) = 0`` for ``ξ ≠ 0``.
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from .common import Verdict, expansion_digest
from .cost import over_limit, pauli_family_cost

__all__ = ['check_pauli', 'pauli_family_cases', 'PAULI_STATEMENT']

#: the statement of a ``pauli-expansion`` certificate
PAULI_STATEMENT = ("For every circuit of Pauli-string rotations exp(-iθ_l P_l) and Pauli-string observable M "
                   "in the listed families: U(θ)†MU(θ) = Σ_ξ Φ_ξ(M) χ_ξ(θ) (eq. 11); shifting θ_l by π/2 "
                   "flips exactly the terms with ξ_l ≠ 0 (eqs. 13-15); tr Φ_ξ(M) = 0 for ξ ≠ 0.")


# --- exhaustive Pauli circuits ------------------------------------------------------------------

_G_SINGLE = {  # (x, z) -> (real part, imaginary part) of the single-qubit Pauli matrix
    (0, 0): (np.eye(2, dtype=np.int64), np.zeros((2, 2), np.int64)),
    (1, 0): (np.array([[0, 1], [1, 0]], np.int64), np.zeros((2, 2), np.int64)),
    (0, 1): (np.array([[1, 0], [0, -1]], np.int64), np.zeros((2, 2), np.int64)),
    (1, 1): (np.zeros((2, 2), np.int64), np.array([[0, -1], [1, 0]], np.int64)),
}

#: (5 cos θ, 5 sin θ) for the three grid angles; φ = 2θ takes three distinct values mod 2π
_GRID = [(5, 0), (0, 5), (3, 4)]


def _gmul(a, b):
    """Product of Gaussian-integer matrices given as (re, im) int64 arrays (broadcasting)."""
    return (a[0] @ b[0] - a[1] @ b[1], a[0] @ b[1] + a[1] @ b[0])


def _gpauli(key: tuple[int, int], n: int):
    """The Pauli string ``(x, z)`` as a Gaussian-integer matrix (qubit 0 leftmost)."""
    re, im = np.ones((1, 1), np.int64), np.zeros((1, 1), np.int64)
    for q in range(n):
        sr, si = _G_SINGLE[((key[0] >> q) & 1, (key[1] >> q) & 1)]
        re, im = np.kron(re, sr) - np.kron(im, si), np.kron(re, si) + np.kron(im, sr)
    return re, im


def pauli_family_cases(n_qubits: int, p: int):
    """Every ``(generators, observable)`` pair of a Pauli family: each generator and the observable
    range over the ``4^n - 1`` non-identity Pauli strings (as ``(x, z)`` masks), in a fixed order."""
    strings = [(x, z) for x in range(2 ** n_qubits) for z in range(2 ** n_qubits) if (x, z) != (0, 0)]
    for gens in itertools.product(strings, repeat=p):
        for obs in strings:
            yield gens, obs


def _family_expansions(n: int, p: int):
    """The Pauli engine's ``{h: Φ_h(M)}`` for every case of a family (the claim under test)."""
    from ...exact.paulis import PauliSum
    from ...expansion.phi import phi_terms
    from ...model.circuit import QNN, Gate

    for gens, obs in pauli_family_cases(n, p):
        qnn = QNN(tuple(Gate(PauliSum(n, {g: 1})) for g in gens), n_qubits=n)
        terms = phi_terms(qnn, PauliSum(n, {obs: 1}), engine="pauli")
        yield gens, obs, {h: dict(t.items()) for h, t in terms.items()}


def _expansion_rows(n: int, p: int) -> list:
    return [[list(map(list, gens)), list(obs),
             sorted([list(h), sorted([[k[0], k[1], str(c)] for k, c in t.items()])] for h, t in terms.items())]
            for gens, obs, terms in _family_expansions(n, p)]


def _verify_case(n: int, gens, obs, terms) -> str | None:
    """None if eqs. 11 and 13–15 and tracelessness hold for this case, else what failed."""
    p = len(gens)
    d = 2 ** n
    den = 1
    for t in terms.values():
        for c in t.values():
            den = den * Fraction(c).denominator // np.gcd(den, Fraction(c).denominator)
    Hs = [_gpauli(g, n) for g in gens]
    M = _gpauli(obs, n)
    eye = np.eye(d, dtype=np.int64)
    # 5·V_l(θ) = 5c I - i 5s H  for the three grid angles, stacked: (3, d, d)
    def V(l, pairs):
        Hr, Hi = Hs[l]
        re = np.stack([c * eye + s * Hi for c, s in pairs])
        im = np.stack([-s * Hr for c, s in pairs])
        return re, im
    shifted = [(-s, c) for c, s in _GRID]   # θ + π/2
    G = len(_GRID)
    idx = np.array(list(itertools.product(range(G), repeat=p)), dtype=np.int64).reshape(-1, p)  # (G^p, p)

    def heisenberg(shift_l: int | None):
        U = (np.broadcast_to(eye, (len(idx), d, d)).copy(), np.zeros((len(idx), d, d), np.int64))
        for l in range(p):
            Vr, Vi = V(l, shifted if l == shift_l else _GRID)
            U = _gmul((Vr[idx[:, l]], Vi[idx[:, l]]), U)
        Ud = (np.transpose(U[0], (0, 2, 1)), -np.transpose(U[1], (0, 2, 1)))
        return _gmul(_gmul(Ud, M), U)   # 25^p U†MU

    # weights 25·(1, cos φ, sin φ) of the grid: φ = 2θ
    w = [(25, c * c - s * s, 2 * c * s) for c, s in _GRID]
    claimed = {h: (sum(int(Fraction(c) * den) * _gpauli(k, n)[0] for k, c in t.items()),
                   sum(int(Fraction(c) * den) * _gpauli(k, n)[1] for k, c in t.items())) for h, t in terms.items()}
    for h, (Ar, Ai) in claimed.items():
        if any(h) and (np.trace(Ar) != 0 or np.trace(Ai) != 0):
            return f"tr Φ_ξ(M) ≠ 0 for h={h}"
        if not (np.array_equal(Ar, Ar.T) and np.array_equal(Ai, -Ai.T)):
            return f"Φ_ξ(M) not Hermitian for h={h}"
    for shift_l in [None] + list(range(p)):
        Lr, Li = heisenberg(shift_l)
        Rr = np.zeros_like(Lr)
        Ri = np.zeros_like(Li)
        for h, (Ar, Ai) in claimed.items():
            wt = np.ones(len(idx), np.int64)
            for l in range(p):
                col = 0 if h[l] == 0 else (1 if h[l] == 1 else 2)
                wt = wt * np.array([w[g][col] for g in range(G)], np.int64)[idx[:, l]]
            if shift_l is not None and h[shift_l] != 0:
                wt = -wt
            Rr += wt[:, None, None] * Ar
            Ri += wt[:, None, None] * Ai
        if not (np.array_equal(Lr * den, Rr) and np.array_equal(Li * den, Ri)):
            what = "eq. 11" if shift_l is None else f"eqs. 13-15 (θ_{shift_l + 1} ↦ θ_{shift_l + 1} + π/2)"
            return f"{what} fails on the grid"
    return None


def check_pauli(data: dict, progress: bool) -> list[Verdict]:
    from tqdm import tqdm

    fams = [(f["n_qubits"], f["p"]) for f in data["families"]]
    out = [Verdict("statement: " + data["statement"], data["statement"] == PAULI_STATEMENT and len(set(fams)) == len(fams),
                   "the statement of eqs. 11-15 on Pauli circuits, each family listed once"
                   if data["statement"] == PAULI_STATEMENT else "not the statement this checker knows")]
    for fam in data["families"]:
        n, p = fam["n_qubits"], fam["p"]
        refusal = over_limit(pauli_family_cost(n, p), f"{(4 ** n - 1) ** (p + 1)} circuits of family n={n}, p={p}")
        if refusal:
            out.append(Verdict(f"family n={n} qubits, p={p}: {fam['n_cases']} cases, {fam['n_terms']} terms Φ_ξ(M), "
                               "eqs. 11, 13-15", False, refusal))
            continue
        rows, failures, count, n_terms = [], [], 0, 0
        it = _family_expansions(n, p)
        total = (4 ** n - 1) ** (p + 1)
        for gens, obs, terms in tqdm(it, total=total, disable=not progress, desc=f"n={n} p={p}", file=None):
            count += 1
            n_terms += len(terms)
            rows.append([list(map(list, gens)), list(obs),
                         sorted([list(h), sorted([[k[0], k[1], str(c)] for k, c in t.items()])] for h, t in terms.items())])
            err = _verify_case(n, gens, obs, terms)
            if err:
                failures.append(f"generators {gens}, observable {obs}: {err}")
        label = f"family n={n} qubits, p={p}: every Pauli generator tuple × every Pauli observable"
        ok_count = count == fam["n_cases"] and n_terms == fam["n_terms"]
        out.append(Verdict(f"{label}: {fam['n_cases']} cases, {fam['n_terms']} terms Φ_ξ(M)", ok_count,
                           f"enumerated {count} cases with {n_terms} terms"))
        digest = expansion_digest(rows)
        out.append(Verdict(f"{label}: expansion digest", digest == fam["digest"],
                           "Pauli engine output matches the certified expansion" if digest == fam["digest"]
                           else f"recomputed {digest[:16]}…, certificate says {str(fam['digest'])[:16]}…"))
        out.append(Verdict(f"{label}: eqs. 11, 13-15 and tr Φ_ξ(M) = 0 (ξ ≠ 0)", not failures,
                           f"{count} cases × {3 ** p} grid points × {p + 1} shifts, exact Gaussian-integer arithmetic"
                           if not failures else failures[0] + (f" (and {len(failures) - 1} more)" if len(failures) > 1 else "")))
    return out
