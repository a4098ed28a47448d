"""The client: method signatures, request bodies and parameters, docs (``client.py``)."""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
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
        "update_actions": lambda op: update_actions(op, api),
        "body_fields": settable_fields,
        "signature": lambda op: signature(op, api),
        "overloads": lambda op: overloads(op, api),
        "shortcut_overloads": shortcut_overloads,
        "operation_doc": lambda op: operation_doc(op, api),
        "request_fields": request_fields,
        "return_type": return_type,
        "shortcut_doc": shortcut_doc,
        "shortcut_signature": shortcut_signature,
        "shortcut_value": shortcut_value,
    }


@dataclasses.dataclass(frozen=True)
class Flavour:
    """What differs between the blocking and the asyncio client, and nothing else: both
    are rendered by one loop over the same operations."""

    client: str  # the client class
    base: str  # its runtime base class
    prefix: str  # of its group classes
    define: str  # how a method is defined
    wait: str  # put before a call to another method of the client
    summary: str
    options: tuple[str, ...]  # the docstring's lines on hooks and transport


FLAVOURS = (
    Flavour(
        client="VoiceClient",
        base="BaseClient",
        prefix="",
        define="def",
        wait="",
        summary="A client for the {title}: each call blocks until it is answered.",
        options=(
            '``event_hooks`` (``{"request": [...], "response": [...]}``). Transport:',
            "``proxy`` (else ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` unless",
            "``trust_env=False``), ``ca_certs``, or ``http_client`` (a ``urllib3.PoolManager`` of",
            "yours, which ``close()`` leaves open). Use it as a context manager, or call",
            "``close()``.",
        ),
    ),
    Flavour(
        client="AsyncVoiceClient",
        base="AsyncBaseClient",
        prefix="Async",
        define="async def",
        wait="await ",
        summary=(
            "A client for the {title} on asyncio: the same methods as ``VoiceClient``, awaited."
        ),
        options=(
            '``event_hooks`` (``{"request": [...], "response": [...]}``: ``async def`` hooks',
            "are awaited, plain functions called). Transport (aiohttp: ``pip install",
            "'sinch-voice[aiohttp]'``): ``proxy`` (else aiohttp reads ``HTTPS_PROXY``/",
            "``HTTP_PROXY``/``NO_PROXY`` unless ``trust_env=False``), ``ca_certs``, or",
            "``http_client`` (an ``aiohttp.ClientSession`` of yours, which ``close()`` leaves",
            "open). Use it with ``async with``, or ``await client.close()``; one client serves",
            "one event loop.",
        ),
    ),
)


def context(api: ir.Api) -> dict[str, Any]:
    return {
        "flavours": [
            dataclasses.replace(f, summary=f.summary.format(title=api.title)) for f in FLAVOURS
        ],
        "signed_header": signed_header(api),
        "platform_domain": platform_domain(api),
        "authentication": authentication_doc(api),
    }


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


def update_actions(operation: ir.Operation, api: ir.Api) -> tuple[str, ...]:
    """The actions a body of SVAML may carry to a live call (the ``patch`` place, as the
    ``call_update`` builder offers them), for operations whose body is that document."""
    body = operation.request_body
    if body is None or not isinstance(body.type, ir.ModelRef):
        return ()
    if body.type.name != api.svaml_model:
        return ()
    return tuple(sorted(tag for tag, places in api.action_targets.items() if "patch" in places))


def path_expression(operation: ir.Operation) -> str:
    """The path: a literal, or its pieces joined with each path parameter's encoded value
    (``path_segment``), written out so that a call does no template work."""
    if not operation.path_params:
        return literal(operation.path)
    by_wire_name = {p.wire_name: p for p in operation.path_params}
    pieces = []
    for index, piece in enumerate(re.split(r"\{([^{}]+)\}", operation.path)):
        if index % 2 == 0:  # the text between parameters
            if piece:
                pieces.append(literal(piece))
        else:
            param = by_wire_name[piece]
            pieces.append(f"path_segment({param.py_name}, {literal(param.wire_name)})")
    return " + ".join(pieces)


def parameter_annotation(param: ir.Parameter) -> str:
    return argument_annotation(param.type)


def signature(operation: ir.Operation, api: ir.Api) -> str:
    """A client method's parameters: path parameters, the body or its fields (all
    optional: the implementation behind the overloads), then the query and header
    parameters (keyword-only), then ``timeout``."""
    model = body_model(operation, api)
    body = _body_parameters(model) if model is not None else ["*"]
    return _parameters(operation, body)


def overloads(operation: ir.Operation, api: ir.Api) -> list[str]:
    """The typed ways to call a method that takes a body: the whole model, or its fields
    as keywords with the required ones required (so that a type checker flags a missing
    one). None when no field is required: the one signature says it all then."""
    model = body_model(operation, api)
    if model is None or not required_fields(model):
        return []
    return [
        _parameters(operation, [f"body: {model.name}", "*"]),
        _parameters(operation, ["*", *_field_parameters(model)]),
    ]


