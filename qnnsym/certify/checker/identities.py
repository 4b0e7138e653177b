"""Checks ``symbolic-identities`` certificates: eqs. 7–15 as identities of non-commutative polynomials.

Each claim ``lhs == rhs`` is expanded, words in the generators are reduced with ``H² = I`` and
coefficients modulo ``cos²θ + sin²θ = 1``; a ``trace`` claim reduces words cyclically.
"""
from __future__ import annotations

from typing import Any

from .common import Verdict

__all__ = ["check_identities"]



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


def check_identities(data: dict, progress: bool) -> list[Verdict]:
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
