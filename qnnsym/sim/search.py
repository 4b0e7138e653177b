"""Numeric searches for local minima: batched multi-start descent and coordinate-wise greedy search.

Floats only: these count what a numeric method finds, to compare with certified tables.
"""
from __future__ import annotations

import numpy as np

from ..exact.trigpoly import TrigEvaluator, TrigPoly

__all__ = ['multistart_minima', 'coordinate_greedy']


# --- numerics: multi-start and coordinate-wise greedy ----------------------------------------------

def _descend(fast: TrigEvaluator, theta: np.ndarray, iters: int, gtol: float) -> np.ndarray:
    """Batched descent along ``−g/|diag H|`` (diagonally scaled) with per-start backtracking;
    only unconverged starts are updated."""
    th = theta.copy()
    val, g, hd = fast(th)
    alpha = np.ones(th.shape[0])
    act = np.arange(th.shape[0])
    for _ in range(iters):
        act = act[np.sqrt(np.einsum("ij,ij->i", g[act], g[act])) > gtol]
        if not len(act):
            break
        scale = np.maximum(np.abs(hd[act]), 1e-3 * np.abs(hd[act]).max(axis=1, keepdims=True) + 1e-300)
        step = g[act] / scale
        trial = th[act] - alpha[act, None] * step
        tv, tg, thd = fast(trial)
        ok = tv <= val[act] - 1e-4 * alpha[act] * np.einsum("ij,ij->i", g[act], step)
        idx = act[ok]
        th[idx], val[idx], g[idx], hd[idx] = trial[ok], tv[ok], tg[ok], thd[ok]
        alpha[act] = np.where(ok, np.minimum(1.0, alpha[act] * 2), alpha[act] * 0.5)
    return th


def multistart_minima(loss: TrigPoly, n_starts: int = 1000, seed: int = 0, iters: int = 500, gtol: float = 1e-11,
                      progress: bool = False) -> dict:
    """Distinct local minima found by batched descent from uniform random starts (numeric).

    Converged points are wrapped to one period (``θ_l mod 2π/ω_l``), clustered at ``1e-5``, and a
    cluster counts as a minimum when its Hessian is positive definite.  ``progress`` shows a bar on
    standard error; an interruption keeps the finished chunks of 4096 starts.

    Returns
    -------
    dict
        ``starts``, ``converged``, ``distinct_minima``, ``values`` (minimum values, ascending),
        ``points`` (one representative per minimum, same order), ``global_fraction`` (share of starts ending
        at the lowest value).

    Examples
    --------
    >>> from qnnsym.construct import prop5_construction
    >>> L = prop5_construction(2).loss
    >>> multistart_minima(L, 200, seed=0)["distinct_minima"]
    4
    """
    rng = np.random.default_rng(seed)
    period = 2 * np.pi / np.array(loss.omega, dtype=float)
    th0 = rng.uniform(0, 1, size=(n_starts, loss.p)) * period
    from tqdm import tqdm

    fast = loss.evaluator()
    chunks = []
    try:
        for i in tqdm(range(0, n_starts, 4096), disable=not progress, desc=f"multistart p={loss.p}", unit="chunk"):
            chunks.append(_descend(fast, th0[i:i + 4096], iters, gtol))
    except KeyboardInterrupt:
        if not chunks:
            raise
    th = np.concatenate(chunks)
    n_starts = len(th)
    g = loss.gradient(th)
    conv = np.sqrt(np.einsum("ij,ij->i", g, g)) < 1e-8
    th = np.mod(th[conv], period)
    grid = np.round(th / period * 1e5).astype(np.int64) % 100000
    uniq, idx, inv = np.unique(grid, axis=0, return_index=True, return_inverse=True)
    reps = th[idx]
    H = loss.hessian(reps) if len(reps) else np.zeros((0, loss.p, loss.p))
    ismin = np.linalg.eigvalsh(H)[:, 0] > 1e-9 if len(reps) else np.zeros(0, bool)
    vals = loss(reps) if len(reps) else np.zeros(0)
    mv = vals[ismin]
    best = mv.min() if len(mv) else np.nan
    inv = np.asarray(inv).ravel()
    at_best = np.isin(inv, np.nonzero(ismin & (np.abs(vals - best) < 1e-9 * max(1, abs(best))))[0])
    order = np.argsort(mv)
    return {"starts": n_starts, "converged": int(conv.sum()), "distinct_minima": int(ismin.sum()),
            "values": mv[order], "points": reps[ismin][order],
            "global_fraction": float(at_best.mean()) if len(at_best) else 0.0}


def coordinate_greedy(loss: TrigPoly, starts: np.ndarray, sweeps: int = 30, grid: int = 256) -> np.ndarray:
    """Coordinate-wise greedy optimisation (batched over starts): cycle through the parameters,
    each time moving ``θ_l`` to the global minimum of the 1-D slice (dense grid, then 1-D Newton
    polishing); stop when a sweep changes nothing.

    Returns the final points ``(N, p)``.
    """
    th = np.array(starts, dtype=float).reshape(-1, loss.p).copy()
    N, p = th.shape
    period = 2 * np.pi / np.array(loss.omega, dtype=float)
    fast = loss.evaluator()
    for _ in range(sweeps):
        old = th.copy()
        for l in range(p):
            cand = np.repeat(th, grid, axis=0)
            cand[:, l] = np.tile(np.arange(grid) * period[l] / grid, N)
            v = fast(cand, derivatives=False)[0].reshape(N, grid)
            th[:, l] = cand.reshape(N, grid, p)[np.arange(N), v.argmin(axis=1), l]
            for _ in range(8):
                _, g, h = fast(th)
                th[:, l] -= np.where(h[:, l] > 0, g[:, l] / np.where(h[:, l] > 0, h[:, l], 1), 0.0)
        if np.allclose(np.mod(th - old + period / 2, period) - period / 2, 0, atol=1e-8):
            break
    return np.mod(th, period)
