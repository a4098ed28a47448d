"""Fragments the templates take from ``codegen.render``."""

from __future__ import annotations

from codegen import ir
from codegen.render import client


def shortcut(enum: str | None, member: str) -> ir.Shortcut:
    return ir.Shortcut(
        name="tts",
        set_field="method",
        value="ttsCallout",
        enum=enum,
        value_py_name=member,
        payload_field="tts_callout",
        payload_model="TtsCallout",
    )


def test_a_shortcut_fixes_an_enum_member_or_a_plain_string() -> None:
    assert client.shortcut_value(shortcut("Method", "TTS_CALLOUT")) == "Method.TTS_CALLOUT"
    assert client.shortcut_value(shortcut(None, "")) == "'ttsCallout'"
