"""The checker's verdict type, the certificate format tag and the canonical digest."""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass

__all__ = ['FORMAT', 'MAX_ECHO', 'OBJECTIVE_NOUNS', 'SAMPLED_SCOPE', 'Verdict', 'Verdicts', 'block_name', 'complex_words',
           'expansion_digest', 'instance_label', 'printable', 'sanitized', 'theorem7_bounds', 'verdict_record']

FORMAT = "qnnsym-certificate/2"

#: the claim that opens the verdicts of a sampled check (``qnnsym check --sample N``; :mod:`.boxes`)
SAMPLED_SCOPE = "scope: a sampled check"

#: longest text echoed from a file (characters; a longer one is cut and marked ``…[N more characters]``)
MAX_ECHO = 2000


def _escape(ch: str) -> str:
    o = ord(ch)
    return f"\\x{o:02x}" if o < 0x100 else (f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}")


def printable(text: object, limit: int = MAX_ECHO) -> str:
    """``text`` made safe to echo on a terminal, in a log or in UTF-8 output (the checker echoes data of an
    untrusted file: statements, claims, file names).

    Control characters (C0, C1, DEL: newlines, terminal escapes ``ESC[…``), format characters (bidi
    overrides), lone surrogates and other unassigned or private code points are written as Python
    escapes (``\\x1b``, ``\\u202e``, ``\\ud800``); the result is cut after ``limit`` characters.  So a
    file cannot print a line of its own, hide or rewrite the checker's verdict line, or crash the
    output with an unencodable character.

    Examples
    --------
    >>> printable("ok: ACCEPTED\\n\\x1b[8m")
    'ok: ACCEPTED\\\\x0a\\\\x1b[8m'
    >>> printable("θ_1 \\ud800")
    'θ_1 \\\\ud800'
    >>> printable("x" * 10, limit=4)
    'xxxx…[6 more characters]'
    """
    s = str(text)
    cut = len(s) - limit
    if cut > 0:
        s = s[:limit]
    out = "".join(_escape(ch) if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") else ch for ch in s)
    return out + (f"…[{cut} more characters]" if cut > 0 else "")


@dataclass(frozen=True)
class Verdict:
    """The checker's answer to one claim of a certificate.

    Attributes
    ----------
    claim : str
        What was claimed, in words (e.g. ``"point 3: minimum, index 0"``).
    ok : bool
        True when the claim was re-derived and holds.
    detail : str
        How it was checked, or why it was rejected.
    """

    claim: str
    ok: bool
    detail: str = ""

    def _repr_html_(self) -> str:
        return Verdicts([self])._repr_html_()


def sanitized(verdicts: list) -> "Verdicts":
    """The verdicts with every claim and detail made :func:`printable` (both may quote the file)."""
    return Verdicts(Verdict(printable(v.claim), v.ok, printable(v.detail)) for v in verdicts)


class Verdicts(list):
    """The verdicts on one certificate (a ``list`` of :class:`Verdict`); ``accepted`` when every claim
    holds.  Shows itself in Jupyter as a table with the verdict on top."""

    @property
    def accepted(self) -> bool:
        return bool(self) and all(v.ok for v in self)

    def _repr_html_(self) -> str:
        import html

        head = (f"<p><b>{'ACCEPTED' if self.accepted else 'REJECTED'}</b>: {sum(v.ok for v in self)} of "
                f"{len(self)} claims hold</p>")
        rows = "".join(f"<tr><td>{'✓' if v.ok else '✗'}</td><td>{html.escape(v.claim)}</td>"
                       f"<td>{html.escape(v.detail)}</td></tr>" for v in self)
        return head + "<table><thead><tr><th></th><th>claim</th><th>how it was checked</th></tr></thead><tbody>" \
            + rows + "</tbody></table>"


def block_name(index: int, block: dict) -> str:
    """``block 0 (θ_1, θ_3)``: a block as the verdicts name it.  Blocks (and points) are numbered from
    0 as in the file; parameters are named θ_1..θ_p as in the paper (the file stores 0-based indices).

    >>> block_name(0, {"parameters": [0, 2]})
    'block 0 (θ_1, θ_3)'
    """
    return f"block {index} ({', '.join(f'θ_{l + 1}' for l in block['parameters'])})"


def expansion_digest(rows: list) -> str:
    """SHA-256 of a canonical JSON rendering (sorted keys, no spaces)."""
    return hashlib.sha256(json.dumps(rows, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def verdict_record(path, verdicts: list, seconds: float) -> dict:
    """A JSON-ready record of one checked file: accepted, time, every verdict."""
    return {"file": printable(path), "accepted": all(v.ok for v in verdicts), "seconds": round(seconds, 3),
            "sampled": bool(verdicts) and verdicts[0].claim == SAMPLED_SCOPE,
            "verdicts": [{"claim": v.claim, "ok": v.ok, "detail": v.detail} for v in verdicts]}


#: how a statement names the objective of each kind (the square loss keeps the words of old certificates)
OBJECTIVE_NOUNS = {"square-loss": "The loss", "weighted-square": "The weighted square loss",
                   "expectation": "The energy (expectation)"}


def instance_label(origin: dict | None, sha: str) -> str:
    """How a statement names its instance: the built-in (when claimed) and the digest."""
    if origin:
        args = ", ".join(f"{k}={v}" for k, v in origin["params"].items())
        return f"the built-in instance {origin['builtin']}({args}) (sha256 {sha[:16]}…)"
    return f"the instance with sha256 {sha[:16]}…"


def complex_words(c: dict) -> str:
    """``N complex critical points`` (``at least`` when only the real list is complete; not computed when a
    block's real list was completed by exhaustion)."""
    if c["n_complex"] is None:
        return "complex critical points not counted (a block's real list is complete by exhaustion)"
    return f"{'' if c.get('complex_complete', True) else 'at least '}{c['n_complex']} complex critical points"


def theorem7_bounds(loss) -> dict:
    """``(2ΣD_l)^p`` (Theorem 7; ``(4p)^p`` for two-level gates) and ``p!·Π 2D_l`` (``p!·4^p``)."""
    import math

    p = loss.p
    Dl = [max(1, max((abs(h[l]) for h in loss.terms), default=0)) for l in range(p)]
    return {"theorem7": (2 * sum(Dl)) ** p, "multihomogeneous_generic": math.factorial(p) * math.prod(2 * d for d in Dl)}
