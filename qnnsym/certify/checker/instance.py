"""The instance a certificate speaks about: parsed, canonical, named by its digest, labels verified.

An instance inside a certificate is the exact data of the problem (``qnnsym-instance/1``).  Its
free-text labels (``name``, ``description``, ``meta``, gate names) are claims too ("this is the
dense instance with p = 3, seed 0"): they are allowed only together with an ``origin``
(a built-in name and its parameters) that the checker rebuilds and compares field by field;
without an origin the labels must be empty.  Either way the verdicts name the instance by the
SHA-256 of its canonical JSON (:func:`instance_digest`).
"""
from __future__ import annotations

from .common import Verdict, expansion_digest
from .cost import builtin_cost, over_limit

__all__ = ["certificate_instance", "instance_digest", "unlabelled", "check_instance"]

_LABELS = ("name", "description", "meta")


def unlabelled(d: dict) -> dict:
    """The instance dict without its free-text labels (``name``, ``description``, ``meta``, gate names)."""
    out = {k: v for k, v in d.items() if k not in _LABELS}
    out["name"], out["description"] = "", ""
    if isinstance(out.get("circuit"), list):
        out["circuit"] = [{k: v for k, v in op.items() if k != "name"} if isinstance(op, dict) else op
                          for op in out["circuit"]]
    return out


def instance_digest(d: dict) -> str:
    """SHA-256 of the canonical JSON of an instance dict (sorted keys, no spaces)."""
    return expansion_digest(d)


def certificate_instance(inst) -> tuple[dict, dict | None]:
    """``(instance dict, origin)`` as a certificate stores them: the labels are kept only for a
    built-in instance (whose origin the checker can rebuild)."""
    from ...model.instances import instance_to_dict

    d = instance_to_dict(inst)
    origin = getattr(inst, "origin", None)
    return (d, dict(origin)) if origin else (unlabelled(d), None)


def check_instance(data: dict, out: list[Verdict]):
    """Parse and verify ``data["instance"]`` / ``data["origin"]`` / ``data["instance_sha256"]``.

    Returns the :class:`~qnnsym.model.data.Instance` (also when only its labels fail: the rest of the
    certificate is still checked against the data), or None when the data itself is unusable.
    """
    from ...errors import QnnsymError
    from ...model.instances import BUILTINS, builtin_instance, instance_from_dict, integer_parameters, instance_to_dict

    d, origin = data["instance"], data["origin"]
    try:
        inst = instance_from_dict(d)
    except (QnnsymError, RecursionError) as e:
        out.append(Verdict("the instance is valid exact data", False, f"{e}"))
        return None
    canon = instance_to_dict(inst)
    if canon != d:
        diff = sorted(k for k in set(canon) | set(d) if canon.get(k) != d.get(k))
        out.append(Verdict("the instance is in canonical form", False,
                           f"fields {diff} differ from their canonical form (unknown fields or non-canonical numbers)"))
        return None
    dig = instance_digest(d)
    out.append(Verdict(f"the instance's digest is sha256 {data['instance_sha256'][:16]}…", dig == data["instance_sha256"],
                       "recomputed from its canonical JSON" + ("" if dig == data["instance_sha256"] else f": {dig[:16]}…")))
    if origin is None:
        ok = d == unlabelled(d)
        out.append(Verdict(f"instance sha256 {dig[:16]}… (no origin claimed)", ok,
                           "no labels" if ok else "carries a name/description/meta without an origin to verify them"))
    else:
        try:
            if origin["builtin"] not in BUILTINS:
                raise QnnsymError(f"unknown built-in {origin['builtin']!r}")
            # the writer stores integer parameters as JSON integers; any other spelling is not its claim
            ints = integer_parameters(origin["builtin"])
            loose = [k for k, v in origin["params"].items() if k in ints and v is not None and type(v) is not int]
            if loose:
                raise QnnsymError(f"parameter {loose[0]} = {origin['params'][loose[0]]!r} is not an integer "
                                  "(the writer stores integer parameters as JSON integers)")
            sizes = {"p": inst.p, "d": inst.dim}
            wrong = [k for k, v in sizes.items() if k in origin["params"] and origin["params"][k] != v]
            if wrong:
                raise QnnsymError(f"parameter {wrong[0]} = {origin['params'][wrong[0]]} but the data has "
                                  f"{wrong[0]} = {sizes[wrong[0]]}")
            refusal = over_limit(builtin_cost(origin["builtin"], origin["params"]),
                                 f"rebuilding the built-in {origin['builtin']}")
            if refusal:
                raise QnnsymError(refusal)
            rebuilt = instance_to_dict(builtin_instance(origin["builtin"], **origin["params"]))
            ok, why = rebuilt == d, "rebuilt from the origin: identical data and labels"
            if not ok:
                why = "the built-in with these parameters is a different instance (or has other labels)"
        except (QnnsymError, TypeError, ValueError, MemoryError) as e:
            ok, why = False, (str(e) if str(e).startswith("not checked") else f"cannot rebuild the origin: {e}")
        out.append(Verdict(f"instance sha256 {dig[:16]}… is built-in {origin['builtin']} {origin['params']}", ok, why))
    return inst
