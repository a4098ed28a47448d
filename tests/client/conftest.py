"""The mock platform as a real process on loopback, and clients pointed at it."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sinch_voice as sv

KEY = "669E367E-6BBA-48AB-AF15-266871C28135"
SECRET = "BeIukql3pTKJ8RGL5zo0DA=="
REPO = Path(__file__).resolve().parents[2]


class Platform:
    """A running mock platform: its URL, and its control endpoints."""

    def __init__(self, process: subprocess.Popen[str], url: str, context: Any = None) -> None:
        self.process = process
        self.url = url
        self.context = context

    def _control(self, name: str, payload: Any = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else b"{}"
        request = urllib.request.Request(f"{self.url}/__control/{name}", data=data, method="POST")
        with urllib.request.urlopen(request, timeout=5, context=self.context) as response:
            return json.loads(response.read())

    def script(self, *steps: dict[str, Any]) -> None:
        """The next answers, in order: {"status", "json" | "raw", "headers", "delay", "drop"}."""
        self._control("script", list(steps))

    def log(self) -> list[dict[str, Any]]:
        return list(self._control("log"))

    def reset(self) -> None:
        self._control("reset")


def start_platform(*extra: str, context: Any = None) -> Platform:
    """Start the mock as a process; it prints its address once it listens."""
    command = [sys.executable, "-m", "tests.client.mock_platform", "--key", KEY, "--secret", SECRET]
    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen(
            [*command, *extra], cwd=REPO, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("listening on "):
            stop(process)
            errors.seek(0)
            raise RuntimeError(f"mock platform did not start: {line} {errors.read()}")
    return Platform(process, line.split()[-1], context)


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


@pytest.fixture(scope="session")
def platform_process() -> Iterator[Platform]:
    platform = start_platform()
    yield platform
    stop(platform.process)


@pytest.fixture
def platform(platform_process: Platform) -> Platform:
    platform_process.reset()
    return platform_process


class Sleeps(list[float]):
    """An injected sleeper that records instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_client(platform: Platform, sleeps: Sleeps) -> Iterator[Callable[..., sv.VoiceClient]]:
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
