"""IR -> Python source fragments, for the templates.

Templates arrange files; the fragments that depend on a type (annotations, the code
that converts one property) are built here, where they can be read and tested as
plain Python. Nothing here looks at the spec: only at the IR.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import attrs

from . import ir, naming

PRIMITIVE_ANNOTATIONS = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "datetime": "datetime",
    "any": "Any",
}
PRIMITIVE_NAMES = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
}
DOC_WIDTH = 88


def annotation(t: ir.TypeRef) -> str:
    """The Python type of a value of ``t``."""
    if isinstance(t, ir.Primitive):
        return PRIMITIVE_ANNOTATIONS[t.kind]
    if isinstance(t, (ir.ModelRef, ir.EnumRef, ir.UnionRef)):
        return t.name
    if isinstance(t, ir.ArrayOf):
        return f"list[{annotation(t.item)}]"
    return f"dict[str, {annotation(t.value)}]"


def field_annotation(field: ir.Field) -> str:
    if field.tag is not None:
        return f"Literal[{literal(field.tag)}]"
    base = annotation(field.type)
    return base if field.required else f"{base} | Unset"


def field_default(field: ir.Field) -> str:
    """The ``= ...`` part of an attribute: the tag's value, UNSET, or nothing."""
    if field.tag is not None:
        return f" = {literal(field.tag)}"
    if field.required:
        return ""
    if field.default is not ir.NO_DEFAULT:
        return (
            f" = attrs.field(default=UNSET, metadata={{'spec_default': {literal(field.default)}}})"
        )
    return " = UNSET"


def literal(value: Any) -> str:
    """A Python literal for a JSON value."""
    return repr(value)


def structure_fn(name: str) -> str:
    return naming.function_name("structure", name)


def unstructure_fn(name: str) -> str:
    return naming.function_name("unstructure", name)


# --- docstrings --------------------------------------------------------------------


