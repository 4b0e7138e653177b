"""Helpers shared by the sub-commands: instance arguments and table output."""
from __future__ import annotations

import argparse
import csv
import io
import json
from typing import Any, Sequence

from .errors import ValidationError

__all__ = ["add_instance_args", "instance_from_args", "write_output", "table_text", "json_text"]


def add_instance_args(ap: argparse.ArgumentParser) -> None:
    """``INSTANCE`` (a built-in name or a JSON file) and the built-ins' parameters."""
    ap.add_argument("instance", metavar="INSTANCE",
                    help="built-in name (prop5, dense, ...; see 'qnnsym list') or path to an instance JSON file")
    ap.add_argument("--p", type=int, default=None, help="number of parameters p (built-ins)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (random built-ins)")
    ap.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                    help="other built-in parameter, e.g. --param r=1/3 (repeatable)")


def instance_from_args(args: argparse.Namespace):
    from .instances import BUILTINS, load_instance

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


def table_text(rows: Sequence[dict], fmt: str, columns: Sequence[str] | None = None) -> str:
    """Render rows (dicts) as ``md``, ``csv``, ``json`` or ``latex``."""
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps(list(rows), indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)
        return buf.getvalue()
    if fmt == "latex":
        out = ["\\begin{tabular}{" + "l" * len(cols) + "}", " & ".join(cols) + " \\\\ \\hline"]
        out += [" & ".join(str(r.get(c, "")) for c in cols) + " \\\\" for r in rows]
        out.append("\\end{tabular}")
        return "\n".join(out)
    if fmt == "md":
        out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        out += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in rows]
        return "\n".join(out)
    raise ValidationError("--format", f"{fmt!r}", expected="md, csv, json or latex")


def write_output(text: str, path: str | None) -> None:
    """Print ``text`` or write it to ``path``."""
    if path:
        with open(path, "w") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    else:
        print(text)


def json_text(obj: Any) -> str:
    """JSON indented by structure, with every list of scalars kept on one line (readable tables).

    >>> print(json_text({"a": [1, 2], "b": [[0, 1], "3/5"]}))
    {
     "a": [1, 2],
     "b": [[0, 1], "3/5"]
    }
    """
    def enc(o, level):
        pad = " " * (level + 1)
        if isinstance(o, dict):
            if not o:
                return "{}"
            items = [f"{pad}{json.dumps(str(k))}: {enc(v, level + 1)}" for k, v in o.items()]
            return "{\n" + ",\n".join(items) + "\n" + " " * level + "}"
        if isinstance(o, (list, tuple)):
            if all(not isinstance(x, (dict, list, tuple)) or _flat(x) for x in o) and len(json.dumps(o)) <= 100:
                return json.dumps(o)
            return "[\n" + ",\n".join(pad + enc(x, level + 1) for x in o) + "\n" + " " * level + "]"
        return json.dumps(o)

    return enc(obj, 0)


def _flat(x) -> bool:
    return isinstance(x, (list, tuple)) and all(not isinstance(y, (dict, list, tuple)) for y in x)
