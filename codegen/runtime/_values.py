"""Conversions the generated converters share: enum values, timestamps, lists, errors.

The generated functions check the common case inline (``type(v) is str``) and call
these for everything else, so the fast path stays short and the slow one is shared.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any, TypeVar

from ._unset import UNSET
from .errors import EncodeError, StructureError, _describe, shown

T = TypeVar("T")

E = TypeVar("E", bound="SinchEnum")


class SinchEnum(str, enum.Enum):
    """A string enum whose values are the wire strings.

    A value the SDK does not know (a newer platform, an open enum) is kept as a
    pseudo-member: an instance of the enum whose ``value`` is the wire string and whose
    ``is_known`` is false, so it is written back exactly as it came.
    """

    @property
    def is_known(self) -> bool:
        return self._value_ in type(self)._value2member_map_

    @classmethod
    def _missing_(cls, value: object) -> Any:
        """A documented value in another casing is that member: ``OriginationType("pstn")``."""
        return _folded(cls).get(value.casefold()) if isinstance(value, str) else None

    @classmethod
    def _pseudo_member(cls: type[E], value: str) -> E:
        """A new pseudo-member each time: equal and hashed alike for one value, and no
        cache that callbacks (untrusted input) could fill."""
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    def __str__(self) -> str:
        return str(self._value_)


class OpenEnum(SinchEnum):
    """An enum whose documented values are not the only ones: ``Indication("xx")`` works."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = _folded(cls).get(value.casefold())
        return member if member is not None else cls._pseudo_member(value)


_FOLDED: dict[type, dict[str, Any]] = {}


def _folded(cls: type[SinchEnum]) -> dict[str, Any]:
    """The members of ``cls`` by case-folded value; the first spelling wins a tie."""
    found = _FOLDED.get(cls)
    if found is None:
        found = {}
        for member in cls.__members__.values():
            found.setdefault(member._value_.casefold(), member)
        _FOLDED[cls] = found
    return found


def enum_reader(cls: type[E]) -> Callable[[Any, bool], E]:
    """A fast reader for one enum: the known members first, in one lookup."""
    known = cls._value2member_map_

    def read(value: Any, strict: bool) -> E:
        if type(value) is str:
            member = known.get(value)
            if member is not None:
                return member  # type: ignore[return-value]
        return enum_member(cls, value, strict)

    return read


def enum_member(cls: type[E], value: Any, strict: bool) -> E:
    """The member of ``cls`` for a wire value: unknown strings are kept unless ``strict``
    and the enum is closed."""
    found = cls._value2member_map_.get(value) if type(value) is str else None
    if found is not None:
        return found  # type: ignore[return-value]  # the map holds members of cls
    if type(value) is not str:
        raise StructureError.expected("a string", value)
    found = _folded(cls).get(value.casefold())
    if found is not None:
        return found  # type: ignore[no-any-return]  # the platform's casing may differ
    if strict and not issubclass(cls, OpenEnum):
        known = ", ".join(repr(v) for v in cls._value2member_map_)
        raise StructureError(f"{shown(value)} is not one of {known}")
    return cls._pseudo_member(value)


_KNOWN: dict[type, Mapping[str, Any]] = {}


def enum_argument(cls: type[E], value: object) -> E:
    """The member an enum-typed attribute holds for what a caller passed (the generated
    converters call it when ``value`` is not already a member): a documented value's
    string in any casing, or any string for an open enum. Anything else is refused here,
    where the model is built, rather than later when it is written."""
    if type(value) is str:  # the documented spelling: one lookup (an enum's own is slow)
        known = _KNOWN.get(cls)
        if known is None:
            known = _KNOWN[cls] = cls._value2member_map_
        found = known.get(value)
        if found is not None:
            return found  # type: ignore[return-value]  # the map holds members of cls
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        text = str(value._value_) if isinstance(value, enum.Enum) else value
        found = cls._value2member_map_.get(text)
        if found is None:
            found = _folded(cls).get(text.casefold())
        if found is not None:
            return found  # type: ignore[return-value]  # the maps hold members of cls
        if issubclass(cls, OpenEnum):
            return cls._pseudo_member(text)
        allowed = ", ".join(repr(v) for v in cls._value2member_map_)
        raise EncodeError(f"{shown(text)} is not a {cls.__name__} (one of {allowed})")
    raise EncodeError(f"expected a {cls.__name__} or its string, got {_describe(value)}")


def svaml_json(value: object) -> str:
    """SVAML as the JSON text a string property carries (a custom callout's ``ice``): an
    ``Svaml`` written by ``dumps``, or what a builder builds. Anything else is refused
    where the model is built, not when the request is sent."""
    from .models import Svaml  # imported here: models imports this module
    from .serde import dumps

    if isinstance(value, str):
        return value
    build = None if isinstance(value, Svaml) else getattr(value, "build", None)
    built = build() if callable(build) else value
    if not isinstance(built, Svaml):
        raise EncodeError(
            f"expected SVAML: a JSON string, an Svaml or a builder, got {_describe(value)}"
        )
    return dumps(built).decode()


