"""The JSON layer: the same bytes with or without orjson, and the same refusals."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sinch_voice as sv
from hypothesis import given, settings
from hypothesis import strategies as st
from sinch_voice import _json

from .strategies import Strategies
from .test_properties import API

pytestmark = pytest.mark.skipif(not _json.HAVE_ORJSON, reason="compares orjson with the stdlib")

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False).map(_json.json_float),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def stdlib_dumps(value: Any) -> bytes:
    return _json._encode(value).encode("utf-8")


@settings(max_examples=400)
@given(JSON_VALUES)
def test_orjson_and_the_stdlib_write_the_same_bytes(value: Any) -> None:
    assert _json.dumps(value) == stdlib_dumps(value)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([m.name for m in API.models]), st.data())
def test_models_dump_to_the_same_bytes_either_way(name: str, data: st.DataObject) -> None:
    instance = data.draw(Strategies(API, strict=False).model(name))
    assert sv.dumps(instance) == stdlib_dumps(sv.unstructure(instance))


def test_small_floats_are_written_as_python_writes_them() -> None:
    assert _json.dumps([_json.json_float(1e-05)]) == b"[1e-05]"
    assert json.loads(_json.dumps(_json.json_float(-3.5e-300))) == -3.5e-300


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_are_refused_on_output(bad: float) -> None:
    with pytest.raises(sv.EncodeError, match="is not a JSON number"):
        _json.json_float(bad)


@pytest.mark.parametrize("unique", [False, True])  # orjson, then the stdlib
@pytest.mark.parametrize(
    "document", [b"NaN", b'{"a": Infinity}', b"[1e400]", b"\xff\xfe", b'{"a": 1', b""]
)
def test_documents_both_paths_refuse(document: bytes, unique: bool) -> None:
    with pytest.raises(sv.DecodeError):
        _json.loads(document, unique_keys=unique)


def test_duplicate_keys_are_refused_when_asked() -> None:
    assert _json.loads(b'{"a": 1, "a": 2}') == {"a": 2}
    with pytest.raises(sv.DecodeError, match="duplicate key 'a'"):
        _json.loads(b'{"b": {"a": 1, "a": 2}}', unique_keys=True)


def test_deep_nesting_is_a_decode_error_not_a_crash() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(sv.DecodeError):
        _json.loads(deep, unique_keys=True)


def test_big_integers_fall_back_to_the_stdlib_writer() -> None:
    assert _json.dumps([2**70]) == b"[1180591620717411303424]"


def test_the_package_works_without_orjson_and_writes_the_same_bytes(spec: Any) -> None:
    value = spec["components"]["examples"]["AcePlayMenuResponse"]["value"]
    text = json.dumps(value)
    script = (
        "import sys; sys.modules['orjson'] = None\n"
        "import sinch_voice as sv\n"
        "assert not sv._json.HAVE_ORJSON\n"
        f"model = sv.loads({text!r}, sv.Svaml)\n"
        "sys.stdout.buffer.write(sv.dumps(model))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, cwd=Path(__file__).parent
    )
    assert result.stdout == sv.dumps(sv.loads(text, sv.Svaml))
