"""Hypothesis strategies for small exact QNN instances (shared by the test modules)."""
from fractions import Fraction

from hypothesis import strategies as st

from qnnsym import QNN, Dataset, Instance, PauliSum, Sample
from qnnsym.exact.paulis import pauli_label

small_fracs = st.fractions(min_value=-2, max_value=2, max_denominator=5)


@st.composite
def pauli_keys(draw, n, nonidentity=True):
    d = 2 ** n
    x = draw(st.integers(0, d - 1))
    z = draw(st.integers(0, d - 1))
    if nonidentity and x == 0 and z == 0:
        x = 1
    return (x, z)


@st.composite
def pauli_sums(draw, n, max_terms=4):
    k = draw(st.integers(1, max_terms))
    terms = {}
    for _ in range(k):
        terms[draw(pauli_keys(n, nonidentity=False))] = draw(small_fracs)
    return PauliSum(n, terms)


@st.composite
def density_pauli(draw, n, max_terms=3):
    """A PSD, trace-1 Pauli-sum state: identity 1/2^n plus terms with Σ|c| ≤ 1/2^n."""
    k = draw(st.integers(0, max_terms))
    keys = [draw(pauli_keys(n)) for _ in range(k)]
    weights = [draw(st.fractions(min_value=-1, max_value=1, max_denominator=4)) for _ in keys]
    total = sum(abs(w) for w in weights) or Fraction(1)
    base = Fraction(1, 2 ** n)
    terms = {(0, 0): base}
    for key, w in zip(keys, weights):
        terms[key] = terms.get(key, 0) + w / total * base
    return PauliSum(n, terms)


@st.composite
def pauli_instances(draw, max_n=2, max_p=3, max_m=2):
    n = draw(st.integers(1, max_n))
    p = draw(st.integers(1, max_p))
    gates = [pauli_label(draw(pauli_keys(n)), n) for _ in range(p)]
    qnn = QNN.from_paulis(gates, n)
    M = draw(pauli_sums(n))
    m = draw(st.integers(1, max_m))
    samples = tuple(Sample(draw(density_pauli(n)), draw(small_fracs)) for _ in range(m))
    return Instance(qnn, M, Dataset(samples))
