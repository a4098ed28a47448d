"""Event hooks on request and on response, and the logging story: what each sees, with
the credentials redacted, and ``SINCH_VOICE_LOG`` turning on debug logging without code."""

from __future__ import annotations

import functools
import gc
import logging
import os
import socket
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sinch_voice as sv

from .loopback import Scripted, scripted_server

KEY, SECRET = "app-key", "BeIukql3pTKJ8RGL5zo0DA=="
NewClient = Callable[..., sv.VoiceClient]


@pytest.fixture
def server() -> Iterator[tuple[Scripted, str]]:
    with scripted_server() as running:
        yield running


class Recorder:
    def __init__(self) -> None:
        self.requests: list[sv.RequestEvent] = []
        self.responses: list[sv.ResponseEvent] = []

    def hooks(self) -> sv.EventHooks:
        return {"request": [self.requests.append], "response": [self.responses.append]}


@pytest.mark.parametrize("auth", ["signed", "basic"])
def test_hooks_see_each_attempt_with_the_credentials_redacted(
    server: tuple[Scripted, str], auth: str, new_client: NewClient
) -> None:
    platform, url = server
    seen = Recorder()
    platform.script((503, {"X-Request-Id": "r-1"}), 200)
    with new_client(
        KEY, SECRET, auth=auth, base_url=url, allow_http=True, event_hooks=seen.hooks(),
        sleep=lambda _: None,
    ) as client:  # fmt: skip
        client.calls.get("c1")
    first, second = seen.requests
    assert (first.operation, first.method, first.attempt, second.attempt) == (
        "Calling_GetCallResult",
        "GET",
        1,
        2,
    )
    assert first.url == f"{url}/calling/v1/calls/id/c1"
    assert first.headers["Authorization"] == "[redacted]"
    assert first.headers["User-Agent"].startswith("sinch-voice-python/")
    wire = platform.received[0]["headers"]
    assert wire["Authorization"] != "[redacted]"  # only the hooks' copy is redacted
    failed, answered = seen.responses
    assert (failed.status, failed.retrying, failed.attempt) == (503, True, 1)
    assert failed.headers["x-request-id"] == "r-1"
    assert (answered.status, answered.retrying, answered.error) == (200, False, None)
    assert 0 < answered.elapsed < 5


def test_a_final_failure_reaches_the_response_hook_with_its_error(new_client: NewClient) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # closed again: nothing listens there
    seen = Recorder()
    client = new_client(
        KEY, SECRET, base_url=f"http://127.0.0.1:{port}", allow_http=True, max_retries=1,
        event_hooks=seen.hooks(), sleep=lambda _: None,
    )  # fmt: skip
    with pytest.raises(sv.ApiConnectionError) as caught:
        client.calls.get("c1")
    assert [e.attempt for e in seen.requests] == [1, 2]
    assert [(e.status, e.retrying) for e in seen.responses] == [(None, True), (None, False)]
    assert seen.responses[-1].error is caught.value
    assert seen.responses[0].error is None


def test_what_a_hook_raises_is_raised_from_the_call(
    server: tuple[Scripted, str], new_client: NewClient
) -> None:
    platform, url = server

    def refuse(event: sv.RequestEvent) -> None:
        raise RuntimeError(f"no {event.method} today")

    client = new_client(
        KEY, SECRET, base_url=url, allow_http=True, event_hooks={"request": [refuse]}
    )
    with pytest.raises(RuntimeError, match="no GET today"):
        client.calls.get("c1")
    assert platform.received == []


@pytest.mark.parametrize(
    ("hooks", "message"),
    [
        ({"requests": []}, "event_hooks: unknown event 'requests'"),
        ({"request": print}, r"event_hooks\['request'\] must be a list of callables"),
        ({"response": [1]}, r"event_hooks\['response'\] holds int, not a callable"),
    ],
)
def test_wrong_hooks_are_named(hooks: object, message: str, new_client: NewClient) -> None:
    with pytest.raises(sv.ConfigurationError, match=message):
        new_client(KEY, SECRET, event_hooks=hooks)  # type: ignore[arg-type]


