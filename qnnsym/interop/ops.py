"""The common ground of the importers: Pauli rotations, the gate table, and instance assembly.

Every front end (Qiskit, PennyLane, OpenQASM through Qiskit) turns its circuit into a list of
:class:`Rot` — rotations ``R_G(φ) = exp(−i φ G / 2)`` in the convention of Qiskit and PennyLane
(``RZ(φ) = exp(−iφZ/2)``) with ``G`` a Pauli string or a real sum of Pauli strings — and this
module turns the list into a qnnsym circuit (paper eq. 4, ``V_l(θ_l) = exp(−iθ_l H_l)``):

* a rotation whose angle is ``φ = c·t + o`` in one free parameter ``t`` becomes the gate
  ``exp(−iθ_l G)`` with ``θ_l = c·t/2`` (so ``RZ(t)`` is ``H = Z`` at ``θ = t/2``; for ``c < 0`` the
  generator is ``−G`` and ``θ_l = |c|·t/2``, so ``θ_l`` grows with ``t``), preceded by
  the fixed rotation ``R_G(o)`` when ``o ≠ 0``; the relation ``θ_l = (c/2)·t`` is recorded in
  ``meta["interop"]["parameters"]``;
* a fixed rotation ``R_P(φ)`` becomes the fixed gate ``exp(−iaP)``, ``a = φ/2``, stored by its angle
  as given: ``(cos 2a, sin 2a) = (cos φ, sin φ)`` when ``φ`` is a multiple of ``π/2`` (the only
  rational multiples of ``π`` with rational cosine and sine, Niven's theorem); ``"angle": "k*pi"``
  when ``φ`` is another multiple ``kπ`` of ``π/8`` (``T``: ``1/4*pi``; a float within :data:`SNAP_TOL`
  of ``kπ/8`` is read as it): odd multiples of ``π/4`` keep the instance exact over ``Q(√2)``
  (docs/critical-points.md); otherwise ``"angle": "0.37"``, the exact double given, and the instance
  becomes *inexact* (an :class:`~qnnsym.errors.InteropWarning` says which gate, its tables are
  ``verified``);
* Clifford gates are products of such quarter-turn rotations (global phases dropped; they do not
  change ``tr(ρ U†MU)``): ``S = R_Z(π/2)``, ``H = R_Y(π/2)·R_Z(π)``, ``CZ = R_{Z_a}(π/2) R_{Z_b}(π/2)
  R_{Z_aZ_b}(−π/2)``, ``CX = R_{Z_c}(π/2) R_{X_t}(π/2) R_{Z_cX_t}(−π/2)``, ...  ``T = R_Z(π/4)``,
  ``CS = CP(π/2) = R_{Z_a}(π/4) R_{Z_b}(π/4) R_{Z_aZ_b}(−π/4)`` and ``CSX`` have cosines in ``Q(√2)``;
  ``CP(λ)``, ``CRZ(θ) = R_{Z_t}(θ/2) R_{Z_cZ_t}(−θ/2)`` are rotations too.

Qubit ``i`` of the source circuit is qubit ``i`` of qnnsym (Pauli labels ``X0 Z1`` name qubits by
index, so the Pauli forms agree; only *state vectors* differ in order: qnnsym and PennyLane put
qubit 0 in the most significant bit, Qiskit in the least; see :func:`reorder_vector`).
"""
from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Sequence

from ..errors import InteropError, InteropWarning, ValidationError
from ..model.data import Instance
from ..model.instances import instance_from_dict
from ..paths import read_text

__all__ = ["Angle", "Rot", "SUPPORTED_GATES", "decompose", "build_circuit", "shared_parameters", "rationalise",
           "assemble_instance", "load_dataset", "observable_json", "reorder_vector", "reorder_matrix", "quarter_point",
           "Imported", "SNAP_TOL"]

#: how close (radians) a float angle must be to a multiple of π/2 to be read as that exact multiple
SNAP_TOL = 1e-12


def quarter_point(k: int) -> tuple[int, int]:
    """``(cos φ, sin φ)`` for ``φ = kπ/2``."""
    return [(1, 0), (0, 1), (-1, 0), (0, -1)][k % 4]


#: fixed angles are recognised as exact multiples of ``π/PI_DENOMINATOR``
PI_DENOMINATOR = 8


