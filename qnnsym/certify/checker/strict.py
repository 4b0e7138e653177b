"""Strict reading of certificate files: the first gate of the checker, before any mathematics.

A certificate is untrusted input.  It is read as JSON that refuses duplicated keys (the last one
would silently win), the non-finite literals ``NaN``/``Infinity``, floating-point numbers (every
number of a certificate is exact: a JSON integer, or a rational written as a string ``"p/q"``) and
oversized integers, and then validated against the schema ``qnnsym/data/certificate.schema.json``
with exact types: an integer is an integer (not ``1.0``, not ``true``), a boolean is a boolean,
every object lists exactly the fields of the format (an unknown field is refused, so no claim can
ride along unread).  Every failure is a :class:`~qnnsym.errors.CertificateError` naming the JSON
path, never a traceback.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ...errors import CertificateError, ValidationError
from ...paths import read_bytes

__all__ = ["parse_certificate_json", "read_certificate_file", "validate_certificate", "MAX_BYTES", "MAX_INT_DIGITS"]

#: largest certificate file read (bytes)
MAX_BYTES = 1 << 30
#: largest JSON integer literal (decimal digits); big numbers are written as strings
MAX_INT_DIGITS = 40


def _pairs(pairs: list) -> dict:
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise CertificateError(f"duplicated key {k!r} in a JSON object (a repeated key would silently override)")
        out[k] = v
    return out


def _constant(name: str):
    raise CertificateError(f"non-finite number {name} (every number of a certificate is exact)")


def _float(text: str):
    raise CertificateError(f"floating-point number {text} (write exact numbers: integers, or rationals as strings \"p/q\")")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise CertificateError(f"integer literal with {len(text.lstrip('-'))} digits (at most {MAX_INT_DIGITS}; "
                               "write large integers as strings)")
    return int(text)


def parse_certificate_json(text: str | bytes) -> object:
    """Parse certificate text strictly (see the module docstring).

    Raises
    ------
    CertificateError
        Not JSON, a duplicated key, ``NaN``/``Infinity``, a float, or an oversized integer.

    Examples
    --------
    >>> parse_certificate_json('{"a": [1, "2/3"]}')
    {'a': [1, '2/3']}
    >>> parse_certificate_json('{"a": 1, "a": 2}')
    Traceback (most recent call last):
    ...
    qnnsym.errors.CertificateError: duplicated key 'a' in a JSON object (a repeated key would silently override)
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise CertificateError(f"not UTF-8 text ({e})") from None
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float,
                          parse_int=_int)
    except json.JSONDecodeError as e:
        raise CertificateError(f"not JSON: {e}") from None
    except RecursionError:
        raise CertificateError("JSON nested too deeply") from None


def read_certificate_file(path: Path) -> object:
    """Read and strictly parse a certificate file (the input-path rule of :mod:`qnnsym.paths`)."""
    try:
        raw = read_bytes(path, "", MAX_BYTES)
    except ValidationError as e:
        raise CertificateError(str(e)) from None
    return parse_certificate_json(raw)


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = json.loads((Path(__file__).resolve().parents[2] / "data" / "certificate.schema.json").read_text())
    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine_many({
        "integer": lambda _c, x: type(x) is int,
        "number": lambda _c, x: type(x) is int,
        "boolean": lambda _c, x: type(x) is bool,
    })
    cls = jsonschema.validators.extend(base, type_checker=checker)
    cls.check_schema(schema)
    return cls(schema)


def _path(err) -> str:
    out = ""
    for p in err.absolute_path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def validate_certificate(data: object) -> None:
    """Validate parsed certificate data against the schema (exact types, no unknown fields).

    Raises
    ------
    CertificateError
        The first schema violation, with its JSON path (e.g. ``blocks[0].points[3].index``).
    """
    v = _validator()
    errs = list(v.iter_errors(data))
    # the most specific violation first: a failed sub-schema also makes its fields "unevaluated" at the top
    errs.sort(key=lambda e: (e.validator == "unevaluatedProperties", -len(list(e.absolute_path)),
                             list(map(str, e.absolute_path))))
    if errs:
        e = errs[0]
        msg = e.message if len(e.message) <= 300 else e.message[:300] + "…"
        more = f" (and {len(errs) - 1} more schema violations)" if len(errs) > 1 else ""
        raise CertificateError(f"{_path(e)}: {msg}{more}")
