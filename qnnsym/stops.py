"""Why a run stopped early: the record behind the exit-status rule of every verb (a leaf utility).

One rule for the whole command line (docs/cli-conventions.md): an **interrupt** (Ctrl-C, SIGTERM)
exits with status **130**, a **time limit** with status **3**, whatever the verb, and what was
computed is kept and marked partial.  Library code may catch an interrupt or a time limit to
return what it has (a partial table, the finished cells of a sweep); it need not report it: the
signal handler (:mod:`qnnsym.signals`) and :class:`~qnnsym.errors.TimeBudgetExceeded` note the
stop here, and the command line reads the note when the verb returns.

Examples
--------
>>> reset()
>>> note("time limit"); stopped()
'time limit'
>>> note("interrupted"); stopped()        # an interrupt outranks a time limit
'interrupted'
>>> reset(); stopped() is None
True
"""
from __future__ import annotations

__all__ = ["note", "stopped", "reset", "forget", "EXIT_STATUS"]

#: exit status of each reason
EXIT_STATUS = {"interrupted": 130, "time limit": 3}
_noted: set[str] = set()


def note(reason: str) -> None:
    """Record that the current run stopped early (``"interrupted"`` or ``"time limit"``)."""
    _noted.add(reason)


def forget(reason: str) -> None:
    """Drop a noted reason (a caller for which the limit is a budget, not a cut: ``search minima``)."""
    _noted.discard(reason)


def stopped() -> str | None:
    """The strongest reason noted since :func:`reset` (an interrupt before a time limit), or ``None``."""
    return next((r for r in EXIT_STATUS if r in _noted), None)


def reset() -> None:
    _noted.clear()
