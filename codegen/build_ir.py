"""Read the effective spec and the override file into the IR.

Schemas are named after their place: a component by its name, an inline object by
the path to it (``iceRequest.to`` -> ``IceRequestTo``). Anything this builder does not
understand, and any override naming something the spec no longer has, is collected
as a diagnostic with its JSON pointer; one error then lists them all. No IR is
returned with pieces missing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs

from . import __version__, ir, naming
from .diagnostics import Diagnostic, GenerationError, pointer
from .spec import load_yaml

JSON = Any
DEFAULT_OVERRIDES = Path(__file__).resolve().parent / "overrides.yaml"

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
HTTP_METHODS = ("get", "put", "post", "patch", "delete")
SUCCESS_MEDIA = "application/json"


@attrs.frozen
class OperationOverride:
    group: str
    method: str
    shortcuts: dict[str, dict[str, str]] = attrs.field(factory=dict)


@attrs.frozen
class Overrides:
    """The parsed override file (see ``codegen/overrides.yaml`` for what each part means)."""

    classes: dict[str, str] = attrs.field(factory=dict)
    words: dict[str, str] = attrs.field(factory=dict)
    aliases: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    platform_names: dict[str, str] = attrs.field(factory=dict)
    events: dict[str, dict[str, dict[str, str]]] = attrs.field(factory=dict)
    types: dict[str, str] = attrs.field(factory=dict)
    operations: dict[str, OperationOverride] = attrs.field(factory=dict)
    answers: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    no_instructions: tuple[str, ...] = ()
    answer_with_svaml: tuple[str, ...] = ()
    unanswered: dict[str, str] = attrs.field(factory=dict)
    warn_unanswered: tuple[str, ...] = ()
    positional: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    allow: dict[str, str] = attrs.field(factory=dict)


def load_overrides(path: Path = DEFAULT_OVERRIDES) -> Overrides:
    data = load_yaml(path) or {}
    known = {
        "classes",
        "words",
        "aliases",
        "platform_names",
        "events",
        "types",
        "operations",
        "svaml",
        "allow",
    }
    unknown = set(data) - known
    if unknown:
        raise GenerationError(
            [
                Diagnostic(pointer(k), "unknown section in the override file")
                for k in sorted(unknown)
            ],
            f"{path.name} has sections the generator does not know",
        )
    svaml = data.get("svaml") or {}
    operations = {
        op_id: OperationOverride(
            group=entry["group"],
            method=entry["method"],
            shortcuts=dict(entry.get("shortcuts") or {}),
        )
        for op_id, entry in (data.get("operations") or {}).items()
    }
    return Overrides(
        classes=dict(data.get("classes") or {}),
        words=dict(data.get("words") or {}),
        aliases={k: tuple(v) for k, v in (data.get("aliases") or {}).items()},
        platform_names=dict(data.get("platform_names") or {}),
        events={
            event: {prop: dict(values) for prop, values in (by or {}).items()}
            for event, by in (data.get("events") or {}).items()
        },
        types=dict(data.get("types") or {}),
        operations=operations,
        answers={k: tuple(v) for k, v in (svaml.get("answers") or {}).items()},
        no_instructions=tuple(svaml.get("no_instructions") or ()),
        answer_with_svaml=tuple(svaml.get("answer_with_svaml") or ()),
        unanswered=dict(svaml.get("unanswered") or {}),
        warn_unanswered=tuple(svaml.get("warn_unanswered") or ()),
        positional={k: tuple(v) for k, v in (svaml.get("positional") or {}).items()},
        allow=dict(data.get("allow") or {}),
    )


class IRBuilder:
    """One pass over the spec, collecting diagnostics instead of stopping at the first."""

    def __init__(self, spec: JSON, overrides: Overrides, spec_sha256: str) -> None:
        self.spec = spec
        self.o = overrides
        self.sha = spec_sha256
        self.schemas: dict[str, JSON] = spec.get("components", {}).get("schemas", {})
        self.problems: list[Diagnostic] = []
        self.models: dict[str, ir.Model] = {}
        self.enums: dict[str, ir.Enum] = {}
        self.unions: dict[str, ir.Union] = {}
        self.places: dict[str, str] = {}  # class name -> first place that took it
        self.components: dict[str, ir.TypeRef] = {}
        self.used: set[tuple[str, str]] = set()  # (override section, key) consulted
        self.tags: dict[str, tuple[str, str]] = {}  # member schema -> (property, tag)
        self.wire_names: set[str] = set()
        self._collect_tags()

    # -- entry ----------------------------------------------------------------------
    def build(self) -> ir.Api:
        for name in self.schemas:
            self.component(name)
        operations = self.operations()
        svaml = self.svaml_type()
        actions = self.answer_union(svaml)
        instructions = self.instruction_union(svaml)
        webhooks, action_targets = self.webhooks(svaml, actions)
        members = [
            *(actions.members if actions else ()),
            *(instructions.members if instructions else ()),
        ]
        positional = self.builder_positional(members)
        servers = _servers(self.spec)
        self.check_stale_overrides()
        if self.problems:
            raise GenerationError(
                self.problems, "the spec has constructs the generator cannot model"
            )
        info = self.spec.get("info", {})
        return ir.Api(
            title=info.get("title", ""),
            version=str(info.get("version", "")),
            description=info.get("description", ""),
            spec_sha256=self.sha,
            generator_version=__version__,
            models=tuple(sorted(self.models.values(), key=lambda m: m.name)),
            enums=tuple(sorted(self.enums.values(), key=lambda e: e.name)),
            unions=tuple(sorted(self.unions.values(), key=lambda u: u.name)),
            operations=operations,
            webhooks=webhooks,
            servers=servers,
            regions=self.regions(servers),
            security_schemes=self.security_schemes(),
            action_targets=action_targets,
            svaml_model=svaml.name if isinstance(svaml, ir.ModelRef) else None,
            action_models=tuple((m.tag, m.model) for m in actions.members) if actions else (),
            instruction_models=tuple((m.tag, m.model) for m in instructions.members)
            if instructions
            else (),
            positional=positional,
        )

    # -- names ------------------------------------------------------------------------
    def class_name(self, place: str, default: str) -> str:
        if place in self.o.classes:
            self.used.add(("classes", place))
            return self.o.classes[place]
        return default

    def attribute_name(self, wire: str) -> str:
        if wire in self.o.words:
            self.used.add(("words", wire))
            return self.o.words[wire]
        return naming.snake(wire)

    def claim(self, name: str, place: str, where: str, same_as_existing: bool) -> bool:
        """Whether ``place`` may use class ``name``; records a problem when it may not."""
        owner = self.places.get(name)
        if owner is None:
            self.places[name] = place
            return True
        if owner == place or same_as_existing:
            return False  # already built (or an identical shape shares the name)
        self.problems.append(
            Diagnostic(
                where,
                f"class name {name} is already used by {owner}; "
                "give one of them another name in overrides.yaml",
            )
        )
        return False

    # -- schemas ------------------------------------------------------------------------
    def _collect_tags(self) -> None:
        for schema in self.schemas.values():
            disc = schema.get("discriminator") if isinstance(schema, dict) else None
            if not disc:
                continue
            for tag, ref in (disc.get("mapping") or {}).items():
                self.tags[ref.rsplit("/", 1)[-1]] = (disc["propertyName"], tag)

    def component(self, name: str) -> ir.TypeRef:
        if name in self.components:
            return self.components[name]
        if name not in self.schemas:
            self.problems.append(
                Diagnostic(pointer("components", "schemas", name), "no such schema")
            )
            return ir.Primitive("any")
        # placeholder against recursion: a model refers to itself by name
        self.components[name] = ir.ModelRef(self.class_name(name, naming.pascal(name)))
        built = self.type_of(
            self.schemas[name], name, pointer("components", "schemas", name), naming.pascal(name)
        )
        self.components[name] = built
        return built

    def type_of(self, schema: JSON, place: str, where: str, class_default: str) -> ir.TypeRef:
        if not isinstance(schema, dict):
            self.problems.append(Diagnostic(where, "a schema must be an object"))
            return ir.Primitive("any")
        self.check_keywords(schema, where)
        if place in self.o.types:
            self.used.add(("types", place))
            return ir.Primitive(self.o.types[place])
        if "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/components/schemas/"):
                self.problems.append(Diagnostic(where, f"unsupported $ref {ref}"))
                return ir.Primitive("any")
            return self.component(ref.rsplit("/", 1)[-1])
        if "anyOf" in schema or "oneOf" in schema:
            return self.union(schema, place, where, class_default)
        kind = schema.get("type")
        if isinstance(kind, list):
            return self.unsupported(where, f"type {kind} (several types, or nullable)")
        if "enum" in schema:
            return self.enum(schema, place, where, class_default, open_=False)
        if kind == "string":
            if "x-enumDescriptions" in schema:
                return self.enum(schema, place, where, class_default, open_=True)
            return ir.Primitive("str")
        if kind in ("integer", "number", "boolean"):
            return ir.Primitive({"integer": "int", "number": "float", "boolean": "bool"}[kind])
        if kind == "array":
            if "items" not in schema:
                return self.unsupported(where, "an array without items")
            item = self.type_of(
                schema["items"], place + "[]", where + "/items", class_default + "Item"
            )
            return ir.ArrayOf(item, schema.get("minItems"), schema.get("maxItems"))
        if kind == "object" or "properties" in schema:
            if "properties" in schema:
                return self.model(schema, place, where, class_default)
            return ir.MapOf(ir.Primitive("any"))
        return self.unsupported(where, f"a schema without a type ({sorted(schema)})")

    def unsupported(self, where: str, what: str) -> ir.TypeRef:
        if where in self.o.allow:
            self.used.add(("allow", where))
            return ir.Primitive("any")
        self.problems.append(Diagnostic(where, f"the generator does not model {what}"))
        return ir.Primitive("any")

    def check_keywords(self, schema: JSON, where: str) -> None:
        for key in schema:
            if key in UNDERSTOOD or key in DOCUMENTED_ONLY:
                continue
            pointer_ = f"{where}/{key}"
            if pointer_ in self.o.allow:
                self.used.add(("allow", pointer_))
                continue
            self.problems.append(
                Diagnostic(pointer_, f"the generator does not understand the keyword {key!r}")
            )

    def model(self, schema: JSON, place: str, where: str, class_default: str) -> ir.TypeRef:
        name = self.class_name(place, class_default)
        tag = self.tags.get(place)
        required = set(schema.get("required", []))
        fields: list[ir.Field] = []
        seen: dict[str, str] = {}
        for wire, prop in schema["properties"].items():
            field_where = where + pointer("properties", wire)
            field_place = f"{place}.{wire}"
            self.wire_names.add(wire)
            py = self.attribute_name(wire)
            if py in seen:
                self.problems.append(
                    Diagnostic(
                        field_where,
                        f"attribute {py} is also the name of "
                        f"{seen[py]!r}; rename one in overrides.yaml",
                    )
                )
            seen[py] = wire
            is_tag = tag is not None and tag[0] == wire
            if is_tag:
                ftype: ir.TypeRef = ir.Primitive("str")
                self.check_keywords(prop, field_where)
            else:
                ftype = self.type_of(prop, field_place, field_where, name + naming.pascal(wire))
            description = prop.get("description", "")
            if not description and "$ref" in prop:
                description = self.schemas.get(prop["$ref"].rsplit("/", 1)[-1], {}).get(
                    "description", ""
                )
            aliases = self.aliases_for(place, wire)
            written = self.platform_name(place, wire)
            if written != wire:  # read both spellings, write the platform's
                aliases = (wire, *(a for a in aliases if a != written))
            fields.append(
                ir.Field(
                    wire_name=written,
                    py_name=py,
                    type=ftype,
                    required=wire in required or is_tag,
                    pointer=field_where,
                    description=description.strip(),
                    default=ir.NO_DEFAULT if is_tag else prop.get("default", ir.NO_DEFAULT),
                    deprecated=bool(prop.get("deprecated", False)),
                    tag=tag[1] if is_tag and tag is not None else None,
                    aliases=aliases,
                    spec_name=wire if written != wire else "",
                )
            )
        for wire in sorted(required - set(schema["properties"])):
            self.problems.append(
                Diagnostic(where + "/required", f"required property {wire!r} is not defined")
            )
        model = ir.Model(
            name=name,
            pointer=where,
            description=schema.get("description", "").strip(),
            fields=tuple(fields),
        )
        existing = self.models.get(name)
        same = existing is not None and _shape(existing) == _shape(model)
        if self.claim(name, place, where, same):
            self.models[name] = model
        return ir.ModelRef(name)

    def platform_name(self, place: str, wire: str) -> str:
        """The name the platform writes for a property the spec spells otherwise."""
        key = f"{place}.{wire}"
        if key in self.o.platform_names:
            self.used.add(("platform_names", key))
            return self.o.platform_names[key]
        return wire

    def aliases_for(self, place: str, wire: str) -> tuple[str, ...]:
        found: list[str] = []
        for key in (f"{place}.{wire}", f"*.{wire}"):
            if key in self.o.aliases:
                self.used.add(("aliases", key))
                found.extend(self.o.aliases[key])
        return tuple(found)

    def enum(
        self, schema: JSON, place: str, where: str, class_default: str, open_: bool
    ) -> ir.TypeRef:
        name = self.class_name(place, class_default)
        descriptions: dict[str, str] = {
            str(k): str(v) for k, v in (schema.get("x-enumDescriptions") or {}).items()
        }
        wires = [str(v) for v in schema["enum"]] if not open_ else list(descriptions)
        if schema.get("type", "string") != "string":
            return self.unsupported(where, f"an enum of type {schema.get('type')}")
        names = naming.distinct_constants(wires)
        enum = ir.Enum(
            name=name,
            pointer=where,
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
        if self.claim(name, place, where, same):
            self.enums[name] = enum
        return ir.EnumRef(name)

    def union(self, schema: JSON, place: str, where: str, class_default: str) -> ir.TypeRef:
        keyword = "anyOf" if "anyOf" in schema else "oneOf"
        disc = schema.get("discriminator")
        if not disc:
            return self.unsupported(where, f"{keyword} without a discriminator")
        name = self.class_name(place, class_default)
        refs = [m.get("$ref", "") for m in schema[keyword]]
        mapping = disc.get("mapping") or {r.rsplit("/", 1)[-1]: r for r in refs}
        if set(mapping.values()) != set(refs):
            self.problems.append(
                Diagnostic(
                    where + "/discriminator/mapping",
                    f"the mapping and {keyword} list different schemas",
                )
            )
        members = []
        for tag, ref in mapping.items():
            target = self.component(ref.rsplit("/", 1)[-1])
            if not isinstance(target, ir.ModelRef):
                self.problems.append(
                    Diagnostic(where, f"union member {ref} is not an object schema")
                )
                continue
            members.append(ir.UnionMember(tag=tag, model=target.name))
        union = ir.Union(
            name=name,
            pointer=where,
            description=schema.get("description", "").strip(),
            discriminator=disc["propertyName"],
            members=tuple(members),
            unknown=naming.unknown_member(name),
        )
        if self.claim(name, place, where, False):
            self.unions[name] = union
        return ir.UnionRef(name)

    # -- operations ---------------------------------------------------------------------
    def parameter(self, raw: JSON, where: str) -> ir.Parameter | None:
        if "$ref" in raw:
            pname = raw["$ref"].rsplit("/", 1)[-1]
            where = pointer("components", "parameters", pname)
            raw = self.spec["components"]["parameters"].get(pname)
            if raw is None:
                self.problems.append(Diagnostic(where, "no such parameter"))
                return None
        location = raw.get("in")
        if location not in ("path", "query", "header"):
            self.problems.append(Diagnostic(where, f"parameters in {location!r} are not supported"))
            return None
        wire = raw["name"]
        ptype = self.type_of(
            raw.get("schema", {"type": "string"}),
            f"parameter:{wire}",
            where + "/schema",
            naming.pascal(wire),
        )
        return ir.Parameter(
            wire_name=wire,
            py_name=self.attribute_name(wire),
            location=location,
            type=ptype,
            required=bool(raw.get("required", False)),
            description=raw.get("description", "").strip(),
            pointer=where,
        )

    def body(self, raw: JSON, where: str, place: str) -> ir.Body | None:
        if "$ref" in raw:
            name = raw["$ref"].rsplit("/", 1)[-1]
            where = pointer("components", "requestBodies", name)
            raw = self.spec["components"]["requestBodies"][name]
        content = raw.get("content") or {}
        if not content:
            return None
        if SUCCESS_MEDIA not in content:
            self.problems.append(
                Diagnostic(where + "/content", f"only {SUCCESS_MEDIA} bodies are supported")
            )
            return None
        media = content[SUCCESS_MEDIA]
        if "schema" not in media:
            return None  # an example with no schema: nothing says what the body is
        btype = self.type_of(
            media["schema"],
            place,
            where + pointer("content", SUCCESS_MEDIA, "schema"),
            naming.pascal(place),
        )
        return ir.Body(
            type=btype,
            media_type=SUCCESS_MEDIA,
            required=bool(raw.get("required", True)),
            description=raw.get("description", "").strip(),
        )

    def operations(self) -> tuple[ir.Operation, ...]:
        out: list[ir.Operation] = []
        for path, item in self.spec.get("paths", {}).items():
            item_where = pointer("paths", path)
            common = [
                self.parameter(p, f"{item_where}/parameters/{i}")
                for i, p in enumerate(item.get("parameters", []))
            ]
            servers = _servers(item)
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                op = item[method]
                where = f"{item_where}/{method}"
                op_id = op.get("operationId") or naming.pascal(f"{method} {path}")
                own = [
                    self.parameter(p, f"{where}/parameters/{i}")
                    for i, p in enumerate(op.get("parameters", []))
                ]
                params = [p for p in common + own if p is not None]
                override = self.o.operations.get(op_id)
                if override is not None:
                    self.used.add(("operations", op_id))
                    group, method_name = override.group, override.method
                else:
                    tags = op.get("tags") or ["default"]
                    group, method_name = naming.snake(tags[0]), naming.snake(op_id)
                request = (
                    self.body(op["requestBody"], where + "/requestBody", f"{op_id}Request")
                    if "requestBody" in op
                    else None
                )
                responses = []
                for status, response in op.get("responses", {}).items():
                    rbody = self.body(
                        response, f"{where}/responses/{status}", f"{op_id}Response{status}"
                    )
                    responses.append(
                        ir.Response(str(status), response.get("description", "").strip(), rbody)
                    )
                self.check_path_params(path, params, where)
                out.append(
                    ir.Operation(
                        operation_id=op_id,
                        group=group,
                        method_name=method_name,
                        http_method=method.upper(),
                        path=path,
                        pointer=where,
                        summary=op.get("summary", "").strip(),
                        description=op.get("description", "").strip(),
                        path_params=tuple(
                            sorted(
                                (p for p in params if p.location == "path"),
                                key=lambda p: path.index("{" + p.wire_name + "}"),
                            )
                        ),
                        query_params=tuple(p for p in params if p.location == "query"),
                        request_body=request,
                        responses=tuple(responses),
                        servers=servers,
                        deprecated=bool(op.get("deprecated", False)),
                        tags=tuple(op.get("tags", [])),
                        shortcuts=self.shortcuts(op_id, override, request, where),
                    )
                )
        names: dict[tuple[str, str], str] = {}
        for op in out:
            key = (op.group, op.method_name)
            if key in names:
                self.problems.append(
                    Diagnostic(
                        op.pointer,
                        f"{op.group}.{op.method_name} is also "
                        f"{names[key]}; name one in overrides.yaml",
                    )
                )
            names[key] = op.operation_id
        return tuple(out)

    def check_path_params(self, path: str, params: list[ir.Parameter], where: str) -> None:
        in_path = set(re.findall(r"\{([^}]+)\}", path))
        declared = {p.wire_name for p in params if p.location == "path"}
        if in_path != declared:
            self.problems.append(
                Diagnostic(
                    where, f"path parameters {sorted(in_path)} but declared {sorted(declared)}"
                )
            )

    def shortcuts(
        self, op_id: str, override: OperationOverride | None, body: ir.Body | None, where: str
    ) -> tuple[ir.Shortcut, ...]:
        if override is None or not override.shortcuts:
            return ()
        label = f"overrides.yaml operations.{op_id}.shortcuts"
        if (
            body is None
            or not isinstance(body.type, ir.ModelRef)
            or body.type.name not in self.models
        ):
            self.problems.append(Diagnostic(where, f"{label}: the operation has no object body"))
            return ()
        model = self.models[body.type.name]
        fields = {f.wire_name: f for f in model.fields}
        out = []
        for name, entry in override.shortcuts.items():
            field, payload = fields.get(entry["field"]), fields.get(entry["payload"])
            if field is None or payload is None or not isinstance(payload.type, ir.ModelRef):
                self.problems.append(
                    Diagnostic(
                        where,
                        f"{label}.{name}: {model.name} has no field "
                        f"{entry['field']!r} or object field {entry['payload']!r}",
                    )
                )
                continue
            member = entry["value"]
            enum = field.type.name if isinstance(field.type, ir.EnumRef) else None
            if enum is not None:
                values = {v.wire: v.py_name for v in self.enums[enum].values}
                if member not in values:
                    self.problems.append(
                        Diagnostic(where, f"{label}.{name}: {member!r} is not a value of {enum}")
                    )
                    continue
                member_name = values[member]
            else:
                member_name = ""
            out.append(
                ir.Shortcut(
                    name=name,
                    set_field=field.py_name,
                    value=member,
                    enum=enum,
                    value_py_name=member_name,
                    payload_field=payload.py_name,
                    payload_model=payload.type.name,
                )
            )
        return tuple(out)

    # -- webhooks and SVAML answers ------------------------------------------------------
    def webhooks(
        self, svaml_type: ir.TypeRef | None, action_union: ir.Union | None
    ) -> tuple[tuple[ir.Webhook, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
        raw = self.spec.get("webhooks", {})
        by_summary = {item.get("post", {}).get("summary", ""): event for event, item in raw.items()}
        events = set(raw)
        targets: dict[str, list[str]] = {}
        if action_union is not None:
            for member in action_union.members:
                model = self.models[member.model]
                targets[member.tag] = _events_in(model.description, by_summary)
        for tag, places in self.o.answers.items():
            self.used.add(("answers", tag))
            if tag not in targets:
                self.problems.append(
                    Diagnostic("", f"overrides.yaml svaml.answers: no SVAML action {tag!r}")
                )
                continue
            for place in places:
                if place not in events and place != "patch":
                    self.problems.append(
                        Diagnostic(
                            "",
                            f"overrides.yaml svaml.answers.{tag}: no callback "
                            f"{place!r} (known: {sorted(events)} and patch)",
                        )
                    )
                elif place not in targets[tag]:
                    targets[tag].append(place)
        for event in (
            *self.o.no_instructions,
            *self.o.answer_with_svaml,
            *self.o.unanswered,
            *self.o.warn_unanswered,
        ):
            if event not in events:
                self.problems.append(Diagnostic("", f"overrides.yaml svaml: no callback {event!r}"))
        for event, tag in self.o.unanswered.items():
            if tag not in targets or event not in targets[tag]:
                self.problems.append(
                    Diagnostic(
                        "",
                        f"overrides.yaml svaml.unanswered.{event}: {tag!r} is not an "
                        "action that callback accepts",
                    )
                )
        out = []
        for event, item in raw.items():
            op = item.get("post")
            where = pointer("webhooks", event, "post")
            if op is None:
                self.problems.append(
                    Diagnostic(pointer("webhooks", event), "webhooks must be POST")
                )
                continue
            request = self.body(
                op.get("requestBody", {}), where + "/requestBody", f"{event}Request"
            )
            if request is None or not isinstance(request.type, ir.ModelRef):
                self.problems.append(Diagnostic(where, "a webhook needs an object request body"))
                continue
            answer = self.body(
                op.get("responses", {}).get("200", {}), where + "/responses/200", f"{event}Answer"
            )
            response = answer.type if answer is not None else None
            if response is None and event in self.o.answer_with_svaml:
                response = svaml_type
            out.append(
                ir.Webhook(
                    variants=self.event_variants(event, where),
                    event=event,
                    operation_id=op.get("operationId", event),
                    pointer=where,
                    summary=op.get("summary", "").strip(),
                    description=op.get("description", "").strip(),
                    request=request.type.name,
                    response=response,
                    actions=tuple(tag for tag, places in targets.items() if event in places)
                    if response
                    else (),
                    instructions=response is not None and event not in self.o.no_instructions,
                    unanswered=self.o.unanswered.get(event),
                    warn_unanswered=event in self.o.warn_unanswered,
                )
            )
        return tuple(out), tuple((tag, tuple(places)) for tag, places in targets.items())

    def event_variants(self, event: str, where: str) -> tuple[ir.EventVariant, ...]:
        """The other models a callback's body may be (overrides.yaml ``events``)."""
        if event not in self.o.events:
            return ()
        self.used.add(("events", event))
        out = []
        for prop, values in self.o.events[event].items():
            for value, schema in values.items():
                target = self.component(schema) if schema in self.schemas else None
                if not isinstance(target, ir.ModelRef):
                    self.problems.append(
                        Diagnostic(
                            where,
                            f"overrides.yaml events.{event}.{prop}.{value}: "
                            f"no object schema {schema!r}",
                        )
                    )
                    continue
                out.append(ir.EventVariant(property=prop, value=value, model=target.name))
        return tuple(out)

    def answer_union(self, svaml: ir.TypeRef | None) -> ir.Union | None:
        """The union of SVAML actions: the ``action`` of what ICE answers with."""
        if not isinstance(svaml, ir.ModelRef):
            return None
        for field in self.models[svaml.name].fields:
            if isinstance(field.type, ir.UnionRef) and field.wire_name == "action":
                return self.unions[field.type.name]
        return None

    def instruction_union(self, svaml: ir.TypeRef | None) -> ir.Union | None:
        """The union of SVAML instructions: the items of the SVAML ``instructions`` array."""
        if not isinstance(svaml, ir.ModelRef):
            return None
        for field in self.models[svaml.name].fields:
            if isinstance(field.type, ir.ArrayOf) and isinstance(field.type.item, ir.UnionRef):
                return self.unions[field.type.item.name]
        return None

    def builder_positional(
        self, members: list[ir.UnionMember]
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The builder's positional arguments, checked against the SVAML models."""
        models = {m.tag: self.models[m.model] for m in members}
        out = []
        for tag, wires in self.o.positional.items():
            model = models.get(tag)
            if model is None:
                self.problems.append(
                    Diagnostic(
                        "",
                        f"overrides.yaml svaml.positional.{tag}: no such SVAML action "
                        "or instruction",
                    )
                )
                continue
            fields = {f.wire_name: f.py_name for f in model.fields}
            missing = [w for w in wires if w not in fields]
            if missing:
                self.problems.append(
                    Diagnostic(
                        "",
                        f"overrides.yaml svaml.positional.{tag}: {model.name} has no "
                        f"field {', '.join(missing)}",
                    )
                )
                continue
            out.append((tag, tuple(fields[w] for w in wires)))
        return tuple(out)

    def svaml_type(self) -> ir.TypeRef | None:
        """The type callbacks answer with: the first webhook 200 body that has a schema."""
        for event, item in self.spec.get("webhooks", {}).items():
            content = item.get("post", {}).get("responses", {}).get("200", {}).get("content", {})
            schema = content.get(SUCCESS_MEDIA, {}).get("schema")
            if schema is not None:
                return self.type_of(schema, f"{event}Answer", pointer("webhooks", event), "Answer")
        return None

    # -- document-wide --------------------------------------------------------------------
    def regions(self, servers: tuple[ir.Server, ...]) -> tuple[tuple[str, str], ...]:
        out = []
        for server in servers:
            match = re.match(r"https://calling-([a-z0-9]+)\.", server.url)
            if match:
                out.append((match.group(1), server.url))
        return tuple(out)

    def security_schemes(self) -> tuple[ir.SecurityScheme, ...]:
        out = []
        for name, raw in self.spec.get("components", {}).get("securitySchemes", {}).items():
            out.append(
                ir.SecurityScheme(
                    name=name,
                    kind=raw.get("type", ""),
                    scheme=raw.get("scheme", ""),
                    header=raw.get("name", "") if raw.get("in") == "header" else "",
                    description=raw.get("description", ""),
                )
            )
        return tuple(out)

    def check_stale_overrides(self) -> None:
        """Every override must still point at something the spec has."""
        sections: dict[str, dict[str, Any]] = {
            "classes": self.o.classes,
            "types": self.o.types,
            "operations": self.o.operations,
            "aliases": self.o.aliases,
            "platform_names": self.o.platform_names,
            "events": self.o.events,
            "allow": self.o.allow,
            "answers": self.o.answers,
        }
        for section, entries in sections.items():
            for key in entries:
                if (section, key) not in self.used:
                    label = "svaml.answers" if section == "answers" else section
                    self.problems.append(
                        Diagnostic(
                            "",
                            f"overrides.yaml {label}.{key}: the spec has no such "
                            "place any more (renamed or removed?)",
                        )
                    )
        for wire in self.o.words:
            if wire not in self.wire_names:
                self.problems.append(
                    Diagnostic("", f"overrides.yaml words.{wire}: no property has that wire name")
                )


def _servers(owner: JSON) -> tuple[ir.Server, ...]:
    """The ``servers`` of the document or of a path item."""
    return tuple(ir.Server(s["url"], s.get("description", "")) for s in owner.get("servers", []))


def _shape(model: ir.Model) -> tuple[tuple[str, str, ir.TypeRef, bool], ...]:
    return tuple((f.wire_name, f.py_name, f.type, f.required) for f in model.fields)


def _events_in(description: str, by_summary: dict[str, str]) -> list[str]:
    """Callbacks named in "Available to use in a response to ..." of an action's description."""
    match = re.search(r"Available to use in a response to (.+?)(?:\.\s|\.$)", description)
    if not match:
        return []
    sentence = match.group(1)
    return [event for summary, event in by_summary.items() if summary and summary in sentence]


def build_api(spec: JSON, overrides: Overrides, spec_sha256: str) -> ir.Api:
    return IRBuilder(spec, overrides, spec_sha256).build()
