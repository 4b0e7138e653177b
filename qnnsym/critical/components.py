"""Exact decomposition of a positive-dimensional critical set into components (issues 23, 24).

When the critical ideal ``I = (g_1, …, g_p, c_1² + s_1² − 1, …)`` of the cs system (Sect. 5,
:mod:`.system`) has positive dimension, there is no finite table; yet the critical set is a finite union of
algebraic components, and ``L`` is constant on each connected one.  :func:`decompose` splits ``V(I)`` by a
**factorizing Gröbner basis** (grevlex; python-flint's Buchberger over ℤ within swell limits, else sympy's
F5B, :func:`~qnnsym.critical.backends.sympy_backend._groebner`; factors by python-flint): compute a reduced
basis ``G``; if an element of ``G`` factors
over ``Q`` (or has a repeated factor), recurse on ``G + [f]`` for each irreducible factor ``f``; a basis none
of whose elements factors is a *component* (not proven prime: it may still split over ``Q``, never wrongly
merged).  Empty components (basis ``[1]``) and components contained in another (every generator of the
other reduces to 0 modulo its basis, so ``V(A) ⊆ V(B)``) are dropped.  Each component gets, exactly:

* its **dimension**: the Krull dimension of ``Q[c, s]/J`` from the leading monomials of its basis (the
  complex dimension; :func:`~qnnsym.critical.backends.common.krull_dimension`);
* its **loss value** ``v``: the normal form of ``L`` modulo the basis.  When it is a rational constant,
  ``L − v ∈ J`` is proven, so ``L ≡ v`` on the whole component; otherwise the value is left undecided;
* a **real point**: for a positive-dimensional component a float point of ``V(J)`` on the torus is found by
  least squares and snapped to a rational point of the circles (``t = tan(φ/2)`` rational); it counts only
  when every generator vanishes at it **exactly**; without one, an exact interval exclusion of ``[−1, 1]^{2p}``
  may prove it has no real point (:mod:`.componentpoints`).  Zero-dimensional components are solved exactly
  (:func:`~qnnsym.critical.backends.sympy_backend.solve_sympy` on the component's generators: rational
  univariate representation, exact real-root isolation) and classified point by point; a point whose value is
  algebraic (not rational) keeps its certified enclosure, and global/spurious is decided by separation;
* its **kind**: the characteristic polynomial of the Hessian ``∇²_θ L`` reduced modulo the basis (each
  coefficient constant ⇒ the inertia is the same at every point of the component) or evaluated exactly at
  the rational point; **Morse–Bott** when the nullity equals the dimension: then a minimum / saddle of
  index ``n₋`` / maximum manifold.  Otherwise ``degenerate (kind undecided)`` — unless the value settles it:
  once every component is decided, ``min L`` is the least value of a component with a real point, and a
  component at that value is a global minimum whatever its Hessian (likewise the largest value: a global
  maximum).

The table (:func:`component_table`) lists the components (kind, dimension, value, global/spurious) and is
``complete`` when every component's real points and value are decided.  Certification level ``exact``; there
is **no independent certificate** for it yet (``--certificate`` is refused with that reason).
See docs/critical-points.md "Positive-dimensional critical sets".
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import numpy as np

from ..errors import TimeBudgetExceeded
from ..exact.scalars import format_scalar
from ..exact.trigpoly import TrigPoly
from .classify import inertia_from_charpoly
from .componentpoints import exact_real_point, no_real_point, theta_of
from .system import critical_system

__all__ = ["Component", "ComponentTable", "decompose", "component_table", "components_table", "lift_components",
           "COMPONENT_MAX_P", "settle_degenerate_points"]

#: seconds the decomposition may take when the caller set no time limit (it used to answer "positive-dimensional"
#: at once; sympy's Gröbner bases can run for minutes at p = 4)
DEFAULT_SECONDS = 60.0
#: from this many parameters on, Gröbner bases are computed by multi-modular reconstruction when msolve is installed
#: (None: never by default; QAOA triangle reps 2 did not finish within 7 min either way: the factorizing recursion,
#: factoring ~80 basis elements per branch, dominates)
MODULAR_FROM_P = None
#: how the bases are computed (notes)
ENGINE = "python-flint Buchberger over ℤ, sympy F5B past its swell limits"
#: the decomposition is tried for (reduced) losses with at most this many parameters
COMPONENT_MAX_P = 4


def _groebner(polys, R, modular: bool = False):
    if modular:
        from .modular_groebner import modular_groebner

        return modular_groebner(polys, R)
    from .backends.sympy_backend import _groebner as gb

    return gb(polys, R)


def _is_unit(G) -> bool:
    return any(g.is_ground and g != 0 for g in G)


def _contained(A, B) -> bool:
    """``V(A) ⊆ V(B)``: every generator of ``B`` reduces to 0 modulo the Gröbner basis ``A``."""
    return all(b.rem(A) == 0 for b in B)


def _factors(g) -> list:
    """The distinct irreducible factors over ``Q`` of a sympy ``PolyElement`` (python-flint's multivariate
    factorisation, exact; one factor: ``g`` is irreducible and square-free)."""
    import flint

    R = g.ring
    ctx = flint.fmpq_mpoly_ctx.get(tuple(str(x) for x in R.gens), "degrevlex")
    f = ctx.from_dict({m: flint.fmpq(int(c.numerator), int(c.denominator)) for m, c in g.terms()})
    _, facs = f.factor()
    if len(facs) == 1 and facs[0][1] == 1:
        return [g]
    return [R({tuple(int(e) for e in m): R.domain.convert(Fraction(int(c.p), int(c.q)))
               for m, c in h.to_dict().items()}).monic()
            for h, _ in facs]


def _first_split(F, memo: dict) -> tuple[int, list] | None:
    """``(i, factors)`` for the element ``F[i]`` of least total degree that factors over ``Q`` (or has a repeated
    factor), its distinct irreducible factors; ``None`` when no element factors (``memo``: factors by polynomial)."""
    order = sorted(range(len(F)), key=lambda i: (F[i].total_degree() if hasattr(F[i], "total_degree") else 0,
                                                 str(F[i])))
    for i in order:
        if F[i].is_ground:
            continue
        key = str(F[i])
        if key not in memo:
            memo[key] = _factors(F[i])
        if len(memo[key]) > 1 or memo[key][0] != F[i]:
            return i, memo[key]
    return None


def decompose(gens: Sequence, R, deadline=None, clock=time.perf_counter, modular: bool = False) -> list:
    """Components of ``V(gens)`` by a factorizing Gröbner basis (module docstring): reduced grevlex bases,
    none of whose elements factors over ``Q``; empty and contained components removed.

    Parameters
    ----------
    gens : sequence of sympy ``PolyElement``
    R : sympy polynomial ring (grevlex)
    deadline : float, optional
        ``clock()`` value after which :class:`~qnnsym.errors.TimeBudgetExceeded` is raised.
    modular : bool
        Compute each basis by multi-modular reconstruction (:mod:`.modular_groebner`: msolve, level ``modular``)
        instead of sympy.

    Examples
    --------
    >>> from sympy import QQ
    >>> from sympy.polys.rings import ring
    >>> from sympy.polys.orderings import grevlex
    >>> R, x, y = ring("x,y", QQ, grevlex)
    >>> sorted(str(G) for G in decompose([x * y, x * (x - 1)], R))      # the line x = 0 and the point (1, 0)
    ['[x - 1, y]', '[x]']
    """
    out: list = []
    stack = [list(gens)]
    seen: set = set()
    memo: dict = {}
    while stack:
        if deadline is not None and clock() > deadline:
            raise TimeBudgetExceeded("time limit reached during the component decomposition")
        F = stack.pop()
        G = _groebner(F, R, modular)
        key = tuple(sorted(str(g) for g in G))
        if key in seen or _is_unit(G):
            continue
        seen.add(key)
        split = _first_split(G, memo)
        if split is not None:
            i, facs = split
            stack.extend([*G[:i], f, *G[i + 1:]] for f in facs)
        else:
            out.append(G)
    return [A for i, A in enumerate(out)
            if not any(j != i and _contained(A, B) and not (_contained(B, A) and j > i) for j, B in enumerate(out))]


@dataclass
class Component:
    """One component of the critical set.

    Attributes
    ----------
    basis : list of str
        Its reduced Gröbner basis in ``c1, s1, …`` (grevlex).
    dimension : int
        Complex (Krull) dimension; 0 for a point.
    value : Fraction or None
        ``L`` on the component (``L − value`` reduces to 0 modulo the basis), ``None``: undecided.
    theta : tuple of float or None
        A real point of the component (display), ``None``: no real point proven.
    cs : tuple of Fraction or None
        The exact rational point ``(c_1, s_1, …)`` behind ``theta`` (positive-dimensional components).
    inertia : (int, int, int) or None
        Hessian inertia ``(n₋, n₀, n₊)`` in ``θ`` on the component (``inertia_everywhere``) or at ``cs``.
    inertia_everywhere : bool
        The characteristic polynomial reduces to constants modulo the basis: the inertia holds at every point.
    kind : str
        ``minimum``, ``saddle``, ``maximum`` (``… manifold`` when ``dimension > 0``), ``degenerate (kind
        undecided)``, or ``no real point``.
    is_global : bool or None
        At the global minimum value (``None``: undecided).
    how : str
        How the kind was decided (``Morse–Bott``, ``value = min L``, …).
    """
    basis: list[str]
    dimension: int
    value: Fraction | None
    theta: tuple[float, ...] | None
    cs: tuple[Fraction, ...] | None = None
    inertia: tuple[int, int, int] | None = None
    inertia_everywhere: bool = False
    kind: str = "degenerate (kind undecided)"
    is_global: bool | None = None
    how: str = ""
    real: bool | None = None
    loss: tuple[Fraction, Fraction] | None = None

    @property
    def enclosure(self) -> tuple[Fraction, Fraction] | None:
        """``(v, v)`` for an exact value, else the certified enclosure of an isolated point's value, else None."""
        return (self.value, self.value) if self.value is not None else self.loss

    def row(self, n: int) -> dict:
        """A display row."""
        return {"n": n, "kind": self.kind, "dim": self.dimension,
                "value": format_scalar(self.value) if self.value is not None else (
                    "?" if self.loss is None else f"~{float((self.loss[0] + self.loss[1]) / 2):.12g}"),
                "global": {True: "global", False: "spurious" if "minimum" in self.kind else "", None: "?"}[self.is_global],
                "index": "" if self.inertia is None else self.inertia[0],
                "nullity": "" if self.inertia is None else self.inertia[1],
                "theta (a point)": "" if self.theta is None else "(" + ", ".join(f"{t:.6g}" for t in self.theta) + ")",
                "decided by": self.how}

    def to_json(self) -> dict:
        return {"basis": list(self.basis), "dimension": self.dimension,
                "value": None if self.value is None else format_scalar(self.value),
                "loss_enclosure": None if self.enclosure is None else [format_scalar(x) for x in self.enclosure],
                "theta": None if self.theta is None else list(self.theta),
                "cs": None if self.cs is None else [format_scalar(x) for x in self.cs],
                "inertia": None if self.inertia is None else list(self.inertia),
                "inertia_everywhere": self.inertia_everywhere, "kind": self.kind, "global": self.is_global,
                "decided_by": self.how, "real_point": self.real}


