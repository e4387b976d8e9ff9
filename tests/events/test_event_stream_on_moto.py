"""Events from records that moto's DynamoDB Streams produces for real writes."""

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

import boto3
import pytest
from go_system import GoRequest, GoStore, GoTime
from moto import mock_aws
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore, create_table
from access_requests.contract_tests import ManualClock, suite_clock
from access_requests.domain import Request
from access_requests.events import EventType, RequestEvent, event_from_record
from access_requests.ports import ConcurrentModification

TABLE = "requests"
REGION = "us-east-1"


@pytest.fixture
def table() -> Iterator[DynamoDBClient]:
    """A table as create_table makes it, stream on, in moto in-process."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        create_table(client, TABLE)
        yield client


def stream_records(client: DynamoDBClient) -> list[Mapping[str, Any]]:
    """Every record of the table's stream so far, as get_records returns them."""
    arn = client.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    streams = boto3.client("dynamodbstreams", region_name=REGION)
    records: list[Mapping[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records += streams.get_records(ShardIterator=iterator)["Records"]
    return records


def events_of(records: list[Mapping[str, Any]]) -> list[RequestEvent]:
    """The events the records carry, in order."""
    return [event for event in map(event_from_record, records) if event is not None]


def new_request(clock: ManualClock, requester: str) -> Request:
    """A pending request of ``requester``, created now by ``clock``, expiring in an hour."""
    return Request.new(
        requester=requester,
        profile="prod-admin",
        justification="Investigate the outage",
        duration=timedelta(hours=1),
        now=clock(),
        ttl=timedelta(hours=1),
    )


def stored_updated_at(client: DynamoDBClient, request_id: str) -> str:
    """updated_at exactly as the table holds it."""
    item = client.get_item(TableName=TABLE, Key={"id": {"S": request_id}}, ConsistentRead=True)
    return item["Item"]["updated_at"]["S"]


def test_every_change_made_by_the_store_gives_one_event(table: DynamoDBClient) -> None:
    """Create, approve, cancel, sweep: one event each; a retry, stale write or delete: none."""
    clock = suite_clock()
    announced: list[RequestEvent] = []
    store = DynamoDBRequestStore(table, TABLE, clock=clock, on_event=announced.append)
    approved, cancelled, overdue = (new_request(clock, name) for name in ("ann", "ben", "cy"))
    for request in (approved, cancelled, overdue):
        store.create(request)
    store.create(approved)  # a caller's retry of a done create
    clock.advance(timedelta(minutes=1))
    copy = store.get(approved.id)
    store.update(copy.approve("bob", "ok", now=clock()))
    store.update(copy.approve("bob", "ok", now=clock()))  # a caller's retry: already done
    with pytest.raises(ConcurrentModification):
        store.update(copy.deny("eve", now=clock()))  # a stale copy
    store.update(store.get(cancelled.id).cancel(now=clock()))
    clock.advance(timedelta(hours=2))
    assert store.expire_overdue() == 1
    store.delete(approved.id)

    events = events_of(stream_records(table))

    # Check one event per change, in order, with the Go types and actors
    assert [(e.type, e.request.id, e.actor) for e in events] == [
        (EventType.CREATED, approved.id, "ann"),
        (EventType.CREATED, cancelled.id, "ben"),
        (EventType.CREATED, overdue.id, "cy"),
        (EventType.APPROVED, approved.id, "bob"),
        (EventType.CANCELLED, cancelled.id, "ben"),
        (EventType.EXPIRED, overdue.id, "system"),
    ]
    # Check the decisions are named and timed by the updated_at the store wrote
    for event in events[4:]:
        written = stored_updated_at(table, event.request.id)
        assert event.event_id == f"{event.request.id}/{written}"
        assert event.to_json().count(f'"Timestamp":"{written}"') == 1
    # Check a creation is timed by created_at
    assert events[0].timestamp == approved.created_at
    # Check the store announced in process exactly what the stream carries
    assert [e.to_json() for e in announced] == [e.to_json() for e in events]
    assert [e.event_id for e in announced] == [e.event_id for e in events]


def test_a_go_writer_s_changes_give_the_same_events(table: DynamoDBClient) -> None:
    """The Go system's writes: created and denied; its rewrite of a final request: none."""
    go = GoStore(table, TABLE)
    created_at = GoTime.at(suite_clock()(), nanoseconds=7, offset_minutes=120)
    go.create(
        GoRequest(
            id="00000000000000aa",
            requester="carol",
            profile="staging",
            justification="Rotate the keys now",
            duration_ns=3_600_000_000_001,
            status="pending",
            created_at=created_at,
            updated_at=created_at,
            expires_at=created_at.add(24 * 3600 * 10**9),
        )
    )
    decided_at = created_at.add(60 * 10**9 + 5)
    go.update(
        "00000000000000aa", status="denied", approver="dave", comment="no", now=decided_at
    )
    go.update(
        "00000000000000aa", status="denied", approver="dave", comment="no!", now=decided_at
    )

    events = events_of(stream_records(table))

    # Check the creation and the denial, named by updated_at in Go's offset form
    assert [(e.type, e.actor) for e in events] == [
        (EventType.CREATED, "carol"),
        (EventType.DENIED, "dave"),
    ]
    assert events[1].event_id == f"00000000000000aa/{decided_at.format()}"
    assert events[1].timestamp_ns == decided_at.unix_ns


def test_a_redelivered_batch_gives_the_same_event_ids(table: DynamoDBClient) -> None:
    """Reading the stream again from its start gives the same events, id for id."""
    clock = suite_clock()
    store = DynamoDBRequestStore(table, TABLE, clock=clock)
    request = new_request(clock, "ann")
    store.create(request)
    store.update(store.get(request.id).deny("bob", now=clock()))

    first, again = events_of(stream_records(table)), events_of(stream_records(table))

    assert [e.event_id for e in first] == [e.event_id for e in again]
    assert [e.to_json() for e in first] == [e.to_json() for e in again]
    assert len({e.event_id for e in first}) == 2
