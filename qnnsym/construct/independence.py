"""Linear independence of a QNN (Definition 1) and the random model of Theorem 6 (eqs. 21–23).

A QNN with observable ``M`` is *with linear independence* when the ``3^p - 1`` operators
``{Φ_ξ(M)}_{ξ ≠ 0}`` of eq. (11) are linearly independent (over R, as Hermitian matrices).
Equivalently their Gram matrix ``G_{ξξ'} = tr(Φ_ξ(M) Φ_ξ'(M))`` is positive definite.

* :func:`gram_matrix` / :func:`independence`: the Gram matrix from the exact expansion
  (:func:`qnnsym.expansion.phi_terms`); exact rank by fraction-free elimination (python-flint)
  for exact QNNs, and a numeric test (smallest eigenvalue, condition number, explicit relative
  tolerance) always.  The necessary dimension condition ``d² − 1 ≥ 3^p − 1`` (the operators live
  in the ``d² − 1``-dimensional space of traceless Hermitians) is checked first.
* :func:`haar_unitary`, :func:`haar_qnn`: the random model of eq. (21), ``W_l`` Haar on ``U(d)``
  by QR of a complex Ginibre matrix with the phase correction, ``H = diag(±1)``.
* :func:`cayley_unitary`, :func:`cayley_qnn`: an *exact* stand-in: ``W = (I − iA)(I + iA)^{-1}``
  for a random rational Hermitian ``A`` is an exactly unitary Gaussian-rational matrix, so
  ``W H W†`` is exactly two-level.
* :func:`theorem6_study`: for a grid of ``(d, p)``, the fraction of random QNNs with linear
  independence, the fraction meeting the Gershgorin condition (no ``ξ`` satisfies eq. 23) and
  statistics of the smallest Gram eigenvalue.  The float Φ-stack of the study is vectorised
  (:func:`phi_stack`); a test compares it with the exact dense engine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Sequence

import flint
import numpy as np

from ..budget import refuse_if_too_large
from ..errors import ValidationError
from ..exact.opmatrix import OpMatrix
from ..exact.paulis import PauliSum
from ..expansion.phi import phi_terms
from ..model.circuit import INTEGER, QNN, TWO_LEVEL, Gate, Operator, to_opmatrix
from ..model.data import Instance
from ..validate import as_int

__all__ = ["IndependenceReport", "expected_keys", "dimension_condition", "gram_matrix", "independence",
           "haar_unitary", "haar_qnn", "cayley_unitary", "random_rational_hermitian", "cayley_qnn",
           "phi_stack", "gram_stats", "theorem6_study", "STUDY_COLUMNS", "DEFAULT_TOL"]

#: relative tolerance of the numeric test: independent iff ``λ_min > tol · λ_max``
DEFAULT_TOL = 1e-10

Key = tuple[int, ...]


def expected_keys(qnn: QNN) -> list[Key]:
    """All non-constant harmonic indices ``h`` (``ξ ≠ 0``) the expansion can have.

    Two-level gates give ``h_l ∈ {-1, 0, 1}`` (``3^p − 1`` keys, Definition 1); an integer-spectrum
    gate with largest harmonic ``J`` gives ``|h_l| ≤ J``.

    Examples
    --------
    >>> len(expected_keys(QNN.from_paulis(["Z0", "Z1"], 2)))
    8
    """
    ranges = []
    for i, g in enumerate(qnn.gates):
        if g.kind == TWO_LEVEL:
            ranges.append((-1, 0, 1))
        elif g.kind == INTEGER:
            J = g.max_gap // g.omega
            ranges.append(tuple(range(-J, J + 1)))
        else:
            raise ValidationError(f"qnn.gates[{i}].kind", "a generic Hermitian generator has no finite expansion",
                                  expected="two-level or integer-spectrum generators")
    return [h for h in product(*ranges) if any(h)]


def dimension_condition(d: int, n_ops: int, p: int | None = None) -> tuple[bool, str]:
    """The necessary condition ``d² − 1 ≥ #operators`` (``3^p − 1`` for two-level gates).

    Returns ``(ok, message)``; the message explains the failure.

    Examples
    --------
    >>> dimension_condition(4, 26, 3)[0]
    False
    """
    ok = d * d - 1 >= n_ops
    what = f"3^{p} - 1 = {n_ops}" if p is not None and n_ops == 3 ** p - 1 else f"{n_ops}"
    msg = (f"d² - 1 = {d * d - 1} ≥ {what}" if ok else
           f"dimension condition fails: the {what} operators Φ_ξ(M), ξ ≠ 0, are traceless Hermitian "
           f"{d}×{d} matrices, a space of dimension d² - 1 = {d * d - 1} < {n_ops}, so they cannot be "
           f"linearly independent" + (" (Definition 1 needs d ≥ 3^(p/2))" if p is not None and n_ops == 3 ** p - 1 else ""))
    return ok, msg


def _rows(ops: Sequence[Operator], exact: bool):
    """Real coordinate rows ``R`` with ``G = scale · R Rᵀ``: Pauli coefficients (scale ``2^n``) or the
    real and imaginary parts of the matrix entries (scale 1; ``tr(AB) = Σ Re A_ij Re B_ij + Im·Im``
    for Hermitian ``B``)."""
    if ops and all(isinstance(o, PauliSum) for o in ops):
        keys = sorted({k for o in ops for k in o})
        if exact:
            R = flint.fmpq_mat(len(ops), len(keys), [flint.fmpq(Fraction(o.get(k, 0)).numerator,
                                                                Fraction(o.get(k, 0)).denominator)
                                                     for o in ops for k in keys])
        else:
            R = np.array([[float(o.get(k, 0)) for k in keys] for o in ops], dtype=float).reshape(len(ops), len(keys))
        return R, 2 ** ops[0].n
    mats = [to_opmatrix(o) for o in ops]
    if exact:
        d = mats[0].dim
        ent = []
        for m in mats:
            ent.extend(m.re.entries())
            ent.extend(m.im.entries())
        return flint.fmpq_mat(len(mats), 2 * d * d, ent), 1
    arr = np.array([m.to_numpy().ravel() for m in mats])
    return np.concatenate([arr.real, arr.imag], axis=1), 1


def gram_matrix(qnn: QNN, observable: Operator, exact: bool | None = None):
    """Gram matrix ``G_{ξξ'} = tr(Φ_ξ(M) Φ_ξ'(M))`` over the non-constant keys.

    Parameters
    ----------
    qnn, observable
    exact : bool, optional
        Exact ``flint.fmpq_mat`` (default when the QNN and ``M`` are exact) or float numpy array.

    Returns
    -------
    keys : list of tuple
        Harmonic indices ``h`` (``ξ`` via :func:`~qnnsym.exact.trigpoly.h_to_xi`), in the Gram's order.
    G : flint.fmpq_mat or numpy.ndarray
    ops : list
        The operators ``Φ_h(M)`` (zero operators included where the expansion has none).

    Examples
    --------
    >>> keys, G, _ = gram_matrix(QNN.from_paulis(["Z0"], 1), PauliSum.from_labels(1, {"Y0": 1, "I": 1}))
    >>> keys, G.tolist()
    ([(-1,), (1,)], [[2, 0], [0, 2]])
    """
    if exact is None:
        exact = qnn.exact and observable.exact
    terms = phi_terms(qnn, observable)
    keys = expected_keys(qnn)
    d = qnn.dim
    zero = PauliSum(observable.n, {}) if isinstance(observable, PauliSum) and all(
        isinstance(t, PauliSum) for t in terms.values()) else OpMatrix.zeros(d)
    ops = [terms.get(h, zero) for h in keys]
    R, scale = _rows(ops, exact)
    if exact:
        G = (R * R.transpose()) * scale
    else:
        G = (R @ R.T) * scale
    return keys, G, ops


@dataclass
class IndependenceReport:
    """Outcome of the Definition-1 test.

    ``independent`` is the exact verdict when ``exact_rank`` is known, else the numeric one
    (``lambda_min > tol · lambda_max``); ``reason`` says why a QNN fails.
    """

    p: int
    dim: int
    n_ops: int
    dimension_ok: bool
    independent: bool
    method: str
    reason: str
    exact_rank: int | None = None
    lambda_min: float | None = None
    lambda_max: float | None = None
    condition: float | None = None
    tol: float = DEFAULT_TOL
    gershgorin: bool | None = None
    zero_terms: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: (v if not isinstance(v, list) else [list(x) for x in v]) for k, v in self.__dict__.items()}


def gram_stats(G: np.ndarray, tol: float = DEFAULT_TOL) -> dict:
    """Numeric facts of a (batch of) Gram matrices ``(..., K, K)``: smallest/largest eigenvalue,
    condition number, numeric independence (``λ_min > tol·λ_max``), the Gershgorin condition
    (every row strictly diagonally dominant, i.e. no ``ξ`` satisfies eq. 23) and the same for the
    normalised Gram ``D^{-1/2} G D^{-1/2}`` (``D = diag G``; also sufficient for ``G ≻ 0``, and not
    fooled by the spread of the norms ``tr Φ_ξ²``)."""
    w = np.linalg.eigvalsh(G)
    lmin, lmax = w[..., 0], w[..., -1]
    diag = np.abs(np.diagonal(G, axis1=-2, axis2=-1))
    off = np.abs(G).sum(axis=-1) - diag
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = np.where(lmin > 0, lmax / np.where(lmin > 0, lmin, 1), np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        sq = np.sqrt(diag)
        Gn = np.abs(G) / (sq[..., :, None] * sq[..., None, :])
    scaled = np.all(2 > Gn.sum(axis=-1), axis=-1) & np.all(diag > 0, axis=-1)
    return {"lambda_min": lmin, "lambda_max": lmax, "condition": cond,
            "independent": lmin > tol * lmax, "gershgorin": np.all(diag > off, axis=-1), "gershgorin_scaled": scaled}


def independence(qnn_or_instance, observable: Operator | None = None, tol: float = DEFAULT_TOL) -> IndependenceReport:
    """Is the QNN with linear independence (Definition 1)?

    Parameters
    ----------
    qnn_or_instance : QNN or Instance
    observable : operator, optional
        ``M`` (taken from the instance when an instance is given).
    tol : float
        Relative tolerance of the numeric test (``λ_min > tol·λ_max``).

    Returns
    -------
    IndependenceReport

    Raises
    ------
    ValidationError
        No observable, or generic Hermitian generators (no finite expansion).

    Examples
    --------
    >>> r = independence(QNN.from_paulis(["Z0", "Z1"], 2), PauliSum.from_labels(2, {"Y0 Y1": 1, "Y0": 1, "Y1": 1, "I": 1}))
    >>> r.independent, r.exact_rank, r.method
    (True, 8, 'exact')
    >>> independence(QNN.from_paulis(["Z0", "Z0"], 1), PauliSum.string(1, "Y0")).reason.split(":")[0]
    'dimension condition fails'
    """
    if isinstance(qnn_or_instance, Instance):
        qnn, M = qnn_or_instance.qnn, qnn_or_instance.observable
    else:
        qnn, M = qnn_or_instance, observable
    if M is None:
        raise ValidationError("observable", "missing", expected="the observable M (or pass an Instance)")
    if not isinstance(tol, (int, float)) or not 0 < tol < 1:
        raise ValidationError("tol", f"{tol!r}", expected="a relative tolerance 0 < tol < 1, e.g. 1e-10")
    keys = expected_keys(qnn)
    d = qnn.dim
    ok, msg = dimension_condition(d, len(keys), qnn.p if len(keys) == 3 ** qnn.p - 1 else None)
    if not ok:
        return IndependenceReport(qnn.p, d, len(keys), False, False, "dimension", msg, tol=tol)
    exact = qnn.exact and M.exact
    keys, G, ops = gram_matrix(qnn, M, exact)
    zero = [k for k, o in zip(keys, ops) if (len(o) == 0 if isinstance(o, PauliSum) else o.is_zero(0.0))]
    Gf = np.array([[float(v) for v in row] for row in G.tolist()]) if exact else G
    st = gram_stats(Gf, tol)
    rep = IndependenceReport(qnn.p, d, len(keys), True, bool(st["independent"]), "numeric", "", tol=tol,
                             lambda_min=float(st["lambda_min"]), lambda_max=float(st["lambda_max"]),
                             condition=float(st["condition"]), gershgorin=bool(st["gershgorin"]),
                             zero_terms=zero)
    if exact:
        rep.exact_rank = G.rank()
        rep.independent = rep.exact_rank == len(keys)
        rep.method = "exact"
    if rep.independent:
        rep.reason = (f"Gram matrix of the {len(keys)} operators Φ_ξ(M), ξ ≠ 0, is positive definite "
                      + (f"(exact rank {rep.exact_rank})" if exact else
                         f"(λ_min = {rep.lambda_min:.3g} > {tol:g}·λ_max)"))
    elif zero:
        rep.reason = (f"{len(zero)} of the operators Φ_ξ(M) vanish (first: h = {zero[0]}), "
                      "so the set cannot be linearly independent")
    else:
        rep.reason = ("Gram matrix is singular: " + (f"exact rank {rep.exact_rank} < {len(keys)}" if exact else
                                                      f"λ_min = {rep.lambda_min:.3g} ≤ {tol:g}·λ_max"))
    return rep


# --- random QNNs ---------------------------------------------------------------------------------

def _two_level_diag(d: int) -> np.ndarray:
    if d < 2 or d % 2:
        raise ValidationError("d", f"{d}", expected="an even dimension ≥ 2 (H = diag(±1) must be traceless)")
    return np.array([1.0] * (d // 2) + [-1.0] * (d // 2))


def haar_unitary(d: int, rng: np.random.Generator, size: int | None = None) -> np.ndarray:
    """Haar-random ``d×d`` unitaries: QR of a complex Ginibre matrix, columns multiplied by the
    phases ``diag(R)/|diag(R)|`` (Mezzadri's correction; without it QR is not Haar).

    Returns shape ``(d, d)`` or ``(size, d, d)``.

    Examples
    --------
    >>> U = haar_unitary(4, np.random.default_rng(0))
    >>> bool(np.allclose(U.conj().T @ U, np.eye(4)))
    True
    """
    shape = (d, d) if size is None else (size, d, d)
    Z = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)
    Q, R = np.linalg.qr(Z)
    ph = np.diagonal(R, axis1=-2, axis2=-1)
    ph = ph / np.abs(ph)
    return Q * ph[..., None, :]


def haar_qnn(d: int, p: int, rng: np.random.Generator) -> QNN:
    """A float QNN of eq. (21): gates ``exp(-iθ_l W_l H W_l†)``, ``W_l`` Haar, ``H = diag(±1)``."""
    h = _two_level_diag(d)
    W = haar_unitary(d, rng, p)
    gens = np.einsum("lij,j,lkj->lik", W, h, W.conj())
    return QNN(tuple(Gate(OpMatrix(d, arr=(g + g.conj().T) / 2), TWO_LEVEL, field=f"qnn.gates[{l}]")
                     for l, g in enumerate(gens)), dim=d)


def random_rational_hermitian(d: int, rng: np.random.Generator, bound: int = 2, denom: int = 1) -> OpMatrix:
    """A random exact Hermitian with entries ``(a + ib)/denom``, integers ``|a|, |b| ≤ bound``."""
    rows = [[Fraction(0)] * d for _ in range(d)]
    from ..exact.scalars import GaussianRational

    for i in range(d):
        rows[i][i] = Fraction(int(rng.integers(-bound, bound + 1)), denom)
        for j in range(i + 1, d):
            a, b = (Fraction(int(x), denom) for x in rng.integers(-bound, bound + 1, size=2))
            rows[i][j] = GaussianRational(a, b)
            rows[j][i] = GaussianRational(a, -b)
    return OpMatrix.from_rows(rows, "A")


def cayley_unitary(A: OpMatrix) -> OpMatrix:
    """The exact unitary ``(I − iA)(I + iA)^{-1}`` of an exact Hermitian ``A`` (Cayley transform).

    ``I + iA`` is invertible because ``A`` has real eigenvalues.  The inverse is computed exactly
    through the real embedding ``X + iY ↦ [[X, −Y], [Y, X]]``.

    Examples
    --------
    >>> W = cayley_unitary(OpMatrix.from_rows([[1, "1 - I"], ["1 + I", 0]]))
    >>> W.adjoint() @ W == OpMatrix.identity(2)
    True
    """
    if not A.exact or not A.is_hermitian():
        raise ValidationError("A", "not an exact Hermitian matrix", expected="an exact Hermitian OpMatrix")
    I = OpMatrix.identity(A.dim)
    return (I - A.times_i()) @ (I + A.times_i()).inverse()


def cayley_qnn(d: int, p: int, seed: int = 0, bound: int = 2) -> tuple[QNN, OpMatrix]:
    """Exact stand-in for eq. (21): ``H_l = W_l H W_l†`` with Cayley unitaries ``W_l`` of random
    rational Hermitians, ``H = diag(±1)``; observable ``M = W_0 H W_0†`` for one more Cayley
    unitary (traceless, non-zero).  Every generator is exactly two-level.

    Returns
    -------
    (QNN, OpMatrix)
        The circuit and the observable ``M``.
    """
    h = _two_level_diag(d)
    rng = np.random.default_rng(seed)
    H = OpMatrix.from_rows([[int(h[i]) if i == j else 0 for j in range(d)] for i in range(d)], "H")

    def rotated():
        W = cayley_unitary(random_rational_hermitian(d, rng, bound))
        return W @ H @ W.adjoint()

    gates = tuple(Gate(rotated(), TWO_LEVEL, field=f"qnn.gates[{l}]") for l in range(p))
    return QNN(gates, dim=d), rotated()


# --- Theorem 6 study ---------------------------------------------------------------------------

def phi_stack(gens: np.ndarray, M: np.ndarray) -> np.ndarray:
    """All ``Φ_ξ(M)`` for a batch of two-level float QNNs, vectorised.

    Parameters
    ----------
    gens : ndarray, shape ``(S, p, d, d)``
        Two-level generators ``H_l`` of ``S`` circuits.
    M : ndarray, shape ``(S, d, d)`` or ``(d, d)``

    Returns
    -------
    ndarray, shape ``(S, 3^p, d, d)``
        Index ``Σ_l ξ_l 3^{p-1-l}`` holds ``Φ_ξ(M)`` (``ξ_1`` most significant), eqs. (7)–(10).
    """
    S, p, d, _ = gens.shape
    A = np.broadcast_to(M, (S, d, d))[:, None].astype(complex)
    for l in range(p - 1, -1, -1):
        H = gens[:, l][:, None]
        HA = H @ A
        AH = A @ H
        HAH = HA @ H
        A = np.concatenate([(A + HAH) / 2, (A - HAH) / 2, 0.5j * (HA - AH)], axis=1)
    return A


def _study_cell(d: int, p: int, samples: int, rng: np.random.Generator, tol: float, chunk: int = 50) -> dict:
    h = _two_level_diag(d)
    out = {k: [] for k in ("lambda_min", "lambda_max", "condition", "independent", "gershgorin", "gershgorin_scaled")}
    M = np.diag(h).astype(complex)
    done = 0
    while done < samples:
        S = min(chunk, samples - done)
        W = haar_unitary(d, rng, S * p).reshape(S, p, d, d)
        gens = np.einsum("slij,j,slkj->slik", W, h, W.conj())
        A = phi_stack(gens, M)[:, 1:].reshape(S, 3 ** p - 1, d * d)
        G = np.einsum("ski,sli->skl", A, A.conj()).real
        st = gram_stats(G, tol)
        for k in out:
            out[k].append(np.atleast_1d(st[k]))
        done += S
    return {k: np.concatenate(v) for k, v in out.items()}


#: columns of the Theorem-6 table
#: the Theorem-6 study's reach: d × d matrices, 3^p − 1 operators, and about 10^12 operations in all
MAX_STUDY_D, MAX_STUDY_P, MAX_STUDY_FLOPS = 4096, 10, 10 ** 12

STUDY_COLUMNS = ["d", "p", "samples", "dim_condition", "frac_independent", "frac_gershgorin", "frac_gershgorin_scaled",
                 "lambda_min_median", "lambda_min_q05", "lambda_min_min", "cond_median", "seconds", "status"]


def _theorem6_row(cell: tuple) -> dict:
    """One ``(d, p)`` cell of the study (a task of an executor; its random numbers come from
    ``default_rng([seed, d, p])`` alone, so the row does not depend on where it runs)."""
    import time

    d, p, samples, seed, tol = cell
    ok, _ = dimension_condition(d, 3 ** p - 1, p)
    row = {c: "" for c in STUDY_COLUMNS}
    row.update(d=d, p=p, status="done", samples=0, dim_condition=ok)
    if ok:
        cell_rng = np.random.default_rng([seed, d, p])
        t0 = time.perf_counter()
        res = _study_cell(d, p, samples, cell_rng, tol)
        lm = res["lambda_min"]
        row.update(samples=samples, frac_independent=float(res["independent"].mean()),
                   frac_gershgorin=float(res["gershgorin"].mean()),
                   frac_gershgorin_scaled=float(res["gershgorin_scaled"].mean()),
                   lambda_min_median=float(np.median(lm)), lambda_min_q05=float(np.quantile(lm, 0.05)),
                   lambda_min_min=float(lm.min()), cond_median=float(np.median(res["condition"])),
                   seconds=round(time.perf_counter() - t0, 3))
    return row


def theorem6_study(ds: Sequence[int] = (4, 8, 16, 32), ps: Sequence[int] = (1, 2, 3, 4), samples: int = 200,
                   seed: int = 0, tol: float = DEFAULT_TOL, progress: bool = True, executor=None) -> list[dict]:
    """The Theorem-6 experiment: random QNNs of eq. (21) with ``M = H = diag(±1)`` (any fixed
    traceless ``M`` is equivalent by Haar invariance of ``W_p``).

    For each ``(d, p)`` meeting the dimension condition ``d² − 1 ≥ 3^p − 1``: the fraction of samples
    with linear independence (``λ_min(G) > tol·λ_max(G)``), the fraction meeting the Gershgorin
    condition (no ``ξ`` satisfies eq. 23; it implies independence), the same for the normalised Gram
    matrix (``frac_gershgorin_scaled``), and the median, 5 % quantile and
    minimum of ``λ_min(G)`` (``G`` is normalised by nothing: ``tr Φ_ξ²`` scales like ``d/2^{|ξ|}``).
    Cells failing the dimension condition are listed with ``dim_condition = False`` and no samples.
    Interrupting (Ctrl-C, SIGTERM) returns the finished cells; the others are rows with
    ``status = "interrupted"`` and no samples, and the title says PARTIAL.

    ``executor``: where the cells run (:func:`qnnsym.executor.get_executor`: ``"local"``, ``"dask"``
    or an :class:`~qnnsym.executor.Executor`); each cell has its own seed ``[seed, d, p]``, so every
    executor gives the same rows (only ``seconds`` differs).

    Examples
    --------
    >>> rows = theorem6_study([4], [1], samples=20, seed=1, progress=False)
    >>> rows[0]["frac_independent"]
    1.0
    """
    from tqdm import tqdm

    from ..executor import LocalExecutor, get_executor

    samples = as_int(samples, "--samples", lo=1)
    ds = [as_int(d, "--d", lo=2, hi=MAX_STUDY_D) for d in ds]
    ps = [as_int(p, "--p", lo=1, hi=MAX_STUDY_P) for p in ps]
    for d in ds:
        _two_level_diag(d)
    refuse_if_too_large("--samples", "floating-point operations (samples · 3^p · d² per cell, all cells)",
                        sum(samples * 3 ** p * d * d for d in ds for p in ps), MAX_STUDY_FLOPS, bytes_per_unit=8,
                        fix="fewer --samples, smaller --d or --p")
    cells = [(d, p, samples, seed, tol) for d in ds for p in ps]
    ex = get_executor(executor or "local")
    bar = tqdm(total=sum(samples for d, p, *_ in cells if dimension_condition(d, 3 ** p - 1)[0]),
               disable=not progress, desc="theorem 6", unit="QNN")
    done: dict = {}

    def keep(row):
        done[(row["d"], row["p"])] = row
        bar.update(row["samples"])

    try:
        if isinstance(ex, LocalExecutor) and ex.workers == 1:
            for cell in cells:
                keep(_theorem6_row(cell))
        else:
            ex.map(_theorem6_row, cells, on_done=keep)
    except KeyboardInterrupt:       # keep the finished cells; the others are listed as "interrupted"
        pass
    finally:
        bar.close()
        if ex is not executor:
            ex.close()
    from ..tables import Table

    rows = [done.get((d, p)) or dict({c: "" for c in STUDY_COLUMNS}, d=d, p=p, status="interrupted", samples=0)
            for d, p, *_ in cells]
    partial = len(done) < len(cells)
    return Table(rows, STUDY_COLUMNS, f"Theorem 6: random QNNs of eq. 21 (seed {seed})"
                 + (f" — PARTIAL: {len(done)} of {len(cells)} cells (interrupted)" if partial else ""))
