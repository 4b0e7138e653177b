"""Vectorised, rigorous Krawczyk tests for square polynomial systems over complex polydiscs.

The trusted numeric kernel of the homotopy certificates (docs/math.md "Certification levels", level
*numeric*): used by the solver to certify its endpoints and, independently, by the checker.

**Polynomials** are coefficient tensors ``T[l, k_1, …, k_p]`` (coefficient of ``Π t_j^{k_j}`` in
equation ``l``), exact integers stored as float64 (see :func:`float_tensor`; an integer that is not
exactly representable is rounded, which the error bound covers).

**Evaluation with an error bound, under the full IEEE model.**  :func:`jet` evaluates ``F`` and its
Jacobian at ``N`` points at once in IEEE double precision (numpy/BLAS; any summation order, FMA or
not).  Every operation obeys Higham's model (*Accuracy and Stability*, §2.1, with underflow):

    fl(a op b) = (a op b)(1 + δ) + η,   |δ| ≤ u = 2^-53,   |η| ≤ η₀ = 2^-1074,

with ``η = 0`` for additions and subtractions (a sum that underflows is exact) and for every operation
with an exactly-zero operand; a complex product (four real products, two sums) has ``|δ| ≤ 3u`` and
``|η| ≤ 2√2·η₀``.  *Lemma (inflated absolute program).*  Run the same straight-line program on inputs
``z ≥ |input|`` with nonnegative exact arithmetic in which each operation is inflated,
``ã ⊕̃ b̃ = (ã + b̃)(1 + 3u) + 3η₀`` and ``ã ⊗̃ b̃ = ã·b̃·(1 + 3u) + 3η₀``; call its outputs ``ỹ``.  Then
``|ŷ − y| ≤ ỹ − |y|`` and ``|ŷ| ≤ ỹ`` at every node (induction: for a product,
``|âb̂ − ab| ≤ |â||b̂ − b| + |b||â − a| ≤ ã(b̃ − |b|) + |b|(ã − |a|) = ãb̃ − |a||b|``, and the rounding adds
``≤ 3u·ãb̃ + 3η₀``; sums likewise).  *Underflow absorbed.*  Take ``z_j = max(|x_j|, σ)`` with
``σ = 2^(−1000/Σ_j(K_j − 1))`` (:func:`input_floor`) and the coefficients ``|T|`` (nonzero integers, so
``≥ 1``).  Every node of the program is a sum of monomials in these inputs of degree ``≤ K_j − 1`` in
``x_j`` and ``≤ 1`` in the coefficients, with integer multiplicities ``≥ 1``; so each nonzero node of the
inflated program is ``≥ Π_j σ^(K_j − 1) = 2^-1000``, and ``3η₀ ≤ 2^-20·u·(node)``.  Hence every
operation is a purely relative one with ``u' = 3u(1 + 2^-20)``, and ``ỹ ≤ (1 + u')^n·y_abs(z)``, with
``y_abs`` the same polynomial with absolute coefficients: for ``F`` itself,

    |fl(P(x)) − P(x)| ≤ γ'_n · P_abs(z),   γ'_n = n·u'/(1 − n·u'),

where ``n·u' ≤ 3(Σ_j (2K_j + 1) + 3)·u(1 + 2^-20)`` (:func:`error_terms` gives ``n = 3·Σ_j(2K_j + 1) + 9``
in units of ``u(1 + 2^-20)``: along any path of the program, weighting a product by the sum of its
operands' weights plus one, per variable the powers ``x^k`` by ``≤ K_j − 1`` products, one derivative
factor, one product and ``≤ K_j − 1`` additions per contraction level, in any order; plus the rounding
of the integer coefficients to float and slack; each complex operation counts three).  The same
lemma applied to the nonnegative program ``P_abs(z)`` evaluated in floats (:func:`jet_abs`) gives
``P_abs(z) ≤ fl(P_abs(z))/(1 − γ'_n)``.  This covers rounding and underflow in every operation,
however the coefficients and the point are scaled: a forged centre ``2^-540`` with coefficients
``2^100`` gets an allowance ``γ'·|T|σ²``, not the ``2^-1000`` of a fixed term.
*Overflow.*  Every node of the programs for ``T``, ``|T|`` and ``Q`` (below) at inputs ``≤ z`` is
``≤ ‖T‖₁·(1 + ΣK_j)·max K_j·Π_j max(1, z_j)^(K_j − 1)·4`` (``‖Q‖₁ ≤ ΣK_j·‖T‖₁``, one derivative
factor ``≤ max K_j``, ``1 + γ' ≤ 2``); a box where this exceeds ``2^1000`` at ``z = max(|m| + r, σ)``
(or whose centre or radius is not finite) is **refused** (:data:`OUT_OF_RANGE`) before anything is
evaluated (:func:`_log2_node_bound`), so no operation of the evaluation can overflow, and no NaN
or inf can arise there.  The
preconditioner ``Y`` (any float matrix) and the final inequality are computed from finite numbers;
a non-finite result there fails the test (``inf`` and ``NaN`` propagate through ``+``, ``×``, ``|·|``,
and every comparison with ``NaN`` is false).

**Krawczyk on a polydisc** ``X = {t : |t_j − m_j| ≤ r}`` (complex discs, one radius per box): with
``Y ≈ J(m)^{-1}`` (any float matrix), ``g(t) = t − Y F(t)`` satisfies
``|g(t) − m| ≤ |Y F(m)| + M r`` componentwise for all ``t ∈ X`` whenever ``M ≥ |I − Y J(x)|``
entrywise for all ``x ∈ X`` (mean-value form for holomorphic ``F``; the entrywise bound is convex).
:func:`krawczyk` bounds ``|J(x) − J(m)| ≤ r·∂_j Q_l(|m| + r)`` with ``Q_l = Σ_k ∂_k F_{l,abs}``
(termwise mean value theorem on the positive orthant, evaluated at ``max(|m| + r, σ)`` rounded up).
If ``|Y F(m)| + M r < r`` in every coordinate, ``g`` maps ``X`` into its interior and is a contraction
there (weighted ∞-norm ``< 1``), so ``F`` has **exactly one zero in X**, ``Y`` and every ``J(x)``,
``x ∈ X``, are invertible (the zero is nonsingular) — Krawczyk 1969, Moore 1977, Rump 1983.  Every bound below is computed
from nonnegative floats and then inflated by ``1 + 64·(p + 8)·u`` and ``+ 2^-1000`` after every
product stage (:func:`_up`), which covers the relative rounding and the ``η`` of at most ``4p``
products per entry before the result is used: each stage yields a true upper bound.  ``Ŷ`` is used as
it is (any matrix serves), and the rounding of ``I − Ŷ Ĵ`` is bounded by ``γ_{3p+9}(I + |Ŷ||Ĵ|)`` plus
the same absolute slack.

**Verdicts.**  :func:`krawczyk_status` returns one code per box: :data:`PROVEN`, :data:`NOT_PROVEN`
(the inequality fails), :data:`OUT_OF_RANGE` (a centre, radius or intermediate bound outside the
range above), :data:`NON_FINITE` (invalid input, or a non-finite Jacobian, preconditioner or bound);
:func:`krawczyk_charts_status` adds :data:`MEETS_CHART_ORIGIN`.  :data:`STATUS` names them.

**Charts.**  A coordinate with large ``|t_j|`` is certified in the chart ``u_j = 1/t_j`` of ``P^1``:
the system ``u_j^{K_j−1} F(…, 1/u_j, …)`` has the coefficient tensor flipped along axis ``j``
(:func:`chart_tensor`); a polydisc in that chart must exclude ``u_j = 0`` and its zero is the zero
``t_j = 1/u_j`` of ``F``.  :func:`t_discs` maps such a disc back to a disc in ``t`` (inversion maps
discs avoiding 0 to discs), so distinctness is always tested in one chart.

**Conjugation.**  For a system with real coefficients, a polydisc whose centre is real (imaginary
parts exactly 0) is mapped onto itself by conjugation; a unique zero in it is therefore real.  A
polydisc with ``|Im m_j| > r`` for some ``j`` does not meet its mirror image: its zero is not real.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "MEETS_CHART_ORIGIN",
    "NON_FINITE",
    "NOT_PROVEN",
    "OUT_OF_RANGE",
    "PROVEN",
    "STATUS",
    "U",
    "chart_tensor",
    "disjoint",
    "disjointness_pairs",
    "error_terms",
    "float_tensor",
    "input_floor",
    "gradient_sum_tensor",
    "jet",
    "powers",
    "jet_abs",
    "krawczyk",
    "krawczyk_charts",
    "krawczyk_charts_status",
    "krawczyk_status",
    "real_kind",
    "t_discs",
    "times_columns",
]

#: unit roundoff of IEEE double precision
U = 2.0 ** -53
_TINY = 2.0 ** -1000
#: the unit of :func:`error_terms`: ``u`` with the absorbed underflow term (module docstring)
_U1 = U * (1 + 2.0 ** -20)
#: log2 of the largest node value allowed (no overflow: module docstring)
_LOG2_MAX = 1000.0

#: per-box verdicts of :func:`krawczyk_status` / :func:`krawczyk_charts_status`
PROVEN, NOT_PROVEN, OUT_OF_RANGE, NON_FINITE, MEETS_CHART_ORIGIN = 0, 1, 2, 3, 4
#: what each verdict code means (for messages naming a box)
STATUS = {PROVEN: "proven: exactly one zero, nonsingular",
          NOT_PROVEN: "the Krawczyk inequality |Y F(m)| + M r < r does not hold",
          OUT_OF_RANGE: "centre or radius outside the range where the float error model is applied "
                        "(a bound would exceed 2^1000)",
          NON_FINITE: "non-finite or invalid centre/radius, Jacobian, preconditioner or bound",
          MEETS_CHART_ORIGIN: "a disc in an inverted chart u = 1/t meets u = 0"}


def float_tensor(tensors: Sequence[np.ndarray]) -> np.ndarray:
    """Stack integer tensors (possibly of different shapes) into one float64 array, zero-padded.

    Returns
    -------
    numpy.ndarray, shape ``(q, K_1, …, K_p)``
    """
    shape = tuple(max(t.shape[j] for t in tensors) for j in range(tensors[0].ndim))
    out = np.zeros((len(tensors),) + shape)
    for l, t in enumerate(tensors):
        out[(l,) + tuple(slice(0, s) for s in t.shape)] = np.vectorize(float, otypes=[float])(t) if t.size else 0.0
    return out


def error_terms(shape: Sequence[int]) -> int:
    """``n`` of the a-priori bound ``γ'_n`` for tensors of this shape ``(K_1, …, K_p)`` (module docstring)."""
    return 3 * sum(2 * k + 1 for k in shape) + 9


