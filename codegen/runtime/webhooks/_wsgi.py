"""The dispatcher as a WSGI application: translate the request, call ``handle``, reply."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._core import BaseDispatcher

StartResponse = Callable[..., Any]
CHUNK = 65_536


class WsgiAdapter:
    """``environ`` -> ``handle`` -> status, headers, body. Honours the mount prefix."""

    def __init__(self, dispatcher: BaseDispatcher) -> None:
        self.dispatcher = dispatcher

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        body = (
            b""
            if method.upper() != "POST"
            else read_limited(environ.get("wsgi.input"), self.dispatcher.max_body_bytes)
        )
        response = self.dispatcher.respond(method, request_path(environ), headers(environ), body)
        start_response(
            f"{response.status} {response.reason}",
            [*response.headers, ("content-length", str(len(response.body)))],
        )
        return [response.body]


def read_limited(stream: Any, limit: int) -> bytes:
    """At most ``limit + 1`` bytes, counting what is read (Content-Length is not trusted)."""
    if stream is None:
        return b""
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def request_path(environ: dict[str, Any]) -> str:
    """The path as the client sent it, mount prefix (SCRIPT_NAME) included."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return urllib.parse.urlsplit(raw).path or "/"
    # PEP 3333 paths are decoded latin-1 text: encode them back as they came
    script = environ.get("SCRIPT_NAME", "")
    info = environ.get("PATH_INFO", "")
    text = (script + info).encode("latin-1", errors="replace").decode("utf-8", errors="replace")
    return urllib.parse.quote(text, safe="/:@!$&'()*+,;=-._~%") or "/"


def headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request headers, lower-case names, from the environ's HTTP_* keys."""
    found = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            found[key.replace("_", "-").lower()] = environ[key]
    return found
