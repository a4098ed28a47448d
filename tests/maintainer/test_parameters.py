"""Every parameter location the spec can state reaches the wire: a path, query and header
parameter added to a copy of the spec arrive as the spec's style and explode say, while
the signature still covers the path alone. What the client cannot send stops generation
with its JSON pointer, unless overrides.yaml allows it with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.diagnostics import GenerationError

from .test_spec_updates import regenerate, run, write_overrides


def add_parameters(spec: Any) -> None:
    item = spec["paths"]["/calling/v1/calls/id/{callId}"]
    item["get"]["parameters"] = [
        {
            "name": "includeLegs",
            "in": "query",
            "schema": {"type": "boolean"},
            "description": "Whether to list the call's legs.",
        },
        {
            "name": "fields",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string"}},
        },
        {
            "name": "legs",
            "in": "query",
            "explode": False,
            "required": True,
            "schema": {"type": "array", "items": {"type": "string", "enum": ["caller", "callee"]}},
        },
        {"name": "X-Request-Tag", "in": "header", "schema": {"type": "string"}},
    ]
    spec["paths"]["/calling/v1/calls/id/{callId}/legs/{legId}"] = {
        "get": {
            "tags": ["Calls"],
            "operationId": "Calling_GetLeg",
            "parameters": [
                {"$ref": "#/components/parameters/callId"},
                {"name": "legId", "in": "path", "required": True, "schema": {"type": "integer"}},
            ],
            "responses": {"204": {"description": "Nothing."}},
        }
    }


def test_path_query_and_header_parameters_reach_the_wire(tmp_path: Path) -> None:
    out = regenerate(tmp_path, add_parameters)
    printed = run(
        out,
        """
        import base64, hashlib, hmac, json, threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        import inspect
        import sinch_voice as sv

        SECRET = "BeIukql3pTKJ8RGL5zo0DA=="
        seen = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def do_GET(self):
                stamp = self.headers["x-timestamp"]
                path = self.path.split("?")[0]
                message = f"GET\\n\\n\\nx-timestamp:{stamp}\\n{path}".encode()
                digest = hmac.new(base64.b64decode(SECRET), message, hashlib.sha256).digest()
                signed = self.headers["Authorization"] == (
                    "Application key:" + base64.b64encode(digest).decode())
                seen.append([self.path, self.headers.get("X-Request-Tag"), signed])
                body = b'{"callId": "c 1"}' if "/legs/" not in path else b""
                self.send_response(200 if body else 204)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with sv.VoiceClient("key", SECRET, base_url=url, allow_http=True) as client:
            info = client.calls.get("c 1", include_legs=True, fields=["a b", "c"],
                                    legs=[sv.LegsItem.CALLER, "callee"], x_request_tag="t/1")
            client.calls.get("c 1", legs=[])
            client.calls.calling_get_leg("c 1", 7)
        server.shutdown()
        assert info.call_id == "c 1"
        print(json.dumps(seen))
        print(inspect.signature(type(client.calls).get))
        print(type(client.calls).get.__doc__)
    """,
    )
    lines = printed.splitlines()
    assert lines[0] == (
        '[["/calling/v1/calls/id/c%201?includeLegs=true&fields=a%20b&fields=c'
        '&legs=caller%2Ccallee", "t/1", true], '
        '["/calling/v1/calls/id/c%201?legs=", null, true], '
        '["/calling/v1/calls/id/c%201/legs/7", null, true]]'
    )
    # typed keyword parameters, optional ones UNSET, required ones without a default
    assert lines[1] == (
        "(self, call_id: 'str', *, include_legs: 'bool | Unset' = UNSET, "
        "fields: 'list[str] | Unset' = UNSET, legs: 'list[LegsItem]', "
        "x_request_tag: 'str | Unset' = UNSET, timeout: 'Timeout | None' = None) "
        "-> 'CallInformation'"
    )
    assert "``include_legs``: Whether to list the call's legs. (query ``includeLegs``)" in (
        " ".join(printed.split())
    )


@pytest.mark.parametrize(
    ("parameter", "pointer", "message"),
    [
        (
            {"name": "session", "in": "cookie", "schema": {"type": "string"}},
            "/paths/~1calling~1v1~1calls~1id~1{callId}/get/parameters/0",
            "parameters in 'cookie' are not supported",
        ),
        (
            {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "string"}},
            "/paths/~1calling~1v1~1calls~1id~1{callId}/get/parameters/0/style",
            "does not encode query parameters in style 'deepObject'",
        ),
        (
            {"name": "Authorization", "in": "header", "schema": {"type": "string"}},
            "/paths/~1calling~1v1~1calls~1id~1{callId}/get/parameters/0",
            "the client sets the Authorization header itself",
        ),
    ],
)
def test_a_parameter_the_client_cannot_send_stops_generation(
    tmp_path: Path, parameter: dict[str, Any], pointer: str, message: str
) -> None:
    def change(spec: Any) -> None:
        spec["paths"]["/calling/v1/calls/id/{callId}"]["get"]["parameters"] = [parameter]

    with pytest.raises(GenerationError) as caught:
        regenerate(tmp_path, change)
    assert [(d.pointer, message in d.message) for d in caught.value.diagnostics] == [
        (pointer, True)
    ]


def test_a_body_of_another_media_type_stops_generation_unless_allowed(tmp_path: Path) -> None:
    where = "/paths/~1calling~1v1~1calls~1id~1{callId}/patch/requestBody/content"

    def change(spec: Any) -> None:
        spec["paths"]["/calling/v1/calls/id/{callId}"]["patch"]["requestBody"] = {
            "content": {"application/xml": {"schema": {"type": "string"}}}
        }

    with pytest.raises(GenerationError) as caught:
        regenerate(tmp_path, change)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{where}: only application/json bodies are supported, not application/xml"
    ]
    overrides = write_overrides(tmp_path, {where: "the XML form is for another SDK"})
    out = regenerate(tmp_path, change, overrides)
    run(
        out,
        """
        import inspect
        import sinch_voice as sv
        client = sv.VoiceClient("key", "BeIukql3pTKJ8RGL5zo0DA==")
        assert list(inspect.signature(type(client.calls).update).parameters) == [
            "self", "call_id", "timeout"], inspect.signature(type(client.calls).update)
        """,
    )
