"""Timestamps as the platform writes them all read as the same UTC moment."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sinch_voice._values import format_datetime, parse_datetime
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


@pytest.mark.parametrize(
    ("text", "micro"),
    [
        ("2024-05-01T12:00:00.9Z", 900000),
        ("2024-05-01T12:00:00.93Z", 930000),
        ("2024-05-01T12:00:00.930Z", 930000),
        ("2024-05-01T12:00:00.9372Z", 937200),
        ("2024-05-01T12:00:00.93721Z", 937210),
        ("2024-05-01T12:00:00.937219Z", 937219),
        ("2024-05-01T12:00:00.9372196Z", 937219),  # Node's signing test: seven digits
        ("2024-05-01T12:00:00.937219699", 937219),
        ("2024-05-01T14:00:00.93+02:00", 930000),
    ],
)
def test_any_number_of_fractional_digits_reads_on_every_python(text: str, micro: int) -> None:
    assert parse_datetime(text) == NOON.replace(microsecond=micro)


@pytest.mark.parametrize(
    "bad",
    [
        "2024-05-01",  # a date alone is no callback time
        "2024-05-01T12:00:00.1234567890Z",  # ten digits
        "2024-05-01 12:00:00Z",  # read by fromisoformat on 3.11+, not on 3.10: refused on all
        "20240501T120000Z",
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC
        "9999-12-31T23:59:59-01:00",  # after year 9999 in UTC
        "2024-02-30T12:00:00Z",
    ],
)
def test_forms_the_platform_does_not_send_are_refused_alike_everywhere(bad: str) -> None:
    with pytest.raises(StructureError, match="ISO 8601 timestamp"):
        parse_datetime(bad)


def test_timestamps_are_written_in_utc_with_z() -> None:
    assert format_datetime(NOON) == "2024-05-01T12:00:00Z"
    assert format_datetime(NOON.replace(microsecond=930000)) == "2024-05-01T12:00:00.930000Z"
    local = datetime(2024, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert format_datetime(local) == "2024-05-01T12:00:00Z"
    assert format_datetime(datetime(2024, 5, 1, 12, 0)) == "2024-05-01T12:00:00Z"  # naive: UTC
