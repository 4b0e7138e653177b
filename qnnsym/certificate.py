"""Certificate files: claims about the paper's statements on concrete instances, with the evidence
an independent checker (:mod:`qnnsym.checker`, ``qnnsym check FILE``) needs to re-derive them.

Format ``qnnsym-certificate/1`` (docs: ``docs/certificates.md``; schema:
``qnnsym/data/certificate.schema.json``).  Every number is exact (integers, or rationals as
strings ``"p/q"``).  Kinds written here:

* :func:`symbolic_identities_certificate` — eqs. 7–15 for noncommuting symbols (``H² = I``).
* :func:`pauli_expansion_certificate` — eqs. 11–15 on every small Pauli circuit.
* :func:`fourier_degree_certificate` — the Fourier-degree bound of Section 5 on instances.
* :func:`critical_certificate` — a certified table of critical points (Theorem 7, Prop. 5).

:data:`PROOFS` names the folders of ``proofs/`` and the function that regenerates each one
(``qnnsym prove --regenerate NAME``).
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any, Callable, Sequence

from .checker import FORMAT, expansion_digest, _expansion_rows, pauli_family_cases

__all__ = ["FORMAT", "symbolic_identities_certificate", "pauli_expansion_certificate", "write_json",
           "PROOFS", "regenerate_proof", "proofs_root"]


def write_json(cert: dict, path: str | Path) -> Path:
    """Write a certificate as indented JSON (stable key order); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cert, indent=1) + "\n")
    return path


def _header(kind: str, statement: str) -> dict:
    from . import __version__

    return {"format": FORMAT, "kind": kind, "statement": statement, "created_by": f"qnnsym {__version__}"}


# --- eqs. 7-15 as symbolic identities ------------------------------------------------------------

def _phi_expr(which: int, A, H):
    """Eqs. 7–9 on sympy noncommutative expressions."""
    import sympy

    if which == 0:
        return (A + H * A * H) / 2
    if which == 1:
        return (A - H * A * H) / 2
    return sympy.I / 2 * (H * A - A * H)


def symbolic_identities_certificate() -> dict:
    """Eqs. 7–15 as identities between noncommutative polynomials (one gate, and two gates).

    ``H, H1, H2`` are involutions (``H² = I``, no other relation); ``A, M`` arbitrary;
    ``c, s`` stand for ``cos θ, sin θ`` (reduced modulo ``c² + s² = 1``), so
    ``V(θ) = c - i s H``, ``cos 2θ = c² - s²``, ``sin 2θ = 2cs``.

    Returns
    -------
    dict
        A ``symbolic-identities`` certificate.

    Examples
    --------
    >>> cert = symbolic_identities_certificate()
    >>> cert["kind"], len(cert["claims"]) > 10
    ('symbolic-identities', True)
    """
    import sympy

    A, H, M, H1, H2 = sympy.symbols("A H M H1 H2", commutative=False)
    c, s, c1, s1, c2, s2 = sympy.symbols("c s c1 s1 c2 s2")
    one = {"noncommutative": ["A", "H"], "commutative": ["c", "s"], "involutions": ["H"], "circles": [["c", "s"]]}
    two = {"noncommutative": ["M", "H1", "H2"], "commutative": ["c1", "s1", "c2", "s2"], "involutions": ["H1", "H2"],
           "circles": [["c1", "s1"], ["c2", "s2"]]}
    P = lambda j, X, G=H: _phi_expr(j, X, G)  # noqa: E731
    V = lambda cc, ss, G=H: cc - sympy.I * ss * G  # noqa: E731
    Vd = lambda cc, ss, G=H: cc + sympy.I * ss * G  # noqa: E731
    trig = lambda cc, ss: (1, cc ** 2 - ss ** 2, 2 * cc * ss)  # noqa: E731  (1, cos 2θ, sin 2θ)
    claims = []

    def add(name, paper, lhs, rhs, ctx, trace=False):
        claims.append({"name": name, "paper": paper, "lhs": sympy.sstr(lhs), "rhs": sympy.sstr(rhs), **ctx,
                       **({"trace": True} if trace else {})})

    add("conjugation-one-gate", "eqs. 7-9, 11 (p = 1)", Vd(c, s) * A * V(c, s),
        sum(w * P(j, A) for j, w in enumerate(trig(c, s))), one)
    add("shift-one-gate", "eqs. 13-15: θ ↦ θ + π/2 flips the ξ = 1, 2 terms", Vd(-s, c) * A * V(-s, c),
        P(0, A) - trig(c, s)[1] * P(1, A) - trig(c, s)[2] * P(2, A), one)
    for j, sign, eq in ((0, 1, "eq. 13"), (1, -1, "eq. 14"), (2, -1, "eq. 15")):
        add(f"H-conjugation-phi{j}", eq, H * P(j, A) * H, sign * P(j, A), one)
    table = {(0, 0): (1, 0), (0, 1): (0, 0), (0, 2): (0, 0), (1, 0): (0, 0), (1, 1): (1, 1), (1, 2): (1, 2),
             (2, 0): (0, 0), (2, 1): (1, 2), (2, 2): (-1, 1)}  # Φ_i∘Φ_j = coeff·Φ_k
    for (i, j), (coef, k) in table.items():
        add(f"composition-phi{i}-phi{j}", "eqs. 7-9: the maps are projections up to sign", P(i, P(j, A)),
            coef * P(k, A) if coef else sympy.Integer(0), one)
    for j in (1, 2):
        add(f"traceless-phi{j}", "tr Φ^(ξ)(A) = 0 for ξ ≠ 0", P(j, A), sympy.Integer(0), one, trace=True)
    # two gates: U = V2 V1, U†MU = V1† V2† M V2 V1 = Σ_ξ Φ1^(ξ1)∘Φ2^(ξ2)(M) χ_ξ (eqs. 10-11)
    rhs = sum(trig(c1, s1)[a] * trig(c2, s2)[b] * P(a, P(b, M, H2), H1) for a in range(3) for b in range(3))
    add("conjugation-two-gates", "eqs. 10-11 (p = 2, Φ_p acts first)",
        Vd(c1, s1, H1) * Vd(c2, s2, H2) * M * V(c2, s2, H2) * V(c1, s1, H1), rhs, two)
    for a, b in itertools.product(range(3), repeat=2):
        if (a, b) != (0, 0):
            add(f"traceless-xi{a}{b}", "tr Φ_ξ(M) = 0 for ξ ≠ 0 (p = 2)", P(a, P(b, M, H2), H1), sympy.Integer(0), two,
                trace=True)
    cert = _header("symbolic-identities",
                   "Eqs. 7-15 of You & Wu hold as identities of noncommutative polynomials in which the "
                   "generators are involutions (H² = I) and c = cos θ, s = sin θ with c² + s² = 1.")
    cert["claims"] = claims
    return cert


