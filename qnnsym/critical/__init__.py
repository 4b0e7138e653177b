"""Critical points of a loss (Sect. 5): the polynomial system, solving backends, exact real points.

Interface types live in :mod:`qnnsym.critical.points`; :func:`solve_critical` (in
:mod:`qnnsym.critical.solve`) turns a :class:`~qnnsym.trigpoly.TrigPoly` loss into a
:class:`SolveResult` with a stated certification level.
"""
from .points import CERTIFICATION_LEVELS, AlgebraicPoint, SolveResult, real_points_from_rur

__all__ = ["CERTIFICATION_LEVELS", "AlgebraicPoint", "SolveResult", "real_points_from_rur"]