@dataclass
class ComponentTable:
    """The decomposition of a positive-dimensional critical set (:func:`component_table`)."""
    components: list[Component]
    complete: bool
    min_value: Fraction | None
    max_value: Fraction | None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    modular: bool = False
    min_loss: tuple[Fraction, Fraction] | None = None

    def counts(self) -> dict:
        """Components by kind (minima counted as components, not points)."""
        real = [c for c in self.components if c.real]
        mins = [c for c in real if c.kind.startswith("minimum")]
        return dict(components=len(self.components), real_components=len(real), minima=len(mins),
                    global_minima=sum(c.is_global is True for c in mins),
                    spurious_minima=sum(c.is_global is False for c in mins),
                    saddles=sum(c.kind.startswith("saddle") for c in real),
                    maxima=sum(c.kind.startswith("maximum") for c in real),
                    degenerate=sum(c.kind.startswith("degenerate") for c in real),
                    undecided_global=sum(c.is_global is None for c in mins),
                    by_index={}, max_dimension=max((c.dimension for c in real), default=0))

    def to_json(self) -> dict:
        return {"complete": self.complete, "counts": self.counts(),
                "min_value": None if self.min_value is None else format_scalar(self.min_value),
                "max_value": None if self.max_value is None else format_scalar(self.max_value),
                "components": [c.to_json() for c in self.components if c.real is not False],
                "complex_only_components": sum(c.real is False for c in self.components),
                "counted_as": "components (connected pieces of the critical variety; minima counted as manifolds)",
                "notes": list(self.notes), "seconds": round(self.seconds, 4)}

    def rows(self) -> list[dict]:
        return [c.row(i + 1) for i, c in enumerate(c for c in self.components if c.real is not False)]

    def summary_lines(self) -> list[str]:
        """The lines a table of components adds to its summary."""
        c = self.counts()
        out = [f"critical set decomposed into components (factorizing Gröbner basis): {c['real_components']} with real "
               f"points, of dimension ≤ {c['max_dimension']}; {c['components'] - c['real_components']} complex-only "
               "component(s) left out; one row per algebraic component (its real points may meet another's)",
               f"minima {c['minima']} (global {c['global_minima']}, spurious {c['spurious_minima']}), saddles "
               f"{c['saddles']}, maxima {c['maxima']}, degenerate (kind undecided) {c['degenerate']} — counted as "
               "components, not points"]
        if self.min_value is not None:
            out.append(f"min L = {format_scalar(self.min_value)}, max L = {format_scalar(self.max_value)} (exact: L − v "
                       "reduces to 0 modulo each component's Gröbner basis)")
        out.append("certificate: none yet — the table is exact (Gröbner bases over Q: python-flint, else sympy; exact "
                   "reductions) but no "
                   "independent checker re-proves a decomposition")
        return out


