"""The msgspec fast path, when msgspec is installed: found on first use, never required.

``reader(cls)`` gives a function that reads JSON into ``cls`` through msgspec (the
generated ``_wire`` module), or None; ``read_event(body, strict)`` does the same for
a callback body. Both only ever give what the usual path would give: whatever the fast
path does not take (an undeclared property, a null, an escape in a callback, a value
the converters refuse) raises one of ``MISSES``, and the caller reads the document the
usual way, which then gives the same result or the same error. ``ENABLED = False``
turns the fast path off (the tests compare both ways).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from .errors import StructureError

Reader: TypeAlias = Callable[[bytes | bytearray | memoryview | str, bool], Any]
"""Reads JSON text into a model: ``read(data, strict)``."""

ENABLED = True

MISSES: tuple[type[Exception], ...] = (StructureError, ValueError, TypeError, KeyError)
"""What the fast path raises when it does not take a document (msgspec's errors added)."""

_wire: Any = None  # the generated module, once loaded; False when msgspec is missing
_readers: dict[Any, Reader | None] = {}  # one per model class


def _load() -> Any:
    global _wire, MISSES
    if _wire is None:
        try:
            import msgspec

            from . import _wire as wire
        except ImportError:
            _wire = False
        else:
            MISSES = (msgspec.MsgspecError, *MISSES)
            _wire = wire
    return _wire


def reader(cls: Any) -> Reader | None:
    """The fast reader of ``cls``, or None (no msgspec, or a class it does not cover)."""
    if not ENABLED:
        return None
    try:
        return _readers[cls]
    except KeyError:
        pass
    except TypeError:  # not hashable: not a model either
        return None
    wire = _load()
    found = wire.reader(cls) if wire else None
    _readers[cls] = found
    return found


def read_event(body: bytes | str, strict: bool) -> tuple[str, Any] | None:
    """``(event name, typed event)`` of a callback body read through msgspec, or None
    when the usual path must read it (it then refuses repeated keys itself)."""
    if not ENABLED or type(body) is not bytes:
        return None
    wire = _load()
    if not wire:
        return None
    try:
        found: tuple[str, Any] | None = wire.read_event(body, strict)
    except MISSES:
        return None
    return found
