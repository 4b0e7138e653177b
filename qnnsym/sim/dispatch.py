"""The simulator for an instance: the fastest float path its structure allows (:func:`simulator`)."""
from __future__ import annotations

from ..errors import ValidationError
from ..model.data import Instance
from .fast import ProductSimulator, TrigSimulator, heisenberg_output_polys, product_factor_polys, product_output_polys
from .objective import FloatObjective
from .statevector import StatevectorSimulator

__all__ = ["simulator", "EXPANSION_MAX_P", "SharedParameterSimulator"]

#: the generic exact expansion (3^p monomials at worst) is tried up to this many parameters
EXPANSION_MAX_P = 8


def simulator(inst: Instance, method: str = "auto"):
    """A float simulator of ``inst`` with ``outputs``, ``loss``, ``loss_and_grad``, ``jacobian``,
    ``hessian`` (all batched over rows of ``theta``, shape ``(N, p)``).

    Parameters
    ----------
    inst : Instance
    method : {"auto", "trig", "product", "statevector"}
        ``product``: :class:`ProductSimulator` (product instances with one gate per qubit: ``O(mp)``
        per vector); ``trig``: :class:`TrigSimulator` on the product factorisation multiplied out,
        else the Heisenberg Pauli expansion of ``M`` when it is small (:func:`heisenberg_output_polys`),
        else the exact expansion ``output_polys`` (eq. 12); ``statevector``:
        :class:`StatevectorSimulator`; ``auto``: the first of trig (product form multiplied out),
        product, trig (Heisenberg form; ``output_polys`` for exact instances with
        ``p ≤ EXPANSION_MAX_P``), statevector.

    Raises
    ------
    ValidationError
        Unknown method, or ``product`` requested for a non-product instance.

    Examples
    --------
    >>> from qnnsym.model.instances import prop5_instance
    >>> simulator(prop5_instance(4)).method
    'trig'
    >>> simulator(prop5_instance(4), "statevector").method
    'statevector'
    """
    if method not in ("auto", "trig", "product", "statevector"):
        raise ValidationError("method", f"{method!r}", expected="auto, trig, product or statevector")
    obj = FloatObjective.of_instance(inst)
    labels = obj.labels
    if inst.qnn.tied:
        expandable = all(g.kind != "hermitian" for g in inst.qnn.gates)
        if method == "trig" or (method == "auto" and expandable and inst.exact and inst.qnn.n_gates <= 3 * EXPANSION_MAX_P):
            from ..expansion.phi import output_polys

            return TrigSimulator(output_polys(inst), labels, obj)
        from ..expansion.tied import untied_instance

        return SharedParameterSimulator(simulator(untied_instance(inst), method), inst.qnn.angle_matrix())
    if method == "statevector":
        return StatevectorSimulator(inst)
    if method == "product":
        sim = ProductSimulator.from_instance(inst)
        if sim is None:
            raise ValidationError("method", "'product' needs a product instance",
                                  expected="one single-qubit gate per qubit, tensor-product observable and states",
                                  fix="use method='trig' or 'statevector'")
        return sim
    pf = product_factor_polys(inst)
    polys = product_output_polys(inst, factors=pf) if pf is not None else None
    if polys is None and pf is not None and method == "auto":
        sim = ProductSimulator.from_instance(inst, pf)
        if sim is not None:
            return sim
    if polys is None:
        polys = heisenberg_output_polys(inst)
    if polys is not None:
        return TrigSimulator(polys, labels, obj)
    expandable = all(g.kind != "hermitian" for g in inst.qnn.gates)
    if method == "trig" or (expandable and inst.exact and inst.p <= EXPANSION_MAX_P):
        from ..expansion.phi import output_polys

        return TrigSimulator(output_polys(inst), labels, obj)
    return StatevectorSimulator(inst)


class SharedParameterSimulator:
    """A gate-level simulator composed with the gate angles ``t = Aθ`` (shared parameters, docs/math.md):
    ``f(θ) = f_gates(Aθ)``, ``∇_θ = Aᵀ∇_t``, ``∇²_θ = Aᵀ ∇²_t A``.

    Examples
    --------
    >>> import numpy as np
    >>> from qnnsym.model.instances import prop5_instance
    >>> from qnnsym.sim import simulator
    >>> sim = SharedParameterSimulator(simulator(prop5_instance(2), "statevector"), np.array([[1.0], [1.0]]))
    >>> sim.p, sim.loss_and_grad([[0.3]])[1].shape
    (1, (1, 1))
    """

    def __init__(self, inner, A):
        import numpy as np

        self.inner, self.A = inner, np.asarray(A, dtype=float)
        self.p, self.m, self.labels = self.A.shape[1], inner.m, inner.labels
        self.method = inner.method

    def _t(self, theta):
        from ..exact.trigpoly import as_theta

        return as_theta(theta, self.p, finite=False)[0] @ self.A.T

    def outputs(self, theta):
        return self.inner.outputs(self._t(theta))

    def loss(self, theta):
        return self.inner.loss(self._t(theta))

    def loss_and_grad(self, theta):
        L, g = self.inner.loss_and_grad(self._t(theta))
        return L, g @ self.A

    def jacobian(self, theta):
        return self.inner.jacobian(self._t(theta)) @ self.A

    def hessian(self, theta):
        import numpy as np

        return np.einsum("ga,ngh,hb->nab", self.A, self.inner.hessian(self._t(theta)), self.A)
