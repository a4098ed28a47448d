"""Read and write models: ``loads``, ``dumps``, and the cattrs converters.

``loads`` and ``dumps`` call the generated functions directly; ``converter`` is a
cattrs ``Converter`` with the same functions registered as hooks, built the first
time it is used so that importing the package does not pay for cattrs.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, TypeVar

from . import _fast, _json
from ._hooks import FIELDS, STRUCTURE, UNSTRUCTURE
from .errors import DecodeError

if TYPE_CHECKING:
    import cattrs

T = TypeVar("T")

__all__ = [
    "checked_dumps",
    "checked_unstructure",
    "dumps",
    "loads",
    "make_converter",
    "structure",
    "unstructure",
]


def _structure_function(cls: Any) -> Any:
    try:
        return STRUCTURE[cls]
    except (KeyError, TypeError):
        raise TypeError(f"{cls!r} is not a sinch_voice model") from None


def structure(value: Any, cls: type[T], *, strict: bool = False) -> T:
    """A model from JSON-ready Python values (``dict``/``list``/``str``/...).

    Raises ``StructureError`` naming the JSON path and the problem.
    """
    function = _structure_function(cls)
    result: T = function(value, strict)
    return result


def loads(data: bytes | bytearray | memoryview | str, cls: type[T], *, strict: bool = False) -> T:
    """A model from JSON text. ``DecodeError`` for bad JSON, ``StructureError`` for a bad shape.

    Lenient by default: unknown properties are kept and unknown enum values too.
    ``strict=True`` refuses both (for tests, and for checking what you send). With
    msgspec installed, documents it can take are read through it: the same models.
    """
    fast = _fast.reader(cls) if isinstance(data, (bytes, str)) else None
    if fast is not None:
        try:
            found: T = fast(data, strict)
            return found
        except _fast.MISSES:
            pass  # the usual path gives the result or the error
    try:
        read = STRUCTURE[cls]
    except (KeyError, TypeError):
        read = _structure_function(cls)  # raises the clear TypeError
    try:
        document = _json.parse(data)
    except _json.PARSE_ERRORS as error:
        raise DecodeError(_json.describe(error)) from None
    result: T = read(document, strict)
    return result


def unstructure(obj: Any) -> Any:
    """JSON-ready Python values for a model: camelCase keys, unset properties left out."""
    try:
        function = UNSTRUCTURE[type(obj)]
    except KeyError:
        raise TypeError(f"{type(obj).__name__} is not a sinch_voice model") from None
    return function(obj)


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON for a model: exactly the properties that were set.

    A value of the wrong type raises ``EncodeError`` naming its JSON path and the type
    expected; an enum field may hold the plain string of a documented value.
    """
    try:
        document = UNSTRUCTURE[type(obj)](obj)
    except (AttributeError, KeyError, TypeError):  # not a model, or a value the fast
        document = checked_unstructure(obj)  # writers do not take: named by the walker
    return _json.dumps(document)


def checked_dumps(obj: Any) -> bytes:
    """``dumps`` with every value checked against its declared type first (what the client
    sends): a wrong scalar (``text=123``) is refused here, not by the platform."""
    return _json.dumps(checked_unstructure(obj))


def checked_unstructure(obj: Any) -> Any:
    """``unstructure`` with every value checked: ``EncodeError`` names the first misfit."""
    from ._check import checked_unstructure as walk

    return walk(obj, FIELDS, UNSTRUCTURE)


def make_converter(*, strict: bool = False) -> cattrs.Converter:
    """A cattrs converter that reads and writes every model the way ``loads``/``dumps`` do.

    ``converter.structure(data, IceRequest)`` raises the same ``StructureError`` (one
    error naming the JSON path), never a cattrs exception group.
    """
    import cattrs

    converter = cattrs.Converter()
    for cls, reader in STRUCTURE.items():
        hook = functools.partial(_hook, reader, strict)
        if isinstance(cls, type):
            converter.register_structure_hook(cls, hook)
        else:  # a union alias: match it by equality
            converter.register_structure_hook_func(functools.partial(_is, cls), hook)
    for cls, writer in UNSTRUCTURE.items():
        converter.register_unstructure_hook(cls, writer)
    return converter


def _hook(function: Any, strict: bool, value: Any, _cls: Any) -> Any:
    return function(value, strict)


def _is(expected: Any, candidate: Any) -> bool:
    return bool(candidate == expected)