# --- eqs. 11-15 on every small Pauli circuit -------------------------------------------------------

#: (n_qubits, p) families covered by default: every Pauli generator tuple × every Pauli observable
PAULI_FAMILIES = ((1, 1), (1, 2), (1, 3), (2, 1), (2, 2))


def pauli_expansion_certificate(families: Sequence[tuple[int, int]] = PAULI_FAMILIES) -> dict:
    """The Pauli engine's expansion ``{Φ_ξ(M)}`` of every circuit of each family, pinned by a
    digest, for the checker to test eqs. 11 and 13–15 on.

    Parameters
    ----------
    families : sequence of (n_qubits, p)
        Each family: all ``(4^n - 1)^p`` tuples of non-identity Pauli-string generators times all
        ``4^n - 1`` non-identity Pauli-string observables.

    Examples
    --------
    >>> cert = pauli_expansion_certificate([(1, 1)])
    >>> cert["families"][0]["n_cases"]
    9
    """
    fams = []
    for n, p in families:
        rows = _expansion_rows(n, p)
        fams.append({"n_qubits": n, "p": p, "n_cases": len(rows), "digest": expansion_digest(rows),
                     "n_terms": sum(len(r[2]) for r in rows)})
    cert = _header("pauli-expansion",
                   "For every circuit of Pauli-string rotations exp(-iθ_l P_l) and Pauli-string observable M "
                   "in the listed families: U(θ)†MU(θ) = Σ_ξ Φ_ξ(M) χ_ξ(θ) (eq. 11); shifting θ_l by π/2 "
                   "flips exactly the terms with ξ_l ≠ 0 (eqs. 13-15); tr Φ_ξ(M) = 0 for ξ ≠ 0.")
    cert["families"] = fams
    return cert


# --- proofs/ registry -------------------------------------------------------------------------------

def proofs_root() -> Path:
    """The ``proofs/`` folder of the source tree."""
    return Path(__file__).resolve().parent.parent / "proofs"


#: proof folder name -> {file name: function returning the certificate}
PROOFS: dict[str, dict[str, Callable[[], dict]]] = {
    "eqs-07-15-symbolic": {"identities.json": symbolic_identities_certificate},
    "eqs-11-15-pauli-circuits": {"pauli-circuits.json": pauli_expansion_certificate},
}


def regenerate_proof(name: str, root: str | Path | None = None, progress: bool = False) -> list[Path]:
    """Recompute the certificates of one ``proofs/NAME`` folder; returns the files written.

    Raises
    ------
    ValidationError
        Unknown proof name.
    """
    from .errors import ValidationError

    if name not in PROOFS:
        raise ValidationError("proof", f"unknown proof {name!r}", expected="one of " + ", ".join(sorted(PROOFS)))
    folder = Path(root) if root is not None else proofs_root()
    return [write_json(fn(), folder / name / fname) for fname, fn in PROOFS[name].items()]
