"""File paths named by a user: one rule for every input and output file (a leaf utility).

The rule, the same for every command and API function that reads or writes a file:

* **outputs** (``-o FILE``, ``--certificate FILE``, ``--plot FILE``, ``--out DIR``,
  :func:`~qnnsym.model.instances.dump_instance`, ...): missing parent folders are **created**;
  an existing file is overwritten; a path that names an existing folder where a file is expected
  (or an existing file where a folder is expected), or that lies below a file, is refused;
* **inputs** (instance files, certificates): the path must name an existing, readable file.

Every refusal is a :class:`~qnnsym.errors.ValidationError` whose field is the name the caller
gives (the CLI passes the flag and the path, e.g. ``-o results/t.json``), so the command line
prints ``error: -o results/t.json: is a directory (...)`` and exits with status 2.

Examples
--------
>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> p = output_file(os.path.join(d, "new", "t.json"), "-o")   # checked, nothing created yet
>>> write_text(p, "{}", "-o").read_text()
'{}\\n'
>>> try:
...     output_file(d, "-o")
... except ValidationError as e:
...     print(e.problem)
is a directory
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import ValidationError

__all__ = ["output_file", "output_dir", "input_file", "write_text", "read_bytes", "read_text", "make_dirs"]


def _field(field: str, path: Path) -> str:
    return f"{field} {path}" if field else str(path)


def _check_ancestors(path: Path, field: str) -> None:
    """The nearest existing ancestor of ``path`` must be a writable folder (missing ones get created)."""
    anc = path.parent
    while not anc.exists() and anc != anc.parent:
        anc = anc.parent
    if anc.exists() and not anc.is_dir():
        raise ValidationError(_field(field, path), f"{anc} is a file, not a folder",
                              expected="a path whose folders are folders")
    if anc.exists() and not os.access(anc, os.W_OK | os.X_OK):
        raise ValidationError(_field(field, path), f"folder {anc} is not writable", expected="a writable location")


def output_file(path: str | os.PathLike, field: str = "path") -> Path:
    """Check an output file path without touching the disk (see the module's rule).

    Parameters
    ----------
    path : str or PathLike
    field : str
        Name used in the error (``"-o"``, ``"--certificate"``, ...).

    Returns
    -------
    Path

    Raises
    ------
    ValidationError
        Empty path, an existing folder, a path below a file, or an unwritable location.
    """
    p = Path(path)
    if not str(path).strip():
        raise ValidationError(field, "empty path", expected="a file name")
    if p.is_dir() or str(path).endswith(("/", os.sep)):
        raise ValidationError(_field(field, p), "is a directory", expected="a file name",
                              fix=f"name a file inside it, e.g. {p / 'out.json'}")
    if p.exists() and not os.access(p, os.W_OK):
        raise ValidationError(_field(field, p), "file is not writable", expected="a writable file")
    _check_ancestors(p, field)
    return p


def output_dir(path: str | os.PathLike, field: str = "path") -> Path:
    """Check an output folder path (it and its parents are created on writing, :func:`make_dirs`)."""
    p = Path(path)
    if not str(path).strip():
        raise ValidationError(field, "empty path", expected="a folder name")
    if p.exists() and not p.is_dir():
        raise ValidationError(_field(field, p), "is a file", expected="a folder (created when missing)")
    if p.is_dir() and not os.access(p, os.W_OK | os.X_OK):
        raise ValidationError(_field(field, p), "folder is not writable", expected="a writable folder")
    _check_ancestors(p, field)
    return p


def make_dirs(path: str | os.PathLike, field: str = "path") -> Path:
    """Create the output folder ``path`` (and its parents) after :func:`output_dir`'s checks."""
    p = output_dir(path, field)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ValidationError(_field(field, p), f"cannot create the folder ({e.strerror or e})") from None
    return p


def write_text(path: str | os.PathLike, text: str, field: str = "path") -> Path:
    """Write ``text`` (ending in a newline) to an output file, creating missing parent folders.

    The file is replaced atomically (written beside it, then renamed): an interrupted or killed
    write leaves the previous file whole, never half of the new one."""
    p = output_file(path, field)
    tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, p)
    except OSError as e:
        raise ValidationError(_field(field, p), f"cannot write ({e.strerror or e})") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return p


def input_file(path: str | os.PathLike, field: str = "path") -> Path:
    """Check an input file path: it must exist, be a file and be readable."""
    p = Path(path)
    if not p.exists():
        raise ValidationError(_field(field, p), "no such file", expected="an existing file")
    if p.is_dir():
        raise ValidationError(_field(field, p), "is a directory", expected="a file")
    if not os.access(p, os.R_OK):
        raise ValidationError(_field(field, p), "file is not readable", expected="a readable file")
    return p


def read_bytes(path: str | os.PathLike, field: str = "path", max_bytes: int | None = None) -> bytes:
    """The bytes of an input file (at most ``max_bytes``)."""
    p = input_file(path, field)
    try:
        size = p.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ValidationError(_field(field, p), f"{size} bytes", expected=f"at most {max_bytes} bytes")
        return p.read_bytes()
    except OSError as e:
        raise ValidationError(_field(field, p), f"cannot be read ({e.strerror or e})") from None


def read_text(path: str | os.PathLike, field: str = "path", max_bytes: int | None = None) -> str:
    """The UTF-8 text of an input file."""
    raw = read_bytes(path, field, max_bytes)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValidationError(_field(field, Path(path)), f"not UTF-8 text ({e.reason} at byte {e.start})",
                              expected="a UTF-8 text file") from None
