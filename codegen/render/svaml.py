"""The SVAML builders: one class per callback that takes SVAML (``svaml.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from .. import ir, naming
from .models import settable_fields
from .python import annotation, docstring


def filters(api: ir.Api) -> dict[str, Callable[..., Any]]:
    return {"action_mixin": naming.action_mixin, "builder_doc": builder_doc}


@attrs.frozen
class Builder:
    """One SVAML builder: where its answer goes and what it may carry."""

    place: str  # a callback event, or "patch"
    class_name: str
    function: str
    summary: str
    actions: tuple[str, ...]
    instructions: bool


def builders(api: ir.Api) -> list[Builder]:
    """A builder per callback that takes SVAML, and one for the PATCH of a live call."""
    out = [
        Builder(
            w.event,
            naming.builder_class(w.event),
            naming.builder_function(w.event),
            w.summary or w.event,
            w.actions,
            w.instructions,
        )
        for w in api.webhooks
        if w.response is not None and api.svaml_model
    ]
    patch = tuple(tag for tag, places in api.action_targets.items() if "patch" in places)
    if patch and api.svaml_model:
        out.append(
            Builder(
                "patch",
                naming.builder_class("patch"),
                naming.builder_function("patch"),
                "the PATCH that manages a live call",
                patch,
                True,
            )
        )
    return out


def builder_method(tag: str, model: ir.Model, api: ir.Api, kind: str) -> str:
    """A builder method: positional fields first, the rest keyword-only."""
    positional = api.positional.get(tag, ())
    fields = settable_fields(model)
    by_name = {f.py_name: f for f in fields}
    params = ["self"]
    for name in positional:
        field = by_name[name]
        menus = isinstance(field.type, ir.ArrayOf) and field.wire_name == "menus"
        params.append(_builder_parameter(field, " | MenuBuilder" if menus else ""))
    rest = [f for f in fields if f.py_name not in positional]
    if positional:
        params.append("/")
    if rest:
        params.append("*")
        params += [_builder_parameter(f) for f in rest]
    arguments = ", ".join(
        f"{f.py_name}=self._value({f.py_name})"
        if f.py_name in positional
        else f"{f.py_name}={f.py_name}"
        for f in fields
    )
    call = "_add_instruction" if kind == "instruction" else "_set_action"
    doc = docstring(model.description or tag, 8)
    name = naming.snake(tag)
    return (
        f"    def {name}({', '.join(params)}) -> Self:\n        {doc}\n"
        f"        return self.{call}({model.name}({arguments}))\n"
    )


def _builder_parameter(field: ir.Field, also: str = "") -> str:
    """``name: type`` for a required field, ``name: type | Unset = UNSET`` otherwise."""
    kind = annotation(field.type) + also
    return (
        f"{field.py_name}: {kind}" if field.required else f"{field.py_name}: {kind} | Unset = UNSET"
    )


def menu_models(api: ir.Api) -> tuple[str, str] | None:
    """(menu, option) classes when the spec has runMenu-style menus."""
    for member in api.members(api.action_union):
        for field in api.model(member.model).fields:
            if (
                field.wire_name == "menus"
                and isinstance(field.type, ir.ArrayOf)
                and isinstance(field.type.item, ir.ModelRef)
            ):
                menu = api.model(field.type.item.name)
                options = next((f for f in menu.fields if f.wire_name == "options"), None)
                if (
                    options
                    and isinstance(options.type, ir.ArrayOf)
                    and isinstance(options.type.item, ir.ModelRef)
                ):
                    return menu.name, options.type.item.name
    return None


def context(api: ir.Api) -> dict[str, Any]:
    """What the SVAML builder template needs beyond the IR itself."""
    found = builders(api)
    checks = api.svaml_checks or ir.SvamlChecks({}, {}, None, {})
    actions = api.union(api.action_union) if api.action_union else None
    instructions = api.union(api.instruction_union) if api.instruction_union else None
    used = {tag for builder in found for tag in builder.actions}
    return {
        "builders": found,
        "builder_method": builder_method,
        "menus": menu_models(api),
        "checks": checks,
        "used_actions": [m for m in (actions.members if actions else ()) if m.tag in used],
        "instructions": instructions.members if instructions else (),
        "raw_action": actions.unknown if actions else "None",
        "raw_instruction": instructions.unknown if instructions else "None",
    }


def builder_doc(builder: Builder) -> str:
    actions = ", ".join(f"``{naming.snake(tag)}``" for tag in builder.actions)
    takes = "instructions and one action" if builder.instructions else "one action, no instructions"
    return docstring(f"The answer to {builder.summary}: {takes}, one of {actions}.", 4)
