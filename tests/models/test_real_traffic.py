"""What real traffic needs beyond the corpus replay: each correction of the real-traffic
work, asserted where users meet it."""

from __future__ import annotations

import json

import pytest
import sinch_voice as sv
from sinch_voice.signing import Secret, sign
from sinch_voice.svaml import ace_response, ice_response, pie_response
from sinch_voice.webhooks import parse_event

from ..webhooks.helpers import KEY, SECRET, make_dispatcher


def test_no_enum_has_a_member_made_of_a_misplaced_keyword() -> None:
    for value in vars(sv.models).values():
        if isinstance(value, type) and issubclass(value, sv.models.SinchEnum):
            assert not {"EXAMPLE", "DEFAULT"} & set(value.__members__), value


def test_the_conference_dtmf_modes_keep_their_platform_default() -> None:
    for cls in (sv.ConferenceCalloutDtmfOptions, sv.ConnectConfDtmfOptions):
        mode = next(f for f in cls.__attrs_attrs__ if f.name == "mode")
        assert mode.metadata["spec_default"] == "ignore"
    for enum in (sv.ConferenceCalloutDtmfOptionsMode, sv.ConnectConfDtmfOptionsMode):
        assert [m.value for m in enum] == ["ignore", "forward", "detect"]


@pytest.mark.parametrize("spelling", ["pstn", "PSTN", "Pstn"])
def test_enum_values_read_in_any_casing(spelling: str) -> None:
    body = json.dumps({"event": "ice", "originationType": spelling}).encode()
    for strict in (False, True):
        ice = sv.loads(body, sv.IceRequest, strict=strict)
        assert ice.origination_type == sv.OriginationType.PSTN
        assert ice.origination_type is sv.OriginationType.PSTN
    assert sv.OriginationType(spelling) is sv.OriginationType.PSTN


def test_an_exact_spelling_wins_over_another_casing() -> None:
    assert sv.DestinationType("Number") is sv.DestinationType.NUMBER_TITLE
    assert sv.DestinationType("NUMBER") is sv.DestinationType.NUMBER  # the first spelling
    assert sv.SipTransport("tls") is sv.SipTransport.TLS


def test_a_closed_enum_still_refuses_an_undocumented_value_when_strict() -> None:
    with pytest.raises(sv.StructureError, match="is not one of"):
        sv.loads(b'{"type": "fax", "endpoint": "1"}', sv.Destination, strict=True)


def test_menu_option_actions_are_the_wire_strings() -> None:
    option = sv.MenuOption(dtmf="1", action="return(x)")
    assert sv.dumps(option) == b'{"dtmf":"1","action":"return(x)"}'
    assert sv.loads(b'{"dtmf":"2","action":"menu(sub)"}', sv.MenuOption, strict=True).action == (
        "menu(sub)"
    )


def test_events_carry_the_fields_the_platform_sends() -> None:
    ace = sv.loads(
        b'{"event":"ace","callid":"c","applicationKey":"k","conferenceId":"f",'
        b'"amd":{"status":"machine","reason":"beep"}}',
        sv.AceRequest,
        strict=True,
    )
    assert (ace.application_key, ace.conference_id) == ("k", "f")
    assert ace.amd.reason is sv.AmdReason.BEEP  # type: ignore[union-attr]
    pie = sv.loads(
        b'{"event":"pie","custom":"x","menuResult":{"addToContext":[{"a":1}],"type":"sequence"}}',
        sv.PieRequest,
        strict=True,
    )
    assert pie.custom == "x"
    assert pie.menu_result.add_to_context == [{"a": 1}]  # type: ignore[union-attr]
    assert pie.menu_result.type is sv.MenuResultType.SEQUENCE  # type: ignore[union-attr]
    notify = parse_event(b'{"event":"notify","type":"amd","amd":{"status":"human"}}', strict=True)
    assert isinstance(notify, sv.NotifyRequest)
    assert notify.amd == sv.AmdResult(status=sv.AmdStatus.HUMAN)
    answer = sv.loads(b'{"method":"numberItem"}', sv.QueryNumberResponse, strict=True)
    assert answer.method == "numberItem"


