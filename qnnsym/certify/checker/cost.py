"""Cost estimates of the checker's re-derivations, and the limit above which one is refused (``--max-cost``).

A certificate is untrusted input, and some of its claims cost exponentially much to re-derive: a
``pauli-expansion`` family enumerates ``(4^n − 1)^(p+1)`` circuits, the loss of a ``p``-gate instance
is interpolated on a ``Π (2D_l + 1)`` grid (``3^p`` for two-level gates), a symbolic identity is
expanded into words, a built-in origin is rebuilt from its parameters, the boxes of a homotopy block are
re-proved one by one.  Before each such re-derivation the checker estimates its cost, here and only
here (one function per kind of claim), and refuses a claim whose estimate exceeds the limit with a
verdict that quotes the estimate and the fix, instead of running it.

Unit: one **elementary operation**, an arithmetic operation on exact numbers (Python integers,
fractions, python-flint) or a step of the checker's Python code, about a microsecond;
vectorised float operations (numpy: the Krawczyk test, the disjointness sweep) count
:data:`FLOAT_OPS_PER_UNIT` to the unit.  The estimates are upper bounds of the dominant terms up to
constant factors, not timings; the default :data:`DEFAULT_MAX_COST` (``10^9``, at most tens of
minutes of work) is about 15 times the most expensive re-derivation in ``proofs/``
(docs/certificates.md, "Cost limit").

Examples
--------
>>> pauli_family_cost(1, 1) < DEFAULT_MAX_COST < pauli_family_cost(3, 4)
True
>>> with cost_limit(100):
...     print(over_limit(10 ** 6, "test"))
not checked: estimated cost 1,000,000 elementary operations (test), above the limit --max-cost 100 (fix: check it with --max-cost 1000000)
"""
from __future__ import annotations

import contextvars
import math
from contextlib import contextmanager
from typing import Iterator

__all__ = ["DEFAULT_MAX_COST", "FLOAT_OPS_PER_UNIT", "cost_limit", "current_limit", "over_limit",
           "identity_cost", "pauli_family_cost", "builtin_cost", "interpolation_cost", "expansion_cost",
           "rur_block_cost", "homotopy_block_cost"]

#: default largest estimated cost of one re-derivation (elementary operations, ``qnnsym check --max-cost``)
DEFAULT_MAX_COST = 10 ** 9
#: vectorised float64 operations (numpy) per elementary operation
FLOAT_OPS_PER_UNIT = 64
#: estimates are saturated here (anything this large is refused by any sensible limit)
_CAP = 10 ** 60

_LIMIT: contextvars.ContextVar[int] = contextvars.ContextVar("qnnsym_check_max_cost", default=DEFAULT_MAX_COST)


def _sat(x: int) -> int:
    return min(int(x), _CAP)


@contextmanager
def cost_limit(max_cost: int | None) -> Iterator[int]:
    """Run a check under the limit ``max_cost`` (``None``: :data:`DEFAULT_MAX_COST`)."""
    lim = DEFAULT_MAX_COST if max_cost is None else int(max_cost)
    if lim < 1:
        from ...errors import ValidationError
        raise ValidationError("--max-cost", f"{lim}", expected="a positive number of elementary operations")
    token = _LIMIT.set(lim)
    try:
        yield lim
    finally:
        _LIMIT.reset(token)


def current_limit() -> int:
    """The limit in force (:func:`cost_limit`)."""
    return _LIMIT.get()


def over_limit(cost: int, what: str) -> str | None:
    """None when ``cost`` is within the limit in force, else the detail of the refusing verdict."""
    from ...budget import format_count

    lim = _LIMIT.get()
    if cost <= lim:
        return None
    fix = f"check it with --max-cost {cost}" if cost < _CAP else "no limit makes this check feasible"
    return (f"not checked: estimated cost {format_count(cost)} elementary operations ({what}), above the limit "
            f"--max-cost {lim} (fix: {fix})")


