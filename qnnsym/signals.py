"""SIGTERM handled like Ctrl-C, safely across ``fork`` (a leaf utility).

Long commands (an experiment, a certified solve, a checker run) stop on SIGTERM as on Ctrl-C:
they keep and write what they have and exit with status 130.  That needs a Python-level SIGTERM
handler in the command's process, and a handler is inherited by every process it forks (pool
workers, the solver's helper process).  A forked worker must instead die at once when its pool
terminates it, and CPython drops a signal that arrives between ``fork()`` and the end of the
child's after-fork bookkeeping (``_PySignal_AfterFork`` clears pending signals): a pool that
terminated a worker it had just forked waited for it forever.  So, while the handler is
installed, every ``fork`` blocks SIGTERM in the forking thread; the child resets SIGTERM to
the default action *before* unblocking it (a signal sent meanwhile stays pending in the kernel
and then kills the child), and the parent unblocks it again.

Examples
--------
>>> import os, signal
>>> before = signal.getsignal(signal.SIGTERM)
>>> with sigterm_as_interrupt():
...     try:
...         os.kill(os.getpid(), signal.SIGTERM)
...     except KeyboardInterrupt:
...         print("interrupted")
interrupted
>>> signal.getsignal(signal.SIGTERM) is before    # restored on leaving the block
True
"""
from __future__ import annotations

import _thread
import contextlib
import os
import signal
import threading
from collections.abc import Iterator

from .stops import note

__all__ = ["sigterm_as_interrupt"]

_active = False            # our handler is installed in this process
_forking = threading.local()


def _raise_interrupt(signum, frame):
    note("interrupted")         # the command line exits with status 130 (qnnsym.stops)
    raise KeyboardInterrupt


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`KeyboardInterrupt` in this process only; SIGTERM and
    SIGINT (Ctrl-C) are noted in :mod:`qnnsym.stops` (exit status 130) wherever they are caught.

    Outside the main thread (where Python cannot install handlers) the block changes nothing.
    Forked children get the default SIGTERM action (see the module docstring).
    """
    global _active
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGTERM, _raise_interrupt)
    old_int = signal.signal(signal.SIGINT, _raise_interrupt) if signal.getsignal(signal.SIGINT) is \
        signal.default_int_handler else None
    _active = True
    try:
        yield
    finally:
        _active = False
        signal.signal(signal.SIGTERM, old)
        if old_int is not None:
            signal.signal(signal.SIGINT, old_int)


def _before_fork() -> None:
    _forking.blocked = _active
    if _active:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})


def _after_fork_in_parent() -> None:
    if getattr(_forking, "blocked", False):
        _forking.blocked = False
        # A SIGTERM that arrived while blocked would run its handler inside this callback (unblocking
        # checks signals at once), where the KeyboardInterrupt is "ignored" and the run goes on: take it
        # off the queue here and re-raise it as an interrupt of the main thread, which fires after the
        # fork returns, in the caller (pool start-up stops; exit 130).
        pending = signal.SIGTERM in signal.sigpending() and signal.sigtimedwait({signal.SIGTERM}, 0) is not None
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        if pending:
            _thread.interrupt_main(signal.SIGTERM)


def _after_fork_in_child() -> None:
    global _active
    if getattr(_forking, "blocked", False):
        _forking.blocked = False
        _active = False
        with contextlib.suppress(ValueError):   # the forking thread is the child's main thread
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                        after_in_child=_after_fork_in_child)
