"""No input makes the dispatcher answer 500 or raise."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sinch_voice.webhooks import Response

from .helpers import ADAPTERS, make_dispatcher, signed_headers

DISPATCHER = make_dispatcher()
DISPATCHER.on_ice(lambda event: None)
DISPATCHER.on_ace(lambda event: None)

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=15,
)
EVENTS = st.sampled_from(["ice", "ace", "dice", "pie", "notify", "other", ""])
BODIES = st.one_of(
    st.binary(max_size=300),
    JSONISH.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    st.builds(
        lambda e, extra: json.dumps({"event": e, **extra}, allow_nan=True).encode(),
        EVENTS,
        st.dictionaries(
            st.sampled_from(
                ["callid", "version", "to", "timestamp", "menuResult", "amd", "userRate", "x"]
            ),
            JSONISH,
            max_size=4,
        ),
    ),
)
HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=255), max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    adapter=st.sampled_from(sorted(ADAPTERS)),
    method=st.sampled_from(["POST", "GET", "PUT", "DELETE", "PATCH", "post"]),
    path=st.text(alphabet="/abcé%?", max_size=20).map(lambda p: "/" + p),
    body=BODIES,
    sign=st.booleans(),
    extra=st.dictionaries(
        st.sampled_from(["content-type", "authorization", "x-timestamp", "x-other"]),
        HEADER_TEXT,
        max_size=3,
    ),
)
def test_no_input_gives_500_or_raises(
    adapter: str, method: str, path: str, body: bytes, sign: bool, extra: dict[str, str]
) -> None:
    headers: dict[str, Any] = signed_headers(body, path.split("?")[0]) if sign else {}
    headers.update(extra)
    send: Callable[..., Response] = ADAPTERS[adapter]
    response = send(DISPATCHER, method, path.split("?")[0], headers, body)
    assert response.status in (200, 400, 401, 405, 413, 415)


# --- the hostile-input fuzz: extreme dates, deep nesting, lone surrogates, repeated
# --- security headers, lying lengths; signed requests, and unsigned ones ----------------

HOSTILE_VALUES = st.sampled_from(
    [
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "2024-05-01",
        "2024-05-01T12:00:00",
        "2024-05-01T12:00:00.9372196Z",
        "\ud800",
        "\udfff\ud800",
        "x" * 300,
        "",
    ]
)


def hostile_body(event: str, field: str, value: Any, depth: int, surrogate: bool) -> bytes:
    document = {"event": event, field: value}
    text = json.dumps(document)  # ensure_ascii: a lone surrogate becomes a \\udXXX escape
    if depth:
        text = text[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    if surrogate:
        text = text[:-1] + ', "s": "\\udc80"}'
    return text.encode()


HOSTILE_BODIES = st.builds(
    hostile_body,
    EVENTS,
    st.sampled_from(["timestamp", "callid", "to", "menuResult", "cli"]),
    HOSTILE_VALUES | JSONISH,
    st.sampled_from([0, 0, 10, 254, 255, 600, 1100]),
    st.booleans(),
)
SECURITY = st.sampled_from(["authorization", "x-timestamp", "content-type"])
SAFE_PATHS = st.text(alphabet="abc-_.", min_size=1, max_size=12).map(lambda p: "/" + p)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    adapter=st.sampled_from(["handle", *sorted(ADAPTERS)]),
    path=SAFE_PATHS,
    body=HOSTILE_BODIES | BODIES,
    sign=st.booleans(),
    repeated=st.lists(st.tuples(SECURITY, HOSTILE_VALUES | HEADER_TEXT), max_size=2),
    stamp=st.none() | HOSTILE_VALUES,
)
def test_hostile_requests_get_the_answers_their_signing_allows(
    adapter: str,
    path: str,
    body: bytes,
    sign: bool,
    repeated: list[tuple[str, str]],
    stamp: str | None,
) -> None:
    pairs: list[tuple[str, str]] = list(signed_headers(body, path).items()) if sign else []
    if stamp is not None:  # a bogus x-timestamp, as a stranger would send
        pairs = [(k, v) for k, v in pairs if k.lower() != "x-timestamp"] + [("x-timestamp", stamp)]
    pairs += repeated  # the same headers again: never "the last one wins"
    if adapter == "handle":
        response = DISPATCHER.handle("POST", path, pairs, body)
    elif adapter == "asgi":
        response = ADAPTERS["asgi"](DISPATCHER, "POST", path, pairs, body)
    else:
        response = ADAPTERS["wsgi"](DISPATCHER, "POST", path, dict(pairs), body)
    untouched = sign and stamp is None and not repeated
    if untouched:
        assert response.status in (200, 400, 415), response
    elif not sign:
        assert response.status in (401, 405, 413), response
    else:  # signed, then tampered with
        assert response.status in (200, 400, 401, 415), response
    assert response.status != 500


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=HOSTILE_BODIES | BODIES,
    declared=st.sampled_from(["", "0", "-1", "abc", "1e3", " 12", "99999999999"])
    | st.integers(0, 400).map(str),
    terminated=st.booleans(),
    sign=st.booleans(),
)
def test_a_lying_content_length_never_hangs_or_raises(
    body: bytes, declared: str, terminated: bool, sign: bool
) -> None:
    import io

    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/cb",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_TYPE": "application/json",
    }
    if declared:
        environ["CONTENT_LENGTH"] = declared
    if terminated:
        environ["wsgi.input_terminated"] = True
    if sign:
        for name, value in signed_headers(body, "/cb").items():
            key = name.upper().replace("-", "_")
            environ[key if key == "CONTENT_TYPE" else "HTTP_" + key] = value
    statuses: list[str] = []
    DISPATCHER.wsgi(environ, lambda status, headers: statuses.append(status))
    status = int(statuses[0].split()[0])
    allowed = (200, 400, 401, 413, 415) if sign else (401, 413)
    assert status in allowed