# --- one estimate per kind of claim ------------------------------------------------------------------

def identity_cost(expr) -> int:
    """``symbolic-identities``: expanding a (sympy, unexpanded) expression and reducing its words.

    Bounded by ``terms × (word length + 1)`` of the full expansion, computed on the expression tree:
    a sum adds the terms of its parts, a product multiplies them, a power ``X**k`` raises them to ``k``
    (word lengths add, resp. multiply by ``k``).  ``((A+B)**8)**8`` has ``2^64`` terms.

    >>> import sympy
    >>> A, B = sympy.symbols("A B", commutative=False)
    >>> identity_cost((A + B) ** 2)
    12
    >>> identity_cost(((A + B) ** 8) ** 8) > 2 ** 64
    True
    """
    def walk(e) -> tuple[int, int]:
        if e.is_Add:
            parts = [walk(a) for a in e.args]
            return _sat(sum(t for t, _ in parts)), max(n for _, n in parts)
        if e.is_Mul:
            t, n = 1, 0
            for a in e.args:
                ta, na = walk(a)
                t, n = _sat(t * ta), _sat(n + na)
            return t, n
        if e.is_Pow:
            tb, nb = walk(e.base)
            k = int(e.exp) if e.exp.is_Integer and e.exp > 0 else 1
            return _sat(tb ** min(k, 200)) if tb > 1 else 1, _sat(nb * k)
        if e.is_Symbol:
            return 1, 1
        if not e.args:          # a number, I
            return 1, 0
        parts = [walk(a) for a in e.args]     # a function of its arguments: their product's size
        return _sat(math.prod(t for t, _ in parts)), _sat(sum(n for _, n in parts) + 1)

    terms, length = walk(expr)
    return _sat(terms * (length + 1))


def pauli_family_cost(n_qubits: int, p: int) -> int:
    """``pauli-expansion``: one family enumerates ``(4^n − 1)^(p+1)`` circuits; each is expanded by the
    Pauli engine (``3^p`` terms) and tested on ``3^p`` grid points × ``p + 1`` shifts with ``d × d``
    Gaussian-integer matrices (``d = 2^n``, ``p + 2`` products of ``d³``), plus ``500`` per gate and case
    for the engine and numpy's per-call overhead (measured: ≈ 1.8 ms per case at n = 2, p = 2)."""
    d = 2 ** n_qubits
    cases = (4 ** n_qubits - 1) ** (p + 1)
    per_case = 500 * (p + 2) + 3 ** p * (p + 1) * (p + 2) * d ** 3 // FLOAT_OPS_PER_UNIT + 3 ** p * d * (p + 1)
    return _sat(cases * max(1, per_case))


def builtin_cost(name: str, params: dict) -> int:
    """A built-in origin (``instance``'s ``origin``, a ``fourier-degree`` row): rebuilding
    ``name(**params)`` — ``≈ 100 (2^p + p)`` per sample (``prop5``: ``p(1 + s1_copies)`` samples; ``dense``:
    ``m`` samples of ``3^p`` residual terms), its ``9^p`` linear system (``theorem2``).

    >>> builtin_cost("prop5", {"p": 2}), builtin_cost("prop5", {"p": 2, "s1_copies": 3 * 10 ** 7})
    (2400, 36000001200)
    """
    from ...model.instances import builtin_parameters

    def arg(k: str, default: int) -> int:
        v = params.get(k)
        if v is None:
            for q in builtin_parameters(name):
                if q["name"] == k and q["default"] not in (None, "None"):
                    try:
                        return int(q["default"])
                    except ValueError:
                        return default
            return default
        try:
            return abs(int(v))
        except (TypeError, ValueError):
            return default

    p = max(1, arg("p", 2))
    if p > 64:
        return _CAP
    dim = 2 ** p
    per_sample = 100 * (dim + p)        # building, then writing, one sample (measured: ≈ 70 µs at p = 1)
    if name == "prop5":
        return _sat(p * (1 + arg("s1_copies", 1)) * per_sample)
    if name == "dense":
        return _sat(arg("m", 2 * p + 2) * 3 ** p * per_sample)
    if name == "theorem2":
        d = arg("d", 8)
        return _sat(9 ** p * d ** 2 + p * d ** 3)
    return _sat(4 ** p * per_sample)


