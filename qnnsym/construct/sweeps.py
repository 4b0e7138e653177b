"""Sweeps of constructions that split into independent tasks (for :mod:`qnnsym.executor`).

* :func:`minima_study`: the multi-start count of local minima of the Proposition-5 families, one
  task per ``p`` (``qnnsym study minima``);
* :func:`theorem2_over_seeds`: Theorem 2 on the exact Haar stand-in QNN (:func:`~.independence.cayley_qnn`)
  for many seeds, one task per seed (``qnnsym construct theorem2 --qnn cayley --seeds ...``).

Each task depends only on its own parameters and seed, so every executor returns the same rows
(``seconds`` aside).
"""
from __future__ import annotations

import time
from typing import Sequence

from ..errors import ValidationError
from ..validate import as_int
from .designs import MAX_DESIGN_P

__all__ = ["minima_study", "theorem2_over_seeds", "MINIMA_COLUMNS", "SEEDS_COLUMNS"]

MINIMA_COLUMNS = ["p", "starts", "converged", "distinct_minima", "2^p", "certified_minima", "global_fraction",
                  "seconds"]
SEEDS_COLUMNS = ["seed", "d", "p", "kappa", "loss_verified", "certified", "minima", "spurious", "seconds"]


def _minima_row(task: tuple) -> dict:
    from ..sim.search import multistart_minima
    from .prop5 import prop5_construction

    p, family, starts, seed, progress = task
    t0 = time.perf_counter()
    con = prop5_construction(p, coupled=family == "prop5-coupled")
    n = min(8 * 2 ** p, starts)
    r = multistart_minima(con.loss, n, seed=seed, progress=progress)
    return {"p": p, "starts": n, "converged": r["converged"], "distinct_minima": r["distinct_minima"],
            "2^p": 2 ** p, "certified_minima": con.certificate.n_minima if con.certificate.certified else "",
            "global_fraction": f"{r['global_fraction']:.4g}", "seconds": round(time.perf_counter() - t0, 2)}


def _run(fn, tasks, executor, progress: bool, desc: str, unit: str) -> list:
    from tqdm import tqdm

    from ..executor import LocalExecutor, get_executor

    ex = get_executor(executor or "local")
    rows: list = []
    try:
        with tqdm(total=len(tasks), disable=not progress, desc=f"{desc} ({ex.describe()})", unit=unit) as bar:
            if isinstance(ex, LocalExecutor) and ex.workers == 1:
                try:
                    for t in tasks:
                        rows.append(fn(t))
                        bar.update(1)
                except KeyboardInterrupt:
                    pass
            else:
                rows = ex.map(fn, tasks, on_done=lambda _: bar.update(1))
    finally:
        if ex is not executor:
            ex.close()
    return rows


def minima_study(ps: Sequence[int], family: str = "prop5", starts: int = 4096, seed: int = 0,
                 progress: bool = True, executor=None) -> list[dict]:
    """Distinct local minima found by batched multi-start descent on the Proposition-5 family
    (``min(8·2^p, starts)`` starts per ``p``), next to the certified count ``2^p``.

    >>> minima_study([1, 2], starts=64, progress=False)[1]["distinct_minima"]
    4
    """
    if family not in ("prop5", "prop5-coupled"):
        raise ValidationError("family", f"{family!r}", expected="prop5 or prop5-coupled")
    starts = as_int(starts, "--starts", lo=1)
    ps = [as_int(p, "--p", lo=1, hi=MAX_DESIGN_P) for p in ps]
    tasks = [(p, family, starts, seed, False) for p in ps if not (family == "prop5-coupled" and p < 2)]
    from ..tables import Table

    return Table(_run(_minima_row, tasks, executor, progress, "multistart", "p"), MINIMA_COLUMNS,
                 f"local minima found by multi-start descent ({family}, seed {seed})")


def _theorem2_row(task: tuple) -> dict:
    from .independence import cayley_qnn
    from .realise import theorem2_construction

    seed, d, p, eps, t = task
    t0 = time.perf_counter()
    qnn, M = cayley_qnn(d, p, seed)
    con = theorem2_construction(qnn, M, None, eps, t)
    cert = con.certificate
    return {"seed": seed, "d": d, "p": p, "kappa": str(con.kappa), "loss_verified": con.loss_verified,
            "certified": cert.certified, "minima": cert.n_minima, "spurious": cert.n_spurious,
            "seconds": round(time.perf_counter() - t0, 2)}


def theorem2_over_seeds(d: int, p: int, seeds: Sequence[int], eps="1/2", t="1/2", progress: bool = True,
                        executor=None) -> list[dict]:
    """Theorem 2 on ``cayley_qnn(d, p, seed)`` for every seed: ``κ``, whether the loss matches the design
    and the landscape certificate (``2^p`` minima, ``2^p − 1`` spurious).

    >>> [r["minima"] for r in theorem2_over_seeds(4, 1, [0, 1], progress=False)]
    [2, 2]
    """
    from ..tables import Table

    return Table(_run(_theorem2_row, [(int(s), int(d), int(p), eps, t) for s in seeds], executor, progress,
                      "theorem 2", "seed"), SEEDS_COLUMNS, f"Theorem 2 on cayley_qnn({d}, {p}, seed)")