def _gamma(n: int) -> float:
    """``γ'_n = n·u'/(1 − n·u')``, ``u' = u(1 + 2^-20)``, rounded up generously (×(1 + 2^-40))."""
    g = n * _U1 / (1 - n * _U1)
    return g * (1 + 2.0 ** -40)


def input_floor(shape: Sequence[int]) -> float:
    """``σ = 2^(−1000/Σ_j(K_j − 1))``: inputs floored at ``σ`` keep every node of the error program ``≥ 2^-1000``.

    >>> input_floor((3,)) == 2.0 ** -500
    True
    """
    deg = sum(k - 1 for k in shape)
    return 2.0 ** (-_LOG2_MAX / deg) if deg else 1.0


def _floored(a: np.ndarray, sigma: float) -> np.ndarray:
    """``max(a·(1 + 4u), σ)`` for nonnegative ``a`` (an upper bound of ``a`` that is ``≥ σ``; ``a`` is a
    modulus computed to within one ulp, or a sum of two nonnegative floats)."""
    return np.maximum(a * (1 + 4 * U), sigma)


def _log2_node_bound(T: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Per point, ``log2`` of a bound on every node of :func:`jet` and :func:`jet_abs` of ``T`` and of
    :func:`gradient_sum_tensor` at nonnegative inputs ``≤ z`` (shape ``(N, p)``): not finite, or over
    ``_LOG2_MAX``, means refused."""
    shape = T.shape[1:]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        norm = float(np.abs(T).reshape(T.shape[0], -1).sum(axis=1).max()) if T.size else 0.0
        const = (math.log2(norm) if 0 < norm < math.inf else (math.inf if norm else -math.inf))
        const += math.log2(1 + sum(shape)) + math.log2(max(shape)) + 2
        K1 = np.array([k - 1 for k in shape], dtype=float)
        return const + (np.log2(np.maximum(z, 1.0)) * K1).sum(axis=1)


def powers(x: np.ndarray, K: int, order: int = 1) -> list[np.ndarray]:
    """``x^k`` and its derivatives up to ``order`` (``k·x^{k−1}``, ``k(k−1)·x^{k−2}``, …), ``k < K``.

    Each array has shape ``(N, K)``; entry ``[n, k]`` of the ``i``-th is ``d^i/dx^i x_n^k``.
    """
    N = x.shape[0]
    V = np.empty((N, K), dtype=x.dtype)
    V[:, 0] = 1
    for k in range(1, K):
        V[:, k] = V[:, k - 1] * x
    out = [V]
    for i in range(1, order + 1):
        d = np.zeros_like(V)
        if K > i:
            d[:, i:] = V[:, :-i] * np.array([math.perm(k, i) for k in range(i, K)], dtype=float)
        out.append(d)
    return out


def times_columns(A: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``A @ W.T`` for a real ``A`` and complex ``W``: one real matrix product of ``A`` with the real and
    imaginary parts (the same products as complex arithmetic with zero imaginary part, half the work).

    ``W`` is read as interleaved ``(re, im)`` floats, so the real product's rows are already the complex
    result (a view, no assembly): 2.5–5× faster than stacking the parts and recombining them.

    >>> A = np.array([[1.0, 2.0], [0.0, -1.0]]); W = np.array([[1 + 2j, 3j], [1.0, 1 - 1j]])
    >>> np.array_equal(times_columns(A, W), A @ W.T)
    True
    """
    if np.iscomplexobj(W) and not np.iscomplexobj(A):
        n, K = W.shape
        Wf = np.ascontiguousarray(W, dtype=np.complex128).view(np.float64).reshape(n, K, 2)
        R = np.ascontiguousarray(A, dtype=np.float64) @ Wf.transpose(1, 0, 2).reshape(K, 2 * n)
        return R.view(np.complex128)
    return A.astype(np.result_type(A.dtype, W.dtype)) @ W.T


def jet(T: np.ndarray, x: np.ndarray, derivative: bool = True):
    """Values ``F(x)`` (shape ``(N, q)``) and Jacobians ``∂F_l/∂t_j`` (shape ``(N, q, p)``).

    Forward-mode contraction of the coefficient tensor, one variable at a time (the last variable
    by a matrix product).  ``x`` has shape ``(N, p)`` (complex or real).
    """
    q, shape = T.shape[0], T.shape[1:]
    p = len(shape)
    N = x.shape[0]
    # the intermediate arrays are memory-bound: work in chunks of paths that stay in cache (measured
    # 2× faster at p = 5 than one 512-path block)
    chunk = int(np.clip(2 ** 23 // max(1, T.size // shape[-1] * 16 * (p + 1)), 16, 256))
    if N > chunk:
        parts = [jet(T, x[i:i + chunk], derivative) for i in range(0, N, chunk)]
        F = np.concatenate([a for a, _ in parts])
        return F, (np.concatenate([b for _, b in parts]) if derivative else None)
    dt = np.result_type(T.dtype, x.dtype)
    pw = [powers(x[:, j].astype(dt), shape[j], int(derivative)) for j in range(p)]
    # level p: contract the last axis with one matrix product
    last = pw[-1]
    R = times_columns(T.reshape(-1, shape[-1]), np.concatenate(last, axis=0))     # (q·K1…K_{p−1}, m·N)
    # stack: slot 0 the value, slot 1 + i the derivative in t_i
    S = R.reshape(-1, len(last), N).transpose(1, 0, 2)                  # (m, q·K1…K_{p−1}, N)
    slots = [p - 1] if derivative else []
    for j in range(p - 2, -1, -1):
        V, dV = pw[j][0], (pw[j][1] if derivative else None)
        lead = S.shape[1] // shape[j]
        S4 = S.reshape(S.shape[0], lead, shape[j], N)
        nxt = np.einsum("makn,nk->man", S4, V)
        if derivative:
            nxt = np.concatenate([nxt, np.einsum("akn,nk->an", S4[0], dV)[None]], axis=0)
            slots.append(j)
        S = nxt
    F = S[0].T.reshape(N, q)
    if not derivative:
        return F, None
    J = np.empty((N, q, p), dtype=S.dtype)
    for m, j in enumerate(slots):
        J[:, :, j] = S[1 + m].T.reshape(N, q)
    return F, J


def jet_abs(T: np.ndarray, y: np.ndarray, derivative: bool = True):
    """Upper bounds of :func:`jet` of ``|T|`` at the nonnegative points ``z = max(y, σ)`` (:func:`input_floor`).

    ``y`` must be an upper bound of the intended points, finite and within the range of
    :func:`_log2_node_bound`; the result bounds the exact ``P_abs(z)`` from above (module docstring:
    ``P_abs(z) ≤ fl(P_abs(z))/(1 − γ'_n)``, and the product with ``1 + 2γ'_n`` is then rounded).
    """
    z = np.maximum(y, input_floor(T.shape[1:]))
    g = 1 + 2 * _gamma(error_terms(T.shape[1:]))
    F, J = jet(np.abs(T), z, derivative)
    return F * g, (None if J is None else J * g)


def _up(x: np.ndarray, p: int) -> np.ndarray:
    """Inflate a nonnegative float bound to cover the rounding of the operations that made it."""
    return x * (1 + 64 * (p + 8) * U) + _TINY


def krawczyk(T: np.ndarray, Q: np.ndarray, mid: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Which polydiscs ``{|t_j − mid_j| ≤ radius}`` provably hold exactly one (nonsingular) zero of ``T``.

    Parameters
    ----------
    T : numpy.ndarray, shape ``(p, K_1, …, K_p)``
        The square system (float64 tensor of integers, :func:`float_tensor`).
    Q : numpy.ndarray, shape ``(p, K_1, …, K_p)``
        ``Q_l = Σ_k ∂_k |T_l|`` as a tensor (:func:`gradient_sum_tensor`).
    mid : numpy.ndarray, shape ``(N, p)``, complex
    radius : numpy.ndarray, shape ``(N,)``, positive

    Returns
    -------
    numpy.ndarray of bool, shape ``(N,)``
        ``True``: proven (see the module docstring); ``False``: not proven (no claim).
        :func:`krawczyk_status` says why.

    Examples
    --------
    ``t² − 2`` has one zero in the disc of radius ``10^-6`` around ``1.41421356``, none around 1:

    >>> T = float_tensor([np.array([-2, 0, 1], dtype=object)])
    >>> Q = gradient_sum_tensor(T)
    >>> krawczyk(T, Q, np.array([[1.41421356 + 0j], [1.0 + 0j]]), np.array([1e-6, 1e-6])).tolist()
    [True, False]
    """
    return krawczyk_status(T, Q, mid, radius) == PROVEN


def krawczyk_status(T: np.ndarray, Q: np.ndarray, mid: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Per polydisc, the verdict code of the Krawczyk test (:data:`STATUS`; arguments as :func:`krawczyk`).

    Examples
    --------
    A disc at ``2^-540`` for ``2^100·t²``, whose only zero (double) is ``t = 0``: floats would compute
    ``F(m) = 0`` (underflow); the floored error bound refuses it.  A centre at ``2^600`` is out of range.

    >>> T = float_tensor([np.array([0, 0, 2 ** 100], dtype=object)])
    >>> m = np.array([[2.0 ** -540 + 0j], [2.0 ** 600 + 0j]])
    >>> krawczyk_status(T, gradient_sum_tensor(T), m, np.array([2.0 ** -541, 1.0])).tolist() == [NOT_PROVEN, OUT_OF_RANGE]
    True
    """
    p = T.shape[0]
    N = mid.shape[0]
    mid = np.asarray(mid, dtype=complex)
    r = np.asarray(radius, dtype=float)
    status = np.full(N, NOT_PROVEN)
    valid = np.isfinite(mid).all(axis=1) & np.isfinite(r) & (r > 0)
    status[~valid] = NON_FINITE
    nz = T[T != 0]
    if N == 0 or not valid.any():
        return status
    if not (np.isfinite(nz).all() and (np.abs(nz) >= 1).all()):
        raise ValueError("the Krawczyk kernel needs a tensor of integers (float_tensor)")
    shape = T.shape[1:]
    sigma = input_floor(shape)
    safe_mid = np.where(valid[:, None], mid, 0)
    safe_r = np.where(valid, r, 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        am = _floored(np.abs(safe_mid), sigma)                          # z ≥ |m|, ≥ σ
        up = _floored((am + safe_r[:, None]) * (1 + 2 * U), sigma)      # ≥ |m| + r
    in_range = valid & (_log2_node_bound(T, up) <= _LOG2_MAX) & np.isfinite(up).all(axis=1)
    status[valid & ~in_range] = OUT_OF_RANGE
    sel = np.nonzero(in_range)[0]
    if not len(sel):
        return status
    mid, r, am, up = safe_mid[sel], safe_r[sel], am[sel], up[sel]
    g = _gamma(error_terms(shape))
    F, J = jet(T, mid)
    Fa, Ja = jet_abs(T, am)
    eF, eJ = 2 * g * Fa, 2 * g * Ja                                   # |fl − exact| of F(m), J(m)
    _, dQ = jet_abs(Q, up)                                            # ∂_j Q_l(|m| + r)
    with np.errstate(over="ignore", invalid="ignore"):
        dJ = _up(dQ * r[:, None, None], p)                            # |J(x) − J(m)| over X
    good = np.isfinite(J).all(axis=(1, 2)) & np.isfinite(F).all(axis=1) & np.isfinite(dJ).all(axis=(1, 2))
    Jc = np.where(good[:, None, None], J, np.eye(p))
    with np.errstate(all="ignore"):
        try:
            Y = np.linalg.inv(Jc)
        except np.linalg.LinAlgError:
            Y = np.stack([_safe_inv(a) for a in Jc])
        Yok = np.isfinite(Y).all(axis=(1, 2))
        Y = np.where(Yok[:, None, None], Y, 0)
        aY = np.abs(Y)
        # |Y F(m)| ≤ |Y|(|F̂| + eF)
        yf = _up(np.einsum("nij,nj->ni", aY, _up(np.abs(F), p) + eF), p)
        # |I − Y J(x)| ≤ |I − Y Ĵ| + γ_{3p+9}(I + |Y||Ĵ|) + |Y|(eJ + dJ)
        E = np.eye(p) - np.einsum("nij,njk->nik", Y, J)
        YJ = np.einsum("nij,njk->nik", aY, np.abs(J))
        M = (_up(np.abs(E), p) + _up(_gamma(3 * p + 9) * (np.eye(p) + YJ), p)
             + _up(np.einsum("nij,njk->nik", aY, eJ + dJ), p))
        M = _up(M, p)
        lhs = _up(yf + _up(np.einsum("nij,n->ni", M, r), p), p)
        fine = good & Yok & np.isfinite(lhs).all(axis=1)
    status[sel[~fine]] = NON_FINITE
    status[sel[fine & (lhs < r[:, None]).all(axis=1)]] = PROVEN
    return status


def chart_tensor(T: np.ndarray, chart: Sequence[bool]) -> np.ndarray:
    """The system in the chart ``u_j = 1/t_j`` for every ``j`` with ``chart[j]`` (coefficients flipped)."""
    axes = tuple(1 + j for j, c in enumerate(chart) if c)
    return np.flip(T, axis=axes).copy() if axes else T


def krawczyk_charts(T: np.ndarray, mid: np.ndarray, radius: np.ndarray, chart: np.ndarray) -> np.ndarray:
    """:func:`krawczyk` for polydiscs given in per-box charts (``chart`` bool, shape ``(N, p)``).

    A coordinate in the inverted chart must have ``|m_j| > r`` (the disc excludes ``u_j = 0``).
    """
    return krawczyk_charts_status(T, mid, radius, chart) == PROVEN


def krawczyk_charts_status(T: np.ndarray, mid: np.ndarray, radius: np.ndarray, chart: np.ndarray) -> np.ndarray:
    """Verdict codes of :func:`krawczyk_charts` per box (:data:`STATUS`)."""
    N = mid.shape[0]
    out = np.full(N, NOT_PROVEN)
    chart = np.asarray(chart, dtype=bool).reshape(N, -1)
    r = np.asarray(radius, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        away = ~chart | (np.abs(mid) * (1 - 4 * U) > r[:, None] * (1 + 4 * U) + _TINY)
    for key in np.unique(chart, axis=0) if N else []:
        sel = (chart == key).all(axis=1)
        Tc = chart_tensor(T, key)
        st = krawczyk_status(Tc, gradient_sum_tensor(Tc), mid[sel], r[sel])
        out[sel] = np.where((st == PROVEN) & ~away[sel].all(axis=1), MEETS_CHART_ORIGIN, st)
    return out


def t_discs(mid: np.ndarray, radius: np.ndarray, chart: np.ndarray):
    """Per coordinate, a disc in ``t`` containing each chart disc: ``(centres (N, p), radii (N, p))``.

    For ``u`` in ``D(m, r)`` with ``|m| > r``: ``1/u`` lies in ``D(conj(m)/(|m|² − r²), r/(|m|² − r²))``;
    the radius is enlarged to cover the rounding of both formulas (relative: outside
    ``2^-500 ≤ |m| ≤ 2^500`` the radius is infinite, so nothing is claimed disjoint from it).
    """
    r = np.broadcast_to(np.asarray(radius, dtype=float)[:, None], mid.shape).copy()
    c = mid.copy()
    inv = np.asarray(chart, dtype=bool)
    if inv.any():
        m = mid[inv]
        rr = r[inv]
        den = (np.abs(m) * (1 - 4 * U)) ** 2 - (rr * (1 + 4 * U)) ** 2
        den = den * (1 - 8 * U)
        cen = np.conj(m) / (np.abs(m) ** 2 - rr ** 2)
        rad = rr / den * (1 + 8 * U) + np.abs(cen) * 16 * U + _TINY
        # squares are computed without underflow or overflow only for 2^-500 ≤ |m| ≤ 2^500 (and r ≤ |m|)
        sane = (np.abs(m) >= 2.0 ** -500) & (np.abs(m) <= 2.0 ** 500) & (rr <= np.abs(m))
        rad = np.where((den > 0) & sane & np.isfinite(rad), rad, np.inf)
        c[inv], r[inv] = np.where(sane, cen, 0), rad
    return c, r


def _safe_inv(a: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        return np.full_like(a, np.nan)


def gradient_sum_tensor(T: np.ndarray) -> np.ndarray:
    """``Q_l = Σ_k ∂_k |T_l|`` as a tensor of the same shape (derivative coefficients ``k·|a|``).

    Exact for integers below ``2^53``; otherwise the float ``T`` is within ``u`` of the integers and
    each sum of ``≤ p`` rounded products is within ``γ_{p+1}``: values are therefore rounded **up** by the
    factor ``1 + 4(p + 2)u`` (an upper bound of the exact ``Σ_k k·|a|``).
    """
    A = np.abs(T)
    _q, shape = T.shape[0], T.shape[1:]
    Q = np.zeros_like(A)
    for k, K in enumerate(shape):
        idx = np.arange(K, dtype=float).reshape([1] * (k + 1) + [K] + [1] * (len(shape) - k - 1))
        shifted = np.zeros_like(A)
        sl_to = [slice(None)] * A.ndim
        sl_from = [slice(None)] * A.ndim
        sl_to[k + 1] = slice(0, K - 1)
        sl_from[k + 1] = slice(1, K)
        shifted[tuple(sl_to)] = (A * idx)[tuple(sl_from)]
        Q = Q + shifted
    return Q * (1 + 4 * (len(shape) + 2) * U)


def _axis_intervals(mid: np.ndarray, r: np.ndarray):
    """Per real axis (``Re t_1, Im t_1, Re t_2, …``): the projections ``[lo, hi]`` (shape ``(2p, N)``) of
    the discs, widened to cover the rounding of ``x ± r``: pairs whose projections miss each other on one
    axis are disjoint polydiscs."""
    x = np.stack([f(mid[:, k]) for k in range(mid.shape[1]) for f in (np.real, np.imag)])
    w = np.repeat(r.T, 2, axis=0) * (1 + 16 * U) + np.abs(x) * 8 * U + _TINY
    return x - w, x + w


def _overlapping_pairs(lo: np.ndarray, hi: np.ndarray) -> int:
    """Number of pairs ``i < j`` whose intervals ``[lo, hi]`` meet (``O(N log N)``: all pairs minus the
    pairs ``(i, j)`` with ``lo_j > hi_i``)."""
    n = lo.size
    apart = n * n - int(np.searchsorted(np.sort(lo), hi, side="right").sum())
    return n * (n - 1) // 2 - apart


def _sweep_axis(mid: np.ndarray, r: np.ndarray):
    """``(lo, hi, pairs)`` on the real axis with the fewest overlapping projections."""
    lo, hi = _axis_intervals(mid, r)
    counts = [_overlapping_pairs(lo[a], hi[a]) for a in range(lo.shape[0])]
    a = int(np.argmin(counts))
    return lo[a], hi[a], counts[a]


def disjointness_pairs(mid: np.ndarray, radius: np.ndarray) -> int:
    """The number of pairs :func:`disjoint` compares coordinate by coordinate (``O(N log N)`` to count).

    The sweep of :func:`disjoint` runs on the real axis where the fewest projections of the discs meet;
    its cost is ``O(p·N log N)`` for the axis choice plus ``O(p)`` per returned pair.  Pairwise disjoint
    boxes spread along any axis give few pairs (a line of boxes on one vertical ``Re t_1 = c`` gives none:
    the ``Im t_1`` axis separates them); a caller with a cost limit refuses inputs where this count is
    out of reach (the certificate checker, ``qnnsym check --max-cost``).

    Examples
    --------
    >>> mid = np.array([[0.5 + 1j * k] for k in range(1000)])
    >>> disjointness_pairs(mid, np.full(1000, 0.1))
    0
    """
    N = mid.shape[0]
    if N < 2:
        return 0
    r = np.broadcast_to(np.asarray(radius, dtype=float).reshape(N, -1), mid.shape)
    if not np.isfinite(r).all() or not np.isfinite(mid).all():
        return 0
    return _sweep_axis(mid, r)[2]


def disjoint(mid: np.ndarray, radius: np.ndarray,
             chunk: int = 1 << 18) -> tuple[bool, tuple[int, int] | None]:
    """Whether the polydiscs are pairwise disjoint (some coordinate with ``|m_i − m_j| > r_i + r_j``).

    ``radius`` is one radius per box (shape ``(N,)``) or per coordinate (shape ``(N, p)``).

    Returns ``(True, None)`` or ``(False, (i, j))`` for a pair not proven disjoint.  Sweep: the discs are
    projected on each of the ``2p`` real axes (``Re t_k``, ``Im t_k``), intervals widened for rounding;
    on the axis whose intervals meet least often (counted in ``O(N log N)`` per axis), the boxes are
    sorted by the lower end of their interval and only the pairs whose intervals meet are compared on
    every coordinate, vectorised ``chunk`` pairs at a time.  Cost ``O(p·N log N + p·W)`` with ``W``
    :func:`disjointness_pairs` — ``W = 0`` for boxes on one line, whatever its direction.

    Examples
    --------
    >>> mid = np.array([[0.0 + 0j], [0.0 + 1j], [0.0 + 2j]])
    >>> disjoint(mid, np.array([0.4, 0.4, 0.4]))
    (True, None)
    >>> disjoint(mid, np.array([0.4, 0.7, 0.4]))
    (False, (0, 1))
    """
    N = mid.shape[0]
    if N < 2:
        return True, None
    r = np.broadcast_to(np.asarray(radius, dtype=float).reshape(N, -1), mid.shape)
    if not (np.isfinite(r).all() and np.isfinite(mid).all()):
        return False, (0, 1)
    lo, hi, _ = _sweep_axis(mid, r)
    order = np.argsort(lo, kind="stable")
    los = lo[order]
    end = np.searchsorted(los, hi[order], side="right")      # sorted boxes a+1 .. end[a]-1 start inside box a
    cnt = np.maximum(end - np.arange(N) - 1, 0)
    slack = 1 + 16 * U
    a0 = 0
    while a0 < N:        # the pairs (a, b) of sorted positions, a chunk at a time
        tot = np.cumsum(cnt[a0:])
        a1 = a0 + max(1, int(np.searchsorted(tot, chunk, side="right")))
        a_idx = np.repeat(np.arange(a0, a1), cnt[a0:a1])
        if a_idx.size:
            first = np.cumsum(cnt[a0:a1]) - cnt[a0:a1]
            b_idx = a_idx + 1 + (np.arange(a_idx.size) - np.repeat(first, cnt[a0:a1]))
            i, j = order[a_idx], order[b_idx]
            dist = np.abs(mid[j] - mid[i]) * (1 - 8 * U)                   # lower bounds of |m_j − m_i|
            need = (r[j] + r[i]) * slack + _TINY
            sep = (dist > need).any(axis=1)
            if not sep.all():
                k = int(np.argmin(sep))
                a, b = int(i[k]), int(j[k])
                return False, (min(a, b), max(a, b))
        a0 = a1
    return True, None


def real_kind(mid: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Per polydisc: ``1`` real (centre real, so conjugation-symmetric), ``-1`` proven non-real, ``0`` undecided."""
    im = np.abs(mid.imag)
    real = (mid.imag == 0).all(axis=1)
    nonreal = (im * (1 - 4 * U) > np.asarray(radius)[:, None] * (1 + 4 * U) + _TINY).any(axis=1)
    return np.where(real, 1, np.where(nonreal, -1, 0))
