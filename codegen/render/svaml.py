"""The SVAML builders (``svaml.py``): what its template writes them from.

One builder class per callback that takes SVAML, plus the PATCH of a live call; a method
per instruction and per action (``BuilderMethod``); ``MenuBuilder.menu`` from the menu
model. The methods' source text is the template's; this module prepares the data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

from .. import ir, naming
from .models import field_argument, literal_name, settable_fields
from .python import docstring


def filters(api: ir.Api) -> dict[str, Callable[..., Any]]:
    return {"action_mixin": naming.action_mixin, "builder_doc": builder_doc}


# the menu field ``BaseMenuBuilder`` checks for repeats and ``check_menus`` for ``main``
MENU_ID = "id"
# what ``MenuBuilder.menu`` takes as options: DTMF key -> ``return_(value)`` or ``goto(id)``
MENU_OPTIONS = "Mapping[str, str] | Iterable[tuple[str, str]] = ()"


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


@attrs.frozen
class BuilderMethod:
    """One builder method: positional fields first, the rest keyword-only; it adds one
    instruction, or sets the action, built from its arguments."""

    name: str  # ``connect_pstn``
    parameters: tuple[str, ...]  # ``self``, the positional ones, ``/``, ``*``, the rest
    doc: str
    adds: str  # ``_add_instruction`` or ``_set_action``
    model: str  # the class built
    arguments: tuple[tuple[str, str], ...]  # (field, the value passed for it)


def builder_method(tag: str, model: ir.Model, api: ir.Api, kind: str) -> BuilderMethod:
    """The method for an instruction (``kind`` "instruction") or an action."""
    positional = api.positional.get(tag, ())
    menus = api.svaml_checks.menus if api.svaml_checks else None
    takes_menus = menus.fields.get(tag) if menus else None
    fields = settable_fields(model)
    by_name = {f.py_name: f for f in fields}
    params = ["self"]
    for name in positional:
        field = by_name[name]
        also = " | MenuBuilder" if name == takes_menus else ""
        params.append(_builder_parameter(field, also))
    rest = [f for f in fields if f.py_name not in positional]
    if positional:
        params.append("/")
    if rest:
        params.append("*")
        params += [_builder_parameter(f) for f in rest]
    return BuilderMethod(
        name=naming.snake(tag),
        parameters=tuple(params),
        doc=docstring(model.description or tag, 8),
        adds="_add_instruction" if kind == "instruction" else "_set_action",
        model=model.name,
        arguments=tuple(
            (f.py_name, f"self._value({f.py_name})" if f.py_name in positional else f.py_name)
            for f in fields
        ),
    )


def _builder_parameter(field: ir.Field, also: str = "") -> str:
    """``name: type`` for a required field, ``name: type | Unset = UNSET`` otherwise."""
    kind = field_argument(field) + also  # an enum's member or one of its strings
    return (
        f"{field.py_name}: {kind}" if field.required else f"{field.py_name}: {kind} | Unset = UNSET"
    )


@attrs.frozen
class MenuMethod:
    """``MenuBuilder.menu``: the menu's id and main prompt (positional or keyword), then
    its options (a mapping of DTMF keys) and every other field of the menu, keyword-only."""

    parameters: tuple[str, ...]
    settings: tuple[str, ...]  # the fields passed on by name (all but id and options)
    id: str = MENU_ID


def menu_method(api: ir.Api, menus: ir.SvamlMenus) -> MenuMethod:
    fields = [f for f in settable_fields(api.model(menus.menu)) if f.py_name != menus.options_field]
    main = menus.prompt_fields[:1]
    lead = [f for f in fields if f.py_name == MENU_ID] + [f for f in fields if f.py_name in main]
    rest = [f for f in fields if f not in lead]
    return MenuMethod(
        parameters=(
            "self",
            *(_builder_parameter(f) for f in lead),
            "*",
            f"{menus.options_field}: {MENU_OPTIONS}",
            *(_builder_parameter(f) for f in rest),
        ),
        settings=tuple(f.py_name for f in fields if f.py_name != MENU_ID),
    )


def context(api: ir.Api) -> dict[str, Any]:
    """What the SVAML builder template needs beyond the IR itself."""
    found = builders(api)
    checks = api.svaml_checks or ir.SvamlChecks({}, {}, None, {})
    actions = api.union(api.action_union) if api.action_union else None
    instructions = api.union(api.instruction_union) if api.instruction_union else None
    used = {tag for builder in found for tag in builder.actions}
    menus = checks.menus
    menu = menu_method(api, menus) if menus else None
    instruction_methods = [
        builder_method(m.tag, api.model(m.model), api, "instruction")
        for m in (instructions.members if instructions else ())
    ]
    action_methods = [
        (naming.action_mixin(m.tag), builder_method(m.tag, api.model(m.model), api, "action"))
        for m in (actions.members if actions else ())
        if m.tag in used
    ]
    parameters = [p for method in instruction_methods for p in method.parameters]
    parameters += [p for _, method in action_methods for p in method.parameters]
    parameters += menu.parameters if menu else ()
    return {
        "builders": found,
        "menus": menus,
        "menu_method": menu,
        "checks": checks,
        "instruction_methods": instruction_methods,
        "action_methods": action_methods,
        "svaml_literals": sorted(
            name
            for name in map(literal_name, api.enums)
            if any(re.search(rf"\b{name}\b", parameter) for parameter in parameters)
        ),
        "raw_action": actions.unknown if actions else "None",
        "raw_instruction": instructions.unknown if instructions else "None",
    }


def builder_doc(builder: Builder) -> str:
    actions = ", ".join(f"``{naming.snake(tag)}``" for tag in builder.actions)
    takes = "instructions and one action" if builder.instructions else "one action, no instructions"
    return docstring(f"The answer to {builder.summary}: {takes}, one of {actions}.", 4)
