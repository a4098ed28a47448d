"""Paths into operations: parameters, bodies, responses, servers and security.

Every parameter location the client can send (path, query, header) reaches the IR with
the encoding its ``style`` and ``explode`` ask for; what the client cannot send (a cookie,
a style it does not encode, a body that is not JSON) stops generation with its pointer
unless overrides.yaml ``allow`` lists it with a reason.
"""

from __future__ import annotations

import re

from .. import ir, naming
from ..diagnostics import pointer
from ..overrides import OperationOverride
from .context import JSON, JSON_MEDIA, Context
from .schemas import SchemaBuilder

HTTP_METHODS = ("get", "put", "post", "patch", "delete")
# the (location, style) pairs the client encodes
ENCODINGS = {("path", "simple"), ("query", "form"), ("header", "simple")}
DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple"}
# headers the client sets itself; OpenAPI says parameters of these names are ignored
RESERVED_HEADERS = {"accept", "content-type", "authorization", "x-timestamp"}
# the owner, in override keys, of the parameters of ``#/components/parameters``
SHARED_PARAMETERS = "parameters"


class OperationBuilder:
    def __init__(self, context: Context, schemas: SchemaBuilder) -> None:
        self.context = context
        self.schemas = schemas

    # -- parameters ---------------------------------------------------------------------
    def parameter(self, raw: JSON, at: str, owner: str) -> ir.Parameter | None:
        """One parameter; ``owner`` (an operationId or a path) scopes its override keys,
        except for a shared one (``$ref``), which its component owns."""
        if "$ref" in raw:
            name = raw["$ref"].rsplit("/", 1)[-1]
            at = pointer("components", "parameters", name)
            raw = self.context.spec.get("components", {}).get("parameters", {}).get(name)
            if raw is None:
                self.context.problem(at, "no such parameter")
                return None
            place = parameter_place(SHARED_PARAMETERS, name)
        else:
            place = parameter_place(owner, raw.get("name", ""))
        location = raw.get("in")
        if location not in DEFAULT_STYLE:
            if not self.context.allowed(at):
                self.context.problem(
                    at,
                    f"parameters in {location!r} are not supported (the client cannot send them)",
                )
            return None
        wire = raw["name"]
        style = raw.get("style", DEFAULT_STYLE[location])
        explode = bool(raw.get("explode", style == "form"))
        if (location, style) not in ENCODINGS and not self.context.allowed(at + "/style"):
            self.context.problem(
                at + "/style",
                f"the client does not encode {location} parameters in style {style!r}",
            )
        if location == "header" and wire.lower() in RESERVED_HEADERS:
            self.context.problem(at, f"the client sets the {wire} header itself")
        ptype = self.schemas.type_of(
            raw.get("schema", {"type": "string"}),
            place,
            at + "/schema",
            naming.pascal(wire),
        )
        if isinstance(ptype, (ir.ModelRef, ir.UnionRef, ir.MapOf)) or (
            isinstance(ptype, ir.ArrayOf) and not isinstance(ptype.item, (ir.Primitive, ir.EnumRef))
        ):
            self.context.problem(
                at + "/schema", "the client encodes scalars and lists of scalars only"
            )
        return ir.Parameter(
            wire_name=wire,
            py_name=self.schemas.attribute_name(wire),
            location=location,
            type=ptype,
            required=bool(raw.get("required", False)),
            description=raw.get("description", "").strip(),
            explode=explode,
        )

    # -- bodies -------------------------------------------------------------------------
    def body(self, raw: JSON, at: str, place: str) -> ir.Body | None:
        if "$ref" in raw:
            name = raw["$ref"].rsplit("/", 1)[-1]
            at = pointer("components", "requestBodies", name)
            raw = self.context.spec["components"]["requestBodies"][name]
        content = raw.get("content") or {}
        if not content:
            return None
        if JSON_MEDIA not in content:
            if not self.context.allowed(at + "/content"):
                self.context.problem(
                    at + "/content",
                    f"only {JSON_MEDIA} bodies are supported, not {', '.join(sorted(content))}",
                )
            return None
        media = content[JSON_MEDIA]
        if "schema" not in media:
            return None  # an example with no schema: nothing says what the body is
        body_type = self.schemas.type_of(
            media["schema"],
            place,
            at + pointer("content", JSON_MEDIA, "schema"),
            naming.pascal(place),
        )
        return ir.Body(type=body_type, description=raw.get("description", "").strip())

    # -- operations ---------------------------------------------------------------------
    def operations(self) -> tuple[ir.Operation, ...]:
        out: list[ir.Operation] = []
        for path, item in self.context.spec.get("paths", {}).items():
            item_at = pointer("paths", path)
            shared = [
                self.parameter(p, f"{item_at}/parameters/{i}", path)
                for i, p in enumerate(item.get("parameters", []))
            ]
            servers = servers_of(item)
            for method in HTTP_METHODS:
                if method in item:
                    out.append(self.operation(path, method, item[method], shared, servers))
        self.check_method_names(out)
        return tuple(out)

    def operation(
        self,
        path: str,
        method: str,
        op: JSON,
        shared: list[ir.Parameter | None],
        servers: tuple[ir.Server, ...],
    ) -> ir.Operation:
        at = f"{pointer('paths', path)}/{method}"
        op_id = op.get("operationId") or naming.pascal(f"{method} {path}")
        own = [
            self.parameter(p, f"{at}/parameters/{i}", op_id)
            for i, p in enumerate(op.get("parameters", []))
        ]
        params = _merge([p for p in shared if p is not None], [p for p in own if p is not None])
        override: OperationOverride | None = self.context.usage.lookup("operations", op_id)
        if override is not None:
            group, method_name = override.group, override.method
        else:
            tags = op.get("tags") or ["default"]
            group, method_name = naming.snake(tags[0]), naming.snake(op_id)
        request = (
            self.body(op["requestBody"], at + "/requestBody", f"{op_id}Request")
            if "requestBody" in op
            else None
        )
        responses = tuple(
            ir.Response(
                str(status),
                response.get("description", "").strip(),
                self.body(response, f"{at}/responses/{status}", f"{op_id}Response{status}"),
            )
            for status, response in op.get("responses", {}).items()
        )
        self.check_path_params(path, params, at)
        self.check_keyword_names(params, request, at)
        return ir.Operation(
            operation_id=op_id,
            group=group,
            method_name=method_name,
            http_method=method.upper(),
            path=path,
            pointer=at,
            summary=op.get("summary", "").strip(),
            description=op.get("description", "").strip(),
            path_params=tuple(
                sorted(
                    (p for p in params if p.location == "path"),
                    key=lambda p: path.index("{" + p.wire_name + "}"),
                )
            ),
            query_params=tuple(p for p in params if p.location == "query"),
            header_params=tuple(p for p in params if p.location == "header"),
            request_body=request,
            responses=responses,
            servers=servers,
            deprecated=bool(op.get("deprecated", False)),
            tags=tuple(op.get("tags", [])),
            shortcuts=self.shortcuts(op_id, override, request, at),
        )

    def check_path_params(self, path: str, params: list[ir.Parameter], at: str) -> None:
        in_path = set(re.findall(r"\{([^}]+)\}", path))
        declared = {p.wire_name for p in params if p.location == "path"}
        if in_path != declared:
            self.context.problem(
                at, f"path parameters {sorted(in_path)} but declared {sorted(declared)}"
            )

    def check_keyword_names(
        self, params: list[ir.Parameter], request: ir.Body | None, at: str
    ) -> None:
        """Parameters and body fields share one keyword namespace in the client method."""
        names = [p.py_name for p in params]
        if request is not None and isinstance(request.type, ir.ModelRef):
            model = self.schemas.models.get(request.type.name)
            names += [f.py_name for f in model.fields if f.tag is None] if model else []
        names += ["body", "timeout"]
        clashes = sorted({n for n in names if names.count(n) > 1})
        if clashes:
            self.context.problem(
                at,
                f"parameters and body fields share the names {clashes}; rename in overrides.yaml",
            )

    def check_method_names(self, operations: list[ir.Operation]) -> None:
        names: dict[tuple[str, str], str] = {}
        for op in operations:
            key = (op.group, op.method_name)
            if key in names:
                self.context.problem(
                    op.pointer,
                    f"{op.group}.{op.method_name} is also {names[key]}; name one in overrides.yaml",
                )
            names[key] = op.operation_id

    def shortcuts(
        self, op_id: str, override: OperationOverride | None, body: ir.Body | None, at: str
    ) -> tuple[ir.Shortcut, ...]:
        if override is None or not override.shortcuts:
            return ()
        label = f"overrides.yaml operations.{op_id}.shortcuts"
        model = (
            self.schemas.models.get(body.type.name)
            if body is not None and isinstance(body.type, ir.ModelRef)
            else None
        )
        if model is None:
            self.context.problem(at, f"{label}: the operation has no object body")
            return ()
        fields = {f.wire_name: f for f in model.fields}
        out = []
        for name, entry in override.shortcuts.items():
            field, payload = fields.get(entry["field"]), fields.get(entry["payload"])
            if field is None or payload is None or not isinstance(payload.type, ir.ModelRef):
                self.context.problem(
                    at,
                    f"{label}.{name}: {model.name} has no field {entry['field']!r} or object "
                    f"field {entry['payload']!r}",
                )
                continue
            value = entry["value"]
            enum = field.type.name if isinstance(field.type, ir.EnumRef) else None
            member = ""
            if enum is not None:
                members = {v.wire: v.py_name for v in self.schemas.enums[enum].values}
                if value not in members:
                    self.context.problem(at, f"{label}.{name}: {value!r} is not a value of {enum}")
                    continue
                member = members[value]
            out.append(
                ir.Shortcut(
                    name=name,
                    set_field=field.py_name,
                    value=value,
                    enum=enum,
                    value_py_name=member,
                    payload_field=payload.py_name,
                    payload_model=payload.type.name,
                )
            )
        return tuple(out)

    # -- the document's own ---------------------------------------------------------------
    def security_schemes(self) -> tuple[ir.SecurityScheme, ...]:
        schemes = self.context.spec.get("components", {}).get("securitySchemes", {})
        return tuple(
            ir.SecurityScheme(
                name=name,
                kind=raw.get("type", ""),
                scheme=raw.get("scheme", ""),
                header=raw.get("name", "") if raw.get("in") == "header" else "",
            )
            for name, raw in schemes.items()
        )


def parameter_place(owner: str, name: str) -> str:
    """A parameter's place in override keys: ``OWNER(NAME)``, where the owner is the
    operationId, the path of a path item, or ``parameters`` for a shared component
    (``Calling_QueryNumber(state)``, ``parameters(callLeg)``)."""
    return f"{owner}({name})"


def servers_of(owner: JSON) -> tuple[ir.Server, ...]:
    """The ``servers`` of the document or of a path item."""
    return tuple(ir.Server(s["url"], s.get("description", "")) for s in owner.get("servers", []))


def regions(servers: tuple[ir.Server, ...]) -> dict[str, str]:
    """Regional hosts (``https://calling-euc1.api.sinch.com``) by region."""
    found = {}
    for server in servers:
        match = re.match(r"https://calling-([a-z0-9]+)\.", server.url)
        if match:
            found[match.group(1)] = server.url
    return found


def _merge(shared: list[ir.Parameter], own: list[ir.Parameter]) -> list[ir.Parameter]:
    """An operation's parameters: its own replace the path item's of the same name and place."""
    replaced = {(p.wire_name, p.location) for p in own}
    return [p for p in shared if (p.wire_name, p.location) not in replaced] + own
