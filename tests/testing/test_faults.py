"""The local platform's fault injection, as a user's test meets it: which request a fault
applies to, what is carried out under it, and the clear errors of a wrong script. (The
client's retry rules under every fault are in ``tests/client``.)"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import sinch_voice as sv
from sinch_voice.testing import Fault, LocalPlatform

KEY, SECRET = "app-1", "BeIukql3pTKJ8RGL5zo0DA=="
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000001")
HANGUP = sv.Svaml(action=sv.SvamlActionHangup())


@pytest.fixture
def platform() -> Iterator[LocalPlatform]:
    with LocalPlatform({KEY: SECRET}) as running:
        yield running


@pytest.fixture
def client(platform: LocalPlatform) -> Iterator[sv.VoiceClient]:
    with sv.VoiceClient(KEY, SECRET, base_url=platform.url, allow_http=True, max_retries=0) as made:
        yield made


def test_a_fault_is_spent_by_one_request_then_the_platform_answers_as_usual(
    platform: LocalPlatform, client: sv.VoiceClient
) -> None:
    call = platform.add_call()
    platform.faults.next(status=503, retry_after=2)
    with pytest.raises(sv.ServerError) as caught:
        client.calls.get(call.call_id)
    assert caught.value.error_code == "50300"  # a platform-shaped error body by default
    assert client.calls.get(call.call_id).call_id == call.call_id
    first, second = platform.requests
    assert (first["status"], second["status"]) == (503, 200)
    assert isinstance(first["fault"], Fault)
    assert (first["fault"].status, first["fault"].headers) == (503, (("Retry-After", "2"),))
    assert second["fault"] is None
    assert platform.faults.pending == ()


def test_a_fault_for_one_operation_waits_for_it(
    platform: LocalPlatform, client: sv.VoiceClient
) -> None:
    call = platform.add_call()
    fault = platform.faults.next(status=429, operation="Callouts", times=2)
    assert client.calls.get(call.call_id).call_id == call.call_id  # not a callout
    assert platform.faults.pending == (fault, fault)
    for _ in range(2):
        with pytest.raises(sv.RateLimitError):
            client.callouts.tts(destination=DEST, text="Hi")
    assert client.callouts.tts(destination=DEST, text="Hi").call_id
    assert [r["status"] for r in platform.requests] == [200, 429, 429, 200]


def test_a_fault_for_one_path_waits_for_it(platform: LocalPlatform, client: sv.VoiceClient) -> None:
    platform.add_call("a")
    platform.add_call("b/c")
    platform.faults.next(status=500, path="/calling/v1/calls/id/b%2Fc")
    assert client.calls.get("a").call_id == "a"
    with pytest.raises(sv.ServerError):
        client.calls.get("b/c")
    assert client.calls.get("b/c").call_id == "b/c"


def test_a_request_the_platform_refuses_takes_no_fault(platform: LocalPlatform) -> None:
    platform.faults.next(status=200, json={"callId": "scripted"})
    wrong = sv.VoiceClient(KEY, "d3Jvbmc=", base_url=platform.url, allow_http=True)
    with pytest.raises(sv.UnauthorizedError):
        wrong.calls.get("c1")
    record = platform.requests[0]
    assert record["status"] == 401
    assert record["refused"] == "the request is not signed correctly, or its x-timestamp is stale"
    assert record["fault"] is None
    assert len(platform.faults.pending) == 1


def test_a_scripted_answer_carries_nothing_out_and_a_broken_one_does(
    platform: LocalPlatform, client: sv.VoiceClient
) -> None:
    platform.faults.next(status=200, json={"callId": "scripted"})
    assert client.callouts.tts(destination=DEST, text="Hi").call_id == "scripted"
    assert platform.calls == {}  # answered, not placed
    platform.faults.drop_connection()
    with pytest.raises(sv.ApiConnectionError):
        client.callouts.tts(destination=DEST, text="Hi")
    assert platform.calls == {}
    assert platform.requests[-1]["status"] is None  # no answer was sent
    platform.faults.break_off(after=5)
    with pytest.raises(sv.ApiConnectionError) as caught:
        client.callouts.tts(destination=DEST, text="Hi")
    assert caught.value.request_may_have_been_sent is True
    assert len(platform.calls) == 1  # placed: only the answer was lost


def test_a_fault_applies_to_an_error_the_platform_answers(
    platform: LocalPlatform, client: sv.VoiceClient
) -> None:
    platform.faults.break_off(after=3)
    with pytest.raises(sv.ApiConnectionError):
        client.calls.get("no-such-call")  # a 404, broken off after 3 bytes
    assert platform.requests[0]["status"] == 404
    assert platform.faults.pending == ()


def test_a_scripted_body_and_headers_are_sent_as_given(platform: LocalPlatform) -> None:
    platform.faults.next(
        status=418, body="<p>teapot</p>", headers={"Content-Type": "text/html", "X-Why": "test"}
    )
    request = urllib.request.Request(f"{platform.url}/calling/v1/calls/id/c1")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    caught.value.close()
    # unsigned: refused, and the fault is still pending
    assert caught.value.code == 401
    assert len(platform.faults.pending) == 1
    platform.add_call("c1")
    with (
        sv.VoiceClient(KEY, SECRET, base_url=platform.url, allow_http=True) as client,
        pytest.raises(sv.ApiStatusError) as refused,
    ):
        client.calls.get("c1")
    assert refused.value.status_code == 418
    assert refused.value.body == b"<p>teapot</p>"
    assert refused.value.message == "<p>teapot</p>"


def test_faults_can_be_read_and_cleared(platform: LocalPlatform) -> None:
    platform.faults.delay(0.5, times=2)
    platform.faults.trickle(0.1)
    assert [f.delay for f in platform.faults.pending] == [0.5, 0.5, 0.0]
    assert platform.faults.pending[2].trickle == 0.1
    assert all(f.serves for f in platform.faults.pending)
    platform.faults.clear()
    assert platform.faults.pending == ()


@pytest.mark.parametrize(
    ("script", "error", "message"),
    [
        (lambda f: f.next(status=700), ValueError, "status is an HTTP status, 100 to 599, not 700"),
        (lambda f: f.next(status=200, json={}, body=b""), ValueError, "json or its body, not both"),
        (lambda f: f.next(status=503, operation="Calls_Get"), ValueError,
         "no operation 'Calls_Get' on this platform; known: Calling_GetCallResult, "),
        (lambda f: f.next(status=503, path="calling/v1"), ValueError,
         "a path starts with '/', as sent: not 'calling/v1'"),
        (lambda f: f.delay(-1), ValueError, "delay is a finite number of seconds, 0 or more"),
        (lambda f: f.trickle(float("nan")), ValueError, "trickle is a finite number of seconds"),
        (lambda f: f.delay("1"), TypeError, "delay is a number of seconds, not '1'"),
        (lambda f: f.break_off(after=-1), ValueError, "after is a count of bytes, not -1"),
        (lambda f: f.drop_connection(times=0), ValueError, "times is a count of requests"),
    ],
)  # fmt: skip
def test_a_wrong_script_fails_at_once_saying_what_is_wrong(
    platform: LocalPlatform, script: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        script(platform.faults)  # type: ignore[operator]
    assert message in str(caught.value)
    assert platform.faults.pending == ()


def test_a_recorded_authorization_never_shows_in_a_repr(
    platform: LocalPlatform, client: sv.VoiceClient
) -> None:
    basic = sv.VoiceClient(KEY, SECRET, auth="basic", base_url=platform.url, allow_http=True)
    for made in (client, basic):
        with pytest.raises(sv.NotFoundError):
            made.calls.get("none")
    for record in platform.requests:
        authorization = record["headers"]["authorization"]
        assert authorization.startswith(("Application ", "Basic "))  # kept as sent
        assert authorization not in repr(record)
        assert "'authorization': '<hidden>'" in repr(record)