def _pi_multiple_of(v: float) -> Fraction | None:
    """``k/8`` when the float ``v`` is within :data:`SNAP_TOL` of ``kπ/8``, decided exactly (``v`` is a
    dyadic rational; ``π`` is taken to ``exponent + 128`` bits, so the difference is certain).

    >>> _pi_multiple_of(math.pi / 4), _pi_multiple_of(-3 * math.pi / 8), _pi_multiple_of(0.37)
    (Fraction(1, 4), Fraction(-3, 8), None)
    """
    step = math.pi / PI_DENOMINATOR
    if abs(v) < 64:                                  # k·step is then within 1e-14 of kπ/8
        k = round(v / step)
        return Fraction(int(k), PI_DENOMINATOR) if abs(v - k * step) <= SNAP_TOL else None
    import flint

    old = flint.ctx.prec
    try:
        flint.ctx.prec = max(128, math.frexp(v)[1] + 128)
        x, hp = flint.arb(v), flint.arb.pi() / PI_DENOMINATOR
        k = int((x / hp + flint.arb(1) / 2).floor().unique_fmpz())
        d = x - k * hp
        return Fraction(k, PI_DENOMINATOR) if abs(d) < SNAP_TOL else None
    finally:
        flint.ctx.prec = old


@dataclass(frozen=True)
class Angle:
    """A rotation angle ``φ``: free (``φ = Σ_j c_j·t_j + offset`` over named source parameters ``t_j``;
    ``param``/``factor`` name the first term) or fixed (``value``; ``pi = k`` when ``φ = kπ``, ``8k ∈ ℤ``; ``quarter = k`` when ``φ = kπ/2``
    exactly)."""

    param: str | None = None
    factor: float = 1.0
    offset: float = 0.0
    value: float | None = None
    quarter: int | None = None
    #: every term ``(t_j, c_j)`` of a free angle (non-zero coefficients; ``((param, factor),)`` for one)
    terms: tuple = ()
    #: ``φ / π`` exactly, for a fixed angle that is a multiple of ``π/8``
    pi: Fraction | None = None

    @staticmethod
    def fixed(value: float, where: str = "angle") -> "Angle":
        """A fixed angle; snapped to ``kπ/2`` when the float is within :data:`SNAP_TOL` of it.

        The distance to the nearest ``kπ/2`` is computed exactly (the float against ``π`` to enough
        bits), not in floating point: ``rx(1e17)`` is a rotation by ``1e17 mod 2π ≈ 3.62``, which the
        float test ``1e17 − k·π/2 == 0`` would have snapped to a quarter turn.  NaN and infinities are
        refused (:class:`~qnnsym.errors.InteropError` naming ``where``).

        >>> Angle.fixed(math.pi / 2).quarter, Angle.fixed(1e17).quarter, Angle.fixed(-3 * math.pi).quarter
        (1, None, -6)
        >>> Angle.fixed(math.pi / 4).pi, Angle.fixed(math.pi / 4).quarter
        (Fraction(1, 4), None)
        """
        try:
            v = float(value)
        except (TypeError, ValueError, OverflowError):
            raise InteropError(where, f"angle {value!r} is not a real number", expected="a finite angle") from None
        if not math.isfinite(v):
            raise InteropError(where, f"angle {v} is not finite", expected="a finite angle in radians",
                               fix="bind the parameter to a finite number")
        k = _pi_multiple_of(v)
        return Angle(value=v) if k is None else Angle.pi_multiple(k)

    @staticmethod
    def quarters(k: int) -> "Angle":
        return Angle.pi_multiple(Fraction(k, 2))

    @staticmethod
    def pi_multiple(k: Fraction) -> "Angle":
        """The fixed angle ``kπ`` (exact)."""
        k = Fraction(k)
        return Angle(value=float(k) * math.pi, quarter=int(2 * k) if (2 * k).denominator == 1 else None, pi=k)

    @staticmethod
    def free(param: str, factor=1.0, offset: float = 0.0, where: str = "angle") -> "Angle":
        return Angle.linear(((param, factor),), offset, where)

    @staticmethod
    def linear(terms, offset: float = 0.0, where: str = "angle") -> "Angle":
        """``φ = Σ_j c_j·t_j + offset``; terms with ``c_j = 0`` are dropped, and with none left the
        angle is the fixed ``offset`` (``0·a`` and ``a − a`` are not free parameters).  Non-finite
        coefficients are refused (:class:`~qnnsym.errors.InteropError` naming ``where``).

        >>> Angle.linear((("a", 1), ("a", -1))).is_free, Angle.linear((("a", 2), ("b", 0.5))).terms
        (False, (('a', 2), ('b', 0.5)))
        """
        if not all(math.isfinite(float(c)) for _, c in terms) or not math.isfinite(float(offset)):
            shown = " + ".join(f"{c}·{t}" for t, c in terms)
            raise InteropError(where, f"angle {shown} + {offset} is not finite", expected="finite coefficients")
        acc: dict = {}
        for t, c in terms:
            acc[t] = acc.get(t, 0) + c
        kept = tuple((t, c) for t, c in acc.items() if c != 0)
        if not kept:
            return Angle.fixed(offset, where)
        return Angle(param=kept[0][0], factor=kept[0][1], offset=float(offset), terms=kept)

    @property
    def is_free(self) -> bool:
        return bool(self.terms)

    def scaled(self, c: float) -> "Angle":
        if self.is_free:
            return Angle.linear(tuple((t, k * c) for t, k in self.terms), self.offset * c)
        if self.pi is not None and Fraction(c).limit_denominator(64) == c:
            return Angle.pi_multiple(self.pi * Fraction(c).limit_denominator(64))
        return Angle.fixed(self.value * c)

    def negated(self) -> "Angle":
        return self.scaled(-1)


