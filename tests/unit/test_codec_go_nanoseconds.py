"""The codec keeps the digits a Go writer stored past the microsecond, both ways.

Go holds created_at, expires_at and duration to the nanosecond and decides
access with them; a datetime and a timedelta hold microseconds. A decoded
request carries the rest in ``Request.nanoseconds``, and an encoded one
writes it back, so that a round trip is exact and the access check is Go's.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from access_requests.adapters.dynamodb.codec import decode_item, encode_request
from access_requests.adapters.timestamps import parse_timestamp_ns
from access_requests.domain import Nanoseconds, RequestStatus

CREATED = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)
HOUR_NS = 3600 * 10**9


def go_item(
    created_at: str = "2026-01-15T03:53:45.1234567Z",
    expires_at: str = "2026-01-16T09:23:45.123456789+05:30",
    duration_ns: int = HOUR_NS + 500,
    status: str = "approved",
) -> dict[str, Any]:
    """An item as the Go system writes it, approved."""
    return {
        "id": {"S": "00000000000000a1"},
        "requester": {"S": "gopher"},
        "profile": {"S": "prod"},
        "justification": {"S": "written by the Go service"},
        "duration": {"N": str(duration_ns)},
        "status": {"S": status},
        "created_at": {"S": created_at},
        "updated_at": {"S": created_at},
        "expires_at": {"S": expires_at},
        "ttl": {"N": "1768535025"},
        "approver": {"S": "bob"},
    }


def test_a_decoded_go_request_carries_its_digits_past_the_microsecond() -> None:
    """created_at .1234567, expires_at ...789 at +05:30 and 1 h + 500 ns, to the nanosecond."""
    item = go_item()
    request = decode_item(item)
    assert request.nanoseconds == Nanoseconds(
        created_at=700, expires_at=789, duration=HOUR_NS + 500
    )
    assert request.created_at_ns == parse_timestamp_ns(item["created_at"]["S"])
    assert request.expires_at_ns == parse_timestamp_ns(item["expires_at"]["S"])
    assert request.duration_ns == HOUR_NS + 500


def test_a_go_duration_under_a_microsecond_reads_as_one_and_keeps_its_nanoseconds() -> None:
    """999 ns is 1 us as a timedelta, and 999 ns for the access check."""
    request = decode_item(go_item(duration_ns=999))
    assert request.duration == timedelta(microseconds=1)
    assert request.duration_ns == 999


def test_a_request_of_whole_microseconds_carries_no_digits() -> None:
    """What this library writes decodes with no digits past the microsecond."""
    request = decode_item(
        go_item("2026-01-15T03:53:45.123456000Z", "2026-01-16T03:53:45Z", duration_ns=HOUR_NS)
    )
    assert request.nanoseconds == Nanoseconds()


@pytest.mark.parametrize("duration_ns", [HOUR_NS + 500, 999, HOUR_NS])
def test_a_round_trip_of_a_go_request_is_exact(duration_ns: int) -> None:
    """Encoding writes created_at and expires_at with Go's digits, and the exact duration."""
    request = decode_item(go_item(duration_ns=duration_ns))
    item = encode_request(request)
    # Check the nine digits and the exact duration are written
    assert item["created_at"] == {"S": "2026-01-15T03:53:45.123456700Z"}
    assert item["expires_at"] == {"S": "2026-01-16T03:53:45.123456789Z"}
    assert item["duration"] == {"N": str(duration_ns)}
    # Check the request read back is the same to the nanosecond
    again = decode_item(item)
    assert again == request
    assert again.nanoseconds == request.nanoseconds


def test_access_is_decided_as_go_decides_it_past_the_microsecond() -> None:
    """Created .1234567 for 1 h + 500 ns: Go grants at +1 h + 0.3 us, as this library does."""
    request = decode_item(go_item())
    # Go's window ends at 04:53:45.1234572; .123457 lies inside it
    assert request.grants_access(CREATED + timedelta(hours=1, microseconds=1))
    assert not request.grants_access(CREATED + timedelta(hours=1, microseconds=2))


def test_a_999_nanosecond_request_stops_granting_when_go_stops() -> None:
    """Created at .123456 for 999 ns: Go stops at .123456999, so .123457 grants nothing."""
    request = decode_item(go_item("2026-01-15T03:53:45.123456Z", duration_ns=999))
    assert request.grants_access(CREATED)
    assert not request.grants_access(CREATED + timedelta(microseconds=1))


def test_a_go_request_that_expires_before_it_was_created_reads() -> None:
    """Go's Validate does not compare them: such an item reads, not as CorruptItem."""
    request = decode_item(
        go_item(expires_at="2026-01-14T03:53:45Z", status="pending", duration_ns=HOUR_NS)
    )
    assert request.expires_at < request.created_at
    assert request.status is RequestStatus.PENDING
