"""Reading a table's events from its stream, as ``events tail`` does, on moto."""

from collections.abc import Iterator
from datetime import timedelta

import boto3
import pytest
from moto import mock_aws
from mypy_boto3_dynamodb import DynamoDBClient
from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient

from access_requests.adapters.dynamodb import (
    DynamoDBRequestStore,
    TableNotFound,
    create_table,
    table_definition,
)
from access_requests.contract_tests import suite_clock
from access_requests.domain import Request
from access_requests.events import EventType, StreamNotEnabled, read_events, table_stream_arn

TABLE = "requests"
REGION = "us-east-1"


@pytest.fixture
def client() -> Iterator[DynamoDBClient]:
    """A DynamoDB client in moto in-process, with the table as create_table makes it."""
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_table(dynamodb, TABLE)
        yield dynamodb


@pytest.fixture
def streams(client: DynamoDBClient) -> DynamoDBStreamsClient:
    """A DynamoDB Streams client beside ``client``."""
    return boto3.client("dynamodbstreams", region_name=REGION)


def disable_stream(client: DynamoDBClient) -> None:
    """Turn the table's stream off."""
    client.update_table(TableName=TABLE, StreamSpecification={"StreamEnabled": False})


def test_create_table_turns_the_stream_on_with_both_images(client: DynamoDBClient) -> None:
    """The table create_table makes is ready for events."""
    table = client.describe_table(TableName=TABLE)["Table"]
    assert table["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    assert table_stream_arn(client, TABLE) == table["LatestStreamArn"]


def requested(store: DynamoDBRequestStore, requester: str) -> Request:
    """A pending request of ``requester``, created in ``store``."""
    request = Request.new(
        requester=requester,
        profile="prod-admin",
        justification="Investigate the outage",
        duration=timedelta(hours=1),
        now=suite_clock()(),
    )
    store.create(request)
    return request


def test_every_event_the_stream_holds_is_read_then_reading_stops(
    client: DynamoDBClient, streams: DynamoDBStreamsClient
) -> None:
    """Without follow: from the oldest record to the present end."""
    store = DynamoDBRequestStore(client, TABLE, clock=suite_clock())
    ann = requested(store, "ann")
    store.update(store.get(ann.id).approve("bob", now=suite_clock()()))
    store.delete(ann.id)
    arn = table_stream_arn(client, TABLE)

    events = list(read_events(streams, arn))

    assert [(e.type, e.request.id) for e in events] == [
        (EventType.CREATED, ann.id),
        (EventType.APPROVED, ann.id),
    ]


def test_following_reads_new_records_as_they_come(
    client: DynamoDBClient, streams: DynamoDBStreamsClient
) -> None:
    """With follow: caught up, it waits and asks again, never reading a record twice."""
    store = DynamoDBRequestStore(client, TABLE, clock=suite_clock())
    ann = requested(store, "ann")
    waits: list[float] = []
    later: list[str] = []

    def sleep(seconds: float) -> None:
        # Check the reader waits only once caught up; meanwhile another writer acts
        waits.append(seconds)
        if len(waits) == 1:
            later.append(requested(store, "ben").id)
            store.update(store.get(ann.id).cancel(now=suite_clock()()))

    events = read_events(
        streams, table_stream_arn(client, TABLE), follow=True, poll_seconds=0.5, sleep=sleep
    )
    read = [next(events) for _ in range(3)]

    assert [(e.type, e.request.id) for e in read] == [
        (EventType.CREATED, ann.id),
        (EventType.CREATED, later[0]),
        (EventType.CANCELLED, ann.id),
    ]
    assert waits == [0.5]


def test_a_table_without_a_stream_is_named_with_the_remedy(client: DynamoDBClient) -> None:
    """StreamNotEnabled says what to enable."""
    disable_stream(client)
    with pytest.raises(StreamNotEnabled, match=r"not enabled.*NEW_AND_OLD_IMAGES"):
        table_stream_arn(client, TABLE)


def test_a_stream_without_both_images_is_refused(client: DynamoDBClient) -> None:
    """A MODIFY cannot tell a decision from a touch without the old image."""
    definition = table_definition("new-images-only")
    definition["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    client.create_table(**definition)
    with pytest.raises(StreamNotEnabled, match="view type is NEW_IMAGE"):
        table_stream_arn(client, "new-images-only")


def test_a_missing_table_is_reported_as_every_operation_reports_it(
    client: DynamoDBClient,
) -> None:
    """TableNotFound, from the port's errors."""
    with pytest.raises(TableNotFound):
        table_stream_arn(client, "no-such-table")
