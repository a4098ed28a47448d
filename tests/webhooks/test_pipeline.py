"""The one pipeline: adapters say "too large" outright, and both drivers answer alike."""

from __future__ import annotations

import asyncio
import io
import logging
import time
from typing import Any

import pytest
import sinch_voice as sv
from sinch_voice.signing import basic_authorization
from sinch_voice.webhooks import Dispatcher
from sinch_voice.webhooks._asgi import read_body as asgi_read_body
from sinch_voice.webhooks._core import TooLarge
from sinch_voice.webhooks._wsgi import read_body as wsgi_read_body

from .helpers import (
    KEY,
    NOW,
    SECRET,
    event_body,
    make_dispatcher,
    signed_headers,
    via_asgi,
    via_wsgi,
)

PATH = "/sinch/callback"


class Counted(io.BytesIO):
    """A WSGI input that counts the bytes read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


def test_wsgi_says_too_large_instead_of_inventing_a_body() -> None:
    declared = Counted(b"x" * 500)
    found = wsgi_read_body({"wsgi.input": declared, "CONTENT_LENGTH": "500"}, 100)
    assert found == TooLarge(declared=500)
    assert declared.taken == 0  # the declared length alone decides: nothing read
    chunked = Counted(b"x" * 500)
    found = wsgi_read_body({"wsgi.input": chunked, "wsgi.input_terminated": True}, 100)
    assert found == TooLarge(declared=None)
    assert chunked.taken == 101  # one byte past the limit tells
    exact = Counted(b"x" * 100)
    assert wsgi_read_body({"wsgi.input": exact, "wsgi.input_terminated": True}, 100) == b"x" * 100


def asgi_body(messages: list[dict[str, Any]], fields: dict[str, str], limit: int) -> Any:
    received: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        message = messages.pop(0) if messages else {"type": "http.disconnect"}
        received.append(message)
        return message

    return asyncio.run(asgi_read_body(receive, fields, limit)), len(received)


def chunks(body: bytes, size: int) -> list[dict[str, Any]]:
    return [
        {"type": "http.request", "body": body[i : i + size], "more_body": i + size < len(body)}
        for i in range(0, len(body), size)
    ]


def test_asgi_says_too_large_instead_of_inventing_a_body() -> None:
    body = b"x" * 500
    assert asgi_body(chunks(body, 500), {"content-length": "500"}, 100) == (
        TooLarge(declared=500),
        0,  # not one message received
    )
    assert asgi_body(chunks(body, 30), {}, 100) == (TooLarge(declared=None), 4)  # 120 > 100
    assert asgi_body(chunks(body, 500), {}, 100) == (TooLarge(declared=None), 1)
    assert asgi_body(chunks(body[:100], 30), {}, 100) == (body[:100], 4)
    assert asgi_body(chunks(body[:100], 100), {"content-length": "100"}, 100) == (body[:100], 1)
    # a client that leaves mid-body: what came, then the pipeline finds it unsigned
    assert asgi_body(chunks(body, 30)[:2], {}, 100) == (body[:60], 3)


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_too_large_is_answered_by_the_pipeline_before_anything_else(
    caplog: pytest.LogCaptureFixture, method: str
) -> None:
    dispatcher = make_dispatcher(max_body_bytes=100)
    with caplog.at_level(logging.INFO, logger="sinch_voice.webhooks"):
        sync = dispatcher.respond(method, PATH, {}, TooLarge(declared=2_000))
        async_ = asyncio.run(dispatcher.respond_async(method, PATH, {}, TooLarge(declared=2_000)))
    expected = 413 if method == "POST" else 405  # the method is the first stage
    assert sync.status == async_.status == expected
    if method == "POST":
        assert sync.body == b'{"error":"body too large"}'
        assert caplog.text.count("over 100 bytes (Content-Length 2000)") == 2


def test_a_body_of_exactly_the_limit_is_read_under_both_servers() -> None:
    body = event_body("dice")
    dispatcher = make_dispatcher(max_body_bytes=len(body))
    headers = signed_headers(body, PATH)
    assert via_wsgi(dispatcher, "POST", PATH, headers, body).status == 200
    assert via_asgi(dispatcher, "POST", PATH, headers, body).status == 200
    bigger = make_dispatcher(max_body_bytes=len(body) - 1)
    assert via_wsgi(bigger, "POST", PATH, headers, body).status == 413
    assert via_asgi(bigger, "POST", PATH, headers, body).status == 413


def ice_answer(event: sv.IceRequest) -> sv.Svaml:
    return sv.Svaml(action=sv.SvamlActionHangup())


async def async_ice_answer(event: sv.IceRequest) -> sv.Svaml:
    return ice_answer(event)


def wrong_answer(event: sv.IceRequest) -> object:
    return "not SVAML"


def failing(event: sv.IceRequest) -> object:
    raise RuntimeError("the handler broke")


REQUESTS = {
    "not POST": ("GET", {}, b""),
    "too large": ("POST", {}, b"{" + b" " * 2000 + b"}"),
    "unsigned": ("POST", {"content-type": "application/json"}, event_body("ice")),
    "not JSON": (
        "POST",
        {k.lower(): v for k, v in signed_headers(b"hi", PATH, content_type="text/plain").items()},
        b"hi",
    ),
    "malformed": ("POST", None, b"{not json"),
    "ice": ("POST", None, event_body("ice", cli="46700000001")),
    "unknown event": ("POST", None, event_body("brand-new")),
    "dice": ("POST", None, event_body("dice")),
}


@pytest.mark.parametrize("handler", [None, ice_answer, async_ice_answer, wrong_answer, failing])
@pytest.mark.parametrize("request_name", sorted(REQUESTS))
def test_both_drivers_answer_every_request_alike(handler: Any, request_name: str) -> None:
    dispatcher = make_dispatcher(max_body_bytes=1000)
    if handler is not None:
        dispatcher.on_ice(handler)
    method, fields, body = REQUESTS[request_name]
    if fields is None:
        fields = {k.lower(): v for k, v in signed_headers(body, PATH).items()}
    sync = dispatcher.respond(method, PATH, dict(fields), body)
    async_ = asyncio.run(dispatcher.respond_async(method, PATH, dict(fields), body))
    assert sync == async_
    expected = {
        "not POST": 405,
        "too large": 413,
        "unsigned": 401,
        "not JSON": 415,
        "malformed": 400,
    }.get(request_name, 200)
    if request_name == "ice" and handler in (wrong_answer, failing):
        expected = 500
    assert sync.status == expected


def test_a_late_sync_handler_is_logged_and_its_answer_sent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dispatcher = make_dispatcher(deadline=0.05)

    @dispatcher.on_ice
    def slow(event: sv.IceRequest) -> sv.Svaml:
        time.sleep(0.08)
        return ice_answer(event)

    body = event_body("ice", cli="46700000001")
    with caplog.at_level(logging.WARNING, logger="sinch_voice.webhooks"):
        response = dispatcher.handle("POST", PATH, signed_headers(body, PATH), body)
    assert response.status == 200
    assert b"hangup" in response.body  # a sync handler cannot be stopped: its answer goes
    assert "the ice handler took" in caplog.text
    assert "over the 0.1 s deadline" in caplog.text  # 0.05 s, shown to one decimal


class OtherHeader(Dispatcher):
    SIGNED_HEADER = "x-other-signature"


def test_basic_credentials_come_in_authorization_whatever_header_carries_the_signature() -> None:
    dispatcher = OtherHeader(KEY, SECRET, clock=lambda: NOW, basic_auth=True)
    body = event_body("dice")
    signed = signed_headers(body, PATH)
    moved = {
        "content-type": signed["Content-Type"],
        "x-timestamp": signed["X-Timestamp"],
        "x-other-signature": signed["Authorization"],
    }
    assert dispatcher.handle("POST", PATH, moved, body).status == 200
    assert dispatcher.handle("POST", PATH, signed, body).status == 401  # not where it is read
    basic = {"content-type": "application/json", "authorization": basic_authorization(KEY, SECRET)}
    assert dispatcher.handle("POST", PATH, basic, body).status == 200
    basic["authorization"] = basic_authorization(KEY, "c2VjcmV0")
    assert dispatcher.handle("POST", PATH, basic, body).status == 401


def test_a_body_given_as_a_bytearray_is_read_not_taken_for_too_large() -> None:
    body = event_body("dice")
    dispatcher = make_dispatcher(max_body_bytes=len(body))
    headers = signed_headers(body, PATH)
    assert dispatcher.handle("POST", PATH, headers, bytearray(body)).status == 200  # type: ignore[arg-type]
