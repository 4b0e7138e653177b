"""The Krawczyk test of complex polydiscs in ball arithmetic (Arb): the second, independent kernel.

:mod:`qnnsym.exact.krawczyk` proves boxes in IEEE floats with an a-priori error analysis.  This
module proves the same statement — *the polydisc* ``X = {t : |t_j − m_j| ≤ r}`` *holds exactly one
zero of the square system* ``F``, *and it is nonsingular* — with none of that analysis: the
coefficients are the **exact integers** of the tan system (Python ints, never rounded), the centre
and radius are the certificate's float64 numbers read as the exact dyadic rationals they are, and
every operation is an Arb ball operation (python-flint ``acb``/``acb_mat``) whose result contains
the exact result at any exponent — there is no underflow, no overflow and no NaN to reason about;
a ball that loses all accuracy is simply too wide to prove anything.

**Test.**  With ``R ⊇ X`` the complex rectangle ``[m_j ± r] + i[m_j ± r]`` and any exact matrix ``Y``
(the midpoint of an approximate inverse of ``J(m)``, computed in Arb), the enclosures
``F(m) ∈ F_b`` (a point evaluation) and ``J(x) ∈ J_b`` for all ``x ∈ R`` give, for every ``x ∈ X``,
``|x − Y F(x) − m| ≤ |Y F(m)| + |I − Y J_b|·r`` componentwise (mean-value form, as in the float
kernel).  If ``|Y F_b| + |I − Y J_b| r < r`` holds for the balls (Arb's ``<`` is true only when it
holds for every point of the balls), Krawczyk's theorem gives exactly one zero in ``X``, and ``Y`` and
every ``J(x)`` are invertible.  Charts: as in the float kernel, an inverted coordinate's disc must
exclude ``u_j = 0`` (``|m_j| > r``, decided by Arb on exact inputs).

**Independence from the float kernel.**  Different arithmetic (Arb balls vs. IEEE floats with a
hand-derived bound), different evaluation (exact-integer matrix products in FLINT over Kronecker
powers, vs. numpy/BLAS contractions), different inputs (the integer tensors vs. their float64
roundings), no shared helper beyond :func:`qnnsym.exact.krawczyk.chart_tensor`'s idea of flipping
axes (re-implemented here on the exact tensor).  A bug in one kernel's error analysis is not
confirmed by the other.

**Evaluation.**  Variables are split in two halves ``A`` (the first ``⌊p/2⌋``) and ``B``; for a chunk of
boxes the Kronecker products of the powers of the ``B`` variables (and of their derivatives) are the
columns of one ``acb_mat``, multiplied in C by the integer matrix ``T[(l, a), b]``; the remaining
contraction over ``A`` is one small ``acb_mat`` product per box.  Cost per box ``≈ q·ΠK·(p + 1)``
ball multiply-adds, mostly inside FLINT.
"""
from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from functools import partial

import flint
import numpy as np

from ..executor import LocalExecutor
from .interval import precision
from .krawczyk import MEETS_CHART_ORIGIN, NON_FINITE, NOT_PROVEN, PROVEN

__all__ = ["exact_tensor", "krawczyk_ball_status"]

_ZERO = flint.acb(0)
#: boxes evaluated together (one matrix product per chunk; bounds the memory of the ball matrices)
CHUNK = 256


def exact_tensor(tensors: Sequence[np.ndarray]) -> np.ndarray:
    """Stack integer tensors (possibly of different shapes) into one object array of Python ints, zero-padded.

    >>> exact_tensor([np.array([1, 2], dtype=object), np.array([3, 4, 2 ** 80], dtype=object)]).tolist()
    [[1, 2, 0], [3, 4, 1208925819614629174706176]]
    """
    shape = tuple(max(t.shape[j] for t in tensors) for j in range(tensors[0].ndim))
    out = np.zeros((len(tensors),) + shape, dtype=object)
    out[...] = 0
    for l, t in enumerate(tensors):
        if t.size:
            out[(l,) + tuple(slice(0, s) for s in t.shape)] = np.vectorize(int, otypes=[object])(t)
    return out


