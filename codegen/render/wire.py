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
        "wire_class": naming.wire_class,
        "wire_fields": wire_fields,
        "wire_read": wire_read,
        "wire_reader": naming.wire_reader,
        "wire_union": naming.wire_class,
        "wire_union_readers": naming.wire_union_readers,
        "wire_event_fields": lambda tagged: wire_fields(api.model(tagged.model), tagged.field),
    }


@attrs.frozen
class Tagged:
    """A callback's tagged twin: the dispatcher's one decoder picks it by ``event``."""

    model: str  # the callback's model
    field: str  # the property that names the event
    value: str  # the event's name
    struct: str  # the twin's class


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


def wire_type(t: ir.TypeRef) -> str:
    """What msgspec decodes a value of ``t`` into."""
    if isinstance(t, ir.Primitive):
        return WIRE_PRIMITIVES[t.kind]
    if isinstance(t, ir.EnumRef):
        return "str"
    if isinstance(t, (ir.ModelRef, ir.UnionRef)):
        return naming.wire_class(t.name)
    if isinstance(t, ir.ArrayOf):
        return f"list[{wire_type(t.item)}]"
    return "msgspec.Raw"  # an object of any keys: its values read by the JSON parser


def wire_fields(model: ir.Model, skip: str | None = None) -> str:
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
    line = f"    {name}: {wire_type(t)}"
    if wire != name:
        default = "" if required else "default=ABSENT, "
        return f"{line} = msgspec.field({default}name={literal(wire)})"
    return line if required else f"{line} = ABSENT"


def wire_read(model: ir.Model) -> str:
    """The body of the function that copies a decoded struct into ``model``."""
    lines = [f"obj = _new({model.name})"]
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
    if any(line.startswith("v = ") for line in lines):
        lines.insert(0, "v: Any")  # one name for every converted value
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
        return f"{naming.wire_reader(t.name)}({var}, strict)"
    if isinstance(t, ir.UnionRef):
        return f"{naming.wire_union_readers(t.name)}[type({var})]({var}, strict)"
    if isinstance(t, ir.ArrayOf):
        item = _convert(t.item, "x")
        return var if item == "x" else f"[{item} for x in {var}]"
    return f"parse_object({var})"
