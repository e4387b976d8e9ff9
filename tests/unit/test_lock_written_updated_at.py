"""The updated_at an update writes is new: later than its token, never a value the item held.

A store whose clock stands still writes F; a Go host whose clock is behind
moves updated_at back to G < F; the store's next write must not be F again,
or a copy read at F would be accepted (issue 17, item 1).
"""

from datetime import UTC, datetime, timedelta

from access_requests.adapters.lock import written_updated_at
from access_requests.adapters.timestamps import (
    format_go_time,
    format_updated_at,
    parse_timestamp,
    parse_timestamp_ns,
)
from access_requests.domain import epoch_nanoseconds

FROZEN = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)


def test_a_frozen_store_never_writes_the_same_updated_at_after_go_moved_it_back() -> None:
    """F, then Go's G < F, then the frozen store again: not F."""
    first = written_updated_at(format_updated_at(FROZEN - timedelta(hours=1)), FROZEN)
    behind = format_go_time(epoch_nanoseconds(FROZEN - timedelta(seconds=5)) + 17)
    second = written_updated_at(behind, FROZEN)
    # Check both name the frozen microsecond, as the clock says
    assert first.moment == second.moment == FROZEN
    # Check the second string differs from the first, so a copy read at it is stale
    assert second.text != first.text


def test_every_written_updated_at_is_later_than_its_token_to_the_nanosecond() -> None:
    """A Go token of .123456789 is followed by .123457xyz, whatever the clock says."""
    token = "2026-01-15T03:53:45.123456789Z"
    written = written_updated_at(token, FROZEN - timedelta(days=1))
    assert parse_timestamp_ns(written.text) > parse_timestamp_ns(token)
    assert written.moment == datetime(2026, 1, 15, 3, 53, 45, 123457, tzinfo=UTC)


def test_a_written_updated_at_is_in_go_form_and_survives_go_reformatting() -> None:
    """Go parses all nine digits and writes them back: the same string, its token."""
    for _ in range(50):
        written = written_updated_at(format_updated_at(FROZEN), FROZEN)
        assert format_go_time(parse_timestamp_ns(written.text)) == written.text
        assert written.text.endswith("Z")
        assert parse_timestamp(written.text) == written.moment


def test_a_written_updated_at_is_never_a_whole_microsecond() -> None:
    """Every value written in whole microseconds (before this rule, or by a clock) stays old."""
    for _ in range(999):
        written = written_updated_at(format_updated_at(FROZEN), FROZEN)
        assert parse_timestamp_ns(written.text) % 1000 != 0


def test_999_writes_in_one_frozen_microsecond_are_all_different() -> None:
    """One process repeats a string only after 999 of its writes in the same microsecond."""
    token = format_updated_at(FROZEN - timedelta(seconds=1))
    texts = {written_updated_at(token, FROZEN).text for _ in range(999)}
    assert len(texts) == 999
