"""The field table (``_hooks.FIELDS``) is the one description of a model's fields: the
generated reader and writer agree with it, the checked writer walks it, and the msgspec
structs are built from it."""

from __future__ import annotations

from typing import Any

import attrs
import msgspec
import pytest
import sinch_voice as sv
from hypothesis import HealthCheck, given, settings
from sinch_voice import _hooks, _wire, serde
from sinch_voice._fields import Field
from sinch_voice.errors import EncodeError, StructureError

from .test_properties import API, STRICT

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODELS = [m.name for m in API.models]


def rows(name: str) -> tuple[Field, ...]:
    return _hooks.FIELDS[getattr(sv, name)]


@pytest.mark.parametrize("name", MODELS)
def test_the_table_lists_every_attribute_of_the_model_once(name: str) -> None:
    declared = [a.name for a in attrs.fields(getattr(sv, name))]
    assert sorted(row.attribute for row in rows(name)) == sorted(
        a for a in declared if a != "additional_properties"
    )


@pytest.mark.parametrize("name", MODELS)
def test_strict_reading_takes_the_table_names_and_refuses_any_other(name: str) -> None:
    cls = getattr(sv, name)

    @SETTINGS
    @given(STRICT.model(name))
    def check(instance: Any) -> None:
        document = sv.unstructure(instance)
        assert sv.structure(document, cls, strict=True) == instance
        with pytest.raises(StructureError, match="notInTheTable: unknown property"):
            sv.structure({**document, "notInTheTable": 1}, cls, strict=True)

    check()


@pytest.mark.parametrize("name", MODELS)
# generated endpoints are rarely E.164: the warning has its own tests (tests/testing/test_e164.py)
@pytest.mark.filterwarnings("ignore::sinch_voice.svaml.NumberFormatWarning")
def test_the_writer_writes_the_rows_set_in_the_table_order(name: str) -> None:
    @SETTINGS
    @given(STRICT.model(name))
    def check(instance: Any) -> None:
        written = list(sv.unstructure(instance))
        expected = [r.wire for r in rows(name) if getattr(instance, r.attribute) is not sv.UNSET]
        assert written == expected
        assert list(serde.checked_unstructure(instance)) == expected

    check()


@pytest.mark.parametrize("name", MODELS)
def test_an_alias_is_read_when_the_wire_name_is_absent(name: str) -> None:
    aliased = [r for r in rows(name) if r.aliases and r.type is str]
    for row in aliased:
        for alias in row.aliases:
            document = {r.wire: r.tag for r in rows(name) if r.tag is not None}
            document[alias] = "from the alias"
            model = sv.structure(document, getattr(sv, name))
            assert getattr(model, row.attribute) == "from the alias"


def test_the_ice_request_reads_its_call_id_under_both_spellings() -> None:
    """``callid`` (what the platform sends) is the wire name, ``callId`` (the spec's) an
    alias: so says the table, and so read both paths."""
    row = next(r for r in rows("IceRequest") if r.attribute == "call_id")
    assert (row.wire, row.aliases) == ("callid", ("callId",))
    for body in (b'{"event":"ice","callId":"c1"}', b'{"event":"ice","callid":"c1"}'):
        assert sv.loads(body, sv.IceRequest).call_id == "c1"


@pytest.mark.parametrize("name", MODELS)
def test_each_msgspec_struct_has_the_fields_of_its_table(name: str) -> None:
    cls = getattr(sv, name)
    struct = _wire._MIRROR.struct(cls)
    fields = {f.encode_name: f.required for f in msgspec.structs.fields(struct)}
    expected = {}
    for row in rows(name):
        if row.tag is not None:  # msgspec reads it as the struct's tag
            assert struct.__struct_config__.tag == row.tag
            assert struct.__struct_config__.tag_field == row.wire
            continue
        expected[row.wire] = row.required
        expected.update(dict.fromkeys(row.aliases, False))
    assert fields == expected


def test_a_callback_twin_is_tagged_by_its_event_and_reads_the_same_model() -> None:
    body = b'{"event":"ace","callid":"c2","timestamp":"2024-05-01T12:00:00Z"}'
    found = _wire.read_event(body, False)
    assert found is not None
    assert found == ("ace", sv.loads(body, sv.AceRequest))
    with pytest.raises(msgspec.ValidationError):  # _fast then reads it the usual way
        _wire.read_event(b'{"event":"nope"}', False)


@pytest.mark.parametrize(
    "name", [n for n in MODELS if any(r.required and r.tag is None for r in rows(n))]
)
def test_the_checked_writer_names_the_first_missing_required_row(name: str) -> None:
    cls = getattr(sv, name)
    required = [r for r in rows(name) if r.required and r.tag is None]
    instance = object.__new__(cls)
    for row in _hooks.FIELDS[cls]:
        object.__setattr__(instance, row.attribute, row.tag if row.tag else sv.UNSET)
    object.__setattr__(instance, "additional_properties", {})
    with pytest.raises(EncodeError, match=f"\\$.{required[0].wire}: missing required"):
        serde.checked_unstructure(instance)
