"""A maintainer drops in a changed spec: everything follows, overrides still applied.

Each test copies the vendor document, changes it the way a new vendor release might,
regenerates into a temp folder (with our overlay and overrides.yaml), and runs code
against the result in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.diagnostics import GenerationError
from codegen.generate import generate_package
from codegen.overrides import DEFAULT_OVERRIDES
from codegen.spec import DEFAULT_OVERLAY, DEFAULT_SPEC, SpecSource, load_yaml

from . import mutations

S = "#/components/schemas/"


def regenerate(
    tmp_path: Path, change: Callable[[Any], None], overrides: Path = DEFAULT_OVERRIDES
) -> Path:
    spec = load_yaml(DEFAULT_SPEC)
    change(spec)
    changed = tmp_path / "sinch-voice.json"  # JSON is YAML
    changed.write_text(json.dumps(spec), encoding="utf-8")
    out = tmp_path / "out"
    generate_package(SpecSource(changed, DEFAULT_OVERLAY), out, overrides)
    return out


def write_overrides(tmp_path: Path, allow: dict[str, str]) -> Path:
    """overrides.yaml with ``allow`` entries added (JSON is YAML)."""
    overrides = load_yaml(DEFAULT_OVERRIDES)
    overrides["allow"] = {**(overrides.get("allow") or {}), **allow}
    path = tmp_path / "overrides.json"
    path.write_text(json.dumps(overrides), encoding="utf-8")
    return path


def run(out: Path, code: str) -> str:
    script = f"import sys; sys.path.insert(0, {str(out)!r})\n" + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def schemas(spec: Any) -> Any:
    return spec["components"]["schemas"]


def test_a_new_property_on_ice_reaches_model_converter_and_handler(tmp_path: Path) -> None:
    def change(spec: Any) -> None:
        schemas(spec)["iceRequest"]["properties"]["recordingPolicy"] = {
            "type": "string",
            "description": "Whether the call is recorded.",
        }

    out = regenerate(tmp_path, change)
    run(
        out,
        """
        import sinch_voice as sv
        from sinch_voice.webhooks import Dispatcher
        assert sv.__file__.startswith(sys.path[0])
        body = b'{"event": "ice", "callid": "c1", "recordingPolicy": "always"}'
        ice = sv.loads(body, sv.IceRequest)
        assert ice.recording_policy == "always"
        assert ice.call_id == "c1"  # the callid alias still applies
        assert sv.dumps(ice) == b'{"event":"ice","callid":"c1","recordingPolicy":"always"}'
        seen = []
        dispatcher = Dispatcher(verify=False)
        dispatcher.on_ice(lambda event: seen.append(event.recording_policy))
        answer = dispatcher.handle("POST", "/cb", {"content-type": "application/json"},
                                   b'{"event": "ice", "recordingPolicy": "never"}')
        assert answer.status == 200 and seen == ["never"], (answer, seen)
        assert sv.Svaml.__name__ == "Svaml"  # the class-name override still applies
    """,
    )


def test_new_values_in_an_open_and_a_closed_enum(tmp_path: Path) -> None:
    def change(spec: Any) -> None:
        schemas(spec)["iceRequest"]["properties"]["domain"]["x-enumDescriptions"]["sip"] = (
            "A SIP call."
        )
        schemas(spec)["callResult"]["enum"].append("REJECTED")

    out = regenerate(tmp_path, change)
    run(
        out,
        """
        import sinch_voice as sv
        assert sv.IceRequestDomain.SIP == "sip"
        assert sv.CallResult.REJECTED.is_known
        info = sv.loads(b'{"result": "REJECTED"}', sv.CallInformation, strict=True)
        assert info.result is sv.CallResult.REJECTED
    """,
    )


def test_a_new_svaml_action_parses_renders_and_builds(tmp_path: Path) -> None:
    out = regenerate(tmp_path, mutations.add_svaml_action)
    run(
        out,
        """
        import sinch_voice as sv
        from sinch_voice.svaml import ice_response, ace_response
        body = (b'{"action":{"name":"connectVideo",'
                b'"destination":{"type":"username","endpoint":"ws"},"maxDuration":30}}')
        parsed = sv.loads(body, sv.Svaml, strict=True)
        assert isinstance(parsed.action, sv.SvamlActionConnectVideo)
        assert sv.dumps(parsed) == body
        # no positional override for a new action: its fields are keyword arguments
        built = ice_response().connect_video(
            destination=sv.Destination(type=sv.DestinationType.USERNAME, endpoint="ws"),
            max_duration=30)
        assert sv.dumps(built.build()) == body
        assert not hasattr(ace_response(), "connect_video")  # only where the spec says
    """,
    )


def test_a_new_operation_under_a_new_tag_is_signed_and_sent(tmp_path: Path) -> None:
    def change(spec: Any) -> None:
        spec["paths"]["/calling/v1/recordings/{recordingId}"] = {
            "parameters": [
                {
                    "name": "recordingId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "get": {
                "tags": ["Recordings"],
                "operationId": "Calling_GetRecording",
                "summary": "Get a recording",
                "responses": {
                    "200": {
                        "description": "The recording.",
                        "content": {
                            "application/json": {"schema": {"$ref": S + "getRecordingFileInfo"}}
                        },
                    }
                },
            },
        }

    out = regenerate(tmp_path, change)
    run(
        out,
        """
        import base64, hashlib, hmac, json, threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        import sinch_voice as sv

        SECRET = "BeIukql3pTKJ8RGL5zo0DA=="
        seen = {}

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def do_GET(self):
                stamp = self.headers["x-timestamp"]
                message = f"GET\\n\\n\\nx-timestamp:{stamp}\\n{self.path}".encode()
                digest = hmac.new(base64.b64decode(SECRET), message, hashlib.sha256).digest()
                expected = "Application key:" + base64.b64encode(digest).decode()
                seen["ok"] = self.headers["Authorization"] == expected
                seen["path"] = self.path
                body = json.dumps({"key": "k1", "url": "https://x.test/r.mp3"}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with sv.VoiceClient("key", SECRET, base_url=url, allow_http=True) as client:
            recording = client.recordings.calling_get_recording("rec 1")
        server.shutdown()
        assert isinstance(recording, sv.RecordingFileInfo) and recording.url == "https://x.test/r.mp3"
        assert seen == {"ok": True, "path": "/calling/v1/recordings/rec%201"}, seen
    """,
    )


def test_a_new_webhook_event_gets_a_class_and_a_registration(tmp_path: Path) -> None:
    out = regenerate(tmp_path, mutations.add_callback)
    run(
        out,
        """
        import sinch_voice as sv
        from sinch_voice.webhooks import Dispatcher, parse_event
        seen = []
        dispatcher = Dispatcher(verify=False)
        dispatcher.on_qce(
            lambda event: seen.append((type(event).__name__, event.queue, event.call_id)))
        answer = dispatcher.handle("POST", "/cb", {"content-type": "application/json"},
                                   b'{"event": "qce", "callid": "c9", "queue": "support"}')
        assert answer.status == 200 and answer.body == b"{}"
        assert seen == [("QceRequest", "support", "c9")], seen
        assert isinstance(parse_event(b'{"event": "qce"}'), sv.QceRequest)
    """,
    )


def test_removing_a_field_an_override_names_stops_generation_clearly(tmp_path: Path) -> None:
    def change(spec: Any) -> None:
        del schemas(spec)["svaml.action.connectMxp"]["properties"]["callheaders"]

    with pytest.raises(GenerationError) as caught:
        regenerate(tmp_path, change)
    message = str(caught.value)
    assert (
        "overrides.yaml aliases.svaml.action.connectMxp.callheaders: the spec has no such place"
        in message
    )
    assert "overrides.yaml words.callheaders: no property has that wire name" in message
    assert not (tmp_path / "out").exists()


def test_removing_an_operation_an_override_names_stops_generation(tmp_path: Path) -> None:
    def change(spec: Any) -> None:
        del spec["paths"]["/calling/v1/conferences/id/{conferenceId}"]["delete"]

    with pytest.raises(
        GenerationError, match=r"overrides\.yaml operations\.Calling_KickConferenceAll"
    ):
        regenerate(tmp_path, change)
