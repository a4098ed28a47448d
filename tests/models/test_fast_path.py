"""The msgspec fast path gives what the usual path gives: the same models, the same
errors (type and message), the same refusals of repeated keys, the same answers.

Every check runs a document both ways (``_fast.ENABLED`` on and off) and compares the
outcomes; the documents are the models' own JSON, the same with random damage, the
platform corpus and the attacks of the webhook tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sinch_voice as sv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sinch_voice import _fast
from sinch_voice.signing import signed_headers
from sinch_voice.webhooks import Dispatcher, parse_event

from .. import corpus
from .test_properties import API, LENIENT, STRICT

pytest.importorskip("msgspec")

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STANDALONE = [
    m.name for m in API.models if m.name not in {x.model for u in API.unions for x in u.members}
]
KEY, SECRET = "fast-key", "BeIukql3pTKJ8RGL5zo0DA=="


def outcome(run: Callable[[], Any]) -> Any:
    """What ``run`` gives: its value, or its exception's type and message."""
    try:
        return ("value", run())
    except Exception as error:
        return ("error", type(error).__name__, str(error))


def both_ways(run: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    fast = outcome(run)
    with monkeypatch.context() as patched:
        patched.setattr(_fast, "ENABLED", False)
        usual = outcome(run)
    return fast, usual


def test_the_fast_path_is_taken_for_a_model_it_covers() -> None:
    """Otherwise every comparison below would compare the usual path with itself."""
    body = json.dumps(API_EXAMPLE).encode()
    read = _fast.reader(sv.IceRequest)
    assert read is not None
    assert read(body, False) == sv.loads(body, sv.IceRequest)
    assert _fast.read_event(body, False) is not None
    assert _fast.reader(sv.SvamlActionHangup) is None  # a union member: read in its union


API_EXAMPLE = {
    "event": "ice",
    "callid": "c1",
    "timestamp": "2024-05-01T12:00:00.123Z",
    "version": 1,
    "userRate": {"currencyId": "USD", "amount": 0.03},
    "cli": "+46700000000",
    "to": {"type": "did", "endpoint": "+3197121281500"},
    "domain": "pstn",
    "originationType": "PSTN",
    "callHeaders": [{"key": "a", "value": "b:c"}],
}


@pytest.mark.parametrize("name", STANDALONE)
@pytest.mark.parametrize("strict", [False, True])
def test_every_model_reads_the_same_both_ways(
    name: str, strict: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = getattr(sv, name)
    models = STRICT if strict else LENIENT

    @SETTINGS
    @given(models.model(name))
    def check(instance: Any) -> None:
        data = sv.dumps(instance)
        fast, usual = both_ways(lambda: sv.loads(data, cls, strict=strict), monkeypatch)
        assert fast == usual
        assert fast == ("value", instance)

    check()


JSON_VALUES = (
    st.none()
    | st.booleans()
    | st.sampled_from([0, -1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30, 1.5, -0.0, 1e300])
    | st.text(max_size=6)
    | st.sampled_from(["2024-05-01T12:00:00Z", "pstn", "PSTN", "ice", "say", "hangup", "1"])
    | st.lists(st.integers(0, 3) | st.text(max_size=3), max_size=3)
    | st.dictionaries(st.sampled_from(["name", "key", "x"]), st.text(max_size=3), max_size=2)
)


def _damage(document: Any, draw: Any) -> Any:
    """The document with one random change somewhere: a key dropped, a value replaced,
    an undeclared key added."""
    if isinstance(document, dict) and document:
        key = draw(st.sampled_from(sorted(document)))
        choice = draw(st.integers(0, 3))
        copy = dict(document)
        if choice == 0:
            del copy[key]
        elif choice == 1:
            copy[key] = draw(JSON_VALUES)
        elif choice == 2:
            copy[draw(st.text(min_size=1, max_size=6))] = draw(JSON_VALUES)
        else:
            copy[key] = _damage(copy[key], draw)
        return copy
    if isinstance(document, list) and document:
        index = draw(st.integers(0, len(document) - 1))
        copy_list = list(document)
        copy_list[index] = _damage(copy_list[index], draw)
        return copy_list
    return draw(JSON_VALUES)


@pytest.mark.parametrize("name", [*STANDALONE[::3], "IceRequest", "Svaml", "PieRequest"])
@pytest.mark.parametrize("strict", [False, True])
def test_damaged_documents_give_the_same_model_or_the_same_error(
    name: str, strict: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = getattr(sv, name)

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(LENIENT.model(name), st.data())
    def check(instance: Any, data: st.DataObject) -> None:
        document = _damage(json.loads(sv.dumps(instance)), data.draw)
        for text in (json.dumps(document), json.dumps(document, ensure_ascii=False)):
            for body in (text, text.encode()):
                fast, usual = both_ways(lambda b=body: sv.loads(b, cls, strict=strict), monkeypatch)
                assert fast == usual, (name, text)

    check()


def _signed(body: bytes) -> dict[str, str]:
    return signed_headers(KEY, SECRET, "POST", "/cb", body)


REPEATS = [
    b'{"event":"ice","callid":"a","callid":"b"}',
    b'{"event":"ice","event":"ice","callid":"a"}',
    b'{"event":"ice","to":{"type":"did","type":"number"}}',
    b'{"event":"ice","userRate":{"amount":1,"currencyId":"USD"},"userRate":{"amount":2}}',
    b'{"event":"ice","custom":"a:b:c","custom":"x"}',
    b'{"event":"ice","callHeaders":[{"key":"k","value":"v","value":"w"}]}',
    b'{"event":"ice","callid":"a","call\\u0069d":"b"}',  # the escaped-key attack
    b'{"event":"pie","menuResult":{"type":"return","value":"1","value":"2"}}',
    b'{"event":"ice","callid":"a:b","cli":"c:d"}',  # colons in strings, no repeat
]


@pytest.mark.parametrize("body", REPEATS)
@pytest.mark.parametrize("strict", [False, True])
def test_repeated_keys_are_refused_both_ways(
    body: bytes, strict: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, usual = both_ways(lambda: parse_event(body, strict=strict), monkeypatch)
    assert fast == usual
    dispatcher = Dispatcher(KEY, SECRET, strict=strict)
    dispatcher.on_ice(lambda event: sv.Svaml(action=sv.SvamlActionHangup()))
    fast, usual = both_ways(
        lambda: dispatcher.handle("POST", "/cb", _signed(body), body), monkeypatch
    )
    assert fast == usual


@pytest.mark.parametrize("entry", corpus.entries("callback"))
def test_the_platform_callbacks_read_the_same_both_ways(
    entry: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = corpus.payload(entry)
    for strict in (False, True):
        fast, usual = both_ways(lambda s=strict: parse_event(body, strict=s), monkeypatch)
        assert fast == usual


@pytest.mark.parametrize("entry", corpus.entries("svaml", "model", "response"))
def test_the_platform_payloads_read_the_same_both_ways(
    entry: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = getattr(sv, entry["model"]) if "model" in entry else sv.Svaml
    body = corpus.payload(entry)
    for strict in (False, True):
        fast, usual = both_ways(lambda s=strict: sv.loads(body, cls, strict=s), monkeypatch)
        assert fast == usual


def test_the_package_reads_the_same_without_msgspec() -> None:
    bodies = [json.dumps(API_EXAMPLE).encode(), *REPEATS]
    script = (
        "import sys, json; sys.modules['msgspec'] = None\n"
        "import sinch_voice as sv\n"
        "from sinch_voice import _fast\n"
        "from sinch_voice.webhooks import parse_event\n"
        "assert _fast.reader(sv.IceRequest) is None\n"
        "out = []\n"
        f"for body in {bodies!r}:\n"
        "    try:\n"
        "        out.append(sv.dumps(parse_event(body)).decode())\n"
        "    except Exception as error:\n"
        "        out.append(type(error).__name__ + ': ' + str(error))\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, cwd=Path(__file__).parent
    )
    expected = []
    for body in bodies:
        try:
            expected.append(sv.dumps(parse_event(body)).decode())
        except Exception as error:
            expected.append(f"{type(error).__name__}: {error}")
    assert json.loads(result.stdout) == expected


EDGES = [
    *(f'{{"version":{n}}}' for n in (2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1)),
    '{"version":1.0}',
    '{"version":true}',
    '{"version":null}',
    '{"userRate":{"amount":1e400}}',
    '{"userRate":{"amount":3}}',
    '{"userRate":{"amount":-0}}',
    '{"userRate":{"amount":true}}',
    '{"userRate":{"amount":99999999999999999999999}}',
    '{"timestamp":"2024-02-30T00:00:00Z"}',
    '{"timestamp":"2024-05-01T12:00:00.1234567Z"}',
    '{"domain":"PSTN"}',
    '{"domain":"satellite"}',
    '{"cli":"\\ud800"}',
    '{"cli":"\\ud83d\\ude00"}',
    '{"callHeaders":[{"key":"a"}]}',
    '{"callHeaders":null}',
    '{"to":{"type":"did","endpoint":"1","extra":1}}',
    '{"callid":"a","callId":"b"}',
    '{"callId":"b"}',
    "[]",
    '"ice"',
    "",
    '{"callid":"a"} x',
]


@pytest.mark.parametrize("body", EDGES)
@pytest.mark.parametrize("strict", [False, True])
def test_edge_values_read_the_same_both_ways(
    body: str, strict: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for data in (body, body.encode()):
        fast, usual = both_ways(
            lambda d=data: sv.loads(d, sv.IceRequest, strict=strict), monkeypatch
        )
        assert fast == usual
    event = body.replace("{", '{"event":"ice",', 1).encode() if body.startswith("{") else None
    if event is not None:
        fast, usual = both_ways(lambda: parse_event(event, strict=strict), monkeypatch)
        assert fast == usual
