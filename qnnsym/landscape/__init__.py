"""The shape of a loss landscape: the interaction graph of ``L`` and its independent blocks.

Vertices are parameters, edges join parameters that share a Fourier term of ``L``; connected
components are independent sub-problems whose critical sets multiply (MATH.md "Separable
structure").  This is what makes the Proposition-5 family certifiable for any ``p``.
"""
from .interaction import embed_theta, independent_blocks, interaction_graph, restrict

__all__ = ["embed_theta", "independent_blocks", "interaction_graph", "restrict"]
