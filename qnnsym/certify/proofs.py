"""The ``proofs/`` registry: one folder per statement of the paper, the function that regenerates
each certificate (``qnnsym prove --regenerate NAME``) and the batch re-check (``--check-all``)."""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Callable

from ..errors import ValidationError
from .certificate import (
    critical_certificate,
    fourier_degree_certificate,
    pauli_expansion_certificate,
    symbolic_identities_certificate,
    write_json,
)
from .checker.common import verdict_record

__all__ = ['PROOFS', 'INSTANCE_SUFFIX', 'SAMPLED', 'certificate_files', 'regenerate_proof', 'proofs_root', 'check_all']

#: instance files committed beside certificates (e.g. proofs/extremal-minima/) end so; they are not certificates
INSTANCE_SUFFIX = ".instance.json"


# --- proofs/ registry -------------------------------------------------------------------------------

def proofs_root() -> Path:
    """The ``proofs/`` folder of the source tree."""
    return Path(__file__).resolve().parents[2] / "proofs"


def certificate_files(root: str | Path | None = None) -> list[Path]:
    """Every certificate under ``root`` (default ``proofs/``): ``*.json`` except ``*.instance.json``.

    Examples
    --------
    >>> any(f.name.endswith(INSTANCE_SUFFIX) for f in certificate_files())
    False
    """
    base = Path(root) if root is not None else proofs_root()
    return sorted(f for f in base.rglob("*.json") if not f.name.endswith(INSTANCE_SUFFIX))


def _instance_proof(folder: str, instance_file: str, backend: str = "auto") -> Callable[[], dict]:
    """A generator of the critical-points certificate of an instance file committed in ``proofs/folder``."""
    def make() -> dict:
        from ..model.instances import load_instance

        return critical_certificate(load_instance(str(proofs_root() / folder / instance_file)), backend=backend)
    return make


def _critical_proof(builtin: str, backend: str | None = None, **params) -> Callable[[], dict]:
    """A generator of the critical-points certificate of a built-in instance (``backend``, default the
    ``auto`` route: msolve where installed and affordable, the homotopy where no exact route is)."""
    def make() -> dict:
        from ..model.instances import builtin_instance

        return critical_certificate(builtin_instance(builtin, **params), backend=backend or "auto")
    return make


def _extremal_proofs() -> dict[str, Callable[[], dict]]:
    """The records of ``proofs/extremal-minima/records.csv``: certificate -> its regenerator (from the
    committed instance file, with the engine the record was certified with)."""
    import csv

    path = proofs_root() / "extremal-minima" / "records.csv"
    if not path.is_file():
        return {}
    return {row["certificate"]: _instance_proof("extremal-minima", row["instance"], row.get("backend") or "auto")
            for row in csv.DictReader(path.read_text().splitlines())}


#: certificates that ``prove --check-all`` re-checks by a seeded sample (``qnnsym check --sample N``: N boxes,
#: N/20 real points, everything else in full) because the full re-proof takes minutes; ``--full`` checks them
#: in full (benchmarks/homotopy.py --proof does).  Each names its sample and the ``--max-cost`` its loss
#: interpolation needs (the estimate counts dense ``d³`` products: 1.4e9 at p = 5, about 60 s in fact)
SAMPLED: dict[str, dict] = {"theorem7-dense/dense-p5-seed0.json": {"sample": 2000, "max_cost": 2_000_000_000}}

#: proof folder name -> {file name: function returning the certificate}
PROOFS: dict[str, dict[str, Callable[[], dict]]] = {
    "eqs-07-15-symbolic": {"identities.json": symbolic_identities_certificate},
    "eqs-11-15-pauli-circuits": {"pauli-circuits.json": pauli_expansion_certificate},
    "sect5-fourier-degree": {"fourier-degree.json": fourier_degree_certificate},
    "theorem7-dense": {**{f"dense-p{p}-seed0.json": _critical_proof("dense", p=p, seed=0) for p in (1, 2, 3)},
                       **{f"dense-p{p}-seed0.json": _critical_proof("dense", backend="homotopy", p=p, seed=0)
                          for p in (4, 5)}},
    "prop5-counts": {f"prop5-p{p}.json": _critical_proof("prop5", p=p) for p in (1, 2, 3, 4)},
    "theorem2-constructions": {"theorem2-p2.json": _critical_proof("theorem2", p=2),
                               "prop5-coupled-p2.json": _critical_proof("prop5-coupled", p=2),
                               "integer-spectrum-p1.json": _critical_proof("integer-spectrum", p=1)},
    "extremal-minima": _extremal_proofs(),
}


