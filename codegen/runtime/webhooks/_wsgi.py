"""The dispatcher as a WSGI application: translate the request, call ``handle``, reply."""

from __future__ import annotations

import importlib
import urllib.parse
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ._core import TooLarge

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
        body = read_body(environ, self.dispatcher.max_body_bytes) if method == "POST" else b""
        response = self.dispatcher.respond(method, request_path(environ), headers(environ), body)
        start_response(
            f"{response.status} {response.reason}",
            [*response.headers, ("content-length", str(len(response.body)))],
        )
        return [response.body]


def read_body(environ: dict[str, Any], limit: int) -> bytes | TooLarge:
    """The body, as PEP 3333 frames it: exactly ``CONTENT_LENGTH`` bytes (reading past it
    waits for bytes that never come on servers such as wsgiref), or, where the server marks
    its input as terminated (``wsgi.input_terminated``, a chunked body), up to the end.

    ``TooLarge`` for a body over ``limit``: at once, without reading a byte, when the
    declared length says so. A missing or malformed length on a server that does not
    terminate its input means no body.
    """
    stream = environ.get("wsgi.input")
    declared = str(environ.get("CONTENT_LENGTH") or "").strip()
    if stream is None:
        return b""
    if declared.isdigit():
        length = int(declared)
        if length > limit:
            return TooLarge(declared=length)
        return read_limited(stream, length, limit)
    if environ.get("wsgi.input_terminated"):
        return read_limited(stream, None, limit)
    if "uwsgi.version" in environ and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", ""):
        return read_uwsgi_chunks(limit)  # uWSGI gives chunked bodies through its own API
    return b""


def read_uwsgi_chunks(limit: int) -> bytes | TooLarge:
    """A chunked body under uWSGI (its ``chunked_read``); ``TooLarge`` as soon as more
    than ``limit`` bytes have come."""
    uwsgi = importlib.import_module("uwsgi")  # only importable inside a uWSGI worker

    parts: list[bytes] = []
    size = 0
    while True:
        chunk = uwsgi.chunked_read()
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            return TooLarge()
        parts.append(chunk)


def read_limited(stream: Any, length: int | None, limit: int) -> bytes | TooLarge:
    """``length`` bytes (or, when None, to the end); ``TooLarge`` once more than ``limit``
    have been read (one byte past it tells), counting what is actually read."""
    wanted = limit + 1 if length is None else min(length, limit + 1)
    parts: list[bytes] = []
    size = 0
    while size < wanted:
        chunk = stream.read(min(CHUNK, wanted - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return TooLarge() if size > limit else b"".join(parts)


def request_path(environ: dict[str, Any]) -> str:
    """The path as the platform signed it: the mount prefix (SCRIPT_NAME) included.

    The raw request URI (gunicorn's ``RAW_URI``) keeps the client's exact encoding, so it
    is preferred; a prefix that a proxy stripped and middleware put back in SCRIPT_NAME
    (werkzeug's ProxyFix with ``X-Forwarded-Prefix``) is not in it, and is added.
    """
    script = _encoded(environ.get("SCRIPT_NAME", "")).rstrip("/")
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        path = urllib.parse.urlsplit(raw).path or "/"
        if script and not (path == script or path.startswith(script + "/")):
            path = script + path
        return path
    return (script + _encoded(environ.get("PATH_INFO", ""))) or "/"


def _encoded(text: str) -> str:
    """A PEP 3333 path (decoded latin-1 text) encoded back as it came on the wire."""
    value = text.encode("latin-1", errors="replace").decode("utf-8", errors="replace")
    return urllib.parse.quote(value, safe="/:@!$&'()*+,;=-._~%")


def headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request headers, lower-case names, from the environ's HTTP_* keys (the server
    has joined a repeated header's values with ", ", as PEP 3333 lets it)."""
    found = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            found[key.replace("_", "-").lower()] = environ[key]
    return found
