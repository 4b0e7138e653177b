"""Critical points of a loss (Sect. 5): the polynomial system, solving backends, exact real points.

Interface types live in :mod:`qnnsym.critical.points`; :func:`solve_critical` (in
:mod:`qnnsym.critical.solve`) turns a :class:`~qnnsym.trigpoly.TrigPoly` loss into a
:class:`SolveResult` with a stated certification level; :func:`critical_system` gives the
polynomial system itself (cs and tan forms, bounds); :func:`dense_instance` the dense random family.
"""
from .points import CERTIFICATION_LEVELS, AlgebraicPoint, SolveResult, real_points_from_rur, substitute_rur
from .system import CriticalSystem, critical_system
from .backends import BACKENDS, available_backends
from .solve import finite_critical_points, solve_critical
from .dense import dense_instance, dense_residuals
from .classify import ClassifiedPoint, classify
from .table import CriticalTable, critical_table

__all__ = ["CERTIFICATION_LEVELS", "AlgebraicPoint", "SolveResult", "real_points_from_rur", "substitute_rur",
           "CriticalSystem", "critical_system", "BACKENDS", "available_backends",
           "finite_critical_points", "solve_critical", "dense_instance", "dense_residuals",
           "ClassifiedPoint", "classify", "CriticalTable", "critical_table"]
