"""Executors for embarrassingly parallel work: this machine's processes, or a Dask cluster.

The Theorem-6 study (one task per ``(d, p)`` cell), the experiments of Section 6 (one task per
``p``), ``study minima`` (one task per ``p``) and constructions over seeds (one task per seed) hand
their independent tasks to an :class:`Executor`.  Every task draws its random numbers from its own
seed (``default_rng([seed, d, p])``, ``default_rng([seed, p])``, ...), never from a shared stream, so
the results do not depend on where or in which order the tasks run: a Dask run gives the numbers
of the local run (tests), only the timings differ.

* ``local`` (default): ``workers = 1`` runs the tasks in this process, one after the other (what
  qnnsym always did); ``workers > 1`` forks that many processes on this machine.
* ``dask``: a ``dask.distributed.Client`` connected to ``scheduler`` (``tcp://host:8786``; start one
  with ``dask scheduler`` and ``dask worker tcp://host:8786`` on each node, every node with qnnsym
  installed), or, without a scheduler, a ``LocalCluster`` of ``workers`` (default 2) single-threaded
  workers.  Needs the ``dask`` extra (``pip install 'qnnsym[dask]'``).

Examples
--------
>>> with get_executor("local") as ex:
...     ex.map(abs, [-1, 2, -3])
[1, 2, 3]
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import signal
from typing import Any, Callable, Iterator, Sequence

from .errors import BackendUnavailable, ValidationError

__all__ = ["MAX_WORKERS_PER_CORE", "check_workers", "check_scheduler", "DASK_TIMEOUT", "TASKS_PER_WORKER", "EXECUTORS", "Executor", "LocalExecutor", "DaskExecutor", "get_executor", "add_executor_args",
           "executor_from_args"]

EXECUTORS = ("local", "dask")

_TASK: tuple | None = None          # (fn, items, shared) of the running local map, inherited by forked workers
_NONE = object()                    # no shared object: tasks are called as fn(item)


def _apply(fn, shared, item):
    return fn(item) if shared is _NONE else fn(shared, item)


def _call(i: int):
    fn, items, shared = _TASK
    return i, _apply(fn, shared, items[i])


def _ignore_sigint():
    """Forked workers leave Ctrl-C to the parent (which terminates them): no traceback per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Executor:
    """Runs ``fn`` over ``items`` and returns the results in the order of ``items``.

    :meth:`imap_unordered` yields ``(index, result)`` as tasks finish (a caller that saves each result
    at once loses only the tasks in flight when it stops); ``shared=`` is an object every task needs
    (large, read-only): :meth:`shared` places it on the workers once, each task is ``fn(shared, item)``.
    """

    name = "executor"
    workers = 1

    def imap_unordered(self, fn: Callable, items: Sequence, shared: Any = _NONE) -> Iterator[tuple[int, Any]]:
        raise NotImplementedError

    def map(self, fn: Callable, items: Sequence, on_done: Callable[[Any], None] | None = None) -> list:
        items = list(items)
        out: list = [None] * len(items)
        with contextlib.closing(self.imap_unordered(fn, items)) as it:
            for i, r in it:
                out[i] = r
                if on_done:
                    on_done(r)
        return out

    @contextlib.contextmanager
    def shared(self, obj: Any) -> Iterator[Any]:
        """A handle on ``obj`` for :meth:`imap_unordered`'s ``shared=`` (this machine: ``obj`` itself;
        forked workers inherit it)."""
        yield obj

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return self.name

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class LocalExecutor(Executor):
    """This machine: in-process (``workers = 1``, or inside a pool's daemonic worker, which may not fork)
    or ``workers`` forked processes."""

    name = "local"

    def __init__(self, workers: int | None = 1):
        self.workers = max(1, int(workers or 1))

    def imap_unordered(self, fn, items, shared=_NONE):
        global _TASK
        items = list(items)
        if self.workers == 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods() \
                or multiprocessing.current_process().daemon:        # a pool's worker may not fork a pool of its own
            for i, x in enumerate(items):
                yield i, _apply(fn, shared, x)
            return
        _TASK = (fn, items, shared)
        try:
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(min(self.workers, len(items)), initializer=_ignore_sigint) as pool:
                yield from pool.imap_unordered(_call, range(len(items)))
        finally:
            _TASK = None

    def describe(self) -> str:
        return "local (in-process)" if self.workers == 1 else f"local ({self.workers} processes)"