@dataclass
class Rot:
    """``R_G(φ) = exp(−iφG/2)``; ``terms``: ``[(coeff, {qubit: "X"|"Y"|"Z"}), ...]`` (one term: a Pauli
    string); ``source``: what the front end called it (``"rx(t[0]) @ 3"``) for errors and names."""

    terms: list
    angle: Angle
    source: str = ""
    matrix: object = None          #: a fixed unitary instead (float ndarray, qnnsym qubit order)


def _pauli(qubits: Sequence[int], word: str) -> list:
    """``[(1, {q: letter})]`` for a word like ``"XZ"`` on ``qubits`` (identity letters dropped)."""
    return [(1, {q: c for q, c in zip(qubits, word) if c != "I"})]


def _cz(a, b, src):
    return [Rot(_pauli([a], "Z"), Angle.quarters(1), src), Rot(_pauli([b], "Z"), Angle.quarters(1), src),
            Rot(_pauli([a, b], "ZZ"), Angle.quarters(-1), src)]


def _controlled_pauli(c, t, letter, src, lam: Angle | None = None):
    """Controlled ``exp(iλ(I − P)/2)`` (``λ = π``: controlled ``P``; ``π/2``: controlled ``√P``, e.g. ``CS``, ``CSX``):
    ``R_{Z_c}(λ/2) R_{P_t}(λ/2) R_{Z_cP_t}(−λ/2)`` up to a global phase."""
    half = Angle.quarters(1) if lam is None else lam.scaled(0.5)
    return [Rot(_pauli([c], "Z"), half, src), Rot(_pauli([t], letter), half, src),
            Rot(_pauli([c, t], "Z" + letter), half.negated(), src)]


def _h(q, src):
    return [Rot(_pauli([q], "Z"), Angle.quarters(2), src), Rot(_pauli([q], "Y"), Angle.quarters(1), src)]


#: fixed one-qubit gates: (letter, quarter turns) or a sequence
_FIXED1 = {"x": ("X", 2), "y": ("Y", 2), "z": ("Z", 2), "s": ("Z", 1), "sdg": ("Z", -1), "sx": ("X", 1),
           "sxdg": ("X", -1)}
_ROT1 = {"rx": "X", "ry": "Y", "rz": "Z", "p": "Z", "u1": "Z", "phase": "Z"}
_ROT2 = {"rxx": "XX", "ryy": "YY", "rzz": "ZZ", "rzx": "ZX", "rxy": "XY"}
#: controlled phases ``exp(iλ(I − P)/2)`` on the target: (letter, ``λ/π``; ``None``: the gate's angle)
_CONTROLLED = {"cs": ("Z", Fraction(1, 2)), "csdg": ("Z", Fraction(-1, 2)), "csx": ("X", Fraction(1, 2)),
               "cp": ("Z", None), "cphase": ("Z", None), "cu1": ("Z", None)}
