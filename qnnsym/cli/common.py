"""Helpers shared by the sub-commands: instance arguments and table output."""
from __future__ import annotations

import argparse
from typing import Any

from ..errors import ValidationError

__all__ = ['add_instance_args', 'instance_from_args', 'write_output']


def add_instance_args(ap: argparse.ArgumentParser) -> None:
    """``INSTANCE`` (a built-in name or a JSON file) and the built-ins' parameters."""
    ap.add_argument("instance", metavar="INSTANCE",
                    help="built-in name (prop5, dense, ...; see 'qnnsym list') or path to an instance JSON file")
    ap.add_argument("--p", type=int, default=None, help="number of parameters p (built-ins)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (random built-ins)")
    ap.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                    help="other built-in parameter, e.g. --param r=1/3 (repeatable)")


def instance_from_args(args: argparse.Namespace):
    from ..model.instances import BUILTINS, load_instance

    params: dict[str, Any] = {}
    if args.p is not None:
        params["p"] = args.p
    if args.seed is not None:
        params["seed"] = args.seed
    for kv in args.param:
        if "=" not in kv:
            raise ValidationError("--param", f"{kv!r}", expected="KEY=VALUE, e.g. r=1/3")
        k, v = kv.split("=", 1)
        params[k.strip()] = v.strip()
    if args.instance in BUILTINS:
        return load_instance(args.instance, **params)
    return load_instance(args.instance) if not params else load_instance(args.instance, **params)


def write_output(text: str, path: str | None) -> None:
    """Print ``text`` or write it to ``path``."""
    if path:
        with open(path, "w") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    else:
        print(text)
