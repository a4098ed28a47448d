"""The models and their converters: attribute annotations and docs, and the code that
reads and writes one property (``models.py`` and ``_hooks.py``)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from typing import Any

from .. import ir, naming
from . import sections
from .python import DOC_WIDTH, annotation, docstring, literal

PRIMITIVE_NAMES = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
}


def filters(api: ir.Api) -> dict[str, Callable[..., Any]]:
    used = sections.uses(api)
    return {
        "pyrepr": literal,
        "docstring": docstring,
        "field_annotation": field_annotation,
        "field_default": field_default,
        "field_doc": lambda field: field_doc(field, api),
        "model_doc": lambda model: model_doc(model, api, used),
        "enum_doc": lambda enum: enum_doc(enum, used),
        "rule": rule,
        "union_doc": union_doc,
        "structure_field": structure_field,
        "unstructure_field": unstructure_field,
        "field_table": field_table,
        "field_row": lambda field: field_row(field, api),
        "structure_fn": naming.structure_function,
        "unstructure_fn": naming.unstructure_function,
        "model_keys": naming.model_keys,
        "union_readers": naming.union_readers,
        "union_writers": naming.union_writers,
        "attribute": naming.attribute,
        "literal_name": literal_name,
        "literal_values": literal_values,
        "converter_name": converter_name,
    }


def context(api: ir.Api) -> dict[str, Any]:
    parts = sections.sections(api)
    return {
        "exported": exported_names(api),
        "sections": parts,
        "contents": contents(parts),
        "enum_converters": enum_converters(api),
        "enum_literals": [literal_name(e) for e in api.enums],
        "svaml_json_converters": sorted(
            {not f.required for m in api.models for f in m.fields if f.svaml_json}
        ),
    }


def rule(title: str) -> str:
    """A section's header line: ``# --- title ---...`` as wide as the code."""
    return f"# --- {title} ".ljust(DOC_WIDTH - 1, "-")


def contents(parts: list[sections.Section]) -> str:
    """The module docstring's list of sections and their models, wrapped."""
    lines = []
    for part in parts:
        names = [m.name for m in part.models] + [u.name for u in part.unions]
        text = f"- {part.title}: " + ", ".join(f"``{n}``" for n in names)
        lines += textwrap.wrap(text, DOC_WIDTH, subsequent_indent="  ", break_on_hyphens=False)
    return "\n".join(lines)


def used_as(name: str, used: dict[str, list[str]]) -> str:
    """``Used as ``IceRequest.user_rate`` and ...``: where a model or enum appears, for
    one the spec does not describe."""
    places = used.get(name, [])
    if not places:
        return ""
    listed = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " and " + places[-1]
    return f"Used as {listed}."


def field_annotation(field: ir.Field) -> str:
    if field.tag is not None:
        return f"Literal[{literal(field.tag)}]"
    base = annotation(field.type)
    return base if field.required else f"{base} | Unset"


def field_default(field: ir.Field) -> str:
    """The ``= ...`` part of an attribute: the tag's value, UNSET, or nothing; an enum
    attribute, and a string holding SVAML (``svaml.json_strings`` in overrides.yaml),
    also get their converter."""
    if field.tag is not None:
        return f" = {literal(field.tag)}"
    options = []
    if not field.required:
        options.append("default=UNSET")
    if isinstance(field.type, ir.EnumRef):
        options.append(f"converter={converter_name(field.type.name, not field.required)}")
    elif field.svaml_json:
        options.append(f"converter={converter_name('SvamlJson', not field.required)}")
    if field.default is not ir.NO_DEFAULT and not field.required:
        options.append(f"metadata={{'spec_default': {literal(field.default)}}}")
    if options == ["default=UNSET"]:
        return " = UNSET"
    return f" = attrs.field({', '.join(options)})" if options else ""


# --- what enum-typed attributes and parameters take --------------------------------


def literal_name(enum: ir.Enum | str) -> str:
    """The ``Literal`` alias of an enum's documented values: ``DestinationTypeLiteral``
    (in ``models``, outside ``__all__``: the generated client imports it)."""
    return f"{enum if isinstance(enum, str) else enum.name}Literal"


def literal_values(enum: ir.Enum) -> str:
    """``Literal['number', 'username']``: the documented spellings, in the spec's order."""
    return f"Literal[{', '.join(literal(v.wire) for v in enum.values)}]"


def converter_name(enum_name: str, optional: bool) -> str:
    """The attrs converter of an enum attribute (or, for ``SvamlJson``, of a string
    holding SVAML): ``_destination_type`` for a required one, ``_domain_or_unset`` for an
    optional one (it passes UNSET through)."""
    return f"_{naming.snake(enum_name)}{'_or_unset' if optional else ''}"


def enum_converters(api: ir.Api) -> list[tuple[ir.Enum, bool]]:
    """The converters ``models`` needs: (enum, optional) for every enum attribute's
    kind, in the order of ``api.enums``. Lists of enums take members only."""
    used = {
        (f.type.name, not f.required)
        for model in api.models
        for f in model.fields
        if isinstance(f.type, ir.EnumRef) and f.tag is None
    }
    return [
        (e, optional) for e in api.enums for optional in (False, True) if (e.name, optional) in used
    ]