_IGNORED = {"barrier", "measure", "id", "i", "delay", "global_phase", "reset_phase"}

#: the gate names :func:`decompose` knows (Qiskit / OpenQASM spelling; PennyLane names are mapped to these)
SUPPORTED_GATES = (sorted(_FIXED1) + ["h", "t", "tdg", "cx", "cy", "cz", "swap", "iswap", "crz"] + sorted(_CONTROLLED)
                   + sorted(_ROT1)
                   + sorted(_ROT2) + ["u", "u2", "u3", "pauli_rot", "PauliEvolution"])


def decompose(name: str, qubits: Sequence[int], angles: Sequence[Angle], src: str = "") -> list[Rot] | None:
    """Rotations of a standard gate (application order); ``None`` for an unknown name; ``[]`` for
    gates without effect on ``tr(ρU†MU)`` (barriers, measurements, identities, global phases)."""
    n = name.lower()
    q = list(qubits)
    src = src or name
    if n in _IGNORED:
        return []
    if n in _FIXED1:
        letter, k = _FIXED1[n]
        return [Rot(_pauli(q, letter), Angle.quarters(k), src)]
    if n in ("t", "tdg"):
        return [Rot(_pauli(q, "Z"), Angle.pi_multiple(Fraction(1 if n == "t" else -1, 4)), src)]
    if n in _CONTROLLED:
        letter, k = _CONTROLLED[n]
        return _controlled_pauli(q[0], q[1], letter, src, Angle.pi_multiple(k) if k is not None else angles[0])
    if n == "crz":
        return [Rot(_pauli([q[1]], "Z"), angles[0].scaled(0.5), src), Rot(_pauli(q, "ZZ"), angles[0].scaled(-0.5), src)]
    if n == "h":
        return _h(q[0], src)
    if n in ("cx", "cnot"):
        return _controlled_pauli(q[0], q[1], "X", src)
    if n == "cy":
        return _controlled_pauli(q[0], q[1], "Y", src)
    if n == "cz":
        return _cz(q[0], q[1], src)
    if n == "swap":   # (I + XX + YY + ZZ)/2 ∝ exp(-iπ/4 (XX + YY + ZZ)), commuting terms
        return [Rot(_pauli(q, w), Angle.quarters(1), src) for w in ("XX", "YY", "ZZ")]
    if n == "iswap":  # exp(+iπ/4 (XX + YY))
        return [Rot(_pauli(q, w), Angle.quarters(-1), src) for w in ("XX", "YY")]
    if n in _ROT1:
        return [Rot(_pauli(q, _ROT1[n]), angles[0], src)]
    if n in _ROT2:
        return [Rot(_pauli(q, _ROT2[n][::-1] if n == "rzx" else _ROT2[n]), angles[0], src)]
    if n in ("u", "u3"):          # U(θ, φ, λ) = RZ(φ) RY(θ) RZ(λ) up to a phase
        th, ph, lam = angles
        return [Rot(_pauli(q, "Z"), lam, src), Rot(_pauli(q, "Y"), th, src), Rot(_pauli(q, "Z"), ph, src)]
    if n == "u2":
        ph, lam = angles
        return [Rot(_pauli(q, "Z"), lam, src), Rot(_pauli(q, "Y"), Angle.quarters(1), src), Rot(_pauli(q, "Z"), ph, src)]
    return None


def rationalise(x, what: str, notes: list | None = None, enabled: bool = True, max_den: int = 10 ** 6):
    """An exact ``Fraction`` for a float ``x`` when the simplest fraction with denominator ``≤ max_den``
    has exactly this float value (``0.1 → 1/10``, ``0.5 → 1/2``); otherwise ``x`` (inexact).

    A value that is changed (``0.1`` is not exactly ``1/10`` in binary) is listed in ``notes``.

    >>> rationalise(0.5, "c"), rationalise(0.1, "c")
    (Fraction(1, 2), Fraction(1, 10))
    >>> rationalise(math.pi, "c")
    3.141592653589793
    """
    if isinstance(x, complex):
        if abs(x.imag) > 1e-12 * max(1.0, abs(x.real)):
            raise InteropError(what, f"complex coefficient {x}", expected="real coefficients (a Hermitian operator)")
        x = x.real
    if isinstance(x, (int, Fraction)):
        return Fraction(x)
    x = float(x)
    if not enabled or not math.isfinite(x):
        return x
    f = Fraction(x).limit_denominator(max_den)
    if float(f) != x:
        return x
    if notes is not None and Fraction(x) != f:
        notes.append({"where": what, "float": repr(x), "read_as": str(f)})
    return f


