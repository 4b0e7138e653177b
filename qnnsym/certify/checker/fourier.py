"""Checks ``fourier-degree`` certificates: the Fourier support bound of Section 5 on instances.

``‖k‖₁ ≤ 2p`` and ``|k_l| ≤ 2``; the loss is also rebuilt by exact interpolation of the direct
simulation where the dimension allows.
"""
from __future__ import annotations

from .common import Verdict
from .cost import builtin_cost, expansion_cost, over_limit
from .loss import loss_by_interpolation

__all__ = ["check_fourier", "FOURIER_STATEMENT"]

#: the statement of a ``fourier-degree`` certificate
FOURIER_STATEMENT = ("Section 5 (S.M. D.1): for two-level generators the Fourier spectrum K of the loss L(θ) "
                     "(in units of the base frequency 2θ_l) satisfies |k_l| ≤ 2 and ‖k‖₁ ≤ 2p; the listed "
                     "instances attain the stated maxima.")



# --- Section 5: Fourier-degree bound ---------------------------------------------------------------

#: largest grid (simulations) × dimension³ for which the loss is also rebuilt by direct simulation
_DIRECT_BUDGET = 200_000


def check_fourier(data: dict, progress: bool) -> list[Verdict]:
    from ...expansion.phi import loss_poly
    from ...errors import QnnsymError
    from ...model.instances import BUILTINS, builtin_instance, instance_from_dict

    out = [Verdict("statement: " + data["statement"], data["statement"] == FOURIER_STATEMENT,
                   "the statement of Section 5's degree bound" if data["statement"] == FOURIER_STATEMENT
                   else "not the statement this checker knows")]
    for row in data["instances"]:
        label = f"built-in {row['builtin']} {row['params']}" if "builtin" in row else "inline instance"
        try:
            if "builtin" in row and row["builtin"] not in BUILTINS:
                raise QnnsymError(f"unknown built-in {row['builtin']!r}")
            if "builtin" in row and (refusal := over_limit(builtin_cost(row["builtin"], row["params"]),
                                                            f"building the built-in {row['builtin']}")):
                out.append(Verdict(label, False, refusal))
                continue
            inst = (builtin_instance(row["builtin"], **row["params"]) if "builtin" in row
                    else instance_from_dict(row["instance"]))
        except QnnsymError as e:
            out.append(Verdict(label, False, f"not checked: {e}"))
            continue
        p = inst.p
        refusal = over_limit(expansion_cost(inst), f"expanding the loss of p = {p} gates")
        if refusal:
            out.append(Verdict(label, False, refusal))
            continue
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
        ok = (same and p == row["p"] and l1 == row["max_l1"] and mx == row["max_abs"] and len(sup) == row["n_fourier_terms"]
              and (not two_level or (l1 <= 2 * p and mx <= 2)))
        out.append(Verdict(f"{label}, p = {row['p']}: max ‖k‖₁ = {row['max_l1']} ≤ 2p = {2 * p}, "
                           f"max |k_l| = {row['max_abs']} ≤ 2", ok,
                           f"{how}; {len(sup)} Fourier terms; re-derived max ‖k‖₁ = {l1}, max |k_l| = {mx}"))
    return out
