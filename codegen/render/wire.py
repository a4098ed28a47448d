"""The msgspec fast path (``_wire.py``): each model's wire form as a msgspec struct, and
the function that copies a decoded struct into the model.

A struct takes only what the usual reader would read to the same value: declared
properties (``forbid_unknown_fields``), values of the declared JSON type, integers
within 64 bits (orjson makes larger ones floats). Everything else makes msgspec raise,
and the caller reads the document the usual way. Union members are tagged structs
(``tag_field``), so msgspec picks the member; callbacks get tagged twins (by ``event``)
for the dispatcher, which decodes any callback in one call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from .. import ir, naming
from .python import literal

WIRE_PRIMITIVES = {
    "str": "str",
    "int": "Int",
    "float": "float",
    "bool": "bool",
    "datetime": "str",  # read by parse_datetime, as the usual reader does
    "any": "msgspec.Raw",  # read by the JSON parser itself: the same values either way
}
EVENT_TAG = "event"  # the callback property that names the event


def filters(api: ir.Api) -> dict[str, Callable[..., Any]]:
    return {
        "wire_class": wire_class,
        "wire_fields": lambda model: wire_fields(model, api),
        "wire_read": lambda model: wire_read(model, api),
        "wire_reader": wire_reader,
        "wire_union": wire_union,
        "wire_union_readers": union_readers,
        "wire_event_fields": lambda tagged: wire_fields(api.model(tagged.model), api, tagged.field),
    }


@attrs.frozen
class Tagged:
    """A struct msgspec picks by a property: a union member, or a callback's twin."""

    model: str
    field: str
    value: str
    struct: str


def context(api: ir.Api) -> dict[str, Any]:
    members = {m.model: (u.discriminator, m.tag) for u in api.unions for m in u.members}
    events = [
        Tagged(w.request, EVENT_TAG, w.event, f"{w.request}Event")
        for w in api.webhooks
        if not w.variants and any(f.wire_name == EVENT_TAG for f in api.model(w.request).fields)
    ]
    return {
        "wire_members": members,
        "wire_events": events,
        "wire_standalone": [m.name for m in api.models if m.name not in members],
        "wire_enums": sorted({t.name for t in _types(api) if isinstance(t, ir.EnumRef)}),
    }


def _types(api: ir.Api) -> list[ir.TypeRef]:
    found: list[ir.TypeRef] = []
    pending: list[ir.TypeRef] = [f.type for m in api.models for f in m.fields]
    while pending:
        t = pending.pop()
        found.append(t)
        if isinstance(t, ir.ArrayOf):
            pending.append(t.item)
    return found


def wire_class(name: str) -> str:
    """``IceRequestWire``: the struct of ``IceRequest``'s wire form."""
    return f"{name}Wire"


def wire_reader(name: str) -> str:
    """``read_ice_request``: copies a decoded struct into ``IceRequest``."""
    return f"read_{naming.snake(name).rstrip('_')}"


def wire_union(name: str) -> str:
    """``SvamlActionWire``: the union of a union's member structs."""
    return f"{name}Wire"


def union_readers(name: str) -> str:
    """``READ_SVAML_ACTION``: a union's member structs -> their readers."""
    return f"READ_{naming.snake(name).upper()}"


def wire_type(t: ir.TypeRef) -> str:
    """What msgspec decodes a value of ``t`` into."""
    if isinstance(t, ir.Primitive):
        return WIRE_PRIMITIVES[t.kind]
    if isinstance(t, ir.EnumRef):
        return "str"
    if isinstance(t, ir.ModelRef):
        return wire_class(t.name)
    if isinstance(t, ir.UnionRef):
        return wire_union(t.name)
    if isinstance(t, ir.ArrayOf):
        return f"list[{wire_type(t.item)}]"
    return "msgspec.Raw"  # an object of any keys: its values read by the JSON parser


def wire_fields(model: ir.Model, api: ir.Api, skip: str | None = None) -> str:
    """The struct's fields: each property under its wire name, its aliases as fields of
    their own (the reader takes the first one present). ``skip`` is a tag msgspec reads."""
    lines = []
    for field in model.fields:
        if field.tag is not None or field.wire_name == skip:
            continue
        lines.append(_field_line(field.py_name, field.wire_name, field.type, field.required))
        for index, alias in enumerate(field.aliases, 1):
            lines.append(_field_line(f"{field.py_name}_{index}", alias, field.type, False))
    return "\n".join(lines) if lines else "    pass"


def _field_line(name: str, wire: str, t: ir.TypeRef, required: bool) -> str:
    options = [] if required else ["default=ABSENT"]
    if wire != name:
        options.append(f"name={literal(wire)}")
    if not options:
        return f"    {name}: {wire_type(t)}"
    if options == ["default=ABSENT"]:
        return f"    {name}: {wire_type(t)} = ABSENT"
    return f"    {name}: {wire_type(t)} = msgspec.field({', '.join(options)})"


def wire_read(model: ir.Model, api: ir.Api) -> str:
    """The body of the function that copies a decoded struct into ``model``."""
    lines = ["v: Any", f"obj = _new({model.name})"]
    for field in model.fields:
        target = f"obj.{field.py_name}"
        if field.tag is not None:  # msgspec picked the member by it
            lines.append(f"{target} = {literal(field.tag)}")
            continue
        value = _convert(field.type, "v")
        if not field.aliases and value == "v":
            lines.append(f"{target} = s.{field.py_name}")
            continue
        lines.append(f"v = s.{field.py_name}")
        for index, _ in enumerate(field.aliases, 1):
            lines += ["if v is ABSENT:", f"    v = s.{field.py_name}_{index}"]
        if value == "v":
            lines.append(f"{target} = v")
        elif field.required:
            lines.append(f"{target} = {value}")
        else:
            lines.append(f"{target} = v if v is ABSENT else {value}")
    lines += ["obj.additional_properties = NO_EXTRA", "return obj"]
    if not any(line.startswith("v = ") for line in lines):
        lines.remove("v: Any")
    return "\n".join("    " + line for line in lines)


def _convert(t: ir.TypeRef, var: str) -> str:
    """An expression turning ``var`` (decoded by msgspec) into the model's value."""
    if isinstance(t, ir.Primitive):
        if t.kind == "datetime":
            return f"parse_datetime({var})"
        if t.kind == "any":
            return f"parse_raw({var})"
        return var
    if isinstance(t, ir.EnumRef):
        return f"{naming.structure_function(t.name)}({var}, strict)"
    if isinstance(t, ir.ModelRef):
        return f"{wire_reader(t.name)}({var}, strict)"
    if isinstance(t, ir.UnionRef):
        return f"{union_readers(t.name)}[type({var})]({var}, strict)"
    if isinstance(t, ir.ArrayOf):
        item = _convert(t.item, "x")
        return var if item == "x" else f"[{item} for x in {var}]"
    return f"parse_object({var})"