def _label(pauli: dict) -> str:
    return " ".join(f"{l}{q}" for q, l in sorted(pauli.items())) or "I"


def _num(x) -> object:
    return str(x) if isinstance(x, Fraction) else float(x)


def build_circuit(rots: Sequence[Rot], rationalise_floats: bool = True,
                  n_qubits: int | None = None) -> tuple[list, list, dict]:
    """Instance-file ``circuit`` entries of a rotation list.

    Returns
    -------
    entries : list of dict
        ``{"gate": ..., "kind": "two-level", "name": ...}`` / ``{"fixed": ...}``.
    parameters : list of dict
        One per gate: ``{"theta": l, "source": t, "relation": "θ_l = c·t"}`` (``l`` 1-based).
    notes : dict
        ``inexact`` (sources of float gates) and ``rationalised`` (floats read as fractions).

    Raises
    ------
    InteropError
        A source parameter drives two rotations (qnnsym gives every gate its own ``θ_l``).
    """
    entries, params, used = [], [], {}
    notes: dict = {"inexact": [], "rationalised": [], "sqrt2": []}
    shared = shared_parameters(rots)
    if shared is not None:
        notes["parameters"] = [nm for nm, _ in shared.values()]
        params = [{"theta": j + 1, "name": nm, "source": t, "relation": f"θ_{j + 1} = {t}" + (f"/{D}" if D != 1 else "")}
                  for j, (t, (nm, D)) in enumerate(shared.items())]
    for r in rots:
        if r.matrix is not None:
            import numpy as np

            m = np.asarray(r.matrix)
            entries.append({"fixed": {"unitary": [[repr(complex(v)).strip("()") for v in row] for row in m]},
                            "name": r.source})
            notes["inexact"].append(r.source)
            continue
        terms = [(rationalise(c, f"{r.source}: coefficient of {_label(p)}", notes["rationalised"],
                              rationalise_floats), _label(p)) for c, p in r.terms]
        terms = [(c, lab) for c, lab in terms if c != 0]
        if not terms:
            continue
        a = r.angle
        if a.is_free and shared is not None:        # shared parameters: the gate's angle over the named θ
            if a.offset:
                off, _, off_notes = build_circuit([Rot(r.terms, Angle.fixed(a.offset), r.source + " (offset)")],
                                                  rationalise_floats, n_qubits)
                entries += off
                notes["inexact"] += off_notes["inexact"]
            entries.append({"gate": {"pauli": [[_num(c), lab] for c, lab in terms]}, "kind": "two-level",
                            "name": r.source, "angle": [[str(_coefficient(c, t, r.source) * shared[t][1] / 2), shared[t][0]]
                                                        for t, c in a.terms]})
            continue
        if a.is_free:
            if a.param in used and used[a.param] == r.source:
                raise InteropError(r.source, f"not one rotation: it uses parameter {a.param!r} in several rotations "
                                   "(e.g. a controlled rotation, which is not exp(-iθH) with H² = I)",
                                   expected="rotations of Pauli strings: " + ", ".join(SUPPORTED_GATES),
                                   fix="rewrite it with Pauli rotations, or bind its parameter to a number")
            if a.param in used:
                raise InteropError(r.source, f"parameter {a.param!r} also drives {used[a.param]}",
                                   expected="one free parameter per rotation (eq. 4 gives every gate its own θ_l)",
                                   fix="give each rotation its own Parameter, or bind the shared one to a number")
            used[a.param] = r.source
            if a.offset:
                off, _, off_notes = build_circuit([Rot(r.terms, Angle.fixed(a.offset), r.source + " (offset)")],
                                                  rationalise_floats, n_qubits)
                entries += off
                notes["inexact"] += off_notes["inexact"]
            sign = -1 if a.factor < 0 else 1        # R_G(-|c|t) = exp(-i (|c|t/2) (-G)): θ grows with t
            entries.append({"gate": {"pauli": [[_num(sign * c), lab] for c, lab in terms]}, "kind": "two-level",
                            "name": r.source})
            c = rationalise(abs(a.factor) / 2, r.source, None, True)
            params.append({"theta": len(params) + 1, "source": a.param, "factor": _num(c),
                           "relation": f"θ_{len(params) + 1} = {c}·{a.param}"})
            continue
        if len(terms) == 1 and terms[0][0] in (1, -1):
            sign = 1 if terms[0][0] == 1 else -1
            if a.quarter is not None:
                cs, sn = quarter_point(a.quarter * sign)
                if (cs, sn) == (1, 0):
                    continue          # identity
                fx = {"pauli": terms[0][1], "cos": str(cs), "sin": str(sn)}
            elif a.pi is not None:    # an exact multiple of π/8: kept exactly (odd multiples of π/4: Q(√2))
                fx = {"pauli": terms[0][1], "angle": f"{sign * a.pi}*pi"}
                notes["sqrt2" if (4 * a.pi).denominator == 1 else "inexact"].append(r.source)
            else:                     # the float angle as given (its exact double; coefficients enclosed in arb)
                fx = {"pauli": terms[0][1], "angle": repr(sign * a.value)}
                notes["inexact"].append(r.source)
            entries.append({"fixed": fx, "name": r.source})
            continue
        if n_qubits is None:
            raise InteropError(r.source, "a fixed rotation of a sum of Pauli strings",
                               expected="fixed rotations of single Pauli strings (or a free parameter)")
        import numpy as np  # a fixed rotation of a Pauli sum: its float unitary

        from ..exact.paulis import PauliSum

        G = PauliSum.from_labels(n_qubits, [(c, lab) for c, lab in terms]).to_matrix()
        w, V = np.linalg.eigh(G)
        entries += build_circuit([Rot([], a, r.source, matrix=(V * np.exp(-0.5j * a.value * w)) @ V.conj().T)],
                                 rationalise_floats, n_qubits)[0]
        notes["inexact"].append(r.source)
    if notes["inexact"]:
        shown = ", ".join(dict.fromkeys(notes["inexact"]))
        warnings.warn(InteropWarning(f"the instance is inexact (floating point): fixed gate(s) {shown} have "
                                     "irrational cos/sin (angles kπ/2 are rational, odd multiples of π/4 exact "
                                     "over Q(√2)); its tables say 'verified (coefficients enclosed to 2^-k)'"),
                      stacklevel=3)
    return entries, params, notes


