"""What ``codegen.render.models``, ``.wire`` and ``.sections`` prepare from a small IR:
the field table and its row, the reader's, writer's and copier's statements (run here
against the package's runtime helpers), the sections and the docstrings."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from sinch_voice import _hooks, _wire
from sinch_voice.errors import StructureError

from codegen import ir
from codegen.render import models, sections, wire

from . import small_ir

STR = ir.Primitive("str")


def field(wire_name: str, py_name: str = "", t: ir.TypeRef = STR, **kw: Any) -> ir.Field:
    return ir.Field(wire_name, py_name or wire_name, t, kw.pop("required", False), **kw)


def model(name: str, *fields: ir.Field, description: str = "") -> ir.Model:
    return ir.Model(name, f"/components/schemas/{name}", description, fields)


WAIT = model("StepWait", field("seconds", t=ir.Primitive("int")), field("name", tag="wait"))
STOP = model("StepStop", field("name", required=True, tag="stop"))
ANSWER = model("Answer", field("step", t=ir.UnionRef("Step")))
MONEY = model("Money", field("amount", t=ir.Primitive("float")))
PING = model(
    "PingEvent",
    field("event"),
    field("callid", "call_id", aliases=("callId",), spec_name="callId"),
    field("price", t=ir.ModelRef("Money")),
)
THING = model(
    "Thing",
    field("id", required=True),
    field("colour", t=ir.EnumRef("Colour"), default="red"),
    field("tags", t=ir.ArrayOf(STR)),
    field("cost", t=ir.ModelRef("Money")),
)
ORPHAN = model("Orphan", field("x"))
STEP = ir.Union(
    "Step",
    "/components/schemas/Step",
    "",
    "name",
    (ir.UnionMember("wait", "StepWait"), ir.UnionMember("stop", "StepStop")),
    "UnknownStep",
)
COLOUR = ir.Enum("Colour", "/c", "", (ir.EnumValue("red", "RED"),), open=False)


def operation(method: str, response: str) -> ir.Operation:
    return ir.Operation(
        operation_id=method,
        group="things",
        method_name=method,
        http_method="GET",
        path=f"/{method}",
        pointer="/paths/x",
        summary="",
        description="",
        path_params=(),
        query_params=(),
        header_params=(),
        request_body=None,
        responses=(ir.Response("200", "", ir.Body(ir.ModelRef(response))),),
        servers=(),
    )


API = small_ir.small_api(
    models=(ANSWER, MONEY, ORPHAN, PING, STOP, THING, WAIT),
    enums=(COLOUR,),
    unions=(STEP,),
    operations=(operation("get", "Thing"),),
    webhooks=(ir.Webhook("ping", "ping", "/w", "Ping Event", "", "PingEvent", None, (), False),),
    svaml_model="Answer",
)


def test_the_field_table_puts_the_union_tag_first_and_keeps_the_spec_order() -> None:
    assert [f.py_name for f in models.field_table(WAIT)] == ["name", "seconds"]
    assert [f.py_name for f in models.field_table(THING)] == ["id", "colour", "tags", "cost"]


def test_a_row_gives_by_keyword_only_the_columns_that_differ_from_the_defaults() -> None:
    row = {f.py_name: models.field_row(f, API) for f in (*THING.fields, *PING.fields)}
    assert row["id"] == "Field('id', 'id', str, required=True)"
    assert row["colour"] == "Field('colour', 'colour', Colour, default='red')"
    assert row["tags"] == "Field('tags', 'tags', (\"list\", str))"
    assert row["call_id"] == "Field('call_id', 'callid', str, aliases=('callId',))"
    assert models.field_row(STOP.fields[0], API) == (
        "Field('name', 'name', str, required=True, tag='stop')"
    )
    assert models.field_row(ANSWER.fields[0], API) == (
        "Field('step', 'step', (\"union\", (StepWait, StepStop, UnknownStep,), 'Step'))"
    )


def reader(*fields: ir.Field) -> Any:
    """A function running the reader's statements for ``fields`` on a dict."""
    body = "\n".join(models.structure_field(f) for f in fields)
    head = "def read(data, strict):\n    get = data.get\n    obj = SimpleNamespace()\n"
    source = f"{head}{body}\n    return obj\n"
    namespace = {**vars(_hooks), "SimpleNamespace": SimpleNamespace}
    exec(source, namespace)  # noqa: S102 - the statements under test
    return namespace["read"]


