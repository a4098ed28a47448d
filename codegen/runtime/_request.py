"""What one operation sends, described once: the ``Request`` a generated method builds.

A generated method fills in a ``Request`` (its operation, method, encoded path, query,
headers, body model and response model) and hands it to the client; nothing about an
operation is written at the call site as a bare positional value. The helpers below
encode parameters the way the spec's styles say.
"""

from __future__ import annotations

import enum
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from ._unset import UNSET
from .errors import EncodeError

if TYPE_CHECKING:
    import urllib3

    Timeout = float | tuple[float, float] | urllib3.Timeout
    """Seconds (connect and read), a (connect, read) pair, or a urllib3 ``Timeout``."""

T = TypeVar("T")

__all__ = [
    "NO_CONTENT",
    "Request",
    "header_values",
    "path_segment",
    "query_pairs",
    "request_body",
]

NO_CONTENT: type[None] = type(None)
"""The response model of an operation whose answer carries nothing to read (204)."""


@attrs.define  # not frozen: frozen attrs classes take twice as long to make, once per call
class Request(Generic[T]):
    """One operation's request, as its generated method describes it.

    ``path`` is already encoded: it is what goes on the wire and what is signed.
    ``server`` is the operation's own host when the spec gives one (configuration
    operations); otherwise the client's host is used. ``response`` is the model the
    answer is read into, ``NO_CONTENT`` when it carries nothing.
    """

    operation: str
    method: str
    path: str
    response: type[T]
    server: str | None = None
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: object | None = None
    timeout: Timeout | None = None


def path_segment(value: object, name: str) -> str:
    """A path parameter's value, percent-encoded: what goes on the wire and is signed.

    An empty value would address another resource (``/calls/id/``), so it is refused.
    """
    text = str(value)
    if text.isascii() and text.isalnum():  # most ids: nothing to encode
        return text
    if not text:
        raise ValueError(f"path parameter {name} must not be empty")
    return urllib.parse.quote(text, safe="")


def parameter_text(value: object) -> str:
    """A scalar parameter as text: ``true``/``false``, an enum's wire value, a number."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def query_pairs(parameters: Sequence[tuple[str, object, bool]]) -> tuple[tuple[str, str], ...]:
    """The query of a request (style ``form``): (name, value, explode) for each parameter.

    Unset parameters are left out; a list is the name repeated when ``explode``, else one
    comma-joined value.
    """
    pairs: list[tuple[str, str]] = []
    for name, value, explode in parameters:
        if value is UNSET:
            continue
        if isinstance(value, (list, tuple)):
            texts = [parameter_text(v) for v in value]
            pairs += [(name, t) for t in texts] if explode else [(name, ",".join(texts))]
        else:
            pairs.append((name, parameter_text(value)))
    return tuple(pairs)


def header_values(parameters: Sequence[tuple[str, object]]) -> tuple[tuple[str, str], ...]:
    """Header parameters (style ``simple``): a list is comma-joined; unset ones left out."""
    values: list[tuple[str, str]] = []
    for name, value in parameters:
        if value is UNSET:
            continue
        if isinstance(value, (list, tuple)):
            values.append((name, ",".join(parameter_text(v) for v in value)))
        else:
            values.append((name, parameter_text(value)))
    return tuple(values)


def request_body(cls: type[T], body: T | None, fields: Mapping[str, Any]) -> T:
    """The body model: the one given, or one built from the keyword arguments set."""
    given = {name: value for name, value in fields.items() if value is not UNSET}
    if body is not None:
        if given:
            raise TypeError(
                f"pass either a {cls.__name__} or keyword arguments, not both "
                f"(got {', '.join(sorted(given))})"
            )
        if not isinstance(body, cls):
            raise TypeError(f"expected a {cls.__name__}, got {type(body).__name__}")
        return body
    try:
        return cls(**given)
    except TypeError as error:
        raise TypeError(f"{cls.__name__}: {error}") from None


def refuse_other_actions(body: object, allowed: tuple[str, ...]) -> None:
    """A live call's update carries only the actions the platform carries out there (the
    ``call_update`` builder's); any other is refused before it is sent, by name."""
    name = getattr(getattr(body, "action", None), "name", None)
    tag = getattr(name, "value", name)
    if isinstance(tag, str) and tag not in allowed:
        raise EncodeError(
            f"$.action: a call update cannot carry the {tag!r} action "
            f"(allowed: {', '.join(allowed)})"
        )
