"""The dispatcher under the servers people deploy, each a real process on loopback.

For each server: a signed callback to the app mounted under /voice is answered (the mount
prefix is part of the signed path); a body over the limit gets 413; a chunked body (no
Content-Length) is read, and refused with 413 when it is over the limit. The README's
table of tested servers lists the same servers and the one limit found (wsgiref speaks
HTTP/1.0 and takes no chunked bodies).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import event_body, signed_headers
from .test_servers import free_port, start

MODULE = "tests.webhooks.server_app"
LIMIT = 1_048_576  # the dispatcher's default max_body_bytes
PATH = "/voice/sinch/callback"


def servers() -> dict[str, tuple[list[str], str | None]]:
    """name -> (command with {port}, why it cannot run here or None)."""
    py = sys.executable
    uwsgi = shutil.which("uwsgi", path=str(Path(py).parent))  # pyuwsgi's, in this venv
    wsgi, asgi = f"{MODULE}:wsgi_app", f"{MODULE}:asgi_mounted"
    uvicorn = [py, "-m", "uvicorn", "--host", "127.0.0.1", "--port", "{port}"]
    return {
        "gunicorn-sync": ([py, "-m", "gunicorn", "-b", "127.0.0.1:{port}", wsgi], None),
        "gunicorn-gthread": (
            [py, "-m", "gunicorn", "-b", "127.0.0.1:{port}", "--threads", "4", wsgi],
            None,
        ),
        "waitress": ([py, "-m", "waitress", "--listen=127.0.0.1:{port}", wsgi], None),
        "uwsgi": (
            [
                uwsgi or "uwsgi",
                "--http-socket",
                "127.0.0.1:{port}",
                "--module",
                wsgi,
                "--http-chunked-input",
                "--disable-logging",
                "--master",
                "--die-on-term",
            ],
            None if uwsgi else "uwsgi (pyuwsgi) is not installed in this venv",
        ),
        "wsgiref": ([py, "-m", "tests.webhooks.serve", "wsgiref", "{port}"], None),
        "werkzeug": ([py, "-m", "tests.webhooks.serve", "werkzeug", "{port}"], None),
        "uvicorn-h11": ([*uvicorn, "--http", "h11", "--loop", "asyncio", asgi], None),
        "uvicorn-httptools-uvloop": (
            [*uvicorn, "--http", "httptools", "--loop", "uvloop", asgi],
            None,
        ),
        "hypercorn": ([py, "-m", "hypercorn", "--bind", "127.0.0.1:{port}", asgi], None),
        "daphne": ([py, "-m", "daphne", "-b", "127.0.0.1", "-p", "{port}", asgi], None),
        "granian": (
            [
                py,
                "-m",
                "granian",
                "--interface",
                "asgi",
                "--host",
                "127.0.0.1",
                "--port",
                "{port}",
                "--no-ws",
                asgi,
            ],
            None,
        ),
    }


CHUNKED_UNSUPPORTED = {"wsgiref": "wsgiref speaks HTTP/1.0: it takes no chunked request body"}


@pytest.fixture(scope="module", params=sorted(servers()))
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    command, why_not = servers()[request.param]
    if why_not:
        pytest.skip(why_not)
    port = free_port()
    process = start([part.replace("{port}", str(port)) for part in command], port)
    time.sleep(0.3)  # the listening socket can come before the app is loaded
    yield request.param, port
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # a worker that ignores its master is a bug of ours too
        process.kill()
        process.wait(timeout=5)
        pytest.fail(f"{request.param} did not stop within 10 s of SIGTERM")


def exchange(
    port: int, head: bytes, body_parts: list[bytes], timeout: float = 15
) -> tuple[int, Any]:
    """One request written by hand (so that framing is ours), and its status and JSON."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        for part in body_parts:
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered before taking it all: allowed for a 413
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head_text, _, rest = data.partition(b"\r\n\r\n")
        status = int(head_text.split(b" ", 2)[1])
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head_text.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            None,
        )
        while length is not None and len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
    try:
        return status, json.loads(rest[:length] if length is not None else rest)
    except ValueError:
        return status, rest


def request_head(headers: dict[str, str]) -> bytes:
    lines = [f"POST {PATH} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def chunked(body: bytes, size: int = 4096) -> list[bytes]:
    parts = [
        b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size])
        for i in range(0, len(body), size)
    ]
    return [*parts, b"0\r\n\r\n"]


def test_a_signed_callback_to_the_mounted_app_is_answered(server: tuple[str, int]) -> None:
    _name, port = server
    body = event_body("ace")
    headers = {**signed_headers(body, PATH, when=time.time()), "Content-Length": str(len(body))}
    assert exchange(port, request_head(headers), [body]) == (200, {"action": {"name": "continue"}})
    # signed for the path without its mount prefix: refused
    wrong = {
        **signed_headers(body, "/sinch/callback", when=time.time()),
        "Content-Length": str(len(body)),
    }
    assert exchange(port, request_head(wrong), [body]) == (401, {"error": "unauthorized"})


def test_a_body_over_the_limit_gets_413(server: tuple[str, int]) -> None:
    _name, port = server
    body = b"x" * (LIMIT + 1000)
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
    status, _ = exchange(port, request_head(headers), [body])
    assert status == 413


def test_a_chunked_body_is_read_up_to_the_limit(server: tuple[str, int]) -> None:
    name, port = server
    if name in CHUNKED_UNSUPPORTED:
        pytest.skip(CHUNKED_UNSUPPORTED[name])
    body = event_body("ace")
    headers = {**signed_headers(body, PATH, when=time.time()), "Transfer-Encoding": "chunked"}
    assert exchange(port, request_head(headers), chunked(body)) == (
        200,
        {"action": {"name": "continue"}},
    )
    big = b"x" * (LIMIT + 1000)
    headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    status, _ = exchange(port, request_head(headers), chunked(big, 65536))
    assert status == 413


def test_behind_a_prefix_stripping_proxy_with_proxyfix_under_gunicorn() -> None:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-b",
        f"127.0.0.1:{port}",
        f"{MODULE}:wsgi_behind_proxy",
    ]
    process = start(command, port)
    try:
        body = event_body("ace")
        headers = {  # the platform signed the public path; the proxy forwarded the rest
            **signed_headers(body, PATH, when=time.time()),
            "Content-Length": str(len(body)),
            "X-Forwarded-Prefix": "/voice",
        }
        head = request_head(headers).replace(PATH.encode(), b"/sinch/callback", 1)
        assert exchange(port, head, [body]) == (200, {"action": {"name": "continue"}})
    finally:
        process.terminate()
        process.wait(timeout=15)
