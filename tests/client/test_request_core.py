"""The request core without I/O: a generated method's ``Request``, and a ``Call`` driven
by a scripted driver of a few lines, as an asyncio driver would drive it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import sinch_voice as sv
from sinch_voice._call import Call, Credentials, Failure, Options, Timeouts
from sinch_voice._events import Hooks
from sinch_voice._request import NO_CONTENT, Request
from sinch_voice.signing import Secret, verify

KEY, SECRET = "app-key", "BeIukql3pTKJ8RGL5zo0DA=="
URL = "https://calling.api.sinch.com"
CALL = b'{"callId": "c1", "status": "ONGOING"}'


class Ticks:
    """A clock that moves only when told."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def credentials(auth: str = "signed") -> Credentials:
    return Credentials(
        KEY, Secret(SECRET), auth=auth, signed_header="Authorization", user_agent="test"
    )


def make_call(
    request: Request[Any],
    *,
    ticks: Ticks | None = None,
    deadline: float | None = 60.0,
    retry: sv.RetryPolicy | None = None,
) -> Call[Any]:
    clock = ticks or Ticks()
    options = Options(
        timeout=Timeouts(5.0, 30.0),
        retry=retry or sv.RetryPolicy(rng=lambda: 1.0),
        deadline=deadline,
        hooks=Hooks(response=(lambda event: None,)),  # so that outcomes carry their event
    )
    return Call(request, URL + request.path, credentials(), options, clock=clock, monotonic=clock)


def drive(call: Call[Any], answers: Iterator[tuple[int, dict[str, str], bytes] | Failure]) -> Any:
    """A whole driver: what the urllib3 one does, with the wire replaced by ``answers``."""
    while True:
        attempt = call.next_attempt()
        answer = next(answers)
        if isinstance(answer, Failure):
            outcome = call.failed(attempt, answer)
        else:
            outcome = call.answered(attempt, *answer)
        if outcome.error is not None:
            raise outcome.error
        if outcome.retry_in is None:
            assert not isinstance(answer, Failure)
            return call.result(*answer)


GET = Request(
    operation="Calling_GetCallResult",
    method="GET",
    path="/calling/v1/calls/id/c1",
    response=sv.CallInformation,
)
HANGUP = Request(
    operation="Calling_UpdateCall",
    method="PATCH",
    path="/calling/v1/calls/id/c1",
    response=NO_CONTENT,
    body=sv.Svaml(action=sv.SvamlActionHangup()),
)
CALLOUT = Request(
    operation="Callouts_Callout",
    method="POST",
    path="/calling/v1/callouts",
    response=sv.CalloutResponse,
    body=sv.CalloutRequest(
        method=sv.CalloutMethod.TTS_CALLOUT,
        tts_callout=sv.TtsCalloutRequest(
            destination=sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+4670000000"),
            text="Hi",
        ),
    ),
)


def test_a_generated_method_hands_over_one_request_description() -> None:
    sent: list[Request[Any]] = []
    client = sv.VoiceClient(KEY, SECRET)
    client._transport.send = lambda call: sent.append(call.request)  # type: ignore[method-assign, func-returns-value]
    client.calls.get("c 1/x", timeout=3.0)
    client.calls.update("c1", sv.Svaml(action=sv.SvamlActionHangup()))
    client.applications.list_numbers()
    get, update, numbers = sent
    assert get == Request(
        operation="Calling_GetCallResult",
        method="GET",
        path="/calling/v1/calls/id/c%201%2Fx",  # encoded once, as signed
        response=sv.CallInformation,
        timeout=3.0,
    )
    assert (update.method, update.response, update.body) == (
        "PATCH",
        NO_CONTENT,
        sv.Svaml(action=sv.SvamlActionHangup()),
    )
    assert numbers.server == "https://callingapi.sinch.com"


def test_the_core_runs_without_any_io_library() -> None:
    ticks = Ticks()
    answers = iter([(503, {}, b""), Failure("read timeout", "slow"), (200, {}, CALL)])
    info = drive(make_call(GET, ticks=ticks), answers)
    assert info == sv.CallInformation(call_id="c1", status=sv.CallInformationStatus.ONGOING)


def test_each_attempt_is_signed_afresh_and_verifies() -> None:
    ticks = Ticks()
    call = make_call(HANGUP, ticks=ticks)
    first = call.next_attempt()
    ticks.now += 1.5
    second = call.next_attempt()
    assert first.headers["x-timestamp"] != second.headers["x-timestamp"]
    for attempt in (first, second):
        assert attempt.number in (1, 2)
        verify({KEY: SECRET}, "PATCH", "/calling/v1/calls/id/c1", attempt.headers,
               attempt.body, now=ticks.now)  # fmt: skip


def test_the_body_is_checked_before_anything_is_built() -> None:
    wrong = attrs.evolve(HANGUP, body=sv.Svaml(action=sv.SvamlActionHangup(), instructions=5))  # type: ignore[arg-type]
    with pytest.raises(sv.SinchVoiceError, match="instructions"):
        make_call(wrong)


