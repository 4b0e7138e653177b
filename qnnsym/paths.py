"""File paths named by a user: one rule for every input and output file (a leaf utility).

The rule, the same for every command and API function that reads or writes a file:

* **outputs** (``-o FILE``, ``--certificate FILE``, ``--plot FILE``, ``--out DIR``,
  :func:`~qnnsym.model.instances.dump_instance`, ...): missing parent folders are **created**;
  an existing file is overwritten; a path that names an existing folder where a file is expected
  (or an existing file where a folder is expected), or that lies below a file, is refused;
* **nothing is lost** (:func:`distinct_paths`, checked by the command line before any work): every
  output path is resolved (``os.path.realpath``, and ``os.path.samefile`` for hard links) and
  compared with every input path and with every other output; an output that is an input, or two
  outputs on one file, are refused (``error: -o PATH: is the same file as INSTANCE …``).  Files a
  command writes on its own (inside ``-o DIR``, data beside a figure) are checked again when written
  (:func:`protected_inputs`);
* **every write is atomic** (:func:`write_text`, :func:`write_bytes`, :func:`atomic_path`): the new
  content goes to a temporary file in the same folder, is flushed and ``fsync``-ed, then
  ``os.replace``-d over the old file; a full disk, a write error or a kill leaves the old file whole;
* **a symlinked output is written through**: the link stays, its target gets the new content
  (as ``cp`` and shell redirection do); a dangling link creates its target, a link loop is refused;
* **run folders take a lock** (:func:`run_lock`): a second run on the same ``--out DIR`` is refused
  while the first holds it (``fcntl.flock``; released when the run ends, even on a kill);
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
>>> try:
...     distinct_paths({"INSTANCE": p}, {"-o": p})
... except ValidationError as e:
...     print(e.problem)
is the same file as INSTANCE (the input would be overwritten)
"""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from .errors import ValidationError

__all__ = ["output_file", "output_dir", "input_file", "write_text", "write_bytes", "atomic_path", "read_bytes",
           "read_text", "make_dirs", "distinct_paths", "protected_inputs", "run_lock", "LOCK_FILE"]

#: the lock file :func:`run_lock` keeps in a run folder
LOCK_FILE = ".qnnsym.lock"
_protected: dict[str, str] = {}       # realpath -> field of the inputs the running command reads
_locks: dict[str, int] = {}           # realpath of a locked folder -> fd of its lock file (this process)


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


def _target(p: Path, field: str) -> Path:
    """Where a write to ``p`` lands: the symlink rule (written through; a loop is refused)."""
    try:
        real = Path(os.path.realpath(p, strict=False))
        if p.is_symlink():
            os.stat(p)        # raises ELOOP on a loop (a dangling link is fine: its target is created)
    except FileNotFoundError:
        pass
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise ValidationError(_field(field, p), "is a symlink loop", expected="a file name or a working link",
                                  fix="remove the link or name another file") from None
        raise ValidationError(_field(field, p), f"cannot be resolved ({e.strerror or e})") from None
    except RuntimeError:      # Python < 3.13 realpath on a loop
        raise ValidationError(_field(field, p), "is a symlink loop", expected="a file name or a working link",
                              fix="remove the link or name another file") from None
    return real


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
        The path as given (a symlink stays a symlink: writes go through it).

    Raises
    ------
    ValidationError
        Empty path, an existing folder, a path below a file, a symlink loop, a name too long for the
        file system, or an unwritable location.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ValidationError(field, f"{type(path).__name__} is not a path", expected="a file name")
    p = Path(path)
    if not str(path).strip() or "\0" in str(path):
        raise ValidationError(field, "empty path" if not str(path).strip() else "contains a NUL byte",
                              expected="a file name")
    if p.is_dir() or str(path).endswith(("/", os.sep)):
        raise ValidationError(_field(field, p), "is a directory", expected="a file name",
                              fix=f"name a file inside it, e.g. {p / 'out.json'}")
    real = _target(p, field)
    if any(len(part.encode()) > 255 - 24 for part in real.parts):
        raise ValidationError(_field(field, p), "a file name is too long", expected="names under 230 bytes")
    if real.exists() and not os.access(real, os.W_OK):
        raise ValidationError(_field(field, p), "file is not writable", expected="a writable file")
    _check_ancestors(real, field)
    return p


def output_dir(path: str | os.PathLike, field: str = "path") -> Path:
    """Check an output folder path (it and its parents are created on writing, :func:`make_dirs`)."""
    if not isinstance(path, (str, os.PathLike)):
        raise ValidationError(field, f"{type(path).__name__} is not a path", expected="a folder name")
    p = Path(path)
    if not str(path).strip() or "\0" in str(path):
        raise ValidationError(field, "empty path" if not str(path).strip() else "contains a NUL byte",
                              expected="a folder name")
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


