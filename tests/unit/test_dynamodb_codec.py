"""Properties of the item codec, and the exact item format shared with the Go system."""

from datetime import UTC, datetime, timedelta

import pytest
from go_system import GoTime
from hypothesis import given
from hypothesis import strategies as st

from access_requests.adapters.dynamodb import names
from access_requests.adapters.dynamodb.codec import (
    decode_item,
    encode_request,
    ttl_seconds,
)
from access_requests.adapters.timestamps import (
    format_timestamp,
    format_updated_at,
    parse_timestamp,
)
from access_requests.contract_tests.strategies import requests, utc_datetimes
from access_requests.domain import Request, RequestStatus
from access_requests.ports import CorruptItem

ATTRIBUTES = {
    "id",
    "requester",
    "profile",
    "justification",
    "duration",
    "status",
    "created_at",
    "updated_at",
    "expires_at",
    "approver",
    "approver_comment",
    "ttl",
}

EXAMPLE = Request(
    id="0123456789abcdef",
    requester="alice@example.com",
    profile="prod-admin",
    justification="Investigate INC-1234",
    duration=timedelta(hours=1, microseconds=5),
    status=RequestStatus.APPROVED,
    created_at=datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC),
    updated_at=datetime(2026, 1, 15, 3, 55, tzinfo=UTC),
    expires_at=datetime(2026, 1, 16, 3, 53, 45, 999999, tzinfo=UTC),
    approver="carol",
    approver_comment="",
)


@given(requests())
def test_every_valid_request_round_trips_exactly(request: Request) -> None:
    """decode(encode(request)) is the same request, field for field, carrying its token."""
    item = encode_request(request)
    decoded = decode_item(item)
    assert decoded == request
    assert decoded.lock_token == item["updated_at"]["S"]


@given(requests())
def test_every_attribute_is_a_string_or_a_number(request: Request) -> None:
    """The item holds exactly the Go system's attributes, each S or N, never empty-typed."""
    item = encode_request(request)
    assert set(item) == ATTRIBUTES
    for name, value in item.items():
        expected = "N" if name in ("duration", "ttl") else "S"
        assert list(value) == [expected], name
        assert isinstance(value[expected], str)


def test_the_wire_names_are_the_items_attributes() -> None:
    """names.py names every attribute the codec writes, and nothing else of an item."""
    written = {
        names.ID,
        names.REQUESTER,
        names.PROFILE,
        names.JUSTIFICATION,
        names.DURATION,
        names.STATUS,
        names.CREATED_AT,
        names.UPDATED_AT,
        names.EXPIRES_AT,
        names.APPROVER,
        names.APPROVER_COMMENT,
        names.TTL,
    }
    assert written == ATTRIBUTES == set(encode_request(EXAMPLE))
    assert set(names.INDEXES.values()) | {names.SORT_KEY, names.PARTITION_KEY} <= ATTRIBUTES


@given(utc_datetimes(), utc_datetimes())
def test_encoded_timestamps_sort_as_the_instants_do(first: datetime, second: datetime) -> None:
    """String order of two encoded timestamps is their time order."""
    a, b = format_timestamp(first), format_timestamp(second)
    assert (a < b) == (first < second)
    assert (a == b) == (first == second)


@given(requests())
def test_ttl_is_expires_at_in_unix_seconds_rounded_down(request: Request) -> None:
    """ttl counts whole seconds since 1970, rounding down also before 1970."""
    ttl = int(encode_request(request)["ttl"]["N"])
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert epoch + timedelta(seconds=ttl) <= request.expires_at
    assert request.expires_at < epoch + timedelta(seconds=ttl + 1)


def test_the_item_format_is_exactly_the_go_systems() -> None:
    """A known request encodes to exactly this item."""
    assert encode_request(EXAMPLE) == {
        "id": {"S": "0123456789abcdef"},
        "requester": {"S": "alice@example.com"},
        "profile": {"S": "prod-admin"},
        "justification": {"S": "Investigate INC-1234"},
        "duration": {"N": "3600000005000"},
        "status": {"S": "approved"},
        "created_at": {"S": "2026-01-15T03:53:45.123456000Z"},
        "updated_at": {"S": "2026-01-15T03:55:00Z"},
        "expires_at": {"S": "2026-01-16T03:53:45.999999000Z"},
        "approver": {"S": "carol"},
        "approver_comment": {"S": ""},
        "ttl": {"N": "1768535625"},
    }


