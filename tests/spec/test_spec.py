"""The restored vendor document, the overlay and the effective spec."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.diagnostics import GenerationError
from codegen.overlay import apply_overlay
from codegen.spec import DEFAULT_OVERLAY, DEFAULT_SPEC, SpecSource, effective_spec, load_yaml
from codegen.validation import (
    UNCHECKED_EXAMPLES,
    examples,
    validate_document,
    validate_examples,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vendor() -> Any:
    return load_yaml(DEFAULT_SPEC)


@pytest.fixture(scope="module")
def overlay() -> Any:
    return load_yaml(DEFAULT_OVERLAY)


@pytest.fixture(scope="module")
def spec() -> Any:
    return effective_spec()


def test_restoration_is_faithful_to_the_seed(shared: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(shared / "tools" / "spec-fidelity"), str(DEFAULT_SPEC)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("faithful")


def test_restoration_tool_reproduces_the_committed_spec(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "restored.yaml"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "spec" / "tools" / "restore_indentation.py"),
            str(shared / "seed" / "sinch-voice-openapi.flattened.yaml"),
            str(out),
        ],
        check=True,
    )
    assert out.read_bytes() == DEFAULT_SPEC.read_bytes()


def test_the_vendor_document_alone_is_invalid_for_the_two_known_values(vendor: Any) -> None:
    problems = {p.pointer: p.message for p in validate_document(vendor)}
    assert "/components/parameters/domain/required" in problems
    assert any("numbers" in message for message in problems.values())


def test_effective_spec_is_a_valid_openapi_3_1_document(spec: Any) -> None:
    assert validate_document(spec) == []


def test_every_example_validates_against_its_schema(spec: Any) -> None:
    assert [str(p) for p in validate_examples(spec)] == []


def test_no_example_uses_a_property_its_schema_does_not_declare(spec: Any) -> None:
    assert [str(p) for p in validate_examples(spec, strict=True)] == []


def test_examples_are_found_everywhere_and_the_unchecked_ones_exist(spec: Any) -> None:
    found = {e.pointer: e for e in examples(spec)}
    # webhook request examples are $refs: checked as components, against the webhook's schema
    ice = found["/components/examples/ICEexample/value"]
    assert ice.schema_pointer == "/webhooks/ice/post/requestBody/content/application~1json/schema"
    kinds = {
        "inline request": "/paths/~1calling~1v1~1calls~1id~1{callId}~1leg~1{callLeg}/patch",
        "component": "/components/examples/AcePlayMenuResponse/value",
        "schema": "/components/schemas/destination/properties/endpoint/example",
        "parameter": "/components/parameters/callId/example",
        "media type": "/paths/~1calling~1v1~1callouts/post/responses/200/content",
    }
    for kind, prefix in kinds.items():
        assert any(p.startswith(prefix) for p in found), kind
    assert set(UNCHECKED_EXAMPLES) <= set(found)
    assert all(found[p].schema_pointer is None for p in UNCHECKED_EXAMPLES)


def test_the_vendor_examples_fail_where_the_overlay_corrects_them(vendor: Any) -> None:
    strict = {p.pointer for p in validate_examples(vendor, strict=True)}
    assert (
        "/components/schemas/svaml.action.connectPstn/properties/suppressCallbacks/example"
        in strict
    )
    assert any(p.startswith("/components/examples/runMenu/value") for p in strict)
    assert any(p.startswith("/components/examples/customCalloutRequest/value") for p in strict)


def test_the_norway_key_stays_the_string_no(spec: Any) -> None:
    indications = spec["components"]["schemas"]["svaml.action.connectPstn"]["properties"][
        "indications"
    ]["x-enumDescriptions"]
    assert indications["no"] == "Norway"
    assert False not in indications


def test_loader_refuses_values_json_cannot_hold(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("info:\n  when: 2024-01-01\n", encoding="utf-8")
    with pytest.raises(GenerationError, match=r"/info/when: date value"):
        load_yaml(bad)


def test_loader_refuses_duplicate_keys_with_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "dup.yaml"
    bad.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(GenerationError, match=r"dup\.yaml is not valid YAML"):
        load_yaml(bad)


def test_configuration_paths_keep_their_own_server(spec: Any) -> None:
    for path, item in spec["paths"].items():
        if path.startswith(("/v1/configuration/", "/v1/calling/query/")):
            assert item["servers"] == [{"url": "https://callingapi.sinch.com"}], path
        else:
            assert "servers" not in item, path


def test_effective_spec_command_prints_json(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "effective-spec"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    import json

    assert json.loads(result.stdout) == effective_spec()


# --- the overlay -----------------------------------------------------------------------


def test_every_overlay_action_targets_something_and_changes_the_spec(
    vendor: Any, overlay: Any
) -> None:
    current = vendor
    for number, action in enumerate(overlay["actions"]):
        assert action.get("description"), f"action {number} has no description"
        single = {"overlay": "1.0.0", "actions": [action]}
        after = apply_overlay(current, single)
        assert after != current, f"action {number} ({action['target']}) changed nothing"
        current = after
    assert current == effective_spec()


def test_an_overlay_action_that_matches_nothing_stops_with_its_target(vendor: Any) -> None:
    stale = {
        "overlay": "1.0.0",
        "actions": [
            {"target": "$.components.schemas.gone", "description": "x", "update": {"a": 1}}
        ],
    }
    with pytest.raises(
        GenerationError, match=r"/actions/0: target '\$.components.schemas.gone' matches nothing"
    ):
        apply_overlay(vendor, stale)


def test_overlay_update_merges_objects_and_appends_to_arrays() -> None:
    doc = {"a": {"b": 1, "c": {"d": 1}}, "l": [1]}
    out = apply_overlay(
        doc,
        {
            "overlay": "1.0.0",
            "actions": [
                {"target": "$.a", "description": "x", "update": {"c": {"e": 2}, "f": 3}},
                {"target": "$.l", "description": "y", "update": 2},
            ],
        },
    )
    assert out == {"a": {"b": 1, "c": {"d": 1, "e": 2}, "f": 3}, "l": [1, 2]}
    assert doc == {"a": {"b": 1, "c": {"d": 1}}, "l": [1]}  # the input is untouched


def _schema(spec: Any, name: str) -> Any:
    return spec["components"]["schemas"][name]


INSTRUCTIONS = ["say", "sendDtmf", "setCookie", "answer", "startRecording", "stopRecording"]


@pytest.mark.parametrize(
    ("what", "check"),
    [
        (
            "domain path parameter is required",
            lambda s: s["components"]["parameters"]["domain"]["required"] is True,
        ),
        (
            "array default removed",
            lambda s: "default" not in _schema(s, "getNumbersResponseObj")["properties"]["numbers"],
        ),
        (
            "signed scheme header is Authorization",
            lambda s: s["components"]["securitySchemes"]["Application"]["name"] == "Authorization",
        ),
        (
            "instructions require their discriminator",
            lambda s: all(
                _schema(s, f"svaml.instruction.{n}")["required"] == ["name"] for n in INSTRUCTIONS
            ),
        ),
        (
            "playFiles ids are strings",
            lambda s: (
                _schema(s, "svaml.instruction.playFiles")["properties"]["ids"]["items"]
                == {"type": "string"}
            ),
        ),
        (
            "connectMxp keeps callheaders, its example uses it",
            lambda s: (
                "callheaders" in _schema(s, "svaml.action.connectMxp")["properties"]
                and set(s["components"]["examples"]["connectMxp"]["value"]["action"])
                == {"name", "destination", "callheaders"}
            ),
        ),
        (
            "errorCode is an integer",
            lambda s: _schema(s, "Error")["properties"]["errorCode"]["type"] == "integer",
        ),
        (
            "query number is deprecated",
            lambda s: s["paths"]["/v1/calling/query/number/{number}"]["get"]["deprecated"] is True,
        ),
        (
            "PIE may answer with SVAML",
            lambda s: (
                s["webhooks"]["pie"]["post"]["responses"]["200"]["content"]["application/json"][
                    "schema"
                ]
                == {"$ref": "#/components/schemas/SVAMLRequestBody"}
            ),
        ),
        (
            "notify declares destination",
            lambda s: "destination" in _schema(s, "notifyRequest")["properties"],
        ),
        (
            "connectSip destination declares type",
            lambda s: (
                "type"
                in _schema(s, "svaml.action.connectSip")["properties"]["destination"]["properties"]
            ),
        ),
        (
            "call reasons include the DICE ones",
            lambda s: (
                {"USERNOTFOUND", "CALLBACKERROR"}
                <= set(_schema(s, "getCallResponseObj")["properties"]["reason"]["enum"])
            ),
        ),
        (
            "number example is well formed",
            lambda s: (
                s["paths"]["/v1/configuration/numbers"]["get"]["responses"]["200"]["content"][
                    "application/json"
                ]["example"]["numbers"][0]["number"]
                == "+141511122233334"
            ),
        ),
        (
            "endpoint example is a string",
            lambda s: (
                _schema(s, "destination")["properties"]["endpoint"]["example"] == "+12125550123"
            ),
        ),
        (
            "boolean examples are booleans",
            lambda s: all(
                _schema(s, f"svaml.action.{a}")["properties"]["suppressCallbacks"]["example"]
                is False
                for a in ("connectPstn", "connectSip")
            ),
        ),
        (
            "menu dtmf examples are strings",
            lambda s: (
                [
                    o["dtmf"]
                    for m in s["components"]["examples"]["runMenu"]["value"]["action"]["menus"]
                    for o in m["options"]
                ]
                == ["1", "2", "1"]
            ),
        ),
        (
            "numbers example is an array",
            lambda s: _schema(s, "updateNumbers")["example"]["numbers"] == ["+14151112223333"],
        ),
        (
            "unassign example uses number",
            lambda s: (
                set(_schema(s, "unassignNumbers")["example"])
                == {"number", "applicationkey", "capability"}
                and isinstance(
                    _schema(s, "unassignNumbers")["properties"]["number"]["example"], str
                )
            ),
        ),
        (
            "undefined callout fields removed",
            lambda s: (
                "pop" not in s["components"]["examples"]["customCalloutRequest"]["value"]
                and set(
                    s["components"]["examples"]["customCalloutAMDRequest"]["value"]["customCallout"]
                )
                == {"ice"}
            ),
        ),
        (
            "inline AMD flag is a boolean",
            lambda s: (
                '"enabled": true'
                in s["components"]["examples"]["customCalloutAMDRequest"]["value"]["customCallout"][
                    "ice"
                ]
            ),
        ),
        (
            "recording example uses destinationUrl",
            lambda s: (
                s["components"]["examples"]["startRecording"]["value"]["instructions"][0][
                    "options"
                ]["destinationUrl"]
                == "s3://my-bucket/"
            ),
        ),
    ],
)
def test_overlay_correction(spec: Any, vendor: Any, what: str, check: Any) -> None:
    assert check(spec), what
    try:
        already = check(vendor)
    except (KeyError, IndexError):
        already = False  # the vendor document lacks what the correction adds
    assert not already, f"the vendor document already satisfies: {what}"


def test_the_vendor_file_is_never_modified_by_loading(vendor: Any) -> None:
    before = copy.deepcopy(vendor)
    effective_spec(SpecSource())
    assert load_yaml(DEFAULT_SPEC) == before
