"""Certificates of the exhaustion route: ``real-exhaustion`` (a complete real table by a cover of the
torus) and ``global-minimum`` (a certified enclosure of ``min L``); docs/certificates.md.

Numbers are written exactly (the float box centres and radii are dyadic rationals); the checker
(:mod:`qnnsym.certify.checker.exhaustion`) re-proves every box with its own ball arithmetic.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..errors import CertificateError
from ..exact.scalars import format_scalar
from .checker.common import FORMAT
from .checker.exhaustion import _BallJet, _index, exhaustion_statement, global_minimum_statement

__all__ = ["degenerate_certificate", "exhaustion_certificate", "global_minimum_certificate"]


def _vec(v) -> list[str]:
    return [format_scalar(Fraction(float(x))) for x in np.atleast_1d(v)]


def _cover_json(tree: str, inclusions, points, indices=None) -> dict:
    pts = []
    for j, (c, r) in enumerate(points):
        d = {"centre": _vec(c), "radius": _vec(r)}
        if indices is not None:
            d["index"] = indices[j]
        pts.append(d)
    return {"tree": tree, "inclusions": [{"centre": _vec(c), "radius": _vec(r), "point": int(j)} for c, r, j in inclusions],
            "points": pts}


def _head(instance, loss, kind: str):
    from .checker.instance import certificate_instance, instance_digest
    from .checker.loss import loss_digest

    inst_d, origin = certificate_instance(instance)
    sha = instance_digest(inst_d)
    return {"format": FORMAT, "kind": kind, "statement": "", "instance": inst_d, "origin": origin,
            "instance_sha256": sha, "loss": {"sha256": loss_digest(loss), "n_terms": len(loss.terms)}}


def exhaustion_certificate(instance, cover=None, max_boxes: int | None = None, progress: bool = False) -> dict:
    """A ``real-exhaustion`` certificate for the whole loss of ``instance``.

    Parameters
    ----------
    instance : Instance
        An exact instance.
    cover : Cover, optional
        A cover of this loss (:func:`qnnsym.critical.exhaustion.exhaust`); computed when omitted.

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> cert = exhaustion_certificate(prop5_instance(1))
    >>> cert["summary"]["n_real"], cert["summary"]["minima"], cert["summary"]["complete"]
    (4, 2, True)
    """
    from ..critical.exhaustion import exhaust
    from ..expansion.phi import loss_poly
    from .checker.critical import instance_label

    loss = loss_poly(instance)
    if any(not any(h[l] for h in loss.terms) for l in range(loss.p)):
        raise CertificateError("the loss does not depend on every parameter: no finite table to certify")
    if cover is None:
        cover = exhaust(loss, max_boxes=max_boxes, progress=progress)
    jet = _BallJet(loss)
    idx = [_index(jet, [Fraction(float(x)) for x in c], [Fraction(float(x)) for x in r]) for c, r in cover.points]
    cert = _head(instance, loss, "real-exhaustion")
    cert["cover"] = _cover_json(cover.tree, cover.inclusions, cover.points, idx)
    p = loss.p
    counts = {"minima": sum(i == 0 for i in idx), "saddles": sum(i is not None and 0 < i < p for i in idx),
              "maxima": sum(i == p for i in idx), "degenerate": sum(i is None for i in idx)}
    vol = sum((Fraction(1, 2 ** sum((d - l + p - 1) // p for l in range(p))) for d, _ in cover.unresolved), Fraction(0))
    summ = dict(counts, n_real=len(cover.points), complete=bool(cover.complete), unresolved_volume=str(vol))
    cert["summary"] = summ
    cert["certification"] = "certified (real exhaustion)" if cover.complete and not counts["degenerate"] else "none"
    cert["statement"] = exhaustion_statement(p, summ, instance_label(cert["origin"], cert["instance_sha256"]))
    return cert


def _bfs_tree(nodes: dict, p: int, inclusions: dict) -> tuple[str, list]:
    """The breadth-first code string of a best-first search tree, and its inclusion records in that order."""
    from ..critical.exhaustion import SPLIT, UNRESOLVED, split_axis

    codes, recs = [], []
    level = [(0, (0,) * p)]
    while level:
        nxt = []
        for key in level:
            c = nodes.get(key, UNRESOLVED)
            codes.append(c)
            if key in inclusions:
                recs.append(inclusions[key])
            if c == SPLIT:
                d, k = key
                s = split_axis(d, p)
                for b in (0, 1):
                    kk = list(k)
                    kk[s] = 2 * kk[s] + b
                    nxt.append((d + 1, tuple(kk)))
        level = nxt
    return "".join(codes), recs


def global_minimum_certificate(instance, result) -> dict:
    """A ``global-minimum`` certificate from a :class:`~qnnsym.critical.globalmin.GlobalMinimum` of ``instance``.

    Each block's interval is widened by ``10^-9·(1 + |v|)`` (exactly) so that the checker's own,
    slightly different rounding proves it; the constant term of ``L`` is stated once.
    """
    from ..expansion.phi import loss_poly
    from .checker.critical import instance_label

    if result.sharp_bounds:
        raise CertificateError("the minimum was found with the sharp bounds, which the checker does not re-prove; "
                               "recompute it with global_minimum(..., sharp_bounds=False)")
    loss = loss_poly(instance)
    const = Fraction(loss.terms.get((0,) * loss.p, 0))
    cert = _head(instance, loss, "global-minimum")
    blocks = []
    lo_sum = hi_sum = Fraction(0)
    from ..landscape.interaction import independent_blocks

    own = {tuple(idx): Fraction(blk.terms.get((0,) * blk.p, 0)) for idx, blk in independent_blocks(loss)}
    for b in result.blocks:
        shift = own.get(tuple(b.indices), Fraction(0))         # the block's share of the constant term
        lo, hi = Fraction(b.interval[0]) - shift, Fraction(b.interval[1]) - shift
        pad_lo, pad_hi = Fraction(1, 10 ** 9) * (1 + abs(lo)), Fraction(1, 10 ** 9) * (1 + abs(hi))
        lo, hi = lo - pad_lo, hi + pad_hi
        lo, hi = Fraction(float(lo)).limit_denominator(10 ** 15), Fraction(float(hi)).limit_denominator(10 ** 15)
        lo, hi = min(lo, Fraction(b.interval[0]) - shift - pad_lo / 2), max(hi, Fraction(b.interval[1]) - shift + pad_hi / 2)
        tree, recs = _bfs_tree(b.nodes, len(b.indices), b.inclusions)
        kind, val = b.upper_witness
        witness = {"point": _vec(val)} if kind == "point" else {"box": int(val)}
        blocks.append({"parameters": list(b.indices), "cover": _cover_json(tree, recs, b.points),
                       "interval": [format_scalar(lo), format_scalar(hi)], "witness": witness})
        lo_sum += lo
        hi_sum += hi
    iv = [format_scalar(const + lo_sum), format_scalar(const + hi_sum)]
    cert.update({"blocks": blocks, "interval": iv, "complete": bool(result.complete)})
    cert["statement"] = global_minimum_statement(loss.p, iv, bool(result.complete),
                                                 instance_label(cert["origin"], cert["instance_sha256"]))
    return cert


def _padded(x, up: bool) -> Fraction:
    """A short decimal rational beyond ``x`` by at least ``10^-9·(1 + |x|)`` (the checker's rounding differs from the
    solver's).

    >>> _padded(0.0625, True), _padded(-1, False)
    (Fraction(62500003, 1000000000), Fraction(-1000000003, 1000000000))
    """
    import math

    f = float(x) + (1 if up else -1) * 1e-9 * (1 + abs(float(x)))
    n = math.ceil(f * 10 ** 9) + 1 if up else math.floor(f * 10 ** 9) - 1
    return Fraction(n, 10 ** 9)


def degenerate_certificate(instance, dc) -> dict:
    """A ``degenerate-exhaustion`` certificate from a :class:`~qnnsym.critical.degenerate.DegenerateCover` of the
    loss of ``instance``: the cover with its region leaves and witnesses, and the levels ``bottom ≤ min L``,
    ``eps_bottom``, ``top ≥ max L``, ``eps_top`` (padded outward so that the checker's own rounding proves them)."""
    from ..expansion.phi import loss_poly
    from .checker.critical import instance_label
    from .checker.degenerate import degenerate_statement

    loss = loss_poly(instance)
    cov = dc.cover
    jet = _BallJet(loss)
    idx = [_index(jet, [Fraction(float(x)) for x in c], [Fraction(float(x)) for x in r]) for c, r in cov.points]
    cert = _head(instance, loss, "degenerate-exhaustion")
    cj = _cover_json(cov.tree, cov.inclusions, cov.points, idx)
    cj["regions"] = [{"code": c, "v": None if v is None else _vec(v), "w": None if w is None else _vec(w)}
                     for c, v, w in dc.records]
    cert["cover"] = cj
    lo, hi = dc.min_interval[0], dc.max_interval[1]
    if lo is None or hi is None:
        raise CertificateError("the cover bounds neither min L nor max L (no box was evaluated): nothing to certify")
    bottom = lo if dc.bottom_known else _padded(lo, up=False)          # a known bound (the spectrum) stays exact
    top = hi if dc.top_known else _padded(hi, up=True)
    eps_b = _padded(float(lo - bottom) + dc.eps_bottom, up=True)
    eps_t = _padded(float(top - hi) + dc.eps_top, up=True)
    levels = {"bottom": format_scalar(bottom), "eps_bottom": format_scalar(eps_b), "top": format_scalar(top),
              "eps_top": format_scalar(eps_t)}
    cert["levels"] = levels
    p = loss.p
    tree = cov.tree
    regions = {"saddle": tree.count("5"), "bottom": tree.count("6"), "top": tree.count("7"), "flat_bottom": tree.count("8")}
    vol = sum((Fraction(1, 2 ** sum((d - l + p - 1) // p for l in range(p))) for d, _ in cov.unresolved), Fraction(0))
    complete = bool(cov.complete)
    summ = {"minima": sum(i == 0 for i in idx), "saddles": sum(i is not None and 0 < i < p for i in idx),
            "maxima": sum(i == p for i in idx), "degenerate": sum(i is None for i in idx), "regions": regions,
            "bottom": str(bottom), "eps_bottom": str(eps_b), "top": str(top), "eps_top": str(eps_t),
            "complete": complete, "unresolved_volume": str(vol)}
    cert["summary"] = summ
    cert["certification"] = "certified (real exhaustion, degenerate)" if complete else "none"
    cert["statement"] = degenerate_statement(p, summ, instance_label(cert["origin"], cert["instance_sha256"]))
    return cert
