"""Interaction graph and independent blocks (docs/math.md "Separable structure")."""
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qnnsym import loss_poly, prop5_instance
from qnnsym.errors import ValidationError
from qnnsym.exact.trigpoly import TrigPoly
from qnnsym.landscape.interaction import embed_theta, independent_blocks, interaction_graph, restrict


@st.composite
def sparse_trigpolys(draw, max_p=5):
    p = draw(st.integers(1, max_p))
    n = draw(st.integers(0, 8))
    terms = {}
    for _ in range(n):
        h = tuple(draw(st.sampled_from([0, 0, 0, 1, -1, 2, -2])) for _ in range(p))
        terms[h] = draw(st.fractions(min_value=-3, max_value=3, max_denominator=4))
    return TrigPoly(p, terms)


def test_hand_graph():
    L = TrigPoly(4, {(0, 0, 0, 0): 1, (1, -1, 0, 0): 2, (0, 1, 0, 0): 1, (0, 0, 0, 2): 3})
    G = interaction_graph(L)
    assert sorted(G.edges()) == [(0, 1)]
    assert [G.nodes[l]["active"] for l in range(4)] == [True, True, False, True]
    blocks = independent_blocks(L)
    assert [ix for ix, _ in blocks] == [(0, 1), (2,), (3,)]
    assert blocks[0][1].terms == {(0, 0): 1, (1, -1): 2, (0, 1): 1}     # constant term in the first block
    assert blocks[1][1].is_zero() and blocks[2][1].terms == {(2,): 3}


def test_prop5_is_separable_and_dense_is_not():
    L = loss_poly(prop5_instance(5))
    assert interaction_graph(L).number_of_edges() == 0
    assert [ix for ix, _ in independent_blocks(L)] == [(l,) for l in range(5)]
    from qnnsym.critical.dense import dense_instance

    G = interaction_graph(loss_poly(dense_instance(3, seed=0)))
    assert nx.is_isomorphic(G, nx.complete_graph(3))


@given(sparse_trigpolys())
def test_blocks_partition_and_sum_back(L):
    blocks = independent_blocks(L)
    idx = [i for ix, _ in blocks for i in ix]
    assert sorted(idx) == list(range(L.p))
    G = interaction_graph(L)
    for ix, _ in blocks:           # components: no edge leaves a block
        assert all(set(e) <= set(ix) or not set(e) & set(ix) for e in G.edges())
    # Σ_b L_b(θ_B) = L(θ) exactly at a rational point and in floats at random points
    theta = np.random.default_rng(0).uniform(0, np.pi, (5, L.p))
    total = sum(blk(theta[:, list(ix)]) for ix, blk in blocks)
    assert np.allclose(total, L(theta))
    cs = [(Fraction(3, 5), Fraction(4, 5)), (Fraction(-5, 13), Fraction(12, 13))] * L.p
    exact = sum(blk.evaluate_cs([cs[i] for i in ix]) for ix, blk in blocks)
    assert exact == L.evaluate_cs(cs[:L.p])


def test_restrict_and_embed_validate():
    L = TrigPoly(2, {(1, 1): 1})
    with pytest.raises(ValidationError, match="indices"):
        restrict(L, [0, 0])
    with pytest.raises(ValidationError, match="blocks"):
        embed_theta([[1.0]], [(0,)], 2)
    with pytest.raises(ValidationError, match="loss"):
        interaction_graph("L")
