"""Every operation of the spec through ``VoiceClient`` against the local platform, which
checks each request as the platform does and answers from its state."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import sinch_voice as sv
from sinch_voice.testing import LocalPlatform, PlatformError, sign_callback
from sinch_voice.testing._routes import ROUTES
from sinch_voice.testing.platform import wait_until

from codegen.builders import build_api
from codegen.overrides import load_overrides
from codegen.spec import SpecSource, effective_spec

KEY, SECRET = "app-1", "BeIukql3pTKJ8RGL5zo0DA=="
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000001")


@pytest.fixture
def platform() -> Iterator[LocalPlatform]:
    with LocalPlatform({KEY: SECRET}) as running:
        yield running


@pytest.fixture(params=["signed", "basic"])
def client(request: pytest.FixtureRequest, platform: LocalPlatform) -> Iterator[sv.VoiceClient]:
    with sv.VoiceClient(
        KEY, SECRET, auth=request.param, base_url=platform.url, allow_http=True
    ) as made:
        yield made


def test_every_operation_of_the_spec_has_a_route_and_a_handler() -> None:
    api = build_api(effective_spec(), load_overrides(), SpecSource().sha256())
    assert sorted(r.operation for r in ROUTES) == sorted(o.operation_id for o in api.operations)
    assert set(LocalPlatform.HANDLERS) == {r.operation for r in ROUTES}
    assert {(r.method, r.path) for r in ROUTES} == {(o.http_method, o.path) for o in api.operations}


def test_callouts_place_calls_that_calls_get_reads(
    platform: LocalPlatform, client: sv.VoiceClient
) -> None:
    placed = client.callouts.tts(destination=DEST, text="Your code is 1234", custom="order-7")
    platform.wait_for_calls()  # spoken, then hung up: with no callback URL too
    info = client.calls.get(placed.call_id)
    assert info.call_id == placed.call_id
    assert info.to == DEST
    assert info.status is sv.CallInformationStatus.FINAL
    assert info.custom == "order-7"
    other = client.callouts.conference(destination=DEST, conference_id="room")
    assert other.call_id != placed.call_id
    custom = client.callouts.custom(destination=DEST, ice='{"action": {"name": "hangup"}}')
    assert client.calls.get(custom.call_id).call_id == custom.call_id


def test_numbers_and_callback_urls_keep_their_state(client: sv.VoiceClient) -> None:
    client.applications.assign_numbers(numbers=["+46700000042"], application_key=KEY,
                                       capability=sv.NumberCapability.VOICE)  # fmt: skip
    owned = {n.number: n for n in client.applications.list_numbers().numbers or []}
    assert owned["+46700000042"].application_key == KEY
    client.applications.unassign_number(number="+46700000042")
    owned = {n.number: n for n in client.applications.list_numbers().numbers or []}
    assert owned["+46700000042"].application_key is sv.UNSET
    urls = sv.CallbackUrls(url=sv.CallbackUrl(primary="https://example.test/cb"))
    client.applications.update_callback_urls(KEY, urls)
    assert client.applications.get_callback_urls(KEY) == urls
    with pytest.warns(DeprecationWarning, match="deprecated by the vendor"):
        number = client.applications.query_number("+46700000042").number
    assert number is not sv.UNSET
    assert number.country_id == "SE"


def test_conference_operations_see_and_change_a_live_conference(
    platform: LocalPlatform, client: sv.VoiceClient
) -> None:
    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        start_response("200 OK", [("content-type", "application/json")])  # type: ignore[operator]
        return [b'{"action": {"name": "connectConf", "conferenceId": "room 1"}}']

    calls: list[sv.testing.Transcript] = []
    caller = threading.Thread(target=lambda: calls.append(platform.call(app=app, hold=5)))
    caller.start()
    assert wait_until(lambda: "room 1" in platform.conferences)
    (participant,) = client.conferences.get("room 1").participants or []
    assert participant.muted is False
    client.conferences.manage_participant(
        "room 1", participant.id, command=sv.ParticipantCommand.MUTE
    )  # type: ignore[arg-type]
    assert (client.conferences.get("room 1").participants or [])[0].muted is True
    client.conferences.kick_participant(conference_id="room 1", call_id=participant.id)  # type: ignore[arg-type]
    caller.join(timeout=10)
    calls[0].assert_ended(reason="MANAGERHANGUP", result="ANSWERED")
    with pytest.raises(sv.NotFoundError) as caught:
        client.conferences.get("room 1")
    assert caught.value.error_code == "40400"
    client.conferences.kick_all("room 1")  # nothing left: still accepted


def test_a_parked_call_goes_on_when_the_app_updates_it(
    platform: LocalPlatform, client: sv.VoiceClient
) -> None:
    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        start_response("200 OK", [("content-type", "application/json")])  # type: ignore[operator]
        return [b'{"action": {"name": "park", "introPrompt": "#tts[Hold on]"}}']

    done: list[sv.testing.Transcript] = []
    caller = threading.Thread(target=lambda: done.append(platform.call(app=app, hold=5)))
    caller.start()
    assert wait_until(lambda: any(c.status == "ONGOING" for c in platform.calls.values()))
    call_id = next(iter(platform.calls))
    assert wait_until(
        lambda: bool(
            platform.calls[call_id].transcript and platform.calls[call_id].transcript.of("park")
        )
    )  # type: ignore[union-attr]
    update = sv.Svaml(
        instructions=[sv.SvamlInstructionSay(text="Thanks for waiting")],
        action=sv.SvamlActionHangup(),
    )
    client.calls.update(call_id, update)
    caller.join(timeout=10)
    done[0].assert_heard("Thanks for waiting")
    done[0].assert_ended(reason="MANAGERHANGUP")
    with pytest.raises(sv.ConflictError):
        client.calls.manage_with_call_leg(call_id, sv.CallLeg.CALLER, update)


def test_errors_are_answered_as_the_platform_does(platform: LocalPlatform) -> None:
    wrong = sv.VoiceClient(KEY, "c2VjcmV0", base_url=platform.url, allow_http=True, max_retries=0)
    with pytest.raises(sv.UnauthorizedError) as caught:
        wrong.calls.get("c1")
    assert caught.value.error_code == "40100"
    assert caught.value.reference
    stale = sv.VoiceClient(
        KEY, SECRET, base_url=platform.url, allow_http=True, clock=lambda: 1_000_000_000.0
    )
    with pytest.raises(sv.UnauthorizedError):
        stale.calls.get("c1")
    good = sv.VoiceClient(KEY, SECRET, base_url=platform.url, allow_http=True)
    with pytest.raises(sv.NotFoundError) as missing:
        good.calls.get("no-such-call")
    assert missing.value.error_code == "40400"
    assert missing.value.message == "no call 'no-such-call'"
    # a body the spec refuses (checked by the platform's JSON Schema, not our models)
    body = b'{"method": "ttsCallout", "ttsCallout": {"text": 5}}'
    headers = sign_callback(KEY, SECRET, "/calling/v1/callouts", body)
    request = urllib.request.Request(
        platform.url + "/calling/v1/callouts", data=body, headers=headers, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400
    problem = refused.value.read()
    assert b'"errorCode": 40001' in problem
    assert b"5 is not of type 'string'" in problem


def test_platform_errors_carry_a_body_like_the_platforms() -> None:
    error = PlatformError(404, 40400, "no call")
    assert error.body["errorCode"] == 40400
    assert error.body["message"] == "no call"
    assert len(error.body["reference"]) == 32


def test_the_platform_never_shows_an_application_secret(platform: LocalPlatform) -> None:
    shown = repr(vars(platform)) + repr(platform.applications) + str(platform.applications)
    assert KEY in shown
    assert SECRET not in shown
