"""The local platform (``sinch_voice.testing``), one per test, and clients pointed at it;
the platform's faults script what the client meets.

What the client sent is judged here a second time, without the package's code: the
signature recomputed with hashlib, hmac and base64 alone from the method, the body's
bytes, Content-Type, x-timestamp and the path the platform received (or the Basic
credentials compared), so that a mistake shared by the client's signer and the
platform's verifier cannot pass unseen.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterator, Mapping
from typing import Any

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


@pytest.fixture
def make_client(platform: LocalPlatform, sleeps: Sleeps) -> Iterator[Callable[..., sv.VoiceClient]]:
    made: list[sv.VoiceClient] = []

    def make(**options: Any) -> sv.VoiceClient:
        settings: dict[str, Any] = {"base_url": platform.url, "allow_http": True, "sleep": sleeps}
        settings.update(options)
        client = sv.VoiceClient(KEY, SECRET, **settings)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
