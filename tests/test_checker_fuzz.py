"""Fuzzing the checker's input surfaces (issue 14): structured mutations of valid certificate files
(every field, including the embedded instance), raw byte splices, and ``qnnsym check`` / ``prove``
command lines.  Every case must end in a clear refusal (``CertificateError`` / exit status 2, or a
failing verdict / exit status 1): never a traceback, never the acceptance of a changed claim.
"""
from __future__ import annotations

import copy
import os
import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qnnsym import builtin_instance
from qnnsym.certify import check_certificate, critical_certificate, symbolic_identities_certificate
from qnnsym.certify.checker.strict import parse_certificate_json
from qnnsym.cli.main import main
from qnnsym.errors import CertificateError

SETTINGS = settings(max_examples=int(os.environ.get("QNNSYM_FUZZ_EXAMPLES", "120")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                             HealthCheck.too_slow])


@pytest.fixture(scope="module")
def certs():
    return {"prop5": critical_certificate(builtin_instance("prop5", p=1)),
            "dense": critical_certificate(builtin_instance("dense", p=1, seed=2)),
            "coupled": critical_certificate(builtin_instance("prop5", p=2, r="1/3")),
            "identities": symbolic_identities_certificate()}


def _paths(node, prefix=()):
    """Every path of a JSON tree (containers and leaves)."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _get(node, path):
    for k in path:
        node = node[k]
    return node


def _differs(a, b, path) -> bool:
    """True when the leaf at ``path`` differs (or is missing) between two JSON trees."""
    try:
        x, y = _get(a, path), _get(b, path)
    except (KeyError, IndexError, TypeError):
        return True
    return not isinstance(y, (dict, list)) and x != y or type(x) is not type(y) or (
        isinstance(y, (dict, list)) and len(x) != len(y))


def _mutations(value) -> list:
    """Changes of a value that make any claim carrying it false (or the file malformed)."""
    out = []
    if type(value) is bool:
        out += [not value, int(value), str(value).lower(), None]
    elif type(value) is int:
        out += [value + 1, value - 1, value + 7, -value - 1, float(value) + 0.5, str(value), None, bool(value % 2), [value]]
    elif isinstance(value, str):
        try:
            f = Fraction(value)
            out += [str(f + Fraction(1, 7)), str(f - 1), str(-f - 1), value + "0" if f else "1", float(f) if f else 0.5]
        except (ValueError, ZeroDivisionError):
            out += [value + "x", "", value[::-1] if len(set(value)) > 1 else value + "y", 0, None]
    elif value is None:
        out += [0, "", [], {}, False]
    elif isinstance(value, list):
        if value:
            out += ["drop", "dup", "junk"]
        else:
            out += [[0], ["1"], None]
    elif isinstance(value, dict):
        out += ["delkey", "addkey"] if value else [{"x": 1}, None]
    return out


def _apply(cert, path, m):
    c = copy.deepcopy(cert)
    if not path:
        return {"x": c} if m != "delkey" else {}
    parent = _get(c, path[:-1])
    key = path[-1]
    val = parent[key]
    if m == "drop":
        val.pop(len(val) // 2)
    elif m == "dup":
        val.insert(0, copy.deepcopy(val[0]))
    elif m == "junk":
        val.append({"junk": True})
    elif m == "delkey":
        del val[sorted(val)[0]]
    elif m == "addkey":
        val["zz_unknown_field"] = 1
    else:
        parent[key] = m
    return c


def _refused(c) -> bool:
    try:
        return not all(v.ok for v in check_certificate(c))
    except CertificateError:
        return True


@st.composite
def mutated(draw, certs):
    name = draw(st.sampled_from(sorted(certs)))
    cert = certs[name]
    paths = [p for p in _paths(cert) if _mutations(_get(cert, p))]
    path = draw(st.sampled_from(paths))
    if any(k in path for k in ("loss_interval", "root_interval", "theta_box")) and isinstance(_get(cert, path), str):
        # an interval end: moving one end can give a weaker but true claim; move the whole interval instead
        iv_path = path[:-1]
        c = copy.deepcopy(cert)
        iv = _get(c, iv_path)
        iv[:] = [str(Fraction(x) + 1) for x in iv]
        return name, iv_path, "shift", c
    m = draw(st.sampled_from(_mutations(_get(cert, path))))
    return name, path, m, _apply(cert, path, m)


@SETTINGS
@given(data=st.data())
def test_structured_mutations_are_refused(certs, data):
    name, path, m, c = data.draw(mutated(certs))
    if c == certs[name]:
        return                      # the mutation happened to change nothing
    assert _refused(c), (name, path, m)


@SETTINGS
@given(data=st.data())
def test_byte_splices_never_crash_and_never_change_an_accepted_claim(certs, tmp_path_factory, data):
    name = data.draw(st.sampled_from(["prop5", "dense"]))
    text = json.dumps(certs[name]).encode()
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, min(len(text), i + 8)))
    ins = data.draw(st.binary(max_size=6))
    bad = text[:i] + ins + text[j:]
    f = tmp_path_factory.mktemp("splice") / "c.json"
    f.write_bytes(bad)
    try:
        ok = all(v.ok for v in check_certificate(f))
    except CertificateError:
        return
    if ok:
        # accepted only if nothing changed, or only an isolating box/interval — itself re-verified (a different
        # box with exactly one critical point is a different but true claim)
        new = parse_certificate_json(bad)
        changed = [p for p in _paths(certs[name]) if _differs(new, certs[name], p)]
        assert all(any(k in p for k in ("theta_box", "root_interval")) for p in changed if p), changed


ARGS = st.lists(st.sampled_from(["check", "prove", "--quiet", "--format", "json", "text", "--progress",
                                 "--check-all", "--list", "--root", "{dir}", "{file}", "{bad}", "{missing}", "-x", "",
                                 "--format=yaml", "--root={file}"]), min_size=0, max_size=5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=ARGS)
def test_check_and_prove_command_lines(certs, tmp_path_factory, capsys, argv):
    d = tmp_path_factory.mktemp("cli")
    good, bad = d / "good.json", d / "bad.json"
    good.write_text(json.dumps(certs["prop5"]))
    bad.write_text(json.dumps(dict(certs["prop5"], statement="forged")))
    sub = {"{dir}": str(d), "{file}": str(good), "{bad}": str(bad), "{missing}": str(d / "none.json")}
    argv = [sub.get(a, a).replace("{file}", str(good)) for a in argv]
    try:
        rc = main(argv)
    except SystemExit as e:          # argparse usage errors
        rc = e.code
    err = capsys.readouterr().err
    assert rc in (0, 1, 2) and "Traceback" not in err
    if rc == 0 and argv[:1] == ["check"]:
        assert str(bad) not in argv
