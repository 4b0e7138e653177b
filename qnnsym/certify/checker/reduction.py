"""Checks the ``reduction`` of a ``critical-points`` certificate: ``L(θ) = L̃(Bφ)`` exactly (redundant parameters).

The certificate of a loss with redundant parameters lists the table of a reduced loss ``L̃`` in ``r < p``
variables and an integer matrix ``B`` (``r × p``) with ``L(φ) = L̃(x)``, ``x = Bφ`` (``φ_l = ω_l θ_l``; the
reduced variables are ``y = x/ω̃`` with ``ω̃`` the base frequency of ``L̃``).  :func:`check_reduction` proves:

* ``B`` has full row rank ``r < p`` (a non-zero ``r × r`` minor);
* the identity, frequency by frequency: the complex Fourier coefficients of the rebuilt ``L`` are exactly
  ``c_k = c̃_m`` for ``k = Bᵀm`` and zero elsewhere (``Bᵀ`` is injective, so no two ``m`` collide);
* the number of connected components over one critical point of ``L̃``: the fibre
  ``{φ ∈ T^p : Bφ ≡ x*}`` has ``g`` components, ``g`` the gcd of the ``r × r`` minors of ``B``
  (docs/math.md "Redundant parameters"), computed here from the minors (the writer uses the Smith form).

Then the critical set of ``L`` is the preimage of that of ``L̃`` (``∇L = Bᵀ∇L̃``), the blocks and points of
the certificate are checked on ``L̃`` as for any loss, and every count is ``g`` times that of ``L̃``.
This holds for any full-rank integer ``B`` with the identity (a basis of the frequency lattice or not), so
the checker does not need to trust how ``B`` was found.
"""
from __future__ import annotations

import itertools
import math

from .common import OBJECTIVE_NOUNS, Verdict, complex_words

__all__ = ["check_reduction", "fibre_components", "reduced_statement"]


def fibre_components(basis) -> int:
    """``g`` = gcd of the ``r × r`` minors of ``B``: the connected components of ``{φ : Bφ ≡ x*}`` in ``T^p``;
    0 when ``B`` is rank-deficient.

    >>> fibre_components([[2, 2]]), fibre_components([[1, 1], [0, 2]]), fibre_components([[1, 0, 0], [0, 1, 1]])
    (2, 2, 1)
    >>> fibre_components([[1, 1], [2, 2]])
    0
    """
    import flint

    r, p = len(basis), len(basis[0])
    g = 0
    for cols in itertools.combinations(range(p), r):
        g = math.gcd(g, int(flint.fmpz_mat([[row[c] for c in cols] for row in basis]).det()))
    return g


def reduced_statement(p: int, r: int, g: int, summary: dict, bounds: dict, who: str,
                      objective: str = "square-loss") -> str:
    """The statement of a certificate of a loss with redundant parameters (counts are of components)."""
    c = summary
    return (f"{OBJECTIVE_NOUNS[objective]} of {who} (p = {p}) depends on θ only through r = {r} linear combinations y = Aθ: "
            f"L(θ) = L̃(Aθ). Its critical set per period is the union of {'exactly' if c['complete'] else 'at least'} "
            f"{c['n_real']} connected components, each a {p - r}-dimensional torus {{θ : Aθ ≡ y*}} over a critical "
            f"point y* of L̃ ({g} per point): {c['minima']} local minimum manifolds ({c['global_minima']} global, "
            f"{c['spurious_minima']} spurious, {c['undecided_global']} undecided), {c['saddles']} saddle manifolds, "
            f"{c['maxima']} maximum manifolds, {c['degenerate']} degenerate; L̃ has "
            f"{complex_words(c)} against the bounds r!·Π 2D_l = {bounds['multihomogeneous_generic']} and (2ΣD_l)^r = "
            f"{bounds['theorem7']}.")


def _int_matrix(rows) -> list[list[int]] | None:
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) and r for r in rows):
        return None
    if len({len(r) for r in rows}) != 1 or not all(type(x) is int for r in rows for x in r):
        return None
    return rows


def _trigpoly(data):
    from ...exact.scalars import as_fraction
    from ...exact.trigpoly import TrigPoly

    p = data["p"]
    terms = {}
    for h, v in data["terms"]:
        if len(h) != p or tuple(h) in terms:
            raise ValueError(f"reduced_loss: bad or repeated term {h}")
        terms[tuple(int(x) for x in h)] = as_fraction(v)
    return TrigPoly(p, terms, tuple(data["omega"]))


def check_reduction(loss, data: dict, out: list) -> tuple[object, int] | None:
    """Verify ``L = L̃(Bφ)`` for the rebuilt loss ``loss``; append verdicts to ``out``.

    Returns
    -------
    (TrigPoly, int) or None
        ``L̃`` and ``g`` (connected components per critical point of ``L̃``), or ``None`` when a check failed.
    """
    B = _int_matrix(data["basis"])
    red = _trigpoly(data["reduced_loss"])
    p = loss.p
    r = 0 if B is None else len(B)
    shape_ok = B is not None and len(B[0]) == p and 0 < r < p and red.p == r and len(set(red.omega)) <= 1
    g = fibre_components(B) if shape_ok else 0
    out.append(Verdict(f"reduction: B is an integer {r} × {p} matrix of full row rank r < p", shape_ok and g > 0,
                       (f"gcd of its {r} × {r} minors g = {g}: {g} connected component(s) of {{θ : Aθ ≡ y*}} per "
                        "critical point y* of L̃") if g else "not a full-row-rank integer matrix of that shape "
                                                             "(or L̃ has the wrong number of variables)"))
    if not g:
        return None
    lf = loss.fourier()
    mapped = {}
    for m, c in red.fourier().items():
        k = tuple(sum(B[i][l] * m[i] for i in range(r)) for l in range(p))
        mapped[k] = c
    bad = [k for k in set(lf) | set(mapped) if lf.get(k) != mapped.get(k)]   # zero coefficients are not stored
    out.append(Verdict(f"L(θ) = L̃(Aθ): the {len(lf)} Fourier coefficients of L are those of L̃ at k = Bᵀm",
                       not bad, "exact identity, frequency by frequency" if not bad else
                       f"{len(bad)} frequencies differ, e.g. k = {sorted(bad)[0]}"))
    return (red, g) if not bad else None