def _coefficient(c, param: str, where: str) -> Fraction:
    """The exact rational coefficient of ``param`` in a rotation angle (refused when it is not rational)."""
    f = rationalise(c, where)
    if not isinstance(f, Fraction):
        raise InteropError(where, f"the coefficient {c!r} of parameter {param!r} is not a rational number",
                           expected="an angle linear in its parameters with rational coefficients (2*a + b, a/2)",
                           fix="rescale the parameter so that its coefficients are rational")
    return f


def shared_parameters(rots: Sequence[Rot]) -> dict | None:
    """``{source parameter t: (name, D)}`` when some parameter drives several rotations or a rotation
    depends on several parameters (``None`` otherwise: one free ``θ_l`` per gate, eq. 4).

    The free parameter is ``θ = t/D`` with ``D`` the least common denominator of ``t``'s coefficients
    (source convention ``R_G(c·t) = exp(−i c t G/2)``), so that every frequency ``c·D`` of the loss in
    ``θ`` is an integer (docs/interop.md, "Shared parameters"); its name is ``t`` (``"t/D"`` when
    ``D > 1``).  Coefficients must be rational.

    >>> r = [Rot(_pauli([0], "Z"), Angle.linear((("a", 2), ("b", 0.5))), "rz@0"), Rot(_pauli([1], "X"), Angle.free("a"), "rx@1")]
    >>> shared_parameters(r)
    {'a': ('a', 1), 'b': ('b/2', 2)}
    """
    free = [r for r in rots if r.matrix is None and r.angle.is_free and any(c != 0 for c, _ in r.terms)]
    uses: dict = {}
    for r in free:
        for t, c in r.angle.terms:
            uses.setdefault(t, []).append(_coefficient(c, t, r.source))
    if not any(len(v) > 1 for v in uses.values()) and not any(len(r.angle.terms) > 1 for r in free):
        return None
    out = {}
    for t, cs in uses.items():
        D = 1
        for c in cs:
            D = D * c.denominator // math.gcd(D, c.denominator)
        out[t] = (t if D == 1 else f"{t}/{D}", D)
    return out