def _poly(R, cs_terms: dict):
    from sympy import QQ

    return R({k: QQ(Fraction(v).numerator, Fraction(v).denominator) for k, v in cs_terms.items()})


def _charpoly(R, H) -> list:
    """Coefficients (lowest first) of ``det(tI − H)`` for a matrix of ring elements (Faddeev–LeVerrier)."""
    n = len(H)
    M = [[R.zero] * n for _ in range(n)]
    coeffs = [R.one]                              # c_n = 1, built downwards
    for k in range(1, n + 1):
        AM = [[sum((H[i][l] * M[l][j] for l in range(n)), R.zero) for j in range(n)] for i in range(n)]
        M = [[AM[i][j] + (coeffs[-1] if i == j else R.zero) for j in range(n)] for i in range(n)]
        AM = [[sum((H[i][l] * M[l][j] for l in range(n)), R.zero) for j in range(n)] for i in range(n)]
        coeffs.append(-sum((AM[i][i] for i in range(n)), R.zero) * R.domain.convert(Fraction(1, k)))
    return coeffs[::-1]


def _sign(x) -> int:
    return (x > 0) - (x < 0)


def _inertia(charpoly: list, cs: Sequence[Fraction] | None):
    """(inertia, everywhere): from constant reduced coefficients, else exactly at the rational point ``cs``."""
    from sympy import QQ

    if all(c.is_ground for c in charpoly):
        return inertia_from_charpoly([_sign(Fraction(int(c.LC.numerator), int(c.LC.denominator))) if c else 0
                                      for c in charpoly]), True
    if cs is None:
        return None, False
    vals = [QQ(x.numerator, x.denominator) for x in cs]
    return inertia_from_charpoly([_sign(c(*vals)) for c in charpoly]), False