@given(
    utc_datetimes(datetime(1000, 1, 2), datetime(9998, 1, 1)),
    st.integers(min_value=0, max_value=999),
    st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timedelta(minutes=m)),
)
def test_the_go_systems_timestamps_read_as_the_same_instant(
    moment: datetime, nanoseconds: int, offset: timedelta
) -> None:
    """0 to 9 digits, trailing zeros dropped, Z or an offset: the instant, rounded down."""
    written = GoTime.at(moment, nanoseconds, offset // timedelta(minutes=1)).format()
    assert parse_timestamp(written) == moment


@given(utc_datetimes(datetime(1000, 1, 2), datetime(9998, 1, 1)))
def test_updated_at_is_written_as_go_writes_it_and_survives_its_reformatting(
    moment: datetime,
) -> None:
    """Go's update conditions on its re-formatting of the updated_at it read: it must match."""
    stored = format_updated_at(moment)
    assert stored == GoTime.at(moment).format()
    assert GoTime.parse(stored).format() == stored


@pytest.mark.parametrize(
    ("stored", "instant"),
    [
        ("2026-01-15T03:53:45Z", datetime(2026, 1, 15, 3, 53, 45, tzinfo=UTC)),
        ("2026-01-15T03:53:45.1Z", datetime(2026, 1, 15, 3, 53, 45, 100000, tzinfo=UTC)),
        (
            "2026-01-15T03:53:45.123456789Z",
            datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC),
        ),
        (
            "2026-01-15T09:23:45.5+05:30",
            datetime(2026, 1, 15, 3, 53, 45, 500000, tzinfo=UTC),
        ),
        ("2026-01-14T19:53:45-08:00", datetime(2026, 1, 15, 3, 53, 45, tzinfo=UTC)),
    ],
)
def test_go_timestamp_examples(stored: str, instant: datetime) -> None:
    """Worked examples of the Go forms."""
    assert parse_timestamp(stored) == instant


def test_a_go_item_without_approver_fields_reads_them_as_empty() -> None:
    """The Go system may leave approver and approver_comment out."""
    item = encode_request(EXAMPLE)
    del item["approver"], item["approver_comment"]
    request = decode_item(item)
    assert (request.approver, request.approver_comment) == ("", "")


def test_a_go_duration_keeps_its_microseconds() -> None:
    """Whole nanoseconds read as a timedelta, sub-microsecond digits dropped."""
    item = encode_request(EXAMPLE)
    item["duration"] = {"N": "5400000001999"}
    assert decode_item(item).duration == timedelta(minutes=90, microseconds=1)


CORRUPTIONS = [
    ("missing attribute", "requester", None, "is missing"),
    ("wrong type", "duration", {"S": "1h"}, "N attribute"),
    ("fractional nanoseconds", "duration", {"N": "1.5"}, "N attribute"),
    ("number for a string", "profile", {"N": "7"}, "S attribute"),
    ("unparsable timestamp", "created_at", {"S": "yesterday"}, "RFC 3339"),
    ("impossible date", "expires_at", {"S": "2026-02-30T00:00:00Z"}, "no valid instant"),
    ("unknown status", "status", {"S": "revoked"}, "unknown status"),
    ("malformed id", "id", {"S": "NOT-AN-ID"}, "16 lowercase hex"),
    ("rule broken", "justification", {"S": "short"}, "10 to 500"),
    ("offset out of range", "expires_at", {"S": "2026-01-16T00:00:00+24:00"}, "00..23"),
]


@pytest.mark.parametrize(
    ("attribute", "value", "reason"),
    [case[1:] for case in CORRUPTIONS],
    ids=[case[0] for case in CORRUPTIONS],
)
def test_a_corrupt_item_names_its_id_and_the_attribute(
    attribute: str, value: dict[str, str] | None, reason: str
) -> None:
    """Nothing is defaulted or skipped: CorruptItem says which item and which attribute."""
    item = encode_request(EXAMPLE)
    if value is None:
        del item[attribute]
    else:
        item[attribute] = value
    with pytest.raises(CorruptItem, match=reason) as raised:
        decode_item(item)
    assert raised.value.attribute == attribute
    expected_id = "NOT-AN-ID" if attribute == "id" else EXAMPLE.id
    assert raised.value.request_id == expected_id


def test_ttl_seconds_rounds_down_before_1970() -> None:
    """Half a second before the epoch is second -1."""
    assert ttl_seconds(datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC)) == -1
