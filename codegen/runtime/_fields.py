"""The field table: each model's fields described once, as rows of ``Field``.

``_hooks`` generates ``FIELDS`` (model class -> its rows, the union tag first, then the
spec's order). The generated readers and writers are rendered from the same rows; at run
time the checked writer (``_check``) walks them and the msgspec mirror (``_structs``)
builds its structs from them, so the four agree by construction.

A row's ``type`` is what a value of the field is: ``str``, ``int``, ``float``, ``bool``,
``datetime``, ``object`` (any JSON), ``dict`` (a free-form object), an enum class (its
members are the allowed values; an ``OpenEnum`` takes others too), a model class, or a
tuple: ``("list", type)`` or ``("union", (member classes...), union name)``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ._unset import UNSET


class Field(NamedTuple):
    """One property of a model: where it lives in Python and on the wire, and its type."""

    attribute: str
    wire: str
    type: Any
    required: bool = False
    default: Any = UNSET  # the spec's default: applied by the platform, never sent for you
    tag: str | None = None  # the fixed value of a union member's discriminator
    aliases: tuple[str, ...] = ()  # other wire names read (the first one present wins)

    @property
    def wire_names(self) -> tuple[str, ...]:
        """Every wire name the field is read from, its own first."""
        return (self.wire, *self.aliases)


def wire_names(rows: tuple[Field, ...]) -> frozenset[str]:
    """Every wire name a model reads, aliases included: what strict reading accepts."""
    return frozenset(name for row in rows for name in row.wire_names)