async def _async_hook(event: object) -> None:
    """An async hook: the blocking client could call it but never run it."""


class _AsyncCallable:
    async def __call__(self, event: object) -> None:
        """An object whose calls are coroutines."""


@pytest.mark.parametrize(
    "hook",
    [_async_hook, functools.partial(_async_hook), _AsyncCallable()],
    ids=["async def", "partial", "async __call__"],
)
def test_the_blocking_client_refuses_async_hooks_the_async_one_takes_them(hook: Any) -> None:
    with pytest.raises(sv.ConfigurationError, match=r"event_hooks\['response'\]: .* is async;"):
        sv.VoiceClient(KEY, SECRET, event_hooks={"response": [hook]})
    sv.AsyncVoiceClient(KEY, SECRET, event_hooks={"response": [hook]})


def test_a_hook_that_hands_back_a_coroutine_is_refused_before_sending(
    server: tuple[Scripted, str],
) -> None:
    platform, url = server
    hooks: sv.EventHooks = {"request": [lambda event: _async_hook(event)]}
    with (
        sv.VoiceClient(KEY, SECRET, base_url=url, allow_http=True, event_hooks=hooks) as client,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("error")  # a coroutine left unawaited would warn
        with pytest.raises(sv.ConfigurationError, match=r"event_hooks\['request'\]: .* is async;"):
            client.calls.get("c1")
        gc.collect()
    assert platform.received == []


def test_the_client_logs_attempts_at_debug_and_retries_at_info_without_secrets(
    server: tuple[Scripted, str], caplog: pytest.LogCaptureFixture, new_client: NewClient
) -> None:
    platform, url = server
    platform.script(429, 200)
    with (
        caplog.at_level(logging.DEBUG, logger="sinch_voice"),
        new_client(KEY, SECRET, base_url=url, allow_http=True, sleep=lambda _: None) as client,
    ):
        client.calls.update("c1", sv.Svaml(action=sv.SvamlActionHangup()))
    records = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert (
        "sinch_voice.client",
        "DEBUG",
        f"PATCH {url}/calling/v1/calls/id/c1: attempt 1",
    ) in records
    assert any(
        level == "INFO" and message.startswith(f"PATCH {url}/calling/v1/calls/id/c1: HTTP 429")
        for _, level, message in records
    )
    assert any(level == "DEBUG" and "-> 200 in" in message for _, level, message in records)
    signature = platform.received[0]["headers"]["Authorization"]
    for secret in (SECRET, signature, signature.split(":")[-1]):
        assert secret not in caplog.text


def run_with_log_variable(value: str, url: str) -> subprocess.CompletedProcess[str]:
    script = textwrap.dedent(f"""
        import sinch_voice as sv
        client = sv.VoiceClient({KEY!r}, {SECRET!r}, base_url={url!r}, allow_http=True)
        client.calls.get("c1")
    """)
    env = {**os.environ, "SINCH_VOICE_LOG": value}
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )


def test_sinch_voice_log_turns_on_debug_logging_without_code(
    server: tuple[Scripted, str],
) -> None:
    platform, url = server
    done = run_with_log_variable("debug", url)
    assert done.returncode == 0, done.stderr
    assert f"DEBUG sinch_voice.client: GET {url}/calling/v1/calls/id/c1: attempt 1" in done.stderr
    assert "-> 200 in" in done.stderr
    assert platform.received[0]["headers"]["Authorization"] not in done.stderr
    quiet = run_with_log_variable("warning", url)
    assert quiet.returncode == 0
    assert quiet.stderr == ""


def test_a_misspelt_log_level_is_named(server: tuple[Scripted, str]) -> None:
    done = run_with_log_variable("verbose", server[1])
    assert done.returncode == 1
    assert "SINCH_VOICE_LOG='verbose' is not a level; use one of debug, info, warning" in (
        done.stderr
    )
