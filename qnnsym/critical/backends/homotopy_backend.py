"""The ``homotopy`` backend: certified homotopy continuation for the tan form (level *numeric*).

1. The cs system is rotated by :data:`~qnnsym.exact.tanform.ROTATION` and written in the tan chart
   (:func:`~qnnsym.exact.tanform.tan_system`): ``p`` integer polynomials of degree ``≤ 2d_lj`` in
   ``t_j``.
2. ``B = perm(2d) = 2^p·perm(d)`` paths from the start system of :mod:`..homotopy`, tracked in
   batches of :func:`default_batch` paths on an executor (:mod:`qnnsym.executor`: this machine's processes,
   ``workers``, or a Dask cluster; the tensors go to each worker once), each finished batch optionally
   checkpointed (:mod:`.homotopy_checkpoint`: ``checkpoint=DIR``, ``resume=True``).
3. Every endpoint is refined by Newton and **certified** by the vectorised Krawczyk test on the
   exact system (:mod:`qnnsym.exact.krawczyk`); near-real endpoints are re-centred on the real line
   so that their polydisc is conjugation-symmetric (a certified *real* solution); overlapping boxes
   are merged (the same solution), conjugates of certified non-real boxes are certified boxes too
   (real coefficients).
4. Paths that failed, jumped (two paths, one solution) or were not certified are re-tracked on the
   same homotopy with tighter steps in randomly *rotated* coordinates ``x_j = tan(φ_j − α_j)``
   (:func:`~..homotopy.rotated_tensor`: the same paths, reparametrised, so that endpoints near
   ``φ_j = π/2``, where the affine ``t`` chart is ill-conditioned, sit at moderate ``|x_j|``), then,
   as a last resort, all paths with a new ``γ``, until ``B`` pairwise-disjoint certified boxes exist
   or the budget is spent.
5. **Complete** only when the count equals ``B`` (docs/certification-levels.md: ``B`` distinct
   nonsingular solutions of a system of multidegree ``2d`` on ``(P^1)^p`` are all its solutions,
   with none at ``t = ∞``, i.e. none missed by the chart).  Otherwise: ``incomplete: N of B certified``.
"""
from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
import time
import uuid

import numpy as np

from ...budget import refuse_if_too_large
from ...errors import ValidationError
from ...executor import Executor, check_workers, get_executor
from ...validate import as_int
from ...exact.krawczyk import chart_tensor, disjoint, float_tensor, krawczyk_charts, real_kind, t_discs
from ...exact.tanform import ROTATION, tan_system, tan_tensor
from ..boxpoint import BoxPoint
from ..homotopy import (from_rotated, gradient_target, newton, rotated_start, rotated_tensor, start_system,
                        to_rotated, track_paths)
from ..result import SolveResult
from .common import Budget
from .homotopy_checkpoint import open_checkpoint, system_digest

__all__ = ["BATCH", "available", "default_batch", "default_workers", "engine_version", "frequency_rank_deficit",
           "preflight", "solve_homotopy"]

#: most paths per batch handed to a worker (:func:`default_batch`)
BATCH = 2048
#: largest step in τ for the first tracking round and for each re-tracking round (the same γ); the first
#: round tracks in the ``t`` chart, the re-tracking rounds each in new rotated coordinates
HMAX = (0.1, 0.02, 0.005, 0.001)


