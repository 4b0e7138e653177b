"""Simulators: float results against the exact expansion, hand-derived values, independent paths."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnnsym import QNN, Dataset, Gate, Instance, Sample, ValidationError
from qnnsym.exact.opmatrix import OpMatrix
from qnnsym.exact.paulis import PauliSum
from qnnsym.expansion.direct import outputs_direct_float
from qnnsym.expansion.phi import loss_poly, output_polys
from qnnsym.model.instances import prop5_instance
from qnnsym.sim import (LinearOp, StatevectorSimulator, TrigSimulator, heisenberg_output_polys, product_factors,
                        product_output_polys, simulator)

RNG = np.random.default_rng(7)


def _random_pauli_sum(n, k, rng):
    terms = {}
    for _ in range(k):
        terms[(int(rng.integers(2 ** n)), int(rng.integers(2 ** n)))] = Fraction(int(rng.integers(-3, 4)), 2)
    return PauliSum(n, terms)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_linear_op_matches_dense_matrix(n):
    for seed in range(5):
        A = _random_pauli_sum(n, 4, np.random.default_rng(seed))
        psi = RNG.normal(size=(3, 2 ** n)) + 1j * RNG.normal(size=(3, 2 ** n))
        for dense in (False, True):
            op = LinearOp.from_operator(A, dense_if_many=dense)
            assert np.allclose(op.apply(psi), psi @ A.to_matrix().T)


def test_product_factors_roundtrip_and_rejection():
    k, fac = product_factors(prop5_instance(3).observable)
    assert k == 1 and all(f == PauliSum.from_labels(1, {"I": 1, "Y0": 1}) for f in fac)
    assert product_factors(PauliSum.from_labels(2, {"X0 X1": 1, "Z0 Z1": 1})) is None     # entangled
    assert product_factors(PauliSum.from_labels(2, {"I": 1, "X0": 1, "X1": 1})) is None   # missing X0 X1


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(-2, 2), st.integers(-2, 2), st.integers(-2, 2), st.integers(1, 3)),
                min_size=1, max_size=3))
def test_product_factors_property(coeffs):
    facs = [PauliSum(1, {k: Fraction(v) for k, v in zip([(0, 0), (1, 0), (0, 1), (1, 1)], c) if v}) for c in coeffs]
    if any(len(f) == 0 for f in facs):
        return
    op = None
    for q, f in enumerate(facs):   # ⊗ by products of embedded factors on disjoint qubits
        emb = PauliSum(len(facs), {(x << q, z << q): v for (x, z), v in f.items()})
        op = emb if op is None else op * emb
    k, got = product_factors(op)
    rebuilt = None
    for q, f in enumerate(got):
        emb = PauliSum(len(facs), {(x << q, z << q): v * (k if q == 0 else 1) for (x, z), v in f.items()})
        rebuilt = emb if rebuilt is None else rebuilt * emb
    assert rebuilt == op


@pytest.mark.parametrize("p", [1, 2, 3, 4])
def test_product_and_heisenberg_polys_equal_exact_expansion(p):
    inst = prop5_instance(p, r="1/3")
    exact = output_polys(inst)
    assert product_output_polys(inst) == exact
    assert heisenberg_output_polys(inst) == exact


def test_product_polys_several_gates_on_one_qubit():
    gates = (Gate(PauliSum.string(2, "Z0")), Gate(PauliSum.string(2, "X0")), Gate(PauliSum.string(2, "Y1")))
    M = PauliSum.from_labels(2, {"I": 1, "Y0": "1/2", "Z1": "1/3", "Y0 Z1": "1/6"})
    rho = PauliSum.from_labels(2, {"I": "1/4", "X0": "1/8", "Z1": "1/8", "X0 Z1": "1/16"})
    inst = Instance(QNN(gates, n_qubits=2), M, Dataset((Sample(rho, "1/2"),)))
    assert product_output_polys(inst) == output_polys(inst)


def test_p1_hand_derived_values():
    # prop5 p = 1 at θ = 0: f = (1/5, 13/10) (docs/math.md: f = 1 + y c + x s), L = ((4/5)² + (1/5)²)/2 = 0.34
    inst = prop5_instance(1)
    for method in ("trig", "statevector"):
        sim = simulator(inst, method)
        assert np.allclose(sim.outputs(np.zeros((1, 1))), [[0.2, 1.3]], atol=1e-15)
        assert abs(sim.loss(np.zeros((1, 1)))[0] - 0.34) < 1e-15


@pytest.mark.parametrize("p", [1, 2, 3, 5])
def test_float_paths_agree_with_exact_loss_poly(p):
    inst = prop5_instance(p)
    L = loss_poly(inst)
    th = RNG.uniform(0, 2 * np.pi, (6, p))
    sims = [simulator(inst, "trig"), StatevectorSimulator(inst, "heisenberg"), StatevectorSimulator(inst, "schrodinger")]
    for sim in sims:
        Lv, G = sim.loss_and_grad(th)
        assert np.abs(Lv - L(th)).max() < 1e-13
        assert np.abs(G - L.gradient(th)).max() < 1e-13
        assert np.abs(sim.hessian(th[:3]) - L.hessian(th[:3])).max() < 1e-12
        assert np.abs(sim.outputs(th) - outputs_direct_float(inst, th)).max() < 1e-12


def test_jacobian_matches_output_poly_gradients():
    inst = prop5_instance(3)
    fs = output_polys(inst)
    th = RNG.uniform(0, 2 * np.pi, (4, 3))
    want = np.stack([f.gradient(th) for f in fs], axis=1)
    for sim in (simulator(inst), StatevectorSimulator(inst)):
        assert np.abs(sim.jacobian(th) - want).max() < 1e-13


def _entangling_instance():
    """Two-qubit circuit with an entangling generator, a fixed rotation and a pure input."""
    from qnnsym.model.circuit import FixedGate

    n = 2
    ops = (Gate(PauliSum.string(n, "X0 Y1")), FixedGate(pauli=PauliSum.string(n, "Z0"), cos2a="3/5", sin2a="4/5"),
           Gate(PauliSum.string(n, "Y0")), Gate(PauliSum.from_labels(n, {"Z1": "3/5", "X1": "4/5"})))
    M = PauliSum.from_labels(n, {"Z0": 1, "X0 X1": "1/2"})
    samples = (Sample.from_vector(["3/5", "4/5*I", "0", "0"], "1/2"),
               Sample(PauliSum.from_labels(n, {"I": "1/4", "X0 Z1": "1/8"}), "-1/3"))
    return Instance(QNN(ops, n_qubits=n), M, Dataset(samples))


def test_entangling_circuit_all_paths_agree():
    inst = _entangling_instance()
    L = loss_poly(inst)
    th = RNG.uniform(0, 2 * np.pi, (5, inst.p))
    for sim in (simulator(inst, "trig"), StatevectorSimulator(inst, "heisenberg"), StatevectorSimulator(inst, "schrodinger")):
        Lv, G = sim.loss_and_grad(th)
        assert np.abs(Lv - L(th)).max() < 1e-13
        assert np.abs(G - L.gradient(th)).max() < 1e-13
        assert np.abs(sim.hessian(th[:2]) - L.hessian(th[:2])).max() < 1e-12


def test_integer_spectrum_and_hermitian_generators_gradient():
    n = 1
    H_int = OpMatrix.from_rows([[2, 0], [0, -1]])        # integer spectrum {2, -1}: frequency 3
    H_her = OpMatrix.from_numpy(np.array([[0.3, 0.2 - 0.1j], [0.2 + 0.1j, -0.7]]))
    M = PauliSum.from_labels(n, {"X0": 1, "Z0": "1/2"})
    rho = PauliSum.from_labels(n, {"I": "1/2", "Y0": "1/4", "X0": "1/4"})
    qnn = QNN((Gate(PauliSum.string(n, "Y0")), Gate(H_int, "integer-spectrum"), Gate(H_her, "hermitian")), n_qubits=n)
    inst = Instance(qnn, M, Dataset((Sample(rho, "1/3"),)))
    sv = StatevectorSimulator(inst)
    th = RNG.uniform(0, 2 * np.pi, (4, 3))
    L, G = sv.loss_and_grad(th)
    assert np.abs(L - np.mean((outputs_direct_float(inst, th) - 1 / 3) ** 2, axis=1)).max() < 1e-13
    h = 1e-6
    for l in range(3):
        e = np.zeros(3)
        e[l] = h
        fd = (sv.loss(th + e) - sv.loss(th - e)) / (2 * h)
        assert np.abs(fd - G[:, l]).max() < 1e-8
    with pytest.raises(ValidationError, match="two-level"):
        sv.hessian(th)


def test_pure_encoded_states_use_schrodinger_and_agree():
    from qnnsym.sim.experiments import encoding_instance

    inst = encoding_instance(3, m=5, seed=2)
    sv = StatevectorSimulator(inst, "schrodinger")
    tr = simulator(inst, "trig")
    th = RNG.uniform(0, 2 * np.pi, (4, 3))
    assert np.abs(sv.outputs(th) - outputs_direct_float(inst, th)).max() < 1e-12
    assert np.abs(tr.loss_and_grad(th)[1] - sv.loss_and_grad(th)[1]).max() < 1e-12


def test_bad_input_is_a_validation_error():
    sim = simulator(prop5_instance(2))
    with pytest.raises(ValidationError, match="theta"):
        sim.loss(np.zeros((3, 4)))
    with pytest.raises(ValidationError, match="method"):
        simulator(prop5_instance(2), "magic")
    with pytest.raises(ValidationError, match="product"):
        simulator(_entangling_instance(), "product")
    with pytest.raises(ValidationError, match="labels"):
        TrigSimulator(output_polys(prop5_instance(1)), [1.0])


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 4), st.sampled_from(["1/2", "1/3", "2/5"]), st.integers(1, 3),
       st.lists(st.floats(-10, 10, allow_nan=False), min_size=4, max_size=4))
def test_trig_and_statevector_agree_property(p, r, copies, th):
    inst = prop5_instance(p, r=r, s1_copies=copies)
    theta = np.array([th[:p]])
    a, b = simulator(inst, "trig"), simulator(inst, "statevector")
    La, Ga = a.loss_and_grad(theta)
    Lb, Gb = b.loss_and_grad(theta)
    assert abs(La[0] - Lb[0]) < 1e-13 and np.abs(Ga - Gb).max() < 1e-13
    assert np.allclose(a.jacobian(theta), b.jacobian(theta), atol=1e-13)


def _parity_product_instance(p, seed=0):
    """One X/Y rotation per qubit, parity read-out (3^p monomials), random product mixed states."""
    rng = np.random.default_rng(seed)
    gates = [f"{'X' if q % 2 else 'Y'}{q}" for q in range(p)]
    M = PauliSum.from_labels(p, {"I": "1/2", " ".join(f"Z{q}" for q in range(p)): "1/2"})
    samples = []
    for k in range(3):
        rho = None
        for q in range(p):
            x, y, z = (Fraction(int(v), 8) for v in rng.integers(-4, 5, 3))
            fac = PauliSum(p, {(0, 0): Fraction(1, 2), (1 << q, 0): x / 2, (1 << q, 1 << q): y / 2, (0, 1 << q): z / 2})
            rho = fac if rho is None else rho * fac
        samples.append(Sample(rho, Fraction(k % 2)))
    return Instance(QNN.from_paulis(gates, p), M, Dataset(tuple(samples)))


def test_product_simulator_agrees_with_other_paths():
    inst = _parity_product_instance(4)
    th = RNG.uniform(0, 2 * np.pi, (5, 4))
    a, b, c = simulator(inst, "product"), simulator(inst, "trig"), simulator(inst, "statevector")
    assert a.method == "product" and b.method == "trig"
    L = loss_poly(inst)
    for sim in (a, c):
        Lv, G = sim.loss_and_grad(th)
        assert np.abs(Lv - L(th)).max() < 1e-13 and np.abs(G - L.gradient(th)).max() < 1e-13
        assert np.abs(sim.hessian(th) - L.hessian(th)).max() < 1e-12
        assert np.abs(sim.jacobian(th) - b.jacobian(th)).max() < 1e-13


def test_auto_uses_product_form_when_the_expansion_is_large():
    # M = ⊗(I + Z)/2 and ρ = ⊗(I + x X + z Z)/2: 3^10 monomials per output if multiplied out
    import itertools

    p = 10
    rng = np.random.default_rng(3)
    M = PauliSum(p, {(0, z): Fraction(1, 2 ** p) for z in range(2 ** p)})
    samples = []
    for k in range(2):
        xz = [(Fraction(int(a), 40), Fraction(int(b), 40)) for a, b in rng.choice([-1, 1], (p, 2))]
        terms = {}
        for choice in itertools.product(range(3), repeat=p):
            x = z = 0
            c = Fraction(1, 2 ** p)
            for q, ch in enumerate(choice):
                if ch == 1:
                    x |= 1 << q
                    c *= xz[q][0]
                elif ch == 2:
                    z |= 1 << q
                    c *= xz[q][1]
            if c:
                terms[(x, z)] = c
        samples.append(Sample(PauliSum(p, terms), Fraction(k)))
    inst = Instance(QNN.from_paulis([f"Y{q}" for q in range(p)], p), M, Dataset(tuple(samples)))
    sim = simulator(inst)
    assert sim.method == "product"
    th = RNG.uniform(0, 2 * np.pi, (3, p))
    sv = StatevectorSimulator(inst)
    assert np.abs(sim.loss_and_grad(th)[1] - sv.loss_and_grad(th)[1]).max() < 1e-12
    assert np.abs(sim.outputs(th) - sv.outputs(th)).max() < 1e-12
