"""The dispatcher under real servers: gunicorn (WSGI) and uvicorn (ASGI) on loopback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import KEY, SECRET, event_body, signed_headers

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start in 30 s")


def start(command: list[str], port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SINCH_TEST_KEY": KEY, "SINCH_TEST_SECRET": SECRET}
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_until_listening(port, process)
    return process


@pytest.fixture(scope="module", params=["gunicorn", "uvicorn"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(base URL to send to, public path prefix the platform signs)."""
    port = free_port()
    if request.param == "gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "tests.webhooks.server_app:wsgi_app",
        ]
        base, public = f"http://127.0.0.1:{port}/voice", "/voice"
    else:
        # behind a proxy that strips /public: uvicorn is told its root path
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--root-path",
            "/public",
            "--log-level",
            "warning",
            "tests.webhooks.server_app:asgi_app",
        ]
        base, public = f"http://127.0.0.1:{port}", "/public"
    process = start(command, port)
    yield base, public
    process.terminate()
    process.wait(timeout=15)


def callback(server: tuple[str, str], body: bytes, *, tamper: bool = False) -> tuple[int, object]:
    base, public = server
    headers = signed_headers(body, public + "/sinch/callback", when=time.time())
    sent = body.replace(b'"c1"', b'"c2"') if tamper else body
    request = urllib.request.Request(
        base + "/sinch/callback", data=sent, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_full_call_is_answered(server: tuple[str, str]) -> None:
    status, answer = callback(server, event_body("ice", cli="+46700000000"))
    assert status == 200
    assert answer == {
        "instructions": [{"name": "say", "text": "Hello +46700000000", "locale": "en-US"}],
        "action": {
            "name": "runMenu",
            "menus": [
                {
                    "id": "main",
                    "mainPrompt": "#tts[Press 1]",
                    "options": [{"dtmf": "1", "action": "return(one)"}],
                }
            ],
        },
    }
    assert callback(server, event_body("ace")) == (200, {"action": {"name": "continue"}})
    status, answer = callback(
        server, event_body("pie", menuResult={"menuId": "main", "type": "return", "value": "one"})
    )
    assert (status, answer) == (
        200,
        {"instructions": [{"name": "say", "text": "You chose one"}], "action": {"name": "hangup"}},
    )
    assert callback(server, event_body("dice", reason="CALLERHANGUP")) == (200, {})


def test_tampered_callbacks_are_refused(server: tuple[str, str]) -> None:
    assert callback(server, event_body("ice"), tamper=True) == (401, {"error": "unauthorized"})
    base, _public = server
    request = urllib.request.Request(
        base + "/sinch/callback",
        data=event_body("ice"),
        method="POST",
        headers=signed_headers(event_body("ice"), "/sinch/callback"),
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 401  # signed for another path (and time)
    caught.value.close()