#: ``--workers`` may ask for at most this many processes per core (more only thrash, and a
#: thousand forks outlive an interrupt)
MAX_WORKERS_PER_CORE = 8
#: seconds to reach a dask scheduler, and again for it to have a worker
DASK_TIMEOUT = 30
#: tasks a dask executor keeps submitted per worker (the rest wait on this side)
TASKS_PER_WORKER = 3
_ADDRESS = re.compile(r"(?:(tcp|tls|inproc|ucx|ws|wss)://)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?/?")


def check_workers(workers, field: str = "--workers") -> int:
    """A number of worker processes: an integer in ``[1, MAX_WORKERS_PER_CORE × cores]``.

    >>> check_workers(2)
    2
    """
    from .validate import as_int

    cap = MAX_WORKERS_PER_CORE * (os.cpu_count() or 1)
    n = as_int(workers, field, lo=1)
    if n > cap:
        raise ValidationError(field, f"{n} processes", expected=f"at most {cap} ({MAX_WORKERS_PER_CORE} per core "
                              f"on this machine's {os.cpu_count() or 1})", fix="use --executor dask for more")
    return n


def check_scheduler(address) -> str:
    """A dask scheduler address ``[tcp://]HOST[:PORT]`` (an empty one is refused, not a LocalCluster).

    >>> check_scheduler("tcp://10.0.0.1:8786")
    'tcp://10.0.0.1:8786'
    """
    expected = "a dask scheduler address such as tcp://10.0.0.1:8786"
    if not isinstance(address, str) or not address.strip():
        raise ValidationError("--scheduler", "empty address" if isinstance(address, str) else f"{address!r}",
                              expected=expected, fix="leave --scheduler out for a LocalCluster on this machine")
    m = _ADDRESS.fullmatch(address.strip())
    if not m or (m.group(3) is not None and not 0 < int(m.group(3)) < 65536):
        raise ValidationError("--scheduler", f"malformed address {address.strip()[:80]!r}", expected=expected)
    return address.strip()


def _connect(Client, scheduler: str):
    """``Client(scheduler)`` within :data:`DASK_TIMEOUT` seconds, whatever the other end does (a server
    that accepts and never answers blocks dask's own handshake): the connection runs in a daemon thread
    and is abandoned on time-out."""
    import threading

    box: dict = {}

    def connect():
        try:
            box["client"] = Client(scheduler, timeout=DASK_TIMEOUT)
        except BaseException as e:      # handed to the caller
            box["error"] = e

    th = threading.Thread(target=connect, daemon=True, name="qnnsym-dask-connect")
    th.start()
    th.join(DASK_TIMEOUT + 5)
    if th.is_alive():
        raise ValidationError("--scheduler", f"no answer from {scheduler} within {DASK_TIMEOUT} s",
                              expected="the address of a running dask scheduler, e.g. tcp://10.0.0.1:8786",
                              fix="check the address and that 'dask scheduler' runs there")
    if "error" in box:
        raise box["error"]
    return box["client"]


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored within the block (main thread only): processes started meanwhile keep ignoring it,
    so that a Ctrl-C stops this process (which then stops them), not each of them with a traceback."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