def interpolation_cost(inst) -> int:
    """``critical-points`` and ``fourier-degree``: the loss rebuilt by exact interpolation of the direct
    simulation (:func:`~.loss.loss_by_interpolation`): ``Π (2D_l + 1)`` grid points × ``m`` samples ×
    ``p`` gates × (``3d³`` exact operations and a fixed ``250`` per gate, measured), and the inverse
    transforms (``Σ (2D_l + 1)`` per grid point and sample).

    >>> from qnnsym.model.instances import prop5_instance
    >>> interpolation_cost(prop5_instance(2))
    32040
    """
    grid, side = 1, 0
    for g in inst.qnn.gates:
        n = 2 * max(1, g.max_gap // g.omega) + 1
        grid, side = _sat(grid * n), side + n
    d = inst.dim
    return _sat(grid * inst.m * (inst.p * (250 + 3 * d ** 3) + side))


def expansion_cost(inst) -> int:
    """``fourier-degree``: the loss by the expansion engine, from the engine's own upper bounds
    (:func:`qnnsym.expansion.cost.expansion_estimate`: light cones of the Pauli propagation, ``Π (4D_l + 1)``
    loss terms), its time estimate in microseconds plus the largest intermediate size."""
    from ...expansion.cost import expansion_estimate

    est = expansion_estimate(inst, loss=True)
    return _sat(int(est.seconds * 1e6) + est.largest)


def rur_block_cost(rur: dict, n_terms: int, p: int) -> int:
    """``critical-points``, a block with a rational univariate representation: exact arithmetic modulo the
    eliminant ``q`` of degree ``n`` with coefficients of ``b`` bits — each of the ``≈ T + p²`` terms of the
    rebuilt equations and Hessian is evaluated on the parametrization (``≈ n·b/2`` operations per term,
    measured on ``proofs/``), and ``gcd(q, q')`` (``≈ n²·b/4096``).

    >>> rur_block_cost({"eliminant": ["1", "0", "-1"], "numerators": [["0", "1"]], "denominator": []}, 4, 1)
    15
    """
    coeffs = [c for k in ("eliminant", "denominator") for c in rur.get(k) or []] + \
        [c for num in rur.get("numerators") or [] for c in num]
    n = max(1, len(rur.get("eliminant") or []) - 1)
    bits = max(1, int(sum(len(str(c)) for c in coeffs) * 3.33 / max(1, len(coeffs))))
    return _sat(n * bits * (n_terms + p * p) // 2 + n * n * bits // 4096)


def homotopy_block_cost(n_boxes: int, tensor_size: int, p: int, pairs: int, n_points: int,
                        ball: bool = False) -> int:
    """``critical-points``, a homotopy block: the Krawczyk test of ``n_boxes`` boxes on the tan-form
    tensor (``tensor_size`` complex coefficients: ``≈ 4(p + 1) · size`` float operations per box for the
    values and derivatives), the disjointness sweep (``pairs`` compared, :func:`~qnnsym.exact.krawczyk.disjointness_pairs`,
    ``p`` coordinates each), the ball-arithmetic test of each listed real point (``≈ 1500 p³``, measured)
    and, with ``ball``, the Arb Krawczyk re-proof of every box (``≈ 3 p⁴`` per box: 0.7 ms at p = 4,
    1.8 ms at p = 5, measured)."""
    floats = n_boxes * (4 * (p + 1) * tensor_size + p ** 3) + pairs * p + n_boxes * p * 64
    return _sat(floats // FLOAT_OPS_PER_UNIT + n_points * 1500 * p ** 3 + (n_boxes * 3 * p ** 4 if ball else 0))