def regenerate_proof(name: str, root: str | Path | None = None, progress: bool = False,
                     replace: bool = False) -> list[tuple[Path, str]]:
    """Recompute the certificates of one ``proofs/NAME`` folder under ``root``.

    An existing certificate (e.g. a committed one) is replaced only with ``replace=True``; without
    it the call refuses before any work, so a regeneration never rewrites ``proofs/`` silently.

    Returns
    -------
    list of (Path, str)
        Each file written and what happened to it: ``"new"``, ``"unchanged"`` (byte-identical) or
        ``"replaced"`` (the previous content differed).

    Raises
    ------
    ValidationError
        Unknown proof name, or an existing certificate without ``replace``.
    """
    if name not in PROOFS:
        raise ValidationError("proof", f"unknown proof {name!r}", expected="one of " + ", ".join(sorted(PROOFS)))
    folder = (Path(root) if root is not None else proofs_root()) / name
    existing = [folder / f for f in PROOFS[name] if (folder / f).exists()]
    if existing and not replace:
        raise ValidationError(str(existing[0]), f"exists ({len(existing)} of the {len(PROOFS[name])} certificates of "
                              f"{name} do)", fix="give --root DIR to regenerate elsewhere and compare, or --force "
                              "to replace them")
    out = []
    for fname, fn in PROOFS[name].items():
        path = folder / fname
        before = path.read_bytes() if path.exists() else None
        write_json(fn(), path)
        out.append((path, "new" if before is None else "unchanged" if path.read_bytes() == before else "replaced"))
    return out


def check_all(root: str | Path | None = None, progress: bool = False, echo=print, max_cost: int | None = None,
              max_bytes: int | None = None, full: bool = False) -> list[dict]:
    """Check every certificate (``*.json``) under ``proofs/``; one summary dict per file.

    The files of :data:`SAMPLED` get a sampled check (their line says ``ACCEPTED (sampled check: …)``) unless
    ``full``, with the ``max_cost`` the registry names for them unless one is given.

    Returns
    -------
    list of dict
        ``{"file", "accepted", "seconds", "verdicts"}``.
    """
    from .checker.check import check_files, format_verdicts
    from .checker.common import Verdict

    base = Path(root) if root is not None else proofs_root()
    files = certificate_files(base)
    if not files:
        raise ValidationError("--root", f"no certificate under {base}", expected="a proofs/ folder with *.json files")

    def rel_name(f) -> str:
        return Path(f).relative_to(base).as_posix()

    registered = [f for f in files if rel_name(f) in SAMPLED]
    runs = [check_files([f for f in files if f not in registered], progress=progress, max_cost=max_cost,
                        max_bytes=max_bytes)]
    runs += [check_files([f], progress=progress, max_cost=max_cost if max_cost is not None else entry["max_cost"],
                         max_bytes=max_bytes, sample=None if full else entry["sample"])
             for f, entry in ((f, SAMPLED[rel_name(f)]) for f in registered)]
    out = []
    for f, verdicts, err, dt in itertools.chain(*runs):
        rel = Path(f).relative_to(base)
        if err is not None:
            verdicts = [Verdict("the file is a well-formed certificate", False, err)]
        echo(format_verdicts(verdicts, str(rel)).splitlines()[-1] + f" [{dt:.1f} s]")
        for v in verdicts:
            if not v.ok:
                echo(f"    FAIL {v.claim} — {v.detail}")
        out.append(verdict_record(rel, verdicts, dt))
    return out
