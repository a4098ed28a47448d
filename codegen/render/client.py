"""The client: method signatures, request bodies and parameters, docs (``client.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import ir, naming
from .models import argument_annotation, field_argument, settable_fields
from .python import annotation, docstring, literal


def filters(api: ir.Api) -> dict[str, Callable[..., Any]]:
    return {
        "group_class": naming.client_group,
        "group_doc": lambda group: group_doc(group, api),
        "body_model": lambda op: body_model(op, api),
        "body_fields": settable_fields,
        "signature": lambda op: signature(op, api),
        "sent_parameters": sent_parameters,
        "operation_doc": lambda op: operation_doc(op, api),
        "path_expression": path_expression,
        "return_type": return_type,
        "server_literal": server_literal,
        "shortcut_doc": shortcut_doc,
        "shortcut_signature": shortcut_signature,
        "shortcut_value": shortcut_value,
    }


def context(api: ir.Api) -> dict[str, Any]:
    return {"signed_header": signed_header(api), "authentication": authentication_doc(api)}


def authentication_doc(api: ir.Api) -> list[str]:
    """How the spec's security schemes map to the client's ``auth`` option, one a line."""
    ways = []
    for scheme in api.security_schemes:
        if scheme.kind == "apiKey" and scheme.header:
            ways.append(f"``{scheme.name}``: signed, in the ``{scheme.header}`` header (default)")
        elif scheme.kind == "http" and scheme.scheme == "basic":
            ways.append(f'``{scheme.name}``: HTTP Basic (``auth="basic"``)')
    return ways


def body_model(operation: ir.Operation, api: ir.Api) -> ir.Model | None:
    body = operation.request_body
    if body is not None and isinstance(body.type, ir.ModelRef):
        return api.model(body.type.name)
    return None


def path_expression(operation: ir.Operation) -> str:
    """The path: a literal, or ``expand_path`` filling in the (encoded) path parameters."""
    if not operation.path_params:
        return literal(operation.path)
    values = ", ".join(f"{literal(p.wire_name)}: {p.py_name}" for p in operation.path_params)
    return f"expand_path({literal(operation.path)}, {{{values}}})"


def parameter_annotation(param: ir.Parameter) -> str:
    return argument_annotation(param.type)


def signature(operation: ir.Operation, api: ir.Api, model: ir.Model | None = None) -> str:
    """A client method's parameters: path parameters, the body or its fields, then the query
    and header parameters (keyword-only), then ``timeout``."""
    parts = ["self"]
    parts += [f"{p.py_name}: {parameter_annotation(p)}" for p in operation.path_params]
    model = model or body_model(operation, api)
    if model is not None:
        parts += _body_parameters(model)
    else:
        parts.append("*")
    for param in (*operation.query_params, *operation.header_params):
        kind = parameter_annotation(param)
        parts.append(
            f"{param.py_name}: {kind}"
            if param.required
            else f"{param.py_name}: {kind} | Unset = UNSET"
        )
    parts.append("timeout: Timeout | None = None")
    return ", ".join(parts)


def sent_parameters(operation: ir.Operation) -> str:
    """``, query=..., headers=...`` for the transport call: the operation's query and header
    parameters (nothing when it has none)."""
    out = ""
    if operation.query_params:
        items = ", ".join(
            f"({literal(p.wire_name)}, {p.py_name}, {p.explode})" for p in operation.query_params
        )
        out += f", query=query_pairs([{items}])"
    if operation.header_params:
        items = ", ".join(f"({literal(p.wire_name)}, {p.py_name})" for p in operation.header_params)
        out += f", headers=header_values([{items}])"
    return out


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
    tags = f"; tags: {', '.join(operation.tags)}" if operation.tags else ""
    lines.append(
        f"``{operation.http_method} {operation.path}`` ({operation.operation_id}{tags}; spec "
        f"``#{operation.pointer}``)."
    )
    text = operation.summary
    if operation.description and operation.description != operation.summary:
        text = f"{text}\n\n{operation.description}" if text else operation.description
    params = [
        f"``{p.py_name}``: {p.description or p.wire_name} ({p.location} ``{p.wire_name}``)"
        for p in (*operation.query_params, *operation.header_params)
    ]
    if params:
        text += "\n\n" + "\n".join(f"- {line}" for line in params)
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
    """``body`` (a whole model) or its fields as keyword arguments."""
    return [
        f"body: {model.name} | None = None",
        "*",
        *(f"{f.py_name}: {field_argument(f)} | Unset = UNSET" for f in settable_fields(model)),
    ]


def shortcut_value(shortcut: ir.Shortcut) -> str:
    """The value a shortcut fixes: its enum member, or the plain string."""
    if shortcut.enum is None:
        return literal(shortcut.value)
    return f"{shortcut.enum}.{shortcut.value_py_name}"


def signed_header(api: ir.Api) -> str:
    """The header of the spec's signed (apiKey-in-header) scheme; ``Authorization`` if none."""
    return next(
        (s.header for s in api.security_schemes if s.kind == "apiKey" and s.header), "Authorization"
    )