_fromisoformat = datetime.fromisoformat
_UTC = timezone.utc
# The platform's timestamps: ISO 8601 date and time, 0 to 9 fractional digits, then ``Z``,
# an offset or nothing (UTC). Checked here, not left to ``fromisoformat``, whose accepted
# forms differ between Python versions (3.10 reads 3 or 6 digits and no ``Z``).
_USUAL_SIZES = frozenset({19, 20, 24, 27})
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})?"
)


def parse_datetime(value: Any) -> datetime:
    """A platform timestamp as an aware UTC datetime; one without an offset is UTC.

    Digits past the sixth (``.9372196Z``) are dropped: Python keeps microseconds.
    """
    if type(value) is not str:
        raise StructureError.expected("a timestamp string", value)
    size = len(value)
    if (
        size in _USUAL_SIZES
        and value[10] == "T"
        and value[4] == value[7] == "-"
        and value[13] == value[16] == ":"
        and value.isascii()
    ):  # the platform's usual forms, without the regex: ...SS, ...SSZ, ...SS.fffZ, ...SS.ffffffZ
        if size == 19:
            text = value + "+00:00"
        elif value[-1] in "Zz" and (size == 20 or value[19] == "."):
            text = value[:-1] + "+00:00"
        else:
            text = ""
        if text:
            try:
                return _fromisoformat(text)  # the same on every Python: 0, 3 or 6 digits
            except ValueError:
                pass  # the full check below names the problem
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        raise StructureError.expected("an ISO 8601 timestamp", value)
    text, fraction, zone = match.groups()
    if fraction:
        text += "." + fraction[:6].ljust(6, "0")
    text += "+00:00" if zone is None or zone in "Zz" else zone
    try:
        parsed = _fromisoformat(text)
        return parsed if parsed.tzinfo is _UTC else parsed.astimezone(_UTC)
    except (ValueError, OverflowError):  # February 30th; a year 1 or 9999 pushed past its end
        raise StructureError.expected("an ISO 8601 timestamp", value) from None


def format_datetime(value: datetime) -> str:
    """The platform's format: UTC with ``Z`` (``2023-04-21T14:45:51Z``), microseconds if any.

    A naive datetime is taken as UTC.
    """
    if value.tzinfo is not None:
        value = value.astimezone(_UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


# --- helpers for the generated structure functions ------------------------------------


def recover(error: StructureError, value: Any, strict: bool, key: str) -> Any:
    """An optional property that failed to convert: ``null`` reads as absent unless strict."""
    if value is None and not strict:
        return UNSET
    raise error.at(key)


def expected(what: str, value: Any, strict: bool, key: str) -> Any:
    """An optional property of the wrong JSON type (``null`` reads as absent unless strict)."""
    return recover(StructureError.expected(what, value), value, strict, key)


def as_float(value: Any, strict: bool, key: str) -> Any:
    """A JSON number as a float: integers are widened, booleans refused."""
    if type(value) is int or isinstance(value, float):  # float subclasses: json_float's marker
        return float(value)
    return expected("a number", value, strict, key)


def missing(key: str) -> StructureError:
    return StructureError("missing required property").at(key)


NO_EXTRA: Mapping[str, Any] = MappingProxyType({})
"""What a model read without undeclared properties holds: one shared, read-only mapping."""


def extra_properties(data: dict[str, Any], known: frozenset[str]) -> Mapping[str, Any]:
    """The properties of ``data`` that its model does not declare (the readers call it
    only when ``known`` is not a superset of ``data``'s keys)."""
    return {key: value for key, value in data.items() if key not in known}


def write_extra(out: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Undeclared properties written back after the declared ones, which win a clash."""
    for key, value in extra.items():
        out.setdefault(key, value)


def check_keys(data: dict[str, Any], known: Collection[str]) -> None:
    """Strict mode: refuse properties the model does not declare."""
    unknown = data.keys() - known
    if unknown:
        raise StructureError("unknown property").at(sorted(unknown)[0])


def structure_list(value: Any, item: Callable[[Any, bool], T], strict: bool) -> list[T]:
    """A JSON array, each element converted by ``item``; errors name the index."""
    if type(value) is not list:
        raise StructureError.expected("an array", value)
    out = []
    for index, element in enumerate(value):
        try:
            out.append(item(element, strict))
        except StructureError as error:
            raise error.at(index) from None
    return out


def item_str(value: Any, strict: bool) -> str:
    if type(value) is not str:
        raise StructureError.expected("a string", value)
    return value


def item_int(value: Any, strict: bool) -> int:
    if type(value) is not int:
        raise StructureError.expected("an integer", value)
    return value


def item_float(value: Any, strict: bool) -> float:
    if type(value) is float:
        return value
    if type(value) is int or isinstance(value, float):
        return float(value)
    raise StructureError.expected("a number", value)


def item_bool(value: Any, strict: bool) -> bool:
    if type(value) is not bool:
        raise StructureError.expected("a boolean", value)
    return value


def item_any(value: Any, strict: bool) -> Any:
    return value


def item_object(value: Any, strict: bool) -> dict[str, Any]:
    if type(value) is not dict:
        raise StructureError.expected("an object", value)
    return value


def item_datetime(value: Any, strict: bool) -> datetime:
    return parse_datetime(value)


def as_float_required(value: Any, key: str) -> float:
    if type(value) is int or isinstance(value, float):
        return float(value)
    raise StructureError.expected("a number", value).at(key)
