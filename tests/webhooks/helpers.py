"""Signed callbacks, and calling a dispatcher through its WSGI or ASGI entry point."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from sinch_voice.signing import Secret, sign, timestamp_at
from sinch_voice.webhooks import Dispatcher, Response

KEY = "669E367E-6BBA-48AB-AF15-266871C28135"
SECRET = "BeIukql3pTKJ8RGL5zo0DA=="
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc).timestamp()


def signed_headers(
    body: bytes,
    path: str,
    *,
    key: str = KEY,
    secret: str = SECRET,
    when: float = NOW,
    content_type: str = "application/json",
    method: str = "POST",
) -> dict[str, str]:
    stamp = timestamp_at(when)
    signature = sign(Secret(secret), method, body, content_type, stamp, path)
    return {
        "Content-Type": content_type,
        "X-Timestamp": stamp,
        "Authorization": f"Application {key}:{signature}",
    }


def event_body(event: str, **fields: Any) -> bytes:
    return json.dumps({"event": event, "callid": "c1", "version": 1, **fields}).encode()


def make_dispatcher(**options: Any) -> Dispatcher:
    settings: dict[str, Any] = {"clock": lambda: NOW}
    settings.update(options)
    return Dispatcher(KEY, SECRET, **settings)


def via_wsgi(
    dispatcher: Dispatcher,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    script_name: str = "",
) -> Response:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": script_name,
        "PATH_INFO": path[len(script_name) :],
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
    captured: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        captured["status"] = int(status.split()[0])
        captured["headers"] = tuple(response_headers)

    content = b"".join(dispatcher.wsgi(environ, start_response))
    return Response(captured["status"], captured["headers"], content)


def via_asgi(
    dispatcher: Dispatcher,
    method: str,
    path: str,
    headers: dict[str, str] | list[tuple[str, str]],
    body: bytes,
    script_name: str = "",
) -> Response:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": script_name,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [
            # any bytes can arrive: encode test text so that none is refused here
            (k.lower().encode("latin-1"), v.encode("utf-8", "surrogatepass"))
            for k, v in (headers.items() if isinstance(headers, dict) else headers)
        ],
    }
    messages = [
        {"type": "http.request", "body": body[i : i + 1000], "more_body": i + 1000 < len(body)}
        for i in range(0, max(len(body), 1), 1000)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(dispatcher.asgi(scope, receive, send))
    start, payload = sent[0], sent[1]
    headers_out = tuple((n.decode(), v.decode()) for n, v in start["headers"])
    return Response(start["status"], headers_out, payload["body"])


ADAPTERS: dict[str, Callable[..., Response]] = {"wsgi": via_wsgi, "asgi": via_asgi}
