from fractions import Fraction

import numpy as np
import pytest

from qnnsym import QNN, Dataset, FixedGate, Gate, Instance, OpMatrix, PauliSum, Sample, ValidationError, prop5_instance


def _inst(rho, n=1, M="Y0", gates=("Z0",)):
    return Instance(QNN.from_paulis(list(gates), n), PauliSum.string(n, M), Dataset((Sample(rho, 0),)))


def test_valid_states_of_each_kind():
    half = Fraction(1, 2)
    _inst(PauliSum.from_labels(1, {"I": half, "X0": "1/4", "Z0": "1/4"}))
    _inst(OpMatrix.from_rows([["1/2", "1/2"], ["1/2", "1/2"]]))
    from qnnsym.model.data import _state_from
    _inst(_state_from(["3/5", "4/5*I"], 1, 2, "state"))


@pytest.mark.parametrize("gen,kind,match", [
    (OpMatrix.from_rows([[0, 1], [0, 0]]), "two-level", "not Hermitian"),
    (OpMatrix.from_rows([[2, 0], [0, -2]]), "two-level", "H² ≠ I"),
    (OpMatrix.from_rows([[1, 0], [0, 1]]), "two-level", "tr H"),
    (OpMatrix.from_rows([[0, "1/2"], ["1/2", 0]]), "integer-spectrum", "not integer"),
    (PauliSum.from_labels(1, {"X0": "3/5", "Z0": "4/5"}).scale(2), "two-level", "H² ≠ I"),
])
def test_bad_generators(gen, kind, match):
    with pytest.raises(ValidationError, match=match) as e:
        Gate(gen, kind)
    assert "generator" in e.value.field


def test_good_generators():
    assert Gate(PauliSum.from_labels(1, {"X0": "3/5", "Z0": "4/5"})).omega == 2
    g = Gate(OpMatrix.from_rows([[1, 0, 0], [0, 0, 0], [0, 0, -1]]), "integer-spectrum")
    assert g.spectrum == (-1, 0, 1) and g.frequencies == (1, 2) and g.omega == 1 and g.max_gap == 2


@pytest.mark.parametrize("rho,match", [
    (PauliSum.from_labels(1, {"I": 1}), "tr ρ = 2"),
    (PauliSum.from_labels(1, {"I": "1/2", "X0": 1}), "not positive semidefinite"),
    (OpMatrix.from_rows([[1, "I"], ["I", 0]]), "not Hermitian"),
    (OpMatrix.from_rows([["3/2", 0], [0, "-1/2"]]), "not positive semidefinite"),
    (PauliSum.from_labels(2, {"I": "1/4"}), "dimension"),
])
def test_bad_states(rho, match):
    with pytest.raises(ValidationError, match=match) as e:
        _inst(rho)
    assert e.value.field.startswith("dataset.samples[0]")


def test_exact_psd_needs_more_than_gershgorin():
    # Σ|c_P| > c_I but PSD: |00><00| has Z0, Z1, Z0Z1 with weights 1/4 each, identity 1/4
    rho = PauliSum.from_labels(2, {"I": "1/4", "Z0": "1/4", "Z1": "1/4", "Z0 Z1": "1/4"})
    _inst(rho, n=2, M="Y0", gates=("Z0",))
    bad = PauliSum.from_labels(2, {"I": "1/4", "Z0": "1/4", "Z1": "1/4", "Z0 Z1": "-1/4"})
    with pytest.raises(ValidationError, match="positive semidefinite"):
        _inst(bad, n=2, M="Y0", gates=("Z0",))


def test_other_errors():
    with pytest.raises(ValidationError, match="empty dataset"):
        Dataset(())
    with pytest.raises(ValidationError, match="empty circuit"):
        QNN((), n_qubits=1)
    with pytest.raises(ValidationError, match="dimension mismatch"):
        QNN((Gate(PauliSum.string(1, "Z0")), Gate(PauliSum.string(2, "Z0"))))
    with pytest.raises(ValidationError, match="observable"):
        Instance(QNN.from_paulis(["Z0"], 1), OpMatrix.from_rows([[0, 1], [0, 0]]),
                 Dataset((Sample(PauliSum.identity(1, "1/2"), 0),)))
    with pytest.raises(ValidationError, match="not unitary"):
        FixedGate(unitary=OpMatrix.from_rows([[1, 1], [0, 1]]))
    with pytest.raises(ValidationError, match="unit circle"):
        FixedGate(pauli=PauliSum.string(1, "X0"), cos2a="1/2", sin2a="1/2")
    with pytest.raises(ValidationError, match="cos: complex number"):      # found by test_robustness's mutations
        FixedGate(pauli=PauliSum.string(1, "X0"), cos2a="3/5 + I", sin2a="4/5")
    with pytest.raises(ValidationError, match="label: complex number"):
        Instance(QNN.from_paulis(["Z0"], 1), PauliSum.string(1, "Y0"),
                 Dataset((Sample(PauliSum.identity(1, "1/2"), "1 + I"),)))


def test_float_input_marks_instance_inexact():
    rho = OpMatrix.from_numpy(np.array([[0.5, 0.1], [0.1, 0.5]]))
    inst = _inst(rho)
    assert not inst.exact and prop5_instance(2).exact
