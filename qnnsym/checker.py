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

Independence: the checker uses the foundation (instance parsing, :class:`~qnnsym.trigpoly.TrigPoly`
arithmetic, the direct simulation :mod:`qnnsym.direct`), python-flint, and one pure combinatorial
helper (:func:`qnnsym.critical.system.permanent`); never the expansion engine's loss for
``critical-points`` nor any number of the solver (points, indices, values) without re-deriving it.
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
           "expansion_digest", "loss_digest", "loss_by_interpolation", "check_critical"]

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


# --- critical-point tables (Theorem 7, Proposition 5) -----------------------------------------------

#: (cos α, sin α) of the interpolation step: the angles jα are distinct mod 2π (α/π is irrational)
_STEP = (Fraction(3, 5), Fraction(4, 5))


def loss_digest(loss) -> str:
    """SHA-256 of a loss's exact canonical JSON (``TrigPoly.as_json``): pins the polynomial solved."""
    return expansion_digest(loss.as_json())


def loss_by_interpolation(inst):
    """The loss ``L`` (eq. 6) rebuilt from the direct simulation ``tr(U ρ_k U† M)`` alone.

    Independent of the Φ-expansion engines (:mod:`qnnsym.expansion`): per parameter, ``f(ρ_k, θ)``
    lies in ``span{b_j(ω_l θ_l) : |j| ≤ D_l}`` with ``D_l = Δ_l/ω_l`` (``Δ_l`` the largest eigen-gap;
    ``D_l = 1`` for two-level gates, eq. 12).  At the nodes ``θ = jα`` (``j = 0..2D_l``,
    ``cos α = 3/5``) the matrix of basis values is invertible (distinct angles mod 2π), so the
    exact values of :func:`qnnsym.direct.outputs_direct_exact` on the tensor grid determine every
    ``f_k`` exactly; then ``L = (1/m) Σ_k (f_k − y_k)²``.

    Parameters
    ----------
    inst : Instance
        An exact instance whose gates are two-level or integer-spectrum.

    Returns
    -------
    TrigPoly

    Examples
    --------
    >>> from qnnsym.instances import prop5_instance
    >>> from qnnsym.expansion import loss_poly
    >>> inst = prop5_instance(2)
    >>> loss_by_interpolation(inst) == loss_poly(inst)
    True
    """
    from .direct import outputs_direct_exact
    from .trigpoly import TrigPoly, cos_sin_multiple

    import flint

    gates = inst.qnn.gates
    p = len(gates)
    nodes, inverses, orders = [], [], []
    for g in gates:
        D = max(1, g.max_gap // g.omega)
        order = [0] + [x for t in range(1, D + 1) for x in (t, -t)]
        pts = cos_sin_multiple(*_STEP, 2 * D)
        rows = []
        for c, s in pts:
            cphi, sphi = cos_sin_multiple(c, s, g.omega)[g.omega]
            tab = cos_sin_multiple(cphi, sphi, D)
            rows.append([Fraction(1) if h == 0 else (tab[h][0] if h > 0 else tab[-h][1]) for h in order])
        n = len(order)
        B = flint.fmpq_mat(n, n, [flint.fmpq(x.numerator, x.denominator) for r in rows for x in r])
        Bi = B.inv()
        inverses.append(np.array([[Fraction(int(Bi[i, j].p), int(Bi[i, j].q)) for j in range(n)] for i in range(n)],
                                 dtype=object))
        nodes.append(pts)
        orders.append(order)
    shape = tuple(len(o) for o in orders)
    F = np.empty((inst.m,) + shape, dtype=object)
    for idx in itertools.product(*(range(n) for n in shape)):
        vals = outputs_direct_exact(inst, [nodes[l][j] for l, j in enumerate(idx)])
        F[(slice(None),) + idx] = vals
    for l in range(p):
        F = np.moveaxis(np.tensordot(inverses[l], F, axes=([1], [l + 1])), 0, l + 1)
    omega = inst.qnn.omega
    loss = TrigPoly(p, {}, omega)
    for k, y in enumerate(inst.labels):
        f = TrigPoly(p, {tuple(orders[l][i] for l, i in enumerate(idx)): F[(k,) + idx]
                         for idx in itertools.product(*(range(n) for n in shape))}, omega)
        r = f - Fraction(y)
        loss = loss + r * r
    return loss.scale(Fraction(1, inst.m))


def _components(loss) -> list[list[int]]:
    """Connected components of the interaction graph (parameters sharing a Fourier term)."""
    parent = list(range(loss.p))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for h in loss.terms:
        sup = [l for l, j in enumerate(h) if j]
        for l in sup[1:]:
            parent[find(l)] = find(sup[0])
    groups: dict[int, list[int]] = {}
    for l in range(loss.p):
        groups.setdefault(find(l), []).append(l)
    return sorted(groups.values())


def _block_loss(loss, block: list[int]):
    """The non-constant terms of ``loss`` supported in ``block``, as a polynomial in its parameters."""
    from .trigpoly import TrigPoly

    inside = set(block)
    terms = {tuple(h[i] for i in block): v for h, v in loss.terms.items()
             if any(h) and {l for l, j in enumerate(h) if j} <= inside}
    return TrigPoly(len(block), terms, tuple(loss.omega[i] for i in block))


def _fq(x):
    """A python-flint ``fmpq`` equal to the rational ``x``."""
    import flint

    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def _sgn(v) -> int:
    return (v > 0) - (v < 0)


class _Rur:
    """A block's rational univariate representation, checked and evaluated exactly."""

    def __init__(self, d: dict, pb: int):
        import flint

        self.pb = pb
        self.q = flint.fmpz_poly([int(c) for c in d["eliminant"]])
        self.qq = flint.fmpq_poly(self.q)
        self.N = [flint.fmpq_poly([_fq(c) for c in n]) for n in d["numerators"]]
        den = d.get("denominator")
        self.D = flint.fmpq_poly([_fq(c) for c in den]) if den else flint.fmpq_poly([1])
        self.lf = None if d.get("linear_form") is None else [int(x) for x in d["linear_form"]]
        if len(self.N) != 2 * pb:
            raise ValueError(f"{len(self.N)} numerators for {2 * pb} coordinates")
        self._xs: dict = {}

    def coords_mod(self, f):
        """``x_i = N_i · D⁻¹ mod f`` (``D`` invertible mod ``f``), or None if ``gcd(D, f) ≠ 1``."""
        key = str(f)
        if key not in self._xs:
            g, s, _ = self.D.xgcd(f)
            if g.degree() != 0:
                self._xs[key] = None
            else:
                inv = s * (1 / g[0]) if hasattr(g, "__getitem__") else s
                self._xs[key] = [(n * inv) % f for n in self.N]
        return self._xs[key]

    @staticmethod
    def eval_mod(poly: dict, xs, f):
        """A ``cs_terms`` polynomial at ``x = xs`` modulo ``f`` (recursive Horner, one variable at a time)."""
        import flint

        def rec(terms: dict, var: int):
            if var == len(xs):
                return flint.fmpq_poly([_fq(sum(terms.values(), Fraction(0)))])
            groups: dict[int, dict] = {}
            for k, v in terms.items():
                groups.setdefault(k[var], {})[k] = v
            acc = flint.fmpq_poly([])
            for e in range(max(groups), -1, -1):
                acc = (acc * xs[var]) % f
                if e in groups:
                    acc += rec(groups[e], var + 1)
            return acc % f

        return rec(dict(poly), 0) if poly else flint.fmpq_poly([])

    def _integer_form(self):
        """``x_i = M_i / Dz`` with integer polynomials (one common denominator cleared)."""
        import math

        import flint

        if not hasattr(self, "_M"):
            den = math.lcm(1, *(int(c.q) for P in self.N + [self.D] for c in P.coeffs()))
            z = lambda P: flint.fmpz_poly([int(c * den) for c in P.coeffs()])  # noqa: E731
            self._M, self._Dz = [z(P) for P in self.N], z(self.D)
        return self._M, self._Dz

    def denominator_coprime(self) -> bool:
        """``gcd(D, q) = 1``: the denominator vanishes at no root of ``q``."""
        return self._integer_form()[1].gcd(self.q).degree() == 0

    def divides(self, A) -> bool:
        """``q | A`` in ``Z[u]`` (``q`` primitive: the same as in ``Q[u]``), by exact division."""
        if A.is_zero():
            return True
        B = A // self.q
        return self.q * B == A

    def vanishes(self, poly: dict) -> bool:
        """``P(x(u)) ≡ 0 (mod q)`` for a ``cs_terms`` polynomial ``P``, exactly (see :meth:`homogenized`)."""
        return self.divides(self.homogenized(poly))

    def homogenized(self, poly: dict):
        """``A(u) ∈ Z[u]``, a non-zero constant times ``P(x(u))·Dz(u)^k``; ``P(x(α)) = 0`` iff ``A(α) = 0``
        at every root ``α`` of ``q``.

        ``P`` is homogenised pair by pair (``c_l^a s_l^b ↦ M^a M^b Dz^{k_l−a−b}``, ``k_l`` the degree of
        ``P`` in the pair) into an integer polynomial ``A(u)``; since ``gcd(Dz, q) = 1`` (checked
        separately), ``P(x(u)) ≡ 0 mod q`` iff ``q | A``, tested by exact division in ``Z[u]``.  No
        reduction modulo the non-monic ``q`` happens on the way (that would blow up the heights).
        """
        import math

        import flint

        if not poly:
            return flint.fmpz_poly([])
        M, Dz = self._integer_form()
        pb = self.pb
        cden = math.lcm(*(Fraction(v).denominator for v in poly.values()))
        kdeg = [max(k[2 * l] + k[2 * l + 1] for k in poly) for l in range(pb)]
        powc: dict = {}

        def pw(P, key, e):
            if (key, e) not in powc:
                powc[(key, e)] = flint.fmpz_poly([1]) if e == 0 else pw(P, key, e - 1) * P
            return powc[(key, e)]

        def basis(l, a, b):
            return pw(M[2 * l], 2 * l, a) * pw(M[2 * l + 1], 2 * l + 1, b) * pw(Dz, -1, kdeg[l] - a - b)

        def rec(terms: dict, l: int):
            groups: dict = {}
            for k, v in terms.items():
                groups.setdefault((k[2 * l], k[2 * l + 1]), {})[k] = v
            acc = flint.fmpz_poly([])
            for (a, b), g in groups.items():
                if l == pb - 1:
                    c = sum((Fraction(v) for v in g.values()), Fraction(0)) * cden
                    acc += basis(l, a, b) * int(c)
                else:
                    acc += basis(l, a, b) * rec(g, l + 1)
            return acc

        return rec(dict(poly), 0)

    def linear_form_ok(self) -> bool:
        """``Σ λ_i x_i(u) ≡ ±u (mod q)``: distinct roots give distinct points."""
        import flint

        M, Dz = self._integer_form()
        lin = sum((m * int(c) for m, c in zip(M, self.lf)), flint.fmpz_poly([]))
        uD = flint.fmpz_poly([0, 1]) * Dz
        return self.divides(lin - uD) or self.divides(lin + uD)

    def real_root_count(self, intervals=()) -> int:
        """Exact number of real roots of ``q`` (square-free): Descartes' rule of signs with bisection
        (Vincent–Collins–Akritas) in exact integer arithmetic on ``(−B, B)``.

        ``B`` is Cauchy's bound, or ``Σ|λ_i| + 1`` once the parametrization is verified (a real root
        gives a real point, whose coordinates lie on unit circles, and ``u = ±Σ λ_i x_i``).  The line
        is cut at short dyadic numbers between the given ``intervals`` (the certificate's isolating
        intervals: only a hint for speed; the count does not depend on them).  A node is a polynomial
        ``P`` whose roots in ``(0, 1)`` are those of ``q`` in a sub-interval; its count is the number of
        sign variations of ``(x+1)^n P(1/(x+1))`` (0: no root, 1: exactly one); children
        ``2^n P(x/2)`` and its Taylor shift by 1.
        """
        import flint

        n = self.q.degree()
        B = Fraction(sum(abs(x) for x in self.lf) + 1) if self.lf else self.cauchy_bound()
        cuts = [-B]
        srt = sorted((Fraction(a), Fraction(b)) for a, b in intervals)
        for (_, h), (l2, _) in zip(srt, srt[1:]):
            if not h < l2:
                continue
            d = _short_dyadic(h, l2)
            if -B < d < B and d > cuts[-1]:
                cuts.append(d)
        cuts.append(B)
        one = flint.fmpz_poly([1, 1])

        def variations(P) -> int:
            cs = P.coeffs() + [0] * (n + 1 - len(P.coeffs()))
            cs = [c for c in flint.fmpz_poly(list(reversed(cs)))(one).coeffs() if c != 0]
            return sum(1 for x, y in zip(cs, cs[1:]) if (x > 0) != (y > 0))

        count = 0
        for a, b in zip(cuts, cuts[1:]):
            if a != -B and self.qq(_fq(a)) == 0:
                count += 1
            stack = [self.qq(flint.fmpq_poly([_fq(a), _fq(b - a)])).numer()]   # same roots, integer coefficients
            while stack:
                P = stack.pop()
                v = variations(P)
                if v <= 1:
                    count += v
                    continue
                cs = P.coeffs() + [0] * (n + 1 - len(P.coeffs()))
                left = flint.fmpz_poly([int(c) << (n - i) for i, c in enumerate(cs)])   # 2^n P(x/2)
                if sum(int(c) for c in left.coeffs()) == 0:      # P(1/2) = 0: a root at the midpoint
                    count += 1
                stack.append(left)
                stack.append(left(one))
        return count

    def cauchy_bound(self) -> Fraction:
        """A power of two ``B`` with every root of ``q`` in ``(−B, B)`` (Cauchy's bound)."""
        cs = [abs(int(c)) for c in self.q.coeffs()]
        bound = 1 + Fraction(max(cs[:-1], default=0), cs[-1])
        B = Fraction(1)
        while B <= bound:
            B *= 2
        return B

    def root_ball(self, lo: Fraction, hi: Fraction, bits: int):
        """An arb ball of radius ``< 2^-bits`` around the unique root of ``q`` in ``[lo, hi]``.

        Interval Newton ``N(X) = m − q(m)/q'(X)``, intersected with ``X`` (every root in ``X`` stays in
        ``N(X) ∩ X``); a bisection step (sign of ``q`` at the dyadic midpoint, exact when the ball
        does not decide it) whenever ``q'(X)`` contains 0.
        """
        import flint

        from .interval import ball, precision

        if lo == hi:
            return ball(lo)
        prec = 2 * bits + 2 * self.q.height_bits() + 64
        with precision(prec):
            P = flint.arb_poly([flint.arb(int(c)) for c in self.q.coeffs()])
            dP = P.derivative()
            X = ball(lo, hi)
            s_lo = _sgn(self.qq(_fq(lo)))
            target = flint.arb(2) ** (-bits)
            for _ in range(10 * bits + 1000):
                if X.rad() < target:
                    return X
                d = dP(X)
                if d > 0 or d < 0:
                    m = X.mid()
                    X2 = (m - P(m) / d).intersection(X)
                    if X2.rad() < X.rad() * 3 / 4:
                        X = X2
                        continue
                a, b = (Fraction(x) for x in _ball_ends(X))
                mid = (a + b) / 2
                v = P(ball(mid))
                sm = 1 if v > 0 else (-1 if v < 0 else _sgn(self.qq(_fq(mid))))
                if sm == 0:
                    return ball(mid)
                X = ball(a, mid) if sm != s_lo else ball(mid, b)
                s_lo = _sgn(self.qq(_fq(a))) if sm != s_lo else sm
        raise ValueError("root enclosure did not converge")

    def coord_balls(self, lo: Fraction, hi: Fraction, bits: int):
        """Balls around ``(c_1, s_1, …)`` at the root in ``[lo, hi]``, radius about ``2^-bits``."""
        import flint

        from .interval import precision

        work = bits
        while True:
            u = self.root_ball(lo, hi, work + 16)
            with precision(2 * work + 2 * self.q.height_bits() + 64):
                ev = lambda P: flint.arb_poly([flint.arb(c) for c in P.coeffs()])(u) if not P.is_zero() else flint.arb(0)  # noqa: E731
                den = ev(self.D)
                xs = [ev(n) / den for n in self.N]
            if all(x.is_finite() and x.rad() < flint.arb(2) ** (-bits) for x in xs):
                return xs
            work *= 2
            if work > 1 << 14:
                raise ValueError("coordinates did not converge")


def _short_dyadic(a: Fraction, b: Fraction) -> Fraction:
    """The dyadic rational with the smallest denominator strictly between ``a < b``."""
    if not a < b:
        raise ValueError(f"empty interval ({a}, {b})")
    k = 0
    while True:
        scale = 2 ** k
        cand = Fraction(int((a * scale).__floor__()) + 1, scale)
        if a < cand < b:
            return cand
        k += 1


def _ball_ends(b):
    from .interval import ball_bounds

    return ball_bounds(b)


def _theta_balls(xs, omega):
    """``θ_l = atan2(s_l, c_l)/ω_l`` as balls."""
    import flint

    return [flint.arb.atan2(xs[2 * l + 1], xs[2 * l]) / omega[l] for l in range(len(omega))]


def _in_box(theta, box, omega) -> bool:
    """The ball ``θ_l`` lies in ``[lo_l, hi_l]`` up to a period ``2π/ω_l``, for every ``l``."""
    import flint

    from .interval import ball

    for t, (lo, hi), w in zip(theta, box, omega):
        B = ball(lo, hi)
        per = 2 * flint.arb.pi() / w
        if not any(B.contains(t + k * per) for k in (-1, 0, 1)):
            return False
    return True


def _det_poly(H):
    """``det`` of a square matrix of TrigPolys (Laplace expansion along the first row)."""
    n = len(H)
    if n == 1:
        return H[0][0]
    total = None
    for j in range(n):
        minor = [[H[i][k] for k in range(n) if k != j] for i in range(1, n)]
        t = H[0][j] * _det_poly(minor)
        t = t if j % 2 == 0 else -t
        total = t if total is None else total + t
    return total


def _kind(index, pb):
    if index is None:
        return "degenerate"
    return "minimum" if index == 0 else ("maximum" if index == pb else "saddle")


def _frac_pair(x) -> tuple[Fraction, Fraction]:
    return Fraction(x[0]), Fraction(x[1])


def _check_block(bi: int, blk: dict, loss_b, progress: bool, out: list[Verdict]):
    """Verify one block; returns a list of per-point facts ``{index, value (Fraction | ball)}``."""
    import flint

    from .critical.system import permanent
    from .interval import krawczyk_unique_zero, symmetric_inertia, trig_enclosure, precision

    pb = loss_b.p
    name = f"block {bi} (parameters {[l + 1 for l in blk['parameters']]})"
    rur = _Rur(blk["rur"], pb)
    q = rur.qq
    # the system, from the rebuilt loss: g_l = normal form of ∂L/∂θ_l, circles c_l² + s_l² − 1
    grads = [loss_b.derivative(l) for l in range(pb)]
    eqs = [g.cs_terms() for g in grads]
    for l in range(pb):
        a, b, z = [0] * (2 * pb), [0] * (2 * pb), (0,) * (2 * pb)
        a[2 * l], b[2 * l + 1] = 2, 2
        eqs.append({tuple(a): Fraction(1), tuple(b): Fraction(1), z: Fraction(-1)})
    dmat = [[max((k[2 * j] + k[2 * j + 1] for k in g), default=0) for j in range(pb)] for g in eqs[:pb]]
    bound = 2 ** pb * permanent(dmat)
    n = rur.q.degree()
    sqfree = rur.q.gcd(rur.q.derivative()).degree() == 0
    out.append(Verdict(f"{name}: eliminant q is square-free, degree {blk['n_complex']}",
                       sqfree and n == int(blk["n_complex"]),
                       f"deg q = {n}, gcd(q, q') {'= 1' if sqfree else 'non-trivial'}"))
    ok_param, why = rur.denominator_coprime(), "the denominator D vanishes at a root of q"
    if ok_param:
        bad = [i for i, e in enumerate(eqs) if not rur.vanishes(e)]
        if bad:
            ok_param, why = False, f"equation {bad[0] + 1} of {len(eqs)} does not vanish modulo q"
        elif rur.lf is not None and not rur.linear_form_ok():
            ok_param, why = False, "the linear form Σ λ_i x_i(u) is not ±u modulo q"
        else:
            why = (f"all {len(eqs)} equations (g_l from the rebuilt loss, and the circles) ≡ 0 mod q, gcd(D, q) = 1"
                   + ("; Σ λ_i x_i(u) ≡ ±u mod q, so distinct roots are distinct points" if rur.lf else ""))
    out.append(Verdict(f"{name}: parametrization x_i = N_i(u)/D(u) solves the critical system", ok_param, why))
    injective = ok_param and rur.lf is not None
    if blk.get("complete"):
        ok = injective and sqfree and n == bound
        out.append(Verdict(f"{name}: complete — deg q = {n} reaches the multihomogeneous Bézout bound "
                           f"2^p·perm(d) = {bound}", ok,
                           "so the roots of q are all the complex critical points, each simple" if ok else
                           ("no linear form to make the roots distinct points" if not injective else f"bound {bound} ≠ deg q {n}")))
    # real roots and their isolating intervals
    pts = blk["points"]
    ivs = [_frac_pair(pt["root_interval"]) for pt in pts]
    good, why = True, ""
    for lo, hi in ivs:
        if lo > hi or (lo == hi and q(_fq(lo)) != 0) or (lo < hi and _sgn(q(_fq(lo))) * _sgn(q(_fq(hi))) >= 0):
            good, why = False, f"[{lo}, {hi}] does not isolate a root of q"
            break
    srt = sorted(ivs)
    if good and any(srt[i][1] >= srt[i + 1][0] for i in range(len(srt) - 1)):
        good, why = False, "two isolating intervals overlap"
    if good:
        # each interval holds an odd number of roots (sign change), they are disjoint, and q has exactly
        # as many real roots as intervals: so each holds exactly one and no root is left out
        n_real = rur.real_root_count(ivs)
        if n_real != len(ivs):
            good, why = False, f"q has {n_real} real roots but the certificate lists {len(ivs)}"
        else:
            why = (f"q has exactly {n_real} real roots (Descartes' rule with bisection); {len(ivs)} disjoint "
                   "intervals with a sign change each, so one root in each and none elsewhere")
    out.append(Verdict(f"{name}: {len(pts)} real critical points, each root of q isolated once", good, why))
    # exact facts per irreducible factor (small q) or per q: rational values, degeneracy
    Lcs = loss_b.cs_terms()
    hess = [[grads[i].derivative(j) for j in range(pb)] for i in range(pb)]
    det_cs = None
    factors = [flint.fmpq_poly(f) for f, _ in rur.q.factor()[1]] if n <= 64 else []
    facts = []
    good = good and ok_param
    it = enumerate(pts)
    if progress:
        from tqdm import tqdm
        it = tqdm(it, total=len(pts), desc=f"block {bi} points", file=None)
    for i, pt in it:
        lo, hi = ivs[i]
        label = f"{name} point {i}"
        if not (ok_param and good):
            out.append(Verdict(label, False, "not checked: the block's parametrization or root list failed"))
            facts.append(None)
            continue
        value = None
        if lo == hi:
            xr = [_frac_of(N(_fq(lo)) / rur.D(_fq(lo))) for N in rur.N]
            value = _eval_cs(Lcs, xr)
        else:
            for f in factors:
                if _sgn(f(_fq(lo))) * _sgn(f(_fq(hi))) < 0:
                    xf = rur.coords_mod(f)
                    if xf is not None:
                        r = rur.eval_mod(Lcs, xf, f)
                        if r.degree() <= 0:
                            value = _frac_of(r[0]) if r.degree() == 0 else Fraction(0)
                    break
        box = [_frac_pair(b) for b in pt["theta_box"]]
        bits, index, msg, degenerate = 128, None, "", None
        while True:
            xb = rur.coord_balls(lo, hi, bits)
            with precision(bits + 64):
                th = _theta_balls(xb, loss_b.omega)
                if degenerate:
                    break
                Hb = [[trig_enclosure(hess[a][b], th) for b in range(pb)] for a in range(pb)]
                inert = symmetric_inertia(Hb)
            if inert is not None:
                index, degenerate = inert[0], False
                break
            if degenerate is None:
                # intervals did not separate: decide det H = 0 exactly (gcd of q with det∘x at this root)
                if det_cs is None:
                    det_cs = _det_poly(hess).cs_terms()
                if lo == hi:
                    degenerate = _eval_cs(det_cs, [_frac_of(N(_fq(lo)) / rur.D(_fq(lo))) for N in rur.N]) == 0
                else:
                    g = flint.fmpq_poly(rur.homogenized(det_cs).gcd(rur.q))
                    degenerate = g.degree() > 0 and _sgn(g(_fq(lo))) * _sgn(g(_fq(hi))) < 0
                if degenerate:
                    continue
            bits *= 2
            if bits > 2048:
                msg = "Hessian signs not separated at 2048 bits"
                break
        with precision(bits + 64):
            inbox = _in_box(th, box, loss_b.omega)
            val_ball = trig_enclosure(loss_b, th)
        kraw = krawczyk_unique_zero(grads, hess, box, bits=max(bits, 128))
        claimed_index = pt.get("index")
        ok = inbox and kraw and not msg and (claimed_index == index)
        detail = []
        detail.append("Krawczyk: exactly one critical point in the θ box" if kraw else "Krawczyk test FAILED on the θ box")
        detail.append("the RUR point lies in the box" if inbox else "the RUR point is NOT in the θ box")
        detail.append(f"index {index} ({_kind(index, pb)}){' — degenerate: det H = 0 exactly' if degenerate else ''}"
                      + (f", certificate says {claimed_index}" if claimed_index != index else ""))
        if msg:
            detail.append(msg)
        out.append(Verdict(f"{label}: {_kind(claimed_index, pb)} in θ box", ok, "; ".join(detail)))
        facts.append({"index": index, "degenerate": degenerate, "value": value if value is not None else val_ball,
                      "exact": value is not None})
    return facts, n, bound


def _frac_of(x) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def _eval_cs(poly: dict, xs) -> Fraction:
    total = Fraction(0)
    for k, v in poly.items():
        t = Fraction(v)
        for x, e in zip(xs, k):
            if e:
                t *= x ** e
        total += t
    return total


def _cmp(a: dict, b: dict) -> int | None:
    """Certified comparison of two values (exact Fractions or balls): -1, 0, 1, or None if undecided."""
    from .interval import ball

    if a["exact"] and b["exact"]:
        return _sgn(a["value"] - b["value"])
    va = ball(a["value"]) if a["exact"] else a["value"]
    vb = ball(b["value"]) if b["exact"] else b["value"]
    d = va - vb
    if d > 0:
        return 1
    if d < 0:
        return -1
    return None


def check_critical(data: dict, progress: bool = False) -> list[Verdict]:
    """Check a ``critical-points`` certificate (a certified table of critical points).

    From the instance alone: the loss is rebuilt by :func:`loss_by_interpolation` (direct
    simulation, not the expansion engines) and compared with the digest of the loss the solver
    used; the loss is split into independent blocks of its own interaction graph; for each block the
    critical system ``g_l = ∂L/∂θ_l`` (normal form), ``c_l² + s_l² = 1`` is rebuilt; the
    parametrization is substituted into every equation modulo ``q`` (python-flint, exact); ``q``
    square-free and the linear form make the ``deg q`` roots distinct solutions, and ``deg q`` equal
    to the multihomogeneous Bézout bound makes them all (complete); the real roots of ``q`` are
    counted and matched one-to-one with the listed isolating intervals; around every real point the
    Krawczyk test on ``∇L`` proves exactly one critical point in the claimed ``θ`` box, which contains
    the parametrized point; the Hessian inertia is certified (Gershgorin after congruence), and
    degeneracy decided exactly (``gcd(q, det H∘x)``).  Product points: every combination of block
    points appears once; index, kind, loss enclosure (exact when rational) and global/spurious are
    re-derived and compared; so are the summary counts.
    """
    from .instances import instance_from_dict
    from .interval import ball, ball_bounds, precision

    out: list[Verdict] = []
    inst = instance_from_dict(data["instance"])
    loss = loss_by_interpolation(inst)
    dig = loss_digest(loss)
    out.append(Verdict("the solver's loss is the instance's loss (eq. 6)", dig == data["loss"]["sha256"],
                       "rebuilt by exact interpolation of the direct simulation tr(UρU†M); digests "
                       + ("match" if dig == data["loss"]["sha256"] else f"differ ({dig[:12]}… vs {data['loss']['sha256'][:12]}…)")))
    comps = _components(loss)
    blocks = data["blocks"]
    claimed = [sorted(int(l) for l in b["parameters"]) for b in blocks]
    flat = sorted(l for b in claimed for l in b)
    ok_blocks = flat == list(range(loss.p)) and all(any(set(c) <= set(b) for b in claimed) for c in comps)
    out.append(Verdict(f"blocks {[[l + 1 for l in b] for b in claimed]} are independent", ok_blocks,
                       f"interaction components of the rebuilt loss: {[[l + 1 for l in c] for c in comps]}"))
    if not ok_blocks:
        return out
    const = loss.terms.get((0,) * loss.p, Fraction(0))
    facts, degs, bounds, complete = [], [], [], True
    for bi, blk in enumerate(blocks):
        lb = _block_loss(loss, [int(l) for l in blk["parameters"]])
        f, n, bd = _check_block(bi, blk, lb, progress, out)
        facts.append(f)
        degs.append(n)
        bounds.append(bd)
        complete = complete and bool(blk.get("complete")) and n == bd
    if any(x is None for f in facts for x in f):
        out.append(Verdict("product points", False, "not checked: a block failed"))
        return out
    # global within each block
    block_global = []
    for f in facts:
        gl = []
        for a in f:
            cmps = [_cmp(a, b) for b in f if b is not a]
            gl.append(False if any(c == 1 for c in cmps) else (True if all(c is not None and c <= 0 for c in cmps) else None))
        block_global.append(gl)
    # product points
    pts = data["points"]
    combos = [tuple(int(i) for i in pt["components"]) for pt in pts]
    full = set(itertools.product(*(range(len(f)) for f in facts)))
    ok_cover = len(combos) == len(set(combos)) == len(full) and set(combos) == full
    out.append(Verdict(f"the {len(pts)} listed critical points are all products of block points, each once", ok_cover,
                       f"{len(full)} combinations expected"))
    counts = {"minima": 0, "global_minima": 0, "spurious_minima": 0, "saddles": 0, "maxima": 0, "degenerate": 0}
    p = loss.p
    bad_pts = []
    for j, (pt, cb) in enumerate(zip(pts, combos)):
        if cb not in full:
            bad_pts.append(f"point {j}: components {cb} out of range")
            continue
        parts = [facts[b][i] for b, i in enumerate(cb)]
        degen = any(x["degenerate"] for x in parts)
        index = None if degen else sum(x["index"] for x in parts)
        kind = _kind(index, p)
        glob = [block_global[b][i] for b, i in enumerate(cb)]
        is_global = False if False in glob else (True if all(glob) else None)
        if all(x["exact"] for x in parts):
            val, exact = const + sum(x["value"] for x in parts), True
        else:
            with precision(256):
                val = ball(const) + sum((x["value"] if not x["exact"] else ball(x["value"]) for x in parts), ball(0))
            exact = False
        lo, hi = _frac_pair(pt["loss_interval"])
        if exact:
            ok_val = (lo <= val <= hi) if lo < hi else val == lo
        else:
            ok_val = lo < hi and ball(lo, hi).contains(val)
        problems = []
        if pt.get("index") != index:
            problems.append(f"index {index}, certificate says {pt.get('index')}")
        if pt.get("kind") != kind:
            problems.append(f"kind {kind}, certificate says {pt.get('kind')}")
        if not ok_val:
            shown = str(val) if exact else "[{}, {}]".format(*(float(x) for x in ball_bounds(val)))
            problems.append(f"loss {shown} not in the claimed [{lo}, {hi}]")
        if kind == "minimum" and pt.get("global") is not None and pt.get("global") != is_global:
            problems.append(f"global = {is_global}, certificate says {pt.get('global')}")
        if problems:
            bad_pts.append(f"point {j}: " + "; ".join(problems))
        counts[{"minimum": "minima", "saddle": "saddles", "maximum": "maxima", "degenerate": "degenerate"}[kind]] += 1
        if kind == "minimum":
            if is_global:
                counts["global_minima"] += 1
            elif is_global is False:
                counts["spurious_minima"] += 1
    out.append(Verdict(f"index, kind, loss value and global/spurious of all {len(pts)} points", not bad_pts,
                       "re-derived: index adds over blocks, loss = constant + Σ block values, global ⇔ every "
                       "component is its block's minimum" if not bad_pts else
                       bad_pts[0] + (f" (and {len(bad_pts) - 1} more)" if len(bad_pts) > 1 else "")))
    summ = data.get("summary", {})
    import math
    n_complex = math.prod(degs)
    mh = math.prod(bounds)
    derived = dict(counts, n_real=len(full), n_complex=n_complex, complete=complete)
    diff = {k: (summ.get(k), v) for k, v in derived.items() if k in summ and summ.get(k) != v}
    out.append(Verdict("summary: " + ", ".join(f"{k} {summ[k]}" for k in derived if k in summ), not diff,
                       "re-derived counts agree" if not diff else
                       "; ".join(f"{k}: certificate {a}, re-derived {b}" for k, (a, b) in diff.items())))
    Dl = [max(d, 1) for d in loss.degrees()]
    thm7 = (2 * sum(Dl)) ** p              # (4p)^p for two-level gates (every D_l = 2)
    sharp = math.factorial(p) * math.prod(2 * d for d in Dl)   # p!·4^p for two-level gates
    names = ("p!·4^p", "(4p)^p") if all(d == 2 for d in Dl) else ("p!·Π 2D_l", "(2ΣD_l)^p")
    ok7 = complete and n_complex <= mh <= sharp <= thm7 and counts["minima"] <= thm7
    out.append(Verdict(f"Theorem 7: {counts['minima']} local minima ≤ #complex critical points {n_complex} ≤ "
                       f"{names[0]} = {sharp} ≤ {names[1]} = {thm7}", ok7,
                       f"multihomogeneous bound of this system {mh}; "
                       + ("list complete" if complete else "completeness NOT proven: counts are lower bounds")))
    return out


# --- Section 5: Fourier-degree bound ---------------------------------------------------------------

#: largest grid (simulations) × dimension³ for which the loss is also rebuilt by direct simulation
_DIRECT_BUDGET = 200_000


def _check_fourier(data: dict, progress: bool) -> list[Verdict]:
    from .expansion import loss_poly
    from .instances import builtin_instance, instance_from_dict

    out = []
    for row in data["instances"]:
        inst = (builtin_instance(row["builtin"], **row["params"]) if row.get("builtin")
                else instance_from_dict(row["instance"]))
        p = inst.p
        L = loss_poly(inst)
        how = "expansion engine"
        grid = 1
        for g in inst.qnn.gates:
            grid *= 2 * max(1, g.max_gap // g.omega) + 1
        if grid * inst.dim ** 3 <= _DIRECT_BUDGET:
            same = loss_by_interpolation(inst) == L
            how = "expansion engine = direct-simulation interpolation" if same else "ENGINES DISAGREE"
        else:
            same = True
        sup = L.fourier_support()
        l1 = max((sum(map(abs, k)) for k in sup), default=0)
        mx = max((max(map(abs, k)) for k in sup if k), default=0)
        two_level = all(g.omega == 2 and g.max_gap == 2 for g in inst.qnn.gates)
        ok = (same and l1 == row["max_l1"] and mx == row["max_abs"] and len(sup) == row["n_fourier_terms"]
              and (not two_level or (l1 <= 2 * p and mx <= 2)))
        out.append(Verdict(f"{row['label']} {row.get('params', '') or inst.name}: max ‖k‖₁ = {row['max_l1']} ≤ 2p = {2 * p}, "
                           f"max |k_l| = {row['max_abs']} ≤ 2", ok,
                           f"{how}; {len(sup)} Fourier terms; re-derived max ‖k‖₁ = {l1}, max |k_l| = {mx}"))
    return out


_CHECKERS: dict[str, Callable[[dict, bool], list[Verdict]]] = {
    "symbolic-identities": _check_symbolic,
    "pauli-expansion": _check_pauli,
    "critical-points": check_critical,
    "fourier-degree": _check_fourier,
}