def component_table(loss: TrigPoly, time_limit: float | None = None, clock=time.perf_counter, seed: int = 0,
                    bits: int = 64, modular: bool | None = None) -> tuple[ComponentTable, list]:
    """Decompose the critical set of ``loss`` into components and classify them (module docstring).

    Parameters
    ----------
    loss : TrigPoly
        An exact loss (after the linear reduction of :mod:`qnnsym.landscape.redundancy`, as a rule).
    time_limit : float, optional
        Seconds; past it :class:`~qnnsym.errors.TimeBudgetExceeded` is raised.
    modular : bool, optional
        Gröbner bases by multi-modular reconstruction (msolve; the table's level is then ``modular``); default:
        from :data:`MODULAR_FROM_P` parameters on when msolve is installed (default: never), else sympy (level
        ``exact``).

    Returns
    -------
    (ComponentTable, list of ClassifiedPoint)
        The components (isolated points included, as dimension-0 components) and the classified isolated real
        points (:mod:`.classify`), which the component rows of dimension 0 stand for.

    Examples
    --------
    ``E = cos a cos c − sin a sin c cos b`` (1-qubit EfficientSU2, Z readout, after the idle RZ): a curve of
    maxima ``a = c = 0`` and a curve of minima ``b = 0, a + c = π`` (and their images):

    >>> E = TrigPoly(3, {(1, 0, 1): 1, (-1, 1, -1): -1}, omega=1)
    >>> t, _ = component_table(E)
    >>> sorted({(c.kind, c.dimension, str(c.value)) for c in t.components if c.real})
    [('maximum manifold', 1, '1'), ('minimum manifold', 1, '-1')]
    >>> t.complete, t.min_value
    (True, Fraction(-1, 1))
    """
    from .backends.common import Budget, krull_dimension
    from .backends.sympy_backend import solve_sympy
    from .classify import LossData, classify_points

    t0 = clock()
    deadline = None if time_limit is None else t0 + time_limit
    system = critical_system(loss)
    p, omega = loss.p, loss.omega
    R, eqs = system.to_sympy()
    if modular is None:
        from .backends.msolve_backend import available

        modular = MODULAR_FROM_P is not None and p >= MODULAR_FROM_P and available()
    parts = decompose([e for e in eqs if e], R, deadline, clock, modular)
    Lr = _poly(R, loss.cs_terms())
    Hr = [[_poly(R, h.cs_terms()) for h in row] for row in loss.hessian_polys()]
    rng = np.random.default_rng(seed)
    comps: list[Component] = []
    iso_points = []
    positive = [G for G in parts if krull_dimension([g.LM for g in G], 2 * p) > 0]
    notes = [f"critical ideal decomposed by a factorizing Gröbner basis "
             f"({'multi-modular: msolve modulo primes, rational reconstruction' if modular else ENGINE}): "
             f"{len(parts)} component(s), {len(positive)} of positive dimension"]
    if modular:
        notes.append("level modular: each component's basis is checked exactly to contain the critical ideal (so "
                     "every listed component is critical, with its exact value), but that no component was lost "
                     "rests on msolve's modular computation")
    for G in parts:
        if deadline is not None and clock() > deadline:
            raise TimeBudgetExceeded("time limit reached while classifying components")
        dim = krull_dimension([g.LM for g in G], 2 * p)
        nf = Lr.rem(G)
        value = Fraction(int(nf.LC.numerator), int(nf.LC.denominator)) if nf.is_ground and nf else (
            Fraction(0) if nf == 0 else None)
        if dim == 0:
            budget = Budget(None if deadline is None else max(deadline - clock(), 1e-9), False,
                            label="component (dimension 0)", clock=clock)
            res = solve_sympy(system, budget, generators=list(G))
            pts = [pt for pt in res.real_points
                   if not any(all(pt.sign(_cs_dict(g)) == 0 for g in B) for B in positive)]
            dropped = len(res.real_points) - len(pts)
            if dropped:
                notes.append(f"{dropped} real point(s) of a 0-dimensional component lie on a positive-dimensional "
                             "one (exact test): listed there")
            res.real_points = pts
            cps = classify_points(LossData(loss), pts, complete=False, bits=bits)
            iso_points.extend(cps)
            for cp in cps:
                comps.append(Component([str(g) for g in G], 0, cp.loss_exact, tuple(cp.theta), cp.cs, cp.inertia,
                                       True, cp.kind if cp.kind != "degenerate" else "degenerate (kind undecided)",
                                       None, "Hessian at the point (exact)", True, tuple(cp.loss)))
            if not pts:
                comps.append(Component([str(g) for g in G], 0, value, None, real=False, kind="no real point",
                                       how="exact real-root isolation"))
            continue
        cs = exact_real_point(G, R, p, omega, rng)
        chi = [c.rem(G) for c in _charpoly(R, Hr)]
        inertia, everywhere = _inertia(chi, cs)
        comp = Component([str(g) for g in G], dim, value, None if cs is None else theta_of(cs, omega), cs, inertia,
                         everywhere, real=True if cs is not None else None)
        if inertia is not None and inertia[1] == dim:
            neg, _, pos = inertia
            base = "minimum" if neg == 0 else ("maximum" if pos == 0 else "saddle")
            comp.kind = base + " manifold"
            comp.how = "Morse–Bott (Hessian nullity = dimension " + ("on the whole component)" if everywhere
                                                                       else "at the point)")
        elif cs is None and no_real_point(G, p):
            comp.real, comp.kind, comp.how = False, "no real point", "interval exclusion of [−1, 1]^2p (exact)"
        elif cs is None:
            comp.kind, comp.how = "real points undecided", "no rational real point found"
        comps.append(comp)
    # decided: every component's real points, and its value exactly or (an isolated point whose value is algebraic,
    # not rational) as a certified enclosure
    decided = all(c.real is False or (c.real and c.enclosure is not None) for c in comps)
    real = [c for c in comps if c.real and c.enclosure is not None]
    vmin = vmax = min_loss = None
    if decided and real:
        min_loss = (min(c.enclosure[0] for c in real), min(c.enclosure[1] for c in real))
        exact = [c.value for c in real if c.value is not None]
        vmin = min_loss[0] if min_loss[0] == min_loss[1] and min_loss[0] in exact else None
        top = max(c.enclosure[1] for c in real)
        vmax = top if top == max(c.enclosure[0] for c in real) and top in exact else None
        for c in real:
            others = [d.enclosure[0] for d in real if d is not c]
            # global when no other component can lie below it; spurious when another lies surely below it
            c.is_global = True if c.enclosure[1] <= min(others, default=c.enclosure[1]) else (
                False if c.enclosure[0] > min_loss[1] else None)
            if c.kind.startswith("degenerate") and c.value is not None and c.value in (vmin, vmax):
                c.kind = ("minimum" if c.value == vmin else "maximum") + (" manifold" if c.dimension else "")
                c.how = (f"value = {'min' if c.value == vmin else 'max'} L over a complete decomposition "
                         "(degenerate Hessian)")
        for cp, c in zip(iso_points, [c for c in comps if c.dimension == 0 and c.real]):
            cp.is_global = c.is_global
        if any(c.is_global is None for c in real):
            notes.append("some component's value could not be separated from the least one and its equality to it "
                         "was not proven (algebraic values): its 'global' is undecided")
    if not decided:
        notes.append("some component has no proven real point or no exact value: the table is not complete, "
                     "'global' is undecided")
    return ComponentTable(comps, decided, vmin, vmax, notes, clock() - t0, modular, min_loss), iso_points


