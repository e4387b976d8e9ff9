"""Items the Go system wrote are read, listed and updated without being disturbed.

The Go system writes RFC3339Nano timestamps (0 to 9 fractional digits,
trailing zeros dropped, ``Z`` or an offset) and durations in nanoseconds. The
lock must compare its token exactly as stored, and an update must leave every
attribute it does not change byte for byte as it was.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.adapters.timestamps import (
    format_go_time,
    parse_timestamp,
    parse_timestamp_ns,
)
from access_requests.contract_tests import ManualClock, everything
from access_requests.domain import RequestStatus
from access_requests.ports import ConcurrentModification

DECISION = {"status", "approver", "approver_comment", "updated_at", "previous_updated_at"}


def go_item(
    request_id: str,
    created_at: str,
    updated_at: str,
    expires_at: str,
    ttl: int,
    *,
    requester: str = "gopher",
    duration_ns: int = 2 * 3600 * 10**9 + 1,
    status: str = "pending",
) -> dict[str, Any]:
    """An item as the Go system writes it: no approver fields until someone decides."""
    return {
        "id": {"S": request_id},
        "requester": {"S": requester},
        "profile": {"S": "prod"},
        "justification": {"S": "written by the Go service"},
        "duration": {"N": str(duration_ns)},
        "status": {"S": status},
        "created_at": {"S": created_at},
        "updated_at": {"S": updated_at},
        "expires_at": {"S": expires_at},
        "ttl": {"N": str(ttl)},
    }


# created_at forms the Go system writes, for one requester, each an hour apart.
GO_ITEMS = [
    go_item("a000000000000001", "2026-01-15T01:00:00Z", "2026-01-15T01:00:00Z",
            "2026-01-16T01:00:00Z", 1768525200),
    go_item("a000000000000002", "2026-01-15T02:00:00.5Z", "2026-01-15T02:00:00.5Z",
            "2026-01-16T02:00:00.5Z", 1768528800),
    go_item("a000000000000003", "2026-01-15T03:00:00.123456789Z",
            "2026-01-15T03:00:00.123456789Z", "2026-01-16T03:00:00.123456789Z", 1768532400),
    go_item("a000000000000004", "2026-01-15T09:30:00.25+05:30",
            "2026-01-15T09:30:00.25+05:30", "2026-01-16T09:30:00.25+05:30", 1768536000),
    go_item("a000000000000005", "2026-01-14T21:00:00.000001-08:00",
            "2026-01-14T21:00:00.000001-08:00", "2026-01-15T21:00:00.000001-08:00",
            1768539600),
]  # fmt: skip


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 1, 15, 6, tzinfo=UTC))


@pytest.fixture
def table(server_table: tuple[DynamoDBClient, str]) -> tuple[DynamoDBClient, str]:
    client, name = server_table
    for item in GO_ITEMS:
        client.put_item(TableName=name, Item=item)
    return server_table


@pytest.fixture
def store(table: tuple[DynamoDBClient, str], clock: ManualClock) -> DynamoDBRequestStore:
    client, name = table
    return DynamoDBRequestStore(client, name, clock=clock)


def raw(table: tuple[DynamoDBClient, str], request_id: str) -> dict[str, Any]:
    client, name = table
    item = client.get_item(TableName=name, Key={"id": {"S": request_id}}, ConsistentRead=True)
    return dict(item["Item"])


def test_go_items_read_as_the_instants_they_name(store: DynamoDBRequestStore) -> None:
    """Every Go form reads as its instant in UTC, its duration to the microsecond."""
    instants = [store.get(item["id"]["S"]).created_at for item in GO_ITEMS]
    assert instants == [
        datetime(2026, 1, 15, 1, tzinfo=UTC),
        datetime(2026, 1, 15, 2, 0, 0, 500000, tzinfo=UTC),
        datetime(2026, 1, 15, 3, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 1, 15, 4, 0, 0, 250000, tzinfo=UTC),
        datetime(2026, 1, 15, 5, 0, 0, 1, tzinfo=UTC),
    ]
    request = store.get("a000000000000001")
    assert request.duration == timedelta(hours=2)
    assert (request.approver, request.approver_comment) == ("", "")


def test_go_items_are_listed_as_dynamodb_orders_their_strings(
    store: DynamoDBRequestStore,
) -> None:
    """Each listing gives every Go item once, in descending created_at string order."""
    by_string = sorted(GO_ITEMS, key=lambda item: item["created_at"]["S"], reverse=True)
    expected = [item["id"]["S"] for item in by_string]
    for listing in (
        lambda **page: store.list_by_requester("gopher", **page),
        lambda **page: store.list_by_profile("prod", **page),
        lambda **page: store.list_by_status(RequestStatus.PENDING, **page),
        lambda **page: store.list_pending(**page),
    ):
        for limit in (1, 2, 5):
            assert [r.id for r in everything(listing, limit)] == expected


@pytest.mark.parametrize("index", range(len(GO_ITEMS)))
def test_an_update_of_a_go_item_rewrites_only_the_decision(
    index: int,
    store: DynamoDBRequestStore,
    table: tuple[DynamoDBClient, str],
    clock: ManualClock,
) -> None:
    """The token matches as stored; every other attribute stays byte for byte."""
    request_id = GO_ITEMS[index]["id"]["S"]
    before = raw(table, request_id)
    copy = store.get(request_id)
    # The store's clock is at the moment of the decision, inside the access window.
    clock.set(copy.created_at + timedelta(minutes=1))
    result = store.update(copy.approve("carol", "ok", now=clock()))
    after = raw(table, request_id)
    # Check the attributes the update does not change are exactly as the Go system wrote them.
    assert {k: v for k, v in after.items() if k not in DECISION} == {
        k: v for k, v in before.items() if k not in DECISION
    }
    # Check the decision was written, with a new updated_at in Go's RFC3339Nano form:
    # the store's microsecond, and nanoseconds of this write's own.
    assert after["status"] == {"S": "approved"}
    assert after["approver"] == {"S": "carol"}
    written = after["updated_at"]["S"]
    assert parse_timestamp(written) == clock()
    assert format_go_time(parse_timestamp_ns(written)) == written
    assert after["previous_updated_at"] == before["updated_at"]
    assert result == store.get(request_id)


def test_the_new_updated_at_is_later_than_a_nanosecond_token(
    store: DynamoDBRequestStore, table: tuple[DynamoDBClient, str], clock: ManualClock
) -> None:
    """With the clock behind the token, the new updated_at is the token's instant + 1 us."""
    clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    result = store.update(store.get("a000000000000003").cancel(now=clock()))
    # The token is ...00.123456789Z; the next microsecond after its instant is ...00.123457.
    written = raw(table, "a000000000000003")["updated_at"]["S"]
    assert written.startswith("2026-01-15T03:00:00.123457")
    assert parse_timestamp_ns(written) > parse_timestamp_ns("2026-01-15T03:00:00.123456789Z")
    assert result.updated_at == datetime(2026, 1, 15, 3, 0, 0, 123457, tzinfo=UTC)


