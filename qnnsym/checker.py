"""The independent certificate checker (``qnnsym check FILE``): it trusts nothing a solver said.

A certificate (``docs/certificates.md``, schema ``qnnsym/data/certificate.schema.json``) states
claims; this module re-derives every claim from the data that defines the problem and answers
one :class:`Verdict` per claim.  Kinds:

``symbolic-identities``
    Eqs. 7–15 as identities of non-commutative polynomials: each claim ``lhs == rhs`` is expanded
    with sympy, words in the generators are reduced with ``H² = I``, coefficients modulo
    ``cos²θ + sin²θ = 1``; a ``trace-zero`` claim reduces words cyclically.
``pauli-expansion``
    Eqs. 11–15 exhaustively on every small Pauli circuit: the expansion ``{Φ_ξ(M)}`` of the Pauli
    engine is tested against ``U(θ)†MU(θ)`` built here from Gaussian-integer matrices on a grid of
    ``3^p`` rational angles (unisolvent: both sides lie in ``span{1, cos 2θ_l, sin 2θ_l}`` per
    coordinate), the ``θ_l ↦ θ_l + π/2`` sign rule (eqs. 13–15) on the same grid, and
    ``tr Φ_ξ(M) = 0`` for ``ξ ≠ 0``.
``fourier-degree``
    Section 5: the Fourier support of the loss of each listed instance satisfies
    ``‖k‖₁ ≤ 2p`` and ``|k_l| ≤ 2``; the loss is rebuilt by exact interpolation of the direct
    simulation ``tr(UρU†M)`` where the dimension allows, else by the expansion engine.
``critical-points``
    Theorem 7 / Proposition 5 tables: see :func:`check_critical`.
"""
from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .errors import CertificateError, QnnsymError

__all__ = ["Verdict", "check_certificate", "load_certificate", "format_verdicts", "pauli_family_cases",
           "expansion_digest"]

FORMAT = "qnnsym-certificate/1"


@dataclass(frozen=True)
class Verdict:
    """The checker's answer to one claim of a certificate.

    Attributes
    ----------
    claim : str
        What was claimed, in words (e.g. ``"point 3: minimum, index 0"``).
    ok : bool
        True when the claim was re-derived and holds.
    detail : str
        How it was checked, or why it was rejected.
    """

    claim: str
    ok: bool
    detail: str = ""


def load_certificate(src: str | Path | dict) -> dict:
    """The parsed certificate (a dict), from a path or a dict.

    Raises
    ------
    CertificateError
        Unreadable file, not JSON, or not a ``qnnsym-certificate/1`` object with a ``kind``.
    """
    if isinstance(src, dict):
        data = src
    else:
        path = Path(src)
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise CertificateError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise CertificateError(f"{path}: not a readable JSON file ({e})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CertificateError(f"format: expected \"{FORMAT}\" (a certificate written by qnnsym)")
    if data.get("kind") not in _CHECKERS:
        raise CertificateError(f"kind: {data.get('kind')!r} (expected one of {', '.join(sorted(_CHECKERS))})")
    return data


def check_certificate(src: str | Path | dict, progress: bool = False) -> list[Verdict]:
    """Re-check every claim of a certificate; one :class:`Verdict` per claim.

    A certificate is accepted when every verdict is ``ok``.  Malformed data inside a certificate
    (a missing field, a non-number) is a rejected claim, not an exception.

    Parameters
    ----------
    src : path or dict
    progress : bool
        Show progress bars (stderr) for long checks.

    Raises
    ------
    CertificateError
        The file is not a certificate at all (see :func:`load_certificate`).

    Examples
    --------
    >>> from qnnsym.certificate import symbolic_identities_certificate
    >>> all(v.ok for v in check_certificate(symbolic_identities_certificate()))
    True
    """
    data = load_certificate(src)
    try:
        return _CHECKERS[data["kind"]](data, progress)
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError, QnnsymError) as e:
        return [Verdict("certificate is well formed", False, f"{type(e).__name__}: {e}")]


def format_verdicts(verdicts: list[Verdict], name: str = "") -> str:
    """Human-readable verdict lines: ``ok   claim — detail`` / ``FAIL claim — detail``."""
    lines = [f"{'ok  ' if v.ok else 'FAIL'} {v.claim}" + (f" — {v.detail}" if v.detail else "") for v in verdicts]
    n_bad = sum(not v.ok for v in verdicts)
    head = f"{name}: " if name else ""
    lines.append(f"{head}{'ACCEPTED' if n_bad == 0 else 'REJECTED'} ({len(verdicts) - n_bad}/{len(verdicts)} claims verified)")
    return "\n".join(lines)


# --- symbolic identities (eqs. 7-15 for noncommuting symbols) -----------------------------------

def _nc_words(expr, involutions: set) -> dict:
    """``{word: commutative coefficient}`` of an expanded non-commutative expression, words reduced
    with ``X² = 1`` for each ``X`` in ``involutions``."""
    import sympy

    acc: dict[tuple, Any] = {}
    for term in sympy.Add.make_args(sympy.expand(expr)):
        comm, nc = term.args_cnc()
        word: list = []
        for f in nc:
            base, e = f.as_base_exp()
            if not (e.is_Integer and e > 0):
                raise ValueError(f"unsupported factor {f}")
            for _ in range(int(e)):
                if word and word[-1] == base and base in involutions:
                    word.pop()
                else:
                    word.append(base)
        key = tuple(word)
        acc[key] = acc.get(key, 0) + sympy.Mul(*comm)
    return acc