def default_batch(paths: int) -> int:
    """Paths per batch by default: a quarter of the ``paths`` (two batches for each of two workers), at
    least 256 and at most :data:`BATCH`.

    Large batches amortise the tracker's per-step numpy calls over more paths (measured at dense
    ``p = 4``, one process: 1.4–1.8 ms per path in batches of 512, 1.1–1.3 in 1536, 1.0 in 3072);
    the quarter keeps two workers busy to the end.  A function of the path count only, so that a
    resumed run (:mod:`.homotopy_checkpoint`) gets the batches of the run it continues.

    >>> default_batch(384), default_batch(6144), default_batch(122880)
    (256, 1536, 2048)
    """
    return int(min(BATCH, max(256, -(-paths // 4))))


def available() -> bool:
    return True


def engine_version() -> str:
    from ..._version import __version__

    return f"qnnsym {__version__} homotopy (numpy {np.__version__})"


def default_workers() -> int:
    """Both cores by default (``os.sched_getaffinity``), at most 8."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:
        n = os.cpu_count() or 1
    return max(1, min(8, n))


_STATE: dict = {}
_STATE_LOCK = threading.Lock()


def _init(target, Tn, S):
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)          # many tiny BLAS calls: one thread per process is fastest
    _STATE.clear()
    _STATE.update(target=target, Tn=Tn, S=S)


def _track_on_worker(state, args):
    """:func:`_track_batch` on an executor's worker, then :func:`_certify` of its finished endpoints (so
    that the client only collects boxes): ``(batch result, certified)``.

    ``state = (token, init_args, (T, Tn))`` is the solve's per-worker state (shared once per worker,
    :meth:`~qnnsym.executor.Executor.shared`), installed by :func:`_init` when this worker has not seen
    this solve's ``token`` yet."""
    token, init_args, (T, Tn) = state
    with _STATE_LOCK:             # a dask worker with several threads runs tasks side by side
        if _STATE.get("token") != token:
            _init(*init_args)
            _STATE["token"] = token
    out = _track_batch(args)
    return out, _certify(T, Tn, out[1][out[2] == 0])


def _track_batch(args):
    """Track one batch: in the ``t`` chart (``r`` None, through the cheap target) or in the coordinates
    rotated by ``atan r`` (the tensors, rotated once per worker and round).  Returns ``(idx, endpoints,
    status, steps, counts)`` with the per-path evaluation counts of :func:`~..homotopy.track_paths`."""
    idx, starts, gamma, hmax, deadline, clock, r = args
    S = _STATE["S"]
    if gamma is not None:
        S = type(S)(S.e, S.b, gamma)
    counts: dict = {}
    if r is None:
        t, status, steps = track_paths(_STATE["target"], S, starts, deadline=deadline, hmax=hmax, clock=clock,
                                       counts=counts)
        return idx, t, status, steps, counts
    key = ("rotated", tuple(r))
    if key not in _STATE:
        _STATE[key] = rotated_tensor(_STATE["Tn"], r)
    Tr = _STATE[key]
    x, status, steps = track_paths(Tr, rotated_start(S, r, Tr.shape[1:]), to_rotated(starts, r), deadline=deadline,
                                   hmax=hmax, clock=clock, counts=counts)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = from_rotated(x, r)
    return idx, t, status, steps, counts


class _Boxes:
    """The certified, pairwise-disjoint polydiscs found so far (with the path that found each)."""

    def __init__(self, p: int):
        self.mid = np.zeros((0, p), dtype=complex)
        self.rad = np.zeros(0)
        self.chart = np.zeros((0, p), dtype=bool)
        self.path = np.zeros(0, dtype=int)
        self.tmid = np.zeros((0, p), dtype=complex)
        self.trad = np.zeros(0)
        self.keys: dict = {}

    def __len__(self):
        return len(self.rad)

    @staticmethod
    def _key(m, scale):
        return int(np.round(m[0].real / scale)), int(np.round(m[0].imag / scale))

    def add(self, mid, rad, chart, path) -> np.ndarray:
        """Insert boxes (chart coordinates) not holding an already listed solution; mask of the inserted ones.

        Duplicates are found on approximate ``t`` coordinates (a heuristic: the final check is
        :func:`~qnnsym.exact.krawczyk.disjoint` on certified discs).
        """
        new = np.zeros(len(rad), dtype=bool)
        add_m, add_r, add_p, add_c = [], [], [], []
        tmid, trad = t_discs(mid, rad, chart)
        trad = trad.max(axis=1) if len(rad) else rad
        for i in range(len(rad)):
            k, listed = self._listed(tmid[i], trad[i], add_m, add_r)
            if listed:
                continue
            j = len(self.tmid) + len(add_r)
            self.keys.setdefault(k, []).append(j)
            add_m.append(tmid[i])
            add_r.append(trad[i])
            add_p.append(path[i])
            add_c.append(i)
            new[i] = True
        if add_r:
            self.tmid = np.concatenate([self.tmid, np.array(add_m)])
            self.trad = np.concatenate([self.trad, np.array(add_r)])
            self.mid = np.concatenate([self.mid, mid[add_c]])
            self.rad = np.concatenate([self.rad, rad[add_c]])
            self.chart = np.concatenate([self.chart, chart[add_c]])
            self.path = np.concatenate([self.path, np.array(add_p, dtype=int)])
        return new

    def _listed(self, m, r, add_m, add_r):
        """The hash key of the ``t`` disc ``(m, r)`` and whether a listed (or pending) disc holds the same solution."""
        k = self._key(m, 1e-6 * (1 + np.abs(m).max()))
        near = (j for a in (-1, 0, 1) for b in (-1, 0, 1) for j in self.keys.get((k[0] + a, k[1] + b), ()))
        return k, any(np.abs(self.all_mid(j, add_m) - m).max() <= 1e3 * (r + self.all_rad(j, add_r)) for j in near)

    def listed(self, mid, rad, chart) -> np.ndarray:
        """Which boxes (chart coordinates) hold an already listed solution (the test of :meth:`add`)."""
        if not len(rad):
            return np.zeros(0, dtype=bool)
        tmid, trad = t_discs(mid, rad, chart)
        trad = trad.max(axis=1)
        return np.array([self._listed(tmid[i], trad[i], [], [])[1] for i in range(len(rad))], dtype=bool)

    def all_mid(self, j, pending):
        n = len(self.trad)
        return self.tmid[j] if j < n else pending[j - n]

    def all_rad(self, j, pending):
        n = len(self.trad)
        return self.trad[j] if j < n else pending[j - n]


def _certify(T, Tn, t, rel=1e-10):
    """Newton-refine endpoints in the chart ``u_j = 1/t_j`` where ``|t_j| > 1``, snap near-real ones to the
    real line, run Krawczyk: ``(mid, rad, chart, ok)`` in chart coordinates."""
    t = t.copy()
    good = np.isfinite(t).all(axis=1)
    t[~good] = 0.5
    chart = np.abs(t) > 1
    x = np.where(chart, 1 / np.where(chart, t, 1), t)
    for key in np.unique(chart, axis=0) if len(t) else []:
        sel = (chart == key).all(axis=1)
        Tc = chart_tensor(Tn, key)
        xs, _ = newton(Tc, x[sel], 2)
        near_real = np.abs(xs.imag).max(axis=1) < 1e-6
        xs[near_real] = xs[near_real].real + 0j
        xs, _ = newton(Tc, xs, 2)
        xs[near_real] = xs[near_real].real + 0j
        x[sel] = xs
    ok = np.zeros(len(t), dtype=bool)
    rad = np.full(len(t), rel)
    for f in (1.0, 1e2, 1e4):
        todo = good & ~ok & np.isfinite(x).all(axis=1)
        if not todo.any():
            break
        r = np.full(int(todo.sum()), rel * f)
        res = krawczyk_charts(T, x[todo], r, chart[todo])
        rad[np.nonzero(todo)[0][res]] = r[res]
        ok[np.nonzero(todo)[0][res]] = True
    ok &= real_kind(x, rad) != 0            # undecided realness: not usable
    return x, rad, chart, ok


def frequency_rank_deficit(loss) -> int:
    """``p − rank`` of the frequency vectors of ``loss`` (its Fourier support, :meth:`TrigPoly.fourier_support`): ``> 0`` exactly
    when ``L`` is constant along a direction of ``θ`` (an idle parameter, commuting gates on one qubit), so
    that its critical set is positive-dimensional (of dimension at least this).

    ``cos 2(φ_1 + φ_2) = cos 2φ_1 cos 2φ_2 − sin 2φ_1 sin 2φ_2`` depends on ``φ_1 + φ_2`` only; ``cos 2φ_1 cos 2φ_2``
    does not:

    >>> from qnnsym.exact.trigpoly import TrigPoly
    >>> frequency_rank_deficit(TrigPoly(2, {(2, 2): 1, (-2, -2): -1})), frequency_rank_deficit(TrigPoly(2, {(2, 2): 1}))
    (1, 0)
    """
    import flint

    keys = [list(k) for k in loss.fourier_support() if any(k)]      # complex exponents e^{i k·φ}, not the real basis
    return loss.p - (flint.fmpz_mat(keys).rank() if keys else 0)


#: bytes held per path (start point, end point, status, boxes: about six complex p-vectors)
BYTES_PER_PATH_COORD = 6 * 16
#: most bytes the paths may take (the tracker holds every path's state at once)
MAX_PATH_BYTES = 4 * 2 ** 30
#: measured core-seconds per path (whole table, 2 idle cores): 1.7 ms at p = 4 (6,144 paths, 5.2 s), 3.9 ms at
#: p = 5 (122,880 paths, 238 s): about ×2.3 per parameter (p = 6 grows faster: its jets cost ≈ ×5, docs/math.md)
SECONDS_PER_PATH_P4, GROWTH_PER_P = 1.7e-3, 2.3
#: a run estimated longer than this needs an explicit --time-limit (it then keeps what it certifies)
MAX_UNLIMITED_SECONDS = 6 * 3600


def preflight(p: int, paths: int, workers: int, time_limit: float | None) -> float:
    """Refuse a homotopy run whose paths do not fit in memory, or that would run for hours with no
    time limit; return the estimated seconds (computed in logarithms: nothing of size ``B`` is built).

    >>> round(preflight(4, 6144, 2, None))
    5
    >>> try:
    ...     preflight(7, 82575360, 2, None)
    ... except ValidationError as e:
    ...     print(e.field, "|", e.problem[:40], "|", "memory" in e.problem)
    p | estimated cost 82,575,360 homotopy paths | True
    """
    refuse_if_too_large("p", f"homotopy paths (multihomogeneous bound, {p} coordinates each)", paths,
                        MAX_PATH_BYTES // (BYTES_PER_PATH_COORD * p), bytes_per_unit=BYTES_PER_PATH_COORD * p,
                        fix="use a smaller p, or --backend msolve/sympy where they reach")
    log_s = math.log(paths) + math.log(SECONDS_PER_PATH_P4) + (p - 4) * math.log(GROWTH_PER_P) - math.log(workers)
    seconds = math.exp(min(log_s, 700))
    if time_limit is None and seconds > MAX_UNLIMITED_SECONDS:
        raise ValidationError("--time-limit", f"none given, and the homotopy is estimated at ≈ {seconds / 3600:.3g} h "
                              f"({paths:,} paths on {workers} process(es))",
                              expected=f"a run under {MAX_UNLIMITED_SECONDS // 3600} h, or an explicit time limit",
                              fix="give --time-limit S (what is certified by then is kept), or use a smaller p")
    return seconds


def solve_homotopy(system, budget: Budget, workers: int | None = None, seed: int = 0, attempts: int = 5,
                   progress: bool = False, max_paths: int | None = None, executor: str | Executor = "local",
                   scheduler: str | None = None, checkpoint=None, resume: bool = False,
                   batch: int | None = None) -> SolveResult:
    """Certified homotopy solve of one block's critical system (see the module docstring).

    Parameters
    ----------
    system : CriticalSystem
    budget : Budget
        Time limit: when it runs out, what is certified is kept and the result says
        ``incomplete: N of B certified``.
    workers : int, optional
        ``local``: worker processes (default :func:`default_workers`; 1 = in-process); ``dask`` without
        a scheduler: workers of the ``LocalCluster`` (default 2).
    seed : int
        Seed of the start system and of every ``γ`` (reproducible).
    attempts : int
        Rounds of re-tracking for unresolved paths.
    max_paths : int, optional
        Track only this many paths (a starved run, for tests: never complete).
    executor : {"local", "dask"} or Executor
        Where the batches run (:func:`qnnsym.executor.get_executor`; an :class:`~qnnsym.executor.Executor`
        is used as it is and left open).  The tensors and the start system reach each worker once.
    scheduler : str, optional
        ``dask``: the scheduler's address (``tcp://HOST:8786``); none: a ``LocalCluster`` on this machine.
    checkpoint : path, optional
        Folder of per-batch checkpoints (:mod:`.homotopy_checkpoint`): every finished batch is stored
        at once, so an interruption loses only the batches in flight.
    resume : bool
        Continue the run stored in ``checkpoint`` (same system, seed and batch size, else refused):
        its finished batches are replayed, not tracked.
    batch : int, optional
        Paths per batch (the unit of work; default :func:`default_batch` of the path count).
    """
    p = system.p
    t_start = time.perf_counter()
    bounds = system.bounds()
    B = bounds["multihomogeneous"]
    if resume and checkpoint is None:
        raise ValidationError("--resume", "needs a checkpoint folder", fix="add --checkpoint DIR (the folder of the run)")
    batch = default_batch(B) if batch is None else as_int(batch, "batch", lo=1)
    if not isinstance(executor, Executor) and (executor or "local") == "local":
        workers = default_workers() if workers is None else check_workers(workers)
    with contextlib.ExitStack() as stack:
        ex = get_executor(executor, scheduler, workers)
        if ex is not executor:
            stack.callback(ex.close)
        identity = {"system_sha256": system_digest(system.loss), "p": p, "bound": B, "seed": seed, "batch": batch,
                    "max_paths": max_paths}
        ck = stack.enter_context(open_checkpoint(checkpoint, identity, resume)) if checkpoint is not None else None
        return _solve(system, budget, ex, ck, stack, seed, attempts, progress, max_paths, batch, B, bounds, t_start)


def _solve(system, budget: Budget, ex: Executor, ck, stack: contextlib.ExitStack, seed: int, attempts: int,
           progress: bool, max_paths: int | None, batch: int, B: int, bounds: dict, t_start: float) -> SolveResult:
    """:func:`solve_homotopy` on an open executor and checkpoint (None: no checkpoint); ``stack`` holds
    what the run opens (the workers' shared state)."""
    p = system.p
    workers = ex.workers
    preflight(p, B if max_paths is None else min(B, max_paths), workers, budget.limit)
    res = SolveResult(p=p, omega=system.omega, form="tan", backend="homotopy", engine_version=engine_version(),
                      certification="numeric", dimension=0, n_complex=None, bounds=bounds, system=system)
    flat = frequency_rank_deficit(system.loss)
    if flat:
        # L = L̃(Aθ) with rank A = p − flat: every critical point lies on a (p − rank)-dimensional coset of
        # critical points (a minimum exists, so the set is not empty); the paths would end on it, singular
        res.dimension = flat
        zero = [l for l, g in enumerate(system.gradient) if not g]
        why = (f"g_{zero[0] + 1} ≡ 0: L does not depend on θ_{zero[0] + 1}" if zero else
               f"the frequency vectors of L span only {p - flat} of {p} dimensions (L is constant along "
               "a direction of θ, e.g. two commuting gates)")
        res.notes.append(f"{why}; the critical set is positive-dimensional (dimension ≥ {flat}), not a finite list")
        return res
    with budget.step("tan form"):
        tens, d = tan_system(system.gradient, p, ROTATION)
        T = float_tensor(tens)
        Tn = T / np.abs(T).reshape(p, -1).max(axis=1).reshape((p,) + (1,) * p)
        # tracking evaluates the system through the loss alone when that is the same system (dense case)
        D = list(system.loss.degrees())
        target = gradient_target(float_tensor([tan_tensor(system.loss.cs_terms(), p, D, ROTATION)])[0], D, Tn)
        target = Tn if target is None else target
        S = start_system(2 * np.array(d), seed=seed)
        starts = S.solutions()
    n_paths = len(starts)
    if n_paths != B:            # perm(2d) start solutions by construction; never track a wrong number
        raise RuntimeError(f"start system has {n_paths} solutions, the bound is {B}")
    todo_idx = np.arange(n_paths if max_paths is None else min(max_paths, n_paths))
    boxes = _Boxes(p)
    rng = np.random.default_rng(seed + 1)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=B, desc=f"homotopy p={p}: certified", unit="sol", file=sys.stderr, leave=False)
    stats = {"paths": n_paths, "tracked": 0, "failed": 0, "diverged": 0, "rounds": 0, "workers": workers,
             "executor": ex.describe(), "batches_tracked": 0, "batches_resumed": 0,
             "steps_mean": 0.0, "evals_mean": 0.0, "jets_mean": 0.0, "counted": 0, "round_log": [], "unresolved": 0,
             "unresolved_paths": []}
    interrupted = timed_out = False
    shared = None
    try:
        # the per-worker state, once per worker (a forked process inherits it; a Dask worker gets one copy)
        shared = stack.enter_context(ex.shared((uuid.uuid4().hex, (target, Tn, S), (T, Tn))))
        gamma, hmax, rot = None, HMAX[0], None
        for rnd in range(attempts + 1):
            stored = ck.round(rnd) if ck is not None else None
            if stored is not None:          # a resumed run: this round's paths and homotopy as it stored them
                todo_idx, gamma, hmax, rot = stored
            if not len(todo_idx) or len(boxes) >= B:
                break
            rem = budget.remaining()
            if rem is not None and rem <= 0:
                timed_out = True
                break
            deadline, clock = (None, budget.clock) if rem is None else (budget.clock() + rem, budget.clock)
            if rem is not None and ex.name == "dask" and clock is time.perf_counter:
                deadline, clock = time.time() + rem, time.time      # another machine's perf_counter has another origin
            stats["rounds"] += 1
            if ck is not None and stored is None:
                ck.start_round(rnd, todo_idx, gamma, hmax, rot)
            batches = [(todo_idx[i:i + batch], starts[todo_idx[i:i + batch]], gamma, hmax, deadline, clock, rot)
                       for i in range(0, len(todo_idx), batch)]
            done = ck.finished(rnd, [b[0] for b in batches]) if ck is not None else {}
            stats["batches_resumed"] += len(done)
            left_b = [b for b in range(len(batches)) if b not in done]
            unresolved = []
            # no alarm here: the tracker stops at the deadline itself and returns its finished paths
            t_track = time.perf_counter()
            with contextlib.closing(ex.imap_unordered(_track_on_worker, [batches[b] for b in left_b],
                                                      shared=shared)) as tracked:
                for b, ((idx, t, status, steps, *counts), cert) in _replayed_then_tracked(done, left_b, tracked):
                    if b not in done:
                        stats["batches_tracked"] += 1
                        # a batch cut by the time limit is not stored: a resumed run tracks it again
                        if ck is not None and (rem is None or budget.remaining() > 0):
                            ck.save_batch(rnd, b, (idx, t, status, steps), cert)
                    stats["tracked"] += len(idx)
                    stats["steps_mean"] += float(steps.sum())
                    if counts:          # evaluations per path (a batch read back from a checkpoint has none)
                        stats["counted"] += len(idx)
                        stats["jets_mean"] += float(counts[0]["jets"].sum())
                        stats["evals_mean"] += float(counts[0]["jets"].sum() + counts[0]["values"].sum())
                    stats["failed"] += int((status == 1).sum())
                    stats["diverged"] += int((status == 2).sum())
                    fin = status == 0
                    mid, rad, chart, ok = cert
                    cand = np.nonzero(fin)[0][ok]
                    inserted = boxes.add(mid[ok], rad[ok], chart[ok], idx[cand])
                    # an endpoint at an already listed solution: a box found only as a conjugate is claimed
                    # by the path; otherwise two paths share one endpoint (path jumping) and both are re-tracked
                    unresolved += list(idx[~fin]) + list(idx[np.nonzero(fin)[0][~ok]])
                    for path, j in zip(idx[cand[~inserted]], _owners(boxes, t[fin][ok][~inserted])):
                        if boxes.path[j] < 0:
                            boxes.path[j] = path
                        elif boxes.path[j] != path:
                            unresolved += [int(path), int(boxes.path[j])]
                    if bar is not None:
                        bar.n = min(len(boxes), B)
                        bar.refresh()
            budget.timings["track + certify"] = budget.timings.get("track + certify", 0.0) + time.perf_counter() - t_track
            _add_conjugates(T, boxes)
            left = np.unique(np.array(unresolved, dtype=int))
            stats["unresolved"] = len(left)
            stats["unresolved_paths"] = [int(i) for i in left[:1000]]     # the first 1000
            stats["round_log"].append({"paths": int(len(todo_idx)), "hmax": hmax, "new_gamma": gamma is not None,
                                       "rotated": rot is not None, "certified": len(boxes),
                                       "unresolved": len(left)})
            if bar is not None:
                bar.n = min(len(boxes), B)
                bar.refresh()
            if max_paths is not None:
                break
            todo_idx = left
            # next round: the same γ with tighter steps, in new rotated coordinates (angles shifted by
            # π/8…3π/8, so that no angle keeps its ill-conditioned neighbourhood of π/2); paths of one
            # homotopy end at distinct solutions, so re-tracking the jumping pair finds the missing one.
            # When steps are tight: a new γ for *every* path (a new homotopy, in the t chart: its paths
            # again end at all solutions)
            if rnd + 1 < len(HMAX):
                hmax, rot = HMAX[rnd + 1], np.tan(np.pi * (0.125 + 0.25 * rng.random(p)))
            else:
                gamma, hmax, rot = complex(np.exp(2j * np.pi * rng.random())), HMAX[1], None
                todo_idx = np.arange(n_paths)
                boxes.path[:] = -1          # paths of the old homotopy own nothing in the new one
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if bar is not None:
            bar.close()
    # final, authoritative checks of the box list (the same tests the checker runs), in batches on the workers
    t_final = time.perf_counter()          # not under the budget's alarm: this step decides what is kept
    ok = _reprove(ex, None if interrupted else shared, T, boxes, batch)
    keep = ok & (real_kind(boxes.mid, boxes.rad) != 0)
    mid, rad, chart = boxes.mid[keep], boxes.rad[keep], boxes.chart[keep]
    dis, pair = disjoint(*t_discs(mid, rad, chart))
    while not dis:              # overlapping certified boxes hold the same solution: keep one
        mask = np.ones(len(rad), dtype=bool)
        mask[pair[1]] = False
        mid, rad, chart = mid[mask], rad[mask], chart[mask]
        dis, pair = disjoint(*t_discs(mid, rad, chart))
    budget.timings["final certification"] = time.perf_counter() - t_final
    stats["steps_mean"] = round(stats["steps_mean"] / max(1, stats["tracked"]), 1)       # per tracked path
    counted = max(1, stats.pop("counted"))      # paths tracked in this run (not read back from a checkpoint)
    stats["evals_mean"] = round(stats["evals_mean"] / counted, 1)
    stats["jets_mean"] = round(stats["jets_mean"] / counted, 1)
    n = len(rad)
    kinds = real_kind(mid, rad)
    tc, tr = t_discs(mid, rad, chart)
    at_conic_infinity = int(((np.abs(tc - 1j) <= tr * 2) | (np.abs(tc + 1j) <= tr * 2)).any(axis=1).sum())
    complete = n == B and B > 0 and at_conic_infinity == 0 and not interrupted
    res.n_complex = n - at_conic_infinity if complete else None
    res.complete = complete
    order = np.lexsort(tc.real.T[::-1]) if n else np.zeros(0, dtype=int)
    mid, rad, kinds, chart = mid[order], rad[order], kinds[order], chart[order]
    real_idx = np.nonzero(kinds == 1)[0]
    res.real_points = [BoxPoint(p, tuple(system.omega), tuple(float(x) for x in mid[i].real), float(rad[i]), ROTATION,
                                tuple(tens), int(i), tuple(bool(c) for c in chart[i])) for i in real_idx]
    res.boxes = {"mid": mid, "radius": rad, "chart": chart, "rotation": ROTATION, "degree_matrix": d, "bound": B,
                 "n_certified": n, "n_real": len(real_idx), "stats": stats, "seed": seed}
    res.timings = dict(budget.timings)
    res.timings["total"] = time.perf_counter() - t_start
    if complete:
        res.notes.append(f"homotopy: all {B} = 2^p·perm(d) solutions certified (Krawczyk), pairwise disjoint, "
                         f"{len(real_idx)} real; count = bound, so the list is complete")
    else:
        why = ("interrupted (Ctrl-C)" if interrupted else "time limit reached" if timed_out or _spent(budget)
               else "path budget limited" if max_paths is not None else "some paths unresolved after "
               f"{stats['rounds']} rounds")
        res.notes.append(f"incomplete: {n} of {B} certified ({why}); {B - n} solutions not accounted for — the real "
                         "list may miss points")
        left = list(stats["unresolved_paths"]) if stats["rounds"] else []
        n_left = stats["unresolved"] if stats["rounds"] else 0
        if max_paths is not None and max_paths < n_paths:           # paths never tracked
            left += list(range(max_paths, min(n_paths, max_paths + 8)))
            n_left += n_paths - max_paths
        if n_left:
            shown = ", ".join(map(str, left[:8])) + (", …" if n_left > 8 else "")
            # paths and solutions are different counts: a conjugate box certifies a solution no path of its
            # own reached, so the unresolved paths can exceed the B − n unaccounted solutions; say which is which
            extra = (f"; more paths than the {B - n} unaccounted solutions: {n_left - (B - n)} solution(s) were "
                     "certified as conjugates, without a path of their own" if n_left > B - n else "")
            res.notes.append(f"unresolved paths (start solutions, 0-based): {n_left} — {shown}{extra}")
        if at_conic_infinity:
            res.notes.append(f"{at_conic_infinity} certified boxes meet t = ±i (points at infinity of the circle)")
    if ck is not None:
        res.notes.append(f"checkpoint {ck.folder}: {stats['batches_resumed']} finished batch(es) read back, "
                         f"{stats['batches_tracked']} tracked now ({ex.describe()})")
    return res


def _krawczyk_on_worker(state, args):
    """:func:`~qnnsym.exact.krawczyk.krawczyk_charts` of one batch of boxes ``(mid, rad, chart)`` against the
    exact system in the solve's per-worker ``state`` (:func:`_track_on_worker`)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return krawczyk_charts(state[2][0], *args)


def _reprove(ex: Executor, shared, T, boxes: _Boxes, batch: int) -> np.ndarray:
    """Which listed boxes the Krawczyk test proves again (the final check): in batches of ``batch`` boxes on
    the executor's workers when there are more than eight batches and the workers hold the system (``shared``),
    else in this process; the same function on the same floats either way (measured at dense ``p = 5``:
    about 0.18 ms per box, 22 s for 122,880 boxes on one core)."""
    n = len(boxes)
    if n <= 8 * batch or shared is None or ex.workers < 2:      # small: a pool costs more than it saves
        return krawczyk_charts(T, boxes.mid, boxes.rad, boxes.chart) if n else np.zeros(0, dtype=bool)
    parts = [(boxes.mid[i:i + batch], boxes.rad[i:i + batch], boxes.chart[i:i + batch]) for i in range(0, n, batch)]
    ok = np.zeros(n, dtype=bool)
    with contextlib.closing(ex.imap_unordered(_krawczyk_on_worker, parts, shared=shared)) as done:
        for i, r in done:
            ok[i * batch:i * batch + len(r)] = r
    return ok


def _replayed_then_tracked(done: dict, left: list, tracked):
    """``(b, (result, certified))`` of the batches read from a checkpoint (``done``), then of those
    tracked now (``tracked`` yields ``(i, (result, certified))`` for batch ``left[i]``, in completion
    order)."""
    for b in sorted(done):
        yield b, done[b]
    for i, r in tracked:
        yield left[i], r


def _spent(budget: Budget) -> bool:
    r = budget.remaining()
    return r is not None and r <= 0


def _owners(boxes: _Boxes, t) -> list[int]:
    """Indices of the listed boxes nearest to the given (rejected, duplicate) endpoints (max-norm over the real and
    imaginary parts, by a k-d tree: a new-γ round re-tracks every path, so each of its batches brings thousands of
    duplicates against ~10^5 listed boxes at p = 5)."""
    from scipy.spatial import cKDTree

    t = np.asarray(t, dtype=complex).reshape(-1, boxes.tmid.shape[1])
    if not len(t) or not len(boxes.tmid):
        return []
    def coords(z):                  # finite coordinates (a non-finite one is far from every listed box)
        return np.nan_to_num(np.concatenate([z.real, z.imag], axis=1), nan=1e300, posinf=1e300, neginf=-1e300)

    _, j = cKDTree(coords(boxes.tmid)).query(coords(t), p=np.inf)
    return [int(x) for x in np.atleast_1d(j)]


def _add_conjugates(T, boxes: _Boxes):
    """Conjugates of certified non-real boxes (real coefficients), re-certified, when not yet listed."""
    if not len(boxes):
        return
    nonreal = real_kind(boxes.mid, boxes.rad) == -1
    if not nonreal.any():
        return
    cm, cr, cc = boxes.mid[nonreal].conj(), boxes.rad[nonreal], boxes.chart[nonreal]
    # only conjugates not listed yet (after a complete round: almost none; proving all of them first cost
    # 0.18 ms per box, ~20 s at dense p = 5, in this process)
    new = ~boxes.listed(cm, cr, cc)
    cm, cr, cc = cm[new], cr[new], cc[new]
    ok = krawczyk_charts(T, cm, cr, cc) if len(cr) else np.zeros(0, dtype=bool)
    boxes.add(cm[ok], cr[ok], cc[ok], np.full(int(ok.sum()), -1))
