"""Tables of critical manifolds: the critical set of a loss with redundant parameters (issue 24).

When every frequency of ``L`` lies in a lattice of rank ``r < p`` (:mod:`qnnsym.landscape.redundancy`),
``L(θ) = L̃(y)`` with ``y = Aθ``, and :func:`~qnnsym.critical.table.critical_table` solves ``L̃`` instead.
:func:`manifold_table` turns the table of ``L̃`` into the table of ``L``: one row per critical point ``y*``
of ``L̃``, standing for the ``(p − r)``-dimensional tori ``{θ : Aθ ≡ y*}`` (``Π d_i`` connected components,
the elementary divisors of ``B``); kind and index are those of ``L̃`` (the Hessian of ``L`` is ``Bᵀ H̃ B``:
Morse–Bott), and every count counts connected components (manifolds).  The table's ``blocks``, bounds,
``n_complex`` and torus checks are those of ``L̃`` (in the variables ``y``), kept whole in ``reduced_table``.  See docs/math.md "Redundant
parameters".
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from ..exact.scalars import format_scalar
from ..exact.trigpoly import TrigPoly
from .classify import ClassifiedPoint, fmt_decimal

__all__ = ["manifold_table", "constant_table", "component_rows", "component_point", "reduction_json", "summary_lines"]


def summary_lines(red, p: int) -> list[str]:
    """The lines a table of components adds to its summary (the reduction and what a row stands for)."""
    idle = f"; idle: {', '.join(f'θ{l + 1}' for l in red.idle)}" if red.idle else ""
    return [f"redundant parameters: L(θ) = L̃(y) with {'; '.join(red.equations()) or 'no variable'} "
            f"(frequency lattice of rank r = {red.rank} < p = {p}{idle})",
            f"critical set = a union of {red.flat}-dimensional tori {{θ : Aθ ≡ y*}}, one row per critical point y* "
            f"of L̃, {red.components} connected component(s) per row; counts below count components "
            "(minimum/saddle/maximum manifolds), not points"]


def reduction_json(table) -> dict:
    """The reduction and, per component row, its coordinates ``y`` in the reduced torus (empty without
    redundancy)."""
    red, inner = table.reduction, table.reduced_table
    if red is None:
        return {}
    out = {"reduction": red.to_json(), "component_dimension": red.flat,
           "components_per_point": red.components, "counted_as": "connected components (manifolds)"}
    if table.points is not None and inner is not None and inner.points is not None:
        out["components"] = [{"n": i + 1, "y": [fmt_decimal(t, 15) for t in cp.theta],
                              "y_box": [[format_scalar(a), format_scalar(b)] for a, b in cp.theta_box],
                              "equations": red.equations(), "dimension": red.flat,
                              "connected_components": red.components, "kind": cp.kind + " manifold"
                              if cp.kind != "degenerate" else cp.kind}
                             for i, cp in enumerate(inner.points)]
    return out


def component_rows(rows: list[dict], red) -> list[dict]:
    """Rows of the table of ``L̃`` as rows of components: ``y_j`` for ``theta_j``, the kind as a manifold,
    the component dimension and the number of connected components per row."""
    out = []
    for row in rows:
        new = {}
        for k, v in row.items():
            if k.startswith("theta_"):
                k = "y_" + k[len("theta_"):]
            elif k == "kind" and not str(v).startswith("degenerate"):
                v = f"{v} manifold"
            elif k == "count":
                v = v * red.components
            new[k] = v
        new["dim"] = red.flat
        if "count" not in new:
            new["components"] = red.components
        out.append(new)
    return out


def component_point(cp: ClassifiedPoint, red) -> ClassifiedPoint:
    """A critical point ``y*`` of ``L̃`` as a component of the critical set of ``L``: a representative ``θ``
    (exact enclosure), the inertia of ``Bᵀ H̃ B`` (``p − r`` more zero eigenvalues), the rest unchanged
    (``table.points[i]`` is the component of ``table.reduced_table.points[i]``)."""
    box = red.representative(cp.theta_box)
    theta = tuple(float(x[0]) for x in red.representative([(Fraction(t), Fraction(t)) for t in cp.theta]))
    neg, zero, pos = cp.inertia
    return ClassifiedPoint(theta=theta, theta_box=box, loss=cp.loss, loss_exact=cp.loss_exact,
                           inertia=(neg, zero + red.flat, pos), index=cp.index, kind=cp.kind, is_global=cp.is_global,
                           gap=cp.gap, cs=None, point=None, bits=cp.bits)


def constant_table(red, table_class):
    """The table (a ``table_class``, i.e. :class:`~qnnsym.critical.table.CriticalTable`) of ``L̃`` when ``r = 0``
    (a constant loss): one point, a global minimum (the whole torus)."""
    c = red.reduced.terms.get((), Fraction(0))
    cp = ClassifiedPoint(theta=(), theta_box=(), loss=(c, c), loss_exact=c, inertia=(0, 0, 0), index=0,
                         kind="minimum", is_global=True, gap=(Fraction(0), Fraction(0)))
    return table_class(0, (), "cs", "none", "", "exact", 0, True, "complete", {}, 1, 1,
                         dict(minima=1, global_minima=1, spurious_minima=0, saddles=0, maxima=0, degenerate=0,
                              undecided_global=0, by_index={0: 1}),
                         [], (c, c), None, {}, [cp], [], {}, ["the loss is constant: every θ is a global minimum"])


def manifold_table(loss: TrigPoly, red, inner, timings: dict):
    """The table of ``L`` from the table of ``L̃`` (``L(θ) = L̃(Aθ)``): components instead of points.

    Parameters
    ----------
    loss : TrigPoly
    red : Reduction
    inner : CriticalTable
        The table of ``red.reduced``.

    Returns
    -------
    CriticalTable
    """
    d, f = red.components, red.flat
    counts = {k: (None if v is None else ({i: n * d for i, n in v.items()} if k == "by_index" else v * d))
              for k, v in inner.counts.items()}
    levels = [dict(lv, count=lv["count"] * d) for lv in inner.levels]
    points = None if inner.points is None else [component_point(cp, red) for cp in inner.points]
    notes = [
        f"frequency lattice of L: basis B = {[list(b) for b in red.basis]} (in φ = ωθ), elementary divisors "
        f"{list(red.divisors)}; y = Aθ with A = "
        + "[" + ", ".join("[" + ", ".join(format_scalar(a) for a in row) + "]" for row in red.theta_matrix) + "]",
        f"the critical set is a union of {f}-dimensional tori {{θ : Aθ ≡ y*}} (Morse–Bott: the Hessian Bᵀ H̃ B has "
        f"{f} zero eigenvalues): each row is a critical point y* of L̃ and stands for {d} connected component(s); "
        "minima, saddles and maxima are counted as manifolds (connected components), not points",
    ] + [f"reduced loss L̃: {n}" for n in inner.notes]
    dimension = inner.dimension + f if inner.dimension else 0
    return replace(inner, p=loss.p, omega=loss.omega, dimension=dimension, counts=counts, levels=levels,
                   n_real=None if inner.n_real is None else inner.n_real * d, points=points, timings=timings,
                   notes=notes, reduction=red, reduced_table=inner)
