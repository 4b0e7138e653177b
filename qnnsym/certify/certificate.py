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

import itertools
import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Sequence

from ..errors import CertificateError
from ..exact.scalars import format_scalar
from .checker.common import FORMAT, expansion_digest
from .checker.pauli import _expansion_rows

__all__ = ['FORMAT', 'write_certificate', 'symbolic_identities_certificate', 'pauli_expansion_certificate', 'critical_certificate', 'fourier_degree_certificate', 'random_pauli_instance', 'FOURIER_FAMILY', 'write_json']


def write_json(cert: dict, path: str | Path) -> Path:
    """Write a certificate as indented JSON (stable key order); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cert, indent=1) + "\n")
    return path


def _header(kind: str, statement: str) -> dict:
    from .._version import __version__

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
        row = {"label": label, "p": inst.p}
        row.update({"builtin": builtin, "params": params} if builtin else {"instance": instance_to_dict(inst)})
        row.update({"n_fourier_terms": len(sup), "max_l1": max((sum(map(abs, k)) for k in sup), default=0),
                    "max_abs": max((max(map(abs, k)) for k in sup if k), default=0)})
        rows.append(row)
    cert = _header("fourier-degree",
                   "Section 5 (S.M. D.1): for two-level generators the Fourier spectrum K of the loss L(θ) "
                   "(in units of the base frequency 2θ_l) satisfies |k_l| ≤ 2 and ‖k‖₁ ≤ 2p; the listed "
                   "instances attain the stated maxima.")
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


def _iv_strings(iv) -> list[str]:
    return [format_scalar(Fraction(iv[0])), format_scalar(Fraction(iv[1]))]


def critical_certificate(instance, table=None, backend: str = "auto", time_limit: float | None = None,
                         progress: bool = False, statement: str | None = None) -> dict:
    """A ``critical-points`` certificate for the table of real critical points of an instance's loss.

    Parameters
    ----------
    instance : Instance
        An exact instance (stored verbatim, via :func:`~qnnsym.model.instances.instance_to_dict`).
    table : CriticalTable, optional
        The table to certify (computed with :func:`qnnsym.critical.table.critical_table` if omitted).
    backend, time_limit, progress
        Passed to ``critical_table`` when ``table`` is omitted.
    statement : str, optional
        The claim in words (default: the table's counts).

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

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> cert = critical_certificate(prop5_instance(1))
    >>> cert["summary"]["minima"], cert["summary"]["n_complex"]
    (2, 4)
    """
    from ..model.instances import instance_to_dict
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
    blocks = []
    for b in table.blocks:
        r = b.result
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
            pts.append({"k": k, "index": cp.index, "theta_box": _theta_box(b.loss, cp.point),
                        "theta": [float(t) for t in cp.theta]})
        for pt in pts:
            pt["root_interval"] = _iv_strings(roots[pt.pop("k")])
        blocks.append({"parameters": list(b.indices), "backend": r.backend, "engine_version": r.engine_version,
                       "certification": r.certification, "n_complex": r.n_complex, "bounds": dict(r.bounds),
                       "complete": bool(r.complete),
                       "rur": {"eliminant": [str(c) for c in q], "linear_form": lf,
                               "numerators": [[str(Fraction(c)) for c in n] for n in par["numerators"]],
                               "denominator": None if par.get("denominator") is None
                               else [str(Fraction(c)) for c in par["denominator"]]},
                       "points": pts})
    single = len(table.blocks) == 1
    points = []
    for i, cp in enumerate(table.points):
        comps = [i] if single else list(cp.components)
        exact_ok = cp.loss_exact is not None and all(
            table.blocks[bi].points[ci].cs is not None or len(table.blocks[bi].result.eliminant) <= 65
            for bi, ci in enumerate(comps))
        if exact_ok:
            iv = (cp.loss_exact, cp.loss_exact)
        else:
            mid, r = (cp.loss[0] + cp.loss[1]) / 2, Fraction(1, 2 ** 60)
            iv = (min(cp.loss[0], mid - r), max(cp.loss[1], mid + r))
        points.append({"components": comps, "index": cp.index, "kind": cp.kind, "loss_interval": _iv_strings(iv),
                       "global": cp.is_global if cp.kind == "minimum" else None,
                       "theta": [float(t) for t in cp.theta]})
    c = table.counts
    summary = {"n_real": table.n_real, "n_complex": table.n_complex, "complete": bool(table.complete),
               **{k: c[k] for k in ("minima", "global_minima", "spurious_minima", "saddles", "maxima", "degenerate")}}
    p = loss.p
    Dl = [max(d, 1) for d in loss.degrees()]
    sharp, thm7 = math.factorial(p) * math.prod(2 * d for d in Dl), (2 * sum(Dl)) ** p
    cert = _header("critical-points", statement or (
        f"The loss of instance {instance.name or '(unnamed)'} (p = {p}) has exactly {table.n_real} real critical points "
        f"per period: {c['minima']} local minima ({c['global_minima']} global, {c['spurious_minima']} spurious), "
        f"{c['saddles']} saddles, {c['maxima']} maxima; {table.n_complex} complex critical points against "
        f"the bounds p!·Π 2D_l = {sharp} and (2ΣD_l)^p = {thm7} (Theorem 7: p!·4^p and (4p)^p for two-level "
        f"gates, D_l = 2)."))
    cert.update({
        "instance": instance_to_dict(instance),
        "loss": {"sha256": loss_digest(loss), "n_terms": len(loss.terms),
                 "definition": "L = (1/m) Σ_k (f(ρ_k, θ) − y_k)² (eq. 6) in the harmonic basis; "
                               "sha256 of TrigPoly.as_json() with sorted keys and no spaces"},
        "system": {"form": "cs", "equations": "g_l = normal form of ∂L_B/∂θ_l (TrigPoly.cs_terms), "
                                              "c_l² + s_l² − 1, for the parameters l of each block B"},
        "blocks": blocks,
        "points": points,
        "summary": summary,
        "bounds": {"theorem7": thm7, "multihomogeneous_generic": sharp},
    })
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