def observable_json(terms: Sequence[tuple], notes: list | None = None, rationalise_floats: bool = True) -> dict:
    """``{"pauli": [[coeff, label], ...]}`` of ``[(coeff, {qubit: letter}), ...]``."""
    acc: dict = {}
    for c, p in terms:
        lab = _label(p)
        acc[lab] = acc.get(lab, 0) + rationalise(c, f"observable: coefficient of {lab}", notes, rationalise_floats)
    return {"pauli": [[_num(c), lab] for lab, c in acc.items() if c != 0] or [["0", "I"]]}


def reorder_vector(vec: Sequence, n_qubits: int) -> list:
    """A state vector in the other qubit order (Qiskit's little-endian ↔ qnnsym's big-endian):
    entry ``i`` moves to the index with the ``n`` bits of ``i`` reversed (an involution).

    >>> reorder_vector(["a", "b", "c", "d"], 2)
    ['a', 'c', 'b', 'd']
    """
    v = list(vec)
    if len(v) != 2 ** n_qubits:
        raise ValidationError("vector", f"length {len(v)}", expected=f"2^{n_qubits} = {2 ** n_qubits} entries")
    rev = [int(format(i, f"0{n_qubits}b")[::-1], 2) if n_qubits else 0 for i in range(len(v))]
    return [v[rev[i]] for i in range(len(v))]


def reorder_matrix(rows: Sequence, n_qubits: int) -> list:
    """A density matrix in the other qubit order (:func:`reorder_vector` applied to rows and columns).

    >>> reorder_matrix([["a", "b", "c", "d"], ["e", "f", "g", "h"], ["i", "j", "k", "l"], ["m", "n", "o", "p"]], 2)
    [['a', 'c', 'b', 'd'], ['i', 'k', 'j', 'l'], ['e', 'g', 'f', 'h'], ['m', 'o', 'n', 'p']]
    """
    return [reorder_vector(r, n_qubits) for r in reorder_vector(rows, n_qubits)]


def _reorder_state(state, n_qubits: int, where: str):
    """A dataset state written in Qiskit's qubit order, in qnnsym's: vectors and matrices are permuted
    (``{"vector": …}``, ``{"matrix": …}``, a bare list or list of rows); Pauli forms name qubits by
    index and stay as they are."""
    try:
        if isinstance(state, dict) and set(state) == {"vector"} and isinstance(state["vector"], list):
            return {"vector": reorder_vector(state["vector"], n_qubits)}
        if isinstance(state, dict) and set(state) == {"matrix"} and isinstance(state["matrix"], list):
            return {"matrix": reorder_matrix(state["matrix"], n_qubits)}
        if isinstance(state, list) and state and all(isinstance(r, list) for r in state):
            return {"matrix": reorder_matrix(state, n_qubits)}
        if isinstance(state, list) and state:
            return {"vector": reorder_vector(state, n_qubits)}
    except ValidationError as e:
        raise InteropError(where, e.problem, e.expected, "qubit_order \"qiskit\" needs 2^n_qubits entries") from None
    return state


def load_dataset(path: str | Path) -> dict:
    """Read a dataset file: ``{"samples": [...], "observable": ..., "n_qubits": n, "qubit_order": ...}``
    (``samples`` as in instance files; every other key optional), or a whole instance file (its samples
    and observable are used).  ``"qubit_order": "qiskit"`` marks state vectors written in Qiskit's
    little-endian order; they are reordered (:func:`reorder_vector`)."""
    text = read_text(path, "--data")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InteropError(f"--data {path}", f"not valid JSON ({e.msg} at line {e.lineno})",
                           expected='a JSON object {"samples": [{"state": ..., "label": ...}, ...]}') from None
    if not isinstance(data, dict) or not isinstance(data.get("samples"), list):
        raise InteropError(f"--data {path}", "no list of samples",
                           expected='a JSON object {"samples": [{"state": ..., "label": ...}, ...]}',
                           fix="see docs/interop.md, 'Datasets'")
    return data


