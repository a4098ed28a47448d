"""JSON text <-> Python values, with orjson when it is installed and the stdlib otherwise.

Both paths accept and refuse the same documents and write the same bytes: compact,
UTF-8, keys in insertion order. Numbers that are not finite (``NaN``, ``Infinity``,
``1e400``) are refused on input. Floats that orjson and Python print differently
(below 1e-4) are marked by the converters and written in Python's notation.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from .errors import DecodeError, EncodeError, shown

_orjson: Any
try:  # an optional speed-up; the output is the same without it
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised by the no-orjson test run
    _orjson = None

HAVE_ORJSON = _orjson is not None


class ReprFloat(float):
    """A float that must be written in Python's notation (``1e-05``, not ``0.00001``)."""

    __slots__ = ()


def json_float(value: float) -> float:
    """``value`` ready for ``dumps``: marked when orjson would print it differently from
    Python, refused when it is not finite (orjson would write ``null``, the stdlib ``NaN``)."""
    magnitude = abs(value)
    if 1e-4 <= magnitude < math.inf or magnitude == 0.0:
        return value
    if magnitude < 1e-4:
        return ReprFloat(value)
    raise EncodeError(f"{value!r} is not a JSON number")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:40]} is too large for a float")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {shown(key)}")
            seen.add(key)
    return result


_STDLIB = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)
_STDLIB_UNIQUE = json.JSONDecoder(
    parse_constant=_refuse_constant, parse_float=_finite_float, object_pairs_hook=_unique_keys
)


def loads(data: bytes | bytearray | memoryview | str, *, unique_keys: bool = False) -> Any:
    """Parse JSON text; a malformed document raises ``DecodeError``.

    ``unique_keys`` refuses objects that repeat a key (the webhook dispatcher does:
    two values for one property are an attack or a bug, never a callback).
    """
    if unique_keys or _orjson is None:
        try:
            return parse_unique(data) if unique_keys else _stdlib_parse(data)
        except PARSE_ERRORS as error:
            raise DecodeError(describe(error)) from None
    try:
        return _orjson.loads(data)
    except _orjson.JSONDecodeError as error:
        raise DecodeError(str(error)) from None
    except RecursionError:  # pragma: no cover - orjson limits depth itself
        raise DecodeError("the document is nested too deeply") from None


def _stdlib_parse(data: bytes | bytearray | memoryview | str) -> Any:
    text = data if isinstance(data, str) else bytes(data).decode("utf-8")
    return _STDLIB.decode(text)


parse: Callable[[bytes | bytearray | memoryview | str], Any] = (
    _orjson.loads if _orjson is not None else _stdlib_parse
)
"""The fastest parser at hand; raises ``PARSE_ERRORS`` (``loads`` wraps them)."""
PARSE_ERRORS = (ValueError, RecursionError)  # JSONDecodeError and UnicodeDecodeError included


def parse_unique(data: bytes | bytearray | memoryview | str) -> Any:
    """``parse``, refusing objects that repeat a key, at nearly the speed of ``parse``.

    Without a backslash in the text no string holds an escape, so orjson writes every
    string back byte for byte: the parsed document then has as many colons as the text
    exactly when no key was dropped as a repeat (a dropped key takes its colon, and its
    value's, with it). Other documents, and the stdlib path, take the strict parser.
    """
    raw = (
        data
        if type(data) is bytes
        else (data.encode("utf-8") if isinstance(data, str) else bytes(data))
    )
    if _orjson is None or raw.find(b"\\") != -1:
        return _strict_unique(raw)
    document = _orjson.loads(raw)
    try:
        written = _orjson.dumps(document)
    except TypeError:  # orjson writes at most 254 levels: what it cannot write back, refuse
        raise ValueError("the document is nested too deeply") from None
    if written.count(b":") != raw.count(b":"):
        return _strict_unique(raw)  # raises on the repeated key
    return document


# a \uD800-\uDFFF escape: the only way a JSON text can hold a surrogate code point
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _strict_unique(raw: bytes) -> Any:
    text = raw.decode("utf-8")
    document = _STDLIB_UNIQUE.decode(text)
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(document):
        # paired escapes make one character; a lone one makes text that no UTF-8 can
        # hold, which would fail later, in a handler or when written back
        raise ValueError("a string holds a lone surrogate (an unpaired \\ud800-\\udfff escape)")
    return document


def _has_lone_surrogate(document: Any) -> bool:
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            if not node.isascii():
                try:
                    node.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif isinstance(node, dict):
            pending.extend(node)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return False


def describe(error: Exception) -> str:
    """A short description of why ``parse`` failed."""
    if isinstance(error, UnicodeDecodeError):
        return f"the body is not UTF-8 (byte {error.start})"
    if isinstance(error, RecursionError):
        return "the document is nested too deeply"
    return str(error)


def _orjson_default(value: Any) -> Any:
    if isinstance(value, ReprFloat):
        return _orjson.Fragment(repr(float(value)).encode())
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _stdlib_default(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_stdlib_default
)
_encode: Callable[[Any], str] = _ENCODER.encode


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON; ``EncodeError`` for what JSON cannot hold (NaN, sets, ...)."""
    if _orjson is not None:
        try:
            encoded: bytes = _orjson.dumps(value, default=_orjson_default)
            return encoded
        except _orjson.JSONEncodeError as error:
            if "Integer exceeds 64-bit range" not in str(error):
                raise EncodeError(str(error)) from None
            # fall through: the stdlib writes big integers exactly
    try:
        return _encode(value).encode("utf-8")
    except (TypeError, ValueError) as error:
        raise EncodeError(str(error)) from None
