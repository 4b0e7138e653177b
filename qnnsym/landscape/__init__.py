"""The shape of a loss landscape: interaction graph and blocks, minima–saddle graph, disconnectivity
tree, basin volumes, and the numbers behind the pictures.

* :mod:`.interaction`: the interaction graph of ``L`` and its independent blocks (docs/math.md
  "Separable structure") — what makes the Proposition-5 family certifiable for any ``p``;
* :mod:`.redundancy`: redundant parameters — the frequency lattice of ``L`` and ``L(θ) = L̃(Aθ)``
  (docs/math.md "Redundant parameters");
* :mod:`.points`: certified critical points as plain data (:class:`Block`, :class:`LandscapePoint`),
  read from a :class:`~qnnsym.critical.table.CriticalTable` without importing the solver;
* :mod:`.descent`: batched steepest descent with capture by the certified minima;
* :mod:`.graph`: the minima–saddle graph (networkx); :mod:`.disconnectivity`: its disconnectivity tree;
* :mod:`.basins`: basin volumes by sampling, with confidence intervals;
* :mod:`.slices`: torus grids, slices and the Fourier spectrum (data of the figures).
"""
from .basins import BasinResult, basin_volumes, full_loss, wilson_interval
from .descent import capture_regions, descend, hessian_bound
from .disconnectivity import DisconnectivityTree, disconnectivity_tree, superbasins
from .graph import graph_rows, graph_summary, minima_saddle_graph, product_graph
from .interaction import embed_theta, independent_blocks, interaction_graph, restrict
from .points import Block, LandscapePoint, blocks_from_table, torus_distance
from .redundancy import Reduction, reduce_loss
from .slices import coordinate_slices, fourier_spectrum, plane_slice, segment_slice, torus_grid

__all__ = ["embed_theta", "independent_blocks", "interaction_graph", "restrict", "Reduction", "reduce_loss",
           "Block", "LandscapePoint", "blocks_from_table", "torus_distance",
           "capture_regions", "descend", "hessian_bound",
           "minima_saddle_graph", "product_graph", "graph_rows", "graph_summary",
           "DisconnectivityTree", "disconnectivity_tree", "superbasins",
           "BasinResult", "basin_volumes", "full_loss", "wilson_interval",
           "torus_grid", "coordinate_slices", "plane_slice", "segment_slice", "fourier_spectrum"]