class DaskExecutor(Executor):
    """A ``dask.distributed`` client: ``scheduler`` address, or a ``LocalCluster`` of ``workers``."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None, processes: bool = True):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise BackendUnavailable("Dask is not installed (fix: pip install 'qnnsym[dask]', "
                                     "i.e. dask[distributed])") from None
        except Exception as e:    # installed but broken
            raise BackendUnavailable(f"Dask is installed but fails to import ({type(e).__name__}: "
                                     f"{str(e).splitlines()[0][:120] if str(e) else ''}); fix: pip install "
                                     "--force-reinstall 'dask[distributed]'") from None
        self.cluster = None
        if scheduler is not None:
            scheduler = check_scheduler(scheduler)
        try:
            if scheduler:
                self.client = _connect(Client, scheduler)
                try:
                    self.client.wait_for_workers(1, timeout=DASK_TIMEOUT)
                except Exception:        # dask raises its own TimeoutError (not an OSError in every version)
                    self.client.close()
                    raise ValidationError("--scheduler", f"the scheduler at {scheduler} has no worker after "
                                          f"{DASK_TIMEOUT} s", expected="a scheduler with workers",
                                          fix="start workers with 'dask worker ADDRESS'") from None
            else:
                with _sigint_ignored():          # its worker processes inherit it: Ctrl-C is this process's
                    # no dashboard, so no statistical profiler either (it samples every 10 ms: ~10 % of a
                    # numpy-bound worker, docs/scale-out.md)
                    self.cluster = LocalCluster(n_workers=max(1, int(workers or 2)), threads_per_worker=1,
                                                processes=processes, dashboard_address=None,
                                                **({"config": {"distributed.worker.profile.enabled": False}}
                                                   if processes else {}))
                self.client = Client(self.cluster)
        except (OSError, ValueError, TypeError) as e:       # TimeoutError is an OSError
            if isinstance(e, ValidationError):
                raise
            raise ValidationError("--scheduler", f"cannot connect to {scheduler!r} within {DASK_TIMEOUT} s "
                                  f"({type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else ''})",
                                  expected="the address of a running dask scheduler, e.g. tcp://10.0.0.1:8786",
                                  fix="start one with 'dask scheduler' and workers with 'dask worker ADDRESS'") from None
        self.scheduler = scheduler
        self.workers = len(self.client.scheduler_info().get("workers", {})) or int(workers or 2)

    def imap_unordered(self, fn, items, shared=_NONE):
        """Tasks are submitted :data:`TASKS_PER_WORKER` per worker ahead (not all at once: their
        arguments and results stay bounded, and a lost worker's tasks are re-run by the scheduler on
        another one)."""
        from dask.distributed import as_completed

        items = list(items)
        ahead = max(2, TASKS_PER_WORKER * max(1, self.workers))
        running: dict = {}           # key -> (index, future)

        def submit(i):
            f = (self.client.submit(fn, items[i], pure=False) if shared is _NONE else
                 self.client.submit(fn, shared, items[i], pure=False))
            running[f.key] = (i, f)
            return f

        done = as_completed([submit(i) for i in range(min(ahead, len(items)))])
        nxt = len(running)
        try:
            for fut in done:
                i, _ = running.pop(fut.key)
                r = fut.result()
                if nxt < len(items):
                    done.add(submit(nxt))
                    nxt += 1
                yield i, r
        finally:                 # an error, an interrupt, or the caller stopped early: nothing left running
            if running:
                self.client.cancel([f for _, f in running.values()])
                done.clear()

    @contextlib.contextmanager
    def shared(self, obj):
        """``obj`` scattered to every worker once (``broadcast``): tasks name it, nothing is sent per task;
        a worker that joins later (one restarted after a crash) copies it from a peer."""
        fut = self.client.scatter([obj], broadcast=True, hash=False)[0]
        try:
            yield fut
        finally:
            self.client.cancel([fut])

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def describe(self) -> str:
        return f"dask ({self.scheduler})" if self.scheduler else f"dask (LocalCluster, {self.workers} workers)"


def get_executor(kind: str | Executor | None = "local", scheduler: str | None = None,
                 workers: int | None = None, processes: bool = True) -> Executor:
    """An executor by name (``local`` or ``dask``); an :class:`Executor` is returned as it is.

    Raises
    ------
    ValidationError
        Unknown kind, ``--scheduler`` without ``dask``, or a bad worker count.
    BackendUnavailable
        ``dask`` without the ``dask`` extra.
    """
    if isinstance(kind, Executor):
        return kind
    kind = kind or "local"
    if kind not in EXECUTORS:
        raise ValidationError("--executor", f"{kind!r}", expected=" or ".join(EXECUTORS))
    if workers is not None:
        workers = check_workers(workers)
    if kind == "local":
        if scheduler is not None:
            raise ValidationError("--scheduler", "only applies to --executor dask", fix="add --executor dask")
        return LocalExecutor(workers or 1)
    return DaskExecutor(scheduler, workers, processes)


def add_executor_args(ap, workers_help: str | None = None) -> None:
    """``--executor {local,dask}``, ``--scheduler ADDRESS``, ``--workers N`` (for the CLI; ``workers_help``
    replaces the help of ``--workers`` for a command whose local default differs)."""
    ap.add_argument("--executor", choices=EXECUTORS, default="local",
                    help="where the independent tasks run: local (this machine; default) or dask "
                         "(a dask.distributed cluster; needs the dask extra)")
    ap.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="dask scheduler address, e.g. tcp://10.0.0.1:8786 (default: a LocalCluster on this machine)")
    ap.add_argument("--workers", type=int, default=None, metavar="N",
                    help=workers_help or "local: processes (default 1 = in-process); dask LocalCluster: workers (default 2)")


def executor_from_args(args) -> Executor:
    return get_executor(getattr(args, "executor", "local"), getattr(args, "scheduler", None),
                        getattr(args, "workers", None))

