import json
from pathlib import Path

import pytest
from hypothesis import given
from strategies import pauli_instances

from qnnsym import (InstanceFileError, ValidationError, dump_instance, instance_from_dict, instance_to_dict,
                    load_instance)
from qnnsym.model.instances import BUILTINS, prop5_instance

SCHEMA = json.loads((Path(__file__).parents[1] / "qnnsym" / "data" / "instance.schema.json").read_text())


def _validate_schema(d):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(d, SCHEMA)


@given(pauli_instances())
def test_round_trip_is_exact(inst):
    d = json.loads(dump_instance(inst))
    _validate_schema(d)
    back = instance_from_dict(d)
    assert back.qnn == inst.qnn and back.observable == inst.observable
    assert [s.state for s in back.dataset.samples] == [s.state for s in inst.dataset.samples]
    assert back.labels == inst.labels


@pytest.mark.parametrize("path", ["examples/two_qubit.json", "examples/spin1.json"])
def test_example_files(path, tmp_path):
    d = json.loads(Path(path).read_text())
    _validate_schema(d)
    inst = load_instance(path)
    out = tmp_path / "x.json"
    dump_instance(inst, out)
    again = load_instance(out)
    assert instance_to_dict(again) == instance_to_dict(inst)


def test_builtin_round_trip(tmp_path):
    inst = prop5_instance(3, r="1/3")
    dump_instance(inst, tmp_path / "p.json")
    assert instance_to_dict(load_instance(tmp_path / "p.json")) == instance_to_dict(inst)


BASE = {"n_qubits": 1, "circuit": [{"gate": "Z0"}], "observable": "Y0", "samples": [{"state": {"pauli": [["1/2", "I"]]}, "label": "0"}]}


@pytest.mark.parametrize("patch,field", [
    ({"circuit": "Z0"}, "circuit"),
    ({"circuit": [{"gate": "Z0", "kind": "weird"}]}, "circuit[0].kind"),
    ({"circuit": [{"gate": {"pauli": [["1", "Z7"]]}}]}, "circuit[0].gate"),
    ({"circuit": [{"gate": {"matrix": [["2", "0"], ["0", "-2"]]}}]}, "circuit[0].gate"),   # as written in the file
    ({"observable": {"paul": "Y0"}}, "observable"),
    ({"samples": [{"state": {"pauli": [["1", "I"]]}, "label": "0"}]}, "samples[0].state"),
    ({"samples": [{"state": {"pauli": [["1/2", "I"]]}}]}, "samples[0].label"),
    ({"samples": [{"state": {"pauli": [["1/2", "I"]]}, "label": "x"}]}, "samples[0].label"),
    ({"samples": []}, "samples"),
    ({"n_qubits": 0}, "n_qubits"),
    ({"format": "other/2"}, "format"),
])
def test_malformed_files_name_the_field(patch, field):
    d = dict(BASE, **patch)
    with pytest.raises(ValidationError) as e:
        instance_from_dict(d)
    assert e.value.field.startswith(field), str(e.value)


def test_missing_fields_and_bad_json(tmp_path):
    d = dict(BASE)
    del d["observable"]
    with pytest.raises(InstanceFileError, match="observable: missing"):
        instance_from_dict(d)
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    with pytest.raises(InstanceFileError, match="not valid JSON"):
        load_instance(bad)
    with pytest.raises(ValidationError, match="neither a built-in nor an existing file"):
        load_instance("no_such_thing")


def test_builtins_registry():
    assert "prop5" in BUILTINS
    with pytest.raises(ValidationError, match="p"):
        prop5_instance(0)
    with pytest.raises(ValidationError, match="r"):
        prop5_instance(2, r="3/2")
