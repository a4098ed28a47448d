"""``RetryPolicy``: the backoff, its jitter and the statuses worth a retry are a value the
constructor and ``with_options`` take; the rule for POST and PATCH stays fixed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs
import pytest
import sinch_voice as sv
from sinch_voice._retry import Decision, decide

from .loopback import Scripted, scripted_server

KEY, SECRET = "app-key", "BeIukql3pTKJ8RGL5zo0DA=="
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000000")


@pytest.fixture
def server() -> Iterator[tuple[Scripted, str]]:
    with scripted_server() as running:
        yield running


ClientFor = Callable[..., sv.VoiceClient]


@pytest.fixture
def client_for(new_client: Callable[..., sv.VoiceClient]) -> ClientFor:
    """A client of the scripted server whose waits are recorded in ``sleeps``."""

    def make(url: str, sleeps: list[float], **options: object) -> sv.VoiceClient:
        return new_client(
            KEY, SECRET, base_url=url, allow_http=True, sleep=sleeps.append, **options
        )

    return make


def test_the_policy_is_a_frozen_value_with_the_documented_defaults() -> None:
    policy = sv.RetryPolicy()
    assert (policy.max_retries, policy.initial_backoff, policy.max_backoff, policy.jitter) == (
        2,
        0.5,
        8.0,
        0.5,
    )
    assert policy.retry_statuses == {429, 500, 502, 503, 504}
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.max_retries = 5  # type: ignore[misc]
    assert sv.RetryPolicy(max_retries=3) == sv.RetryPolicy(max_retries=3, rng=lambda: 0.0)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_retries": -1}, "RetryPolicy.max_retries must be a whole number"),
        ({"initial_backoff": float("nan")}, "RetryPolicy.initial_backoff must be finite"),
        ({"jitter": 1.5}, "RetryPolicy.jitter must be between 0 and 1; got 1.5"),
        ({"retry_statuses": {200}}, r"retry_statuses must be HTTP error statuses .* \{200\}"),
        ({"initial_backoff": 2.0, "max_backoff": 1.0}, r"max_backoff \(1 s\) is below"),
    ],
)
def test_a_wrong_policy_names_the_field(options: dict[str, object], message: str) -> None:
    with pytest.raises(sv.ConfigurationError, match=message):
        sv.RetryPolicy(**options)  # type: ignore[arg-type]


def test_backoff_grows_from_the_initial_wait_to_the_maximum_with_the_jitter_asked() -> None:
    steady = sv.RetryPolicy(initial_backoff=0.1, max_backoff=0.3, jitter=0.0, rng=lambda: 0.7)
    assert [round(steady.delay(n), 6) for n in range(1, 5)] == [0.1, 0.2, 0.3, 0.3]
    full_low = sv.RetryPolicy(jitter=1.0, rng=lambda: 0.0)
    full_high = sv.RetryPolicy(jitter=1.0, rng=lambda: 1.0)
    assert (full_low.delay(3), full_high.delay(3)) == (0.0, 2.0)


def test_which_statuses_retry_is_the_policys_choice() -> None:
    only_503 = sv.RetryPolicy(retry_statuses={503}, rng=lambda: 1.0)
    assert decide("GET", 1, only_503, status=503) == Decision(True, 0.5)
    assert decide("GET", 1, only_503, status=500) == Decision(False)
    assert decide("GET", 1, only_503, status=429) == Decision(False)
    with_409 = sv.RetryPolicy(retry_statuses={409, 429}, rng=lambda: 1.0)
    assert decide("GET", 1, with_409, status=409) == Decision(True, 0.5)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_post_and_patch_are_never_resent_once_they_may_have_arrived(method: str) -> None:
    eager = sv.RetryPolicy(max_retries=9, retry_statuses={409, 429, 500, 503})
    for status in (409, 500, 503):
        assert decide(method, 1, eager, status=status) == Decision(False)
    for failure in ("read timeout", "connection failed"):
        assert decide(method, 1, eager, failure=failure) == Decision(False)
    assert decide(method, 1, eager, status=429).retry  # not acted on
    assert decide(method, 1, eager, failure="no connection").retry  # never sent


def test_the_constructors_policy_governs_retries_on_the_wire(
    server: tuple[Scripted, str], client_for: ClientFor
) -> None:
    platform, url = server
    sleeps: list[float] = []
    policy = sv.RetryPolicy(max_retries=3, initial_backoff=0.2, jitter=0.0, retry_statuses={500})
    with client_for(url, sleeps, retry=policy) as client:
        platform.script(500, 500, 200)
        assert client.calls.get("c1").call_id == "c1"
        assert sleeps == [0.2, 0.4]
        platform.script(503)  # not in this policy's statuses
        with pytest.raises(sv.ServerError):
            client.calls.get("c1")
    assert len(platform.received) == 4


def test_with_options_replaces_the_policy_for_the_calls_through_it(
    server: tuple[Scripted, str], client_for: ClientFor
) -> None:
    platform, url = server
    sleeps: list[float] = []
    with client_for(url, sleeps, max_retries=0) as client:
        patient = client.with_options(retry=sv.RetryPolicy(max_retries=2, jitter=0.0))
        platform.script(503, 503, 200)
        assert patient.calls.get("c1").call_id == "c1"
        assert sleeps == [0.5, 1.0]
        platform.script(503)
        with pytest.raises(sv.ServerError):
            client.calls.get("c1")  # the client itself keeps max_retries=0
        # max_retries changes the policy given beside it
        one = client.with_options(retry=sv.RetryPolicy(jitter=0.0), max_retries=1)
        platform.script(503, 503)
        with pytest.raises(sv.ServerError):
            one.calls.get("c1")
    assert len(platform.received) == 3 + 1 + 2


def test_a_callout_is_not_resent_after_a_5xx_whatever_the_policy(
    server: tuple[Scripted, str], client_for: ClientFor
) -> None:
    platform, url = server
    sleeps: list[float] = []
    eager = sv.RetryPolicy(max_retries=5, retry_statuses={429, 500, 503})
    with client_for(url, sleeps, retry=eager) as client:
        platform.script(503)
        with pytest.raises(sv.ServerError) as caught:
            client.callouts.tts(destination=DEST, text="Hi")
    assert len(platform.received) == 1
    assert sleeps == []
    assert caught.value.request_may_have_been_sent is True
    assert "the call may have been placed" in str(caught.value)
