"""Text renderings of tables: rows (dicts) as Markdown, CSV, JSON or LaTeX, and readable JSON.

A leaf utility on plain data, usable from every stage (tables of critical points, experiments,
studies) and by the command line.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

from .errors import ValidationError

__all__ = ['table_text', 'json_text']


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
