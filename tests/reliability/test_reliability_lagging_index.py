"""Under an index that lags the table, the sweep writes nothing wrong and nothing stale grants.

DynamoDB's indexes are eventually consistent: the sweep and find_active_approval
read them. The lagging client serves every index Query from a snapshot taken
before the changes each test makes, as a lagging index would.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from lagging_index import LaggingIndexClient
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import RequestStatus
from access_requests.ports import RequestNotFound

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def lagging(server_table: tuple[DynamoDBClient, str]) -> Iterator[LaggingIndexClient]:
    client, name = server_table
    wrapper = LaggingIndexClient.create(client, name)
    yield wrapper
    wrapper.drop()


@pytest.fixture
def store(
    lagging: LaggingIndexClient, server_table: Any, clock: ManualClock
) -> DynamoDBRequestStore:
    """The store reading the lagging indexes, writing the table."""
    return DynamoDBRequestStore(lagging.as_client(), server_table[1], clock=clock)


def test_a_request_deleted_a_moment_ago_does_not_grant(
    store: DynamoDBRequestStore, lagging: LaggingIndexClient
) -> None:
    """The index still holds the approval; one consistent read finds it gone."""
    request = make_request(NOW)
    store.create(request)
    store.update(store.get(request.id).approve("bob", now=NOW))
    lagging.catch_up()
    assert store.find_active_approval(request.requester, request.profile) is not None
    # Check the approval, deleted in the table only, grants nothing
    store.delete(request.id)
    assert store.find_active_approval(request.requester, request.profile) is None
    assert lagging.index_queries == 2


def test_a_request_changed_a_moment_ago_does_not_grant_from_its_old_entry(
    store: DynamoDBRequestStore,
    lagging: LaggingIndexClient,
    server_table: tuple[DynamoDBClient, str],
) -> None:
    """A Go writer rewrote the approval as denied; the index still says approved."""
    request = make_request(NOW)
    store.create(request)
    store.update(store.get(request.id).approve("bob", now=NOW))
    lagging.catch_up()
    client, name = server_table
    item = client.get_item(TableName=name, Key={"id": {"S": request.id}}, ConsistentRead=True)
    denied = {**item["Item"], "status": {"S": "denied"}}
    client.put_item(TableName=name, Item=denied)
    assert store.find_active_approval(request.requester, request.profile) is None


def test_an_older_approval_still_grants_behind_a_stale_newer_one(
    store: DynamoDBRequestStore, lagging: LaggingIndexClient, clock: ManualClock
) -> None:
    """The stale newest entry is passed over; the next granting one answers."""
    older = make_request(NOW - timedelta(minutes=10))
    newer = make_request(NOW - timedelta(minutes=5))
    for request in (older, newer):
        store.create(request)
        store.update(store.get(request.id).approve("bob", now=NOW))
    lagging.catch_up()
    store.delete(newer.id)
    found = store.find_active_approval(older.requester, older.profile)
    assert found is not None
    assert found.id == older.id


def test_the_sweep_leaves_alone_what_the_index_shows_stale(
    store: DynamoDBRequestStore, lagging: LaggingIndexClient, clock: ManualClock
) -> None:
    """Approved or deleted in the table, overdue pending in the index: nothing is written."""
    approved, deleted, overdue = (make_request(NOW, ttl=timedelta(hours=1)) for _ in range(3))
    for request in (approved, deleted, overdue):
        store.create(request)
    lagging.catch_up()
    # Check the approval made in time stands, and the deleted request stays deleted
    store.update(store.get(approved.id).approve("bob", now=NOW))
    store.delete(deleted.id)
    clock.advance(timedelta(hours=2))
    assert store.expire_overdue() == 1
    assert store.get(approved.id).status is RequestStatus.APPROVED
    assert store.get(overdue.id).status is RequestStatus.EXPIRED
    with pytest.raises(RequestNotFound):
        store.get(deleted.id)
