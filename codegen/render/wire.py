"""The msgspec fast path (``_wire.py``): the function that copies each model's decoded
struct into the model, rendered from the model's field table.

The structs themselves are not rendered: ``_structs`` builds them from the generated
``FIELDS`` at run time, so the struct a document is decoded into and the rows its copy
function is rendered from are the same table. Callbacks get tagged twins (by ``event``)
for the dispatcher, which decodes any callback in one call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from .. import ir, naming
from .models import field_table
from .python import literal

EVENT_TAG = "event"  # the callback property that names the event
COPY_BY_STRUCT = "COPY_BY_STRUCT"  # _wire's dict: a union member's struct -> its copy function


def filters(api: ir.Api) -> dict[str, Callable[..., Any]]:
    return {"wire_reader": naming.wire_reader, "wire_read": wire_read}


@attrs.frozen
class Tagged:
    """A callback read by the dispatcher's one decoder, which picks it by ``event``."""

    model: str  # the callback's model
    field: str  # the property that names the event
    value: str  # the event's name


def context(api: ir.Api) -> dict[str, Any]:
    events = [
        Tagged(w.request, EVENT_TAG, w.event)
        for w in api.webhooks
        if not w.variants and any(f.wire_name == EVENT_TAG for f in api.model(w.request).fields)
    ]
    return {
        "wire_events": events,
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


def wire_read(model: ir.Model) -> str:
    """The body of the function that copies a decoded struct into ``model``: one
    statement or a few per row of its field table."""
    lines = [f"obj = _new({model.name})"]
    for field in field_table(model):
        target = f"obj.{field.py_name}"
        if field.tag is not None:  # msgspec picked the member by it
            lines.append(f"{target} = {literal(field.tag)}")
            continue
        value = _convert(field.type, "v")
        if not field.aliases and value == "v":
            lines.append(f"{target} = s.{field.py_name}")
            continue
        lines.append(f"v = s.{field.py_name}")
        for index, _ in enumerate(field.aliases, 1):  # alias fields: <attribute>_<n>
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
        return f"{COPY_BY_STRUCT}[type({var})]({var}, strict)"
    if isinstance(t, ir.ArrayOf):
        item = _convert(t.item, "x")
        return var if item == "x" else f"[{item} for x in {var}]"
    return f"parse_object({var})"
