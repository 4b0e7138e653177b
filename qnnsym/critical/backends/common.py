"""Helpers shared by the solving backends: time budget, progress, checks of a parametrization."""
from __future__ import annotations

import multiprocessing
import os
from typing import Sequence

import flint

from ...budget import Budget
from ...errors import TimeBudgetExceeded
from ..points import substitute_rur

__all__ = ["Budget", "HIDE_ENV", "Worker", "hidden_backends", "verify_parametrization", "krull_dimension"]

#: environment variable naming installed engines to hide (comma-separated): ``QNNSYM_HIDE_BACKENDS=msolve``
#: makes every caller (``auto``, ``available_backends``, ``qnnsym doctor``) behave as on a machine without msolve
HIDE_ENV = "QNNSYM_HIDE_BACKENDS"


def hidden_backends() -> frozenset[str]:
    """Engines hidden by ``$QNNSYM_HIDE_BACKENDS`` (comma-separated names).

    >>> os.environ[HIDE_ENV] = "msolve, x"; sorted(hidden_backends())
    ['msolve', 'x']
    >>> del os.environ[HIDE_ENV]; hidden_backends()
    frozenset()
    """
    return frozenset(s.strip() for s in os.environ.get(HIDE_ENV, "").split(",") if s.strip())


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