def docstring(text: str, indent: int = 4, extra: str = "") -> str:
    """A triple-quoted docstring, wrapped, with the spec's line breaks kept as paragraphs."""
    body = text.strip()
    if extra:
        body = f"{body}\n\n{extra}" if body else extra
    if not body:
        return ""
    pad = " " * indent
    lines: list[str] = []
    for line in body.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').splitlines():
        if not line.strip():
            lines.append("")
            continue
        bullet = line.lstrip()
        lead = line[: len(line) - len(bullet)]
        hang = lead + ("  " if bullet.startswith(("- ", "* ")) else "")
        lines.extend(
            textwrap.wrap(
                line,
                width=DOC_WIDTH - indent,
                subsequent_indent=hang,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )
    if len(lines) == 1 and len(lines[0]) + indent + 6 <= DOC_WIDTH:
        text_line = lines[0]
        if text_line.endswith('"'):
            text_line += " "
        return f'"""{text_line}"""'
    joined = "\n".join(pad + line if line else "" for line in lines)
    return f'"""\n{joined}\n{pad}"""'


def field_doc(field: ir.Field, api: ir.Api) -> str:
    notes = []
    if field.tag is not None:
        notes.append(f"Always ``{field.tag}``: the discriminator of this union member.")
    if field.default is not ir.NO_DEFAULT:
        notes.append(
            f"Platform default: ``{json.dumps(field.default)}`` (applied by the platform "
            "when the property is absent; this SDK never sends it unless you set it)."
        )
    if isinstance(field.type, ir.EnumRef) and api.enum(field.type.name).open:
        notes.append("Open set: values not listed are accepted and kept.")
    if isinstance(field.type, ir.ArrayOf) and (field.type.min_items or field.type.max_items):
        low, high = field.type.min_items, field.type.max_items
        if low and high:
            span = f"{low} to {high} items"
        else:
            bound = low or high
            span = f"{'at least' if low else 'at most'} {bound} item{'s' if bound != 1 else ''}"
        notes.append(f"The platform takes {span}.")
    if field.aliases:
        notes.append("Also read from " + ", ".join(f"``{a}``" for a in field.aliases) + ".")
    if field.deprecated:
        notes.append("Deprecated.")
    wire = f"Wire name: ``{field.wire_name}``." if field.wire_name != field.py_name else ""
    if field.spec_name:
        wire = f"Wire name: ``{field.wire_name}`` (the spec says ``{field.spec_name}``)."
    extra = " ".join(n for n in [*notes, wire] if n)
    return docstring(field.description, 4, extra)


# --- structure ---------------------------------------------------------------------


def item_function(t: ir.TypeRef) -> str:
    """A function (value, strict) -> converted value, for list elements."""
    if isinstance(t, ir.Primitive):
        return f"item_{t.kind}"
    if isinstance(t, (ir.ModelRef, ir.UnionRef, ir.EnumRef)):
        return structure_fn(t.name)
    if isinstance(t, ir.MapOf):
        return "item_object"
    return f"lambda v, strict: structure_list(v, {item_function(t.item)}, strict)"


def structure_field(field: ir.Field) -> str:
    """Statements that read one property from ``data`` into ``obj`` (indented 4)."""
    key = literal(field.wire_name)
    lines = [f"v = get({key}, UNSET)"]
    for alias in field.aliases:
        lines += ["if v is UNSET:", f"    v = get({literal(alias)}, UNSET)"]
    if field.tag is not None:
        lines += [
            f"if v != {literal(field.tag)}:",
            f'    raise StructureError(f"expected {field.tag!r}, got {{v!r}}").at({key})',
        ]
    elif field.required:
        lines += ["if v is UNSET:", f"    raise missing({key})"]
        lines += _convert(field.type, key, required=True)
    else:
        lines += _convert(field.type, key, required=False)
    lines.append(f"obj.{field.py_name} = v")
    return "\n".join("    " + line for line in lines)


def _convert(t: ir.TypeRef, key: str, required: bool) -> list[str]:
    # the type test comes first: a present value of the right type then costs one test
    if isinstance(t, ir.Primitive):
        if t.kind == "any":
            return []
        if t.kind == "float":
            if required:
                return ["if type(v) is not float:", f"    v = as_float_required(v, {key})"]
            return [
                "if type(v) is not float and v is not UNSET:",
                f"    v = as_float(v, strict, {key})",
            ]
        if t.kind != "datetime":
            return _type_test(t.kind, PRIMITIVE_NAMES[t.kind], key, required)
        call = "parse_datetime(v)"
    elif isinstance(t, ir.MapOf):
        return _type_test("dict", "an object", key, required)
    elif isinstance(t, ir.ArrayOf):
        call = f"structure_list(v, {item_function(t.item)}, strict)"
    else:
        call = f"{structure_fn(t.name)}(v, strict)"
    body = [
        "try:",
        f"    v = {call}",
        "except StructureError as error:",
        f"    raise error.at({key}) from None"
        if required
        else f"    v = recover(error, v, strict, {key})",
    ]
    if required:
        return body
    return ["if v is not UNSET:"] + ["    " + line for line in body]


def _type_test(python_type: str, what: str, key: str, required: bool) -> list[str]:
    """A value that needs no conversion, only its JSON type checked."""
    if required:
        return [
            f"if type(v) is not {python_type}:",
            f"    raise StructureError.expected({literal(what)}, v).at({key})",
        ]
    return [
        f"if type(v) is not {python_type} and v is not UNSET:",
        f"    v = expected({literal(what)}, v, strict, {key})",
    ]


# --- unstructure -------------------------------------------------------------------


def unstructure_value(t: ir.TypeRef, var: str) -> str:
    """An expression turning ``var`` (a value of ``t``) into JSON-ready Python."""
    if isinstance(t, ir.Primitive):
        if t.kind == "datetime":
            return f"format_datetime({var})"
        if t.kind == "float":
            return f"json_float({var})"
        return var
    if isinstance(t, ir.EnumRef):
        return f"{var}._value_"
    if isinstance(t, ir.ModelRef):
        return f"{unstructure_fn(t.name)}({var})"
    if isinstance(t, ir.UnionRef):  # one lookup by class instead of a dispatching call
        return f"_{t.name}_UNSTRUCTURE[type({var})]({var})"
    if isinstance(t, ir.MapOf):
        return var
    item = unstructure_value(t.item, "x")
    return f"list({var})" if item == "x" else f"[{item} for x in {var}]"


def unstructure_field(field: ir.Field) -> str:
    """The statement writing one attribute into ``out`` (unset ones are left out)."""
    key = literal(field.wire_name)
    attribute_ = f"obj.{field.py_name}"
    value = unstructure_value(field.type, attribute_)
    if field.tag is not None or field.required:
        return f"    out[{key}] = {value}"
    return f"    if {attribute_} is not UNSET:\n        out[{key}] = {value}"


def ordered_fields(model: ir.Model) -> list[ir.Field]:
    """Fields in wire order, the union tag first (readers dispatch on it)."""
    tag = [f for f in model.fields if f.tag is not None]
    return tag + [f for f in model.fields if f.tag is None]


def attribute(wire_name: str) -> str:
    """The attribute name of a wire name that is not a model field (a union's tag)."""
    return naming.snake(wire_name)


def model_doc(model: ir.Model, api: ir.Api) -> str:
    unions = [u.name for u in api.unions if any(m.model == model.name for m in u.members)]
    extra = f"A member of ``{unions[0]}``." if unions else ""
    return docstring(model.description or f"The ``{model.name}`` object.", 4, extra)


def enum_doc(enum: ir.Enum) -> str:
    kind = (
        "Open set: the values below are the documented ones; others are accepted and kept."
        if enum.open
        else ""
    )
    return docstring(enum.description or f"The values of ``{enum.name}``.", 4, kind)


def union_doc(union: ir.Union) -> str:
    tags = ", ".join(f"``{m.tag}``" for m in union.members)
    extra = (
        f"Tagged by ``{union.discriminator}``: {tags}. Any other {union.discriminator} "
        f"reads as ``{union.unknown}``."
    )
    return docstring(union.description, 0, extra)


def exported_names(api: ir.Api) -> list[str]:
    """The public names of ``models``: enums, models, unions and their unknown members."""
    names = [e.name for e in api.enums] + [m.name for m in api.models]
    for union in api.unions:
        names += [union.name, union.unknown]
    return sorted(names)


def wire_keys(model: ir.Model) -> list[str]:
    """Every wire name a model reads, aliases included, sorted."""
    return sorted(
        {f.wire_name for f in model.fields} | {a for f in model.fields for a in f.aliases}
    )


# --- client ------------------------------------------------------------------------


def group_class(group: str) -> str:
    return naming.client_group(group)


def body_model(operation: ir.Operation, api: ir.Api) -> ir.Model | None:
    body = operation.request_body
    if body is not None and isinstance(body.type, ir.ModelRef):
        return api.model(body.type.name)
    return None


def body_fields(model: ir.Model) -> list[ir.Field]:
    """The fields a caller may pass as keyword arguments (the union tag is fixed)."""
    return [f for f in model.fields if f.tag is None]


def path_expression(operation: ir.Operation) -> str:
    """The path: a literal, or ``expand_path`` filling in the (encoded) path parameters."""
    if not operation.path_params:
        return literal(operation.path)
    values = ", ".join(f"{literal(p.wire_name)}: {p.py_name}" for p in operation.path_params)
    return f"expand_path({literal(operation.path)}, {{{values}}})"


def parameter_annotation(param: ir.Parameter) -> str:
    base = annotation(param.type)
    return f"{base} | str" if isinstance(param.type, ir.EnumRef) else base


def signature(operation: ir.Operation, api: ir.Api, model: ir.Model | None = None) -> str:
    """The parameters of a client method: path parameters, the body, its fields, timeout."""
    parts = ["self"]
    parts += [f"{p.py_name}: {parameter_annotation(p)}" for p in operation.path_params]
    model = model or body_model(operation, api)
    if model is not None:
        parts += _body_parameters(model)
    else:
        if operation.path_params:
            parts.append("/")
        parts.append("*")
    parts.append("timeout: Timeout | None = None")
    return ", ".join(parts)


def return_type(operation: ir.Operation) -> str:
    success = operation.success
    if success is None or success.body is None:
        return "None"
    return annotation(success.body.type)


def operation_doc(operation: ir.Operation, api: ir.Api) -> str:
    lines = []
    if operation.deprecated:
        lines.append("Deprecated by the vendor: calling it warns (DeprecationWarning).")
    model = body_model(operation, api)
    if model is not None:
        lines.append(f"Pass a ``{model.name}`` or its fields as keyword arguments.")
    lines.append(f"``{operation.http_method} {operation.path}`` ({operation.operation_id}).")
    text = operation.summary
    if operation.description and operation.description != operation.summary:
        text = f"{text}\n\n{operation.description}" if text else operation.description
    return docstring(text, 8, " ".join(lines))


def shortcut_doc(operation: ir.Operation, shortcut: ir.Shortcut) -> str:
    return docstring(
        f"``{operation.method_name}`` with ``{shortcut.set_field}={shortcut.value!r}``: pass a "
        f"``{shortcut.payload_model}`` or its fields as keyword arguments.",
        8,
    )


def server_literal(operation: ir.Operation) -> str:
    return literal(operation.servers[0].url) if operation.servers else "None"


def group_doc(group: str, api: ir.Api) -> str:
    names = ", ".join(f"``{op.method_name}``" for op in api.operations if op.group == group)
    return docstring(f"The {group} operations: {names}.", 4)


def shortcut_signature(operation: ir.Operation, payload: ir.Model) -> str:
    """A shortcut's parameters: the sub-object's fields (the operation has no path params)."""
    return ", ".join(["self", *_body_parameters(payload), "timeout: Timeout | None = None"])


def _body_parameters(model: ir.Model) -> list[str]:
    """``body`` (a whole model, positional) or its fields as keyword arguments."""
    return [
        f"body: {model.name} | None = None",
        "/",
        "*",
        *(f"{f.py_name}: {annotation(f.type)} | Unset = UNSET" for f in body_fields(model)),
    ]


def shortcut_value(shortcut: ir.Shortcut) -> str:
    """The value a shortcut fixes: its enum member, or the plain string."""
    if shortcut.enum is None:
        return literal(shortcut.value)
    return f"{shortcut.enum}.{shortcut.value_py_name}"


def webhook_doc(webhook: ir.Webhook) -> str:
    """The docstring of an ``on_<event>`` registration."""
    handler = f"``handler({' | '.join(event_models(webhook))})``"
    if webhook.response is None:
        answer = "Its return value is ignored; the platform gets ``{}``."
    else:
        actions = ", ".join(f"``{a}``" for a in webhook.actions) or "none"
        answer = f"It may answer with these actions: {actions}"
        answer += "; with instructions." if webhook.instructions else "; no instructions."
        if webhook.unanswered:
            answer += f" Unregistered, the dispatcher answers ``{webhook.unanswered}``."
    summary = f"Register {handler} for {webhook.summary or webhook.event} callbacks."
    return docstring(f"{summary} {answer}", 8)


def event_models(webhook: ir.Webhook) -> list[str]:
    """The models a callback's body is read into: its own, then its variants'."""
    return [webhook.request, *(v.model for v in webhook.variants)]


def webhook_model_names(api: ir.Api) -> list[str]:
    """The models the webhooks module uses: events, the SVAML answer, default actions."""
    names = {w.request for w in api.webhooks}
    names |= {v.model for w in api.webhooks for v in w.variants}
    if api.svaml_model:
        names.add(api.svaml_model)
    defaults = {w.unanswered for w in api.webhooks if w.unanswered}
    names |= {model for tag, model in api.action_models if tag in defaults}
    return sorted(names)


# --- SVAML builders --------------------------------------------------------------------

DTMF_DESCRIPTION = re.compile(r"0\W{0,3}-\W{0,3}9\W{1,12}#\W{1,12}(and\W{1,4})?w\b")
TEXT_LIMIT_DESCRIPTION = re.compile(r"maximum length is \d+ characters|maximum characters allowed")
PROMPT_DESCRIPTION = re.compile(r"#tts\[")


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
    patch = tuple(tag for tag, places in api.action_targets if "patch" in places)
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
    positional = dict(api.positional).get(tag, ())
    fields = body_fields(model)
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


def fields_matching(api: ir.Api, pattern: re.Pattern[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for tag, name in (*api.action_models, *api.instruction_models):
        names = tuple(f.py_name for f in api.model(name).fields if pattern.search(f.description))
        if names:
            found[tag] = names
    return found


def menu_models(api: ir.Api) -> tuple[str, str] | None:
    """(menu, option) classes when the spec has runMenu-style menus."""
    for _tag, name in api.action_models:
        for field in api.model(name).fields:
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


def unknown_member_of(api: ir.Api, members: tuple[tuple[str, str], ...]) -> str:
    """The unknown-member class of the union whose tags are ``members``' (or ``None``)."""
    tags = {tag for tag, _ in members}
    for union in api.unions:
        if union.members and {m.tag for m in union.members} <= tags:
            return union.unknown
    return "None"


def svaml_context(api: ir.Api) -> dict[str, Any]:
    """What the SVAML builder template needs beyond the IR itself."""
    found = builders(api)
    return {
        "builders": found,
        "used_actions": sorted({tag for builder in found for tag in builder.actions}),
        "builder_method": builder_method,
        "menus": menu_models(api),
        "dtmf_fields": fields_matching(api, DTMF_DESCRIPTION),
        "text_limits": fields_matching(api, TEXT_LIMIT_DESCRIPTION),
        "prompt_fields": fields_matching(api, PROMPT_DESCRIPTION),
        "raw_action": unknown_member_of(api, api.action_models),
        "raw_instruction": unknown_member_of(api, api.instruction_models),
    }


def builder_doc(builder: Builder) -> str:
    actions = ", ".join(f"``{naming.snake(tag)}``" for tag in builder.actions)
    takes = "instructions and one action" if builder.instructions else "one action, no instructions"
    return docstring(f"The answer to {builder.summary}: {takes}, one of {actions}.", 4)


def signed_header(api: ir.Api) -> str:
    """The header of the spec's signed (apiKey-in-header) scheme; ``Authorization`` if none."""
    return next(
        (s.header for s in api.security_schemes if s.kind == "apiKey" and s.header), "Authorization"
    )
