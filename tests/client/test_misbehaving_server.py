"""The client against a platform that misbehaves on purpose (the local platform's
faults): it breaks the connection after the request went out, or trickles its answer a
byte at a time."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import sinch_voice as sv
from sinch_voice.testing import LocalPlatform

from .conftest import KEY, SECRET, Sleeps

Make = Callable[..., sv.VoiceClient]
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000000")


def test_a_post_broken_after_it_went_out_says_it_may_have_reached_the_platform(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.break_off(after=9)  # the status line, headers and '{"callId"', then gone
    client = make_client()
    with pytest.raises(sv.ApiConnectionError) as caught:
        client.callouts.tts(destination=DEST, text="Hi")
    error = caught.value
    assert error.request_may_have_been_sent is True
    assert "the connection broke after the request went out" in str(error)
    assert "the call may have been placed" in str(error)
    assert len(platform.requests) == 1  # a POST that may have arrived is not sent again
    assert sleeps == []


def test_a_get_broken_after_it_went_out_is_retried(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.break_off(after=9, times=3)
    client = make_client()
    with pytest.raises(sv.ApiConnectionError) as caught:
        client.calls.get("c1")
    assert caught.value.request_may_have_been_sent is True
    assert len(platform.requests) == 3  # idempotent: sent again, twice
    assert len(sleeps) == 2


def test_a_trickling_server_cannot_hold_a_call_past_its_deadline(
    platform: LocalPlatform, new_client: Make
) -> None:
    platform.faults.trickle(0.4)  # the answer's body (over 200 bytes), a byte each 0.4 s
    client = new_client(
        KEY, SECRET, base_url=platform.url, allow_http=True, timeout=1.0, deadline=1.5
    )
    started = time.monotonic()
    with pytest.raises(sv.ApiTimeoutError) as caught:
        client.calls.get("c1")
    assert time.monotonic() - started < 3.0  # the whole body would take over a minute
    assert "the call's deadline of 1.5 s passed" in str(caught.value)
    assert caught.value.request_may_have_been_sent is True
    client.close()


def test_a_retry_after_date_in_the_past_backs_off_as_usual(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    past = "Mon, 01 Jan 2001 00:00:00 GMT"
    platform.faults.next(status=429, json={}, retry_after=past)
    platform.faults.next(status=200, json={"callId": "c1"})
    make_client().calls.get("c1")
    assert len(sleeps) == 1
    assert 0.25 <= sleeps[0] <= 0.5  # the first backoff step, not 0


def test_max_retries_can_be_set_for_one_call(
    make_client: Make, platform: LocalPlatform, sleeps: Sleeps
) -> None:
    platform.faults.next(status=503, json={})
    platform.faults.next(status=200, json={"callId": "c1"})
    client = make_client()
    with pytest.raises(sv.ServerError):
        client.with_options(max_retries=0).calls.get("c1")
    assert sleeps == []
    assert client.calls.get("c1").call_id == "c1"  # the client itself is unchanged
