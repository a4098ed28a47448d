"""Spec mutations of the kinds a vendor release brings, for the change-report tests.

Each takes the vendor document (plain JSON, as ``load_yaml`` reads it) and changes it in
place; ``REAL_LOOKING`` is one plausible release made of three of them.
"""

from __future__ import annotations

from typing import Any

S = "#/components/schemas/"
GET_CALL = "/calling/v1/calls/id/{callId}"


def schemas(spec: Any) -> Any:
    return spec["components"]["schemas"]


def add_optional_query_parameter(spec: Any) -> None:
    """GET /calls/id/{callId} learns ``includeLegs`` (optional, boolean)."""
    spec["paths"][GET_CALL]["get"].setdefault("parameters", []).append(
        {
            "name": "includeLegs",
            "in": "query",
            "required": False,
            "description": "Whether to list the call's legs.",
            "schema": {"type": "boolean"},
        }
    )


def add_svaml_action(spec: Any) -> None:
    """A ``connectVideo`` action, allowed in answers to ICE."""
    schemas(spec)["svaml.action.connectVideo"] = {
        "type": "object",
        "description": "Connects a video call. Available to use in a response to an "
        "[Incoming Call Event](../ice) callback.",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "enum": ["connectVideo"], "default": "connectVideo"},
            "destination": {"$ref": S + "destination"},
            "maxDuration": {"type": "integer"},
        },
    }
    action = schemas(spec)["svaml.action"]
    action["anyOf"].append({"$ref": S + "svaml.action.connectVideo"})
    action["discriminator"]["mapping"]["connectVideo"] = S + "svaml.action.connectVideo"


def remove_enum_value(spec: Any) -> None:
    """``callResult`` loses ``BUSY``."""
    result = schemas(spec)["callResult"]
    result["enum"].remove("BUSY")
    del result["x-enumDescriptions"]["BUSY"]


def real_looking(spec: Any) -> None:
    add_optional_query_parameter(spec)
    add_svaml_action(spec)
    remove_enum_value(spec)
