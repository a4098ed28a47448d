"""The surface of an IR: what a user of the generated package can touch, as plain JSON.

Keys are the spec's identities (operationId, JSON pointer, wire name), so that two
surfaces line up even when Python names change; each record carries its Python name and
what the change report classifies by: types as the package spells them, required-ness,
nullability (read from the spec: the IR has no such notion), defaults, and the direction
of each model and enum (``sent`` by the user, ``read`` by it, ``both``, or ``neither``).
``api/generated-from.json`` is the surface of what ``generated/`` was last made from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import ir
from .diagnostics import pointer as json_pointer

JSON = Any
SURFACE_FORMAT = 1


def type_name(ref: ir.TypeRef | None) -> str | None:
    """A type as a user reads it in the package: ``str``, ``list[Destination]``."""
    if ref is None:
        return None
    if isinstance(ref, ir.Primitive):
        return ref.kind
    if isinstance(ref, ir.ArrayOf):
        return f"list[{type_name(ref.item)}]"
    if isinstance(ref, ir.MapOf):
        return f"dict[str, {type_name(ref.value)}]"
    return ref.name


def resolve(spec: JSON, at: str) -> JSON:
    """The value at JSON pointer ``at``, or None."""
    node = spec
    for part in at.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node


def _nullable(schema: JSON) -> bool:
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    variants = schema.get("anyOf") or schema.get("oneOf") or []
    return (
        schema.get("nullable") is True
        or (isinstance(kind, list) and "null" in kind)
        or any(isinstance(v, dict) and v.get("type") == "null" for v in variants)
    )


class _Directions:
    """Which named types the user sends (requests, SVAML answers) and which it reads."""

    def __init__(self, api: ir.Api) -> None:
        self.models = {m.name: m for m in api.models}
        self.unions = {u.name: u for u in api.unions}
        self.seen: dict[str, set[str]] = {}
        for op in api.operations:
            for param in (*op.path_params, *op.query_params, *op.header_params):
                self.walk(param.type, "sent")
            if op.request_body is not None:
                self.walk(op.request_body.type, "sent")
            for response in op.responses:
                if response.body is not None:
                    self.walk(response.body.type, "read")
        for hook in api.webhooks:
            self.walk(ir.ModelRef(hook.request), "read")
            for variant in hook.variants:
                self.walk(ir.ModelRef(variant.model), "read")
            self.walk(hook.response, "sent")

    def walk(self, ref: ir.TypeRef | None, way: str) -> None:
        if ref is None or isinstance(ref, ir.Primitive):
            return
        if isinstance(ref, ir.ArrayOf):
            self.walk(ref.item, way)
            return
        if isinstance(ref, ir.MapOf):
            self.walk(ref.value, way)
            return
        ways = self.seen.setdefault(ref.name, set())
        if way in ways:
            return
        ways.add(way)
        if isinstance(ref, ir.ModelRef) and ref.name in self.models:
            for field in self.models[ref.name].fields:
                self.walk(field.type, way)
        elif isinstance(ref, ir.UnionRef) and ref.name in self.unions:
            union = self.unions[ref.name]
            for member in union.members:
                self.walk(ir.ModelRef(member.model), way)
            self.walk(ir.ModelRef(union.unknown), way)

    def of(self, name: str) -> str:
        ways = self.seen.get(name, set())
        return "both" if len(ways) == 2 else next(iter(ways), "neither")


def surface(api: ir.Api, spec: JSON | None = None) -> dict[str, Any]:
    """What users of the package generated from ``api`` can touch, as plain JSON.

    ``spec`` (the effective spec) supplies what the IR does not keep: nullability.
    """
    ways = _Directions(api)
    operations: dict[str, Any] = {}
    for op in api.operations:
        params = {
            f"{p.location}:{p.wire_name}": {
                "python": p.py_name,
                "type": type_name(p.type),
                "required": p.required,
            }
            for p in (*op.path_params, *op.query_params, *op.header_params)
        }
        success = op.success
        operations[op.operation_id] = {
            "python": f"VoiceClient.{op.group}.{op.method_name}",
            "http": f"{op.http_method} {op.path}",
            "pointer": op.pointer,
            "parameters": params,
            "body": type_name(op.request_body.type) if op.request_body else None,
            "response": type_name(success.body.type) if success and success.body else None,
            "shortcuts": sorted(s.name for s in op.shortcuts),
            "deprecated": op.deprecated,
        }
    models: dict[str, Any] = {}
    for model in api.models:
        fields: dict[str, Any] = {}
        for field in model.fields:
            spec_name = field.spec_name or field.wire_name
            record: dict[str, Any] = {
                "python": field.py_name,
                "wire": field.wire_name,
                "type": type_name(field.type),
                "required": field.required,
                "nullable": _nullable(
                    resolve(spec, model.pointer + json_pointer("properties", spec_name))
                ),
                "deprecated": field.deprecated,
            }
            if field.default is not ir.NO_DEFAULT:
                record["default"] = field.default
            fields[spec_name] = record
        models[model.pointer] = {
            "name": model.name,
            "direction": ways.of(model.name),
            "fields": fields,
        }
    enums = {
        enum.pointer: {
            "name": enum.name,
            "open": enum.open,
            "direction": ways.of(enum.name),
            "values": {value.wire: value.py_name for value in enum.values},
        }
        for enum in api.enums
    }
    unions = {
        union.pointer: {
            "name": union.name,
            "direction": ways.of(union.name),
            "members": {member.tag: member.model for member in union.members},
        }
        for union in api.unions
    }
    webhooks = {
        hook.event: {
            "python": f"Dispatcher.on_{hook.event}",
            "pointer": hook.pointer,
            "request": hook.request,
            "response": type_name(hook.response),
            "actions": sorted(hook.actions),
            "instructions": hook.instructions,
            "default_action": hook.default_action,
        }
        for hook in api.webhooks
    }
    checks = api.svaml_checks
    svaml = {
        "actions": {
            m.tag: {"model": m.model, "callbacks": sorted(api.action_targets.get(m.tag, ()))}
            for m in api.members(api.action_union)
        },
        "instructions": {m.tag: m.model for m in api.members(api.instruction_union)},
        "unions": sorted(u for u in (api.action_union, api.instruction_union) if u),
        "checks": {
            "dtmf": {k: list(v) for k, v in checks.dtmf_fields.items()},
            "text_limits": {k: list(v) for k, v in checks.text_limits.items()},
            "text_limit": checks.text_limit,
            "prompts": {k: list(v) for k, v in checks.prompt_fields.items()},
        }
        if checks is not None
        else None,
    }
    return {
        "format": SURFACE_FORMAT,
        "title": api.title,
        "version": api.version,
        "spec_sha256": api.spec_sha256,
        "overrides_sha256": api.overrides_sha256,
        "generator_version": api.generator_version,
        "operations": operations,
        "models": models,
        "enums": enums,
        "unions": unions,
        "webhooks": webhooks,
        "svaml": svaml,
        "servers": {s.url: s.description for s in api.servers},
        "regions": dict(api.regions),
        "security": {
            s.name: {"kind": s.kind, "scheme": s.scheme, "header": s.header}
            for s in api.security_schemes
        },
    }


def dumps_surface(data: Mapping[str, Any]) -> str:
    """The committed form: sorted keys, one value per line, so that diffs stay readable."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
