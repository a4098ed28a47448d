"""Every operation of the spec, called over HTTP against the local platform, which checks
the signature and the request against the spec; the signature is checked again by the
independent verifier of ``conftest``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import sinch_voice as sv
from sinch_voice.testing import LocalPlatform

from .conftest import only_request, received

Make = Callable[..., sv.VoiceClient]
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000000")
HANGUP = sv.Svaml(action=sv.SvamlActionHangup())


CALLS: list[tuple[str, Callable[[sv.VoiceClient], Any], str, list[str], Any]] = [
    (
        "callouts.create",
        lambda c: c.callouts.create(
            method=sv.CalloutMethod.TTS_CALLOUT,
            tts_callout=sv.TtsCalloutRequest(destination=DEST, text="Hi"),
        ),
        "Callouts",
        [],
        {
            "method": "ttsCallout",
            "ttsCallout": {
                "destination": {"type": "number", "endpoint": "+46700000000"},
                "text": "Hi",
            },
        },
    ),
    (
        "callouts.tts",
        lambda c: c.callouts.tts(destination=DEST, text="Hello"),
        "Callouts",
        [],
        {
            "method": "ttsCallout",
            "ttsCallout": {
                "destination": {"type": "number", "endpoint": "+46700000000"},
                "text": "Hello",
            },
        },
    ),
    (
        "callouts.conference",
        lambda c: c.callouts.conference(destination=DEST, conference_id="room 1"),
        "Callouts",
        [],
        {
            "method": "conferenceCallout",
            "conferenceCallout": {
                "destination": {"type": "number", "endpoint": "+46700000000"},
                "conferenceId": "room 1",
            },
        },
    ),
    (
        "callouts.custom",
        lambda c: c.callouts.custom(sv.CustomCalloutRequest(ice='{"action":{"name":"hangup"}}')),
        "Callouts",
        [],
        {"method": "customCallout", "customCallout": {"ice": '{"action":{"name":"hangup"}}'}},
    ),
    ("calls.get", lambda c: c.calls.get("c/1 ü"), "Calling_GetCallResult", ["c/1 ü"], None),
    (
        "calls.update",
        lambda c: c.calls.update("c1", HANGUP),
        "Calling_UpdateCall",
        ["c1"],
        {"action": {"name": "hangup"}},
    ),
    (
        "calls.manage_with_call_leg",
        lambda c: c.calls.manage_with_call_leg(
            "c1", sv.CallLeg.CALLEE, instructions=[sv.SvamlInstructionSay(text="Hi")]
        ),
        "Calling_ManageCallWithCallLeg",
        ["c1", "callee"],
        {"instructions": [{"name": "say", "text": "Hi"}]},
    ),
    (
        "conferences.get",
        lambda c: c.conferences.get("room"),
        "Calling_GetConferenceInfo",
        ["room"],
        None,
    ),
    (
        "conferences.kick_all",
        lambda c: c.conferences.kick_all("room"),
        "Calling_KickConferenceAll",
        ["room"],
        None,
    ),
    (
        "conferences.kick_participant",
        lambda c: c.conferences.kick_participant("room", "c2"),
        "Calling_KickConferenceParticipant",
        ["room", "c2"],
        None,
    ),
    (
        "conferences.manage_participant",
        lambda c: c.conferences.manage_participant(
            "room", "c2", command=sv.ParticipantCommand.ONHOLD, moh=sv.MusicOnHold.MUSIC1
        ),
        "Calling_ManageConferenceParticipant",
        ["room", "c2"],
        {"command": "onhold", "moh": "music1"},
    ),
    (
        "applications.list_numbers",
        lambda c: c.applications.list_numbers(),
        "Configuration_GetNumbers",
        [],
        None,
    ),
    (
        "applications.assign_numbers",
        lambda c: c.applications.assign_numbers(
            numbers=["+46700000001"], capability=sv.NumberCapability.VOICE
        ),
        "Configuration_UpdateNumbers",
        [],
        {"numbers": ["+46700000001"], "capability": "voice"},
    ),
    (
        "applications.unassign_number",
        lambda c: c.applications.unassign_number(number="+46700000001"),
        "Configuration_UnassignNumber",
        [],
        {"number": "+46700000001"},
    ),
    (
        "applications.get_callback_urls",
        lambda c: c.applications.get_callback_urls("app key"),
        "Configuration_GetCallbackURLs",
        ["app key"],
        None,
    ),
    (
        "applications.update_callback_urls",
        lambda c: c.applications.update_callback_urls(
            "k", url=sv.CallbackUrl(primary="https://example.test/cb")
        ),
        "Configuration_UpdateCallbackURLs",
        ["k"],
        {"url": {"primary": "https://example.test/cb"}},
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "operation", "path_values", "body"), CALLS, ids=[c[0] for c in CALLS]
)
@pytest.mark.parametrize("auth", ["signed", "basic"])
def test_operation_is_sent_as_the_spec_says(
    make_client: Make,
    platform: LocalPlatform,
    name: str,
    call: Callable[[sv.VoiceClient], Any],
    operation: str,
    path_values: list[str],
    body: Any,
    auth: str,
) -> None:
    platform.add_call("c/1 ü")
    platform.add_call("c2", conference="room")  # c1 is held too
    call(make_client(auth=auth))
    record = only_request(platform)
    assert record["operation"] == operation
    assert record["path_values"] == path_values
    if body is None:
        assert record["body"] == ""
        assert "content-type" not in record["headers"]
    else:
        assert json.loads(record["body"]) == body
    assert record["headers"]["user-agent"].startswith("sinch-voice-python/")


def test_query_number_works_and_warns_that_it_is_deprecated(
    make_client: Make, platform: LocalPlatform
) -> None:
    with pytest.warns(DeprecationWarning, match="applications.query_number is deprecated"):
        result = make_client().applications.query_number("+46 73 017 01 01")
    assert only_request(platform)["path_values"] == ["+46 73 017 01 01"]
    assert isinstance(result.number, sv.NumberInformation)
    assert result.number.number_type is sv.NumberType.MOBILE


def test_the_signed_path_is_the_encoded_path_on_the_wire(
    make_client: Make, platform: LocalPlatform
) -> None:
    platform.add_call("a/b?c#d")
    make_client().calls.get("a/b?c#d")
    record = only_request(platform)
    assert record["path"] == "/calling/v1/calls/id/a%2Fb%3Fc%23d"
    assert record["auth"] == "signed ok"


def test_typed_results(make_client: Make, platform: LocalPlatform) -> None:
    platform.add_call("c9", status="FINAL", result="ANSWERED")
    platform.faults.next(status=204, operation="Calling_UpdateCall")  # c9 has ended
    platform.faults.next(status=200, json={"callId": "callout-1"}, operation="Callouts")
    client = make_client()
    info = client.calls.get("c9")
    assert isinstance(info, sv.CallInformation)
    assert info.call_id == "c9"
    assert info.status is sv.CallInformationStatus.FINAL
    assert client.calls.update("c9", HANGUP) is None
    assert client.callouts.tts(destination=DEST, text="x").call_id == "callout-1"
    numbers = client.applications.list_numbers()
    assert isinstance(numbers.numbers, list)
    assert numbers.numbers[0].capability is sv.OwnedNumberCapability.VOICE


def test_success_bodies_with_unknown_fields_and_values_parse_leniently(
    make_client: Make, platform: LocalPlatform
) -> None:
    platform.faults.next(
        status=200, json={"callId": "c1", "status": "RINGING", "newField": {"a": 1}}
    )
    info = make_client().calls.get("c1")
    assert info.status == "RINGING"
    assert info.status.is_known is False


def test_body_model_or_keywords_but_not_both(make_client: Make, platform: LocalPlatform) -> None:
    client = make_client()
    with pytest.raises(TypeError, match="pass either a Svaml or keyword arguments, not both"):
        client.calls.update("c1", HANGUP, instructions=[])
    with pytest.raises(TypeError, match="CalloutRequest"):
        client.callouts.create(tts_callout=sv.TtsCalloutRequest(destination=DEST))  # no method
    with pytest.raises(ValueError, match="path parameter callId must not be empty"):
        client.calls.get("")
    assert received(platform) == []


def test_configuration_and_traffic_hosts_and_regions() -> None:
    sent: list[str] = []

    def capture(client: sv.VoiceClient) -> None:
        client._transport.send = lambda call: sent.append(call.url)  # type: ignore[method-assign, func-returns-value]

    default = sv.VoiceClient(KEY_, SECRET_)
    regional = sv.VoiceClient(KEY_, SECRET_, region="euc1")
    for client in (default, regional):
        capture(client)
        client.calls.update("c1", HANGUP)
        client.applications.unassign_number(number="+1")
    managed = default.for_call("https://calling-apse2.api.sinch.com/calling/v1/calls/id/c1")
    capture(managed)
    managed.calls.update("c1", HANGUP)
    assert sent == [
        "https://calling.api.sinch.com/calling/v1/calls/id/c1",
        "https://callingapi.sinch.com/v1/configuration/numbers",
        "https://calling-euc1.api.sinch.com/calling/v1/calls/id/c1",
        "https://callingapi.sinch.com/v1/configuration/numbers",
        "https://calling-apse2.api.sinch.com/calling/v1/calls/id/c1",
    ]
    with pytest.raises(sv.ConfigurationError, match="unknown region 'mars'; known regions: apse1"):
        sv.VoiceClient(KEY_, SECRET_, region="mars")


KEY_, SECRET_ = "key", "BeIukql3pTKJ8RGL5zo0DA=="