def test_the_deadline_cuts_each_attempts_timeouts_then_stops_the_call() -> None:
    ticks = Ticks()
    call = make_call(GET, ticks=ticks, deadline=2.0)
    assert call.next_attempt().timeouts == Timeouts(2.0, 2.0)
    ticks.now += 1.5
    assert call.next_attempt().timeouts == Timeouts(0.5, 0.5)
    ticks.now += 1.0
    with pytest.raises(sv.ApiTimeoutError, match="deadline of 2 s passed"):
        call.next_attempt()


def test_no_retry_is_scheduled_past_the_deadline() -> None:
    call = make_call(GET, deadline=0.6)  # the first backoff is 0.5 s, Retry-After 3 s
    attempt = call.next_attempt()
    outcome = call.answered(attempt, 503, {"Retry-After": "3"}, b"")
    assert outcome.retry_in is None
    assert isinstance(outcome.error, sv.ServerError)
    assert outcome.event.retrying is False


def test_retry_after_replaces_the_backoff() -> None:
    call = make_call(CALLOUT)
    outcome = call.answered(call.next_attempt(), 429, {"Retry-After": "3"}, b"")
    assert outcome.retry_in == 3.0
    assert outcome.event.status == 429
    assert outcome.event.retrying is True


@pytest.mark.parametrize("request_", [CALLOUT, HANGUP], ids=["POST", "PATCH"])
def test_a_5xx_to_post_or_patch_says_it_may_have_taken_effect(request_: Request[Any]) -> None:
    call = make_call(request_)
    outcome = call.answered(call.next_attempt(), 503, {}, b'{"errorCode": 50300}')
    error = outcome.error
    assert isinstance(error, sv.ServerError)
    assert error.request_may_have_been_sent is True
    assert "reached the platform and may have taken effect" in str(error)
    assert "the call may have been placed" in str(error)
    assert outcome.retry_in is None


def test_a_4xx_was_not_acted_on_and_a_get_5xx_says_nothing_of_effects() -> None:
    call = make_call(CALLOUT)
    refused = call.answered(call.next_attempt(), 400, {}, b"{}").error
    assert isinstance(refused, sv.BadRequestError)
    assert refused.request_may_have_been_sent is False
    get = make_call(GET, retry=sv.RetryPolicy(max_retries=0))
    failed = get.answered(get.next_attempt(), 500, {}, b"").error
    assert isinstance(failed, sv.ServerError)
    assert failed.request_may_have_been_sent is True
    assert "may have been placed" not in str(failed)


def test_a_post_that_may_have_arrived_is_never_resent() -> None:
    for kind in ("read timeout", "connection failed"):
        call = make_call(CALLOUT)
        outcome = call.failed(call.next_attempt(), Failure(kind, "reset"))
        assert outcome.retry_in is None
        assert isinstance(outcome.error, sv.TransportError)
        assert outcome.error.request_may_have_been_sent is True
        assert "call may have been placed" in str(outcome.error)
    unsent = make_call(CALLOUT)
    outcome = unsent.failed(unsent.next_attempt(), Failure("no connection", "refused"))
    assert outcome.retry_in == 0.5


def test_an_answer_that_does_not_fit_names_the_operation() -> None:
    with pytest.raises(sv.UnexpectedResponseError, match="Calling_GetCallResult"):
        drive(make_call(GET), iter([(200, {"Content-Type": "application/json"}, b"[1]")]))


def test_timeouts_come_from_seconds_a_pair_or_a_urllib3_timeout() -> None:
    import urllib3

    assert Timeouts.of(3) == Timeouts(3.0, 3.0)
    assert Timeouts.of((1, 9.5)) == Timeouts(1.0, 9.5)
    assert Timeouts.of((1, None)) == Timeouts(1.0, None)  # None: no limit on reads
    assert Timeouts.of(urllib3.Timeout(connect=2, read=7)) == Timeouts(2.0, 7.0)
    assert Timeouts.of(urllib3.Timeout(connect=2, read=7, total=4)) == Timeouts(2.0, 4.0)
    for wrong in (-1, (0, 1), (1, 2, 3), "5"):
        with pytest.raises(sv.ConfigurationError, match="timeout must be positive"):
            Timeouts.of(wrong)


def test_a_read_timeout_the_deadline_cut_short_is_reported_as_the_deadline() -> None:
    ticks = Ticks()
    call = make_call(CALLOUT, ticks=ticks, deadline=1.0)
    attempt = call.next_attempt()
    assert attempt.timeouts == Timeouts(1.0, 1.0)
    ticks.now += 1.0
    error = call.failed(attempt, Failure("read timeout", "slow")).error
    assert isinstance(error, sv.ApiTimeoutError)
    assert "deadline of 1 s passed" in str(error)
    assert error.request_may_have_been_sent is True
    uncut = make_call(CALLOUT, ticks=ticks)
    plain = uncut.failed(uncut.next_attempt(), Failure("read timeout", "slow")).error
    assert str(plain).startswith("no response in time.")
