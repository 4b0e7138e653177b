"""Cost of a job: its wall-clock :class:`Budget` and the size estimate checked before it starts.

Two rules, used by every verb (docs/math.md has none of this; it is the product's promise that nothing
"hangs"): a long computation runs under a :class:`Budget` (``--time-limit``, a progress bar,
``SIGALRM`` for long pure-Python steps), and a job whose *estimated* size is out of reach is refused
before it starts by :func:`refuse_if_too_large`, with the estimate in the message.
"""
from __future__ import annotations

import math
import signal
import sys
import threading
import time
from contextlib import contextmanager

from .errors import JobTooLarge, TimeBudgetExceeded

__all__ = ["power_estimate", "ESTIMATE_BITS", "Budget", "refuse_if_too_large", "format_count", "BYTES_PER_EXACT_TERM"]

#: measured memory of one exact term (a dict entry with a tuple key and a ``Fraction``), bytes
BYTES_PER_EXACT_TERM = 300


def format_count(n: int) -> str:
    """``1234567 -> '1,234,567'``; above 10^12 as a power of ten (``'≈ 1.8e19'``).

    >>> format_count(2 ** 64), format_count(4096)
    ('≈ 1.8e+19', '4,096')
    """
    if n <= 10 ** 12:
        return f"{n:,}"
    if n.bit_length() < 1000:
        return f"≈ {n:.1e}"
    return f"≈ 10^{int(n.bit_length() * math.log10(2))}"


def _bytes(n: int) -> str:
    if n >= 10 ** 15:
        return f"{format_count(n)[2:]} bytes"
    for unit, size in (("TB", 10 ** 12), ("GB", 10 ** 9), ("MB", 10 ** 6)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n / 1e3:.3g} kB"


#: estimates are computed exactly up to this many bits, and as a lower bound beyond (enough to refuse)
ESTIMATE_BITS = 4096


def power_estimate(base: int, exp: int) -> int:
    """``base ** exp`` for a size estimate, decided in logarithms first: past :data:`ESTIMATE_BITS` bits
    the lower bound ``2 ** ESTIMATE_BITS`` (``--p 10^26`` must not allocate gigabytes to learn that
    ``3^p`` is too large).

    >>> power_estimate(3, 4), power_estimate(3, 10 ** 26) == 2 ** ESTIMATE_BITS
    (81, True)
    """
    if base <= 1 or exp <= 0:
        return base ** max(exp, 0)
    if exp * math.log2(base) > ESTIMATE_BITS:
        return 2 ** ESTIMATE_BITS
    return base ** exp


def refuse_if_too_large(field: str, what: str, size: int, limit: int, fix: str,
                        bytes_per_unit: int = BYTES_PER_EXACT_TERM) -> None:
    """Raise :class:`~qnnsym.errors.JobTooLarge` when ``size > limit``, quoting the estimate.

    Examples
    --------
    >>> refuse_if_too_large("p", "Pauli terms of the observable", 2 ** 64, 2 ** 22, "use p ≤ 22")
    Traceback (most recent call last):
    ...
    qnnsym.errors.JobTooLarge: p: estimated cost ≈ 1.8e+19 Pauli terms of the observable (≈ 5.5e+21 bytes of memory), above the limit of 4,194,304 (expected a smaller job; fix: use p ≤ 22)
    """
    if size >= 2 ** ESTIMATE_BITS:        # a power_estimate lower bound
        raise JobTooLarge(field, f"estimated cost above 2^{ESTIMATE_BITS} {what}", size=size, limit=limit, fix=fix)
    if size > limit:
        raise JobTooLarge(field, f"estimated cost {format_count(size)} {what} (≈ {_bytes(size * bytes_per_unit)} of memory), "
                          f"above the limit of {limit:,}", size=size, limit=limit, fix=fix)


#: a time limit above this (about 115 days) is no limit: timers and timeouts overflow near 1e13 s
MAX_TIME_LIMIT = 1e7


class TickClock:
    """A deterministic clock for starving work by amount, not by speed: every reading advances it by ``dt``.

    Pass it as ``clock=`` to :class:`Budget`, :func:`~qnnsym.critical.solve.solve_critical` or
    :func:`~qnnsym.critical.table.critical_table`: a time limit then falls after a fixed number of
    clock readings, at the same place on a fast idle machine and on a loaded one.

    Examples
    --------
    >>> c = TickClock(0.5)
    >>> c(), c(), c.readings
    (0.5, 1.0, 2)
    """

    def __init__(self, dt: float = 1.0):
        self.t, self.dt, self.readings = 0.0, float(dt), 0

    def __call__(self) -> float:
        self.t += self.dt
        self.readings += 1
        return self.t


class Budget:
    """Wall-clock budget of one solve: steps are timed; ``check()`` raises when the budget is spent.

    ``guard()`` additionally interrupts long pure-Python steps (a sympy Gröbner basis) with
    ``SIGALRM`` when running in the main thread.  ``known`` collects what is established so far;
    it is attached to :class:`~qnnsym.errors.TimeBudgetExceeded` as ``partial``.
    """

    def __init__(self, time_limit: float | None, progress: bool = False, label: str = "solve",
                 clock=None):
        self.limit = None if time_limit is None or float(time_limit) > MAX_TIME_LIMIT else float(time_limit)
        #: the clock the limit is measured on: ``time.perf_counter``, or an injected one (a test's
        #: deterministic clock that advances per call, so that no outcome depends on the machine's speed)
        self.clock = time.perf_counter if clock is None else clock
        self.start = self.clock()
        self.timings: dict[str, float] = {}
        self.known: dict = {}
        self.bar = None
        if progress:
            from tqdm import tqdm
            self.bar = tqdm(total=None, desc=label, unit="step", file=sys.stderr, leave=False)

    def remaining(self) -> float | None:
        return None if self.limit is None else self.limit - (self.clock() - self.start)

    def check(self) -> None:
        r = self.remaining()
        if r is not None and r <= 0:
            raise TimeBudgetExceeded(self._message(), partial=dict(self.known))

    def tick(self, status: str = "") -> None:
        """One unit of progress inside a step: enforce the budget and update the bar."""
        self.check()
        if self.bar is not None:
            if status:
                self.bar.set_postfix_str(status, refresh=False)
            self.bar.update(1)

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
        use_alarm = r is not None and self.clock is time.perf_counter \
            and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
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
