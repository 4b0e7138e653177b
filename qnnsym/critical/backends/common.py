"""Helpers shared by the solving backends: time budget, progress, checks of a parametrization."""
from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
import time
from contextlib import contextmanager
from typing import Sequence

import flint

from ...errors import TimeBudgetExceeded
from ..points import substitute_rur

__all__ = ["Budget", "Worker", "verify_parametrization", "krull_dimension"]


class Budget:
    """Wall-clock budget of one solve: steps are timed; ``check()`` raises when the budget is spent.

    ``guard()`` additionally interrupts long pure-Python steps (a sympy Gröbner basis) with
    ``SIGALRM`` when running in the main thread.  ``known`` collects what is established so far;
    it is attached to :class:`~qnnsym.errors.TimeBudgetExceeded` as ``partial``.
    """

    def __init__(self, time_limit: float | None, progress: bool = False, label: str = "solve"):
        self.limit = None if time_limit is None else float(time_limit)
        self.start = time.perf_counter()
        self.timings: dict[str, float] = {}
        self.known: dict = {}
        self.bar = None
        if progress:
            from tqdm import tqdm
            self.bar = tqdm(total=None, desc=label, unit="step", file=sys.stderr, leave=False)

    def remaining(self) -> float | None:
        return None if self.limit is None else self.limit - (time.perf_counter() - self.start)

    def check(self) -> None:
        r = self.remaining()
        if r is not None and r <= 0:
            raise TimeBudgetExceeded(self._message(), partial=dict(self.known))

    def _message(self) -> str:
        done = ", ".join(f"{k} ({v:.2f} s)" for k, v in self.timings.items()) or "nothing"
        return f"time limit of {self.limit:g} s exceeded; finished steps: {done}; known: {self.known or 'nothing'}"

    @contextmanager
    def step(self, name: str):
        """Time a step, report progress, enforce the budget (SIGALRM for pure-Python work)."""
        self.check()
        if self.bar is not None:
            self.bar.set_postfix_str(name)
        t0 = time.perf_counter()
        r = self.remaining()
        use_alarm = r is not None and threading.current_thread() is threading.main_thread() \
            and hasattr(signal, "setitimer")
        if use_alarm:
            def on_alarm(signum, frame):
                raise TimeBudgetExceeded(self._message() + f"; interrupted during {name!r}", partial=dict(self.known))
            old = signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, max(r, 1e-3))
        try:
            yield
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0
            if self.bar is not None:
                self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _worker_main(conn, fn, args):
    try:
        conn.send((True, fn(*args)))
    except BaseException as e:  # reported to the parent, which re-raises
        conn.send((False, repr(e)))
    finally:
        conn.close()


class Worker:
    """Run ``fn(*args)`` in a forked process (uses the second core while the parent verifies).

    ``result(budget)`` waits within the budget; on timeout or interrupt the process is terminated.
    Falls back to running in-process where ``fork`` is unavailable.
    """

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args
        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:
            self.proc = None
            return
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_worker_main, args=(child, fn, args), daemon=True)
        self.proc.start()
        child.close()

    def close(self) -> None:
        """Terminate the worker (no-op when it has finished or never started)."""
        if self.proc is not None and self.proc.is_alive():
            self.proc.terminate()
            self.proc.join()

    def result(self, budget: "Budget"):
        if self.proc is None:
            return self.fn(*self.args)
        try:
            r = budget.remaining()
            if not self.conn.poll(None if r is None else max(r, 0.0)):
                raise TimeBudgetExceeded(budget._message() + f"; stopped {self.fn.__name__}", partial=dict(budget.known))
            ok, value = self.conn.recv()
        finally:
            self.close()
        if not ok:
            raise RuntimeError(f"{self.fn.__name__} failed in the worker process: {value}")
        return value


def verify_parametrization(equations, p: int, q: flint.fmpq_poly, numerators, denominator=None,
                           linear_form: Sequence[int] | None = None) -> tuple[bool, bool]:
    """Exact checks of a RUR: ``(every equation vanishes mod q, the linear form is separating)``.

    The first says that every root of ``q`` gives a solution; the second (``Σ λ_i x_i(u) ≡ ±u``) that
    distinct roots give distinct solutions, so the number of distinct solutions is ``≥ deg q``.
    """
    ok = all(substitute_rur(eq, p, q, numerators, denominator)[0].is_zero() for eq in equations)
    sep = False
    if linear_form is not None and len(linear_form) == 2 * p:
        D = denominator if denominator is not None else flint.fmpq_poly([1])
        lin = flint.fmpq_poly([])
        for lam, n in zip(linear_form, numerators):
            lin += n * int(lam)
        uD = flint.fmpq_poly([0, 1]) * D
        sep = ((lin - uD) % q).is_zero() or ((lin + uD) % q).is_zero()   # u = ±Σ λ_i x_i (msolve's sign)
    return ok, sep


def krull_dimension(leading_monomials: Sequence[Sequence[int]], nvars: int) -> int:
    """Krull dimension of ``k[x]/I`` from the leading monomials of a Gröbner basis of ``I``.

    = the largest size of a set ``S`` of variables such that no leading monomial involves only
    variables of ``S``; ``-1`` for the unit ideal.

    >>> krull_dimension([(2, 0), (0, 2)], 2), krull_dimension([(1, 1)], 2), krull_dimension([(0, 0)], 2)
    (0, 1, -1)
    """
    supports = [frozenset(i for i, e in enumerate(m) if e) for m in leading_monomials]
    if any(not s for s in supports):
        return -1
    best = 0
    for mask in range(1 << nvars):
        size = bin(mask).count("1")
        if size <= best:
            continue
        S = {i for i in range(nvars) if mask >> i & 1}
        if not any(s <= S for s in supports):
            best = size
    return best
