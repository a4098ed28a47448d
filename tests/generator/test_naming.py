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
        ("match", "match"),  # a soft keyword is a valid name: kept (naming.RESERVED)
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


def test_the_reserved_words_are_this_pythons_hard_keywords() -> None:
    import keyword

    # a Python that adds a hard keyword must add it to naming.RESERVED (a new rule)
    assert set(keyword.kwlist) <= naming.RESERVED
    assert set(keyword.kwlist) | {"async", "await"} >= naming.RESERVED


@pytest.mark.parametrize("word", ["type", "match", "case"])
def test_soft_keywords_are_kept_whatever_python_generates(word: str) -> None:
    assert naming.snake(word) == word
    assert naming.safe_identifier(word) == word
