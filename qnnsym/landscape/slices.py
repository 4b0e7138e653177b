"""Numbers behind the landscape pictures: torus grids, 1-D and 2-D slices, the Fourier spectrum.

Every function returns plain arrays / rows, so that each figure can be saved as data (CSV/JSON)
beside the image (:mod:`qnnsym.report.figures` draws them).

Examples
--------
>>> from fractions import Fraction
>>> from qnnsym.exact.trigpoly import TrigPoly
>>> L = TrigPoly(2, {(0, 0): 1, (1, 0): Fraction(1, 2), (0, -1): Fraction(1, 4)})
>>> xs, ys, Z = torus_grid(L, n=4)
>>> Z.shape, round(float(Z[0, 0]), 6)
((4, 4), 1.5)
>>> [(r["k"], r["abs"]) for r in fourier_spectrum(L)][:2]
[((0, 0), 1.0), ((0, 1), 0.125)]
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import ValidationError
from ..exact.scalars import format_scalar
from ..exact.trigpoly import TrigPoly
from .points import periods

__all__ = ["torus_grid", "coordinate_slices", "plane_slice", "segment_slice", "fourier_spectrum", "split_on_wrap"]


def torus_grid(loss: TrigPoly, n: int = 200, base=None, axes: tuple[int, int] = (0, 1)):
    """``L`` on an ``n × n`` grid of the torus in coordinates ``axes`` (others fixed at ``base``).

    Returns
    -------
    xs, ys : ndarray (n,)
        Grid values of ``θ_i`` and ``θ_j`` in ``[0, period)``.
    Z : ndarray (n, n)
        ``Z[a, b] = L(θ_i = xs[b], θ_j = ys[a])`` (rows follow ``θ_j``, as ``matplotlib.contourf``).
    """
    if loss.p < 2:
        raise ValidationError("loss", f"p = {loss.p}", expected="at least two parameters for a torus map",
                              fix="use coordinate_slices for p = 1")
    i, j = axes
    if not (0 <= i < loss.p and 0 <= j < loss.p and i != j):
        raise ValidationError("axes", f"{axes}", expected=f"two distinct parameter indices in 0..{loss.p - 1}")
    if int(n) < 2:
        raise ValidationError("n", f"{n}", expected="at least 2 grid points per axis")
    per = periods(loss)
    b = np.zeros(loss.p) if base is None else np.asarray(base, dtype=float).copy()
    xs = np.arange(n) * per[i] / n
    ys = np.arange(n) * per[j] / n
    X, Y = np.meshgrid(xs, ys)
    th = np.tile(b, (X.size, 1))
    th[:, i] = X.ravel()
    th[:, j] = Y.ravel()
    return xs, ys, np.asarray(loss(th)).reshape(X.shape)


def coordinate_slices(loss: TrigPoly, point: Sequence[float], n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """1-D slices through ``point``: ``L(point + t e_l)`` for each coordinate ``l``, ``t`` over one
    period centred at 0.  Returns ``ts (n,)`` (offsets as a fraction of the period, in ``[−1/2, 1/2)``)
    and ``values (p, n)``."""
    c = np.asarray(point, dtype=float)
    if c.shape != (loss.p,):
        raise ValidationError("point", f"length {c.size}", expected=f"{loss.p} coordinates")
    per = periods(loss)
    ts = np.arange(n) / n - 0.5
    vals = np.empty((loss.p, n))
    for l in range(loss.p):
        th = np.tile(c, (n, 1))
        th[:, l] = c[l] + ts * per[l]
        vals[l] = loss(th)
    return ts, vals


def plane_slice(loss: TrigPoly, origin: Sequence[float], u: Sequence[float], v: Sequence[float], n: int = 120,
                extent: float = 1.0):
    """``L(origin + a·u + b·v)`` for ``a, b ∈ [−extent, extent]·…``: a 2-D slice through chosen points.

    With ``u = P₁ − origin`` and ``v = P₂ − origin`` (torus differences, :func:`torus_delta`) the
    plane passes through three chosen critical points at ``(0,0)``, ``(1,0)`` and ``(0,1)``.
    Returns ``a (n,)``, ``b (n,)`` and ``Z (n, n)`` with ``Z[j, i] = L(origin + a_i u + b_j v)``."""
    o, uu, vv = (np.asarray(x, dtype=float) for x in (origin, u, v))
    if not (o.shape == uu.shape == vv.shape == (loss.p,)):
        raise ValidationError("origin/u/v", "lengths differ", expected=f"{loss.p} coordinates each")
    a = np.linspace(-extent, 1 + extent, n) if extent else np.linspace(0, 1, n)
    A, Bm = np.meshgrid(a, a)
    th = o[None] + A.ravel()[:, None] * uu[None] + Bm.ravel()[:, None] * vv[None]
    return a, a.copy(), np.asarray(loss(th)).reshape(A.shape)


def torus_delta(a: Sequence[float], b: Sequence[float], period) -> np.ndarray:
    """The shortest difference ``b − a`` on the torus (each coordinate in ``[−period/2, period/2)``)."""
    per = np.asarray(period, dtype=float)
    d = (np.asarray(b, dtype=float) - np.asarray(a, dtype=float) + per / 2) % per - per / 2
    return d


def segment_slice(loss: TrigPoly, a: Sequence[float], b: Sequence[float], n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """``L`` along the shortest torus segment from ``a`` to ``b`` (``t ∈ [0, 1]``): the straight-line
    barrier between two minima (an upper bound of no use for certification, a picture only)."""
    d = torus_delta(a, b, periods(loss))
    t = np.linspace(0.0, 1.0, n)
    th = np.asarray(a, dtype=float)[None] + t[:, None] * d[None]
    return t, np.asarray(loss(th))


def fourier_spectrum(loss: TrigPoly) -> list[dict]:
    """Rows of the Fourier spectrum of ``L`` (eqs. 7–12; ``k`` in φ units): ``k``, ``abs`` (float ``|c_k|``),
    ``re``/``im`` (exact strings), ``l1`` (``‖k‖₁``), one row per pair ``±k`` (``c_{−k} = conj c_k``; the
    term's amplitude in ``L`` is ``2|c_k|`` for ``k ≠ 0``),
    sorted by ``‖k‖₁`` then ``k``; the constant term first."""
    rows = []
    for k, c in loss.fourier().items():
        neg = tuple(-x for x in k)
        if k < neg:           # keep one of each conjugate pair (the lexicographically larger k)
            continue
        re, im = (c.re, c.im) if hasattr(c, "re") else (c.real, c.imag)
        mag = float(abs(complex(float(re), float(im))))
        rows.append({"k": k, "l1": sum(abs(x) for x in k), "abs": mag,
                     "re": format_scalar(re) if not isinstance(re, float) else repr(re),
                     "im": format_scalar(im) if not isinstance(im, float) else repr(im)})
    rows.sort(key=lambda r: (r["l1"], r["k"]))
    return rows


def split_on_wrap(path: np.ndarray, period) -> list[np.ndarray]:
    """Split a wrapped torus path where it jumps across the boundary (for drawing as lines)."""
    P = np.asarray(path, dtype=float)
    if len(P) < 2:
        return [P]
    per = np.asarray(period, dtype=float)
    jump = (np.abs(np.diff(P, axis=0)) > per / 2).any(axis=1)
    cuts = np.flatnonzero(jump) + 1
    return [seg for seg in np.split(P, cuts) if len(seg)]