def _parameters(operation: ir.Operation, body: list[str]) -> str:
    parts = ["self"]
    parts += [f"{p.py_name}: {parameter_annotation(p)}" for p in operation.path_params]
    parts += body
    for param in (*operation.query_params, *operation.header_params):
        kind = parameter_annotation(param)
        parts.append(
            f"{param.py_name}: {kind}"
            if param.required
            else f"{param.py_name}: {kind} | Unset = UNSET"
        )
    parts.append("timeout: Timeout | None = None")
    return ", ".join(parts)


def required_fields(model: ir.Model) -> list[ir.Field]:
    return [f for f in settable_fields(model) if f.required]


def request_fields(operation: ir.Operation, body: str = "") -> list[tuple[str, str]]:
    """The keyword values of an operation's ``Request``, as (name, Python expression):
    what it is, where it goes, what it sends and what its answer is read into. ``body``
    names the variable holding the body model, when the operation has one."""
    fields = [
        ("operation", literal(operation.operation_id)),
        ("method", literal(operation.http_method)),
        ("path", path_expression(operation)),
        ("response", response_model(operation)),
    ]
    if operation.servers:
        fields.append(("server", literal(operation.servers[0].url)))
    if operation.query_params:
        items = ", ".join(
            f"({literal(p.wire_name)}, {p.py_name}, {p.explode})" for p in operation.query_params
        )
        fields.append(("query", f"query_pairs([{items}])"))
    if operation.header_params:
        items = ", ".join(f"({literal(p.wire_name)}, {p.py_name})" for p in operation.header_params)
        fields.append(("headers", f"header_values([{items}])"))
    if body:
        fields.append(("body", body))
    fields.append(("timeout", "timeout"))
    return fields


def response_model(operation: ir.Operation) -> str:
    """What the answer is read into: its model, or ``NO_CONTENT``."""
    kind = return_type(operation)
    return "NO_CONTENT" if kind == "None" else kind


def return_type(operation: ir.Operation) -> str:
    success = operation.success
    if success is None or success.body is None:
        return "None"
    return annotation(success.body.type)


VENDOR_REFERENCE = "https://developers.sinch.com/docs/voice/api-reference/voice/"


def operation_doc(operation: ir.Operation, api: ir.Api) -> str:
    lines = []
    if operation.deprecated:
        lines.append("Deprecated by the vendor: calling it warns (DeprecationWarning).")
    model = body_model(operation, api)
    if model is not None:
        lines.append(f"Pass a ``{model.name}`` or its fields as keyword arguments.")
    # the vendor's reference (Redocly) has a page per tag and an anchor per operation
    link = VENDOR_REFERENCE
    if operation.tags:
        tag = operation.tags[0]
        link += f"tag/{tag}/#tag/{tag}/operation/{operation.operation_id}"
    title = (operation.summary or operation.operation_id).rstrip(".")
    lines.append(f"``{operation.http_method} {operation.path}``: [{title}]({link}).")
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


def group_doc(group: str, api: ir.Api) -> str:
    names = ", ".join(f"``{op.method_name}``" for op in api.operations if op.group == group)
    return docstring(f"The {group} operations: {names}.", 4)


def shortcut_signature(operation: ir.Operation, payload: ir.Model) -> str:
    """A shortcut's parameters: the sub-object's fields (the operation has no path params)."""
    return ", ".join(["self", *_body_parameters(payload), "timeout: Timeout | None = None"])


def shortcut_overloads(operation: ir.Operation, payload: ir.Model) -> list[str]:
    """As ``overloads``, for a shortcut's sub-object."""
    if not required_fields(payload):
        return []
    timeout = "timeout: Timeout | None = None"
    return [
        f"self, body: {payload.name}, *, {timeout}",
        ", ".join(["self", "*", *_field_parameters(payload), timeout]),
    ]


def _body_parameters(model: ir.Model) -> list[str]:
    """``body`` (a whole model) or its fields as keyword arguments, all optional."""
    return [
        f"body: {model.name} | None = None",
        "*",
        *(f"{f.py_name}: {field_argument(f)} | Unset = UNSET" for f in settable_fields(model)),
    ]


def _field_parameters(model: ir.Model) -> list[str]:
    """A model's fields as keyword arguments: the required ones without a default."""
    return [
        f"{f.py_name}: {field_argument(f)}"
        if f.required
        else f"{f.py_name}: {field_argument(f)} | Unset = UNSET"
        for f in settable_fields(model)
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


def platform_domain(api: ir.Api) -> str:
    """The domain under which the platform's regional hosts live: the default server's
    host without its first label (``calling.api.sinch.com`` -> ``api.sinch.com``).
    ``for_call`` sends signed requests to hosts under it and nowhere else."""
    if not api.servers:
        return ""
    host = urllib.parse.urlsplit(api.servers[0].url).hostname or ""
    labels = host.split(".")
    return ".".join(labels[1:]) if len(labels) > 2 else host
