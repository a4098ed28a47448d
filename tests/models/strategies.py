"""Hypothesis strategies for every sinch_voice model, built from the IR."""

from __future__ import annotations

from datetime import timezone
from functools import cache
from typing import Any

import sinch_voice as sv
from hypothesis import strategies as st

from codegen import ir

JSON_SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)


class Strategies:
    """``for_type(t)``: valid values of an IR type; ``strict``: no unknown closed values."""

    def __init__(self, api: ir.Api, strict: bool) -> None:
        self.api = api
        self.strict = strict
        self.models = {m.name: m for m in api.models}
        self.enums = {e.name: e for e in api.enums}
        self.unions = {u.name: u for u in api.unions}

    def for_type(self, t: ir.TypeRef) -> st.SearchStrategy[Any]:
        if isinstance(t, ir.Primitive):
            return {
                "str": st.text(max_size=12),
                "int": st.integers(-(2**63), 2**63 - 1),
                "float": FLOATS,
                "bool": st.booleans(),
                "datetime": st.datetimes(timezones=st.just(timezone.utc)),
                "any": JSON_SCALARS,
            }[t.kind]
        if isinstance(t, ir.EnumRef):
            return self.enum(t.name)
        if isinstance(t, ir.ModelRef):
            return st.deferred(lambda: self.model(t.name))
        if isinstance(t, ir.UnionRef):
            return self.union(t.name)
        if isinstance(t, ir.ArrayOf):
            low = t.min_items or 0
            return st.lists(self.for_type(t.item), min_size=low, max_size=max(low, 3))
        return st.dictionaries(st.text(max_size=5), JSON_SCALARS, max_size=3)

    def enum(self, name: str) -> st.SearchStrategy[Any]:
        cls = getattr(sv, name)
        known = st.sampled_from(list(cls))
        if self.enums[name].open or not self.strict:
            # a value in another casing is read as the known member (the platform's
            # casing varies), so an unknown value differs from every known one folded
            folded = {value.casefold() for value in cls._value2member_map_}
            unknown = st.text(min_size=1, max_size=8).filter(lambda v: v.casefold() not in folded)
            return known | unknown.map(cls._pseudo_member)
        return known

    @cache  # noqa: B019 - one Strategies object per test module
    def model(self, name: str) -> st.SearchStrategy[Any]:
        cls = getattr(sv, name)
        kwargs = {}
        for field in self.models[name].fields:
            if field.tag is not None:
                continue
            value = self.for_type(field.type)
            kwargs[field.py_name] = value if field.required else (st.just(sv.UNSET) | value)
        return st.builds(cls, **kwargs)

    def union(self, name: str) -> st.SearchStrategy[Any]:
        union = self.unions[name]
        members = [st.deferred(lambda m=m: self.model(m.model)) for m in union.members]
        if not self.strict:
            unknown_cls = getattr(sv, union.unknown)
            tags = st.text(min_size=1, max_size=8).filter(
                lambda t: t not in {m.tag for m in union.members}
            )
            members.append(
                tags.map(
                    lambda t: unknown_cls(
                        **{union.discriminator: t, "data": {union.discriminator: t, "x": 1}}
                    )
                )
            )
        return st.one_of(members)
