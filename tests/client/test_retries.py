"""The retry rules, each against the local platform's faults with an injected sleeper."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
import sinch_voice as sv
from sinch_voice._retry import RetryPolicy, parse_retry_after
from sinch_voice.testing import LocalPlatform

from .conftest import KEY, SECRET, Sleeps, received

Make = Callable[..., sv.VoiceClient]
HANGUP = sv.Svaml(action=sv.SvamlActionHangup())
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000000")


def attempts(platform: LocalPlatform) -> int:
    return len(platform.requests)


def test_backoff_doubles_from_half_a_second_with_jitter_and_a_cap() -> None:
    low = RetryPolicy(rng=lambda: 0.0)
    high = RetryPolicy(rng=lambda: 0.999999)
    assert [low.delay(n) for n in range(1, 7)] == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0]
    assert [round(high.delay(n), 3) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_get_is_retried_on_5xx_then_succeeds(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.next(status=503)
    platform.faults.next(status=500)
    now = int(time.time())  # within the platform's tolerance for x-timestamp
    ticks = iter(range(now, now + 100))
    assert make_client(clock=lambda: float(next(ticks))).calls.get("c1").call_id == "c1"
    assert attempts(platform) == 3
    assert len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5
    assert 0.5 <= sleeps[1] <= 1.0
    # every attempt is signed afresh, with its own timestamp
    stamps = [r["headers"]["x-timestamp"] for r in received(platform)]
    assert len(set(stamps)) == 3
    assert all(r["auth"] == "signed ok" for r in received(platform))


def test_retries_stop_at_max_retries(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.next(status=502, times=4)
    with pytest.raises(sv.ServerError) as caught:
        make_client(max_retries=2).calls.get("c1")
    assert caught.value.status_code == 502
    assert attempts(platform) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("method", ["post", "patch"])
def test_post_and_patch_are_never_retried_on_5xx(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps, method: str
) -> None:
    platform.faults.next(status=503)
    platform.faults.next(status=200, json={"callId": "x"})
    client = make_client()
    send = (
        (lambda: client.callouts.tts(destination=DEST, text="a real phone call"))
        if method == "post"
        else (lambda: client.calls.update("c1", HANGUP))
    )
    with pytest.raises(sv.ServerError):
        send()
    assert attempts(platform) == 1
    assert sleeps == []


def test_post_is_retried_on_429_honouring_retry_after(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.next(status=429, retry_after=3)
    platform.faults.next(status=200, json={"callId": "callout-1"})
    assert make_client().callouts.tts(destination=DEST, text="x").call_id == "callout-1"
    assert attempts(platform) == 2
    assert sleeps == [3.0]


def test_a_long_retry_after_raises_at_once_carrying_it(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.next(status=429, retry_after=120, json={"errorCode": 42900})
    with pytest.raises(sv.RateLimitError) as caught:
        make_client().calls.get("c1")
    assert caught.value.retry_after == 120.0
    assert caught.value.error_code == "42900"
    assert sleeps == []
    assert attempts(platform) == 1


def test_retry_after_as_an_http_date(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=20), usegmt=True)
    platform.faults.next(status=503, retry_after=when)
    make_client().calls.get("c1")
    assert len(sleeps) == 1
    assert 15 <= sleeps[0] <= 21


@pytest.mark.parametrize(
    "value",
    [
        "-10",
        "inf",
        "nan",
        "abc",
        "1e400",
        "99999999999999999999999",
        "Thu, 99 Foo 2024 99:99:99 GMT",
        "",
        " ",
        "10" * 40,
        "0x10",
    ],
)
def test_malformed_retry_after_falls_back_to_backoff(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps, value: str
) -> None:
    platform.faults.next(status=429, retry_after=value)
    make_client().calls.get("c1")
    assert len(sleeps) == 1
    assert 0.25 <= sleeps[0] <= 0.5


def test_parse_retry_after_never_raises() -> None:
    now = datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()
    assert parse_retry_after("5", now) == 5.0
    assert parse_retry_after("Mon, 01 Jan 2024 00:00:30 GMT", now) == 30.0
    # a date in the past says nothing usable: the caller backs off as usual
    assert parse_retry_after("Mon, 01 Jan 2000 00:00:30 GMT", now) is None
    for junk in (None, "-1", "nan", "inf", "1e999", "\x00", "Fri, 31 Dec 9999 23:59:59 GMT", "1e5"):
        assert parse_retry_after(junk, now) is None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_never_retried(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps, status: int
) -> None:
    platform.faults.next(status=status, json={"errorCode": status * 100, "message": "no"})
    with pytest.raises(sv.ApiStatusError) as caught:
        make_client().calls.get("c1")
    assert caught.value.status_code == status
    assert attempts(platform) == 1
    assert sleeps == []


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("method", ["get", "post"])
def test_connection_refused_is_retried_for_every_method(sleeps: Sleeps, method: str) -> None:
    client = sv.VoiceClient(
        KEY,
        SECRET,
        base_url=f"http://127.0.0.1:{closed_port()}",
        allow_http=True,
        sleep=sleeps,
        max_retries=3,
    )
    send = (
        (lambda: client.calls.get("c1"))
        if method == "get"
        else (lambda: client.callouts.tts(destination=DEST, text="x"))
    )
    with pytest.raises(sv.ApiConnectionError, match="could not connect"):
        send()
    assert len(sleeps) == 3


def test_a_read_timeout_on_get_is_retried(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.delay(1.0)
    assert make_client(timeout=(2.0, 0.3)).calls.get("c1").call_id == "c1"
    assert attempts(platform) == 2
    assert len(sleeps) == 1


def test_a_read_timeout_on_post_says_the_call_may_have_been_placed(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.delay(1.0)
    with pytest.raises(sv.ApiTimeoutError) as caught:
        make_client(timeout=(2.0, 0.3)).callouts.tts(destination=DEST, text="x")
    assert caught.value.request_may_have_been_sent is True
    assert "the call may have been placed" in str(caught.value)
    assert attempts(platform) == 1
    assert sleeps == []


def test_per_call_timeout_overrides_the_client_default(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.delay(1.0, times=3)
    with pytest.raises(sv.ApiTimeoutError):
        make_client(timeout=30.0).calls.get("c1", timeout=0.3)


def test_a_dropped_connection_on_patch_is_not_retried(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.drop_connection()
    with pytest.raises(sv.TransportError):
        make_client().calls.update("c1", HANGUP)
    assert attempts(platform) == 1
    assert sleeps == []
