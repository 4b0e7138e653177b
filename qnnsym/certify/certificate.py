"""Certificate files: claims about the paper's statements on concrete instances, with the evidence
an independent checker (:mod:`qnnsym.certify.checker`, ``qnnsym check FILE``) needs to re-derive them.

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

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Sequence

from ..errors import CertificateError, ValidationError
from ..exact.scalars import format_scalar
from ..paths import write_text
from .checker.common import FORMAT, expansion_digest
from .checker.fourier import FOURIER_STATEMENT
from .checker.identities import IDENTITIES_STATEMENT, paper_identities
from .checker.pauli import PAULI_STATEMENT, _expansion_rows

__all__ = ['FORMAT', 'write_certificate', 'symbolic_identities_certificate', 'pauli_expansion_certificate', 'critical_certificate', 'fourier_degree_certificate', 'random_pauli_instance', 'FOURIER_FAMILY', 'write_json']


def write_json(cert: dict, path: str | Path) -> Path:
    """Write a certificate as indented JSON (stable key order); returns the path.

    A NaN or infinite number is refused (JSON has none; a certificate's numbers are exact)."""
    try:
        text = json.dumps(cert, indent=1, allow_nan=False)
    except ValueError as e:
        raise ValidationError("certificate", f"cannot be written: {e}", expected="finite numbers only") from None
    return write_text(path, text, "certificate")


def _header(kind: str, statement: str) -> dict:
    return {"format": FORMAT, "kind": kind, "statement": statement}


# --- eqs. 7-15 as symbolic identities ------------------------------------------------------------

def symbolic_identities_certificate() -> dict:
    """Eqs. 7–15 as identities between noncommutative polynomials (one gate, and two gates): the
    claims of :func:`~qnnsym.certify.checker.identities.paper_identities`.

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
    cert = _header("symbolic-identities", IDENTITIES_STATEMENT)
    cert["claims"] = paper_identities()
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
    cert = _header("pauli-expansion", PAULI_STATEMENT)
    cert["families"] = fams
    return cert


# --- Section 5: the Fourier-degree bound on families of instances ---------------------------------

def random_pauli_instance(n_qubits: int, p: int, m: int, seed: int):
    """A random exact Pauli-rotation instance (for the Fourier-degree family).

    Generators: random non-identity Pauli strings; observable: a random Pauli sum with integer
    coefficients in [-2, 2]; states ``(I + Σ_P a_P P)/2^n`` with three random Pauli strings and
    rational ``a_P``, ``Σ|a_P| ≤ 1`` (so ``ρ ⪰ 0``); labels random rationals in [-1, 1].

    Examples
    --------
    >>> inst = random_pauli_instance(2, 3, 4, seed=1)
    >>> inst.p, inst.m, inst.qnn.n_qubits
    (3, 4, 2)
    """
    import numpy as np

    from ..exact.paulis import PauliSum
    from ..model.circuit import QNN, Gate
    from ..model.data import Dataset, Instance, Sample

    rng = np.random.default_rng(seed)
    strings = [(x, z) for x in range(2 ** n_qubits) for z in range(2 ** n_qubits) if (x, z) != (0, 0)]
    pick = lambda: strings[int(rng.integers(len(strings)))]  # noqa: E731
    gates = tuple(Gate(PauliSum(n_qubits, {pick(): 1}), field=f"qnn.gates[{l}]") for l in range(p))
    obs = PauliSum(n_qubits, {pick(): int(rng.integers(1, 3)) * int(rng.choice([-1, 1])) for _ in range(3)})
    d = 2 ** n_qubits
    samples = []
    for _ in range(m):
        terms: dict = {(0, 0): Fraction(1, d)}
        for _ in range(3):
            terms[pick()] = Fraction(int(rng.integers(-3, 4)), 9 * d)
        samples.append(Sample(PauliSum(n_qubits, terms), Fraction(int(rng.integers(-4, 5)), 4)))
    return Instance(QNN(gates, n_qubits=n_qubits), obs, Dataset(tuple(samples)),
                    name=f"random-pauli-n{n_qubits}-p{p}-seed{seed}")


#: the default family of the Fourier-degree proof: (label, builtin name or None, parameters)
FOURIER_FAMILY = ([("prop5", "prop5", {"p": p}) for p in range(1, 13)]
                  + [("dense", "dense", {"p": p, "seed": s}) for p in (1, 2, 3, 4) for s in (0, 1)]
                  + [("random-pauli", None, {"n_qubits": n, "p": p, "m": 3, "seed": s})
                     for n, p in ((1, 3), (2, 2), (2, 4), (3, 3), (3, 5)) for s in (0, 1)])


def fourier_degree_certificate(family: Sequence[tuple[str, str | None, dict]] = FOURIER_FAMILY) -> dict:
    """The Fourier support of the loss of every instance of a family (Section 5's degree bound).

    Parameters
    ----------
    family : sequence of (label, builtin, params)
        ``builtin`` a name of :data:`~qnnsym.model.instances.BUILTINS` (stored by name and parameters),
        or None for :func:`random_pauli_instance` (stored inline, exactly).

    Examples
    --------
    >>> cert = fourier_degree_certificate([("prop5", "prop5", {"p": 2})])
    >>> cert["instances"][0]["max_l1"], cert["instances"][0]["max_abs"]
    (2, 2)
    """
    from ..expansion.phi import loss_poly
    from ..model.instances import builtin_instance, instance_to_dict

    rows = []
    for label, builtin, params in family:
        inst = builtin_instance(builtin, **params) if builtin else random_pauli_instance(**params)
        sup = loss_poly(inst).fourier_support()
        row = {"p": inst.p}
        row.update({"builtin": builtin, "params": params} if builtin else {"instance": instance_to_dict(inst)})
        row.update({"n_fourier_terms": len(sup), "max_l1": max((sum(map(abs, k)) for k in sup), default=0),
                    "max_abs": max((max(map(abs, k)) for k in sup if k), default=0)})
        rows.append(row)
    cert = _header("fourier-degree", FOURIER_STATEMENT)
    cert["instances"] = rows
    return cert


# --- certified tables of critical points ---------------------------------------------------------

def _root_intervals(q_coeffs: Sequence[int]) -> list[tuple[Fraction, Fraction]]:
    """Disjoint isolating intervals ``[lo, hi]`` (exact sign change, or ``lo = hi`` an exact root) of
    the real roots of ``q``, sorted."""
    import flint

    from ..exact.interval import ball_bounds

    q = flint.fmpz_poly([int(c) for c in q_coeffs])
    qq = flint.fmpq_poly(q)
    out = []
    for b, _m in q.complex_roots():
        if not b.imag.is_zero():
            continue
        lo, hi = ball_bounds(b.real)
        if lo == hi or qq(_fq(lo)) == 0:
            out.append((lo, lo))
        elif qq(_fq(hi)) == 0:
            out.append((hi, hi))
        else:
            out.append((lo, hi))
    return sorted(out)


def _fq(x):
    import flint

    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def _split(iv: tuple[Fraction, Fraction], q) -> tuple[Fraction, Fraction]:
    """Halve an isolating interval of ``q`` keeping the root."""
    lo, hi = iv
    if lo == hi:
        return iv
    mid = (lo + hi) / 2
    sm, slo = q(_fq(mid)), q(_fq(lo))
    if sm == 0:
        return mid, mid
    return (lo, mid) if (sm > 0) != (slo > 0) else (mid, hi)


def _linear_form_sign(par: dict, q) -> int:
    """``σ = ±1`` with ``Σ λ_i x_i(u) ≡ σ u (mod q)`` (msolve's convention may flip the sign)."""
    import flint

    D = flint.fmpq_poly([_fq(c) for c in par["denominator"]]) if par.get("denominator") else flint.fmpq_poly([1])
    lin = flint.fmpq_poly([])
    for lam, n in zip(par["linear_form"], par["numerators"]):
        lin += flint.fmpq_poly([_fq(c) for c in n]) * int(lam)
    uD = flint.fmpq_poly([0, 1]) * D
    if ((lin - uD) % q).is_zero():
        return 1
    if ((lin + uD) % q).is_zero():
        return -1
    raise CertificateError("the parametrization's linear form is not separating (Σ λ_i x_i(u) ≢ ±u mod q)")


def _root_of_point(pt, lf: Sequence[int], roots: list, q) -> int:
    """Position in ``roots`` of the root ``u = Σ λ_i x_i`` (``lf`` already carries the sign) of an
    :class:`AlgebraicPoint`."""
    p2 = 2 * pt.p
    form = {tuple(int(j == i) for j in range(p2)): int(c) for i, c in enumerate(lf) if c}
    bits = 64
    while True:
        lo, hi = pt.value_interval(form, bits)
        hits = [k for k, (a, b) in enumerate(roots) if not (b < lo or a > hi)]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise CertificateError("a critical point's u = Σ λ_i x_i is not a root of the block's eliminant")
        for k in hits:
            roots[k] = _split(roots[k], q)
        bits *= 2
        if bits > 4096:
            raise CertificateError("could not match a critical point to a root of the eliminant")


def _theta_box(loss_b, pt) -> list[list[str]]:
    """A small ``θ`` box around the point on which the Krawczyk test succeeds."""
    from ..exact.interval import krawczyk_unique_zero

    grads = loss_b.gradient_polys()
    hess = [[g.derivative(j) for j in range(loss_b.p)] for g in grads]
    mids = [(a + b) / 2 for a, b in pt.theta_intervals(bits=96)]
    for k in (40, 30, 20, 60, 80):
        r = Fraction(1, 2 ** k)
        box = [(m - r, m + r) for m in mids]
        if krawczyk_unique_zero(grads, hess, box, bits=192):
            return [[format_scalar(a), format_scalar(b)] for a, b in box]
    raise CertificateError("no θ box around a critical point passed the Krawczyk test (degenerate point?)")


def _homotopy_theta_box(loss_b, grads, hess, pt) -> tuple[list[list[str]], tuple[Fraction, Fraction]]:
    """A ``θ`` box around a box point that proves its index, and the loss enclosure it gives (mean-value form)."""
    from ..exact.interval import ball_bounds
    from .checker.boxes import theta_box_facts

    mids = [(lo + hi) / 2 for lo, hi in pt.theta_intervals(bits=64)]       # float-accurate centres suffice
    for k in (44, 56, 36, 72, 90):
        r = Fraction(1, 2 ** k)
        box = [(m - r, m + r) for m in mids]
        got = theta_box_facts(grads, hess, loss_b, box)
        if got is not None:
            return [[format_scalar(a), format_scalar(c)] for a, c in box], ball_bounds(got[1])
    raise CertificateError("no θ box around a critical point passed the Krawczyk and inertia tests")


def _homotopy_block(b) -> tuple[list, dict]:
    """The certificate block of a homotopy-solved block (the certified boxes and the real points), and the
    tight loss enclosure of each point (the table's box enclosures are too wide for a certificate)."""
    from .checker.boxes import encode_boxes

    r = b.result
    bx = r.boxes
    from ..exact.interval import TrigBalls

    pts, values = [], []
    grads = b.loss.gradient_polys()
    # prepared once for the ball enclosures of every θ box (as the checker does)
    hess = [[TrigBalls(g.derivative(j)) for j in range(b.loss.p)] for g in grads]
    grads, loss_b = [TrigBalls(g) for g in grads], TrigBalls(b.loss)
    for cp in b.points:
        box, val = _homotopy_theta_box(loss_b, grads, hess, cp.point)
        pts.append({"box": cp.point.box_index, "theta_box": box, "index": cp.index})
        values.append(val)
    return values, {"parameters": list(b.indices), "method": "homotopy", "n_complex": int(bx["n_certified"]),
            "complete": bool(r.complete), "certification": r.certification,
            "bounds": {k: r.bounds[k] for k in ("bezout", "multihomogeneous", "bezout_generic",
                                                "multihomogeneous_generic")},
            "boxes": encode_boxes(bx["mid"], bx["radius"], bx["chart"], bx["rotation"]),
            "points": pts}


def _real_cover(b) -> dict:
    """The exhaustion cover of a block's torus (:func:`qnnsym.critical.exhaustion.exhaust` of the block loss), as
    certificate JSON: it proves the block's real list complete when its exact count is below the bound (deg q < B,
    which the checker cannot prove complete).  Raises CertificateError when the cover is incomplete or its count
    differs from the table's."""
    from ..critical.exhaustion import exhaust
    from .exhaustion import _cover_json

    cov = exhaust(b.loss)
    if not cov.complete or len(cov.points) != len(b.points):
        why = f"incomplete: {cov.reason}" if not cov.complete else f"{len(cov.points)} points, the table {len(b.points)}"
        raise CertificateError(f"block {list(b.indices)}: deg q = {b.result.n_complex} is below the bound "
                               f"{b.result.bounds['multihomogeneous']} and the real exhaustion that would prove the "
                               f"real list complete did not ({why})")
    return _cover_json(cov.tree, cov.inclusions, cov.points)


def _exhaustion_block(b) -> tuple[list, dict]:
    """A block completed by real exhaustion: its own cover (point boxes in the block's point order, each with its
    index) and the value enclosures the checker re-derives (:func:`~.checker.exhaustion.point_facts`), widened by
    ``2^-70``."""
    from ..exact.interval import ball_bounds
    from .checker.exhaustion import _BallJet, point_facts
    from .exhaustion import _cover_json

    cov = b.result.boxes["cover"]
    if not cov.complete:
        raise CertificateError(f"block {list(b.indices)}: its exhaustion cover is incomplete ({cov.reason})")
    order = [cp.point.index_in_cover for cp in b.points]
    if sorted(order) != list(range(len(cov.points))):
        raise CertificateError(f"block {list(b.indices)}: its points are not the cover's point boxes")
    where = {j: i for i, j in enumerate(order)}
    pts = [cov.points[j] for j in order]
    incl = [(c, rr, where[j]) for c, rr, j in cov.inclusions]
    fr = [([Fraction(float(x)) for x in c], [Fraction(float(x)) for x in rr]) for c, rr in pts]
    facts = point_facts(_BallJet(b.loss), fr)
    if any(f is None for f in facts):
        raise CertificateError(f"block {list(b.indices)}: a point box has no finite value enclosure")
    pad = Fraction(1, 2 ** 70)
    values = [(lo - pad, hi + pad) for lo, hi in (ball_bounds(f["value"]) for f in facts)]
    blk = {"parameters": list(b.indices), "method": "exhaustion", "complete": True,
           "certification": "certified (real exhaustion)",
           "cover": _cover_json(cov.tree, incl, pts, [f["index"] for f in facts])}
    return values, blk


def _iv_strings(iv) -> list[str]:
    return [format_scalar(Fraction(iv[0])), format_scalar(Fraction(iv[1]))]


def critical_certificate(instance, table=None, backend: str = "auto", time_limit: float | None = None,
                         progress: bool = False) -> dict:
    """A ``critical-points`` certificate for the table of real critical points of an instance's loss.

    Parameters
    ----------
    instance : Instance
        An exact instance (stored verbatim, via :func:`~qnnsym.model.instances.instance_to_dict`).
    table : CriticalTable, optional
        The table to certify (computed with :func:`qnnsym.critical.table.critical_table` if omitted).
    backend, time_limit, progress
        Passed to ``critical_table`` when ``table`` is omitted.

    Returns
    -------
    dict
        Contains: the instance; the loss digest (``loss.sha256``, the exact loss of eq. 6 in the
        harmonic basis, ``TrigPoly.as_json``); per block the parameters, the eliminant ``q``, the
        parametrization ``x_i = N_i(u)/D(u)``, the linear form, ``n_complex = deg q`` and whether it
        reaches the bound, and per real point an isolating interval of its root of ``q``, a ``θ``
        box (Krawczyk-verified) and the Hessian index; the product points with index, kind, loss
        interval (exact when the value is certified rational) and global flag; summary counts.

    Raises
    ------
    CertificateError
        A block without a parametrization (e.g. a constant block, a positive-dimensional critical
        set), a table with aggregated (unlisted) points, or a point that cannot be boxed.
    ValidationError
        A floating-point instance (its table is ``verified``, not exact: no certificate).

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> cert = critical_certificate(prop5_instance(1))
    >>> cert["summary"]["minima"], cert["summary"]["n_complex"]
    (2, 4)
    """
    if not instance.exact:
        raise ValidationError("--certificate", "certificates need exact data; this instance is floating point "
                              "(its table is verified for an enclosure of the coefficients, not exact)",
                              expected="an exact instance (rational data, fixed angles multiples of π/2)",
                              fix="drop --certificate, or write the instance's numbers exactly")
    from .checker.critical import critical_statement, instance_label, weakest_level
    from .checker.reduction import reduced_statement
    from .checker.instance import certificate_instance, instance_digest
    from .checker.loss import loss_digest

    if table is None:
        from ..critical.table import critical_table

        table = critical_table(instance, backend=backend, time_limit=time_limit, progress=progress)
    if table.dimension or table.points is None or table.status != "complete":
        raise CertificateError(f"table status {table.status!r}"
                               + (", points aggregated" if table.points is None else "")
                               + ": only complete tables with listed points are certified")
    from ..expansion.phi import loss_poly

    loss = loss_poly(instance)
    red, src = table.reduction, table
    if red is not None:   # redundant parameters: certify L = L̃(Aθ) and the table of L̃
        if not red.rank or table.reduced_table is None:
            raise CertificateError("the loss is constant: no critical-point system to certify")
        src = table.reduced_table
    if len(src.blocks) == 1 and red is None and getattr(src.blocks[0].result, "backend", None) == "exhaustion":
        from .exhaustion import exhaustion_certificate   # the whole table is one exhaustion cover

        return exhaustion_certificate(instance, cover=src.blocks[0].result.boxes["cover"])
    blocks, tight, covered = [], {}, False
    for b in src.blocks:
        r = b.result
        if getattr(r, "backend", None) == "exhaustion":
            tight[len(blocks)], blk = _exhaustion_block(b)
            blocks.append(blk)
            covered = True
            continue
        if r is not None and r.boxes is not None:
            tight[len(blocks)], blk = _homotopy_block(b)
            blocks.append(blk)
            continue
        if r is None or r.eliminant is None or not r.parametrization:
            raise CertificateError(f"block {list(b.indices)} has no eliminant/parametrization "
                                   f"(backend {getattr(r, 'backend', None)!r}); use a backend that returns one")
        par = r.parametrization
        q = [int(c) for c in r.eliminant]
        import flint

        qq = flint.fmpq_poly(flint.fmpz_poly(q))
        roots = _root_intervals(q)
        lf = [int(c) for c in par["linear_form"]]
        sigma = _linear_form_sign(par, qq)
        pts = []
        for cp in b.points:
            k = _root_of_point(cp.point, [sigma * c for c in lf], roots, qq)
            pts.append({"k": k, "index": cp.index, "theta_box": _theta_box(b.loss, cp.point)})
        for pt in pts:
            pt["root_interval"] = _iv_strings(roots[pt.pop("k")])
        at_bound = r.n_complex == r.bounds["multihomogeneous"]
        blocks.append({"parameters": list(b.indices), "method": "rur", "n_complex": r.n_complex,
                       "complete": bool(r.complete) and at_bound, "certification": "verified parametrization",
                       "bounds": {k: r.bounds[k] for k in ("bezout", "multihomogeneous", "bezout_generic",
                                                           "multihomogeneous_generic")},
                       "rur": {"eliminant": [str(c) for c in q], "linear_form": lf,
                               "numerators": [[str(Fraction(c)) for c in n] for n in par["numerators"]],
                               "denominator": None if par.get("denominator") is None
                               else [str(Fraction(c)) for c in par["denominator"]]},
                       "points": [{"root_interval": pt["root_interval"], "theta_box": pt["theta_box"],
                                   "index": pt["index"]} for pt in pts]})
        if r.complete and not at_bound:    # below the bound: the real list's completeness by a cover of the torus
            blocks[-1].update(real_cover=_real_cover(b), real_complete=True)
            covered = True
    single = len(src.blocks) == 1
    points = []
    for i, cp in enumerate(src.points):
        comps = [i] if single else list(cp.components)
        exact_ok = cp.loss_exact is not None and all(
            src.blocks[bi].points[ci].cs is not None or len(src.blocks[bi].result.eliminant or ()) <= 65
            for bi, ci in enumerate(comps))
        if exact_ok:
            iv = (cp.loss_exact, cp.loss_exact)
        else:
            lo, hi = cp.loss
            if any(bi in tight for bi in range(len(comps))):
                parts = [tight[bi][ci] if bi in tight else src.blocks[bi].points[ci].loss
                         for bi, ci in enumerate(comps)]
                lo, hi = sum(x[0] for x in parts), sum(x[1] for x in parts)
            mid, r = (lo + hi) / 2, Fraction(1, 2 ** 60)
            iv = (min(lo, mid - r), max(hi, mid + r))
        row = {"components": comps, "index": cp.index, "kind": cp.kind, "loss_interval": _iv_strings(iv)}
        if cp.kind == "minimum":
            row["global"] = cp.is_global
        points.append(row)
    c = table.counts
    summary = {"n_real": table.n_real, "n_complex": table.n_complex, "complete": bool(table.complete),
               **{k: c[k] for k in ("minima", "global_minima", "spurious_minima", "undecided_global", "saddles",
                                    "maxima", "degenerate")}}
    if covered:
        summary["complex_complete"] = False
    solved = loss if red is None else red.reduced   # the polynomial whose table is listed
    p = solved.p
    Dl = [max(d, 1) for d in solved.degrees()]
    bounds = {"theorem7": (2 * sum(Dl)) ** p, "multihomogeneous_generic": math.factorial(p) * math.prod(2 * d for d in Dl)}
    inst_d, origin = certificate_instance(instance)
    sha = instance_digest(inst_d)
    label = instance_label(origin, sha)
    kind = instance.objective.kind
    statement = critical_statement(p, summary, bounds, label, kind) if red is None else \
        reduced_statement(loss.p, red.rank, red.components, summary, bounds, label, kind)
    cert = _header("critical-points", statement)
    cert.update({
        "instance": inst_d,
        "origin": origin,
        "instance_sha256": sha,
        "loss": {"sha256": loss_digest(loss), "n_terms": len(loss.terms)}
        | ({} if instance.objective.kind == "square-loss" else {"objective": instance.objective.kind}),
        "blocks": blocks,
        "points": points,
        "summary": summary,
        "bounds": bounds,
        "certification": weakest_level([blk["certification"] for blk in blocks]),
    })
    if red is not None:
        cert["reduction"] = {"basis": [list(r) for r in red.basis],
                             "reduced_loss": {k: v for k, v in red.reduced.as_json().items() if k != "basis"}}
    return cert


def write_certificate(table, instance, path: str | Path) -> Path:
    """Write the ``critical-points`` certificate of a :class:`~qnnsym.critical.table.CriticalTable`
    (the table of ``instance``) to ``path`` — the ``--certificate FILE`` option of ``qnnsym critical``.

    Raises
    ------
    CertificateError
        The table cannot be certified (incomplete, aggregated, no parametrization).
    """
    return write_json(critical_certificate(instance, table=table), path)