def _powers(x, K: int, derivative: bool):
    """``[x^0 … x^{K−1}]`` and, if asked, ``[k·x^{k−1}]`` as lists of balls."""
    V = [flint.acb(1)]
    for _ in range(1, K):
        V.append(V[-1] * x)
    if not derivative:
        return V, None
    return V, [flint.acb(0)] + [k * V[k - 1] for k in range(1, K)]


def _kron(vectors):
    out = [flint.acb(1)]
    for v in vectors:
        out = [a * b for a in out for b in v]
    return out


def _slots(pw, idx, derivative: bool):
    """Kronecker columns over the variables ``idx``: the value, then one derivative per variable."""
    cols = [_kron([pw[j][0] for j in idx])]
    if derivative:
        for j in idx:
            cols.append(_kron([pw[i][1] if i == j else pw[i][0] for i in idx]))
    return cols


def _evaluate(TB, shape, h: int, xs, derivative: bool):
    """Per box: ``F`` (list of ``q`` balls) at the ball points ``xs``, or, with ``derivative``, ``J``
    (``q`` lists of ``p`` balls) — the value is not needed over a box."""
    p = len(shape)
    SA = math.prod(shape[:h])
    q = TB.nrows() // SA
    A, B = list(range(h)), list(range(h, p))
    n = len(xs)
    pws = [[_powers(x[j], shape[j], derivative) for j in range(p)] for x in xs]
    nslot = 1 + (len(B) if derivative else 0)
    cols = []
    for pw in pws:
        cols.extend(_slots(pw, B, derivative))
    R = (TB * flint.acb_mat([list(row) for row in zip(*cols)])).entries()   # row (l, a), column (box, slot)
    width = nslot * n
    out = []
    for k, pw in enumerate(pws):
        slot = [R[k * nslot + s::width] for s in range(nslot)]        # q·S_A values each, ordered (l, a)
        UA = _slots(pw, A, derivative)

        def dot(col, l, u):
            return sum(map(operator.mul, col[l * SA:(l + 1) * SA], u), _ZERO)

        if not derivative:
            out.append([dot(slot[0], l, UA[0]) for l in range(q)])
            continue
        J = [[None] * p for _ in range(q)]
        for l in range(q):
            for i, j in enumerate(A):
                J[l][j] = dot(slot[0], l, UA[1 + i])
            for s, j in enumerate(B):
                J[l][j] = dot(slot[1 + s], l, UA[0])
        out.append(J)
    return out


def _chunk_status(TB, shape, mid, rad) -> list[int]:
    p = len(shape)
    h = p // 2
    pts = [[flint.acb(float(z.real), float(z.imag)) for z in row] for row in mid]
    boxes = [[flint.acb(flint.arb(float(z.real), float(r)), flint.arb(float(z.imag), float(r))) for z in row]
             for row, r in zip(mid, rad)]
    Fs = _evaluate(TB, shape, h, pts, derivative=False)
    Js = _evaluate(TB, shape, h, boxes, derivative=True)
    out = []
    for F, J, r in zip(Fs, Js, rad):
        Jb = flint.acb_mat(J)
        try:
            Y = Jb.mid().inv().mid()                                   # any exact matrix will do
        except ZeroDivisionError:
            out.append(NOT_PROVEN)
            continue
        yf = Y * flint.acb_mat([[f] for f in F])
        M = flint.acb_mat(p, p, [int(i == j) for i in range(p) for j in range(p)]) - Y * Jb
        rb = flint.arb(float(r))
        ok = all(abs(yf[i, 0]) + sum((abs(M[i, j]) for j in range(p)), flint.arb(0)) * rb < rb for i in range(p))
        out.append(PROVEN if ok else NOT_PROVEN)
    return out


