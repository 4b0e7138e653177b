"""Extremal landscapes: certified records of how many local minima a p-parameter QNN loss can have.

The search space is the dense family of docs/math.md "Dense random instances": ``H_l = Z_l``,
``M = ⊗(Y + I)`` and ``m`` samples whose residuals are ``r_k = Σ_ξ W[k, ξ] χ_ξ`` with **integer**
``W[k, ξ] ∈ [−R, R]`` (realised exactly by :func:`qnnsym.critical.dense.residual_instance`).  Since
``L = χᵀ (WᵀW) χ``, every loss of every QNN with this circuit and observable is of this form with
``m = 3^p`` rational rows; integers lose nothing up to scaling once ``R`` is large.

Two modes (docs/extremal-minima.md):

* ``"minima"``: maximise the number of nondegenerate local minima;
* ``"realisable"``: labels produced by the model at ``θ* = 0`` (``y_k = f(ρ_k, 0)``), i.e. every
  residual vanishes at ``φ = 0``: ``Σ_{ξ ∈ {0,1}^p} W[k, ξ] = 0`` (the ``ξ = 0`` column is set to
  minus the others).  The global minimum is then exactly 0; maximise the number of *spurious*
  minima (loss > 0).  Any rational-trig point ``θ*`` is equivalent to ``θ* = 0`` by the rational
  rotation ``φ ↦ φ − φ*`` of each ``(c_l, s_l)``.

Proposals: random restarts of a hill climb on ``W`` (one or two entries changed per step, accepted
when the float count :func:`qnnsym.sim.dense_count.count_minima` does not drop).  Oracle: the
certified table (:func:`qnnsym.critical.critical_table`; exact engine for p ≤ 3, the certified
homotopy with ``backend="homotopy"``), and every record is written as an instance file plus a
``critical-points`` certificate.  Floats only propose: a record's count is the certified table's.
"""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..certify.proofs import INSTANCE_SUFFIX
from ..errors import QnnsymError, TimeBudgetExceeded, ValidationError
from ..model.instances import _positive_int
from ..sim.dense_count import count_minima, dense_loss_grad_hess
from .. import stops
from ..budget import power_estimate, refuse_if_too_large
from ..critical.dense import MAX_DENSE_COEFFICIENTS
from ..executor import check_workers
from ..paths import read_text
from ..validate import loads_json

__all__ = ["MODES", "STATE_FILE", "INSTANCE_SUFFIX", "minima_bounds", "morse_minima_cap", "float_score",
           "hill_climb", "certify_candidate", "search_minima", "SearchResult", "instance_from_matrix"]

MODES = ("minima", "realisable")
#: the resumable state of a search, in its ``--out`` folder
STATE_FILE = "state.json"
STATE_FORMAT = "qnnsym-extremal-search/1"
#: largest p searched (the float counter and the engines are sized for p ≤ 4)
MAX_P = 4


# --- upper bounds ---------------------------------------------------------------------------------