def test_a_calling_error_notification_keeps_its_fields() -> None:
    body = (
        b'{"event":"notify","type":"callingerror","callid":"c","errorCode":40001,'
        b'"errorMsg":"Invalid SVAML","user":"u1","custom":"x"}'
    )
    event = parse_event(body, strict=True)
    assert event == sv.NotifyErrorRequest(
        event="notify",
        type="callingerror",
        call_id="c",
        error_code=40001,
        error_msg="Invalid SVAML",
        user="u1",
        custom="x",
    )
    assert json.loads(sv.dumps(event)) == json.loads(body)
    assert isinstance(
        parse_event(b'{"event":"notify","type":"recording_finished"}'), sv.NotifyRequest
    )


def test_connect_stream_is_built_parsed_strictly_and_answers_ice_only() -> None:
    built = ice_response().connect_stream(
        sv.Destination(type=sv.DestinationType.WEBSOCKET, endpoint="wss://example.com/s"),
        streaming_options=sv.StreamingOptions(version=2, sample_rate=16000),
        call_headers=[sv.CallHeader(key="k", value="v")],
    )
    written = sv.dumps(built.build())
    assert json.loads(written) == {
        "action": {
            "name": "connectStream",
            "destination": {"type": "Websocket", "endpoint": "wss://example.com/s"},
            "streamingOptions": {"version": 2, "sampleRate": 16000},
            "callHeaders": [{"key": "k", "value": "v"}],
        }
    }
    assert isinstance(sv.loads(written, sv.Svaml, strict=True).action, sv.SvamlActionConnectStream)
    assert not hasattr(ace_response(), "connect_stream")  # the vendor's page and both SDKs


def test_async_amd_can_be_requested_and_pie_may_connect_pstn() -> None:
    built = pie_response().connect_pstn(
        "+46700000000", amd=sv.AmdOptions(enabled=True, async_=True)
    )
    assert json.loads(sv.dumps(built.build())) == {
        "action": {
            "name": "connectPstn",
            "number": "+46700000000",
            "amd": {"enabled": True, "async": True},
        }
    }


def test_play_files_needs_no_locale_for_a_file() -> None:
    files = sv.SvamlInstructionPlayFiles(ids=["https://example.com/a.mp3"])
    assert sv.dumps(files) == b'{"name":"playFiles","ids":["https://example.com/a.mp3"]}'
    assert sv.loads(sv.dumps(files), sv.SvamlInstructionPlayFiles, strict=True) == files


def test_owned_numbers_may_have_the_sms_capability() -> None:
    owned = sv.loads(
        b'{"numbers":[{"number":"+1","capability":"sms"}]}', sv.OwnedNumbers, strict=True
    )
    assert owned.numbers[0].capability is sv.OwnedNumberCapability.SMS  # type: ignore[index]


@pytest.mark.parametrize("fraction", ["", ".9", ".93", ".9372", ".93721", ".9372196"])
def test_a_callback_signed_with_any_fraction_of_a_second_is_accepted(fraction: str) -> None:
    body = b'{"event":"ace","callid":"c1"}'
    stamp = f"2024-05-01T12:00:00{fraction}Z"  # the helpers' clock reads 12:00:00
    signature = sign(Secret(SECRET), "POST", body, "application/json", stamp, "/voice")
    headers = {
        "content-type": "application/json",
        "x-timestamp": stamp,
        "authorization": f"Application {KEY}:{signature}",
    }
    response = make_dispatcher().handle("POST", "/voice", headers, body)
    assert response.status == 200, response.body


def test_the_signed_ace_of_the_callback_signing_guide_is_written_back_byte_for_byte() -> None:
    # Sinch's "Callback Request Signing" page: the body its signature example signs
    body = (
        b'{"event":"ace","callid":"822aa4b7-05b4-4d83-87c7-1f835ee0b6f6_257",'
        b'"timestamp":"2014-09-24T10:59:41Z","version":1}'
    )
    event = parse_event(body, strict=True)
    assert sv.dumps(event) == body
    signature = sign(
        Secret("BeIukql3pTKJ8RGL5zo0DA=="),
        "POST",
        sv.dumps(event),
        "application/json",
        "2014-09-24T10:59:41Z",
        "/sinch/callback/ace",
    )
    assert signature == "Tg6fMyo8mj9pYfWQ9ssbx3Tc1BNC87IEygAfLbJqZb4="
