"""The circuit of a QNN (eqs. 3–4): gates ``V_l(θ_l) = exp(−iθ_l H_l)``, fixed gates, ``U(θ)``.

``Gate`` validates its generator (Hermitian; ``two-level``: ``H² = I``, ``tr H = 0``;
``integer-spectrum``: integer eigenvalues) and ``QNN`` the whole circuit; operators are exact
:class:`~qnnsym.exact.paulis.PauliSum` or :class:`~qnnsym.exact.opmatrix.OpMatrix` values.

**Shared parameters** (eq. 4 generalised, docs/math.md "Shared parameters"): a gate may carry a
linear angle ``Σ_l a_gl θ_l`` with rational ``a`` (``Gate(..., angle=((l, a), ...))``) over the
free parameters ``θ_1 … θ_P`` named by ``QNN(..., parameters=(...))``; ``QNN.p`` is then ``P``
and ``QNN.n_gates`` the number of parameterised gates.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from fractions import Fraction
from math import gcd
from typing import Sequence, Union

import numpy as np

from ..errors import ValidationError
from ..exact.opmatrix import OpMatrix
from ..exact.paulis import PauliSum, parse_pauli_string
from ..exact.scalars import as_fraction, format_scalar, is_exact, parse_scalar, real_scalar
from ..validate import require_type

__all__ = ['Operator', 'Gate', 'FixedGate', 'QNN', 'Angle', 'parse_angle', 'parse_fixed_angle', 'format_fixed_angle',
           'as_operator', 'operator_dim', 'to_opmatrix', 'TWO_LEVEL', 'INTEGER', 'HERMITIAN']

Operator = Union[PauliSum, OpMatrix]
#: a linear angle ``Σ_l a_l θ_l``: ``((l, a_l), ...)`` with 0-based parameter indices and rational ``a_l ≠ 0``
Angle = tuple
TWO_LEVEL = "two-level"
INTEGER = "integer-spectrum"
HERMITIAN = "hermitian"
_KINDS = (TWO_LEVEL, INTEGER, HERMITIAN)


def operator_dim(op: Operator) -> int:
    return 2 ** op.n if isinstance(op, PauliSum) else op.dim


def to_opmatrix(op: Operator) -> OpMatrix:
    """Dense form of an operator (exact when it is exact)."""
    return OpMatrix.from_pauli_sum(op) if isinstance(op, PauliSum) else op


def as_operator(value, n_qubits: int | None, field: str) -> Operator:
    """Read an operator: a PauliSum/OpMatrix, a Pauli string ``"X0 Z1"``, a mapping
    ``{"X0": "1/2", ...}``, a list of ``[coeff, label]`` pairs, or a matrix (list of rows / ndarray)."""
    if isinstance(value, (PauliSum, OpMatrix)):
        return value
    if isinstance(value, str):
        if n_qubits is None:
            raise ValidationError(field, "a Pauli label needs the number of qubits", expected="QNN(n_qubits=...)")
        return PauliSum(n_qubits, {parse_pauli_string(value, n_qubits, field): Fraction(1)})
    if isinstance(value, dict):
        if n_qubits is None:
            raise ValidationError(field, "Pauli terms need the number of qubits", expected="QNN(n_qubits=...)")
        return PauliSum.from_labels(n_qubits, value, field)
    if isinstance(value, np.ndarray):
        return OpMatrix.from_numpy(value, field)
    if isinstance(value, (list, tuple)) and value and all(isinstance(t, (list, tuple)) and len(t) == 2 and isinstance(t[1], str) for t in value):
        if n_qubits is None:
            raise ValidationError(field, "Pauli terms need the number of qubits", expected="QNN(n_qubits=...)")
        return PauliSum.from_labels(n_qubits, [(c, lab) for c, lab in value], field)
    if isinstance(value, (list, tuple)):
        return OpMatrix.from_rows(value, field)
    raise ValidationError(field, f"cannot read {type(value).__name__} as an operator",
                          expected="a Pauli label like \"X0 Z1\", {label: coeff}, [[coeff, label], ...] or a matrix")


def parse_angle(value, field: str = "angle") -> Angle:
    """A linear angle ``Σ_l a_l θ_l`` in canonical form: ``((l, a_l), ...)`` sorted by ``l``, repeated
    indices merged, exact rational ``a_l ≠ 0``.

    Raises
    ------
    ValidationError
        A malformed term, a negative index, an inexact coefficient, or no non-zero coefficient
        (``0·a`` and ``a − a`` are fixed identities, not free parameters).

    Examples
    --------
    >>> parse_angle([(1, "1/2"), (0, 2), (1, "1/2")])
    ((0, Fraction(2, 1)), (1, Fraction(1, 1)))
    """
    if not isinstance(value, (list, tuple)):
        raise ValidationError(field, f"got {type(value).__name__}", expected="a list of (parameter index, coefficient) pairs")
    acc: dict[int, Fraction] = {}
    for i, t in enumerate(value):
        if not isinstance(t, (list, tuple)) or len(t) != 2 or type(t[0]) is not int or t[0] < 0:
            raise ValidationError(f"{field}[{i}]", f"{t!r}", expected="a pair (parameter index ≥ 0, rational coefficient)")
        if isinstance(t[1], float) and not float(t[1]).is_integer():
            raise ValidationError(f"{field}[{i}]", f"float coefficient {t[1]!r}", expected="an exact rational such as \"1/2\"")
        acc[t[0]] = acc.get(t[0], Fraction(0)) + as_fraction(t[1] if not isinstance(t[1], float) else int(t[1]),
                                                              f"{field}[{i}]")
    out = tuple((l, a) for l, a in sorted(acc.items()) if a != 0)
    if not out:
        raise ValidationError(field, "every coefficient is zero: the gate is the identity, not a free rotation",
                              expected="at least one non-zero coefficient",
                              fix="drop the gate (exp(-i·0·H) = I) or give it a non-zero coefficient")
    return out


def _is_hermitian(op: Operator) -> bool:
    return True if isinstance(op, PauliSum) else op.is_hermitian()


def _spectrum(op: Operator) -> list[int] | None:
    if isinstance(op, PauliSum) and len(op) == 1:
        (k, v), = op.items()
        if k == (0, 0):
            return [int(v)] if Fraction(v).denominator == 1 else None
        if v in (1, -1):
            return [-1, 1]
    sp = to_opmatrix(op).integer_spectrum()
    return None if sp is None else sorted(set(sp))


@dataclass(frozen=True)
class Gate:
    """A parameterised gate ``V(θ) = exp(-iθH)``.

    Parameters
    ----------
    generator : PauliSum or OpMatrix
        The Hermitian ``H``.
    kind : {"two-level", "integer-spectrum", "hermitian"}
        ``two-level``: ``H² = I`` and ``tr H = 0`` (the paper's setting, eqs. 7–15);
        ``integer-spectrum``: integer eigenvalues (remark after Prop. 5);
        ``hermitian``: any Hermitian (numeric simulation only).

    Raises
    ------
    ValidationError
        Non-Hermitian generator, ``H² ≠ I`` or ``tr H ≠ 0`` for two-level, non-integer spectrum.

    Examples
    --------
    >>> Gate(PauliSum.string(2, "Z0")).spectrum
    (-1, 1)
    """

    generator: Operator
    kind: str = TWO_LEVEL
    name: str = ""
    field: str = dataclass_field(default="gate", compare=False, repr=False)
    #: the distinct eigenvalues of ``H``, sorted (set by the constructor; ``None`` for ``hermitian``)
    spectrum: tuple[int, ...] | None = None
    #: name of the generator in errors (default ``field + ".generator"``; instance files: ``circuit[i].gate``)
    generator_field: str = dataclass_field(default="", compare=False, repr=False)
    #: the angle ``Σ_l a_l θ_l`` over the QNN's named parameters (:func:`parse_angle`); ``None``: a parameter of its own
    angle: Angle | None = None

    def __post_init__(self):
        f = self.generator_field or self.field + ".generator"
        require_type(self.generator, (PauliSum, OpMatrix), f,
                     'a PauliSum or OpMatrix (e.g. PauliSum.string(1, "Z0"); QNN.from_paulis takes labels)')
        if self.angle is not None:
            object.__setattr__(self, "angle", parse_angle(self.angle, self.field + ".angle"))
        if self.kind not in _KINDS:
            raise ValidationError(self.field + ".kind", f"unknown kind {self.kind!r}", expected=" or ".join(_KINDS))
        if not _is_hermitian(self.generator):
            raise ValidationError(f, "generator is not Hermitian", expected="H = H†")
        if self.kind == TWO_LEVEL:
            h = self.generator
            exact = h.exact
            if isinstance(h, PauliSum):
                diff = h * h - PauliSum.identity(h.n)
                two = not diff if exact else max((abs(v) for v in diff.values()), default=0.0) < 1e-10
                tr0 = h.trace() == 0 if exact else abs(float(h.trace())) < 1e-10
            else:
                sq = h @ h
                two = sq == OpMatrix.identity(h.dim) if exact else (sq - OpMatrix.identity(h.dim)).is_zero(1e-10)
                t = h.trace()
                tr0 = (t == 0) if exact else abs(complex(t)) < 1e-10
            if not two:
                raise ValidationError(f, "declared two-level but H² ≠ I", expected="a generator with eigenvalues ±1",
                                      fix="rescale H, or declare kind=\"integer-spectrum\"/\"hermitian\"")
            if not tr0:
                raise ValidationError(f, f"declared two-level but tr H = {format_scalar(h.trace())} ≠ 0",
                                      expected="equally many eigenvalues +1 and -1",
                                      fix="shift H by a multiple of I (a global phase) or declare kind=\"integer-spectrum\"")
            object.__setattr__(self, "spectrum", (-1, 1))
        elif self.kind == INTEGER:
            sp = _spectrum(self.generator)
            if sp is None:
                raise ValidationError(f, "spectrum is not integer", expected="integer eigenvalues",
                                      fix="shift and scale H to an integer spectrum, or declare kind=\"hermitian\"")
            object.__setattr__(self, "spectrum", tuple(sp))

    @property
    def dim(self) -> int:
        return operator_dim(self.generator)

    @property
    def frequencies(self) -> tuple[int, ...]:
        """Positive eigenvalue gaps ``ω`` (θ units) that appear in ``V†AV`` (e.g. ``(2,)`` for two-level)."""
        if self.spectrum is None:
            raise ValidationError(self.field, "a generic Hermitian generator has no integer frequencies",
                                  expected="kind two-level or integer-spectrum")
        ev = sorted(set(self.spectrum))
        return tuple(sorted({b - a for a in ev for b in ev if b > a}))

    @property
    def omega(self) -> int:
        """Base frequency: gcd of the gaps (2 for two-level)."""
        fr = self.frequencies
        g = 0
        for w in fr:
            g = gcd(g, w)
        return g or 1

    @property
    def max_gap(self) -> int:
        """Largest eigen-gap Δ."""
        return max(self.frequencies, default=0)


#: a decimal number (a dot or an exponent): an inexact angle, read as the double it denotes
_DECIMAL = re.compile(r"[-+]?(\d+\.\d*|\.\d+|\d+(?=[eE]))([eE][-+]?\d+)?")


def parse_fixed_angle(value, field: str = "angle") -> tuple[Fraction | None, Fraction | float | None]:
    """A fixed rotation angle ``φ = 2a`` as ``(pi_angle, angle)``: an exact rational multiple of ``π``
    (``"1/4*pi"``, ``"pi/4"``, ``"-3*pi/8"``, ``"pi"``: ``pi_angle = k``, ``φ = kπ``) or radians (``"0.37"``,
    ``0.37``, ``"1/3"``: ``angle``; a decimal stays the exact double it denotes).

    >>> parse_fixed_angle("1/4*pi"), parse_fixed_angle("-pi/8"), parse_fixed_angle("0.37")
    ((Fraction(1, 4), None), (Fraction(-1, 8), None), (None, 0.37))
    """
    if isinstance(value, str) and "pi" in value:
        t = value.replace(" ", "")
        m = re.fullmatch(r"(?:(.+)\*)?(-?)pi(?:/(\d+))?", t)
        if not m or (m.group(1) is not None and m.group(2)):
            raise ValidationError(field, f"cannot read {value!r} as a multiple of π",
                                  expected='"K*pi", "K*pi/N", "pi/N" or "-pi/N" with a rational K (e.g. "1/4*pi")')
        k = as_fraction(m.group(1), field) if m.group(1) is not None else Fraction(1)
        k = -k if m.group(2) else k
        return (k / int(m.group(3)) if m.group(3) else k), None
    if isinstance(value, float) or isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        x = float(value)           # a float angle of any size: only its cosine and sine are used (computed in Arb)
        if not math.isfinite(x):
            raise ValidationError(field, f"{value!r} is not a finite angle", expected="a finite angle in radians")
        return None, x
    return None, real_scalar(value, field)


def format_fixed_angle(pi_angle: Fraction | None, angle) -> str:
    """Inverse of :func:`parse_fixed_angle` (round-trips exactly).

    >>> format_fixed_angle(Fraction(1, 4), None), format_fixed_angle(None, 0.37)
    ('1/4*pi', '0.37')
    """
    return f"{pi_angle}*pi" if pi_angle is not None else format_scalar(angle)


def _circle_point(pi_angle: Fraction | None, angle) -> tuple:
    """``(cos φ, sin φ)``: exact for ``φ ∈ (π/2)ℤ`` (Niven: the only rational points at rational multiples of
    ``π``), else the float64 roundings of the values computed in ball arithmetic."""
    import flint

    if pi_angle is not None and (2 * pi_angle).denominator == 1:
        return ((1, 0), (0, 1), (-1, 0), (0, -1))[int(2 * pi_angle) % 4]
    old = flint.ctx.prec
    try:
        flint.ctx.prec = 128                  # then one rounding to float64
        if pi_angle is not None:
            x = flint.arb(flint.fmpq(pi_angle.numerator, pi_angle.denominator))
            c, s = x.cos_pi(), x.sin_pi()
        else:
            x = flint.arb(flint.fmpq(Fraction(angle).numerator, Fraction(angle).denominator))
            c, s = x.cos(), x.sin()
        return float(c.mid()), float(s.mid())
    finally:
        flint.ctx.prec = old


@dataclass(frozen=True)
class FixedGate:
    """A non-parameterised gate: a unitary matrix, or a Pauli rotation ``exp(-iaP)`` given by
    ``(cos 2a, sin 2a)`` exactly (keeps a Pauli circuit on the Pauli engine) or by its angle ``φ = 2a``
    (``pi_angle``: ``φ = pi_angle·π`` exactly, e.g. ``1/4`` for ``T``; ``angle``: radians, e.g. the float
    0.37 of ``RX(0.37)``); the angle is kept as given and ``(cos 2a, sin 2a)`` derived from it (exact for
    quarter turns, float64 roundings otherwise).  An odd multiple of ``π/4`` has ``cos, sin ∈ ±√2/2``: the
    instance is then exact over ``Q(√2)`` (:attr:`sqrt2`; docs/critical-points.md "Exact tables over Q(√2)")."""

    unitary: OpMatrix | None = None
    pauli: PauliSum | None = None
    cos2a: object = None
    sin2a: object = None
    name: str = ""
    field: str = dataclass_field(default="fixed", compare=False, repr=False)
    #: ``φ = 2a`` as an exact rational multiple of ``π`` (``None``: not given so)
    pi_angle: Fraction | None = None
    #: ``φ = 2a`` in radians as given (a float, or an exact rational), when not a multiple of ``π``
    angle: object = None

    def __post_init__(self):
        if (self.unitary is None) == (self.pauli is None):
            raise ValidationError(self.field, "give either a unitary or a Pauli rotation", expected="exactly one of them")
        if self.unitary is not None:
            u = self.unitary
            prod = u.adjoint() @ u
            ok = prod == OpMatrix.identity(u.dim) if u.exact else (prod - OpMatrix.identity(u.dim)).is_zero(1e-10)
            if not ok:
                raise ValidationError(self.field + ".unitary", "matrix is not unitary", expected="U†U = I")
        else:
            if len(self.pauli) != 1 or (0, 0) in self.pauli or list(self.pauli.values())[0] != 1:
                raise ValidationError(self.field + ".pauli", "not a single Pauli string", expected="a label like \"X0 Y1\"")
            if self.pi_angle is not None or self.angle is not None:
                if self.cos2a is not None or self.sin2a is not None or (self.pi_angle is not None and self.angle is not None):
                    raise ValidationError(self.field, "both an angle and (cos, sin) given",
                                          expected="either \"angle\" or \"cos\" and \"sin\"")
                if self.pi_angle is not None:
                    object.__setattr__(self, "pi_angle", as_fraction(self.pi_angle, self.field + ".angle"))
                else:
                    pa, a = parse_fixed_angle(self.angle, self.field + ".angle")
                    if a == 0:          # 0 radians is the exact multiple 0·π
                        pa, a = Fraction(0), None
                    object.__setattr__(self, "angle", a)
                    object.__setattr__(self, "pi_angle", pa)
                c, s = _circle_point(self.pi_angle, self.angle)
                object.__setattr__(self, "cos2a", c)
                object.__setattr__(self, "sin2a", s)
            c, s = real_scalar(self.cos2a, self.field + ".cos"), real_scalar(self.sin2a, self.field + ".sin")
            object.__setattr__(self, "cos2a", c)
            object.__setattr__(self, "sin2a", s)
            # exact data is checked exactly: (1, 10^-7) is not on the circle, however close
            on_circle = (c * c + s * s == 1) if is_exact(c) and is_exact(s) else abs(float(c * c + s * s) - 1) <= 1e-12
            if not on_circle:
                raise ValidationError(self.field, f"cos² + sin² = {format_scalar(c * c + s * s)}",
                                      expected="a point on the unit circle, e.g. (3/5, 4/5)")

    @property
    def dim(self) -> int:
        return self.unitary.dim if self.unitary is not None else 2 ** self.pauli.n

    @property
    def sqrt2(self) -> bool:
        """True for a rotation by an odd multiple of ``π/4`` (``T``, ``T†``, ``RZ(π/4)``): ``cos 2a, sin 2a ∈ ±√2/2``.

        >>> FixedGate(pauli=PauliSum.string(1, "Z0"), pi_angle=Fraction(1, 4)).sqrt2
        True
        """
        return self.pi_angle is not None and (4 * self.pi_angle).denominator == 1 and (2 * self.pi_angle).denominator != 1

    def matrix(self) -> OpMatrix:
        """Dense unitary (exact when given exactly): ``cos a I - i sin a P`` needs ``cos a``; we keep
        the rotation as ``exp(-iaP)`` with ``a`` from ``(cos 2a, sin 2a)`` only in floats."""
        if self.unitary is not None:
            return self.unitary
        a = 0.5 * np.arctan2(float(self.sin2a), float(self.cos2a))
        P = self.pauli.to_matrix()
        return OpMatrix(P.shape[0], arr=np.cos(a) * np.eye(P.shape[0]) - 1j * np.sin(a) * P)


@dataclass(frozen=True)
class QNN:
    """The circuit: operations in application order (first applied first, eq. 4).

    Parameters
    ----------
    ops : sequence of Gate / FixedGate
    n_qubits : int, optional
        Number of qubits (required for Pauli operators); else ``dim`` is used.
    dim : int, optional
    parameters : sequence of str, optional
        Names of the free parameters ``θ_1 … θ_P`` when gates share them: then every
        :class:`Gate` carries an ``angle`` ``Σ_l a_l θ_l`` (docs/math.md "Shared parameters");
        default: every gate has a parameter of its own (eq. 4).

    Examples
    --------
    >>> q = QNN.from_paulis(["Z0", "Z1"], n_qubits=2)
    >>> q.p, q.dim
    (2, 4)
    >>> t = QNN((Gate(PauliSum.string(2, "Z0 Z1"), angle=((0, 1),)), Gate(PauliSum.string(2, "X0"), angle=((0, 1), (1, 2)))),
    ...         n_qubits=2, parameters=("γ", "β"))
    >>> t.p, t.n_gates, t.omega, t.degrees
    (2, 2, (2, 4), (2, 1))
    """

    ops: tuple
    n_qubits: int | None = None
    dim: int | None = None
    #: name of the circuit in errors (instance files: ``circuit``)
    field: str = dataclass_field(default="qnn.gates", compare=False, repr=False)
    #: names of the shared free parameters (``None``: one parameter per gate)
    parameters: tuple | None = None

    def __post_init__(self):
        ops = tuple(require_type(self.ops, (list, tuple), self.field, "a list of Gate / FixedGate"))
        for i, op in enumerate(ops):
            require_type(op, (Gate, FixedGate), f"{self.field}[{i}]", "a Gate or FixedGate")
        object.__setattr__(self, "ops", ops)
        if not ops:
            raise ValidationError(self.field, "empty circuit", expected="at least one parameterised gate")
        dims = {op.dim for op in ops}
        d = self.dim or (2 ** self.n_qubits if self.n_qubits is not None else None)
        if d is not None:
            dims.add(d)
        if len(dims) != 1:
            raise ValidationError(self.field, f"dimension mismatch: operators of dimensions {sorted(dims)}",
                                  expected="every gate acting on the same space")
        object.__setattr__(self, "dim", dims.pop())
        if self.n_qubits is None and (self.dim & (self.dim - 1)) == 0:
            object.__setattr__(self, "n_qubits", self.dim.bit_length() - 1)
        if not any(isinstance(o, Gate) for o in ops):
            raise ValidationError(self.field, "no parameterised gate", expected="at least one Gate")
        self._check_parameters()

    def _check_parameters(self) -> None:
        """Validate ``parameters`` against the gates' angles (names, indices, every parameter used,
        integer frequencies ``ω_g·a_gl``)."""
        gates = [(i, o) for i, o in enumerate(self.ops) if isinstance(o, Gate)]
        if self.parameters is None:
            for i, g in gates:
                if g.angle is not None:
                    raise ValidationError(f"{self.field}[{i}].angle", "an angle over named parameters, but the circuit "
                                          "names none", expected="QNN(..., parameters=(names...)) / a top-level "
                                          "\"parameters\" list", fix="name the parameters, or drop the angle")
            return
        names = self.parameters
        if isinstance(names, str) or not isinstance(names, (list, tuple)) or not names:
            raise ValidationError("parameters", f"{names!r}", expected="a non-empty list of parameter names")
        names = tuple(names)
        object.__setattr__(self, "parameters", names)
        for j, nm in enumerate(names):
            if not isinstance(nm, str) or not nm.strip():
                raise ValidationError(f"parameters[{j}]", f"{nm!r}", expected="a non-empty string")
            if names.index(nm) != j:
                raise ValidationError(f"parameters[{j}]", f"duplicate name {nm!r}", expected="distinct names")
        used = set()
        for i, g in gates:
            if g.angle is None:
                raise ValidationError(f"{self.field}[{i}].angle", "missing", expected="an angle on every parameterised "
                                      "gate when the parameters are named", fix='add "angle": [["1", "NAME"]]')
            for l, a in g.angle:
                if l >= len(names):
                    raise ValidationError(f"{self.field}[{i}].angle", f"parameter index {l}",
                                          expected=f"an index below {len(names)} (the number of parameters)")
                if g.spectrum is not None and (g.omega * a).denominator != 1:
                    raise ValidationError(f"{self.field}[{i}].angle", f"coefficient {a} of {names[l]!r} gives the "
                                          f"frequency {g.omega * a} (ω = {g.omega}) in {names[l]}",
                                          expected="integer frequencies ω·a (a ∈ ½ℤ for two-level gates)",
                                          fix=f"rescale the parameter: use {names[l]}' = {names[l]}/{(g.omega * a).denominator} "
                                              f"and multiply its coefficients by {(g.omega * a).denominator}")
                used.add(l)
        unused = [nm for j, nm in enumerate(names) if j not in used]
        if unused:
            raise ValidationError("parameters", f"{unused[0]!r} drives no gate", expected="every parameter in some angle",
                                  fix="remove it from the parameters")

    def rows(self) -> list[dict]:
        """One display row per operation: ``op`` (1-based), ``kind`` (the gate's kind or ``fixed``), ``theta``
        (its parameter ``θ_l``, blank for a fixed gate), ``generator`` (the Pauli sum, or the matrix size).

        >>> QNN.from_paulis(["Z0", "X0 X1"], 2).rows()[1]
        {'op': 2, 'kind': 'two-level', 'theta': 'θ_2', 'generator': 'X0 X1'}
        """
        out, l = [], 0
        for k, op in enumerate(self.ops):
            gen = op.generator if isinstance(op, Gate) else (op.pauli if op.pauli is not None else op.unitary)
            text = gen.to_string() if isinstance(gen, PauliSum) else f"{gen.dim}×{gen.dim} matrix"
            if isinstance(op, Gate):
                l += 1
            out.append({"op": k + 1, "kind": op.kind if isinstance(op, Gate) else "fixed",
                        "theta": f"θ_{l}" if isinstance(op, Gate) else "", "generator": text})
        return out

    def _repr_html_(self) -> str:
        """Jupyter: the operations as a table."""
        from ..tables import html_table

        return html_table(self.rows(), caption=f"QNN: {self.p} parameters, {len(self.ops)} operations, "
                                               f"dimension {self.dim}")

    @classmethod
    def from_paulis(cls, labels: Sequence[str], n_qubits: int) -> "QNN":
        """Two-level Pauli-rotation circuit ``exp(-iθ_l P_l)`` from labels like ``"Z0"``, ``"X1 Y3"``."""
        return cls(tuple(Gate(as_operator(lab, n_qubits, f"qnn.gates[{i}]"), TWO_LEVEL, field=f"qnn.gates[{i}]")
                         for i, lab in enumerate(labels)), n_qubits=n_qubits)

    @property
    def gates(self) -> tuple[Gate, ...]:
        """Parameterised gates in order ``V_1 … V_p``."""
        return tuple(o for o in self.ops if isinstance(o, Gate))

    @property
    def n_gates(self) -> int:
        """Number of parameterised gates (``= p`` unless gates share parameters)."""
        return len(self.gates)

    @property
    def p(self) -> int:
        """Number of free parameters ``θ_1 … θ_p`` (the variables of ``f`` and ``L``)."""
        return len(self.parameters) if self.parameters is not None else self.n_gates

    @property
    def tied(self) -> bool:
        """True when gates carry angles over named parameters (:attr:`parameters`)."""
        return self.parameters is not None

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """The names of ``θ_1 … θ_p`` (``"θ1"``, … when the circuit names none)."""
        return self.parameters if self.parameters is not None else tuple(f"θ{l + 1}" for l in range(self.p))

    @property
    def angles(self) -> tuple[Angle, ...]:
        """Per parameterised gate, its angle ``((l, a_l), ...)`` (``((g, 1),)`` for gate ``g`` of an untied circuit)."""
        if self.parameters is None:
            return tuple(((g, Fraction(1)),) for g in range(self.n_gates))
        return tuple(g.angle for g in self.gates)

    def untied(self) -> "QNN":
        """The same circuit with every gate a parameter of its own (the gate-level model the
        expansion and the simulators work on; :mod:`qnnsym.expansion.tied` substitutes back)."""
        if self.parameters is None:
            return self
        return QNN(tuple(replace(o, angle=None) if isinstance(o, Gate) else o for o in self.ops),
                   n_qubits=self.n_qubits, dim=self.dim, field=self.field)

    def angle_matrix(self) -> np.ndarray:
        """The float matrix ``A`` (``n_gates × p``) with gate angles ``A θ`` (for the float simulators)."""
        A = np.zeros((self.n_gates, self.p))
        for g, ang in enumerate(self.angles):
            for l, a in ang:
                A[g, l] = float(a)
        return A

    @property
    def degrees(self) -> tuple[int, ...]:
        """Fourier degree of every output ``f`` in ``θ_l``, in units of ``ω_l``: ``Σ_g |a_gl| Δ_g / ω_l``
        (``Δ_g`` the largest eigen-gap of gate ``g``; 1 per two-level gate of an untied circuit)."""
        om = self.omega
        deg = [Fraction(0)] * self.p
        for g, ang in zip(self.gates, self.angles):
            for l, a in ang:
                deg[l] += abs(a) * g.max_gap
        return tuple(int(d / w) for d, w in zip(deg, om))

    @property
    def exact(self) -> bool:
        for o in self.ops:
            if isinstance(o, Gate) and not o.generator.exact:
                return False
            if isinstance(o, FixedGate) and ((o.unitary is not None and not o.unitary.exact)
                                             or isinstance(o.cos2a, float) or isinstance(o.sin2a, float)):
                return False
        return True

    @property
    def sqrt2_exact(self) -> bool:
        """True when the only irrational numbers of the circuit are ``T``-gate angles (fixed rotations by odd
        multiples of ``π/4``, :attr:`FixedGate.sqrt2`): its loss is exact over ``Q(√2)``."""
        rest = [o for o in self.ops if not (isinstance(o, FixedGate) and o.sqrt2)]
        return len(rest) < len(self.ops) and replace(self, ops=tuple(rest)).exact

    @property
    def is_pauli(self) -> bool:
        """True if every operator is a Pauli sum (the Pauli-propagation engine applies)."""
        return all((isinstance(o, Gate) and isinstance(o.generator, PauliSum)) or
                   (isinstance(o, FixedGate) and o.pauli is not None) for o in self.ops)

    @property
    def omega(self) -> tuple[int, ...]:
        """Base frequency per parameter: ``ω_l = gcd_g(ω_g·|a_gl|)`` (``ω_g`` per gate when untied)."""
        if self.parameters is None:
            return tuple(g.omega for g in self.gates)
        out = [0] * self.p
        for g, ang in zip(self.gates, self.angles):
            for l, a in ang:
                out[l] = gcd(out[l], int(abs(a) * g.omega))
        return tuple(w or 1 for w in out)
