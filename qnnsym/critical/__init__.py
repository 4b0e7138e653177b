"""Critical points of a loss, certified (Sect. 5, Theorem 7): system → solve → classify → table.

:mod:`.system` gives the polynomial system (cs and tan forms, Bézout and multihomogeneous bounds);
:mod:`.solve` with :mod:`.backends` turns a :class:`~qnnsym.exact.trigpoly.TrigPoly` loss into a
:class:`SolveResult` (exact real points, :mod:`.points`, :mod:`.rootisolation`) with a stated
certification level; :mod:`.classify` decides index, kind and loss value of each real point;
:mod:`.table` splits the loss into independent blocks and assembles the :class:`CriticalTable`;
:mod:`.dense` is the dense random family; :mod:`.exhaustion` covers the real torus by boxes (the
``exhaustion`` backend) and :mod:`.globalmin` certifies the global minimum by branch-and-bound.
"""
from .backends import BACKENDS, available_backends
from .classify import ClassifiedPoint
from .dense import dense_instance, dense_residuals, residual_instance
from .points import AlgebraicPoint, real_points_from_rur, substitute_rur
from .result import CERTIFICATION_LEVELS, SolveResult
from .solve import finite_critical_points, solve_critical
from .system import CriticalSystem, critical_system
from .degenerate import degenerate_cover
from .globalmin import GlobalMinimum, global_minimum
from .table import CriticalTable, classify, critical_table

__all__ = ["CERTIFICATION_LEVELS", "AlgebraicPoint", "SolveResult", "real_points_from_rur", "substitute_rur",
           "CriticalSystem", "critical_system", "BACKENDS", "available_backends",
           "finite_critical_points", "solve_critical", "dense_instance", "dense_residuals", "residual_instance",
           "ClassifiedPoint", "classify", "CriticalTable", "critical_table", "GlobalMinimum", "global_minimum",
           "degenerate_cover"]