def _same(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    with contextlib.suppress(OSError):
        return os.path.samefile(a, b)      # hard links
    return False


def distinct_paths(inputs: Mapping[str, str | os.PathLike], outputs: Mapping[str, str | os.PathLike]) -> None:
    """Refuse an output file that is an input file, or two outputs on one file (the data-loss rule).

    Parameters
    ----------
    inputs, outputs : mapping
        ``{field: path}``, e.g. ``{"INSTANCE": "t.json"}`` and ``{"-o": "t.md", "--certificate": "c.json"}``.
        Paths are compared after resolving symlinks (``realpath``) and, when both exist, by inode.

    Raises
    ------
    ValidationError
        Field ``"-o PATH"``: ``is the same file as INSTANCE`` or ``is also the output of --certificate``.
    """
    outs = list(outputs.items())
    for i, (of, op) in enumerate(outs):
        for inf, ip in inputs.items():
            if _same(Path(op), Path(ip)):
                raise ValidationError(_field(of, Path(op)), f"is the same file as {inf} (the input would be overwritten)",
                                      expected="an output path that is not an input",
                                      fix=f"choose another name for {of}")
        for of2, op2 in outs[:i]:
            if _same(Path(op), Path(op2)):
                raise ValidationError(_field(of, Path(op)), f"is also the output of {of2} (one would overwrite the other)",
                                      expected="a different path for each output", fix=f"choose another name for {of}")


@contextlib.contextmanager
def protected_inputs(inputs: Mapping[str, str | os.PathLike]) -> Iterator[None]:
    """Within the block, :func:`write_bytes` refuses to replace any of ``inputs`` (``{field: path}``).

    The command line wraps every command in it, so a file written into an output folder can never
    replace the command's own input."""
    added = {os.path.realpath(p): f for f, p in inputs.items() if os.path.realpath(p) not in _protected}
    _protected.update(added)
    try:
        yield
    finally:
        for k in added:
            _protected.pop(k, None)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, field: str = "path") -> Iterator[Path]:
    """A temporary path beside ``path`` (same folder, same suffix) that replaces ``path`` on success.

    For writers that want a file name (``savefig``, ``qpy.dump`` through ``open``): write the whole
    file to the yielded path; on leaving the block it is ``fsync``-ed and renamed over ``path``
    (through a symlink, to its target).  On any error the temporary file is removed and ``path``
    keeps its old content; an ``OSError`` becomes a :class:`ValidationError` naming ``field``.
    """
    p = output_file(path, field)
    real = _target(p, field)
    if str(real) in _protected:
        raise ValidationError(_field(field, p), f"is the input {_protected[str(real)]} (it would be overwritten)",
                              fix=f"choose another name for {field}")
    tmp = None
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=real.parent, prefix=f".{real.stem[:100]}.", suffix=real.suffix[:20] + ".tmp")
        os.close(fd)
        tmp = Path(name)
        yield tmp
        mode = real.stat().st_mode & 0o7777 if real.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, real)
        tmp = None
    except OSError as e:
        raise ValidationError(_field(field, p), f"cannot write ({e.strerror or e}); the old file is unchanged") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


def write_bytes(path: str | os.PathLike, data: bytes, field: str = "path") -> Path:
    """Write ``data`` to an output file atomically (:func:`atomic_path`; missing folders are created)."""
    with atomic_path(path, field) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    return Path(path)


def write_text(path: str | os.PathLike, text: str, field: str = "path") -> Path:
    """Write ``text`` (ending in a newline) to an output file, creating missing parent folders.

    The file is replaced atomically (written beside it, ``fsync``-ed, then renamed): an interrupted
    or killed write, or a full disk, leaves the previous file whole, never half of the new one."""
    return write_bytes(path, (text if text.endswith("\n") else text + "\n").encode(), field)


@contextlib.contextmanager
def run_lock(folder: str | os.PathLike, field: str = "--out") -> Iterator[Path]:
    """Hold the lock of the run folder ``folder`` (created when missing) for the block.

    A second process asking for the same folder gets a :class:`ValidationError` at once (it does not
    wait); the lock is re-entrant within one process and released when the block ends or the
    process dies (``fcntl.flock`` on ``folder/.qnnsym.lock``)."""
    import fcntl

    d = make_dirs(folder, field)
    key = os.path.realpath(d)
    if key in _locks:
        yield d
        return
    lock = d / LOCK_FILE
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise ValidationError(_field(field, d), f"cannot create the lock file ({e.strerror or e})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        other = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise ValidationError(_field(field, d), f"is in use by another qnnsym run (pid {other})",
                              fix="wait for that run to finish, or choose another folder") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    _locks[key] = fd
    try:
        yield d
    finally:
        del _locks[key]
        os.close(fd)          # releases the lock


def input_file(path: str | os.PathLike, field: str = "path") -> Path:
    """Check an input file path: it must exist, be a file and be readable."""
    p = Path(path)
    try:
        os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise ValidationError(_field(field, p), "is a symlink loop", expected="an existing file") from None
        if p.is_symlink():
            raise ValidationError(_field(field, p), "is a dangling symlink (its target does not exist)",
                                  expected="an existing file") from None
        if e.errno == errno.ENAMETOOLONG:
            raise ValidationError(_field(field, p), "the file name is too long", expected="an existing file") from None
        if e.errno not in (errno.ENOENT, errno.ENOTDIR):
            raise ValidationError(_field(field, p), f"cannot be read ({e.strerror or e})") from None
        raise ValidationError(_field(field, p), "no such file", expected="an existing file") from None
    if p.is_dir():
        raise ValidationError(_field(field, p), "is a directory", expected="a file",
                              fix="name a file inside it")
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
