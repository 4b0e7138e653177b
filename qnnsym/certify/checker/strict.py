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

import itertools
import json
import os
import stat
from functools import lru_cache
from pathlib import Path

from ...errors import CertificateError

__all__ = ["parse_certificate_json", "read_certificate_file", "validate_certificate", "read_certificate_bytes", "MAX_BYTES", "BYTES_PER_VALUE", "MAX_INT_DIGITS"]

#: largest certificate file read by default (bytes; ``qnnsym check --max-bytes`` raises it): 64 MiB, about
#: 25 times the largest certificate of ``proofs/``
MAX_BYTES = 64 << 20
#: the value limit of the parser is one value per this many bytes of the size limit (2,097,152 values for
#: 64 MiB; the certificates of ``proofs/`` have 80 to 400 bytes per value)
BYTES_PER_VALUE = 32
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


def _count_values(text: str | bytes) -> int:
    """An upper bound on the number of JSON values in ``text`` (commas, colons and ``[``, counted at C speed)."""
    if isinstance(text, str):
        return text.count(",") + text.count(":") + text.count("[")
    return text.count(b",") + text.count(b":") + text.count(b"[")


def parse_certificate_json(text: str | bytes, max_values: int | None = None) -> object:
    """Parse certificate text strictly (see the module docstring).

    Parameters
    ----------
    text : str or bytes
    max_values : int, optional
        Most JSON values parsed (default ``MAX_BYTES // BYTES_PER_VALUE``; a file read with a larger size
        limit gets ``max_bytes // BYTES_PER_VALUE``): parsing and validation cost
        a few microseconds per value, so a file of millions of tiny values is refused before either.

    Raises
    ------
    CertificateError
        Not JSON, a duplicated key, ``NaN``/``Infinity``, a float, an oversized integer, or too many values.

    Examples
    --------
    >>> parse_certificate_json('{"a": [1, "2/3"]}')
    {'a': [1, '2/3']}
    >>> parse_certificate_json('{"a": 1, "a": 2}')
    Traceback (most recent call last):
    ...
    qnnsym.errors.CertificateError: duplicated key 'a' in a JSON object (a repeated key would silently override)
    """
    limit = MAX_BYTES // BYTES_PER_VALUE if max_values is None else max_values
    n = _count_values(text)
    if n > limit:
        raise CertificateError(f"about {n} JSON values, more than {limit} (one per {BYTES_PER_VALUE} bytes of "
                               f"--max-bytes, default 64 MiB; the certificates of proofs/ have at most about 14,000)")
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


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def read_certificate_bytes(path: str | Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a certificate file: a **regular file** of at most ``max_bytes`` bytes.

    The file is opened without blocking (``O_NONBLOCK``: a FIFO cannot hang the open) and its type and
    size are taken from the open descriptor (``fstat``), so a path swapped between a check and the
    read cannot slip a FIFO or a device (``/dev/zero``) past the test; at most ``max_bytes + 1``
    bytes are ever read.

    Raises
    ------
    CertificateError
        Missing or unreadable, not a regular file (directory, FIFO, device, socket), or too large;
        the message names the path and the fix.

    Examples
    --------
    >>> read_certificate_bytes("/dev/zero")
    Traceback (most recent call last):
    ...
    qnnsym.errors.CertificateError: /dev/zero: is a character device, not a regular file (a certificate is a regular file)
    """
    limit = MAX_BYTES if max_bytes is None else int(max_bytes)
    name = str(path)
    if not name.strip():
        raise CertificateError(f"FILE {name!r}: empty path (expected a certificate file)")
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise CertificateError(f"{name}: no such file (expected an existing certificate file)") from None
    except OSError as e:
        raise CertificateError(f"{name}: cannot be read ({e.strerror or e})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise CertificateError(f"{name}: is {_file_kind(st.st_mode)}, not a regular file "
                                   "(a certificate is a regular file)")
        if st.st_size > limit:
            raise CertificateError(f"{name}: {st.st_size} bytes, above the limit of {limit} bytes "
                                   f"(fix: raise it with --max-bytes {st.st_size})")
        os.set_blocking(fd, True)
        chunks, n = [], 0
        while n <= limit:
            b = os.read(fd, min(1 << 20, limit + 1 - n))
            if not b:
                break
            chunks.append(b)
            n += len(b)
    except OSError as e:
        raise CertificateError(f"{name}: cannot be read ({e.strerror or e})") from None
    finally:
        os.close(fd)
    if n > limit:   # grew while being read
        raise CertificateError(f"{name}: more than {limit} bytes (fix: raise the limit with --max-bytes)")
    return b"".join(chunks)


def read_certificate_file(path: str | Path, max_bytes: int | None = None) -> object:
    """Read (:func:`read_certificate_bytes`: a regular file, size-limited) and strictly parse a certificate."""
    limit = MAX_BYTES if max_bytes is None else int(max_bytes)
    return parse_certificate_json(read_certificate_bytes(path, limit), max(limit, MAX_BYTES) // BYTES_PER_VALUE)


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
    errs = list(itertools.islice(v.iter_errors(data), 50))   # lazily: a million bad items are not listed
    # the most specific violation first: a failed sub-schema also makes its fields "unevaluated" at the top
    errs.sort(key=lambda e: (e.validator == "unevaluatedProperties", -len(list(e.absolute_path)),
                             list(map(str, e.absolute_path))))
    if errs:
        e = errs[0]
        msg = e.message if len(e.message) <= 300 else e.message[:300] + "…"
        more = (f" (and {'at least ' if len(errs) == 50 else ''}{len(errs) - 1} more schema violations)"
                if len(errs) > 1 else "")
        raise CertificateError(f"{_path(e)}: {msg}{more}")
