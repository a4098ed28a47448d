"""``with_options``: other limits, policy and extra headers for the calls made through a
view, without touching the client it came from; extra headers never replace those of
authentication and the signature."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
import sinch_voice as sv
from sinch_voice.signing import verify

from .loopback import Scripted, scripted_server

KEY, SECRET = "app-key", "BeIukql3pTKJ8RGL5zo0DA=="


@pytest.fixture
def server() -> Iterator[tuple[Scripted, str]]:
    with scripted_server() as running:
        yield running


@pytest.fixture
def client(
    server: tuple[Scripted, str], new_client: Callable[..., sv.VoiceClient]
) -> Iterator[sv.VoiceClient]:
    with new_client(
        KEY, SECRET, base_url=server[1], allow_http=True, headers={"X-Team": "billing"}
    ) as made:
        yield made


def test_extra_headers_reach_the_wire_and_the_signature_still_verifies(
    server: tuple[Scripted, str], client: sv.VoiceClient
) -> None:
    platform, _ = server
    traced = client.with_options(headers={"X-Trace-Id": "t-1", "x-team": "voice"})
    traced.calls.update("c1", sv.Svaml(action=sv.SvamlActionHangup()))
    client.calls.get("c1")
    with_view, plain = platform.received
    assert with_view["headers"]["X-Trace-Id"] == "t-1"
    assert with_view["headers"]["x-team"] == "voice"  # replaces the client's, any case
    assert "X-Team" not in with_view["headers"]
    assert plain["headers"]["X-Team"] == "billing"  # the client itself is unchanged
    assert "X-Trace-Id" not in plain["headers"]
    assert (
        verify(
            {KEY: SECRET},
            "PATCH",
            "/calling/v1/calls/id/c1",
            with_view["headers"],
            with_view["body"],
        )
        == KEY
    )


@pytest.mark.parametrize(
    "name", ["Authorization", "authorization", "X-Timestamp", "x-timestamp", "Content-Type"]
)
def test_extra_headers_cannot_replace_the_signature(
    client: sv.VoiceClient, name: str, new_client: Callable[..., sv.VoiceClient]
) -> None:
    with pytest.raises(sv.ConfigurationError, match=f"headers: '{name}' is set by the client"):
        client.with_options(headers={name: "Application other:forged"})
    with pytest.raises(sv.ConfigurationError, match=f"'{name}'"):
        new_client(KEY, SECRET, headers={name: "x"})


def test_the_spec_signed_header_is_reserved_too() -> None:
    class Custom(sv.VoiceClient):
        SIGNED_HEADER = "X-Sig"

    with pytest.raises(sv.ConfigurationError, match="headers: 'x-sig' is set by the client"):
        Custom(KEY, SECRET, headers={"x-sig": "forged"})


def test_a_header_that_would_split_the_request_is_refused(client: sv.VoiceClient) -> None:
    with pytest.raises(sv.ConfigurationError, match="'X-A' is not a valid header line"):
        client.with_options(headers={"X-A": "1\r\nAuthorization: x"})


def test_timeout_and_deadline_apply_to_the_view_only(
    server: tuple[Scripted, str], client: sv.VoiceClient
) -> None:
    platform, _ = server
    platform.script(200, delay=1.0)
    started = time.monotonic()
    with pytest.raises(sv.ApiTimeoutError):
        client.with_options(timeout=0.2, max_retries=0).calls.get("c1")
    assert time.monotonic() - started < 0.9
    platform.script(200, delay=1.0)
    started = time.monotonic()
    with pytest.raises(sv.ApiTimeoutError, match=r"deadline of 0\.3 s passed"):
        client.with_options(deadline=0.3).calls.get("c1")
    assert time.monotonic() - started < 0.9
    time.sleep(0.8)  # let the server finish the abandoned answers
    platform.script(200, delay=0.3)
    assert client.with_options(deadline=None).calls.get("c1").call_id == "c1"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": 0}, "timeout must be positive"),
        ({"deadline": -1}, "deadline must be positive seconds, or None for none; got -1"),
        ({"max_retries": -2}, "max_retries must be 0 or more; got -2"),
        ({"retry": 3}, "retry must be a RetryPolicy; got int"),
    ],
)
def test_wrong_options_are_named(
    client: sv.VoiceClient, options: dict[str, object], message: str
) -> None:
    with pytest.raises(sv.ConfigurationError, match=message):
        client.with_options(**options)  # type: ignore[arg-type]
