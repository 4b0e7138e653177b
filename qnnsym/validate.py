"""Preconditions of the public API, one helper per type (a leaf utility, like ``networkx.utils.decorators``).

Every public constructor and function checks its arguments at the boundary with these helpers, so a
wrong type or value is a :class:`~qnnsym.errors.ValidationError` naming the argument, never a
silent wrong answer (``prop5_instance(True)``, ``dense_instance(2, seed=0.5)``) and never an
``AttributeError`` from deep inside (``Gate('Z0')``, ``loss_poly(None)``).

* :func:`as_int` — an integer (``bool`` and non-integral numbers refused; optional bounds; decimal
  text accepted where ``text=True``, with a digit limit instead of Python's 4,300-digit ``ValueError``);
* :func:`as_finite_real` — a finite real number (NaN, ±inf, complex refused);
* :func:`require_type` — an instance of the expected class(es);
* :func:`finite_array` — a real or complex array with no NaN/inf (``real=True`` refuses complex values);
* :func:`loads_json` — JSON read strictly, as the certificate checker reads it: a duplicated key (the
  last one would silently win), ``NaN``/``Infinity``, an integer of more than :data:`MAX_DIGITS` digits
  and nesting deeper than Python's recursion limit are refused.

Examples
--------
>>> as_int(3, "p", lo=1)
3
>>> try:
...     as_int(True, "p")
... except ValidationError as e:
...     print(e)
p: True is a bool (expected an integer)
>>> try:
...     as_int(0.5, "seed", lo=0)
... except ValidationError as e:
...     print(e)
seed: 0.5 is not an integer (expected an integer ≥ 0)
"""
from __future__ import annotations

import json
import math
import numbers
import re

import numpy as np

from .errors import ValidationError

__all__ = ["as_int", "as_finite_real", "require_type", "finite_array", "loads_json", "MAX_DIGITS"]

#: the most decimal digits accepted for an integer given as text (Python refuses str -> int past 4300)
MAX_DIGITS = 4000
_INT_RE = re.compile(r"\s*[+-]?\d+\s*")


def _bounds(lo, hi) -> str:
    if lo is not None and hi is not None:
        return f"an integer in [{lo}, {hi}]"
    if lo is not None:
        return f"an integer ≥ {lo}"
    if hi is not None:
        return f"an integer ≤ {hi}"
    return "an integer"


def _show(v) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:20] + "…" + s[-10:] + f" ({len(s)} characters)"


def as_int(v, field: str, lo: int | None = None, hi: int | None = None, text: bool = False) -> int:
    """``v`` as an ``int`` within ``[lo, hi]``; ``bool``, floats, ``None`` and other types are refused.

    ``text=True`` also accepts a decimal string (command-line values) of at most :data:`MAX_DIGITS` digits."""
    expected = _bounds(lo, hi)
    if isinstance(v, bool) or isinstance(v, np.bool_):
        raise ValidationError(field, f"{v!r} is a bool", expected=expected)
    if isinstance(v, numbers.Integral):
        iv = int(v)
    elif text and isinstance(v, str) and _INT_RE.fullmatch(v):
        if len(v.strip().lstrip("+-")) > MAX_DIGITS:
            raise ValidationError(field, f"an integer of {len(v.strip().lstrip('+-'))} digits",
                                  expected=f"{expected} of at most {MAX_DIGITS} digits")
        iv = int(v)
    else:
        raise ValidationError(field, f"{_show(v)} is not an integer", expected=expected)
    if (lo is not None and iv < lo) or (hi is not None and iv > hi):
        raise ValidationError(field, _show(iv) if abs(iv) < 10 ** 30 else f"an integer of {len(str(abs(iv)))} digits"
                              if iv.bit_length() < 14000 else "a huge integer", expected=expected)
    return iv


def as_finite_real(v, field: str) -> float:
    """``v`` as a finite ``float`` (``bool``, complex, NaN and ±inf refused)."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
        raise ValidationError(field, f"{_show(v)} is not a real number", expected="a finite real number")
    try:
        x = float(v)
    except OverflowError:
        raise ValidationError(field, "too large for a float", expected="a finite real number") from None
    if not math.isfinite(x):
        raise ValidationError(field, f"{x!r}", expected="a finite real number")
    return x


def require_type(v, types, field: str, what: str):
    """``v`` itself when it is an instance of ``types``; else a ValidationError "got TYPE (expected WHAT)"."""
    if not isinstance(v, types):
        raise ValidationError(field, f"got {type(v).__name__} {_show(v)}", expected=what)
    return v


def finite_array(a, field: str, real: bool = False) -> np.ndarray:
    """``a`` as a numpy array of numbers with no NaN/inf; ``real=True`` refuses a non-zero imaginary part."""
    try:
        arr = np.asarray(a)
        if arr.dtype == object or arr.dtype.kind not in "biufc":
            arr = arr.astype(complex)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(field, f"cannot read {_show(a)} as numbers", expected="an array of numbers") from None
    if arr.dtype.kind == "c":
        if real:
            if np.any(arr.imag != 0):
                raise ValidationError(field, "complex values", expected="real numbers")
            arr = arr.real
    if arr.size and not np.all(np.isfinite(arr)):
        raise ValidationError(field, "NaN or infinite values", expected="finite numbers")
    return arr


class _Duplicate(Exception):
    pass


def _pairs(pairs: list) -> dict:
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise _Duplicate(k)
        out[k] = v
    return out


def _no_constant(name: str):
    raise ValueError(f"non-finite number {name}")


def _int_literal(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"an integer of {len(text.lstrip('-'))} digits (at most {MAX_DIGITS})")
    return int(text)


def loads_json(text: str, field: str, error: type[ValidationError] = ValidationError, nonfinite: bool = False):
    """Parse JSON strictly (see the module docstring); every refusal is ``error(field, ...)``.

    ``nonfinite=True`` lets ``NaN``/``Infinity`` through, for readers whose field checks refuse them
    naming the JSON path (instance files: ``samples[0].label: nan is not a finite number``).

    >>> loads_json('{"a": 1, "b": [0.5]}', "instance")
    {'a': 1, 'b': [0.5]}
    >>> try:
    ...     loads_json('{"a": 1, "a": 2}', "t.json")
    ... except ValidationError as e:
    ...     print(e)
    t.json: duplicated key 'a' in a JSON object (expected each key once (the last one would silently win))
    """
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_int_literal,
                          **({} if nonfinite else {"parse_constant": _no_constant}))
    except _Duplicate as e:
        raise error(field, f"duplicated key {e.args[0]!r} in a JSON object",
                    expected="each key once (the last one would silently win)") from None
    except json.JSONDecodeError as e:
        raise error(field, f"not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})",
                    expected="a JSON file") from None
    except RecursionError:
        raise error(field, "JSON nested too deeply", expected="a JSON file of reasonable depth") from None
    except ValueError as e:
        raise error(field, f"{e}", expected="finite numbers of reasonable size") from None
