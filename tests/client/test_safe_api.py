"""Mistakes are caught where they are made, with one clear error naming the field's path
and the type expected; nothing wrong is sent; errors carry their context."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sinch_voice as sv
from sinch_voice.testing import LocalPlatform

from .conftest import received

Make = Callable[..., sv.VoiceClient]
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000000")


def test_reading_through_an_absent_property_fails_naming_it() -> None:
    pie = sv.loads(b'{"event": "pie"}', sv.PieRequest)
    assert pie.menu_result is sv.UNSET
    with pytest.raises(AttributeError) as caught:
        pie.menu_result.value  # type: ignore[union-attr]  # noqa: B018 - the read is the test
    assert str(caught.value) == (
        "'menu_result' is absent (UNSET): it has no 'value'; check `is not UNSET` before "
        "reading through it"
    )
    assert not sv.UNSET  # falsy, and no .name/.value to speak as "UNSET"
    assert not hasattr(sv.UNSET, "name")


def test_a_dict_where_a_model_belongs_is_refused_before_sending(
    make_client: Make, platform: LocalPlatform
) -> None:
    with pytest.raises(sv.EncodeError) as caught:
        make_client().callouts.tts(destination={"type": "number", "endpoint": "+1"}, text="Hi")  # type: ignore[arg-type]
    assert str(caught.value) == "$.ttsCallout.destination: expected a Destination, got an object"
    assert received(platform) == []


def test_a_wrong_scalar_is_refused_before_sending(
    make_client: Make, platform: LocalPlatform
) -> None:
    with pytest.raises(sv.EncodeError) as caught:
        make_client().callouts.tts(destination=DEST, text=123)  # type: ignore[arg-type]
    assert str(caught.value) == "$.ttsCallout.text: expected a string, got an integer"
    assert received(platform) == []


def test_another_model_where_one_belongs_is_refused(
    make_client: Make, platform: LocalPlatform
) -> None:
    conference = sv.ConferenceCalloutRequest(destination=DEST, conference_id="c")
    with pytest.raises(sv.EncodeError) as caught:
        make_client().callouts.create(method=sv.CalloutMethod.TTS_CALLOUT, tts_callout=conference)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "$.ttsCallout: expected a TtsCalloutRequest, got a ConferenceCalloutRequest"
    )
    assert received(platform) == []


def test_a_dict_as_an_action_gets_one_clear_error_from_dumps() -> None:
    with pytest.raises(sv.EncodeError) as caught:
        sv.dumps(sv.Svaml(action={"name": "hangup"}))  # type: ignore[arg-type]
    assert str(caught.value) == (
        "$.action: expected a SvamlAction (a model such as SvamlActionHangup), got an object"
    )


def test_an_enum_field_takes_the_string_of_a_documented_value(
    make_client: Make, platform: LocalPlatform
) -> None:
    destination = sv.Destination(type="number", endpoint="+1")
    assert sv.dumps(destination) == b'{"type":"number","endpoint":"+1"}'
    make_client().callouts.tts(destination=destination, text="Hi", domain="PSTN")  # type: ignore[arg-type]
    body = received(platform)[0]["body"].replace('":"', '": "')
    assert '"type": "number"' in body
    assert '"domain": "pstn"' in body
    with pytest.raises(sv.EncodeError) as caught:
        sv.Destination(type="fax", endpoint="+1")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "'fax' is not a DestinationType (one of 'number', 'Number', 'username', "
        "'Username', 'sip', 'did', 'Websocket')"
    )


def test_path_parameters_may_be_passed_by_keyword(
    make_client: Make, platform: LocalPlatform
) -> None:
    platform.add_call("call-2", conference="conf 1")
    make_client().conferences.kick_participant(conference_id="conf 1", call_id="call-2")
    record = received(platform)[0]
    assert record["path"] == "/calling/v1/conferences/id/conf%201/call-2"


def test_an_answer_that_does_not_fit_its_model_carries_its_context(
    make_client: Make, platform: LocalPlatform
) -> None:
    platform.faults.next(status=200, body='{"from": 7}', headers={"X-Request-Id": "req-9"})
    with pytest.raises(sv.UnexpectedResponseError) as caught:
        make_client().calls.get("c1")
    error = caught.value
    assert error.operation == "Calling_GetCallResult"
    assert error.status_code == 200
    assert error.headers["x-request-id"] == "req-9"
    assert error.body == b'{"from": 7}'
    assert str(error).startswith(
        "Calling_GetCallResult: the HTTP 200 answer does not fit its model: $.from: expected"
    )


def test_api_errors_carry_headers_and_the_request_id(
    make_client: Make, platform: LocalPlatform
) -> None:
    platform.faults.next(
        status=404,
        json={"errorCode": 40400, "message": "no call"},
        headers={"X-Request-Id": "req-1"},
    )
    with pytest.raises(sv.NotFoundError) as caught:
        make_client().calls.get("c1")
    assert caught.value.request_id == "req-1"
    assert caught.value.headers["x-request-id"] == "req-1"
    assert caught.value.status_code == 404


@pytest.mark.parametrize(
    "action",
    [sv.SvamlActionConnectPstn(number="+46700000100"), sv.SvamlActionRunMenu(menus=[])],
    ids=["connectPstn", "runMenu"],
)
def test_an_update_carries_only_what_the_platform_carries_out(
    make_client: Make, platform: LocalPlatform, action: sv.SvamlAction
) -> None:
    """The builder (call_update), the client and the local platform agree: an update
    carries hangup, continue or park; anything else is refused before it is sent."""
    from sinch_voice.svaml import CallUpdate

    allowed = ", ".join(sorted(CallUpdate.ACTIONS))
    client = make_client()
    for send in (
        lambda: client.calls.update("c1", sv.Svaml(action=action)),
        lambda: client.calls.manage_with_call_leg("c1", "caller", action=action),
    ):
        with pytest.raises(sv.EncodeError) as refused:
            send()
        name = action.name.value if hasattr(action.name, "value") else action.name
        assert str(refused.value) == (
            f"$.action: a call update cannot carry the {name!r} action (allowed: {allowed})"
        )
    assert received(platform) == []  # nothing was sent
