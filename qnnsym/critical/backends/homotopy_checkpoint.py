"""Per-batch checkpoints of a homotopy run (``--checkpoint DIR``, ``--resume``).

The homotopy backend tracks its paths in rounds, each round in batches (of
:func:`~.homotopy_backend.default_batch` paths); a batch is the unit of work handed to an executor. With a
checkpoint folder every finished batch's endpoints, status and step counts are written at once (atomically,
:func:`qnnsym.paths.write_bytes`), so a lost worker, a Ctrl-C or a killed run loses at most the batches in
flight; ``resume`` reads the stored batches back (with the boxes their worker certified: the run's final check
re-proves every box it keeps, so nothing read back is trusted) and tracks only the others.

Layout of the folder::

    manifest.json                what was solved: system sha256, p, bound, seed, batch size, max_paths,
                                 and per round: γ (None: the first homotopy), hmax, rotation, paths, batches
    round-000.npz                the paths of round 0 (0-based start-solution indices)
    round-000/batch-00000.npz    one finished batch: idx, t (endpoints), status, steps, and the certified
                                 boxes of its finished endpoints: mid, rad, chart, ok

A checkpoint of another system (instance or block), seed, batch size or path limit is refused, so that
a resume never mixes two runs; a folder that holds something else is never written into.

Examples
--------
>>> import tempfile, numpy as np
>>> d = tempfile.mkdtemp()
>>> ident = {"system_sha256": "ab" * 32, "p": 2, "bound": 8, "seed": 0, "batch": 4, "max_paths": None}
>>> with open_checkpoint(d, ident, resume=False) as ck:
...     ck.start_round(0, np.arange(8), None, 0.1, None)
...     ck.save_batch(0, 1, (np.arange(4, 8), np.zeros((4, 2), complex), np.zeros(4, int), np.ones(4, int)),
...                   (np.zeros((4, 2), complex), np.full(4, 1e-10), np.zeros((4, 2), bool), np.ones(4, bool)))
>>> with open_checkpoint(d, ident, resume=True) as ck:
...     todo, gamma, hmax, rot = ck.round(0)
...     sorted(ck.finished(0, [np.arange(0, 4), np.arange(4, 8)]))
[1]
>>> try:
...     open_checkpoint(d, dict(ident, seed=1), resume=True).__enter__()
... except ValidationError as e:
...     print(e.problem)
holds a run with seed 0 (this run: seed 1)
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Iterator

import numpy as np

from ...errors import ValidationError
from ...paths import LOCK_FILE, output_dir, run_lock, write_bytes, write_text

__all__ = ["FORMAT", "MANIFEST", "Checkpoint", "open_checkpoint", "system_digest"]

FORMAT = "qnnsym homotopy checkpoint"
#: the manifest's file name in the checkpoint folder
MANIFEST = "manifest.json"
_VERSION = 1
_NAMES = {"system_sha256": "system (loss sha256)", "p": "p", "bound": "path count", "seed": "seed",
          "batch": "batch size", "max_paths": "path limit"}


def system_digest(loss) -> str:
    """SHA-256 of the exact loss whose critical points are solved (its canonical JSON, ``TrigPoly.as_json``)."""
    return hashlib.sha256(json.dumps(loss.as_json(), sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


class Checkpoint:
    """An open checkpoint folder (see the module docstring); use :func:`open_checkpoint`."""

    def __init__(self, folder: Path, identity: dict, field: str, manifest: dict | None):
        self.folder, self.field = folder, field
        self.manifest = manifest or dict(format=FORMAT, version=_VERSION, **identity, rounds=[])
        #: batches read back from the folder / written to it by this run
        self.loaded = self.saved = 0
        if manifest is None:
            self._write_manifest()

    def _write_manifest(self) -> None:
        write_text(self.folder / MANIFEST, json.dumps(self.manifest, indent=1), self.field)

    def _round_dir(self, rnd: int) -> Path:
        return self.folder / f"round-{rnd:03d}"

    def round(self, rnd: int):
        """``(paths, γ, hmax, rotation)`` of a round the resumed run started, else None."""
        rec = next((r for r in self.manifest["rounds"] if r["round"] == rnd), None)
        if rec is None:
            return None
        try:
            with np.load(self.folder / f"round-{rnd:03d}.npz", allow_pickle=False) as z:
                todo = z["paths"].astype(int)
        except (OSError, ValueError, KeyError) as e:
            raise ValidationError(f"{self.field} {self.folder}", f"round-{rnd:03d}.npz is unreadable ({e})",
                                  fix="start afresh in another folder") from None
        gamma = None if rec["gamma"] is None else complex(*rec["gamma"])
        rot = None if rec["rotation"] is None else np.array(rec["rotation"], dtype=float)
        return todo, gamma, float(rec["hmax"]), rot

    def start_round(self, rnd: int, todo, gamma, hmax: float, rot) -> None:
        """Record a round before its first batch (its paths first, then the manifest naming it)."""
        todo = np.asarray(todo, dtype=np.int64)
        write_bytes(self.folder / f"round-{rnd:03d}.npz", _npz(paths=todo), self.field)
        batch = self.manifest["batch"]
        self.manifest["rounds"].append({
            "round": rnd, "gamma": None if gamma is None else [gamma.real, gamma.imag], "hmax": hmax,
            "rotation": None if rot is None else [float(x) for x in rot], "paths": int(len(todo)),
            "batches": -(-len(todo) // batch)})
        self._write_manifest()

    def finished(self, rnd: int, batch_paths: list) -> dict:
        """``{b: ((idx, t, status, steps), (mid, rad, chart, ok))}`` of the stored batches of round ``rnd``
        whose paths are ``batch_paths[b]`` (a file that is unreadable or holds other paths is ignored:
        that batch is tracked again)."""
        out = {}
        d = self._round_dir(rnd)
        if not d.is_dir():
            return out
        for b, idx in enumerate(batch_paths):
            f = d / f"batch-{b:05d}.npz"
            if not f.is_file():
                continue
            try:
                with np.load(f, allow_pickle=False) as z:
                    res = z["idx"].astype(int), z["t"], z["status"], z["steps"]
                    cert = z["mid"], z["rad"], z["chart"], z["ok"]
            except (OSError, ValueError, KeyError):
                continue
            n_fin = int((res[2] == 0).sum()) if len(res[2]) == len(idx) else -1
            if np.array_equal(res[0], idx) and res[1].shape == (len(idx), self.manifest["p"]) \
                    and all(len(c) == n_fin for c in cert):
                out[b] = res, cert
        self.loaded += len(out)
        return out

    def save_batch(self, rnd: int, b: int, result, cert) -> None:
        """Store one finished batch ``(idx, t, status, steps)`` and its certified boxes ``(mid, rad, chart,
        ok)`` (atomic)."""
        idx, t, status, steps = result
        mid, rad, chart, ok = cert
        write_bytes(self._round_dir(rnd) / f"batch-{b:05d}.npz",
                    _npz(idx=idx, t=t, status=status, steps=steps, mid=mid, rad=rad, chart=chart, ok=ok), self.field)
        self.saved += 1


@contextlib.contextmanager
def open_checkpoint(folder, identity: dict, resume: bool, field: str = "--checkpoint") -> Iterator[Checkpoint]:
    """Open (create, or with ``resume`` continue) the checkpoint folder of one homotopy run, locked for it.

    Parameters
    ----------
    folder : path
        Created when missing.  ``resume`` with no checkpoint there starts a new one.
    identity : dict
        ``system_sha256, p, bound, seed, batch, max_paths``: a stored run must match every field.

    Raises
    ------
    ValidationError
        The folder holds a checkpoint and ``resume`` is not set; it holds a checkpoint of another run
        (naming the field that differs); it holds other files; another process uses it.
    """
    d = output_dir(folder, field)
    where = f"{field} {d}"
    manifest = None
    if (d / MANIFEST).is_file():
        try:
            manifest = json.loads((d / MANIFEST).read_text())
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise ValueError("not a qnnsym homotopy checkpoint")
        except (OSError, ValueError) as e:
            raise ValidationError(where, f"{MANIFEST} is unreadable ({str(e)[:80]})",
                                  expected="a folder written by --checkpoint", fix="choose another folder") from None
        if not resume:
            raise ValidationError(where, "holds the checkpoint of an earlier run",
                                  fix="add --resume to continue it, or choose an empty folder")
        for k, name in _NAMES.items():
            if manifest.get(k) != identity[k]:
                show = (lambda v: f"{v[:12]}…" if k == "system_sha256" and isinstance(v, str) else v)
                raise ValidationError(where, f"holds a run with {name} {show(manifest.get(k))} "
                                             f"(this run: {name} {show(identity[k])})",
                                      expected="the checkpoint of this same run (instance, --seed-start)",
                                      fix="resume with the instance and seed it was started with, or choose "
                                          "another folder for a new run")
    elif d.is_dir() and any(n != LOCK_FILE for n in os.listdir(d)):
        raise ValidationError(where, "is not empty and holds no qnnsym checkpoint",
                              expected="an empty or new folder, or a checkpoint folder", fix="choose another folder")
    with run_lock(d, field):
        yield Checkpoint(d, identity, field, manifest)
