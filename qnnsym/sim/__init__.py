"""Numeric simulation and training of QNN instances (Sect. 6 of the paper).

* :func:`simulator` picks the fastest exact-float path for an instance: the compiled expansion
  (:class:`~qnnsym.sim.fast.TrigSimulator`, through the product structure or the exact expansion
  when it is small) or batched statevectors (:class:`~qnnsym.sim.statevector.StatevectorSimulator`).
* :mod:`~qnnsym.sim.optimizers`: Adam, RMSProp, gradient descent (vectorised over all starts) and
  L-BFGS (scipy), with explicit convergence criteria.
* :mod:`~qnnsym.sim.experiments`: Figures 2–5 and the label-noise sweep; :mod:`~qnnsym.sim.matching`
  labels each run with the certified critical point it reached.
* :mod:`~qnnsym.sim.search`: batched multi-start descent and coordinate-wise greedy search.
* :mod:`~qnnsym.sim.dense_count`: a fast vectorised float count of the minima of a dense-family loss
  (proposals of the extremal-minima search).
"""
from .dense_count import FloatMinima, count_minima, residual_matrix
from .dispatch import EXPANSION_MAX_P, simulator
from .experiments import EXPERIMENTS, run_experiment
from .fast import (
                   ProductSimulator,
                   TrigSimulator,
                   heisenberg_output_polys,
                   product_factor_polys,
                   product_factors,
                   product_output_polys,
)
from .objective import FloatObjective
from .optimizers import OPTIMIZERS, Convergence, minimize_batch
from .search import coordinate_greedy, multistart_minima
from .statevector import LinearOp, StatevectorSimulator

__all__ = ["simulator", "FloatObjective", "TrigSimulator", "ProductSimulator", "StatevectorSimulator", "LinearOp", "product_factors",
           "product_factor_polys", "product_output_polys", "heisenberg_output_polys", "EXPANSION_MAX_P",
           "OPTIMIZERS", "Convergence", "minimize_batch", "coordinate_greedy", "multistart_minima",
           "EXPERIMENTS", "run_experiment", "FloatMinima", "count_minima", "residual_matrix"]
