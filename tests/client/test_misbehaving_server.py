"""The client against a server that misbehaves on purpose: it breaks the connection after
the request went out, or trickles its answer a byte at a time."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import sinch_voice as sv

from .conftest import KEY, SECRET, Platform, Sleeps

Make = Callable[..., sv.VoiceClient]
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000000")


class RawServer:
    """A loopback server that reads one request and then does what ``behave`` says."""

    def __init__(self, behave: Callable[[socket.socket], None]) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.behave = behave
        self.requests = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.requests += 1
                with contextlib.suppress(OSError):  # the client may hang up first
                    self.behave(conn)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None]], RawServer]]:
    made: list[RawServer] = []

    def make(behave: Callable[[socket.socket], None]) -> RawServer:
        made.append(RawServer(behave))
        return made[-1]

    yield make
    for server in made:
        server.close()


def break_off(conn: socket.socket) -> None:
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"callId"')  # then gone


def test_a_post_broken_after_it_went_out_says_it_may_have_reached_the_platform(
    raw_server: Callable[..., RawServer], sleeps: Sleeps
) -> None:
    server = raw_server(break_off)
    client = sv.VoiceClient(KEY, SECRET, base_url=server.url, allow_http=True, sleep=sleeps)
    with pytest.raises(sv.ApiConnectionError) as caught:
        client.callouts.tts(destination=DEST, text="Hi")
    error = caught.value
    assert error.request_may_have_been_sent is True
    assert "the connection broke after the request went out" in str(error)
    assert "the call may have been placed" in str(error)
    assert server.requests == 1  # a POST that may have arrived is not sent again
    assert sleeps == []


def test_a_get_broken_after_it_went_out_is_retried(
    raw_server: Callable[..., RawServer], sleeps: Sleeps
) -> None:
    server = raw_server(break_off)
    client = sv.VoiceClient(KEY, SECRET, base_url=server.url, allow_http=True, sleep=sleeps)
    with pytest.raises(sv.ApiConnectionError) as caught:
        client.calls.get("c1")
    assert caught.value.request_may_have_been_sent is True
    assert server.requests == 3  # idempotent: sent again, twice
    assert len(sleeps) == 2


def trickle(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n")
    for byte in b'{"callId": "c1"}' + b" " * 24:
        conn.sendall(bytes([byte]))
        time.sleep(0.4)


def test_a_trickling_server_cannot_hold_a_call_past_its_deadline(
    raw_server: Callable[..., RawServer],
) -> None:
    server = raw_server(trickle)
    client = sv.VoiceClient(
        KEY, SECRET, base_url=server.url, allow_http=True, timeout=1.0, deadline=1.5
    )
    started = time.monotonic()
    with pytest.raises(sv.ApiTimeoutError) as caught:
        client.calls.get("c1")
    assert time.monotonic() - started < 3.0  # 40 bytes at 0.4 s each would take 16 s
    assert "the call's deadline of 1.5 s passed" in str(caught.value)
    assert caught.value.request_may_have_been_sent is True


def test_a_retry_after_date_in_the_past_backs_off_as_usual(
    make_client: Make, platform: Platform, sleeps: Sleeps
) -> None:
    past = "Mon, 01 Jan 2001 00:00:00 GMT"
    platform.script(
        {"status": 429, "json": {}, "headers": {"Retry-After": past}},
        {"status": 200, "json": {"callId": "c1"}},
    )
    make_client().calls.get("c1")
    assert len(sleeps) == 1
    assert 0.25 <= sleeps[0] <= 0.5  # the first backoff step, not 0


def test_max_retries_can_be_set_for_one_call(
    make_client: Make, platform: Platform, sleeps: Sleeps
) -> None:
    platform.script({"status": 503, "json": {}}, {"status": 200, "json": {"callId": "c1"}})
    client = make_client()
    with pytest.raises(sv.ServerError):
        client.with_options(max_retries=0).calls.get("c1")
    assert sleeps == []
    assert client.calls.get("c1").call_id == "c1"  # the client itself is unchanged