def components_table(loss: TrigPoly, table, time_limit: float | None, clock=time.perf_counter, seed: int = 0,
                     bits: int = 64):
    """The :class:`~qnnsym.critical.table.CriticalTable` of a positive-dimensional ``loss`` as components
    (:func:`component_table`), or ``table`` itself with a note when the loss is too large
    (``p >`` :data:`COMPONENT_MAX_P`) or the time limit is reached.  Status ``complete`` when every component
    is decided (``dimension`` = the largest component dimension), else ``incomplete``."""
    from dataclasses import replace

    if loss.p > COMPONENT_MAX_P:
        return replace(table, notes=table.notes + [f"component decomposition not tried: p = {loss.p} > "
                                                    f"{COMPONENT_MAX_P} (Gröbner bases over Q)"])
    if time_limit is not None and time_limit <= 0:
        return table
    capped = time_limit is None
    time_limit = DEFAULT_SECONDS if capped else time_limit
    t0 = time.perf_counter()
    try:
        ct = _in_child(loss, time_limit, seed, bits)
    except TimeBudgetExceeded as e:
        more = f" (default cap {DEFAULT_SECONDS:g} s without --time-limit; pass a larger --time-limit)" if capped else ""
        return replace(table, notes=table.notes + [f"component decomposition: {e}{more}"])
    ct.seconds = time.perf_counter() - t0
    c = ct.counts()
    counts = {k: c[k] for k in ("minima", "global_minima", "spurious_minima", "saddles", "maxima", "degenerate",
                                "undecided_global", "by_index")}
    return replace(table, certification="modular" if ct.modular else "exact",
                   backend="msolve modular (components)" if ct.modular else "sympy (components)", complete=ct.complete,
                   status="complete" if ct.complete else "incomplete", dimension=c["max_dimension"] or table.dimension,
                   counts=counts, n_real=c["real_components"],
                   min_loss=ct.min_loss, components=ct,
                   timings=dict(table.timings, components=ct.seconds),
                   notes=[n for n in table.notes if not n.startswith("the critical set has dimension")]
                   + ["route: positive-dimensional and small (p ≤ "
                                        f"{COMPONENT_MAX_P}): exact decomposition into components "
                                        "(qnnsym.critical.components)"] + ct.notes)


