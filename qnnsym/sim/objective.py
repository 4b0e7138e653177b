"""The objective in floating point: value, gradient and Hessian weights from the outputs ``f_k``.

Every simulator computes the outputs ``f_k(θ)`` and their derivatives; :class:`FloatObjective`
turns them into the instance's objective (:class:`~qnnsym.model.data.Objective`): the square loss
``Σ_k c_k (f_k − y_k)²`` (``c_k = 1/m``, eq. 6, or normalised weights) or the expectation
``E = f_1`` (linear in the outputs).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..model.data import Instance

__all__ = ["FloatObjective"]


class FloatObjective:
    """``Φ(f) = Σ_k c_k (f_k − y_k)²`` (square) or ``Σ_k c_k f_k`` (linear, the expectation).

    Parameters
    ----------
    labels : sequence of float
        ``y_k`` (ignored by a linear objective).
    weights : sequence of float, optional
        ``c_k`` (default ``1/m``: eq. 6).
    linear : bool
        The expectation objective ``Σ_k c_k f_k``.

    Examples
    --------
    >>> obj = FloatObjective([1.0, 0.0], [0.25, 0.75])
    >>> float(obj.value(np.array([[2.0, 1.0]]))[0])        # 0.25·1² + 0.75·1²
    1.0
    >>> FloatObjective([0.0], linear=True).coef(np.array([[0.3]])).tolist()
    [[1.0]]
    """

    def __init__(self, labels: Sequence[float], weights: Sequence[float] | None = None, linear: bool = False):
        self.labels = np.asarray(labels, dtype=float)
        m = len(self.labels)
        self.weights = np.full(m, 1.0 / m) if weights is None else np.asarray(weights, dtype=float)
        self.linear = linear

    @classmethod
    def of_instance(cls, inst: Instance) -> "FloatObjective":
        """The float form of ``inst.objective``."""
        obj = inst.objective
        if obj.kind == "expectation":
            return cls([0.0], [1.0], linear=True)
        return cls([float(y) for y in inst.labels], [float(c) for c in obj.normalised_weights(inst.m)])

    def value(self, f: np.ndarray) -> np.ndarray:
        """``Φ`` for outputs ``f`` of shape ``(N, m)`` → ``(N,)``."""
        if self.linear:
            return f @ self.weights
        r = f - self.labels
        return (r * r) @ self.weights

    def coef(self, f: np.ndarray) -> np.ndarray:
        """``∂Φ/∂f_k``, shape ``(N, m)``: the weights of ``∇f_k`` in ``∇Φ`` and of ``∇²f_k`` in ``∇²Φ``."""
        if self.linear:
            return np.broadcast_to(self.weights, f.shape).copy()
        return 2.0 * self.weights * (f - self.labels)

    @property
    def gauss(self) -> np.ndarray:
        """``∂²Φ/∂f_k²``, shape ``(m,)``: the weights of ``∇f_k ∇f_kᵀ`` in the Hessian."""
        return np.zeros_like(self.weights) if self.linear else 2.0 * self.weights