def morse_minima_cap(p: int, n_critical: int) -> int:
    """The most minima a Morse function on ``T^p`` with at most ``n_critical`` critical points has.

    With ``c_k`` critical points of index ``k``: ``Σ (−1)^k c_k = χ(T^p) = 0`` and ``c_k ≥ C(p, k)``
    (weak Morse inequalities, Betti numbers of ``T^p``).  So ``Σ_even c_k = Σ_odd c_k ≤ N/2`` and
    ``c_0 ≤ N/2 − Σ_{even k ≥ 2} C(p, k) = ⌊N/2⌋ − 2^{p−1} + 1`` (docs/extremal-minima.md).

    Examples
    --------
    >>> [morse_minima_cap(p, math.factorial(p) * 4 ** p) for p in (1, 2, 3, 4)]
    [2, 15, 189, 3065]
    """
    p, n = int(p), int(n_critical)
    if p < 1:
        raise ValidationError("p", f"{p}", expected="an integer ≥ 1")
    return max(n // 2 - 2 ** (p - 1) + 1, 0)


def minima_bounds(p: int) -> dict:
    """Proven upper bounds on the number of nondegenerate local minima of a two-level p-parameter loss.

    Returns
    -------
    dict
        ``theorem7`` (``(4p)^p`` critical points, Theorem 7), ``multihomogeneous`` (``p!·4^p``
        complex critical points), ``morse`` (:func:`morse_minima_cap` of ``p!·4^p``), ``best`` (the
        smallest; for ``p = 1`` the hand answer 2, which the Morse cap reaches), ``spurious``
        (``best − 1``: with realisable labels one minimum is global) and ``argument``.

    Examples
    --------
    >>> b = minima_bounds(2)
    >>> b["theorem7"], b["multihomogeneous"], b["morse"], b["best"]
    (64, 32, 15, 15)
    """
    p = _check_p(p, max_p=MAX_BOUNDS_P)
    t7 = (4 * p) ** p
    mh = math.factorial(p) * 4 ** p
    morse = morse_minima_cap(p, mh)
    best = min(t7, mh, morse)
    return {"p": p, "theorem7": t7, "multihomogeneous": mh, "morse": morse, "best": best, "spurious": best - 1,
            "argument": "Morse cap: Euler characteristic 0 and c_k ≥ C(p,k) on T^p, N ≤ p!·4^p real critical points"
                        + (" (p = 1: L is a trig polynomial of degree 2, L' has ≤ 4 zeros: ≤ 2 minima)" if p == 1 else "")}


#: most hill climbs per round, and most float scores of a run without a time limit
MAX_CHAINS, MAX_UNLIMITED_SCORES = 1000, 10 ** 6
#: largest ``--coeff-range`` (the coefficients are scored in floats, drawn as int64)
MAX_COEFF_RANGE = 10 ** 6
#: largest float working set of one score (``--starts``): 8·10^8 bytes
MAX_SCORE_FLOATS = 10 ** 8
#: the bounds of :func:`minima_bounds` are printed exactly: (4p)^p has 3,602 digits at p = 1000
MAX_BOUNDS_P = 1000


def _check_p(p, max_p: int | None = MAX_P) -> int:
    p = _positive_int(p, "--p")
    if max_p == MAX_BOUNDS_P and p > max_p:
        raise ValidationError("--p", f"{p}" if p < 10 ** 30 else f"an integer of {len(str(p))} digits",
                              expected=f"p ≤ {MAX_BOUNDS_P} (the bounds are printed exactly)")
    if max_p is not None and p > max_p:
        raise ValidationError("--p", f"{p}", expected=f"p ≤ {max_p} (the certified engines are sized for p ≤ {max_p}; "
                                                      "dense p = 4 already needs the homotopy engine)")
    return p


# --- proposals --------------------------------------------------------------------------------------

def _realisable_columns(p: int) -> np.ndarray:
    """Columns ``ξ ∈ {0,1}^p`` (``χ_ξ(0) = 1``; the others vanish at ``φ = 0``)."""
    return np.array([all(v < 2 for v in xi) for xi in itertools.product(range(3), repeat=p)])


def _project(W: np.ndarray, mode: str) -> np.ndarray:
    if mode == "realisable":
        cols = _realisable_columns(int(round(math.log(W.shape[1], 3))))
        cols[0] = False
        W[:, 0] = -W[:, cols].sum(1)
    return W


def float_score(W: np.ndarray, mode: str = "minima", starts: int = 256, seed: int = 0) -> int:
    """The float count the search maximises: minima (``"minima"``) or minima with loss > 0
    (``"realisable"``; ``-1`` when ``φ = 0`` is not a nondegenerate zero).

    Examples
    --------
    >>> W = np.array([[0.0, 0.0, 1.0], [-0.5, 0.5, 0.0]])         # Proposition 5, p = 1
    >>> float_score(W), float_score(W, "realisable")
    (2, 1)
    """
    W = np.asarray(W, dtype=float)
    res = count_minima(W, starts=starts, seed=seed)
    if mode == "minima":
        return res.n_minima
    p = res.points.shape[1]
    _, _, H = dense_loss_grad_hess(W, np.zeros((1, p)))
    scale = max(1.0, float(np.abs(W).sum(1).max()) ** 2)
    if np.linalg.eigvalsh(H[0])[0] <= 1e-7 * scale:
        return -1
    return int(np.sum(res.losses > 1e-7 * scale))


def hill_climb(p: int, m: int, coeff_range: int = 3, mode: str = "minima", steps: int = 100, starts: int = 256,
               seed=0, init=None, deadline: float | None = None) -> tuple[np.ndarray, int, int]:
    """One hill climb: ``(best integer W, its float score, scores computed)``.

    ``deadline`` (``time.time()``, valid across processes) stops the climb between two steps: the
    time limit is checked inside the loop, not only between rounds (``--steps 10^8``).

    It starts from a random ``W`` (a random restart) or from ``init`` (e.g. the current record).

    Examples
    --------
    >>> W, s, n = hill_climb(1, 4, steps=5, starts=32, seed=1)
    >>> W.shape, 0 <= s <= 2, n
    ((4, 3), True, 6)
    """
    rng = np.random.default_rng(seed)
    R = int(coeff_range)
    W = _project(rng.integers(-R, R + 1, size=(m, 3 ** p)).astype(float), mode)
    if init is not None:
        W = _project(np.array(init, dtype=float), mode)
    cseed = int(rng.integers(2 ** 31))
    s = float_score(W, mode, starts, cseed)
    best, best_s, n = W.copy(), s, 1
    free = np.arange(1 if mode == "realisable" else 0, 3 ** p)
    for _ in range(steps):
        if deadline is not None and time.time() >= deadline:
            break
        V = W.copy()
        for _k in range(1 + int(rng.random() < 0.3)):
            i, j = int(rng.integers(m)), int(rng.choice(free))
            if rng.random() < 0.5:
                V[i, j] = int(rng.integers(-R, R + 1))
            else:
                V[i, j] = float(np.clip(V[i, j] + rng.choice((-1, 1)), -R, R))
        V = _project(V, mode)
        sv = float_score(V, mode, starts, cseed)
        n += 1
        if sv >= s:
            W, s = V, sv
            if s > best_s:
                best, best_s = W.copy(), s
    return best, best_s, n


# --- the oracle ----------------------------------------------------------------------------------

def instance_from_matrix(W, mode: str = "minima", name: str | None = None):
    """The exact instance of an integer residual matrix ``W`` (``b = 0``).

    Examples
    --------
    >>> inst = instance_from_matrix(np.array([[0, 0, 1], [-1, 1, 0]]))
    >>> inst.m, inst.meta["a"][1]
    (2, {'0': '-1', '1': '1'})
    """
    W = np.asarray(W)
    p = int(round(math.log(W.shape[1], 3)))
    xis = list(itertools.product(range(3), repeat=p))
    a = [{xi: int(v) for xi, v in zip(xis, row) if v} for row in W]
    for row in a:
        row.setdefault((0,) * p, 0)
    from ..critical.dense import residual_instance

    label = name or f"extremal-{mode}(p={p})"
    desc = ("residuals r_k = Σ_ξ a_kξ χ_ξ vanishing at θ = 0 (labels y_k = f(ρ_k, 0): realisable, global minimum 0)"
            if mode == "realisable" else "residuals r_k = Σ_ξ a_kξ χ_ξ with integer a (extremal-minima search)")
    return residual_instance(a, [0] * len(a), name=label, description=desc, meta={"search_mode": mode})


def _certified_count(table, mode: str) -> int | None:
    c = table.counts
    if table.status != "complete" or table.dimension or c.get("minima") is None or c.get("degenerate"):
        return None
    if mode == "realisable":
        if table.min_loss is None or table.min_loss[1] != 0 or c.get("undecided_global"):
            return None
        return c["spurious_minima"]
    return c["minima"]


def certify_candidate(W, mode: str = "minima", backend: str = "auto", time_limit: float | None = None,
                      workers: int | None = None):
    """Solve the candidate exactly/certifiably: ``(instance, table, certified count or None)``.

    ``None`` when the table is not a complete list of nondegenerate points (or, realisable, when
    the global minimum is not certified to be exactly 0).
    """
    from ..critical.table import critical_table

    inst = instance_from_matrix(W, mode)
    table = critical_table(inst, backend=backend, time_limit=time_limit, workers=workers)
    return inst, table, _certified_count(table, mode)


# --- the search --------------------------------------------------------------------------------------

@dataclass
class SearchResult:
    """What a search found (also the content of its ``state.json``).

    Attributes
    ----------
    params : dict
        ``p, mode, seed, m, coeff_range, steps, starts, chains, backend``.
    rounds : int
        Rounds done (each: ``chains`` hill climbs, then the oracle on the best proposal).
    scored : int
        Float scores computed.
    certified : int
        Candidates sent to the certified engine.
    best : dict or None
        ``{"count", "float_score", "instance", "certificate", "round", "seconds", "certification"}``.
    history : list of dict
        One row per round: ``round, seconds, float_best, certified, best``.
    """
    params: dict
    rounds: int = 0
    scored: int = 0
    certified: int = 0
    seconds: float = 0.0
    best: dict | None = None
    history: list = field(default_factory=list)
    stopped: str = "finished"

    def to_json(self) -> dict:
        return {"format": STATE_FORMAT, "params": self.params, "rounds": self.rounds, "scored": self.scored,
                "certified": self.certified, "seconds": round(self.seconds, 3), "best": self.best,
                "history": self.history, "stopped": self.stopped}

    @classmethod
    def from_json(cls, d: dict) -> "SearchResult":
        return cls(d["params"], d["rounds"], d["scored"], d["certified"], d.get("seconds", 0.0), d.get("best"),
                   list(d.get("history", [])), d.get("stopped", "finished"))

    def summary(self) -> str:
        p, mode = self.params["p"], self.params["mode"]
        what = "spurious minima (global minimum 0)" if mode == "realisable" else "local minima"
        b = self.best
        head = (f"p = {p}: best certified {b['count']} {what} ({b['certification']}; instance {b['instance']}, "
                f"certificate {b['certificate']})" if b else f"p = {p}: no certified record yet")
        return (f"{head}\n{self.rounds} rounds, {self.scored} float scores, {self.certified} candidates certified, "
                f"{self.seconds:.1f} s ({self.stopped}); upper bound {minima_bounds(p)['best'] - (mode == 'realisable')}"
                + (" (Morse cap − 1: one minimum is global)" if mode == "realisable" else ""))


def _chain(spec):
    p, m, R, mode, steps, starts, seed, init, deadline = spec
    W, s, n = hill_climb(p, m, R, mode, steps, starts, seed, init, deadline)
    return W.astype(int).tolist(), s, n


def search_minima(p: int, mode: str = "minima", seed: int = 0, m: int | None = None, coeff_range: int = 3,
                  rounds: int | None = None, steps: int | None = None, starts: int | None = None, chains: int = 2,
                  backend: str = "auto", out: str | Path | None = None, resume: bool = False,
                  time_limit: float | None = None, workers: int = 2, progress: bool = False) -> SearchResult:
    """Search for instances with many certified local minima (or spurious minima, ``mode="realisable"``).

    Parameters
    ----------
    p : int
        Number of parameters, 1 ≤ p ≤ 4.
    mode : {"minima", "realisable"}
    seed : int
        Round ``r``'s chain ``c`` draws from ``default_rng([seed, r, c])``: a search is reproducible
        and a resumed one continues the same sequence.
    m, coeff_range : int
        Samples (default ``2p + 2``) and the integer range ``[−R, R]`` of the residual coefficients.
    rounds : int, optional
        Stop after this many rounds (default: until ``time_limit``; one round without either).
    steps, starts : int, optional
        Hill-climb steps per chain and float starts per score (defaults by p).
    chains : int
        Hill climbs per round (run in parallel over ``workers`` processes).
    backend : str
        The oracle's engine (``critical_table``): ``auto`` (exact for p ≤ 3), ``homotopy`` for p = 4.
    out : path, optional
        Folder for ``state.json`` and each record's ``*.instance.json`` + certificate ``*.json``.
    resume : bool
        Continue the search in ``out`` (same parameters required).
    time_limit : float, optional
        Seconds for the whole run (the state is saved; resume continues).
    workers : int
    progress : bool

    Returns
    -------
    SearchResult

    Examples
    --------
    >>> res = search_minima(1, rounds=1, steps=5, starts=32, chains=1, workers=1)
    >>> res.best["count"], res.certified
    (2, 1)
    """
    from tqdm import tqdm

    from ..executor import LocalExecutor

    p = _check_p(p)
    if mode not in MODES:
        raise ValidationError("--mode", f"{mode!r}", expected="one of " + ", ".join(MODES))
    m = 2 * p + 2 if m is None else int(m)
    for name, v, lo in (("--m", m, 1), ("--coeff-range", coeff_range, 1), ("--chains", chains, 1),
                        ("--workers", workers, 1)):
        if int(v) < lo:
            raise ValidationError(name, f"{v}", expected=f"an integer ≥ {lo}")
    if rounds is not None and int(rounds) < 1:
        raise ValidationError("--rounds", f"{rounds}", expected="an integer ≥ 1")
    if time_limit is not None and not time_limit > 0:
        raise ValidationError("--time-limit", f"{time_limit!r}", expected="a positive number of seconds")
    steps = {1: 20, 2: 150, 3: 120, 4: 40}[p] if steps is None else int(steps)
    starts = {1: 32, 2: 256, 3: 512, 4: 768}[p] if starts is None else int(starts)
    if steps < 0 or starts < 1:
        raise ValidationError("--steps/--starts", f"{steps}/{starts}", expected="steps ≥ 0 and starts ≥ 1")
    if int(coeff_range) > MAX_COEFF_RANGE:
        raise ValidationError("--coeff-range", f"{coeff_range}" if int(coeff_range) < 10 ** 30 else "a huge integer",
                              expected=f"R ≤ {MAX_COEFF_RANGE:,} (integer coefficients of float scores)")
    refuse_if_too_large("--m", f"residual coefficients (m·3^p with p = {p})", m * power_estimate(3, p),
                        MAX_DENSE_COEFFICIENTS, fix="use a smaller --m")
    refuse_if_too_large("--starts", f"float numbers per score (4·starts·p² with p = {p})", 4 * starts * p * p,
                        MAX_SCORE_FLOATS, bytes_per_unit=8, fix="use a smaller --starts")
    workers = check_workers(workers)
    if int(chains) > MAX_CHAINS:
        raise ValidationError("--chains", f"{chains}" if int(chains) < 10 ** 30 else "a huge number",
                              expected=f"at most {MAX_CHAINS} hill climbs per round")
    if time_limit is None and (rounds or 1) * int(chains) * (steps + 1) > MAX_UNLIMITED_SCORES:
        raise ValidationError("--rounds/--steps", f"{(rounds or 1) * int(chains) * (steps + 1):,} float scores"
                              if (rounds or 1) * int(chains) * (steps + 1) < 10 ** 30 else "a huge number of scores",
                              expected=f"at most {MAX_UNLIMITED_SCORES:,} scores without a time limit",
                              fix="give --time-limit S (the state is saved; --resume continues)")
    params = {"p": p, "mode": mode, "seed": int(seed), "m": m, "coeff_range": int(coeff_range), "steps": steps,
              "starts": starts, "chains": int(chains), "backend": backend}
    outdir = Path(out) if out is not None else None
    from ..paths import run_lock

    with run_lock(outdir, "--out") if outdir is not None else contextlib.nullcontext():   # one run per folder
        res = SearchResult(params)
        if resume:
            if outdir is None or not (outdir / STATE_FILE).is_file():
                raise ValidationError("--resume", f"no {STATE_FILE} in {outdir}", expected="the --out folder of an earlier search")
            try:
                old = SearchResult.from_json(loads_json(read_text(outdir / STATE_FILE, "--resume"), f"--resume {outdir / STATE_FILE}"))
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
                raise ValidationError("--resume", f"{outdir / STATE_FILE} is not a search state ({e})",
                                      expected=f"a {STATE_FORMAT} file") from None
            diff = sorted(k for k in params if k != "backend" and old.params.get(k) != params[k])
            if diff:
                raise ValidationError("--resume", f"the state in {outdir} was made with other parameters ({', '.join(diff)})",
                                      expected="the same --p/--mode/--seed/--m/--coeff-range/--steps/--starts/--chains, "
                                               "or a new --out folder")
            res = old
            res.stopped = "finished"
        if rounds is None and time_limit is None:
            rounds = 1
        t0 = time.perf_counter() - res.seconds
        deadline = None if time_limit is None else time.perf_counter() + time_limit
        target = None if rounds is None else res.rounds + int(rounds)
        bar = tqdm(total=target, initial=res.rounds, desc=f"search {mode} p={p}", unit="round", disable=not progress,
                   leave=False)
        ex = LocalExecutor(min(workers, chains))
        try:
            while target is None or res.rounds < target:
                if deadline is not None and time.perf_counter() >= deadline:
                    res.stopped = "time limit"
                    break
                r = res.rounds
                # even chains: random restarts; odd chains: continue climbing from the current record
                init = res.best.get("W") if res.best else None
                wall = None if deadline is None else time.time() + (deadline - time.perf_counter())
                specs = [(p, m, int(coeff_range), mode, steps, starts, [int(seed), r, c], init if c % 2 else None,
                          wall) for c in range(chains)]
                got = ex.map(_chain, specs)
                res.scored += sum(g[2] for g in got)
                Wl, s, _ = max(got, key=lambda g: g[1])
                W = np.array(Wl)
                s = float_score(W, mode, 4 * starts, seed=r)       # re-count with more starts
                row = {"round": r, "float_best": s, "certified": None}
                best_count = res.best["count"] if res.best else -1
                if s > best_count or res.best is None:
                    left = None if deadline is None else max(deadline - time.perf_counter(), 1.0)
                    tc = time.perf_counter()
                    try:
                        inst, table, count = certify_candidate(W, mode, backend, left, workers)
                    except TimeBudgetExceeded:
                        stops.forget("time limit")   # the search's limit is its budget: its records stand
                        res.stopped = "time limit"
                        break
                    if table.status in ("timed out", "interrupted"):     # a partial table proves nothing: redo on resume
                        stops.forget("time limit")
                        res.stopped = "time limit" if table.status == "timed out" else "interrupted"
                        break
                    res.certified += 1
                    row["certified"] = count
                    row["certify_seconds"] = round(time.perf_counter() - tc, 2)
                    if count is not None and count > best_count:
                        res.best = _record(inst, table, count, s, r, time.perf_counter() - t0, outdir, params)
                res.rounds += 1
                res.seconds = time.perf_counter() - t0
                row["seconds"] = round(res.seconds, 2)
                row["best"] = res.best["count"] if res.best else None
                res.history.append(row)
                _save(res, outdir)
                bar.update(1)
                bar.set_postfix(float=s, best=row["best"])
        except KeyboardInterrupt:
            res.stopped = "interrupted"
        finally:
            bar.close()
            ex.close()
        res.seconds = time.perf_counter() - t0
        _save(res, outdir)
        return res


def _record(inst, table, count, s, r, seconds, outdir, params) -> dict:
    from ..certify.certificate import critical_certificate, write_json
    from ..model.instances import dump_instance

    p, mode = params["p"], params["mode"]
    stem = f"{'spurious' if mode == 'realisable' else 'minima'}-p{p}-{count}"
    rec = {"count": count, "float_score": s, "round": r, "seconds": round(seconds, 2),
           "certification": table.certification, "counts": {k: v for k, v in table.counts.items() if k != "by_index"},
           "n_real": table.n_real, "n_complex": table.n_complex, "instance": None, "certificate": None}
    if outdir is not None:
        outdir.mkdir(parents=True, exist_ok=True)
        ipath = outdir / (stem + INSTANCE_SUFFIX)
        dump_instance(inst, ipath)
        try:
            cert = critical_certificate(inst, table=table)
        except QnnsymError as e:          # a table the writer cannot certify: keep the instance, say why
            rec["certificate_error"] = str(e)
        else:
            write_json(cert, outdir / (stem + ".json"))
            rec["certificate"] = stem + ".json"
        rec["instance"] = ipath.name
    rec["W"] = np.asarray(W_of(inst, p)).astype(int).tolist()
    rec["digest"] = hashlib.sha256(dump_instance(inst).encode()).hexdigest()[:16]
    return rec


def W_of(inst, p: int) -> list:
    """The integer residual matrix of an instance made by :func:`instance_from_matrix` (from its meta)."""
    xis = ["".join(map(str, xi)) for xi in itertools.product(range(3), repeat=p)]
    return [[int(Fraction(row.get(x, "0"))) for x in xis] for row in inst.meta["a"]]


def _save(res: SearchResult, outdir: Path | None) -> None:
    if outdir is None:
        return
    from ..paths import write_text

    outdir.mkdir(parents=True, exist_ok=True)
    write_text(outdir / STATE_FILE, json.dumps(res.to_json(), indent=1), "--out")
