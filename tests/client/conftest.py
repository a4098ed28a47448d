"""The local platform (``sinch_voice.testing``), one per test, and clients pointed at it;
the platform's faults script what the client meets.

What the client sent is judged here a second time, without the package's code: the
signature recomputed with hashlib, hmac and base64 alone from the method, the body's
bytes, Content-Type, x-timestamp and the path the platform received (or the Basic
credentials compared), so that a mistake shared by the client's signer and the
platform's verifier cannot pass unseen.

Tests about behaviour make their clients with ``new_client`` (or ``make_client``): each
runs twice, ``[sync]`` with ``VoiceClient`` and ``[async]`` with ``AsyncVoiceClient``
called through ``Blocking``, so that one test proves the same semantics both ways.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import inspect
import threading
from collections.abc import Callable, Coroutine, Iterator, Mapping
from typing import Any, TypeVar

import pytest
import sinch_voice as sv
from sinch_voice.testing import LocalPlatform

KEY = "669E367E-6BBA-48AB-AF15-266871C28135"
SECRET = "BeIukql3pTKJ8RGL5zo0DA=="


@pytest.fixture
def platform() -> Iterator[LocalPlatform]:
    """A local platform holding one ongoing call, ``c1``, the call most tests read."""
    with LocalPlatform({KEY: SECRET}) as running:
        running.add_call("c1")
        yield running


def authorization_verdict(method: str, path: str, headers: Mapping[str, str], body: bytes) -> str:
    """``signed ok``, ``basic ok``, ``signed bad``, ``basic bad`` or ``missing``: the
    Sinch request signature, checked from its definition."""
    authorization = str(headers.get("authorization", ""))
    if authorization.startswith("Basic "):
        expected = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
        return "basic ok" if authorization == "Basic " + expected else "basic bad"
    if not authorization.startswith("Application "):
        return "missing"
    key, _, signature = authorization[len("Application ") :].partition(":")
    md5 = (
        base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode() if body else ""
    )
    message = "\n".join(
        [
            method,
            md5,
            headers.get("content-type", ""),
            "x-timestamp:" + headers.get("x-timestamp", ""),
            path,
        ]
    )
    digest = hmac.new(base64.b64decode(SECRET), message.encode(), hashlib.sha256).digest()
    good = key == KEY and hmac.compare_digest(base64.b64encode(digest).decode(), signature)
    return "signed ok" if good else "signed bad"


def received(platform: LocalPlatform) -> list[dict[str, Any]]:
    """Every request the platform received, in order, each with the independent verdict
    on its authorization (``auth``), its path values in the path's order
    (``path_values``) and what the platform found wrong with it (``problems``)."""
    return [
        {
            **record,
            "auth": authorization_verdict(
                record["method"], record["path"], record["headers"], record["body"].encode()
            ),
            "path_values": list(record["params"].values()),
            "problems": [] if record["refused"] is None else [record["refused"]],
        }
        for record in list(platform.requests)
    ]


def only_request(platform: LocalPlatform) -> dict[str, Any]:
    """The one request the platform received, authorized and without a problem."""
    log = received(platform)
    assert len(log) == 1, log
    record = log[0]
    assert record["auth"] in ("signed ok", "basic ok"), record
    assert record["problems"] == [], record["problems"]
    return record


class Sleeps(list[float]):
    """An injected sleeper that records instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


T = TypeVar("T")


class LoopThread:
    """An event loop running in a thread of its own, for the ``[async]`` clients."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the loop to its end; its result, or what it raised."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class Blocking:
    """An ``AsyncVoiceClient`` (or a group or view of one) called as a ``VoiceClient``
    is: each coroutine it gives is run to completion on the loop thread, so that what it
    returns or raises reaches the test unchanged."""

    def __init__(self, target: Any, runner: LoopThread) -> None:
        self._target = target
        self._runner = runner

    def __repr__(self) -> str:
        return repr(self._target)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if inspect.iscoroutinefunction(value):
            return lambda *args, **kwargs: self._runner.run(value(*args, **kwargs))
        if callable(value):
            return lambda *args, **kwargs: self._wrapped(value(*args, **kwargs))
        return self._wrapped(value)

    def _wrapped(self, value: Any) -> Any:
        """Views (``with_options``, ``for_call``) and groups, wrapped in turn."""
        if type(value).__module__ == "sinch_voice.client":
            return Blocking(value, self._runner)
        return value

    def __enter__(self) -> Blocking:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._runner.run(self._target.close())


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Which client a behaviour test runs against."""
    return str(request.param)


@pytest.fixture
def new_client(flavour: str) -> Iterator[Callable[..., sv.VoiceClient]]:
    """``VoiceClient(...)`` or, for ``[async]``, an ``AsyncVoiceClient(...)`` called the
    same way; every client made is closed after the test."""
    runner = LoopThread() if flavour == "async" else None
    made: list[Any] = []

    def new(*args: Any, **options: Any) -> sv.VoiceClient:
        if runner is None:
            client = sv.VoiceClient(*args, **options)
            made.append(client)
            return client
        blocking = Blocking(sv.AsyncVoiceClient(*args, **options), runner)
        made.append(blocking)
        return blocking  # type: ignore[return-value]

    yield new
    for client in made:
        client.close()
    if runner is not None:
        runner.stop()


@pytest.fixture
def make_client(
    platform: LocalPlatform, sleeps: Sleeps, new_client: Callable[..., sv.VoiceClient]
) -> Callable[..., sv.VoiceClient]:
    def make(**options: Any) -> sv.VoiceClient:
        settings: dict[str, Any] = {"base_url": platform.url, "allow_http": True, "sleep": sleeps}
        settings.update(options)
        return new_client(KEY, SECRET, **settings)

    return make
