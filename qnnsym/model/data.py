"""The data of a QNN problem (eqs. 5–6): samples ``(ρ_k, y_k)``, the dataset, the instance.

``Sample`` validates its state (Hermitian, ``tr ρ = 1``, ``ρ ⪰ 0``, decided exactly), ``Instance``
ties a :class:`~qnnsym.model.circuit.QNN`, an observable ``M`` and a :class:`Dataset` together and
checks their dimensions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import ValidationError
from ..exact.opmatrix import OpMatrix
from ..exact.paulis import PauliSum
from ..exact.scalars import MAX_FLOAT, GaussianRational, format_scalar, parse_scalar, real_scalar
from .circuit import QNN, Gate, Operator, _is_hermitian, as_operator, operator_dim, to_opmatrix
from ..validate import require_type

__all__ = ['Sample', 'Dataset', 'Instance', 'Objective', 'OBJECTIVE_KINDS', 'dense_arrays']


def _state_from(value, n_qubits, dim, field) -> Operator:
    """A density operator from a Pauli sum, a matrix, or a pure vector ``{"vector": [...]}``."""
    if isinstance(value, dict) and set(value) == {"vector"}:
        if not isinstance(value["vector"], (list, tuple)):
            raise ValidationError(f"{field}.vector", f"got {type(value['vector']).__name__}", expected="a list of numbers")
        vec = [parse_scalar(v, f"{field}.vector[{i}]") for i, v in enumerate(value["vector"])]
        return _pure(vec, dim, f"{field}.vector")
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], (list, tuple)) and not isinstance(value, str):
        return _pure([parse_scalar(v, f"{field}[{i}]") for i, v in enumerate(value)], dim, field)
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return _pure([complex(v) if np.iscomplexobj(value) else float(v) for v in value], dim, field)
    return as_operator(value, n_qubits, field)


def _pure(vec, dim, field) -> OpMatrix:
    """``ρ = ψψ†`` of a normalised vector ``ψ`` (``‖ψ‖² = 1``: exactly for exact entries, to 1e-10 for floats)."""
    if len(vec) != dim:
        raise ValidationError(field, f"vector of length {len(vec)}", expected=f"length {dim}")
    norm2 = sum((v.re ** 2 + v.im ** 2) if isinstance(v, GaussianRational) else abs(v) ** 2 for v in vec)
    exact = all(isinstance(v, (Fraction, GaussianRational)) for v in vec)
    if (norm2 != 1) if exact else abs(norm2 - 1) > 1e-10:
        raise ValidationError(field, f"‖ψ‖² = {format_scalar(norm2) if exact else f'{float(norm2):.12g}'}",
                              expected="a unit vector, ‖ψ‖² = 1", fix="divide every entry by ‖ψ‖")
    def conj(x):
        if isinstance(x, GaussianRational):
            return x.conjugate()
        return x.conjugate() if isinstance(x, complex) else x
    def mul(a, b):
        if isinstance(a, GaussianRational) or isinstance(b, GaussianRational):
            a = a if isinstance(a, GaussianRational) else GaussianRational(Fraction(a), Fraction(0))
            b = b if isinstance(b, GaussianRational) else GaussianRational(Fraction(b), Fraction(0))
            return GaussianRational(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
        return a * b
    rows = [[mul(vec[i], conj(vec[j])) for j in range(dim)] for i in range(dim)]
    return OpMatrix.from_rows(rows, field)


@dataclass(frozen=True)
class Sample:
    """A training sample ``(ρ, y)``; ``state`` is a density operator (validated by :class:`Dataset`).

    A state given as a matrix (rows or an ndarray) or a pure vector is converted to an operator; the
    label is normalised on construction: an exact real (``"1/3"``, ``"2/6"``, ``1``,
    ``Fraction(1, 3)``) becomes a ``Fraction``, a float stays a float (inexact); complex, NaN and
    infinite labels are refused.

    >>> Sample(PauliSum.identity(1, "1/2"), "2/6").label
    Fraction(1, 3)
    """

    state: Operator
    label: object

    def __post_init__(self):
        if not isinstance(self.state, (PauliSum, OpMatrix)):   # a matrix, an ndarray or a pure vector
            dim = len(self.state) if isinstance(self.state, (list, tuple, np.ndarray)) and np.ndim(self.state) == 1 \
                else None
            object.__setattr__(self, "state", _state_from(self.state, None, dim, "state"))
        label = real_scalar(self.label, "label")
        if abs(label) > MAX_FLOAT:      # an exact label past any float: every float loss would be inf
            raise ValidationError("label", f"|y| of about 10^{len(str(abs(int(label))))-1:d}" if abs(label) < 10 ** 4000
                                  else "a huge number", expected=f"|y| ≤ {MAX_FLOAT:g} (an output of the circuit is "
                                  "bounded by ‖M‖)")
        object.__setattr__(self, "label", label)

    @classmethod
    def from_vector(cls, vector, label, dim: int | None = None) -> "Sample":
        """A pure-state sample ``ρ = vv†`` from exact entries (``"3/5"``, ``"4/5*I"``, ...).

        >>> s = Sample.from_vector(["3/5", "4/5*I"], "1/2")
        >>> s.state.trace()
        Fraction(1, 1)
        """
        vec = list(vector)
        return cls(_state_from({"vector": vec}, None, dim or len(vec), "state"), label)


@dataclass(frozen=True)
class Dataset:
    """Samples ``{(ρ_k, y_k)}_{k=1..m}`` (eq. 6). Validates every ρ: Hermitian, ``tr ρ = 1``, PSD.

    PSD is decided exactly for exact states: a Pauli-sum state with ``Σ|c_P| ≤ c_I`` (P ≠ I) is
    PSD outright; otherwise the state is reduced to the qubits it acts on and its characteristic
    polynomial's sign pattern is checked.  Float states are checked to tolerance ``1e-10``.
    """

    samples: tuple

    def __post_init__(self):
        s = tuple(require_type(self.samples, (list, tuple), "dataset.samples", "a list of Sample"))
        for k, smp in enumerate(s):
            require_type(smp, Sample, f"dataset.samples[{k}]", "a Sample(state, label)")
        object.__setattr__(self, "samples", s)
        if not s:
            raise ValidationError("dataset.samples", "empty dataset", expected="at least one (state, label) sample")

    @property
    def m(self) -> int:
        return len(self.samples)

    def validate(self, dim: int, n_qubits: int | None) -> None:
        for k, smp in enumerate(self.samples):
            validate_state(smp.state, dim, f"dataset.samples[{k}].state")

    @property
    def exact(self) -> bool:
        return all(smp.state.exact and not isinstance(smp.label, float) for smp in self.samples)


SQUARE, EXPECTATION, WEIGHTED = "square-loss", "expectation", "weighted-square"
#: the objective kinds; ``energy`` is accepted as an alias of ``expectation``
OBJECTIVE_KINDS = (SQUARE, EXPECTATION, WEIGHTED)


@dataclass(frozen=True)
class Objective:
    """What is minimised: the square loss (eq. 6), the expectation (energy) or a weighted square loss.

    * ``square-loss``: ``L(θ) = (1/m) Σ_k (f(ρ_k, θ) − y_k)²`` (eq. 6, the default);
    * ``expectation``: ``E(θ) = f(ρ, θ) = tr(U(θ) ρ U(θ)† H)`` for the dataset's one state ``ρ``, the
      observable ``H = M`` being the Hamiltonian (VQE); the output polynomial itself (eq. 12), of
      Fourier degree 1 per gate where the loss has degree 2.  Labels are not used;
    * ``weighted-square``: ``L(θ) = Σ_k w_k (f(ρ_k, θ) − y_k)² / Σ_k w_k`` with nonnegative weights,
      not all zero, **normalised by their sum** (weights ``(1, …, 1)`` give eq. 6; weight 2 on a sample
      equals that sample listed twice).

    Parameters
    ----------
    kind : str
        ``"square-loss"``, ``"expectation"`` (alias ``"energy"``) or ``"weighted-square"``.
    weights : sequence of numbers, optional
        ``weighted-square`` only: one nonnegative weight per sample (exact strings like ``"3/2"``
        stay exact; floats make the instance inexact).

    Examples
    --------
    >>> Objective("weighted-square", ["1/2", "3/2"]).normalised_weights(2)
    (Fraction(1, 4), Fraction(3, 4))
    >>> Objective("energy").kind
    'expectation'
    """

    kind: str = SQUARE
    weights: tuple = ()

    def __post_init__(self):
        kind = EXPECTATION if self.kind == "energy" else self.kind
        if kind not in OBJECTIVE_KINDS:
            raise ValidationError("objective.kind", f"{self.kind!r}",
                                  expected="square-loss, expectation (alias energy) or weighted-square")
        object.__setattr__(self, "kind", kind)
        if isinstance(self.weights, (str, bytes)) or not isinstance(self.weights, (list, tuple, np.ndarray)):
            raise ValidationError("objective.weights", f"got {type(self.weights).__name__}",
                                  expected="a list of nonnegative numbers, one per sample")
        w = tuple(real_scalar(x, f"objective.weights[{i}]") for i, x in enumerate(self.weights))
        if kind != WEIGHTED and w:
            raise ValidationError("objective.weights", f"given for objective {kind!r}",
                                  expected="weights only with kind 'weighted-square'", fix="drop the weights")
        if kind == WEIGHTED:
            if not w:
                raise ValidationError("objective.weights", "missing", expected="one nonnegative weight per sample")
            neg = [i for i, x in enumerate(w) if x < 0]
            if neg:
                raise ValidationError(f"objective.weights[{neg[0]}]", f"{format_scalar(w[neg[0]])} is negative",
                                      expected="a nonnegative weight")
            if not any(w):
                raise ValidationError("objective.weights", "all weights are 0", expected="at least one positive weight")
        object.__setattr__(self, "weights", w)

    @property
    def exact(self) -> bool:
        return not any(isinstance(x, float) for x in self.weights)

    def normalised_weights(self, m: int) -> tuple:
        """The per-sample factors ``c_k`` of ``Σ_k c_k (f_k − y_k)²`` (``1/m``, or ``w_k / Σ w``);
        exact when the weights are."""
        if self.kind == EXPECTATION:
            raise ValidationError("objective", "the expectation objective has no per-sample weights")
        if self.kind == SQUARE:
            return (Fraction(1, m),) * m
        total = sum(self.weights)
        return tuple(x / total for x in self.weights)

    def validate(self, dataset: "Dataset") -> None:
        """Raise unless the dataset fits: one state for ``expectation``, one weight per sample for
        ``weighted-square``."""
        m = dataset.m
        if self.kind == EXPECTATION:
            if m != 1:
                raise ValidationError("samples", f"{m} samples for the expectation objective",
                                      expected="exactly one state (E(θ) = tr(U ρ U† H))",
                                      fix="give one sample, or use objective square-loss/weighted-square")
            return
        if self.kind == WEIGHTED and len(self.weights) != m:
            raise ValidationError("objective.weights", f"{len(self.weights)} weights for {m} samples",
                                  expected="one weight per sample")

    def to_json(self) -> dict:
        """``{"kind": ...}`` (with ``"weights"`` for ``weighted-square``)."""
        out: dict = {"kind": self.kind}
        if self.kind == WEIGHTED:
            out["weights"] = [format_scalar(x) for x in self.weights]
        return out


def as_objective(value, weights=None) -> Objective:
    """An :class:`Objective` from an Objective, a kind string (with ``weights``) or None (square loss)."""
    if value is None:
        value = SQUARE
    if isinstance(value, Objective):
        if weights is not None:
            raise ValidationError("weights", "given together with an Objective", fix="put the weights in the Objective")
        return value
    if not isinstance(value, str):
        raise ValidationError("objective", f"got {type(value).__name__}",
                              expected="an Objective or one of square-loss, expectation, energy, weighted-square")
    return Objective(value, () if weights is None else weights)


def validate_state(rho: Operator, dim: int, field: str) -> None:
    """Raise unless ``rho`` is a density operator of dimension ``dim``."""
    if operator_dim(rho) != dim:
        raise ValidationError(field, f"dimension {operator_dim(rho)}", expected=f"dimension {dim} (the circuit's)")
    if isinstance(rho, OpMatrix):
        if not rho.is_hermitian():
            raise ValidationError(field, "ρ is not Hermitian", expected="ρ = ρ†")
    tr = rho.trace()
    if rho.exact:
        if tr != 1:
            raise ValidationError(field, f"tr ρ = {format_scalar(tr)}", expected="tr ρ = 1", fix="normalise the state")
    elif abs(complex(tr) - 1) > 1e-10:
        raise ValidationError(field, f"tr ρ = {complex(tr).real:.12g}", expected="tr ρ = 1", fix="normalise the state")
    if not _is_psd(rho):
        raise ValidationError(field, "ρ is not positive semidefinite", expected="a density matrix (all eigenvalues ≥ 0)",
                              fix="mix with I/d or scale the traceless part down")


def _abs_sum(values) -> Any:
    """``Σ |v|``, exactly; rationals are summed per denominator (one Fraction per denominator, not per term)."""
    per_den: dict[int, int] = {}
    other = 0
    for v in values:
        if isinstance(v, (Fraction, int)):
            per_den[v.denominator] = per_den.get(v.denominator, 0) + abs(v.numerator)
        else:
            other += abs(v)
    return sum((Fraction(n, d) for d, n in per_den.items()), Fraction(0)) + other


def _is_psd(rho: Operator) -> bool:
    if isinstance(rho, OpMatrix):
        return rho.is_psd()
    c0 = rho.get((0, 0), 0)
    rest = _abs_sum(v for k, v in rho.items() if k != (0, 0))
    if rest <= c0:
        return True
    support = 0
    for x, z in rho:
        support |= x | z
    qubits = [q for q in range(rho.n) if (support >> q) & 1]
    reduced = PauliSum(len(qubits), {(_compress(x, qubits), _compress(z, qubits)): v for (x, z), v in rho.items()})
    if len(qubits) > 10 and rho.exact:
        raise ValidationError("state", f"exact PSD test on {len(qubits)} qubits is too large",
                              expected="a state acting on at most 10 qubits non-trivially, or Σ|c_P| ≤ c_I")
    return OpMatrix.from_pauli_sum(reduced).is_psd()


def _compress(mask: int, qubits: list[int]) -> int:
    return sum(((mask >> q) & 1) << i for i, q in enumerate(qubits))


@dataclass(frozen=True)
class Instance:
    """A whole problem: circuit, observable ``M``, dataset and objective (validated together).

    ``objective`` is an :class:`Objective` or its kind (``"square-loss"``, the default;
    ``"expectation"``/``"energy"``; ``"weighted-square"`` with ``weights=[...]``).  For the
    expectation objective the one sample's label is not used and is set to 0 (files omit it).

    Examples
    --------
    >>> from qnnsym.model.instances import builtin_instance
    >>> inst = builtin_instance("prop5", p=2)
    >>> inst.p, inst.m, inst.exact
    (2, 4, True)
    """

    qnn: QNN
    observable: Operator
    dataset: Dataset
    name: str = ""
    description: str = ""
    meta: dict = field(default_factory=dict, compare=False)
    #: ``{"builtin": name, "params": {...}}`` for a built-in instance (set by ``builtin_instance``)
    origin: dict | None = field(default=None, compare=False)
    objective: Objective | str | None = None
    weights: tuple | list | None = field(default=None, compare=False, repr=False)

    def _repr_html_(self) -> str:
        """Jupyter: name, sizes, the circuit, the observable and the samples."""
        import html

        from ..tables import html_table

        obs = self.observable.to_string() if isinstance(self.observable, PauliSum) else f"{self.dim}×{self.dim} matrix"
        samples = [{"k": k + 1, "state": s.state.to_string() if isinstance(s.state, PauliSum) else
                    f"{self.dim}×{self.dim} matrix", "label": format_scalar(s.label) if isinstance(s.label, Fraction)
                    else s.label} for k, s in enumerate(self.dataset.samples)]
        head = (f"<p><b>Instance {html.escape(self.name or '')}</b>: p = {self.p} parameters, m = {self.m} samples, "
                f"d = {self.dim}, {'exact' if self.exact else 'floating-point'}; observable M = "
                f"{html.escape(obs)}</p>")
        return head + self.qnn._repr_html_() + html_table(samples, caption="samples (ρ_k, y_k)")

    def __post_init__(self):
        require_type(self.qnn, QNN, "qnn", "a QNN (e.g. QNN.from_paulis([...], n_qubits=...))")
        require_type(self.observable, (PauliSum, OpMatrix), "observable", "a PauliSum or OpMatrix")
        require_type(self.dataset, Dataset, "dataset", "a Dataset of Sample(state, label)")
        obj = as_objective(self.objective, self.weights)
        object.__setattr__(self, "objective", obj)
        object.__setattr__(self, "weights", None)
        obj.validate(self.dataset)
        if obj.kind == EXPECTATION and self.dataset.samples[0].label != 0:     # not used: one canonical value
            object.__setattr__(self, "dataset", Dataset((Sample(self.dataset.samples[0].state, 0),)))
        if operator_dim(self.observable) != self.qnn.dim:
            raise ValidationError("observable", f"dimension {operator_dim(self.observable)}",
                                  expected=f"dimension {self.qnn.dim} (the circuit's)")
        if not _is_hermitian(self.observable):
            raise ValidationError("observable", "M is not Hermitian", expected="M = M†")
        self.dataset.validate(self.qnn.dim, self.qnn.n_qubits)

    @property
    def p(self) -> int:
        return self.qnn.p

    @property
    def m(self) -> int:
        return self.dataset.m

    @property
    def dim(self) -> int:
        return self.qnn.dim

    @property
    def labels(self) -> list:
        return [s.label for s in self.dataset.samples]

    @property
    def exact(self) -> bool:
        return self.qnn.exact and self.observable.exact and self.dataset.exact and self.objective.exact


def dense_arrays(inst: Instance) -> dict:
    """Float numpy arrays for the numeric simulator.

    Returns
    -------
    dict
        ``ops``: list of ``("gate", l, H)`` / ``("fixed", U)`` in application order (``H``, ``U``
        complex ``(d, d)``); ``generators``: ``(p, d, d)``; ``observable``: ``(d, d)``;
        ``rhos``: ``(m, d, d)``; ``labels``: ``(m,)``.
    """
    ops = []
    gens = []
    for o in inst.qnn.ops:
        if isinstance(o, Gate):
            H = to_opmatrix(o.generator).to_numpy()
            ops.append(("gate", len(gens), H))
            gens.append(H)
        else:
            ops.append(("fixed", o.matrix().to_numpy()))
    return {
        "ops": ops,
        "generators": np.array(gens),
        "observable": to_opmatrix(inst.observable).to_numpy(),
        "rhos": np.array([to_opmatrix(s.state).to_numpy() for s in inst.dataset.samples]),
        "labels": np.array([float(s.label) for s in inst.dataset.samples]),
    }