def test_the_reader_takes_the_wire_name_then_the_alias() -> None:
    read = reader(PING.fields[1])
    assert read({"callid": "a", "callId": "b"}, False).call_id == "a"
    assert read({"callId": "b"}, False).call_id == "b"
    assert read({}, False).call_id is _hooks.UNSET


def test_the_reader_refuses_a_missing_required_field_and_a_wrong_tag() -> None:
    with pytest.raises(StructureError, match="missing required property"):
        reader(THING.fields[0])({}, False)
    with pytest.raises(StructureError, match="'stop'"):
        reader(STOP.fields[0])({"name": "wait"}, False)


def test_the_reader_reads_a_null_optional_as_absent_unless_strict() -> None:
    read = reader(THING.fields[2])
    assert read({"tags": None}, False).tags is _hooks.UNSET
    with pytest.raises(StructureError, match="tags"):
        read({"tags": None}, True)


def test_the_writer_leaves_out_an_unset_optional_and_writes_the_wire_name() -> None:
    body = "\n".join(models.unstructure_field(f) for f in PING.fields[:2])
    source = f"def write(obj):\n    out = {{}}\n{body}\n    return out\n"
    namespace = dict(vars(_hooks))
    exec(source, namespace)  # noqa: S102 - the statements under test
    write = namespace["write"]
    assert write(SimpleNamespace(event=_hooks.UNSET, call_id="c")) == {"callid": "c"}


def test_the_copier_reads_an_alias_from_the_struct_field_named_after_it() -> None:
    body = wire.wire_read(model("Ping", PING.fields[1])).replace("_new(Ping)", "Obj()")
    source = f"class Obj:\n    pass\n\ndef copy(s, strict):\n{body}\n"
    namespace = dict(vars(_wire))
    exec(source, namespace)  # noqa: S102 - the statements under test
    copy = namespace["copy"]
    absent = _wire.ABSENT
    assert copy(SimpleNamespace(call_id=absent, call_id_1="b"), False).call_id == "b"
    assert copy(SimpleNamespace(call_id="a", call_id_1="b"), False).call_id == "a"


def test_the_copier_sets_the_tag_msgspec_picked_the_member_by() -> None:
    assert "obj.name = 'stop'" in wire.wire_read(STOP)


def test_callbacks_with_an_event_property_get_a_tagged_twin() -> None:
    (event,) = wire.context(API)["wire_events"]
    assert (event.model, event.field, event.value) == ("PingEvent", "event", "ping")


def test_each_part_of_the_api_gets_a_section_and_shared_models_their_own() -> None:
    found = {s.key: [m.name for m in s.models] for s in sections.sections(API)}
    assert found == {
        "callback:ping": ["PingEvent"],
        "svaml": ["Answer", "StepWait", "StepStop"],  # the union's members beside it
        "client:things": ["Thing"],
        "shared": ["Money"],  # reached by the callback and by things.get
        "other": ["Orphan"],
    }
    by_key = {s.key: s for s in sections.sections(API)}
    assert [u.name for u in by_key["svaml"].unions] == ["Step"]
    assert [e.name for e in by_key["client:things"].enums] == ["Colour"]


def test_a_model_without_a_description_says_where_it_is_used() -> None:
    used = sections.uses(API)
    doc = models.model_doc(MONEY, API, used)
    assert "``PingEvent.price`` and ``Thing.cost``" in doc
    assert "The ``Money`` object" not in doc
    assert "what ``client.things.get`` returns" in models.model_doc(THING, API, used)
    assert models.model_doc(ORPHAN, API, used) == '"""Spec: ``#/components/schemas/Orphan``."""'


def test_the_contents_list_each_section_with_its_models() -> None:
    text = models.contents(sections.sections(API))
    assert text.splitlines()[0] == "- PING callback: Ping Event: ``PingEvent``"
    assert (
        "- SVAML: the answers to callbacks: ``Answer``, ``StepWait``, ``StepStop``, ``Step``"
        in text
    )
    assert all(len(line) <= 88 for line in text.splitlines())


def test_a_section_header_is_as_wide_as_the_code() -> None:
    assert models.rule("SVAML") == "# --- SVAML " + "-" * 75
    assert len(models.rule("SVAML")) == 87
