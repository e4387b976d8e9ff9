"""Every offset the parser reads lies within the bounded reads' margin (issue 17, item 10).

The Go system parses offsets up to +-23:59, so an item may hold one; a
string at an offset sorts by its local time, so the bounds on strings are
widened by STRING_ORDER_MARGIN, which must cover the widest offset read.
"""

from datetime import UTC, datetime, timedelta

import pytest
from go_system import GoTime
from hypothesis import given
from hypothesis import strategies as st

from access_requests.adapters.timestamps import (
    MAX_UTC_OFFSET,
    STRING_ORDER_MARGIN,
    format_timestamp,
    parse_timestamp,
    parse_timestamp_ns,
)

WIDEST_MINUTES = MAX_UTC_OFFSET // timedelta(minutes=1)


@pytest.mark.parametrize("offset", ["+23:59", "-23:59", "+14:00", "-12:00", "+20:00"])
def test_the_parser_reads_every_offset_go_reads(offset: str) -> None:
    """Go's time.Parse takes hours 00 to 23; so does this library."""
    moment = parse_timestamp(f"2026-01-15T12:00:00{offset}")
    assert moment.tzinfo is UTC


@pytest.mark.parametrize("offset", ["+24:00", "-99:00", "+05:60"])
def test_the_parser_refuses_an_offset_go_refuses(offset: str) -> None:
    """An offset out of range is no timestamp: the item reads as corrupt on every path."""
    with pytest.raises(ValueError, match="no valid instant"):
        parse_timestamp(f"2026-01-15T12:00:00{offset}")


def test_the_margin_covers_the_widest_offset_the_parser_reads() -> None:
    """MAX_UTC_OFFSET is what the parser reads, and the margin is a second wider."""
    assert timedelta(hours=23, minutes=59) == MAX_UTC_OFFSET
    assert MAX_UTC_OFFSET + timedelta(seconds=1) <= STRING_ORDER_MARGIN


@given(
    nanoseconds=st.integers(10**18, 2 * 10**18),
    offset=st.integers(-WIDEST_MINUTES, WIDEST_MINUTES),
)
def test_a_go_string_at_any_offset_sorts_within_the_margin_of_its_instant(
    nanoseconds: int, offset: int
) -> None:
    """What bounds on strings rely on: bound(t - margin) < s <= bound(t + margin)."""
    text = GoTime(nanoseconds, offset).format()
    assert parse_timestamp_ns(text) == nanoseconds
    instant = parse_timestamp(text)
    assert format_timestamp(instant - STRING_ORDER_MARGIN) < text
    assert text <= format_timestamp(instant + STRING_ORDER_MARGIN)


def test_the_old_fourteen_hour_margin_missed_a_plus_twenty_hour_item() -> None:
    """The reproduction: +20:00 sorts 20 hours from its instant, beyond 14 h + 1 s."""
    text = "2026-01-15T20:00:00+20:00"
    instant = parse_timestamp(text)
    assert instant == datetime(2026, 1, 15, tzinfo=UTC)
    assert text > format_timestamp(instant + timedelta(hours=14, seconds=1))
    assert text <= format_timestamp(instant + STRING_ORDER_MARGIN)