def _child(conn, loss, seed, bits):
    try:
        conn.send(component_table(loss, seed=seed, bits=bits)[0])
    except BaseException as e:          # noqa: BLE001 - sent to the parent, re-raised there
        conn.send(e)
    finally:
        conn.close()


def _in_child(loss: TrigPoly, seconds: float, seed: int, bits: int) -> ComponentTable:
    """:func:`component_table` in a forked process ended after ``seconds`` of wall time (a sympy Gröbner basis
    cannot be interrupted from inside): :class:`~qnnsym.errors.TimeBudgetExceeded` then."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, loss, seed, bits), daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(seconds):
            raise TimeBudgetExceeded(f"time limit ({seconds:g} s) reached during the component decomposition")
        out = recv.recv()
    except EOFError:
        raise TimeBudgetExceeded("the component decomposition ended without a result") from None
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()
    if isinstance(out, BaseException):
        raise out
    return out


def lift_components(table, red):
    """A component table of ``L̃`` as one of ``L = L̃(Aθ)``: every dimension grows by the ``p − r`` flat
    directions (each row stands for ``{θ : Aθ ∈ component}``)."""
    from dataclasses import replace

    ct = table.components
    for c in ct.components:
        c.dimension += red.flat
        if c.theta is not None:
            c.theta = tuple(float(lo) for lo, _ in red.representative([(Fraction(t), Fraction(t)) for t in c.theta]))
        if c.real and not c.kind.endswith("manifold") and c.kind in ("minimum", "saddle", "maximum"):
            c.kind += " manifold"
    ct.notes.append(f"components of L̃ lifted to L = L̃(Aθ): {red.flat} flat direction(s) added to each "
                    f"({'; '.join(red.equations())}); 'theta' is one point θ of each (the non-pivot coordinates 0); 'basis' is in the (c, s) of L̃'s variables y")
    return replace(table, p=red.p, omega=red.omega, dimension=table.dimension + red.flat, reduction=red,
                   notes=table.notes + _redundancy_notes(red))


def _redundancy_notes(red) -> list[str]:
    return [f"redundant parameters: y = Aθ with {'; '.join(red.equations())} (rank {red.rank} < p = {red.p}"
            + (f"; idle: {', '.join(f'θ{l + 1}' for l in red.idle)})" if red.idle else ")")]


def _cs_dict(g) -> dict:
    return {m: Fraction(int(c.numerator), int(c.denominator)) for m, c in g.terms()}


def settle_degenerate_points(points: list, complete: bool) -> list[str]:
    """Notes deciding isolated degenerate points of a complete finite table by their value: the global minimum
    of ``L`` on the compact torus is attained at a critical point, so a point whose exact value is the least
    critical value is a global minimum whatever its Hessian; the largest, a global maximum.

    >>> from qnnsym.critical.classify import ClassifiedPoint
    >>> P = lambda v, kind: ClassifiedPoint((0.0,), ((0, 0),), (v, v), v, (0, 1, 0), None, kind)
    >>> settle_degenerate_points([P(-1, "minimum"), P(3, "degenerate"), P(0, "saddle")], True)
    ['degenerate point #2 (L = 3): a global maximum (its value is the largest critical value of a complete table)']
    """
    if not complete or not points or any(cp.loss_exact is None for cp in points):
        return []
    vals = [cp.loss_exact for cp in points]
    lo, hi = min(vals), max(vals)
    out = []
    for i, cp in enumerate(points):
        if cp.kind == "degenerate" and cp.loss_exact in (lo, hi):
            what = "minimum" if cp.loss_exact == lo else "maximum"
            out.append(f"degenerate point #{i + 1} (L = {format_scalar(cp.loss_exact)}): a global {what} (its value "
                       f"is the {'least' if what == 'minimum' else 'largest'} critical value of a complete table)")
    return out