def assemble_instance(entries: list, n_qubits: int, observable: dict | str | None, data: dict | None,
                      name: str, meta: dict, description: str = "", parameters: Sequence[str] | None = None) -> Instance:
    """Validate circuit + observable + dataset as one instance (``qnnsym-instance/1`` rules).

    The observable given here wins over the dataset's ``"observable"``; without either, or without
    samples, a :class:`~qnnsym.errors.InteropError` says what is missing.  ``parameters``: the names of
    shared free parameters (the entries then carry ``"angle"``).
    """
    data = dict(data or {})
    obs = observable if observable is not None else data.get("observable")
    if obs is None:
        raise InteropError("observable", "missing",
                           expected="an observable: from the source (SparsePauliOp, a PennyLane expval), "
                                    "--observable, or an \"observable\" key of the dataset file")
    if isinstance(obs, str) and not obs.strip():
        raise InteropError("observable", "empty", expected='a Pauli label like "Z0 Z1" or {"pauli": [["1/2", "Z0"]]}',
                           fix="an empty label is not the identity here: give the observable")
    samples = data.get("samples")
    objective = data.get("objective")
    kind = objective.get("kind") if isinstance(objective, dict) else None
    if not samples and kind in ("expectation", "energy"):
        samples = [{"state": {"vector": ["1"] + ["0"] * (2 ** n_qubits - 1)}}]      # |0…0⟩
    if not samples:
        raise InteropError("samples", "missing", expected="a dataset: --data DATASET.json with \"samples\"",
                           fix="or --objective energy for the energy of the circuit applied to |0…0⟩")
    nd = data.get("n_qubits")
    if nd is not None and (not isinstance(nd, int) or isinstance(nd, bool) or nd < 1):
        raise InteropError("n_qubits", f"{nd!r} in the dataset", expected="a positive JSON integer, e.g. 2")
    if nd is not None and nd != n_qubits:
        if isinstance(nd, int) and nd > n_qubits:
            n_qubits = nd
        else:
            raise InteropError("n_qubits", f"the dataset has {nd} qubits, the circuit {n_qubits}",
                               expected="the same number of qubits")
    if data.get("qubit_order", "qnnsym") not in ("qnnsym", "qiskit", "pennylane"):
        raise InteropError("qubit_order", f"{data['qubit_order']!r}", expected='"qnnsym" (= "pennylane") or "qiskit"')
    if data.get("qubit_order") == "qiskit":
        samples = [dict(smp, state=_reorder_state(smp["state"], n_qubits, f"samples[{k}].state"))
                   if isinstance(smp, dict) and "state" in smp else smp for k, smp in enumerate(samples)]
    d = {"format": "qnnsym-instance/1", "name": name, "description": description or data.get("description", ""),
         "n_qubits": n_qubits, "circuit": entries, "observable": obs, "samples": samples,
         "meta": dict(data.get("meta") or {}, **meta)}
    if objective is not None:
        d["objective"] = objective
    if parameters:
        d["parameters"] = list(parameters)
    if not any("gate" in e for e in entries):
        raise InteropError("circuit", "no free parameter",
                           expected="at least one rotation with a free parameter (a Qiskit Parameter, a trainable "
                                    "PennyLane parameter, an OpenQASM 3 'input angle')")
    return instance_from_dict(d, source=name)


@dataclass
class Imported:
    """What a front end read: rotations, qubit count, observable terms (or ``None``), a name."""

    rots: list
    n_qubits: int
    observable: list | None = None
    name: str = "imported"
    source: str = ""
    extra: dict = field(default_factory=dict)

    def instance(self, data: dict | None = None, observable=None, name: str | None = None,
                 rationalise_floats: bool = True) -> Instance:
        entries, params, notes = build_circuit(self.rots, rationalise_floats, self.n_qubits)
        names = notes.pop("parameters", None)
        obs = observable
        if obs is None and self.observable is not None:
            obs = observable_json(self.observable, notes["rationalised"], rationalise_floats)
        meta = {"interop": {"source": self.source, "parameters": params,
                            "convention": "source rotation R_G(t) = exp(-i t G/2); qnnsym gate exp(-i θ G), θ = t/2",
                            **{k: v for k, v in notes.items() if v}, **self.extra}}
        return assemble_instance(entries, self.n_qubits, obs, data, name or self.name, meta,
                                 f"imported from {self.source}", names)
