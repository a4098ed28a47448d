"""The spec's JSON Schema, as the platform checks requests and answers against it.

The effective spec ships beside this module as package data (``spec.json``, written by
the generator), read through ``importlib.resources`` so that it is found in a wheel, a
zip or a vendored copy alike. Checked with ``jsonschema`` (an optional extra:
``sinch-voice[testing]``), never with the package's own converters, so that the package
is never checked against itself. Object schemas that list their properties are closed,
as the platform refuses what it does not know.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

SPEC_URI = "urn:sinch-voice-spec"


class SchemaUnavailableError(RuntimeError):
    """``jsonschema`` is not installed."""


@functools.cache
def spec() -> dict[str, Any]:
    """The effective spec, as the generator wrote it into the package."""
    text = resources.files(__name__.rpartition(".")[0]).joinpath("spec.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@functools.cache
def _registry() -> Any:
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
    except ImportError:
        raise SchemaUnavailableError(
            "the local platform checks bodies with jsonschema: pip install 'sinch-voice[testing]'"
        ) from None
    closed = copy.deepcopy(spec())

    def close(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                node.setdefault("unevaluatedProperties", False)
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(closed)
    return Registry().with_resource(
        SPEC_URI, Resource.from_contents(closed, default_specification=DRAFT202012)
    )


@functools.cache
def _validator(pointer: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=_registry())


def available() -> None:
    """Raise ``SchemaUnavailableError`` now rather than on the first request."""
    _registry()


def problems(pointer: str, document: Any) -> list[str]:
    """Why ``document`` does not fit the schema at ``pointer`` (empty when it does)."""
    found = []
    for error in _validator(pointer).iter_errors(document):
        where = "$" + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
        )
        found.append(f"{where}: {error.message[:200]}")
    return sorted(found)


def resolve(pointer: str) -> Any:
    node: Any = spec()
    for part in pointer.lstrip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def request_body_pointer(operation_pointer: str) -> str | None:
    """Where an operation's JSON request body schema is, or None when it takes none."""
    body = resolve(operation_pointer).get("requestBody")
    if body is None:
        return None
    if "$ref" in body:
        name = body["$ref"].rsplit("/", 1)[-1]
        return f"/components/requestBodies/{name}/content/application~1json/schema"
    return f"{operation_pointer}/requestBody/content/application~1json/schema"


def answer_pointer(event: str) -> str | None:
    """Where the spec puts the schema of a callback's answer, or None when it gives none
    (a notification, whose answer the platform does not read)."""
    response = spec().get("webhooks", {}).get(event, {}).get("post", {}).get("responses", {})
    content = response.get("200", {}).get("content", {}).get("application/json") or {}
    if "schema" not in content:
        return None
    return f"/webhooks/{event}/post/responses/200/content/application~1json/schema"
