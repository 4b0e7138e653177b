"""Label converged runs with the critical point they reached (basin frequencies).

A *reference table* lists critical points block by block (the loss of a separable instance is a
sum over independent blocks, docs/math.md "Separable structure"; a table without blocks is one block
holding every parameter).  A run is matched block by block to the nearest listed point on the
torus (each ``θ_l`` modulo its period ``2π/ω_l``); if some block is farther than ``tol`` from every
listed point the run is reported as **unmatched** (it converged to no listed point).

Sources of tables:

* :meth:`ReferenceTable.from_critical_table` — a certified
  :class:`~qnnsym.critical.table.CriticalTable` (``points`` listed, or aggregated ``blocks``);
* :meth:`ReferenceTable.prop5` — the Proposition-5 instance, whose critical set is known in closed
  form (derivation in ``docs/experiments.md``): per coordinate ``u_l = φ_l − a_l ∈ {0, π}`` (minima,
  ``u = 0`` global) and ``cos u_l = −w/(1 − w)`` (maxima), ``w = s1_copies · r²``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from ..errors import ValidationError
from ..exact.scalars import parse_scalar
from ..model.data import Instance

__all__ = ["RefPoint", "ReferenceTable", "Match", "match_runs", "basin_frequencies", "reference_table"]


@dataclass(frozen=True)
class RefPoint:
    """A listed critical point of one block: ``theta`` (θ units), ``kind``, ``is_global``."""

    theta: tuple[float, ...]
    kind: str
    is_global: bool | None
    loss: float | None = None


@dataclass
class ReferenceTable:
    """Critical points by independent block; ``period[l] = 2π/ω_l``."""

    p: int
    period: np.ndarray
    blocks: list[tuple[tuple[int, ...], list[RefPoint]]]
    source: str
    certification: str

    def __post_init__(self):
        seen = sorted(i for idx, _ in self.blocks for i in idx)
        if seen != list(range(self.p)):
            raise ValidationError("blocks", f"cover parameters {seen}", expected=f"each of 0..{self.p - 1} exactly once")

    @classmethod
    def from_critical_table(cls, table) -> "ReferenceTable":
        """From a :class:`~qnnsym.critical.table.CriticalTable` (duck-typed: ``p``, ``omega``,
        ``points`` or ``blocks[i].indices/.points``, each point with ``theta``, ``kind``, ``is_global``)."""
        period = 2 * np.pi / np.asarray(table.omega, dtype=float)
        if not getattr(table, "complete", True):
            note = " (incomplete table: an unmatched run may sit at an unlisted point)"
        else:
            note = ""

        def conv(pts):
            return [RefPoint(tuple(float(t) for t in pt.theta), pt.kind, pt.is_global,
                             float(sum(pt.loss) / 2) if getattr(pt, "loss", None) is not None else None) for pt in pts]

        if table.points is not None:
            blocks = [(tuple(range(table.p)), conv(table.points))]
        else:
            blocks = [(tuple(b.indices), conv(b.points)) for b in table.blocks]
        return cls(table.p, period, blocks, "critical_table" + note, table.certification)

    @classmethod
    def prop5(cls, inst: Instance) -> "ReferenceTable":
        """Closed-form critical points of :func:`~qnnsym.model.instances.prop5_instance` (``w < 1/2``)."""
        meta = inst.meta or {}
        if meta.get("builtin") != "prop5":
            raise ValidationError("instance", "not a Proposition-5 instance", expected="prop5_instance(...)")
        r = parse_scalar(meta["r"])
        w = Fraction(meta.get("s1_copies", 1)) * r * r
        if not w < Fraction(1, 2):
            raise ValidationError("r", f"w = s1_copies·r² = {w}", expected="w < 1/2 (non-degenerate critical points)")
        m = inst.m
        umax = float(np.arccos(float(-w / (1 - w))))
        cmax = -w / (1 - w)
        lmax = float(((1 - cmax * cmax) + w * (cmax - 1) ** 2) / m)
        blocks = []
        for l, (c, s) in enumerate(meta["angles"]):
            a = float(np.arctan2(float(parse_scalar(s)), float(parse_scalar(c))))
            pts = [RefPoint(((a + u) / 2 % np.pi,), kind, glob, val)
                   for u, kind, glob, val in ((0.0, "minimum", True, 0.0), (np.pi, "minimum", False, float(4 * w / m)),
                                              (umax, "maximum", False, lmax), (-umax, "maximum", False, lmax))]
            blocks.append(((l,), pts))
        return cls(inst.p, np.full(inst.p, np.pi), blocks, "closed form (Proposition 5)", "exact")


@dataclass(frozen=True)
class Match:
    """Where a run ended: ``label`` (``None`` = unmatched), ``kind``, ``is_global``, ``distance``."""

    label: str | None
    kind: str | None
    is_global: bool | None
    distance: float


def _combine_kind(kinds: Sequence[str]) -> str:
    if any(k == "degenerate" for k in kinds):
        return "degenerate"
    if all(k == "minimum" for k in kinds):
        return "minimum"
    if all(k == "maximum" for k in kinds):
        return "maximum"
    return "saddle"


def match_runs(theta: np.ndarray, ref: ReferenceTable, tol: float = 1e-3, chunk: int = 1 << 22) -> list[Match]:
    """Match each row of ``theta`` to the reference table (torus max-distance ``≤ tol`` per block).

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> ref = ReferenceTable.prop5(prop5_instance(2))
    >>> th = np.array([[ref.blocks[0][1][0].theta[0] + np.pi, ref.blocks[1][1][1].theta[0]]])
    >>> match_runs(th, ref)[0].label, match_runs(th, ref)[0].is_global
    ('0.1', False)
    """
    th = np.asarray(theta, dtype=float)
    if th.ndim != 2 or th.shape[1] != ref.p:
        raise ValidationError("theta", f"shape {th.shape}", expected=f"(N, {ref.p})")
    N = th.shape[0]
    idx_all = np.zeros((N, len(ref.blocks)), dtype=np.int64)
    dist_all = np.zeros((N, len(ref.blocks)))
    for b, (idx, pts) in enumerate(ref.blocks):
        if not pts:
            idx_all[:, b], dist_all[:, b] = -1, np.inf
            continue
        per = ref.period[list(idx)]
        P = np.array([pt.theta for pt in pts])                    # (P, k)
        x = th[:, idx]
        step = max(1, chunk // max(1, P.size))
        for i in range(0, N, step):
            d = np.abs((x[i:i + step, None, :] - P[None]) % per)
            d = np.minimum(d, per - d).max(axis=-1)                # (n, P)
            j = d.argmin(axis=1)
            idx_all[i:i + step, b] = j
            dist_all[i:i + step, b] = d[np.arange(len(j)), j]
    out = []
    for n in range(N):
        dist = float(dist_all[n].max())
        if not dist <= tol:
            out.append(Match(None, None, None, dist))
            continue
        pts = [ref.blocks[b][1][j] for b, j in enumerate(idx_all[n])]
        glob = None if any(pt.is_global is None for pt in pts) else all(pt.is_global for pt in pts)
        out.append(Match(".".join(str(j) for j in idx_all[n]), _combine_kind([pt.kind for pt in pts]), glob, dist))
    return out


def basin_frequencies(matches: Sequence[Match]) -> list[dict]:
    """Rows ``{basin, kind, global, runs, fraction}`` sorted by frequency; unmatched runs as ``basin = "unmatched"``."""
    cnt = Counter((m.label, m.kind, m.is_global) for m in matches)
    n = max(1, len(matches))
    rows = [{"basin": lab if lab is not None else "unmatched", "kind": kind or "", "global": glob,
             "runs": c, "fraction": c / n} for (lab, kind, glob), c in cnt.items()]
    return sorted(rows, key=lambda r: (-r["runs"], r["basin"]))


def reference_table(inst: Instance, time_limit: float | None = 60.0) -> ReferenceTable | None:
    """The best available table for ``inst``: closed form for Proposition-5 instances, else a
    certified :func:`~qnnsym.critical.table.critical_table` (``None`` when none can be had in
    ``time_limit`` seconds or the critical engine is unavailable)."""
    if (inst.meta or {}).get("builtin") == "prop5":
        r = parse_scalar(inst.meta["r"])
        if Fraction(inst.meta.get("s1_copies", 1)) * r * r < Fraction(1, 2):
            return ReferenceTable.prop5(inst)
    if not inst.exact:
        return None
    try:
        from ..critical.table import critical_table
        table = critical_table(inst, time_limit=time_limit)
    except ImportError:
        return None
    except Exception as e:          # a table that cannot be had is not an experiment failure
        from ..errors import QnnsymError
        if isinstance(e, QnnsymError):
            return None
        raise
    if table.points is None and not table.blocks:
        return None
    return ReferenceTable.from_critical_table(table)
