"""Check the effective spec: a valid OpenAPI 3.1 document whose examples obey their schemas.

Examples are checked with JSON Schema 2020-12 against the schema they illustrate.
``strict`` also rejects properties a schema does not declare (``unevaluatedProperties:
false`` on every object schema that lists properties), which is how an example
teaching a field the API does not have is caught.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import attrs
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .diagnostics import Diagnostic, pointer

JSON = Any
SPEC_URI = "urn:sinch-voice:effective-spec"

# Component examples that no operation references, and the schema each illustrates
# (by its shape: the numbered error examples are Error bodies; the action and
# instruction examples are SVAML documents).
UNREFERENCED_EXAMPLES: dict[str, str] = {
    r"^\d{5}Example$": "Error",
    r"^(hangup|continue|connectPstn|connectMxp|connectConf|connectSip|runMenu|park|"
    r"playFiles|say|sendDtmf|setCookie|answer|startRecording|stopRecording)$": "SVAMLRequestBody",
}


_PLACEHOLDER = (
    "the vendor gives a placeholder body {content: ...} and no schema: nothing says what the "
    "body is, so there is nothing to check it against (the client treats the body as empty)"
)
# Examples deliberately left unchecked, each with the reason.
UNCHECKED_EXAMPLES: dict[str, str] = {
    pointer("paths", path, method, "responses", "200", "content", "application/json", "example"): (
        _PLACEHOLDER
    )
    for path, method in (
        ("/calling/v1/calls/id/{callId}/leg/{callLeg}", "patch"),
        ("/calling/v1/conferences/id/{conferenceId}/{callId}", "patch"),
        ("/calling/v1/conferences/id/{conferenceId}/{callId}", "delete"),
    )
}


@attrs.frozen
class Example:
    """One example value and the schema (a JSON pointer into the spec) it illustrates."""

    pointer: str
    value: JSON
    schema_pointer: str | None  # None: nothing in the spec says what it illustrates


def validate_document(spec: JSON) -> list[Diagnostic]:
    """openapi-spec-validator's verdict on the document, as diagnostics."""
    from openapi_spec_validator import OpenAPIV31SpecValidator

    validator = OpenAPIV31SpecValidator(spec)
    return [
        Diagnostic(pointer(*error.absolute_path), error.message)
        for error in validator.iter_errors()
    ]


def examples(spec: JSON) -> Iterator[Example]:
    """Every example in the spec with the schema it illustrates."""
    components = spec.get("components", {})
    referenced: dict[str, str] = {}

    def media_examples(media: JSON, parts: tuple[str | int, ...]) -> Iterator[Example]:
        schema = pointer(*parts, "schema") if "schema" in media else None
        if "example" in media:
            yield Example(pointer(*parts, "example"), media["example"], schema)
        for name, example in media.get("examples", {}).items():
            if "$ref" in example:
                target = example["$ref"].rsplit("/", 1)[-1]
                if schema is not None:
                    referenced[target] = schema
            elif "value" in example:
                yield Example(pointer(*parts, "examples", name, "value"), example["value"], schema)

    def walk_operations(root: str) -> Iterator[Example]:
        for path, item in spec.get(root, {}).items():
            for method, operation in item.items():
                if not isinstance(operation, dict) or method in ("parameters", "servers"):
                    continue
                body = operation.get("requestBody", {})
                for media_type, media in body.get("content", {}).items():
                    yield from media_examples(
                        media, (root, path, method, "requestBody", "content", media_type)
                    )
                for status, response in operation.get("responses", {}).items():
                    for media_type, media in response.get("content", {}).items():
                        yield from media_examples(
                            media, (root, path, method, "responses", status, "content", media_type)
                        )

    yield from walk_operations("webhooks")
    yield from walk_operations("paths")
    for name, body in components.get("requestBodies", {}).items():
        for media_type, media in body.get("content", {}).items():
            yield from media_examples(
                media, ("components", "requestBodies", name, "content", media_type)
            )
    for name, parameter in components.get("parameters", {}).items():
        if "example" in parameter:
            yield Example(
                pointer("components", "parameters", name, "example"),
                parameter["example"],
                pointer("components", "parameters", name, "schema"),
            )
    for name, example in components.get("examples", {}).items():
        schema = referenced.get(name)
        if schema is None:
            for pattern, schema_name in UNREFERENCED_EXAMPLES.items():
                if re.match(pattern, name):
                    schema = pointer("components", "schemas", schema_name)
        yield Example(
            pointer("components", "examples", name, "value"), example.get("value"), schema
        )
    for name, schema in components.get("schemas", {}).items():
        yield from _schema_examples(schema, ("components", "schemas", name))


def _schema_examples(schema: JSON, parts: tuple[str | int, ...]) -> Iterator[Example]:
    if not isinstance(schema, dict):
        return
    here = pointer(*parts)
    if "example" in schema:
        yield Example(pointer(*parts, "example"), schema["example"], here)
    for index, value in enumerate(schema.get("examples", []) or []):
        yield Example(pointer(*parts, "examples", index), value, here)
    for name, sub in (schema.get("properties") or {}).items():
        yield from _schema_examples(sub, (*parts, "properties", name))
    if isinstance(schema.get("items"), dict):
        yield from _schema_examples(schema["items"], (*parts, "items"))
    for keyword in ("anyOf", "oneOf", "allOf"):
        for index, sub in enumerate(schema.get(keyword, []) or []):
            yield from _schema_examples(sub, (*parts, keyword, index))


def strict_copy(spec: JSON) -> JSON:
    """The spec with every object schema that lists properties closed to others."""
    result = copy.deepcopy(spec)

    def close(node: JSON) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                node.setdefault("unevaluatedProperties", False)
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(result.get("components", {}).get("schemas", {}))
    for root in ("paths", "webhooks"):
        close(result.get(root, {}))
    return result


def validate_examples(spec: JSON, strict: bool = False) -> list[Diagnostic]:
    """Every example that does not validate, or that nothing ties to a schema.

    The examples in ``UNCHECKED_EXAMPLES`` are skipped: each is listed there with why.
    """
    checked = strict_copy(spec) if strict else spec
    registry: Registry[JSON] = Registry().with_resource(
        SPEC_URI, Resource.from_contents(checked, default_specification=DRAFT202012)
    )
    problems: list[Diagnostic] = []
    for example in examples(spec):
        if example.pointer in UNCHECKED_EXAMPLES:
            continue
        if example.schema_pointer is None:
            problems.append(
                Diagnostic(example.pointer, "no schema says what this example illustrates")
            )
            continue
        validator = Draft202012Validator(
            {"$ref": f"{SPEC_URI}#{example.schema_pointer}"}, registry=registry
        )
        for error in validator.iter_errors(example.value):
            where = example.pointer + pointer(*error.absolute_path)
            problems.append(Diagnostic(where, error.message))
    return problems
