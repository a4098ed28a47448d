"""A custom callout's ``ice``, ``ace`` and ``pie`` carry SVAML as JSON text on the wire;
the model and the client take an ``Svaml``, or a builder, and send that text."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import sinch_voice as sv
from sinch_voice.svaml import ace_response, ice_response
from sinch_voice.testing import LocalPlatform

from .conftest import received

Make = Callable[..., sv.VoiceClient]
DEST = sv.Destination(type="number", endpoint="+46700000000")


def sent_callout(platform: LocalPlatform) -> dict[str, object]:
    body = json.loads(received(platform)[0]["body"])
    assert body["method"] == "customCallout"
    callout: dict[str, object] = body["customCallout"]
    return callout


def test_an_svaml_and_a_builder_go_out_as_json_strings(
    make_client: Make, platform: LocalPlatform
) -> None:
    ice = sv.Svaml(action=sv.SvamlActionConnectPstn(number="+46700000001", cli="+46700000000"))
    make_client().callouts.custom(
        destination=DEST,
        ice=ice,
        ace=ace_response().say("Hello from Sinch").hangup(),
        pie=ice_response().hangup().build(),
    )
    callout = sent_callout(platform)
    assert callout["ice"] == (
        '{"action":{"name":"connectPstn","number":"+46700000001","cli":"+46700000000"}}'
    )
    assert isinstance(callout["ace"], str)
    assert json.loads(callout["ace"]) == {
        "instructions": [{"name": "say", "text": "Hello from Sinch"}],
        "action": {"name": "hangup"},
    }
    assert json.loads(str(callout["pie"])) == {"action": {"name": "hangup"}}


def test_a_string_is_sent_as_given(make_client: Make, platform: LocalPlatform) -> None:
    text = '{"action": {"name": "hangup"}}'
    make_client().callouts.custom(destination=DEST, ice=text)
    assert sent_callout(platform)["ice"] == text


def test_the_model_holds_the_text_it_will_send() -> None:
    request = sv.CustomCalloutRequest(destination=DEST, ice=ice_response().hangup())
    assert request.ice == '{"action":{"name":"hangup"}}'
    assert sv.CustomCalloutRequest(destination=DEST).ace is sv.UNSET


def test_something_that_is_not_svaml_is_refused_where_it_is_given() -> None:
    with pytest.raises(sv.EncodeError) as caught:
        sv.CustomCalloutRequest(destination=DEST, ice={"action": {"name": "hangup"}})  # type: ignore[arg-type]
    assert str(caught.value) == (
        "expected SVAML: a JSON string, an Svaml or a builder, got an object"
    )