@pytest.mark.parametrize(
    "rewritten",
    ["2026-01-15T03:00:00.123456999Z", "2026-01-15T03:00:00.123456789+00:00"],
    ids=["another nanosecond", "same instant, another form"],
)
def test_a_go_token_is_compared_exactly_as_stored(
    rewritten: str,
    store: DynamoDBRequestStore,
    table: tuple[DynamoDBClient, str],
    clock: ManualClock,
) -> None:
    """A Go write after the read is a conflict, even within the same microsecond."""
    client, name = table
    copy = store.get("a000000000000003")
    client.update_item(
        TableName=name,
        Key={"id": {"S": "a000000000000003"}},
        UpdateExpression="SET #u = :u",
        ExpressionAttributeNames={"#u": "updated_at"},
        ExpressionAttributeValues={":u": {"S": rewritten}},
    )
    clock.set(copy.created_at + timedelta(minutes=1))  # inside the access window
    with pytest.raises(ConcurrentModification):
        store.update(copy.approve("carol", now=clock()))
    assert raw(table, "a000000000000003")["status"] == {"S": "pending"}


def test_list_pending_reads_go_expiry_exactly(
    store: DynamoDBRequestStore, clock: ManualClock
) -> None:
    """A Go item is pending until its expires_at, to the microsecond, whatever its form."""
    expires = datetime(2026, 1, 16, 5, 0, 0, 1, tzinfo=UTC)  # a000...5, written at -08:00
    just_before = store.list_pending(now=expires - timedelta(microseconds=1))
    at_expiry = store.list_pending(now=expires)
    assert "a000000000000005" in [r.id for r in just_before]
    assert "a000000000000005" not in [r.id for r in at_expiry]
