"""A small scripted HTTP(S) server on loopback for the client tests: it answers each
request with the next scripted answer and records what it received."""

from __future__ import annotations

import http.server
import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CALL = {"callId": "c1", "status": "ONGOING"}


class Scripted(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers: list[tuple[int, dict[str, str], bytes, float]] = []
        self.received: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def script(self, *answers: int | tuple[int, dict[str, str]], delay: float = 0.0) -> None:
        """The next answers: a status (a 200 carries a call's JSON), or (status, headers),
        each sent ``delay`` seconds after the request came."""
        for answer in answers:
            status, headers = answer if isinstance(answer, tuple) else (answer, {})
            body = json.dumps(CALL if status == 200 else {"errorCode": status * 100})
            self.answers.append((status, headers, body.encode(), delay))

    def next_answer(self) -> tuple[int, dict[str, str], bytes, float]:
        with self.lock:
            if self.answers:
                return self.answers.pop(0)
        return 200, {}, json.dumps(CALL).encode(), 0.0


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Scripted
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.received.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": dict(self.headers),
                "body": body,
            }
        )
        status, headers, content, delay = self.server.next_answer()
        time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting: as it may

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PATCH(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read ``received``."""


@contextmanager
def scripted_server(tls: ssl.SSLContext | None = None) -> Iterator[tuple[Scripted, str]]:
    """A running server and its base URL (``https://localhost:PORT`` with ``tls``)."""
    server = Scripted()
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    url = f"https://localhost:{port}" if tls is not None else f"http://127.0.0.1:{port}"
    try:
        yield server, url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
