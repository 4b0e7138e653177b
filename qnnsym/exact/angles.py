"""Angles reduced modulo 2π exactly, before any float arithmetic (a leaf of ``qnnsym.exact``).

A loss of integer frequencies is ``2π``-periodic in every angle; evaluating it at ``θ = 1e308`` in
floats multiplies ``ω·θ`` to ``inf`` and returns NaN.  :func:`reduce_angles` reduces every angle with
``|θ| > 2π`` exactly (a float is a dyadic rational; the reduction runs in ball arithmetic with enough
bits for its exponent) and rounds once.
"""
from __future__ import annotations

import flint
import numpy as np

__all__ = ["reduce_angles"]


def reduce_angles(th: np.ndarray) -> np.ndarray:
    """Angles reduced into ``[0, 2π)`` exactly before any float arithmetic (entries with ``|θ| > 2π``).

    A float is a dyadic rational; it is reduced modulo ``2π`` in ball arithmetic (python-flint's
    ``arb``) with enough bits for its exponent, then rounded once.  A loss of integer frequencies is
    ``2π``-periodic in every ``θ_l``, so nothing changes but the overflow: ``ω·θ`` of ``θ = 1e308``
    is ``inf`` and then NaN in float arithmetic.

    >>> import math                     # libm reduces cos's argument exactly too (Payne–Hanek)
    >>> r = float(reduce_angles(np.array([1e308]))[0])
    >>> 0 <= r < 2 * math.pi and abs(math.cos(r) - math.cos(1e308)) < 1e-15
    True
    >>> bool(reduce_angles(np.array([0.5, -1.0]))[0] == 0.5)
    True
    """
    th = np.array(th, dtype=float)
    big = np.abs(th) > 2 * np.pi
    if not big.any():
        return th
    old = flint.ctx.prec
    try:
        for idx in zip(*np.nonzero(big)):
            x = float(th[idx])
            if not np.isfinite(x):
                continue
            flint.ctx.prec = max(64, int(abs(np.frexp(x)[1])) + 80)
            two_pi = 2 * flint.arb.pi()
            r = flint.arb(x) - two_pi * (flint.arb(x) / two_pi).floor()
            th[idx] = float(r.mid())
    finally:
        flint.ctx.prec = old
    return th
