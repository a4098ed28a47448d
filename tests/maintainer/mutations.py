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


# --- one kind each, for tests/maintainer/test_change_report.py ---------------------------------


def add_required_query_parameter(spec: Any) -> None:
    spec["paths"][GET_CALL]["get"].setdefault("parameters", []).append(
        {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}}
    )


def query_parameter_of(kind: str) -> Any:
    def change(spec: Any) -> None:
        spec["paths"][GET_CALL]["get"].setdefault("parameters", []).append(
            {"name": "maxLegs", "in": "query", "schema": {"type": kind}}
        )

    return change


def change_response_model(spec: Any) -> None:
    content = spec["paths"][GET_CALL]["get"]["responses"]["200"]["content"]
    content["application/json"]["schema"] = {"$ref": S + "getCalloutResponseObj"}


def remove_kick_all(spec: Any) -> None:
    del spec["paths"]["/calling/v1/conferences/id/{conferenceId}"]["delete"]


def without_kick_all(overrides: Any) -> None:
    del overrides["operations"]["Calling_KickConferenceAll"]


def add_sent_field(required: bool) -> Any:
    def change(spec: Any) -> None:
        tts = schemas(spec)["ttsCalloutRequest"]
        tts["properties"]["priority"] = {"type": "string", "description": "Queue priority."}
        if required:
            tts.setdefault("required", []).append("priority")

    return change


def add_required_read_field(spec: Any) -> None:
    ice = schemas(spec)["iceRequest"]
    ice["properties"]["region"] = {"type": "string"}
    ice.setdefault("required", []).append("region")


def widen_read_field(spec: Any) -> None:
    schemas(spec)["diceRequest"]["properties"]["duration"]["type"] = "number"


def require_read_field(spec: Any) -> None:
    schemas(spec)["iceRequest"].setdefault("required", []).append("cli")


ICE_CLI = "/components/schemas/iceRequest/properties/cli"


def nullable_read_field(spec: Any) -> None:
    schemas(spec)["iceRequest"]["properties"]["cli"]["type"] = ["string", "null"]


def allow_nullable_cli(overrides: Any) -> None:
    overrides["allow"] = {**(overrides.get("allow") or {}), ICE_CLI: "the platform sends null"}


def change_default(spec: Any) -> None:
    schemas(spec)["menu"]["properties"]["maxTimeoutMills"]["default"] = 30000


def add_open_enum_value(spec: Any) -> None:
    schemas(spec)["iceRequest"]["properties"]["domain"]["x-enumDescriptions"]["sip"] = "SIP"


def add_callback(spec: Any) -> None:
    schemas(spec)["qceRequest"] = {
        "type": "object",
        "description": "A call entered a queue.",
        "properties": {
            "event": {"type": "string"},
            "callId": {"type": "string"},
            "queue": {"type": "string"},
        },
    }
    spec["webhooks"]["qce"] = {
        "post": {
            "operationId": "qce",
            "summary": "Queue Call Event",
            "requestBody": {
                "content": {"application/json": {"schema": {"$ref": S + "qceRequest"}}}
            },
            "responses": {"200": {"description": "Received."}},
        }
    }


def add_svaml_instruction(spec: Any) -> None:
    schemas(spec)["svaml.instruction.playTone"] = {
        "type": "object",
        "description": "Plays a tone.",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "enum": ["playTone"], "default": "playTone"},
            "hertz": {"type": "integer"},
        },
    }
    union = schemas(spec)["svaml.instruction"]
    union["anyOf"].append({"$ref": S + "svaml.instruction.playTone"})
    union["discriminator"]["mapping"]["playTone"] = S + "svaml.instruction.playTone"


def mxp_answers_pie(overrides: Any) -> None:
    overrides["svaml"]["answers"]["connectMxp"] = ["pie"]


def remove_region(spec: Any) -> None:
    spec["servers"] = [s for s in spec["servers"] if "apse2" not in s["url"]]


def basic_becomes_bearer(spec: Any) -> None:
    spec["components"]["securitySchemes"]["Basic"]["scheme"] = "bearer"


def vendor_renames_signed_header(spec: Any) -> None:
    """Hidden by the overlay, which sets the header's name whatever the vendor writes."""
    spec["components"]["securitySchemes"]["Application"]["name"] = "X-Signature"


def rename_class(overrides: Any) -> None:
    overrides["classes"]["getCallResponseObj"] = "CallDetails"


def vendor_renames_max_duration(spec: Any) -> None:
    park = schemas(spec)["svaml.action.park"]["properties"]
    park["maxDurationSeconds"] = park.pop("maxDuration")


def keep_max_duration(overrides: Any) -> None:
    overrides["words"]["maxDurationSeconds"] = "max_duration"


def lower_text_limit(spec: Any) -> None:
    text = schemas(spec)["svaml.instruction.say"]["properties"]["text"]
    text["description"] = text["description"].replace("600", "500")


def remove_read_field(spec: Any) -> None:
    del schemas(spec)["diceRequest"]["properties"]["duration"]
