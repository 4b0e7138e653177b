"""Checks ``symbolic-identities`` certificates: eqs. 7–15 as identities of non-commutative polynomials.

Each claim ``lhs == rhs`` is parsed by :mod:`.safeexpr` (a grammar that cannot execute code),
expanded, words in the generators are reduced with ``H² = I`` and coefficients modulo
``cos²θ + sin²θ = 1``; a ``trace`` claim reduces words cyclically.  The claims that carry the
paper's names are compared with :func:`paper_identities` (the statement of eqs. 7–15 written out),
so a true identity cannot be passed off under a wrong equation number; other claims must not cite
the paper.
"""
from __future__ import annotations

import itertools
from typing import Any

from .common import Verdict
from .cost import identity_cost, over_limit
from .safeexpr import parse_expression

__all__ = ["check_identities", "paper_identities", "IDENTITIES_STATEMENT"]

#: the statement of a ``symbolic-identities`` certificate of the paper's identities
IDENTITIES_STATEMENT = ("Eqs. 7-15 of You & Wu hold as identities of noncommutative polynomials in which the "
                        "generators are involutions (H² = I) and c = cos θ, s = sin θ with c² + s² = 1.")


def _phi_expr(which: int, A, H):
    """Eqs. 7–9 on sympy noncommutative expressions."""
    import sympy

    if which == 0:
        return (A + H * A * H) / 2
    if which == 1:
        return (A - H * A * H) / 2
    return sympy.I / 2 * (H * A - A * H)


def paper_identities() -> list[dict]:
    """Eqs. 7–15 written out as claims (one gate, and two gates).

    ``H, H1, H2`` are involutions (``H² = I``, no other relation); ``A, M`` arbitrary;
    ``c, s`` stand for ``cos θ, sin θ`` (reduced modulo ``c² + s² = 1``), so
    ``V(θ) = c - i s H``, ``cos 2θ = c² - s²``, ``sin 2θ = 2cs``.

    Examples
    --------
    >>> claims = paper_identities()
    >>> claims[0]["name"], claims[0]["paper"]
    ('conjugation-one-gate', 'eqs. 7-9, 11 (p = 1)')
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
                       "trace": trace})

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
    return claims


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


def _symbols(cl: dict) -> tuple[dict, dict]:
    import sympy

    names = list(cl["noncommutative"]) + list(cl["commutative"])
    if len(set(names)) != len(names) or "I" in names:
        raise ValueError("a symbol is declared twice (or is named I)")
    nc = {name: sympy.Symbol(name, commutative=False) for name in cl["noncommutative"]}
    cm = {name: sympy.Symbol(name) for name in cl["commutative"]}
    if not set(cl["involutions"]) <= set(nc):
        raise ValueError("an involution is not a declared noncommutative symbol")
    if not all(c in cm and s in cm and c != s for c, s in cl["circles"]):
        raise ValueError("a circle pair is not two distinct declared commutative symbols")
    return nc, cm


def check_identities(data: dict, progress: bool) -> list[Verdict]:
    """Check a ``symbolic-identities`` certificate (see the module docstring)."""
    from ...errors import CertificateError

    spec = {c["name"]: c for c in paper_identities()}
    out = []
    names = [cl["name"] for cl in data["claims"]]
    out.append(Verdict("statement: " + data["statement"], data["statement"] == IDENTITIES_STATEMENT
                       and set(spec) <= set(names) and len(set(names)) == len(names),
                       "the statement of eqs. 7-15, and every one of its claims listed once" if
                       data["statement"] == IDENTITIES_STATEMENT else "not the statement this checker knows"))
    for cl in data["claims"]:
        what = f"{cl['name']} ({cl['paper']}): {'tr ' if cl['trace'] else ''}{cl['lhs']} == {cl['rhs']}"
        if cl["name"] in spec and cl != spec[cl["name"]]:
            out.append(Verdict(what, False, "differs from the paper's identity of that name"))
            continue
        if cl["name"] not in spec and cl["paper"]:
            out.append(Verdict(what, False, "cites the paper for an identity the paper's list does not contain"))
            continue
        try:
            nc, cm = _symbols(cl)
            inv = {nc[x] for x in cl["involutions"]}
            circles = [(cm[c], cm[s]) for c, s in cl["circles"]]
            lhs = parse_expression(cl["lhs"], {**nc, **cm})
            rhs = parse_expression(cl["rhs"], {**nc, **cm})
            refusal = over_limit(identity_cost(lhs) + identity_cost(rhs), "expanding both sides into words")
            if refusal:
                out.append(Verdict(what, False, refusal))
                continue
            words = _nc_words(lhs - rhs, inv)
        except (CertificateError, ValueError) as e:
            out.append(Verdict(what, False, f"not checked: {e}"))
            continue
        if cl["trace"]:
            cyc: dict = {}
            for w, c in words.items():
                k = _cyclic_word(w, inv)
                cyc[k] = cyc.get(k, 0) + c
            words = cyc
        bad = {w: r for w, c in words.items() if (r := _reduce_circle(c, circles)) != 0}
        if bad:
            w, r = next(iter(bad.items()))
            out.append(Verdict(what, False, f"residual {r}·{'·'.join(map(str, w)) or '1'} does not vanish"))
        else:
            out.append(Verdict(what, True, f"{len(words)} reduced words cancel"))
    return out
