"""Checks ``fourier-degree`` certificates: the Fourier support bound of Section 5 on instances.

``‖k‖₁ ≤ 2p`` and ``|k_l| ≤ 2``; the loss is also rebuilt by exact interpolation of the direct
simulation where the dimension allows.
"""
from __future__ import annotations

from .common import Verdict
from .loss import loss_by_interpolation

__all__ = ["check_fourier"]



# --- Section 5: Fourier-degree bound ---------------------------------------------------------------

#: largest grid (simulations) × dimension³ for which the loss is also rebuilt by direct simulation
_DIRECT_BUDGET = 200_000


def check_fourier(data: dict, progress: bool) -> list[Verdict]:
    from ...expansion.phi import loss_poly
    from ...model.instances import builtin_instance, instance_from_dict

    out = []
    for row in data["instances"]:
        inst = (builtin_instance(row["builtin"], **row["params"]) if row.get("builtin")
                else instance_from_dict(row["instance"]))
        p = inst.p
        L = loss_poly(inst)
        how = "expansion engine"
        grid = 1
        for g in inst.qnn.gates:
            grid *= 2 * max(1, g.max_gap // g.omega) + 1
        if grid * inst.dim ** 3 <= _DIRECT_BUDGET:
            same = loss_by_interpolation(inst) == L
            how = "expansion engine = direct-simulation interpolation" if same else "ENGINES DISAGREE"
        else:
            same = True
        sup = L.fourier_support()
        l1 = max((sum(map(abs, k)) for k in sup), default=0)
        mx = max((max(map(abs, k)) for k in sup if k), default=0)
        two_level = all(g.omega == 2 and g.max_gap == 2 for g in inst.qnn.gates)
        ok = (same and l1 == row["max_l1"] and mx == row["max_abs"] and len(sup) == row["n_fourier_terms"]
              and (not two_level or (l1 <= 2 * p and mx <= 2)))
        out.append(Verdict(f"{row['label']} {row.get('params', '') or inst.name}: max ‖k‖₁ = {row['max_l1']} ≤ 2p = {2 * p}, "
                           f"max |k_l| = {row['max_abs']} ≤ 2", ok,
                           f"{how}; {len(sup)} Fourier terms; re-derived max ‖k‖₁ = {l1}, max |k_l| = {mx}"))
    return out
