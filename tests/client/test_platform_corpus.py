"""The platform corpus (payloads from the vendor's SDKs, ``tests/fixtures/platform``) through
every part of the package: each payload reads, strictly and leniently, and writes back the
same data; callbacks pass the Dispatcher when signed; SVAML answers are accepted by the
callback they answer; request bodies sent through ``VoiceClient`` arrive at the local
platform meaning the same (it checks signature and spec, and keeps state: an operation on
a call it does not hold is a 404 after the body passed); response bodies, scripted with
the platform's faults, decode into equal models."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sinch_voice as sv
from sinch_voice.signing import string_to_sign
from sinch_voice.testing import LocalPlatform
from sinch_voice.webhooks import parse_event

from ..corpus import MANIFEST, entries, payload
from ..webhooks.helpers import make_dispatcher, signed_headers
from ..wire import assert_same_data
from .conftest import KEY, SECRET, only_request

Make = Callable[..., sv.VoiceClient]
READABLE = entries("callback", "svaml", "action", "instruction", "model", "request", "response")


def test_the_corpus_has_every_source_and_kind() -> None:
    sources = Counter(entry["file"].split("/")[0] for entry in MANIFEST["fixtures"])
    kinds = Counter(entry["kind"] for entry in MANIFEST["fixtures"])
    assert sources == {"java": 47, "java-test-resources": 4, "node": 47}
    assert set(kinds) == {
        "callback",
        "svaml",
        "action",
        "instruction",
        "model",
        "request",
        "response",
        "signature",
    }
    for entry in MANIFEST["fixtures"] + MANIFEST["excluded"]:
        assert entry["repository"].startswith("sinch/sinch-sdk-"), entry
        assert len(entry["commit"]) == 40, entry
        assert entry["path"], entry
    assert all(entry["reason"] for entry in MANIFEST["excluded"])


@pytest.mark.parametrize("entry", READABLE)
def test_a_payload_reads_strictly_and_writes_the_same_data(entry: dict[str, Any]) -> None:
    cls = getattr(sv, entry["model"])
    data = payload(entry)
    strict = sv.loads(data, cls, strict=True)
    assert sv.loads(data, cls) == strict
    written = sv.dumps(strict)
    assert_same_data(json.loads(written), json.loads(data))
    assert sv.loads(written, cls, strict=True) == strict
    for place in entry.get("embedded_svaml", ()):
        text: Any = json.loads(data)
        for key in place.split("."):
            text = text[key]
        sv.loads(text, sv.Svaml, strict=True)


@pytest.mark.parametrize("entry", entries("callback"))
def test_a_callback_parses_as_its_event_and_is_written_as_the_platform_writes(
    entry: dict[str, Any],
) -> None:
    data = payload(entry)
    event = parse_event(data, strict=True)
    assert type(event).__name__ == entry["model"]
    assert parse_event(data) == event
    written = json.loads(sv.dumps(event))
    assert "callId" not in written
    assert written.get("callid") == json.loads(data)["callid"]
    if "timestamp" in written:
        assert written["timestamp"].endswith("Z")


@pytest.mark.parametrize("entry", entries("callback"))
@pytest.mark.parametrize("strict", [False, True])
def test_a_signed_callback_reaches_its_handler(entry: dict[str, Any], strict: bool) -> None:
    data = payload(entry)
    dispatcher = make_dispatcher(strict=strict)
    seen: list[Any] = []
    event_name = json.loads(data)["event"]
    dispatcher.on(event_name, seen.append)
    response = dispatcher.handle("POST", "/voice", signed_headers(data, "/voice"), data)
    assert response.status == 200, response.body
    assert seen == [parse_event(data)]


@pytest.mark.parametrize("entry", entries("svaml"))
def test_a_svaml_answer_is_accepted_by_the_callback_it_answers(entry: dict[str, Any]) -> None:
    answer = sv.loads(payload(entry), sv.Svaml, strict=True)
    dispatcher = make_dispatcher(strict=True)  # refuses an action the callback does not take
    dispatcher.on(entry["answers"], lambda event: answer)
    body = json.dumps({"event": entry["answers"], "callid": "c1"}).encode()
    response = dispatcher.handle("POST", "/voice", signed_headers(body, "/voice"), body)
    assert response.status == 200, response.body
    assert_same_data(json.loads(response.body), json.loads(payload(entry)))


@pytest.mark.parametrize("entry", entries("signature"))
def test_the_node_signature_vector_matches_our_string_to_sign(entry: dict[str, Any]) -> None:
    vector = json.loads(payload(entry))
    # Node's test decodes the non-base64 secret "app-secret" leniently (URL-safe alphabet,
    # no padding) and passes the header's name inside its value; both are reproduced here.
    key = base64.urlsafe_b64decode(vector["application-secret"] + "==")
    text = string_to_sign(
        vector["method"],
        vector["body"].encode(),
        vector["content-type"],
        vector["x-timestamp"],
        vector["path"],
    )
    digest = base64.b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode()
    assert vector["authorization"] == f"Application {vector['application-key']}:{digest}"


# -- across the wire, through the client and the local platform ---------------------------


def operation(client: sv.VoiceClient, entry: dict[str, Any]) -> Callable[..., Any]:
    group, method = entry["call"].split(".")
    function: Callable[..., Any] = getattr(getattr(client, group), method)
    return function


def call(function: Callable[..., Any], *args: Any) -> Any:
    with warnings.catch_warnings():  # query_number is deprecated, and says so
        warnings.simplefilter("ignore", DeprecationWarning)
        return function(*args)


@pytest.fixture(scope="module")
def local_platform() -> Iterator[LocalPlatform]:
    with LocalPlatform({KEY: SECRET}) as running:
        yield running


@pytest.mark.parametrize("entry", entries("request"))
def test_a_request_body_arrives_meaning_the_same(
    entry: dict[str, Any], local_platform: LocalPlatform
) -> None:
    data = payload(entry)
    body = sv.loads(data, getattr(sv, entry["model"]), strict=True)
    client = sv.VoiceClient(KEY, SECRET, base_url=local_platform.url, allow_http=True)
    # a call or conference the platform does not hold is a 404: after the body passed
    with contextlib.suppress(sv.NotFoundError, sv.ConflictError):
        call(operation(client, entry), *entry.get("args", []), body)
    record = local_platform.requests[-1]
    assert record["status"] not in (400, 401, 415), record
    assert_same_data(json.loads(record["body"]), json.loads(data))


@pytest.mark.parametrize("entry", [e for e in entries("response") if "call" in e.values[0]])
def test_a_response_body_decodes_into_its_model(
    entry: dict[str, Any], platform: LocalPlatform, make_client: Make
) -> None:
    data = payload(entry)
    platform.faults.next(status=200, body=data)
    result = call(operation(make_client(), entry), *entry.get("args", []))
    assert result == sv.loads(data, getattr(sv, entry["model"]), strict=True)
    only_request(platform)
