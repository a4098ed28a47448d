"""Timestamps as the platform writes them all read as the same UTC moment."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sinch_voice._values import parse_datetime
from sinch_voice.errors import StructureError

NOON = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-01T12:00:00Z",
        "2024-05-01T12:00:00z",
        "2024-05-01T12:00:00+00:00",
        "2024-05-01T12:00:00",
        "2024-05-01T14:00:00+02:00",
    ],
)
def test_timestamps_read_as_utc(text: str) -> None:
    value = parse_datetime(text)
    assert value == NOON
    assert value.utcoffset() is not None
    assert value.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", ["noon", "2024-13-01T12:00:00Z", 1714564800])
def test_other_values_are_refused_by_name(bad: object) -> None:
    with pytest.raises(StructureError, match="timestamp"):
        parse_datetime(bad)
