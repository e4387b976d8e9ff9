"""Edges an adversary found: the end of time, a corrupt item under update, a lying ttl."""

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import InvalidRequest, RequestStatus
from access_requests.ports import CorruptItem, RequestStore

LAST = datetime.max.replace(tzinfo=UTC)


@pytest.fixture(params=["memory", "dynamodb"])
def store(
    request: pytest.FixtureRequest,
    server_table: tuple[DynamoDBClient, str],
    clock: ManualClock,
) -> RequestStore:
    if request.param == "memory":
        return InMemoryRequestStore(clock=clock)
    client, name = server_table
    return DynamoDBRequestStore(client, name, clock=clock)


def test_an_update_at_the_last_instant_is_an_invalid_request(
    store: RequestStore, clock: ManualClock
) -> None:
    """A token at datetime.max has no later instant: InvalidRequest, not OverflowError."""
    request = make_request(clock())
    store.create(request)
    at_the_end = attrs.evolve(request, updated_at=LAST, lock_token=None)
    with pytest.raises(InvalidRequest) as raised:
        store.update(at_the_end.approve("carol", now=clock()))
    assert raised.value.field == "updated_at"
    assert store.get(request.id) == request


def test_a_clock_at_the_last_instant_still_updates(
    store: RequestStore, clock: ManualClock
) -> None:
    """A clock returning datetime.max stamps it; nothing overflows."""
    request = make_request(clock())
    store.create(request)
    clock.set(LAST)
    result = store.update(attrs.evolve(request, approver_comment="at the end of time"))
    assert result.updated_at == LAST


def _raw(table: tuple[DynamoDBClient, str], request_id: str) -> dict[str, Any]:
    client, name = table
    response = client.get_item(
        TableName=name, Key={"id": {"S": request_id}}, ConsistentRead=True
    )
    return dict(response["Item"])


@pytest.mark.parametrize(
    ("attribute", "value"),
    [("justification", None), ("duration", {"S": "3600"}), ("created_at", {"N": "1"})],
    ids=["missing justification", "duration as text", "created_at as a number"],
)
def test_an_update_of_a_corrupt_item_writes_nothing_and_raises_corrupt_item(
    attribute: str,
    value: dict[str, str] | None,
    server_table: tuple[DynamoDBClient, str],
    clock: ManualClock,
) -> None:
    """The condition refuses an item that would not read: nothing is written."""
    client, name = server_table
    store = DynamoDBRequestStore(client, name, clock=clock)
    request = make_request(clock())
    store.create(request)
    item = _raw(server_table, request.id)
    if value is None:
        del item[attribute]
    else:
        item[attribute] = value
    client.put_item(TableName=name, Item=item)
    with pytest.raises(CorruptItem) as raised:
        store.update(request.approve("carol", now=clock()))
    assert raised.value.attribute == attribute
    assert _raw(server_table, request.id) == item


def test_expires_at_decides_whatever_ttl_says(
    server_table: tuple[DynamoDBClient, str], clock: ManualClock
) -> None:
    """A ttl in the past on a request that expires tomorrow: get and list_pending agree."""
    client, name = server_table
    store = DynamoDBRequestStore(client, name, clock=clock)
    request = make_request(clock(), ttl=timedelta(days=1))
    store.create(request)
    item = _raw(server_table, request.id)
    item["ttl"] = {"N": "1"}
    client.put_item(TableName=name, Item=item)
    assert store.get(request.id).status is RequestStatus.PENDING
    assert [r.id for r in store.list_pending()] == [request.id]