def _cyclic_word(word: tuple, involutions: set) -> tuple:
    """Canonical representative of a word under cyclic rotation (``tr(AB) = tr(BA)``) and ``X² = 1``."""
    w = list(word)
    changed = True
    while changed and w:
        changed = False
        if len(w) > 1 and w[0] == w[-1] and w[0] in involutions:
            w = w[1:-1]
            changed = True
            continue
        for i in range(len(w) - 1):
            if w[i] == w[i + 1] and w[i] in involutions:
                w = w[:i] + w[i + 2:]
                changed = True
                break
    if not w:
        return ()
    rots = [tuple(w[i:] + w[:i]) for i in range(len(w))]
    return min(rots, key=lambda r: tuple(str(x) for x in r))


def _reduce_circle(coeff, circles):
    """Normal form of a commutative coefficient modulo ``c² + s² = 1`` for each ``(c, s)``."""
    import sympy

    e = sympy.expand(coeff)
    for c, s in circles:
        if e.has(s):
            e = sympy.expand(sympy.rem(e, s ** 2 + c ** 2 - 1, s))
    return e


def _check_symbolic(data: dict, progress: bool) -> list[Verdict]:
    import sympy

    out = []
    for i, cl in enumerate(data["claims"]):
        nc = {name: sympy.Symbol(name, commutative=False) for name in cl["noncommutative"]}
        cm = {name: sympy.Symbol(name) for name in cl.get("commutative", [])}
        env = {**nc, **cm, "I": sympy.I}
        inv = {nc[x] for x in cl.get("involutions", [])}
        circles = [(cm[c], cm[s]) for c, s in cl.get("circles", [])]
        lhs = sympy.parse_expr(cl["lhs"], local_dict=env, evaluate=True)
        rhs = sympy.parse_expr(cl["rhs"], local_dict=env, evaluate=True)
        words = _nc_words(lhs - rhs, inv)
        if cl.get("trace", False):
            cyc: dict = {}
            for w, c in words.items():
                k = _cyclic_word(w, inv)
                cyc[k] = cyc.get(k, 0) + c
            words = cyc
        bad = {w: r for w, c in words.items() if (r := _reduce_circle(c, circles)) != 0}
        what = f"{cl['name']} ({cl.get('paper', '')}): {'tr ' if cl.get('trace') else ''}{cl['lhs']} == {cl['rhs']}"
        if bad:
            w, r = next(iter(bad.items()))
            out.append(Verdict(what, False, f"residual {r}·{'·'.join(map(str, w)) or '1'} does not vanish"))
        else:
            out.append(Verdict(what, True, f"{len(words)} reduced words cancel"))
    return out


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


def expansion_digest(rows: list) -> str:
    """SHA-256 of a canonical JSON rendering (sorted keys, no spaces)."""
    return hashlib.sha256(json.dumps(rows, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _family_expansions(n: int, p: int):
    """The Pauli engine's ``{h: Φ_h(M)}`` for every case of a family (the claim under test)."""
    from .expansion import phi_terms
    from .model import Gate, QNN
    from .paulis import PauliSum

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


def _check_pauli(data: dict, progress: bool) -> list[Verdict]:
    from tqdm import tqdm

    out = []
    for fam in data["families"]:
        n, p = int(fam["n_qubits"]), int(fam["p"])
        if not (1 <= n <= 3 and 1 <= p <= 4):
            out.append(Verdict(f"family n={n}, p={p}", False, "outside the supported range n ≤ 3, p ≤ 4"))
            continue
        rows, failures, count = [], [], 0
        it = _family_expansions(n, p)
        total = (4 ** n - 1) ** (p + 1)
        for gens, obs, terms in tqdm(it, total=total, disable=not progress, desc=f"n={n} p={p}", file=None):
            count += 1
            rows.append([list(map(list, gens)), list(obs),
                         sorted([list(h), sorted([[k[0], k[1], str(c)] for k, c in t.items()])] for h, t in terms.items())])
            err = _verify_case(n, gens, obs, terms)
            if err:
                failures.append(f"generators {gens}, observable {obs}: {err}")
        label = f"family n={n} qubits, p={p}: every Pauli generator tuple × every Pauli observable"
        ok_count = count == int(fam["n_cases"])
        out.append(Verdict(f"{label}: {fam['n_cases']} cases", ok_count, f"enumerated {count}"))
        digest = expansion_digest(rows)
        out.append(Verdict(f"{label}: expansion digest", digest == fam["digest"],
                           "Pauli engine output matches the certified expansion" if digest == fam["digest"]
                           else f"recomputed {digest[:16]}…, certificate says {str(fam['digest'])[:16]}…"))
        out.append(Verdict(f"{label}: eqs. 11, 13-15 and tr Φ_ξ(M) = 0 (ξ ≠ 0)", not failures,
                           f"{count} cases × {3 ** p} grid points × {p + 1} shifts, exact Gaussian-integer arithmetic"
                           if not failures else failures[0] + (f" (and {len(failures) - 1} more)" if len(failures) > 1 else "")))
    return out


_CHECKERS: dict[str, Callable[[dict, bool], list[Verdict]]] = {
    "symbolic-identities": _check_symbolic,
    "pauli-expansion": _check_pauli,
}
