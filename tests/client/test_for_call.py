"""``for_call``: a callback's ``callResourceUrl`` moves call operations to its regional
host, but only a host of the platform (or the client's own ``base_url``) is accepted, so
that no other host can ever receive a signed request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sinch_voice as sv
from sinch_voice.testing import LocalPlatform

KEY, SECRET = "app-1", "BeIukql3pTKJ8RGL5zo0DA=="
DEST = sv.Destination(type=sv.DestinationType.NUMBER, endpoint="+46700000001")


def host_of(client: sv.VoiceClient) -> str:
    sent: list[str] = []
    client._transport.send = lambda call: sent.append(call.url)  # type: ignore[method-assign, func-returns-value]
    client.calls.update("c1", sv.Svaml(action=sv.SvamlActionHangup()))
    return sent[0].removesuffix("/calling/v1/calls/id/c1")


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://calling-euc1.api.sinch.com/calling/v1/calls/id/x", "https://calling-euc1.api.sinch.com"),
        ("https://CALLING-USE1.API.SINCH.COM/calling/v1/calls/id/x", "https://calling-use1.api.sinch.com"),
        ("https://calling-apse2.api.sinch.com:443/calling/v1/calls/id/x", "https://calling-apse2.api.sinch.com"),
    ],
)  # fmt: skip
def test_a_platform_host_is_accepted(url: str, host: str) -> None:
    assert host_of(sv.VoiceClient(KEY, SECRET).for_call(url)) == host


def test_every_regional_host_of_the_spec_is_a_platform_host() -> None:
    client = sv.VoiceClient(KEY, SECRET)
    assert sv.VoiceClient.PLATFORM_DOMAIN == "api.sinch.com"
    for host in (*sv.VoiceClient.REGIONS.values(), sv.VoiceClient.DEFAULT_SERVER):
        assert host_of(client.for_call(host + "/calling/v1/calls/id/x")) == host


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/calling/v1/calls/id/x",
        "https://api.sinch.com.evil.example/calling/v1/calls/id/x",
        "https://evil.example/#.api.sinch.com",
        "https://calling.api.sinch.com@evil.example/calling",
        "https://calling.api.sinch.com.:8443/calling",
        "https://calling.api.sinch.com:8443/calling",
        "https://api.sinch.com/calling",  # the domain itself is no regional host
        "https://fakeapi.sinch.com/calling",
    ],
)
def test_any_other_host_is_refused_with_the_value(url: str) -> None:
    client = sv.VoiceClient(KEY, SECRET)
    with pytest.raises(sv.ConfigurationError, match="is not on the platform's hosts") as caught:
        client.for_call(url)
    assert "https://<region>.api.sinch.com/" in str(caught.value)
    if "@" not in url:
        assert repr(url) in str(caught.value)


def test_credentials_in_a_refused_url_are_masked() -> None:
    with pytest.raises(sv.ConfigurationError) as caught:
        sv.VoiceClient(KEY, SECRET).for_call("https://user:hunter2@calling.api.sinch.com/x")
    assert "hunter2" not in str(caught.value)
    assert "'https://***@calling.api.sinch.com/x'" in str(caught.value)


@pytest.mark.parametrize(
    "value", ["", "calling.api.sinch.com/x", "not a url", "https://[::1/x", 42]
)
def test_a_malformed_url_error_shows_what_was_given(value: Any) -> None:
    with pytest.raises(sv.ConfigurationError, match="is not a URL") as caught:
        sv.VoiceClient(KEY, SECRET).for_call(value)
    assert repr(str(value)) in str(caught.value)


def test_plain_http_is_refused_before_the_host_is_looked_at() -> None:
    with pytest.raises(sv.ConfigurationError, match="refusing plain http://"):
        sv.VoiceClient(KEY, SECRET).for_call("http://calling.api.sinch.com/calling")


@pytest.fixture
def platform() -> Iterator[LocalPlatform]:
    with LocalPlatform({KEY: SECRET}) as running:
        yield running


def test_the_clients_own_base_url_is_accepted(
    platform: LocalPlatform, new_client: Callable[..., sv.VoiceClient]
) -> None:
    with new_client(KEY, SECRET, base_url=platform.url, allow_http=True) as client:
        placed = client.callouts.tts(destination=DEST, text="Hi")
        managed = client.for_call(f"{platform.url}/calling/v1/calls/id/{placed.call_id}")
        assert managed.calls.get(placed.call_id).call_id == placed.call_id
        other_port = platform.url.rsplit(":", 1)[0] + ":1"
        with pytest.raises(sv.ConfigurationError, match="is not on the platform's hosts"):
            client.for_call(f"{other_port}/calling/v1/calls/id/{placed.call_id}")