def field_argument(field: ir.Field) -> str:
    """The type a constructor or client keyword takes for ``field`` (``| Unset`` aside)."""
    if field.svaml_json:
        return "str | Svaml | BuildsSvaml"
    return argument_annotation(field.type)


def argument_annotation(t: ir.TypeRef) -> str:
    """The type a method parameter takes for a value of ``t``: an enum's member or the
    string of a documented value, as the model's constructor takes it."""
    if isinstance(t, ir.EnumRef):
        return f"{t.name} | {literal_name(t.name)}"
    return annotation(t)


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
    if field.svaml_json:
        notes.append("Also takes an ``Svaml`` or a SVAML builder, held as its JSON text.")
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
        return naming.structure_function(t.name)
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
            f"    raise StructureError.expected({literal(repr(field.tag))}, v).at({key})",
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
        call = f"{naming.structure_function(t.name)}(v, strict)"
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
        return f"{naming.unstructure_function(t.name)}({var})"
    if isinstance(t, ir.UnionRef):  # one lookup by class instead of a dispatching call
        return f"{naming.union_writers(t.name)}[type({var})]({var})"
    if isinstance(t, ir.MapOf):
        return var
    if isinstance(t.item, ir.ModelRef):  # map: no comprehension frame before 3.12
        return f"list(map({naming.unstructure_function(t.item.name)}, {var}))"
    item = unstructure_value(t.item, "x")
    return f"list({var})" if item == "x" else f"[{item} for x in {var}]"


def unstructure_field(field: ir.Field) -> str:
    """The statement writing one attribute into ``out`` (unset ones are left out)."""
    key = literal(field.wire_name)
    attribute_ = f"obj.{field.py_name}"
    if field.tag is not None or field.required:
        return f"    out[{key}] = {unstructure_value(field.type, attribute_)}"
    value = unstructure_value(field.type, "v")  # the attribute read once
    return f"    if (v := {attribute_}) is not UNSET:\n        out[{key}] = {value}"


def field_table(model: ir.Model) -> list[ir.Field]:
    """The model's field table: its fields in the spec's order, the union tag first.

    Every codec is rendered from these rows, in this order: the reader, the writer, the
    generated ``FIELDS`` (which the checked writer walks and the msgspec structs are
    built from) and the msgspec copier.
    """
    tag = [f for f in model.fields if f.tag is not None]
    return tag + [f for f in model.fields if f.tag is None]


def model_doc(model: ir.Model, api: ir.Api, used: dict[str, list[str]]) -> str:
    unions = [u.name for u in api.unions if any(m.model == model.name for m in u.members)]
    member = f"A member of ``{unions[0]}``. " if unions else ""
    extra = f"{member}Spec: ``#{model.pointer}``."
    return docstring(model.description or used_as(model.name, used), 4, extra)


def enum_doc(enum: ir.Enum, used: dict[str, list[str]]) -> str:
    kind = (
        "Open set: the values below are the documented ones; others are accepted and kept. "
        if enum.open
        else ""
    )
    extra = f"{kind}Spec: ``#{enum.pointer}``."
    return docstring(enum.description or used_as(enum.name, used), 4, extra)


def union_doc(union: ir.Union) -> str:
    tags = ", ".join(f"``{m.tag}``" for m in union.members)
    extra = (
        f"Tagged by ``{union.discriminator}``: {tags}. Any other {union.discriminator} "
        f"reads as ``{union.unknown}``. Spec: ``#{union.pointer}``."
    )
    return docstring(union.description, 0, extra)


def exported_names(api: ir.Api) -> list[str]:
    """The public names of ``models``: enums, models, unions and their unknown members."""
    names = [e.name for e in api.enums] + [m.name for m in api.models]
    for union in api.unions:
        names += [union.name, union.unknown]
    return sorted(names)


def row_type(t: ir.TypeRef, api: ir.Api) -> str:
    """The ``type`` column of a row of ``FIELDS`` (see ``_fields``), as Python source."""
    if isinstance(t, ir.Primitive):
        return {"any": "object"}.get(t.kind, t.kind)
    if isinstance(t, (ir.ModelRef, ir.EnumRef)):
        return t.name
    if isinstance(t, ir.UnionRef):
        union = api.union(t.name)
        members = ", ".join([*(m.model for m in union.members), union.unknown])
        return f'("union", ({members},), {literal(union.name)})'
    if isinstance(t, ir.MapOf):
        return "dict"
    return f'("list", {row_type(t.item, api)})'


def field_row(field: ir.Field, api: ir.Api) -> str:
    """One row of ``FIELDS``: ``Field(attribute, wire, type, ...)``, the columns that
    differ from ``Field``'s defaults given by keyword."""
    parts = [literal(field.py_name), literal(field.wire_name), row_type(field.type, api)]
    if field.required:
        parts.append("required=True")
    if field.default is not ir.NO_DEFAULT:
        parts.append(f"default={literal(field.default)}")
    if field.tag is not None:
        parts.append(f"tag={literal(field.tag)}")
    if field.aliases:
        parts.append(f"aliases={literal(field.aliases)}")
    return f"Field({', '.join(parts)})"


def settable_fields(model: ir.Model) -> list[ir.Field]:
    """The fields a caller sets (the union tag is fixed): keyword arguments of the client
    and of the SVAML builder."""
    return [f for f in model.fields if f.tag is None]
