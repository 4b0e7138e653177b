"""Text renderings of tables: rows (dicts) as Markdown, CSV, JSON or LaTeX, and readable JSON.

A leaf utility on plain data, usable from every stage (tables of critical points, experiments,
studies) and by the command line.
"""
from __future__ import annotations

import csv
import html
import io
import json
from typing import Any, Sequence

from .errors import ValidationError

__all__ = ['table_text', 'json_text', 'html_table', 'Table']


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


def html_table(rows: Sequence[dict], columns: Sequence[str] | None = None, max_rows: int = 200,
               caption: str | None = None) -> str:
    """Rows as an HTML ``<table>`` (for Jupyter's ``_repr_html_``); at most ``max_rows`` rows are shown.

    >>> html_table([{"a": 1, "b": "<x>"}])
    '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>&lt;x&gt;</td></tr></tbody></table>'
    """
    cols = list(columns or (rows[0].keys() if rows else []))
    esc = html.escape
    out = ["<table>"]
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{esc(str(c))}</th>" for c in cols) + "</tr></thead><tbody>")
    for r in list(rows)[:max_rows]:
        out.append("<tr>" + "".join(f"<td>{esc(str(r.get(c, '')))}</td>" for c in cols) + "</tr>")
    out.append("</tbody></table>")
    if len(rows) > max_rows:
        out.append(f"<p>… {len(rows) - max_rows} more rows</p>")
    return "".join(out)


class Table(list):
    """A list of row dicts (what the studies return) that shows itself as a table in Jupyter and
    renders as text with :meth:`to_text`; otherwise an ordinary ``list``.

    >>> t = Table([{"d": 4, "p": 1}], columns=["d", "p"])
    >>> t == [{"d": 4, "p": 1}], t.to_text("csv")
    (True, 'd,p\\n4,1\\n')
    """

    def __init__(self, rows=(), columns: Sequence[str] | None = None, title: str | None = None):
        super().__init__(rows)
        self.columns = list(columns) if columns else None
        self.title = title

    def to_text(self, fmt: str = "md") -> str:
        return table_text(self, fmt, self.columns)

    def _repr_html_(self) -> str:
        return html_table(self, self.columns, caption=self.title)
