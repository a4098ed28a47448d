"""Every hostile input the issue lists, through the entry point it concerns: never an
exception, never a 500 unless a handler raised, never data echoed into logs or bodies."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest
import sinch_voice as sv
from sinch_voice.signing import Secret, sign
from sinch_voice.webhooks import CallbackRequest, Response

from .helpers import ADAPTERS, KEY, NOW, SECRET, event_body, make_dispatcher, signed_headers

PATH = "/voice"


@pytest.fixture(params=sorted(ADAPTERS))
def send(request: pytest.FixtureRequest) -> Callable[..., Response]:
    return ADAPTERS[request.param]


def signed(body: bytes, **headers: str) -> dict[str, str]:
    return {**signed_headers(body, PATH), **headers}


@pytest.mark.parametrize(
    "stamp", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2024-05-01"]
)
def test_an_extreme_or_zoneless_x_timestamp_is_a_401_not_a_500(
    send: Callable[..., Response], stamp: str
) -> None:
    body = event_body("ice")
    headers = {
        "content-type": "application/json",
        "x-timestamp": stamp,
        "authorization": f"Application {KEY}:AAAA",
    }
    assert send(make_dispatcher(), "POST", PATH, headers, body).status == 401


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_an_extreme_timestamp_in_a_signed_body_is_a_400(
    send: Callable[..., Response], stamp: str
) -> None:
    body = event_body("ice", timestamp=stamp)
    response = send(make_dispatcher(), "POST", PATH, signed(body), body)
    assert response.status == 400
    assert b"timestamp: expected an ISO 8601 timestamp" in response.body


@pytest.mark.parametrize("header", ["Authorization", "X-Timestamp"])
def test_a_repeated_security_header_is_refused(header: str) -> None:
    body = event_body("ice")
    good = signed_headers(body, PATH)
    bad = {
        **good,
        header: "Application x:AAAA" if header == "Authorization" else "2024-05-01T12:00:00Z",
    }
    for first, second in ((bad, good), (good, bad), (good, good)):
        pairs = [*first.items(), (header, second[header])]
        response = make_dispatcher().handle("POST", PATH, pairs, body)
        assert response.status == 401, (first[header], second[header])
        asgi = ADAPTERS["asgi"](make_dispatcher(), "POST", PATH, pairs, body)
        assert asgi.status == 401


@pytest.mark.parametrize("depth", [100, 255, 256, 600, 1024, 1025, 5000])
def test_any_nesting_depth_gets_an_answer(send: Callable[..., Response], depth: int) -> None:
    body = b'{"event": "ice", "deep": ' + b"[" * depth + b"]" * depth + b"}"
    response = send(make_dispatcher(max_body_bytes=1 << 20), "POST", PATH, signed(body), body)
    assert response.status in (200, 400)
    if response.status == 200:  # accepted: it can be written back
        assert sv.dumps(sv.loads(body, sv.IceRequest))


def test_a_lone_surrogate_is_refused_at_the_door(send: Callable[..., Response]) -> None:
    for body in (
        b'{"event": "ice", "cli": "\\ud800"}',
        b'{"event": "ice", "\\udfff": 1}',
        b'{"event": "ice", "cli": "\\\\ud800", "x": "\\ud800"}',
    ):
        response = send(make_dispatcher(), "POST", PATH, signed(body), body)
        assert response.status == 400, body
        assert b"lone surrogate" in response.body
    paired = b'{"event": "ice", "cli": "\\ud83d\\ude00"}'
    dispatcher = make_dispatcher()
    dispatcher.on_ice(lambda event: sv.Svaml(instructions=[sv.SvamlInstructionSay(text=event.cli)]))  # type: ignore[arg-type]
    response = send(dispatcher, "POST", PATH, signed(paired), paired)
    assert response.status == 200
    assert json.loads(response.body)["instructions"][0]["text"] == "\U0001f600"


def test_surrogates_in_the_path_or_content_type_are_refused_not_raised() -> None:
    body = event_body("ice")
    headers = signed(body)
    assert make_dispatcher().handle("POST", "/voice\udc80", headers, body).status == 401
    bad_type = {**headers, "Content-Type": "application/json\udc80"}
    assert make_dispatcher().handle("POST", PATH, bad_type, body).status == 401
    unsigned = make_dispatcher(verify=False).handle(
        "POST", PATH, {"content-type": "application/json\udc80"}, body
    )
    assert unsigned.status == 415


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json; charset=utf-8", 200),
        ('application/json; charset="UTF-8"', 200),
        ("application/json; charset=iso-8859-1", 415),
        ("application/json; charset=utf-16", 415),
        ("text/plain", 415),
    ],
)
def test_only_utf_8_json_is_read(
    send: Callable[..., Response], content_type: str, status: int
) -> None:
    body = event_body("dice")
    headers = signed_headers(body, PATH, content_type=content_type)
    assert send(make_dispatcher(), "POST", PATH, headers, body).status == status


def test_values_are_not_echoed_into_the_body_or_the_log(
    send: Callable[..., Response], caplog: pytest.LogCaptureFixture
) -> None:
    body = event_body("ice", to="+46700000000")  # a phone number where an object belongs
    with caplog.at_level(logging.INFO, logger="sinch_voice.webhooks"):
        response = send(make_dispatcher(), "POST", PATH, signed(body), body)
    assert response.status == 400
    assert json.loads(response.body) == {
        "error": "ice event: $.to: expected an object, got a string"
    }
    assert "46700000000" not in caplog.text
    key = "k" * 3000
    repeated = f'{{"event": "ice", "{key}": 1, "{key}": 2}}'.encode()
    response = send(make_dispatcher(), "POST", PATH, signed(repeated), repeated)
    assert response.status == 400
    assert len(response.body) < 200


def test_a_handler_answering_none_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    dispatcher = make_dispatcher()
    dispatcher.on_ice(lambda event: None)
    body = event_body("ice")
    with caplog.at_level(logging.WARNING, logger="sinch_voice.webhooks"):
        response = dispatcher.handle("POST", PATH, signed(body), body)
    assert json.loads(response.body) == {"action": {"name": "hangup"}}
    assert "the ice handler answered None: answering hangup (the default)" in caplog.text


def test_a_late_async_handler_gets_the_default_answer(caplog: pytest.LogCaptureFixture) -> None:
    dispatcher = make_dispatcher(deadline=0.05)

    @dispatcher.on_ice
    async def slow(event: sv.IceRequest) -> sv.Svaml:
        await asyncio.sleep(1)
        return sv.Svaml(action=sv.SvamlActionConnectPstn(number="+1"))

    body = event_body("ice")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="sinch_voice.webhooks"):
        response = dispatcher.handle("POST", PATH, signed(body), body)
        asgi = ADAPTERS["asgi"](dispatcher, "POST", PATH, signed(body), body)
    assert time.monotonic() - started < 0.9
    for answer in (response, asgi):
        assert json.loads(answer.body) == {"action": {"name": "hangup"}}
    assert "did not answer within the 0.1 s deadline" in caplog.text


def test_a_handler_may_ask_for_the_request() -> None:
    dispatcher = make_dispatcher()
    seen: list[CallbackRequest] = []

    @dispatcher.on_dice
    def ended(event: sv.DiceRequest, request: CallbackRequest) -> None:
        seen.append(request)

    body = event_body("dice")
    headers = signed(body)
    for _ in range(2):  # the platform delivering the same callback twice
        assert dispatcher.handle("POST", PATH, headers, body).status == 200
    first, second = seen
    assert first.timestamp == headers["X-Timestamp"]
    assert first.application_key == KEY
    assert first.path == PATH
    assert first.delivery_key == second.delivery_key != ""
    assert SECRET not in repr(first)


def test_unsigned_requests_see_only_401_405_413(send: Callable[..., Response]) -> None:
    dispatcher = make_dispatcher(max_body_bytes=50)
    cases: list[tuple[str, dict[str, str], bytes]] = [
        ("POST", {}, b"{}"),
        ("GET", {}, b""),
        ("POST", {"content-type": "text/plain"}, b"x" * 60),
        ("POST", {"authorization": "Application nobody:AAAA", "x-timestamp": "bad"}, b"{}"),
    ]
    statuses = {
        send(dispatcher, method, PATH, headers, body).status for method, headers, body in cases
    }
    assert statuses <= {401, 405, 413}


def test_the_signature_helper_matches_the_dispatcher() -> None:
    body = event_body("ace")
    stamp = "2024-05-01T12:00:00.000Z"
    signature = sign(Secret(SECRET), "POST", body, "application/json", stamp, PATH)
    headers: dict[str, Any] = {
        "content-type": "application/json",
        "x-timestamp": stamp,
        "authorization": f"Application {KEY}:{signature}",
    }
    assert make_dispatcher(clock=lambda: NOW).handle("POST", PATH, headers, body).status == 200
