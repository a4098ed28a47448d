"""The platform's dialect beside the spec's, for tests that compare JSON documents.

The SDK writes what the platform sends (``callid``, timestamps with ``Z``) and reads the
spec's spelling too; these helpers let a test compare a written document with a vendor
example or an SDK fixture "as data", and check it against the spec's JSON Schema.
"""

from __future__ import annotations

from typing import Any

import sinch_voice as sv
from sinch_voice._values import SinchEnum, parse_datetime

from codegen.overrides import load_overrides

_OVERRIDES = load_overrides()
# platform wire name -> the spec's (``callid`` -> ``callId``)
SPEC_NAMES = {
    written: place.rsplit(".", 1)[1] for place, written in _OVERRIDES.platform_names.items()
}
# any spelling a property is read under -> one name, so that both sides compare alike
# (connectMxp's ``callHeaders`` and ``callheaders``: the SDKs disagree, both are read)
SAME_NAMES = {
    **{
        alias: place.rsplit(".", 1)[1]
        for place, alias_ in _OVERRIDES.aliases.items()
        for alias in alias_
    },
    **SPEC_NAMES,
}
ENUM_VALUES = {
    member.value.casefold()
    for value in vars(sv.models).values()
    if isinstance(value, type) and issubclass(value, SinchEnum)
    for member in value
}


def to_spec_names(document: Any) -> Any:
    """``document`` with the platform's property names turned into the spec's, at any depth."""
    if isinstance(document, dict):
        return {SPEC_NAMES.get(k, k): to_spec_names(v) for k, v in document.items()}
    if isinstance(document, list):
        return [to_spec_names(v) for v in document]
    return document


def comparable(document: Any, key: str = "") -> Any:
    """A form in which documents that mean the same compare equal: the spec's names,
    timestamps as instants, documented enum values in any casing."""
    if isinstance(document, dict):
        return {SAME_NAMES.get(k, k): comparable(v, k) for k, v in document.items()}
    if isinstance(document, list):
        return [comparable(v) for v in document]
    if isinstance(document, str):
        if key == "timestamp":
            return parse_datetime(document)
        if document.casefold() in ENUM_VALUES:
            return document.casefold()
    return document


def assert_same_data(written: Any, original: Any) -> None:
    assert comparable(written) == comparable(original)
