"""Helpers shared by the sub-commands: instance arguments, checked argument types, file output.

One rule for every path a command writes (``qnnsym.paths``): missing parent folders are created,
a path naming an existing folder where a file is expected (or a file where a folder is expected)
is refused with ``error: FLAG PATH: ...`` and exit status 2, before any work is done.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import sys
from typing import Any

from ..errors import ValidationError
from ..paths import output_dir, output_file, write_text

__all__ = ['Parser', 'UsageError', 'usage_error', 'FIGURE_SUFFIXES', 'FORMATS', 'OUTPUT_RULE', 'add_certificate_arg', 'add_format_arg', 'add_instance_args', 'add_output_arg',
           'add_progress_arg', 'progress_on', 'command_paths', 'add_builtin_params', 'builtin_params', 'examples_for', 'add_time_limit_arg',
           'finite_float', 'positive_float', 'instance_from_args', 'nonneg_int', 'parse_floats', 'write_output']

#: file types a figure can be written as (matplotlib's writers)
FIGURE_SUFFIXES = (".png", ".pdf", ".svg", ".eps", ".ps", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".pgf")
#: the folder rule, as the ``--help`` of every output option states it
OUTPUT_RULE = "missing folders are created"


class UsageError(ValidationError):
    """A command line argparse refuses (unknown option, missing argument, a value of the wrong type)."""


_ARG = re.compile(r"argument ([^:]+): (.*)", re.S)


def usage_error(prog: str, message: str) -> UsageError:
    """argparse's message as the one-line ``FIELD: problem (expected …; fix: …)`` of every other error.

    >>> print(usage_error("qnnsym critical", "argument --p: invalid int value: 'x'"))
    --p: invalid int value: 'x' (fix: see 'qnnsym critical --help')
    >>> print(usage_error("qnnsym expand", "the following arguments are required: INSTANCE"))
    INSTANCE: missing (expected the following arguments: INSTANCE; fix: see 'qnnsym expand --help')
    """
    fix = f"see '{prog} --help'"
    msg = re.sub(r"'([^']{40})([^']{20,})'", lambda m: f"'{m.group(1)}…' ({len(m.group(1) + m.group(2))} characters)",
                 " ".join(message.split()))     # a 5000-digit value is not echoed whole
    m = _ARG.fullmatch(msg)
    if m:
        return UsageError(m.group(1).split("/")[0], m.group(2), fix=fix)
    if msg.startswith("the following arguments are required: "):
        names = msg.split(": ", 1)[1]
        return UsageError(names.split(",")[0].strip(), "missing", expected=f"the following arguments: {names}", fix=fix)
    if msg.startswith("unrecognized arguments: "):
        extra = msg.split(": ", 1)[1]
        return UsageError(extra.split()[0] if extra.split() else prog, f"unrecognized arguments ({extra[:80]})",
                          fix=fix)
    m = re.fullmatch(r"one of the arguments (.*) is required", msg)
    if m:
        return UsageError("/".join(m.group(1).split()), "one of them is required", fix=fix)
    return UsageError(prog, msg, fix=fix)


class Parser(argparse.ArgumentParser):
    """The parser of every verb: a usage error is a :class:`UsageError` (printed by the command line as
    one ``error: FIELD: problem (…; fix: …)`` line, exit status 2), never a usage block."""

    def error(self, message: str):
        raise usage_error(self.prog, message)


class _OutputPath(argparse.Action):
    """Store an output path after checking it (``qnnsym.paths``); ``kind`` is ``"file"`` or ``"dir"``;
    ``companions`` are the suffixes of files written beside it (a figure's data: ``.csv``, ``.json``)."""

    def __init__(self, option_strings, dest, kind: str = "file", suffixes: tuple[str, ...] = (),
                 companions: tuple[str, ...] = (), **kw):
        self.kind, self.suffixes, self.companions = kind, suffixes, companions
        super().__init__(option_strings, dest, **kw)

    def __call__(self, parser, namespace, value, option_string=None):
        flag = option_string or self.dest
        if value == "" and self.const == "":       # an optional file name left out (experiment --plot)
            setattr(namespace, self.dest, "")
            return
        path = output_dir(value, flag) if self.kind == "dir" else output_file(value, flag)
        if self.suffixes and path.suffix.lower() not in self.suffixes:
            raise ValidationError(f"{flag} {path}", f"unknown file type {path.suffix or '(none)'!r}",
                                  expected="a file name ending in " + ", ".join(self.suffixes))
        setattr(namespace, self.dest, str(path))


def add_output_arg(ap: argparse.ArgumentParser, *flags: str, help: str, kind: str = "file",
                   suffixes: tuple[str, ...] = (), metavar: str | None = None, companions: tuple[str, ...] = (),
                   **kw) -> None:
    """Add an output option (``-o FILE``, ``--certificate FILE``, ``--out DIR``, ...) checked on parsing.

    The path is validated by :func:`qnnsym.paths.output_file` / :func:`~qnnsym.paths.output_dir` when
    the command line is read (a bad path fails before any computation); the writers create missing
    parent folders.  ``suffixes`` (e.g. ``FIGURE_SUFFIXES``) restricts the file type; ``companions``
    names the suffixes of the files written beside it.  Before the command runs, :func:`command_paths`
    collects every output and input so that none overwrites another (``qnnsym.paths.distinct_paths``).
    """
    ap.add_argument(*flags, action=_OutputPath, kind=kind, suffixes=suffixes, companions=companions,
                    default=kw.pop("default", None), metavar=metavar or ("DIR" if kind == "dir" else "FILE"),
                    help=f"{help} ({OUTPUT_RULE})", **kw)


def add_certificate_arg(ap: argparse.ArgumentParser) -> None:
    """``--certificate FILE``: the certificate of the result, re-checked by ``qnnsym check`` (an output path)."""
    add_output_arg(ap, "--certificate",
                   help="also write a certificate that 'qnnsym check FILE' re-checks independently (docs/certificates.md)")


def _chosen_actions(ap: argparse.ArgumentParser, args: argparse.Namespace) -> list[argparse.Action]:
    """The actions of ``ap`` and of the sub-parsers ``args`` went through."""
    out = []
    for a in ap._actions:
        if isinstance(a, argparse._SubParsersAction):
            sub = a.choices.get(getattr(args, a.dest, None) or "")
            if sub is not None:
                out += _chosen_actions(sub, args)
        else:
            out.append(a)
    return out


def command_paths(ap: argparse.ArgumentParser, args: argparse.Namespace
                  ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """``(inputs, output files, output folders)`` of a parsed command line, each ``{field: path}``.

    Outputs are the options added by :func:`add_output_arg` (with their companion files); inputs are
    every other argument whose value names an existing file (the instance, ``--data``, a source, ...).
    """
    from pathlib import Path

    inputs: dict[str, str] = {}
    files: dict[str, str] = {}
    folders: dict[str, str] = {}
    for a in _chosen_actions(ap, args):
        v = getattr(args, a.dest, None)
        field = a.option_strings[0] if a.option_strings else (a.metavar if isinstance(a.metavar, str) else a.dest.upper())
        if isinstance(a, _OutputPath):
            if not v:
                continue
            if a.kind == "dir":
                folders[field] = v
                continue
            files[field] = v
            stem = Path(v) if Path(v).suffix else Path(v).with_suffix(".png")
            for suf in a.companions:
                files[f"{field} (its {suf} data)"] = str(stem.with_suffix(suf))
            continue
        for i, x in enumerate(v if isinstance(v, (list, tuple)) else [v]):
            if isinstance(x, str) and x and "\0" not in x and os.path.isfile(x):
                inputs[field if not isinstance(v, (list, tuple)) or len(v) == 1 else f"{field}[{i}]"] = x
    return inputs, files, folders


def finite_float(text: str) -> float:
    """``argparse`` type: a finite real number (``nan``, ``inf``, ``1e999`` are refused)."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(v):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return v


def positive_float(text: str) -> float:
    """``argparse`` type: a finite number ``> 0`` (seconds, tolerances)."""
    v = finite_float(text)
    if not v > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not positive")
    return v


#: every output format of the CLI, in one order; md and json are offered by every verb
FORMATS = ("md", "csv", "json", "latex")


def add_format_arg(ap: argparse.ArgumentParser, *extra: str, what: str = "the output") -> None:
    """``--format``: ``md`` (default) and ``json`` everywhere, plus ``csv`` where the output is a
    table and ``latex`` where it is a table or a formula (``extra``); standard output carries only
    the requested format (messages go to standard error)."""
    allowed = [f for f in FORMATS if f in ("md", "json") + extra]
    ap.add_argument("--format", choices=allowed, default="md",
                    help=f"format of {what}: {', '.join(allowed)} (default md)")


def add_time_limit_arg(ap: argparse.ArgumentParser, what: str = "the whole run") -> None:
    """``--time-limit S`` (every long verb): seconds for ``what``; stops cleanly, keeping what is known."""
    ap.add_argument("--time-limit", type=positive_float, default=None, metavar="S",
                    help=f"seconds for {what}; on expiry stop and report what is known so far")


def add_progress_arg(ap: argparse.ArgumentParser, quiet_alias: bool = True) -> None:
    """``--progress`` / ``--no-progress`` (every long verb; default on, bars go to standard error).

    ``--quiet`` is accepted as a synonym of ``--no-progress`` (``quiet_alias``) by the verbs that had
    it; ``qnnsym check`` keeps ``--quiet`` for "only the verdict line"."""
    ap.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                    help="progress bars on standard error (default: on when it is a terminal)")
    if quiet_alias:
        ap.add_argument("--quiet", dest="progress", action="store_false", help=argparse.SUPPRESS)


def progress_on(args: argparse.Namespace) -> bool:
    """The ``--progress`` choice, defaulting to "standard error is a terminal"."""
    return sys.stderr.isatty() if args.progress is None else bool(args.progress)


def nonneg_int(text: str) -> int:
    """``argparse`` type: an integer ``≥ 0`` (seeds, counts)."""
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative (expected an integer ≥ 0)")
    return v


def parse_floats(text: str, field: str) -> list[float]:
    """Comma-separated finite numbers, e.g. ``--theta 0.1,0.2``; errors name ``field``."""
    out = []
    for i, tok in enumerate(text.split(",")):
        try:
            out.append(finite_float(tok.strip()))
        except argparse.ArgumentTypeError as e:
            raise ValidationError(field, f"value {i + 1}: {e}", expected="comma-separated finite numbers") from None
    return out


def add_instance_args(ap: argparse.ArgumentParser) -> None:
    """``INSTANCE`` (a built-in name or a JSON file) and the built-ins' parameters."""
    ap.add_argument("instance", metavar="INSTANCE",
                    help="built-in name (prop5, dense, ...; see 'qnnsym list --params') or path to an instance JSON file")
    add_builtin_params(ap)


def examples_for(examples: str, command: str) -> str:
    """The lines of an ``examples:`` epilog that run ``command`` (a sub-command's own examples).

    >>> print(examples_for("examples:\\n  qnnsym study a --x\\n  qnnsym study b", "qnnsym study b"))
    examples:
      qnnsym study b
    """
    lines = examples.splitlines()
    return "\n".join([lines[0]] + [ln for ln in lines[1:] if ln.strip().startswith(command + " ")
                                    or ln.strip() == command])


def add_builtin_params(ap: argparse.ArgumentParser, what: str = "built-ins") -> None:
    """The one way every verb takes a built-in's parameters: ``--p P``, ``--seed S`` and
    ``--param KEY=VALUE`` for any other (``qnnsym list --params`` lists them)."""
    ap.add_argument("--p", type=int, default=None, help=f"number of parameters p ({what})")
    ap.add_argument("--seed", type=nonneg_int, default=None, help=f"random seed ({what} that are random)")
    ap.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                    help=f"any other parameter of the {what}, e.g. --param r=1/3 or --param d=8 (repeatable; "
                         "see qnnsym list --params)")


def builtin_params(args: argparse.Namespace) -> dict[str, Any]:
    """``{"p": ..., "seed": ..., KEY: VALUE}`` from the options of :func:`add_builtin_params`.

    A parameter given twice (``--param p=3`` beside ``--p 2``, or one ``--param`` key twice) is refused,
    never silently resolved."""
    params: dict[str, Any] = {}
    given: dict[str, str] = {}
    for k in ("p", "seed"):
        if getattr(args, k, None) is not None:
            params[k], given[k] = getattr(args, k), f"--{k} {getattr(args, k)}"
    for kv in args.param:
        if "=" not in kv or not kv.split("=", 1)[0].strip():
            raise ValidationError("--param", f"{kv!r}", expected="KEY=VALUE, e.g. r=1/3")
        k, v = (t.strip() for t in kv.split("=", 1))
        if k in params:
            raise ValidationError(f"--param {k}", f"given twice ({given[k]} and --param {k}={v})",
                                  expected="each parameter once", fix="drop one of them")
        params[k], given[k] = v, f"--param {k}={v}"
    return params


def instance_from_args(args: argparse.Namespace):
    from ..model.instances import BUILTINS, load_instance

    params = builtin_params(args)
    if args.instance in BUILTINS:
        return load_instance(args.instance, **params)
    return load_instance(args.instance) if not params else load_instance(args.instance, **params)


def write_output(text: str, path: str | None, flag: str = "-o") -> None:
    """Print ``text`` or write it to ``path`` (missing folders are created; see ``qnnsym.paths``) and say
    ``wrote PATH`` on standard error (every verb's ``-o``)."""
    if path:
        out = write_text(path, text, flag)
        print(f"wrote {out}", file=sys.stderr)
    else:
        print(text)
