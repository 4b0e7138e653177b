"""The size of an expansion, estimated before it starts (so that ``qnnsym expand`` never "hangs").

Bounds used (all upper bounds, cheap to evaluate):

* **Outputs** (eq. 12): ``f(ρ, θ)`` has at most ``Π_l (2 D_l + 1)`` harmonic terms, ``D_l`` the
  largest frequency of gate ``l`` in units of its base frequency (1 for a two-level gate).
* **Pauli propagation** (eq. 11): a gate can only split a Pauli string it anticommutes with, and a
  string only grows on the qubits of the gates it has met.  Following the *light cone* of the
  starting operator (``M`` in the Heisenberg picture, each ``ρ_k`` in the Schrödinger picture), a
  gate acting outside the cone leaves every term as it is; a gate touching the cone can multiply
  the number of terms by ``1 + 2t`` (``t`` Pauli terms in its generator).  The cost never depends
  on ``2^n``.
* **Dense engine**: ``Π_l(2D_l+1)`` exact ``d × d`` matrices (``d = 2^n`` or the matrix size).
* **Loss** (eq. 6): at most ``Π_l (4 D_l + 1)`` terms, computed by one dense exact product per
  sample (:mod:`qnnsym.exact.kronecker`).

The time estimate multiplies these counts by rates measured on this project's benchmark machine
(``benchmarks/bench_robust_sizes.py``); it is an order of magnitude, stated as such.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import prod

from ..budget import BYTES_PER_EXACT_TERM, format_count
from ..errors import JobTooLarge
from ..exact.paulis import PauliSum
from ..model.circuit import Gate
from ..model.data import Instance
from .phi import MAX_EXPANSION_TERMS, resolve_engine

__all__ = ["ExpansionEstimate", "expansion_estimate", "refuse_out_of_reach", "DEFAULT_EXPAND_SECONDS", "MAX_EXPANSION_TERMS"]

#: without ``--time-limit``, an expansion estimated to take longer than this is refused
DEFAULT_EXPAND_SECONDS = 60.0

# measured rates (seconds per unit), see benchmarks/bench_robust_sizes.py
_PAULI_STEP = 3e-6      # one term through one gate of the Pauli propagation
_LOSS_TERM = 2.5e-6     # one entry of one sample's dense loss product
_PRINT_TERM = 2e-5      # formatting one term of the result
_DENSE_ENTRY = 2e-6     # one exact matrix entry through one gate (dense engine)


@dataclass(frozen=True)
class ExpansionEstimate:
    """Upper bounds on the work of an expansion (see the module docstring)."""

    engine: str
    picture: str
    propagation_terms: int  # largest intermediate operator (Pauli terms or matrix entries)
    output_terms: int       # per output
    loss_terms: int         # 0 unless the loss is asked for
    seconds: float

    @property
    def largest(self) -> int:
        return max(self.propagation_terms, self.output_terms, self.loss_terms)

    def describe(self) -> str:
        parts = [f"{self.engine} engine"]
        if self.engine == "pauli":
            parts.append(f"{self.picture} picture: ≤ {format_count(self.propagation_terms)} propagated Pauli terms")
        else:
            parts.append(f"≤ {format_count(self.propagation_terms)} exact matrix entries")
        parts.append(f"≤ {format_count(self.output_terms)} terms per output")
        if self.loss_terms:
            parts.append(f"≤ {format_count(self.loss_terms)} loss terms")
        secs = f"{self.seconds:.2g} s" if self.seconds < 1e6 else f"{self.seconds:.1e} s"
        return ", ".join(parts) + f"; ≈ {secs}"


def _support(op: PauliSum) -> int:
    mask = 0
    for x, z in op:
        mask |= x | z
    return mask


def _light_cone(ops, start: PauliSum) -> tuple[int, int, set[int]]:
    """``(terms, work, gates)``: upper bounds on the terms of the propagated ``start`` and on the
    term-gate steps spent, and the indices (into ``ops``) of the gates inside the cone."""
    cone, terms, work, inside = _support(start), len(start), 0, set()
    for i, op in ops:
        gen = op.generator if isinstance(op, Gate) else op.pauli
        g = _support(gen)
        work += terms
        if g & cone:
            terms *= 1 + 2 * len(gen) if isinstance(op, Gate) else 2
            cone |= g
            inside.add(i)
    return terms, work, inside


def expansion_estimate(inst: Instance, engine: str = "auto", loss: bool = False) -> ExpansionEstimate:
    """Upper bounds on the size and an order-of-magnitude time of :func:`~qnnsym.expansion.phi.output_polys`
    (and :func:`~qnnsym.expansion.phi.loss_poly` when ``loss``).

    Examples
    --------
    >>> from qnnsym.model.instances import builtin_instance
    >>> e = expansion_estimate(builtin_instance("prop5", p=3), loss=True)
    >>> e.engine, e.output_terms, e.loss_terms      # each output depends on one parameter
    ('pauli', 3, 30)
    """
    qnn, M = inst.qnn, inst.observable
    eng = resolve_engine(qnn, M, engine)
    ops = list(enumerate(qnn.ops))
    gate_of = {i: l for l, (i, op) in enumerate((i, op) for i, op in ops if isinstance(op, Gate))}
    D = [max(1, g.max_gap // g.omega) if g.spectrum is not None else 1 for g in qnn.gates]
    states = [s.state for s in inst.dataset.samples]
    every = set(range(qnn.n_gates))               # gate-level (shared parameters: an upper bound)
    if eng == "pauli":
        heis_terms, heis_work, heis_gates = _light_cone(list(reversed(ops)), M)
        cones = [_light_cone(ops, r) if isinstance(r, PauliSum) else (4 ** M.n, 4 ** M.n, set(gate_of)) for r in states]
        # f_k depends only on the parameters inside both cones (outside either one a gate commutes)
        deps = [{gate_of[i] for i in c[2] & heis_gates if i in gate_of} for c in cones]
        start_schr = sum(len(r) for r in states if isinstance(r, PauliSum))
        picture = "schrodinger" if all(isinstance(r, PauliSum) for r in states) and start_schr < len(M) else "heisenberg"
        if picture == "schrodinger":
            prop, work = max(c[0] for c in cones), sum(c[1] for c in cones)
        else:
            prop, work = heis_terms, heis_work
        seconds = work * _PAULI_STEP
    else:
        picture, d = "dense", inst.dim
        deps = [every] * inst.m
        prop = prod(2 * x + 1 for x in D) * d * d
        seconds = prop * len(ops) * _DENSE_ENTRY * max(1, d // 8)
    out_terms = max((prod(2 * D[l] + 1 for l in S) for S in deps), default=1)
    if eng == "pauli":
        prop = min(prop, out_terms * max(len(M), 1) if picture == "heisenberg" else prop)
    loss_terms = min(prod(4 * x + 1 for x in D), sum(prod(4 * D[l] + 1 for l in S) for S in deps)) if loss else 0
    seconds += inst.m * loss_terms * _LOSS_TERM + (loss_terms or inst.m * out_terms) * _PRINT_TERM
    return ExpansionEstimate(eng, picture, prop, out_terms, loss_terms, seconds)


def refuse_out_of_reach(est: ExpansionEstimate, time_limit: float | None, field: str = "instance") -> None:
    """Refuse (:class:`~qnnsym.errors.JobTooLarge`) an expansion whose estimate is out of reach when no
    time limit was given: more than :data:`DEFAULT_EXPAND_SECONDS` or :data:`MAX_EXPANSION_TERMS`.
    With a time limit the job runs (the estimates are upper bounds) and stops at the limit.

    Examples
    --------
    >>> refuse_out_of_reach(ExpansionEstimate("pauli", "heisenberg", 10, 9, 0, 0.1), None)   # small: runs
    """
    if time_limit is not None:
        return
    if est.seconds > DEFAULT_EXPAND_SECONDS or est.largest > MAX_EXPANSION_TERMS:
        mem = est.largest * BYTES_PER_EXACT_TERM
        raise JobTooLarge(field, f"estimated cost: {est.describe()} (≈ {format_count(mem)} bytes at most)",
                          size=est.largest, limit=MAX_EXPANSION_TERMS,
                          fix="the estimate is an upper bound: pass --time-limit SECONDS to try anyway "
                              "(it stops at the limit), or expand one sample (--sample K) or fewer gates")
