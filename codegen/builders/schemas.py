"""Schemas into models, enums and unions.

A schema is named after its place: a component by its name, an inline object by the
path to it (``iceRequest.to`` -> ``IceRequestTo``); overrides.yaml may name a place
otherwise. Two places may share a class name only when they have the same shape.
"""

from __future__ import annotations

from .. import ir, naming
from ..diagnostics import pointer
from .context import JSON, Context

# Schema keywords the generator models.
UNDERSTOOD = {
    "type",
    "description",
    "properties",
    "required",
    "items",
    "enum",
    "default",
    "example",
    "examples",
    "format",
    "x-enumDescriptions",
    "$ref",
    "anyOf",
    "oneOf",
    "discriminator",
    "title",
    "deprecated",
}
# Validation keywords that are documented in docstrings but not enforced at run time.
DOCUMENTED_ONLY = {
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
}


class SchemaBuilder:
    """Every schema the spec has, as IR types; ``place`` names a schema, ``at`` its pointer."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.models: dict[str, ir.Model] = {}
        self.enums: dict[str, ir.Enum] = {}
        self.unions: dict[str, ir.Union] = {}
        self.components: dict[str, ir.TypeRef] = {}
        self.wire_names: set[str] = set()  # every property name seen (for overrides' words)
        # class name -> (place, pointer) of the schema that took it first
        self._owners: dict[str, tuple[str, str]] = {}
        self._tags: dict[str, tuple[str, str]] = {}  # member schema -> (property, tag)
        for schema in context.schemas.values():
            disc = schema.get("discriminator") if isinstance(schema, dict) else None
            if not disc:
                continue
            for tag, ref in (disc.get("mapping") or {}).items():
                self._tags[ref.rsplit("/", 1)[-1]] = (disc["propertyName"], tag)

    def build_all(self) -> None:
        for name in self.context.schemas:
            self.component(name)

    # -- names ------------------------------------------------------------------------
    def class_name(self, place: str, default: str) -> str:
        chosen = self.context.usage.lookup("classes", place)
        return str(chosen) if chosen is not None else default

    def attribute_name(self, wire: str) -> str:
        chosen = self.context.overrides.words.get(wire)
        return chosen if chosen is not None else naming.snake(wire)

    def reserve_class_name(self, name: str, place: str, at: str, same_shape: bool) -> bool:
        """Whether the schema at ``at`` is the first to build class ``name``.

        The same schema met again (a shared parameter used by two paths) and another
        schema of the same shape share the class (False, no problem). Another shape is a
        problem naming both schemas, whatever their places are called: two classes
        cannot have one name, and keeping either would lose the other's values.
        """
        owner = self._owners.get(name)
        if owner is None:
            self._owners[name] = (place, at)
            return True
        first_place, first_at = owner
        if first_at != at and not same_shape:
            self.context.problem(
                at,
                f"class name {name} is also claimed by {first_at}, which has another shape; "
                f"name one of them in overrides.yaml classes ({place} or {first_place})",
            )
        return False

    # -- types ------------------------------------------------------------------------
    def component(self, name: str) -> ir.TypeRef:
        if name in self.components:
            return self.components[name]
        at = pointer("components", "schemas", name)
        if name not in self.context.schemas:
            self.context.problem(at, "no such schema")
            return ir.Primitive("any")
        # placeholder against recursion: a model refers to itself by name
        self.components[name] = ir.ModelRef(self.class_name(name, naming.pascal(name)))
        built = self.type_of(self.context.schemas[name], name, at, naming.pascal(name))
        self.components[name] = built
        return built

    def type_of(self, schema: JSON, place: str, at: str, class_default: str) -> ir.TypeRef:
        if not isinstance(schema, dict):
            self.context.problem(at, "a schema must be an object")
            return ir.Primitive("any")
        self.check_keywords(schema, at)
        forced = self.context.usage.lookup("types", place)
        if forced is not None:
            return ir.Primitive(str(forced))
        if "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/components/schemas/"):
                self.context.problem(at, f"unsupported $ref {ref}")
                return ir.Primitive("any")
            return self.component(ref.rsplit("/", 1)[-1])
        if "anyOf" in schema or "oneOf" in schema:
            return self.union(schema, place, at, class_default)
        kind = schema.get("type")
        if isinstance(kind, list):
            return self.unsupported(at, f"type {kind} (several types, or nullable)")
        if "enum" in schema:
            return self.enum(schema, place, at, class_default, open_=False)
        if kind == "string":
            if "x-enumDescriptions" in schema:
                return self.enum(schema, place, at, class_default, open_=True)
            return ir.Primitive("str")
        if kind in ("integer", "number", "boolean"):
            return ir.Primitive({"integer": "int", "number": "float", "boolean": "bool"}[kind])
        if kind == "array":
            if "items" not in schema:
                return self.unsupported(at, "an array without items")
            item = self.type_of(
                schema["items"], place + "[]", at + "/items", class_default + "Item"
            )
            return ir.ArrayOf(item, schema.get("minItems"), schema.get("maxItems"))
        if kind == "object" or "properties" in schema:
            if "properties" in schema:
                return self.model(schema, place, at, class_default)
            return ir.MapOf(ir.Primitive("any"))
        return self.unsupported(at, f"a schema without a type ({sorted(schema)})")

    def unsupported(self, at: str, what: str) -> ir.TypeRef:
        if not self.context.allowed(at):
            self.context.problem(at, f"the generator does not model {what}")
        return ir.Primitive("any")

    def check_keywords(self, schema: JSON, at: str) -> None:
        for key in schema:
            if key in UNDERSTOOD or key in DOCUMENTED_ONLY:
                continue
            keyword_at = f"{at}/{key}"
            if not self.context.allowed(keyword_at):
                self.context.problem(
                    keyword_at, f"the generator does not understand the keyword {key!r}"
                )

    # -- models -------------------------------------------------------------------------
    def model(self, schema: JSON, place: str, at: str, class_default: str) -> ir.TypeRef:
        name = self.class_name(place, class_default)
        tag = self._tags.get(place)
        required = set(schema.get("required", []))
        fields: list[ir.Field] = []
        seen: dict[str, str] = {}
        for wire, prop in schema["properties"].items():
            field_at = at + pointer("properties", wire)
            self.wire_names.add(wire)
            py = self.attribute_name(wire)
            if py == "additional_properties":
                self.context.problem(
                    field_at,
                    "additional_properties is the attribute of undeclared properties; "
                    "rename this one in overrides.yaml",
                )
            if py in seen:
                self.context.problem(
                    field_at,
                    f"attribute {py} is also the name of {seen[py]!r}; rename one in "
                    "overrides.yaml",
                )
            seen[py] = wire
            fields.append(self.field(place, wire, prop, py, field_at, name, required, tag))
        for wire in sorted(required - set(schema["properties"])):
            self.context.problem(at + "/required", f"required property {wire!r} is not defined")
        model = ir.Model(
            name=name,
            pointer=at,
            description=schema.get("description", "").strip(),
            fields=tuple(fields),
        )
        existing = self.models.get(name)
        same = existing is not None and _shape(existing) == _shape(model)
        if self.reserve_class_name(name, place, at, same):
            self.models[name] = model
        return ir.ModelRef(name)

    def field(
        self,
        place: str,
        wire: str,
        prop: JSON,
        py: str,
        at: str,
        model_name: str,
        required: set[str],
        tag: tuple[str, str] | None,
    ) -> ir.Field:
        is_tag = tag is not None and tag[0] == wire
        if is_tag:
            ftype: ir.TypeRef = ir.Primitive("str")
            self.check_keywords(prop, at)
        else:
            ftype = self.type_of(prop, f"{place}.{wire}", at, model_name + naming.pascal(wire))
        description = prop.get("description", "")
        if not description and "$ref" in prop:
            target = prop["$ref"].rsplit("/", 1)[-1]
            description = self.context.schemas.get(target, {}).get("description", "")
        aliases = self.aliases_for(place, wire)
        written = self.platform_name(place, wire)
        if written != wire:  # read both spellings, write the platform's
            aliases = (wire, *(a for a in aliases if a != written))
        return ir.Field(
            wire_name=written,
            py_name=py,
            type=ftype,
            required=wire in required or is_tag,
            description=description.strip(),
            default=ir.NO_DEFAULT if is_tag else prop.get("default", ir.NO_DEFAULT),
            deprecated=bool(prop.get("deprecated", False)),
            tag=tag[1] if is_tag and tag is not None else None,
            aliases=aliases,
            spec_name=wire if written != wire else "",
            svaml_json=not is_tag
            and self.context.usage.lookup("json_strings", f"{place}.{wire}") is not None,
        )

    def platform_name(self, place: str, wire: str) -> str:
        """The name the platform writes for a property the spec spells otherwise."""
        written = self.context.usage.lookup("platform_names", f"{place}.{wire}")
        return str(written) if written is not None else wire

    def aliases_for(self, place: str, wire: str) -> tuple[str, ...]:
        found: list[str] = []
        for key in (f"{place}.{wire}", f"*.{wire}"):
            found.extend(self.context.usage.lookup("aliases", key) or ())
        return tuple(found)

    # -- enums and unions -----------------------------------------------------------------
    def enum(
        self, schema: JSON, place: str, at: str, class_default: str, open_: bool
    ) -> ir.TypeRef:
        name = self.class_name(place, class_default)
        descriptions: dict[str, str] = {
            str(k): str(v) for k, v in (schema.get("x-enumDescriptions") or {}).items()
        }
        wires = [str(v) for v in schema["enum"]] if not open_ else list(descriptions)
        if schema.get("type", "string") != "string":
            return self.unsupported(at, f"an enum of type {schema.get('type')}")
        names = naming.distinct_constants(wires)
        enum = ir.Enum(
            name=name,
            pointer=at,
            description=schema.get("description", "").strip(),
            values=tuple(
                ir.EnumValue(w, n, descriptions.get(w, ""))
                for w, n in zip(wires, names, strict=True)
            ),
            open=open_,
        )
        existing = self.enums.get(name)
        same = (
            existing is not None
            and [v.wire for v in existing.values] == wires
            and existing.open == open_
        )
        if self.reserve_class_name(name, place, at, same):
            self.enums[name] = enum
        return ir.EnumRef(name)

    def union(self, schema: JSON, place: str, at: str, class_default: str) -> ir.TypeRef:
        keyword = "anyOf" if "anyOf" in schema else "oneOf"
        disc = schema.get("discriminator")
        if not disc:
            return self.unsupported(at, f"{keyword} without a discriminator")
        name = self.class_name(place, class_default)
        refs = [m.get("$ref", "") for m in schema[keyword]]
        mapping = disc.get("mapping") or {r.rsplit("/", 1)[-1]: r for r in refs}
        if set(mapping.values()) != set(refs):
            self.context.problem(
                at + "/discriminator/mapping", f"the mapping and {keyword} list different schemas"
            )
        members = []
        for tag, ref in mapping.items():
            target = self.component(ref.rsplit("/", 1)[-1])
            if not isinstance(target, ir.ModelRef):
                self.context.problem(at, f"union member {ref} is not an object schema")
                continue
            members.append(ir.UnionMember(tag=tag, model=target.name))
        union = ir.Union(
            name=name,
            pointer=at,
            description=schema.get("description", "").strip(),
            discriminator=disc["propertyName"],
            members=tuple(members),
            unknown=naming.unknown_member(name),
        )
        if self.reserve_class_name(name, place, at, False):
            self.unions[name] = union
        return ir.UnionRef(name)


def _shape(model: ir.Model) -> tuple[tuple[str, str, ir.TypeRef, bool], ...]:
    return tuple((f.wire_name, f.py_name, f.type, f.required) for f in model.fields)
