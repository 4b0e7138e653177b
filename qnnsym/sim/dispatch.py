"""The simulator for an instance: the fastest float path its structure allows (:func:`simulator`)."""
from __future__ import annotations

from ..errors import ValidationError
from ..model.data import Instance
from .fast import ProductSimulator, TrigSimulator, heisenberg_output_polys, product_factor_polys, product_output_polys
from .objective import FloatObjective
from .statevector import StatevectorSimulator

__all__ = ["simulator", "EXPANSION_MAX_P"]

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
