"""Writing a model with every value checked against its declared type.

The generated writers trust the types (they are fast because they do); this walker does
not. It names the first value that does not fit, by its JSON path and the type expected
(``$.ttsCallout.destination: expected a Destination, got dict``), takes the plain string
of a documented enum value (``Destination(type="number")``), and refuses a closed enum's
undocumented string with the values it allows. The client writes every request body with
it; ``dumps`` falls back to it when the fast writer fails.

It walks the field table (``FIELDS``, generated in ``_hooks``; see ``_fields`` for what a
row holds): the same rows the generated writers are rendered from.

It warns (``NumberFormatWarning``) at a phone number that is not E.164 where the vendor
documents one: a ``number`` destination's ``endpoint`` (``format: e164``, and "must be in
E.164 format" for CLIs) and ``connectPstn``'s ``number``. A warning, not a refusal: the
vendor's own custom callout example connects to ``"46000000001"``, so the platform may
accept it; the SVAML builder and the local platform say the same (``e164_problem``).
"""

from __future__ import annotations

import enum
import re
import sys
import warnings
from collections.abc import Mapping
from datetime import datetime
from types import FrameType
from typing import Any

from ._fields import Field
from ._json import json_float
from ._unset import UNSET
from ._values import format_datetime
from .errors import EncodeError, _describe, shown

Fields = Mapping[type, tuple[Field, ...]]

_E164 = re.compile(r"\+[0-9]{1,15}")


class NumberFormatWarning(UserWarning):
    """A phone number not in E.164 form (``+`` and the country code, up to 15 digits),
    where the vendor documents one; sent as given."""


def e164_problem(number: str, where: str) -> str | None:
    """What is wrong with ``number`` as E.164 (``where`` names the field), or None."""
    if _E164.fullmatch(number):
        return None
    digits = "".join(c for c in number if c.isdigit())
    guess = f" ('+{digits}'?)" if digits and not number.startswith("+") else ""
    return (
        f"{where}: {shown(number)} is not E.164: the vendor documents numbers with a "
        f"leading '+' and the country code{guess}"
    )


def check_e164(number: Any, where: str) -> None:
    """Warn (``NumberFormatWarning``) when ``number`` is a string not in E.164 form; the
    warning points at the first caller outside this package (the point of the mistake)."""
    if isinstance(number, str):
        problem = e164_problem(number, where)
        if problem is not None:
            warnings.warn(problem, NumberFormatWarning, stacklevel=_caller_level())


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside this package, for ``check_e164``."""
    package = __name__.rpartition(".")[0] + "."
    frame: FrameType | None = sys._getframe(2)  # check_e164's caller: level 2
    level = 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith(package):
        frame = frame.f_back
        level += 1
    return level


def _check_numbers(out: Mapping[str, Any], path: str) -> None:
    """The numbers of a written model, by their wire shape: a ``number`` destination,
    a ``connectPstn`` action."""
    if out.get("type") == "number" and "endpoint" in out:
        check_e164(out["endpoint"], f"{path}.endpoint")
    elif out.get("name") == "connectPstn" and "number" in out:
        check_e164(out["number"], f"{path}.number")


_SCALARS = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}


def checked_unstructure(obj: Any, fields: Fields, writers: Mapping[type, Any]) -> Any:
    """JSON-ready values for the model ``obj``, every value checked on the way."""
    return _model(obj, None, fields, writers, "$")


def _model(obj: Any, expected: type | None, fields: Fields, writers: Any, path: str) -> Any:
    cls = type(obj)
    if expected is not None and cls is not expected:
        raise EncodeError(f"{path}: expected a {expected.__name__}, got {_describe(obj)}")
    table = fields.get(cls)
    if table is None:
        if cls in writers:  # a union's unknown member: its data, as received
            return writers[cls](obj)
        raise EncodeError(f"{path}: expected a sinch_voice model, got {_describe(obj)}")
    out: dict[str, Any] = {}
    for field in table:
        value = getattr(obj, field.attribute)
        where = f"{path}.{field.wire}"
        if value is UNSET:
            if field.required:
                raise EncodeError(f"{where}: missing required property")
            continue
        if field.tag is not None:
            if value != field.tag:
                raise EncodeError(f"{where}: expected {field.tag!r}, got {_describe(value)}")
            out[field.wire] = value
            continue
        out[field.wire] = _value(value, field.type, fields, writers, where)
    extra = obj.additional_properties
    if not isinstance(extra, Mapping) or not all(type(k) is str for k in extra):
        raise EncodeError(f"{path}: additional_properties must map names to JSON values")
    for key, value in extra.items():
        out.setdefault(key, value)
    _check_numbers(out, path)
    return out


def _value(value: Any, kind: Any, fields: Fields, writers: Any, path: str) -> Any:
    if kind is object:
        return value
    if kind in _SCALARS:
        return _scalar(value, kind, path)
    if kind is datetime:
        if not isinstance(value, datetime):
            raise EncodeError(f"{path}: expected a datetime, got {_describe(value)}")
        return format_datetime(value)
    if kind is dict:
        if not isinstance(value, dict):
            raise EncodeError(f"{path}: expected an object (dict), got {_describe(value)}")
        return value
    if isinstance(kind, tuple):
        return _compound(value, kind, fields, writers, path)
    if issubclass(kind, enum.Enum):
        return _enum(value, kind, path)
    return _model(value, kind, fields, writers, path)


def _scalar(value: Any, kind: type, path: str) -> Any:
    if kind is float and type(value) is not bool and isinstance(value, (int, float)):
        return json_float(float(value))
    if type(value) is kind or (kind is str and isinstance(value, str)):
        return value
    raise EncodeError(f"{path}: expected {_SCALARS[kind]}, got {_describe(value)}")


def _enum(value: Any, kind: type[enum.Enum], path: str) -> Any:
    if isinstance(value, kind):
        return value.value
    if isinstance(value, str):  # a plain string, or another enum's member
        text = str(value.value) if isinstance(value, enum.Enum) else value
        try:
            return kind(text).value
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in kind)
            raise EncodeError(
                f"{path}: {shown(text)} is not a {kind.__name__} (one of {allowed})"
            ) from None
    raise EncodeError(f"{path}: expected a {kind.__name__} or its string, got {_describe(value)}")


def _compound(value: Any, kind: tuple[Any, ...], fields: Fields, writers: Any, path: str) -> Any:
    if kind[0] == "list":
        if not isinstance(value, (list, tuple)):
            raise EncodeError(f"{path}: expected a list, got {_describe(value)}")
        item = kind[1]
        return [_value(v, item, fields, writers, f"{path}[{i}]") for i, v in enumerate(value)]
    members: tuple[type, ...] = kind[1]
    if type(value) in members:
        return _model(value, None, fields, writers, path)
    example = members[0].__name__
    raise EncodeError(
        f"{path}: expected a {kind[2]} (a model such as {example}), got {_describe(value)}"
    )
