"""Names: one module owns them all."""

from __future__ import annotations

import pytest

from codegen import naming


@pytest.mark.parametrize(
    ("wire", "snake"),
    [
        ("callResourceUrl", "call_resource_url"),
        ("from", "from_"),
        ("continue", "continue_"),
        ("type", "type"),
        ("match", "match_"),  # a soft keyword
        ("SVAMLRequestBody", "svaml_request_body"),
        ("N/A", "n_a"),
        ("40001Example", "v_40001_example"),
        ("maxDigits", "max_digits"),
    ],
)
def test_snake_case_attributes(wire: str, snake: str) -> None:
    assert naming.snake(wire) == snake


@pytest.mark.parametrize(
    ("schema", "pascal"),
    [
        ("svaml.action.runMenu", "SvamlActionRunMenu"),
        ("iceRequest", "IceRequest"),
        ("getCallResponseObj", "GetCallResponseObj"),
        ("svaml.instruction.startRecordingOptions", "SvamlInstructionStartRecordingOptions"),
    ],
)
def test_pascal_case_classes(schema: str, pascal: str) -> None:
    assert naming.pascal(schema) == pascal


def test_enum_members_differing_in_case_get_distinct_names() -> None:
    assert naming.distinct_constants(["number", "Number", "username", "Username", "sip"]) == [
        "NUMBER",
        "NUMBER_TITLE",
        "USERNAME",
        "USERNAME_TITLE",
        "SIP",
    ]
    assert naming.distinct_constants(["pstn", "mxp", "PSTN", "MXP"]) == [
        "PSTN",
        "MXP",
        "PSTN_UPPER",
        "MXP_UPPER",
    ]
    assert naming.constant("N/A") == "N_A"
    assert naming.constant("return(support)") == "RETURN_SUPPORT"