def _chunk_at(bits: int, TB, shape, mid: np.ndarray, r: np.ndarray, part: np.ndarray) -> list:
    """:func:`_chunk_status` of the boxes ``part`` at ``bits`` of precision (a task of a worker process)."""
    with precision(bits):
        return _chunk_status(TB, shape, mid[part], r[part])


def krawczyk_ball_status(tensors: Sequence[np.ndarray], mid: np.ndarray, radius: np.ndarray, chart: np.ndarray,
                         bits: int = 64, workers: int = 1) -> np.ndarray:
    """Verdict per polydisc (codes of :data:`qnnsym.exact.krawczyk.STATUS`), proven in Arb ball arithmetic.

    Parameters
    ----------
    tensors : sequence of numpy.ndarray of Python int
        The exact integer tensors ``T_l[k_1, …, k_p]`` of the square system (e.g. from
        :func:`qnnsym.exact.tanform.tan_system`), in the ``t`` chart.
    mid : numpy.ndarray, shape ``(N, p)``, complex
        Centres, in each box's chart (read exactly).
    radius : numpy.ndarray, shape ``(N,)``
    chart : numpy.ndarray of bool, shape ``(N, p)``
        ``True`` where the coordinate is ``u_j = 1/t_j`` (the tensor flipped along that axis).
    bits : int
        Working precision; a box that fails is retried once at ``4·bits``.
    workers : int
        Forked processes over which the chunks of :data:`CHUNK` boxes are spread (1: in-process); the
        chunks are the same whatever ``workers``, so are the verdicts.

    Examples
    --------
    ``t² − 2``: one zero near ``1.41421356``, none near 1; ``2^100·t²`` has no simple zero near ``2^-540``
    (which floats would round to ``F(m) = 0``):

    >>> T = [np.array([-2, 0, 1], dtype=object)]
    >>> krawczyk_ball_status(T, np.array([[1.41421356 + 0j], [1.0 + 0j]]), np.array([1e-6, 1e-6]),
    ...                      np.zeros((2, 1), dtype=bool)).tolist()
    [0, 1]
    >>> krawczyk_ball_status([np.array([0, 0, 2 ** 100], dtype=object)], np.array([[2.0 ** -540 + 0j]]),
    ...                      np.array([2.0 ** -541]), np.zeros((1, 1), dtype=bool)).tolist()
    [1]
    """
    mid = np.asarray(mid, dtype=complex)
    N = mid.shape[0]
    r = np.asarray(radius, dtype=float)
    chart = np.asarray(chart, dtype=bool).reshape(N, -1)
    status = np.full(N, NOT_PROVEN)
    valid = np.isfinite(mid).all(axis=1) & np.isfinite(r) & (r > 0)
    status[~valid] = NON_FINITE
    if not valid.any():
        return status
    T = exact_tensor(tensors)
    shape = T.shape[1:]
    p = len(shape)
    h = p // 2
    for key in np.unique(chart[valid], axis=0):
        sel = np.nonzero(valid & (chart == key).all(axis=1))[0]
        axes = tuple(1 + j for j, c in enumerate(key) if c)
        Tc = np.flip(T, axis=axes) if axes else T
        rows = Tc.reshape(T.shape[0] * math.prod(shape[:h]), math.prod(shape[h:])).tolist()
        for b in (bits, 4 * bits):
            with precision(b):
                TB = flint.acb_mat(rows)
            parts = [sel[i:i + CHUNK] for i in range(0, len(sel), CHUNK)]
            with LocalExecutor(workers) as ex:
                for part, st in zip(parts, ex.map(partial(_chunk_at, b, TB, shape, mid, r), parts)):
                    status[part] = st
            sel = sel[status[sel] != PROVEN]
            if not len(sel):
                break
    inv = chart & valid[:, None]
    if inv.any():
        with precision(bits):
            for n, j in zip(*np.nonzero(inv)):
                z = flint.acb(float(mid[n, j].real), float(mid[n, j].imag))
                if status[n] == PROVEN and not z.abs_lower() > flint.arb(float(r[n])):
                    status[n] = MEETS_CHART_ORIGIN
    return status
