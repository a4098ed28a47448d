"""The call engine carries out every SVAML action and instruction as the platform does,
and the transcript says what happened; answers are checked against the spec."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sinch_voice as sv
from sinch_voice.svaml import ace_response, ice_response, pie_response
from sinch_voice.testing import Callee, LocalPlatform, Transcript
from sinch_voice.webhooks import Dispatcher

KEY, SECRET = "app-1", "BeIukql3pTKJ8RGL5zo0DA=="


@pytest.fixture
def platform() -> Iterator[LocalPlatform]:
    with LocalPlatform({KEY: SECRET}) as running:
        yield running


def app_with(**handlers: Callable[..., Any]) -> Dispatcher:
    dispatcher = Dispatcher(KEY, SECRET, strict=True)
    for event, handler in handlers.items():
        dispatcher.on(event, handler)
    return dispatcher


def kinds(transcript: Transcript) -> list[str]:
    return [e.kind for e in transcript.entries]


def test_every_instruction_is_carried_out(platform: LocalPlatform) -> None:
    recording = sv.StartRecordingOptions(destination_url="s3://bucket/", notification_events=True)
    answer = (
        ice_response()
        .answer()
        .say("Welcome", locale="en-US")
        .play_files(["https://example.test/jingle.mp3"])
        .send_dtmf("1w2#")
        .set_cookie("step", "greeted")
        .start_recording(options=recording)
        .stop_recording()
        .hangup()
    )
    notified: list[str] = []
    call = platform.call(
        app=app_with(ice=lambda e: answer, notify=lambda e: notified.append(e.type))
    )
    assert kinds(call)[:13] == [
        "call", "callback", "answer", "answer", "say", "play", "dtmf", "cookie",
        "recording", "recording", "callback", "callback", "hangup",
    ]  # fmt: skip
    call.assert_heard("Welcome")
    call.assert_heard("https://example.test/jingle.mp3")
    assert notified == ["recording_finished", "recording_available"]
    assert platform.calls[call.call_id].cookies == {"step": "greeted"}
    call.assert_ended(reason="MANAGERHANGUP", result="ANSWERED")


def test_a_menu_returns_collects_navigates_and_times_out(platform: LocalPlatform) -> None:
    menus = sv.SvamlActionRunMenu(
        menus=[
            sv.Menu(id="main", main_prompt="#tts[Main]", options=[
                sv.MenuOption(dtmf="1", action="return(sales)"),
                sv.MenuOption(dtmf="2", action="menu(pin)"),
            ]),
            sv.Menu(id="pin", main_prompt="#tts[PIN]", max_digits=4),
        ]
    )  # fmt: skip
    results: list[Any] = []

    def pie(event: sv.PieRequest) -> sv.Svaml:
        results.append(event.menu_result)
        return sv.Svaml(action=sv.SvamlActionHangup())

    dispatcher = app_with(ice=lambda e: sv.Svaml(action=menus), pie=pie)
    for presses in (["1"], ["2", "1234"], [], ["9"]):
        platform.call(app=dispatcher, press=presses)
    found = [(r.menu_id, r.type.value, r.value) for r in results]
    assert found == [
        ("main", "return", "sales"),
        ("pin", "sequence", "1234"),
        ("main", "timeout", ""),
        ("main", "invalidinput", "9"),
    ]


SIP = sv.SipDestination(endpoint="a@sip.test")
MXP = sv.Destination(type=sv.DestinationType.USERNAME, endpoint="alice")
STREAM = sv.Destination(type=sv.DestinationType.WEBSOCKET, endpoint="wss://s.test")


@pytest.mark.parametrize(
    ("action", "to"),
    [
        (sv.SvamlActionConnectPstn(number="+46700000100"), "+46700000100"),
        (sv.SvamlActionConnectSip(destination=SIP), "a@sip.test"),
        (sv.SvamlActionConnectMxp(destination=MXP), "alice"),
        (sv.SvamlActionConnectStream(destination=STREAM), "wss://s.test"),
    ],
)
def test_connect_actions_reach_a_callee_then_ace_and_dice(
    platform: LocalPlatform, action: Any, to: str
) -> None:
    call = platform.call(
        app=app_with(
            ice=lambda e: sv.Svaml(action=action), ace=lambda e: ace_response().continue_()
        )
    )
    call.assert_connected(to)
    assert [c["event"] for c in call.callbacks] == ["ice", "ace", "dice"]
    call.assert_ended(reason="CALLEEHANGUP", result="ANSWERED")


@pytest.mark.parametrize(
    ("callee", "reason", "result"),
    [("busy", "N/A", "BUSY"), ("no-answer", "TIMEOUT", "NOANSWER")],
)
def test_a_callee_that_does_not_answer(
    platform: LocalPlatform, callee: str, reason: str, result: str
) -> None:
    answer = ice_response().connect_pstn("+46700000100")
    call = platform.call(app=app_with(ice=lambda e: answer), callees={"+46700000100": callee})
    assert call.connected_to == []
    call.assert_ended(reason=reason, result=result)


def test_amd_tells_a_machine_and_the_app_hangs_up(platform: LocalPlatform) -> None:
    seen: list[Any] = []

    def ace(event: sv.AceRequest) -> Any:
        seen.append(event.amd)
        return ace_response().hangup()

    answer = ice_response().connect_pstn("+46700000100", amd=sv.AmdOptions(enabled=True))
    call = platform.call(
        app=app_with(ice=lambda e: answer, ace=ace),
        callees={"+46700000100": Callee("machine")},
    )
    assert seen[0].status is sv.AmdStatus.MACHINE
    call.assert_ended(reason="MANAGERHANGUP")


def test_async_amd_comes_in_a_notification(platform: LocalPlatform) -> None:
    notes: list[Any] = []
    answer = ice_response().connect_pstn("+1", amd=sv.AmdOptions(enabled=True, async_=True))
    platform.call(app=app_with(ice=lambda e: answer, notify=notes.append))
    assert notes[0].type == "amd"
    assert notes[0].amd.status is sv.AmdStatus.HUMAN


def test_continue_from_a_pie_and_a_conference(platform: LocalPlatform) -> None:
    menu = sv.SvamlActionRunMenu(menus=[sv.Menu(id="main", main_prompt="#tts[Go]")])
    call = platform.call(
        app=app_with(
            ice=lambda e: sv.Svaml(action=menu),
            pie=lambda e: pie_response().say("Joining").connect_conf("team"),
        ),
        press=["5"],
    )
    assert "conference" in kinds(call)
    call.assert_ended(reason="CALLERHANGUP", result="ANSWERED")
    quiet = platform.call(app=app_with(ice=lambda e: sv.Svaml(action=sv.SvamlActionContinue())))
    assert "error" in kinds(quiet)  # continue does not answer an ICE: refused, as the spec says


@pytest.mark.parametrize(
    ("status", "body", "delay", "why"),
    [
        ("500 Internal Server Error", b"{}", 0.0, "HTTP 500"),
        ("200 OK", b"not json", 0.0, "not JSON"),
        ("200 OK", b'{"action": {"name": "continue"}}', 0.0, "cannot be answered with 'continue'"),
        ("200 OK", b'{"action": {"name": "say"}}', 0.0, "not valid SVAML"),
        ("200 OK", b'{"action": {"name": "hangup"}}', 0.3, "late"),
    ],
)
def test_an_answer_the_platform_cannot_use_ends_the_call(
    platform: LocalPlatform, status: str, body: bytes, delay: float, why: str
) -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        time.sleep(delay)
        start_response(status, [("content-type", "application/json")])
        return [body if json.loads(environ["wsgi.input"].read())["event"] == "ice" else b"{}"]

    call = platform.call(app=app, callback_deadline=0.2)
    error = call.of("error")[0]  # the ICE's; later callbacks may be refused alike
    assert why in error.text
    call.assert_ended(reason="CALLBACKERROR", result="FAILED")


def test_callbacks_are_signed_as_the_platform_signs_them(platform: LocalPlatform) -> None:
    seen: list[bool] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        # an independent implementation of the signature, from Sinch's documentation
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode()  # noqa: S324
        message = "\n".join(
            ["POST", md5, environ["CONTENT_TYPE"], "x-timestamp:" + environ["HTTP_X_TIMESTAMP"],
             environ["PATH_INFO"]]
        )  # fmt: skip
        digest = hmac.new(base64.b64decode(SECRET), message.encode(), hashlib.sha256).digest()
        seen.append(
            environ["HTTP_AUTHORIZATION"]
            == f"Application {KEY}:{base64.b64encode(digest).decode()}"
        )
        assert environ["HTTP_X_TIMESTAMP"].endswith("Z")
        event = json.loads(body)
        assert "callid" in event
        assert "callId" not in event
        start_response("200 OK", [("content-type", "application/json")])
        return [b'{"action": {"name": "hangup"}}' if event["event"] == "ice" else b"{}"]

    platform.call(app=app)
    assert seen == [True, True]  # the ICE and the DICE
