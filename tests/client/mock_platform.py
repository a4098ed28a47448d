"""A stand-in for the Sinch platform on loopback, run as its own process by the tests.

It checks every request the way the platform would: the signature recomputed from the
method, body bytes, Content-Type, x-timestamp and path it received (or the Basic
credentials), and the request against the effective spec (method, path, body schema).
It answers from a script the test sets through ``/__control/``, or with a plausible
success. Everything it saw is kept for the test to read.

    python -m tests.client.mock_platform --key KEY --secret SECRET [--certfile F --keyfile F]

prints ``listening on http://127.0.0.1:PORT`` and serves until killed.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import hmac
import json
import re
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from codegen.spec import effective_spec
from codegen.validation import strict_copy

SPEC = effective_spec()
REGISTRY: Registry[Any] = Registry().with_resource(
    "urn:spec", Resource.from_contents(strict_copy(SPEC), default_specification=DRAFT202012)
)


def escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def routes() -> list[tuple[str, re.Pattern[str], str, Any]]:
    """(method, path regex, operationId, operation) for every operation in the spec."""
    found = []
    for path, item in SPEC["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(path)) + "$")
        for method, operation in item.items():
            if method in ("get", "put", "post", "patch", "delete"):
                pointer = f"/paths/{escape(path)}/{method}"
                found.append((method.upper(), pattern, pointer, operation))
    return found


ROUTES = routes()


class State:
    def __init__(self, key: str, secret: str) -> None:
        self.key = key
        self.secret = secret
        self.secret_bytes = base64.b64decode(secret)
        self.lock = threading.Lock()
        self.script: list[dict[str, Any]] = []
        self.log: list[dict[str, Any]] = []


class Handler(BaseHTTPRequestHandler):
    server_version = "MockSinch/1"
    protocol_version = "HTTP/1.1"
    state: State

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.handle_any()

    def do_POST(self) -> None:
        self.handle_any()

    def do_PUT(self) -> None:
        self.handle_any()

    def do_PATCH(self) -> None:
        self.handle_any()

    def do_DELETE(self) -> None:
        self.handle_any()

    def handle_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        if path.startswith("/__control/"):
            self.control(path, body)
            return
        record = self.check(path, body)
        with self.state.lock:
            self.state.log.append(record)
            step = self.state.script.pop(0) if self.state.script else None
        if step is None:
            self.default_answer(record)
            return
        if step.get("delay"):
            time.sleep(step["delay"])
        if step.get("drop"):
            self.close_connection = True
            self.connection.shutdown(2)
            return
        raw = step.get("raw")
        content = (
            raw.encode()
            if isinstance(raw, str)
            else json.dumps(step.get("json")).encode()
            if "json" in step
            else b""
        )
        self.reply(step.get("status", 200), content, step.get("headers", {}))

    # -- checks ------------------------------------------------------------------------
    def check(self, path: str, body: bytes) -> dict[str, Any]:
        headers = {k.lower(): v for k, v in self.headers.items()}
        record: dict[str, Any] = {
            "method": self.command,
            "path": path,
            "headers": headers,
            "body": body.decode("utf-8", errors="replace"),
            "auth": self.verify(path, body, headers),
            "operation": None,
            "problems": [],
        }
        for method, pattern, pointer, operation in ROUTES:
            match = pattern.match(path)
            if match and method == self.command:
                record["operation"] = operation.get("operationId")
                record["path_values"] = [unquote(v) for v in match.groups()]
                record["problems"] = self.check_body(pointer, operation, body, headers)
                break
        else:
            record["problems"] = [f"no operation for {self.command} {path}"]
        return record

    def verify(self, path: str, body: bytes, headers: dict[str, str]) -> str:
        authorization = headers.get("authorization", "")
        if authorization.startswith("Basic "):
            expected = base64.b64encode(f"{self.state.key}:{self.state.secret}".encode()).decode()
            return "basic ok" if authorization == "Basic " + expected else "basic bad"
        if not authorization.startswith("Application "):
            return "missing"
        key, _, signature = authorization[len("Application ") :].partition(":")
        md5 = (
            base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode()
            if body
            else ""
        )
        message = "\n".join(
            [
                self.command,
                md5,
                headers.get("content-type", ""),
                "x-timestamp:" + headers.get("x-timestamp", ""),
                path,
            ]
        )
        digest = hmac.new(self.state.secret_bytes, message.encode(), hashlib.sha256).digest()
        good = key == self.state.key and hmac.compare_digest(
            base64.b64encode(digest).decode(), signature
        )
        return "signed ok" if good else "signed bad"

    def check_body(
        self, pointer: str, operation: Any, body: bytes, headers: dict[str, str]
    ) -> list[str]:
        request = operation.get("requestBody")
        if request is None:
            return ["unexpected body"] if body else []
        if "$ref" in request:
            name = request["$ref"].rsplit("/", 1)[-1]
            schema_pointer = f"/components/requestBodies/{name}/content/application~1json/schema"
        else:
            schema_pointer = pointer + "/requestBody/content/application~1json/schema"
        if headers.get("content-type") != "application/json":
            return [f"content-type {headers.get('content-type')!r}"]
        try:
            document = json.loads(body)
        except ValueError as error:
            return [f"body is not JSON: {error}"]
        validator = Draft202012Validator({"$ref": f"urn:spec#{schema_pointer}"}, registry=REGISTRY)
        return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]

    # -- answers -----------------------------------------------------------------------
    def default_answer(self, record: dict[str, Any]) -> None:
        if record["auth"] not in ("signed ok", "basic ok"):
            self.reply(401, json.dumps({"errorCode": 40102, "message": "bad signature"}).encode())
            return
        if record["operation"] is None:
            self.reply(404, json.dumps({"errorCode": 40400, "message": "no route"}).encode())
            return
        if record["problems"]:
            self.reply(
                400,
                json.dumps({"errorCode": 40001, "message": "; ".join(record["problems"])}).encode(),
            )
            return
        answers = {
            "Callouts": {"callId": "callout-1"},
            "Calling_GetCallResult": {
                "callId": (record.get("path_values") or [""])[0],
                "status": "FINAL",
                "result": "ANSWERED",
            },
            "Calling_GetConferenceInfo": {"participants": [{"id": "p1", "muted": False}]},
            "Configuration_GetNumbers": {
                "numbers": [{"number": "+46700000000", "capability": "voice"}]
            },
            "Configuration_GetCallbackURLs": {"url": {"primary": "https://example.test/cb"}},
            "Calling_QueryNumber": {"number": {"countryId": "SE", "numberType": "Mobile"}},
        }
        answer = answers.get(record["operation"])
        if answer is None:
            self.reply(204, b"")
        else:
            self.reply(200, json.dumps(answer).encode())

    def reply(self, status: int, content: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if content:
            self.wfile.write(content)

    def control(self, path: str, body: bytes) -> None:
        with self.state.lock:
            if path == "/__control/script":
                self.state.script = json.loads(body)
                content = b"{}"
            elif path == "/__control/log":
                content = json.dumps(self.state.log).encode()
            elif path == "/__control/reset":
                self.state.script, self.state.log = [], []
                content = b"{}"
            else:
                content = b'{"error": "unknown control"}'
        self.reply(200, content)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--certfile")
    parser.add_argument("--keyfile")
    args = parser.parse_args(argv)
    Handler.state = State(args.key, args.secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    scheme = "http"
    if args.certfile:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.certfile, args.keyfile)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    print(f"listening on {scheme}://127.0.0.1:{server.server_address[1]}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
