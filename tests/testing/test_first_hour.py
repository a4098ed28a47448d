"""What a new user meets in the first hour with the local platform (issue 23): callouts
that run with no callback URL, parked calls that wait, updates the platform refuses,
the callback path, digits nobody read, and the 401 that names the key signed with."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sinch_voice as sv
from sinch_voice.signing import signed_headers
from sinch_voice.svaml import CallUpdate
from sinch_voice.testing import LocalPlatform, Transcript
from sinch_voice.testing.platform import wait_until

KEY, SECRET = "app-1", "BeIukql3pTKJ8RGL5zo0DA=="
CALLEE = "+46700000001"
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint=CALLEE)
WSGI = Callable[[dict[str, Any], Any], list[bytes]]


def answering(*answers: dict[str, Any], seen: list[dict[str, Any]] | None = None) -> WSGI:
    """A WSGI app answering each callback with the next of ``answers`` (then ``{}``),
    noting each callback body (and its path) in ``seen``."""
    queue = list(answers)

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = json.loads(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        if seen is not None:
            seen.append({**body, "_path": environ["PATH_INFO"]})
        start_response("200 OK", [("content-type", "application/json")])
        answer = queue.pop(0) if queue and body["event"] != "dice" else {}
        return [json.dumps(answer).encode()]

    return app


@pytest.fixture
def client() -> Iterator[Callable[[LocalPlatform], sv.VoiceClient]]:
    made: list[sv.VoiceClient] = []

    def make(platform: LocalPlatform) -> sv.VoiceClient:
        made.append(
            sv.VoiceClient(KEY, SECRET, base_url=platform.url, allow_http=True, max_retries=0)
        )
        return made[-1]

    yield make
    for each in made:
        each.close()


def transcript(platform: LocalPlatform, call_id: str) -> Transcript:
    found = platform.calls[call_id].transcript
    assert found is not None
    return found


def parked(platform: LocalPlatform, call_id: str) -> bool:
    found = platform.calls[call_id].transcript  # set once the call's thread has started
    return found is not None and bool(found.of("park"))


# -- callouts with no app and no callback URL -------------------------------------------


def test_a_tts_callout_without_callbacks_rings_speaks_and_hangs_up(
    client: Callable[[LocalPlatform], sv.VoiceClient],
) -> None:
    with LocalPlatform({KEY: SECRET}) as platform:
        placed = client(platform).callouts.tts(destination=DEST, text="Your code is 1234")
        platform.wait_for_calls()
        info = client(platform).calls.get(placed.call_id)
    assert info.status is sv.CallInformationStatus.FINAL
    call = transcript(platform, placed.call_id)
    call.assert_connected(CALLEE)
    call.assert_heard("Your code is 1234")
    assert call.callbacks == []  # no callback URL: nothing was sent
    assert platform.calls[placed.call_id].reason == "CALLEEHANGUP"


def test_a_callout_rings_the_callee_the_platform_scripts(
    client: Callable[[LocalPlatform], sv.VoiceClient],
) -> None:
    with LocalPlatform({KEY: SECRET}, callees={CALLEE: "busy"}) as platform:
        placed = client(platform).callouts.tts(destination=DEST, text="Hi")
        platform.wait_for_calls()
    assert platform.calls[placed.call_id].result == "BUSY"
    assert transcript(platform, placed.call_id).heard == []


def test_a_conference_callout_joins_its_conference_until_kicked(
    client: Callable[[LocalPlatform], sv.VoiceClient],
) -> None:
    with LocalPlatform({KEY: SECRET}) as platform:
        voice = client(platform)
        placed = voice.callouts.conference(destination=DEST, conference_id="room-7")
        assert wait_until(lambda: "room-7" in platform.conferences)
        time.sleep(0.5)  # longer than the old 0.2 s: still there
        participants = voice.conferences.get("room-7").participants
        assert participants is not sv.UNSET
        assert [p.id for p in participants] == [placed.call_id]
        voice.conferences.kick_all("room-7")
        platform.wait_for_calls()
    assert platform.calls[placed.call_id].reason == "MANAGERHANGUP"


def test_waiting_for_a_call_that_cannot_end_says_which_and_why(
    client: Callable[[LocalPlatform], sv.VoiceClient],
) -> None:
    """Found by a new user: wait_for_calls returned after its timeout as if the calls had
    ended, and the conference callout read back ONGOING."""
    with LocalPlatform({KEY: SECRET}) as platform:
        placed = client(platform).callouts.conference(destination=DEST, conference_id="room-8")
        with pytest.raises(TimeoutError) as caught:
            platform.wait_for_calls(timeout=0.5)
        assert placed.call_id in str(caught.value)
        assert "LocalPlatform(hold=SECONDS)" in str(caught.value)
        client(platform).conferences.kick_all("room-8")
        platform.wait_for_calls()  # kicked: it ends


def test_a_custom_callout_runs_its_inline_svaml(
    client: Callable[[LocalPlatform], sv.VoiceClient],
) -> None:
    ice = '{"instructions": [{"name": "say", "text": "Hello from inline SVAML"}], "action": {"name": "hangup"}}'  # noqa: E501
    with LocalPlatform({KEY: SECRET}) as platform:
        placed = client(platform).callouts.custom(destination=DEST, ice=ice)
        platform.wait_for_calls()
    transcript(platform, placed.call_id).assert_heard("Hello from inline SVAML")
    assert platform.calls[placed.call_id].reason == "MANAGERHANGUP"


def test_calls_update_hangs_up_a_parked_callout(
    client: Callable[[LocalPlatform], sv.VoiceClient],
) -> None:
    ice = '{"action": {"name": "park", "introPrompt": "#tts[Hold on]", "maxDuration": 60}}'
    with LocalPlatform({KEY: SECRET}) as platform:
        voice = client(platform)
        placed = voice.callouts.custom(destination=DEST, ice=ice)
        assert wait_until(lambda: parked(platform, placed.call_id))
        time.sleep(0.5)  # parked longer than the old 0.2 s
        voice.calls.update(placed.call_id, action=sv.SvamlActionHangup())
        platform.wait_for_calls()
        info = voice.calls.get(placed.call_id)
    assert info.status is sv.CallInformationStatus.FINAL
    assert info.reason is sv.CallInformationReason.MANAGERHANGUP


def test_wait_for_calls_waits_for_callouts_with_no_callback() -> None:
    with LocalPlatform({KEY: SECRET}, hold=0.5) as platform:
        voice = sv.VoiceClient(KEY, SECRET, base_url=platform.url, allow_http=True)
        placed = voice.callouts.conference(destination=DEST, conference_id="room")
        started = time.monotonic()
        platform.wait_for_calls()
        voice.close()
    assert time.monotonic() - started >= 0.4
    assert platform.calls[placed.call_id].status == "FINAL"


# -- parked calls --------------------------------------------------------------------------


def test_a_parked_call_ends_when_its_max_duration_does_and_sends_no_ace() -> None:
    seen: list[dict[str, Any]] = []
    park = {"action": {"name": "park", "holdPrompt": "#tts[Please wait]", "maxDuration": 1}}
    with LocalPlatform({KEY: SECRET}, app=answering(seen=seen)) as platform:
        placed_at = time.monotonic()
        placed = sv.VoiceClient(KEY, SECRET, base_url=platform.url, allow_http=True)
        call_id = placed.callouts.custom(destination=DEST, ice=json.dumps(park)).call_id
        platform.wait_for_calls()
        placed.close()
    took = time.monotonic() - placed_at
    assert 0.9 <= took < 5, took
    assert [b["event"] for b in seen] == ["dice"]
    assert platform.calls[call_id].reason == "TIMEOUT"


def test_a_parked_incoming_call_waits_past_the_old_window_for_its_update(
    client: Callable[[LocalPlatform], sv.VoiceClient],
) -> None:
    seen: list[dict[str, Any]] = []
    app = answering({"action": {"name": "park", "maxDuration": 30}}, seen=seen)
    with LocalPlatform({KEY: SECRET}) as platform:
        done: list[Transcript] = []
        caller = threading.Thread(target=lambda: done.append(platform.call(app=app)))
        caller.start()
        assert wait_until(lambda: any(c.transcript and c.transcript.of("park")
                                      for c in platform.calls.values()))  # fmt: skip
        time.sleep(0.6)
        call_id = next(iter(platform.calls))
        client(platform).calls.update(call_id, call_update_hangup())
        caller.join(timeout=10)
    done[0].assert_ended(reason="MANAGERHANGUP")
    assert [b["event"] for b in seen] == ["ice", "dice"]  # no ACE after the hangup


def call_update_hangup() -> sv.Svaml:
    from sinch_voice.svaml import call_update

    built: sv.Svaml = call_update().say("Goodbye").hangup().build()
    return built


def test_hold_makes_a_parked_caller_hang_up_first() -> None:
    app = answering({"action": {"name": "park", "maxDuration": 30}})
    with LocalPlatform({KEY: SECRET}) as platform:
        call = platform.call(app=app, hold=0.3)
    call.assert_ended(reason="CALLERHANGUP")


# -- what an update may carry ----------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        sv.SvamlActionConnectPstn(number="+46700000100"),
        sv.SvamlActionRunMenu(menus=[sv.Menu(id="main", main_prompt="#tts[Hi]")]),
    ],
    ids=["connectPstn", "runMenu"],
)
def test_an_update_with_an_action_the_platform_refuses_is_an_error(action: Any) -> None:
    """Sent as another SDK would send it (the client refuses it before sending: see
    tests/client/test_safe_api.py), the platform answers 400 with its error body."""
    with LocalPlatform({KEY: SECRET}) as platform:
        call = platform.add_call()
        path = f"/calling/v1/calls/id/{call.call_id}"
        body = sv.dumps(sv.Svaml(action=action))
        request = urllib.request.Request(
            platform.url + path,
            data=body,
            headers=signed_headers(KEY, SECRET, "PATCH", path, body),
            method="PATCH",
        )
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=10)
    error = json.loads(caught.value.read())
    assert caught.value.code == 400
    assert error["errorCode"]
    assert action.name in error["message"]
    assert call.updates.empty()  # nothing was carried out
    assert platform.requests[-1]["status"] == 400


def test_the_builder_and_the_platform_agree_on_what_an_update_carries() -> None:
    assert LocalPlatform.UPDATE_ACTIONS == CallUpdate.ACTIONS == {"hangup", "continue", "park"}


# -- the callback path, digits nobody read, digits as ints, the 401 ----------------------


def test_the_in_process_apps_callback_path_is_configurable() -> None:
    seen: list[dict[str, Any]] = []
    hangup = {"action": {"name": "hangup"}}
    with LocalPlatform({KEY: SECRET}, callback_path="/hooks/voice") as platform:
        platform.call(app=answering(hangup, seen=seen))
    assert {b["_path"] for b in seen} == {"/hooks/voice"}
    dispatcher = sv.webhooks.Dispatcher(KEY, SECRET)
    dispatcher.on_ice(lambda event: sv.Svaml(action=sv.SvamlActionHangup()))
    with LocalPlatform({KEY: SECRET}, callback_path="/hooks/voice") as platform:
        call = platform.call(app=dispatcher)  # the signature covers the path: it verifies
    call.assert_ended(reason="MANAGERHANGUP")


def test_digits_no_menu_read_are_noted_and_ints_are_digits() -> None:
    menu = {
        "action": {
            "name": "runMenu",
            "menus": [{"id": "main", "mainPrompt": "#tts[Press 1]",
                       "options": [{"dtmf": "1", "action": "return(one)"}]}],
        }
    }  # fmt: skip
    with LocalPlatform({KEY: SECRET}) as platform:
        call = platform.call(app=answering(menu, {"action": {"name": "hangup"}}), press=[1, 2])
    assert call.of("press")[0].text == "1"
    unread = call.of("unread")
    assert len(unread) == 1
    assert "2" in unread[0].text
    with LocalPlatform({KEY: SECRET}) as platform, pytest.raises(TypeError, match="press"):
        platform.call(app=answering(menu), press=[1.5])  # type: ignore[list-item]


def test_a_401_from_the_app_names_the_key_the_platform_signed_with() -> None:
    dispatcher = sv.webhooks.Dispatcher("my-key", "bXktc2VjcmV0")
    with LocalPlatform() as platform:
        call = platform.call(app=dispatcher)
    error = call.of("error")[0].text
    assert "401" in error
    assert "'local-application-key'" in error
    assert "bG9jYWwtc2VjcmV0" not in str(call)  # the secret is not shown


def test_the_platform_accepts_many_connections_at_once() -> None:
    with LocalPlatform({KEY: SECRET}) as platform:
        assert platform._server.request_queue_size >= 128


def test_a_parked_callout_unparked_into_a_hangup_sends_no_ace(
    client: Callable[[LocalPlatform], sv.VoiceClient],
) -> None:
    seen: list[dict[str, Any]] = []
    ice = '{"action": {"name": "park", "holdPrompt": "#tts[Please wait]"}}'
    with LocalPlatform({KEY: SECRET}, app=answering(seen=seen)) as platform:
        voice = client(platform)
        placed = voice.callouts.custom(destination=DEST, ice=ice)
        assert wait_until(lambda: parked(platform, placed.call_id))
        voice.calls.update(placed.call_id, call_update_hangup())
        platform.wait_for_calls()
    assert [b["event"] for b in seen] == ["dice"]
    transcript(platform, placed.call_id).assert_heard("Goodbye")
    assert platform.calls[placed.call_id].reason == "MANAGERHANGUP"


def test_calls_update_hangs_up_a_conference_callout(
    client: Callable[[LocalPlatform], sv.VoiceClient],
) -> None:
    with LocalPlatform({KEY: SECRET}) as platform:
        voice = client(platform)
        placed = voice.callouts.conference(destination=DEST, conference_id="room-8")
        assert wait_until(lambda: "room-8" in platform.conferences)
        voice.calls.update(placed.call_id, call_update_hangup())
        platform.wait_for_calls()
        assert "room-8" not in platform.conferences
    transcript(platform, placed.call_id).assert_heard("Goodbye")
    assert platform.calls[placed.call_id].reason == "MANAGERHANGUP"
