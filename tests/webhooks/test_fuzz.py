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
