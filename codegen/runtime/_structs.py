"""The msgspec mirror of the field table: each model's wire form as a msgspec struct,
built from ``FIELDS`` the first time a model is read through it.

A struct takes only what the usual reader would read to the same value: declared
properties (``forbid_unknown_fields``), values of the declared JSON type, integers
within 64 bits (orjson makes larger ones floats). Everything else makes msgspec raise,
and the caller reads the document the usual way. A union member's struct is tagged by
its tag row, so msgspec picks the member; each callback gets a twin tagged by its event,
so the dispatcher decodes any callback in one call.

Each struct field is named after the row's attribute; an alias is a field of its own,
``<attribute>_<n>`` (the generated copy functions of ``_wire`` read it when the first
is absent). Imported only when msgspec is installed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any, Union

import msgspec

from ._fast import Reader
from ._fields import Field
from ._unset import UNSET

Int = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
"""An integer within 64 bits: orjson reads larger ones as floats, which no integer
property takes, so msgspec must not take them either."""
ABSENT: Any = UNSET  # the default of every optional field: absent stays UNSET
Copy = Callable[[Any, bool], Any]  # a decoded struct -> its model

_SCALARS: dict[Any, Any] = {
    str: str,
    int: Int,
    float: float,
    bool: bool,
    datetime: str,  # read by parse_datetime, as the usual reader does
    object: msgspec.Raw,  # read by the JSON parser itself: the same values either way
    dict: msgspec.Raw,  # an object of any keys: its values read by the JSON parser
}


class _Struct(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, gc=False):
    """What every wire struct is: no undeclared property, and written back (for the
    repeated-key check) with exactly the properties it read. Fields are taken by keyword,
    so that required ones may follow optional ones. A decoded tree holds no cycles, so
    the garbage collector need not track its structs (``gc=False``)."""


class Mirror:
    """The structs of one package's field table, built on demand.

    ``copiers`` gives each model's copy function (generated in ``_wire``); ``copy_by_struct``
    is filled as structs are built, for the copy functions of unions to dispatch on.
    """

    def __init__(
        self,
        fields: Mapping[type, tuple[Field, ...]],
        copiers: Mapping[type, Copy],
        events: Sequence[tuple[type, str, str]],
        copy_by_struct: dict[type, Copy],
    ) -> None:
        self.fields = fields
        self.copiers = copiers
        self.events = events  # (callback model, tag property, event name)
        self.copy_by_struct = copy_by_struct
        self._structs: dict[type, Any] = {}

    def struct(self, cls: type) -> Any:
        """The struct of ``cls`` (tagged when it is a union member)."""
        found = self._structs.get(cls)
        if found is None:
            tag = next((f for f in self.fields[cls] if f.tag is not None), None)
            found = self._define(cls, tag.wire if tag else None, tag.tag if tag else None)
            self._structs[cls] = found
            self.copy_by_struct[found] = self.copiers[cls]
        return found

    def _define(self, cls: type, tag_field: str | None, tag: str | None, suffix: str = "") -> Any:
        fields: list[tuple[str, Any, Any]] = []
        fixed: dict[str, Any] = {}  # the tag, read by msgspec: a class attribute instead
        for row in self.fields[cls]:
            if row.wire == tag_field:
                fixed[row.attribute] = tag
                continue
            wire_type = self._type(row.type)
            fields.append(_field(row.attribute, row.wire, wire_type, row.required))
            for index, alias in enumerate(row.aliases, 1):
                fields.append(_field(f"{row.attribute}_{index}", alias, wire_type, False))
        options: dict[str, Any] = {"tag_field": tag_field, "tag": tag} if tag_field else {}
        return msgspec.defstruct(
            f"{cls.__name__}{suffix}Wire",
            fields,
            bases=(_Struct,),
            module=__name__,
            namespace=fixed,
            kw_only=True,
            **options,
        )

    def _type(self, kind: Any) -> Any:
        """What msgspec decodes a value of a row's type into."""
        if isinstance(kind, tuple):
            if kind[0] == "list":
                return list[self._type(kind[1])]  # type: ignore[misc]
            known = tuple(self.struct(m) for m in kind[1] if m in self.fields)  # no unknown
            return Union[known]  # noqa: UP007
        scalar = _SCALARS.get(kind)
        if scalar is not None:
            return scalar
        if issubclass(kind, enum.Enum):
            return str  # read by the enum's reader, as the usual path does
        return self.struct(kind)

    def reader(self, cls: Any) -> Reader | None:
        """A function reading JSON into ``cls`` through its struct, or None for a class
        that is no model or is a union member (read within its union)."""
        rows = self.fields.get(cls)
        if rows is None or any(row.tag is not None for row in rows):
            return None
        decode = msgspec.json.Decoder(self.struct(cls)).decode
        copy = self.copiers[cls]

        def read_json(data: bytes | bytearray | memoryview | str, strict: bool) -> Any:
            return copy(decode(data), strict)

        return read_json

    def event_reader(self) -> Callable[[bytes, bool], tuple[str, Any] | None]:
        """A function giving ``(event, typed event)`` of a callback body, or None to read
        it the usual way; it decodes any callback of ``events`` in one call.

        Repeated keys are refused as the usual path refuses them: without a backslash in
        the body every string is written back byte for byte, so the struct written back
        has as many colons as the body exactly when no key was dropped as a repeat.
        """
        if not self.events:
            return lambda body, strict: None  # the spec has no callbacks
        twins = {
            self._define(model, field, event, "Event"): (event, self.copiers[model])
            for model, field, event in self.events
        }
        decode = msgspec.json.Decoder(Union[tuple(twins)]).decode  # noqa: UP007
        encode = msgspec.json.Encoder().encode

        def read_event(body: bytes, strict: bool) -> tuple[str, Any] | None:
            if body.find(b"\\") != -1:
                return None
            wire = decode(body)
            if encode(wire).count(b":") != body.count(b":"):
                return None
            event, copy = twins[type(wire)]
            return event, copy(wire, strict)

        return read_event


def _field(name: str, wire: str, wire_type: Any, required: bool) -> tuple[str, Any, Any]:
    default = msgspec.NODEFAULT if required else ABSENT
    return (name, wire_type, msgspec.field(default=default, name=wire))
