"""The ``qnnsym`` command: a thin layer over the public API.

Each sub-command lives in the module named in :data:`COMMAND_MODULES`; a module exposes
``register(subparsers)`` which adds its parser(s) and sets ``func(args) -> int``.
Every :class:`~qnnsym.errors.QnnsymError` is printed as one line (``error: field: problem``)
and the command exits with status 2; nothing deeper than that reaches the user.  Warnings of qnnsym
(:class:`~qnnsym.errors.QnnsymWarning`, e.g. an unknown key in an instance file) are printed as
``warning: ...`` lines on standard error.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import warnings

from ..errors import QnnsymError, QnnsymWarning, TimeBudgetExceeded
from ..signals import sigterm_as_interrupt

__all__ = ["main", "build_parser", "COMMAND_MODULES", "READY_ENV"]

#: environment variable naming a file the command creates once its signal handlers are installed and
#: its arguments checked, just before the work begins (for supervisors and the interrupt tests)
READY_ENV = "QNNSYM_READY_FILE"

#: modules that add sub-commands (each has ``register(subparsers)``)
COMMAND_MODULES = [
    "qnnsym.cli.expand",
    "qnnsym.cli.critical",
    "qnnsym.cli.minimize",
    "qnnsym.cli.experiment",
    "qnnsym.cli.simulate",
    "qnnsym.cli.construct",
    "qnnsym.cli.study",
    "qnnsym.cli.certify",
    "qnnsym.cli.landscape",
    "qnnsym.cli.importer",
    "qnnsym.cli.doctor",
    "qnnsym.cli.search",
]

EPILOG = """examples:
  qnnsym expand prop5 --p 3 --loss
  qnnsym expand prop5 --p 2 --sample 0 --format latex
  qnnsym expand my_instance.json --format json
  qnnsym list
  qnnsym import ansatz.qasm --data data.json --observable "Z0 Z1" -o instance.json
  qnnsym doctor

Run 'qnnsym COMMAND --help' for the options and examples of each command."""


def build_parser() -> argparse.ArgumentParser:
    from .._version import __version__

    from .common import Parser

    ap = Parser(
        prog="qnnsym",
        description="Exact landscapes of quantum neural networks: Fourier expansion of output and loss "
                    "(eqs. 7-12 of You & Wu), certified critical-point tables, constructions with "
                    "exponentially many local minima, and the paper's experiments.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"qnnsym {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    for mod in COMMAND_MODULES:
        importlib.import_module(mod).register(sub)
    return ap


def _show_warning(message, category, filename, lineno, file=None, line=None, _default=warnings.showwarning):
    """qnnsym's own warnings as one ``warning: ...`` line on standard error; others as Python prints them."""
    if issubclass(category, QnnsymWarning):
        print(f"warning: {message}", file=sys.stderr)
    else:
        _default(message, category, filename, lineno, file, line)


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        warnings.simplefilter("always", QnnsymWarning)
        return _run(ap, argv)


def _run(ap: argparse.ArgumentParser, argv: list[str] | None) -> int:
    from .. import stops

    stops.reset()
    with sigterm_as_interrupt():    # SIGTERM stops long work like Ctrl-C (exit 130)
        return _dispatch(ap, argv)


def _call(ap: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Run the command under the data-loss rule of ``qnnsym.paths``: no output is an input or another
    output (checked before any work), inputs are never replaced, run folders are locked."""
    from .. import stops
    from ..paths import distinct_paths, protected_inputs, run_lock
    from .common import command_paths

    inputs, files, folders = command_paths(ap, args)
    distinct_paths(inputs, files)
    with protected_inputs(inputs), contextlib.ExitStack() as stack:
        for field, folder in folders.items():
            stack.enter_context(run_lock(folder, field))
        if os.environ.get(READY_ENV):      # a supervisor (or a test) learns that the work has begun
            with open(os.environ[READY_ENV], "a"):
                pass
        rc = int(args.func(args) or 0)
    why = stops.stopped()      # the verb kept a partial result: one exit status per reason, for every verb
    if why == "interrupted" and rc != 2 or why == "time limit" and rc in (0, 3):
        print(f"stopped early ({why}): the output above is partial", file=sys.stderr)
        return stops.EXIT_STATUS[why]
    return rc


def _dispatch(ap: argparse.ArgumentParser, argv: list[str] | None) -> int:
    try:
        try:
            args = ap.parse_args(argv)  # output paths are checked here (cli.common.add_output_arg)
        except SystemExit as e:        # usage errors (exit 2, message already printed) and --help (0)
            return int(e.code or 0)
        if not getattr(args, "func", None):
            ap.print_help()
            return 0
        try:
            return _call(ap, args)
        except SystemExit as e:        # code the verb ran (a user's module) called sys.exit
            print(f"error: {getattr(args, 'command', 'qnnsym')}: the code it ran called SystemExit({e.code!r}) "
                  "(expected a module that does not exit; fix: remove the exit from it)", file=sys.stderr)
            return 2
    except TimeBudgetExceeded as e:     # nothing to keep: the verb had no partial result to show
        print(f"error: --time-limit: {e} (fix: raise --time-limit)", file=sys.stderr)
        return 3
    except QnnsymError as e:
        print(f"error: {e}", file=sys.stderr)
        from .. import stops

        return stops.EXIT_STATUS.get(stops.stopped(), 2)    # refused because a limit cut the work short: 3
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
