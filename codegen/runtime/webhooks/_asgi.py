"""The dispatcher as an ASGI 3 application: translate the request, await ``handle_async``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from ._core import TooLarge

if TYPE_CHECKING:
    from ._core import BaseDispatcher

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class AsgiAdapter:
    """``scope`` and body messages -> ``handle_async`` -> response messages."""

    def __init__(self, dispatcher: BaseDispatcher) -> None:
        self.dispatcher = dispatcher

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        method = scope.get("method", "GET")
        fields = header_fields(scope.get("headers", ()))
        body = (
            await read_body(receive, fields, self.dispatcher.max_body_bytes)
            if method == "POST"
            else b""
        )
        response = await self.dispatcher.respond_async(method, request_path(scope), fields, body)
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": [
                    *encoded(response.headers),
                    (b"content-length", b"%d" % len(response.body)),
                ],
            }
        )
        await send({"type": "http.response.body", "body": response.body})


_ENCODED: dict[tuple[tuple[str, str], ...], list[tuple[bytes, bytes]]] = {}


def encoded(headers: tuple[tuple[str, str], ...]) -> list[tuple[bytes, bytes]]:
    """Response headers as bytes; the dispatcher's few header sets are encoded once."""
    found = _ENCODED.get(headers)
    if found is None:
        found = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]
        if len(_ENCODED) < 64:
            _ENCODED[headers] = found
    return found


def header_fields(headers: Any) -> dict[str, str]:
    """ASGI's header pairs as one lower-case name each (ASGI names are lower-case already);
    a repeated header's values are joined with ", ", as RFC 9110 combines them."""
    fields: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        fields[name] = f"{fields[name]}, {value}" if name in fields else value
    return fields


async def read_body(receive: Receive, fields: dict[str, str], limit: int) -> bytes | TooLarge:
    """The body; ``TooLarge`` for one over ``limit``: at once, without reading a byte,
    when the declared Content-Length says so, else as soon as more than ``limit`` bytes
    have come (an absent or unreadable length: the server frames the body, and what
    arrives is counted anyway)."""
    declared = fields.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return TooLarge(declared=int(declared))
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        body = bytes(message.get("body", b""))  # the usual case: one message
        return TooLarge() if len(body) > limit else body
    parts: list[bytes] = []
    size = 0
    while message["type"] != "http.disconnect":
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return TooLarge()
        parts.append(chunk)
        if not message.get("more_body", False):
            break
        message = await receive()
    return b"".join(parts)


def request_path(scope: Scope) -> str:
    """The path as the client sent it, mount prefix (root_path) included."""
    raw = scope.get("raw_path")
    root = scope.get("root_path", "")
    path = raw.decode("latin-1").split("?", 1)[0] if raw else scope.get("path", "/")
    if root and not path.startswith(root):
        path = root + path
    return path or "/"


async def lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
