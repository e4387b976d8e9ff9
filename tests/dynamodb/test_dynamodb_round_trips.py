"""Round trips: one API call for create, get, update and delete, on every path.

Counted with a botocore event hook on the client, against the moto server
over HTTP: each ``before-send`` is one request on the wire, retries included.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs
import pytest
from call_log import CallLog, strip_old_items
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import InvalidTransition, Request
from access_requests.ports import (
    ConcurrentModification,
    RequestExists,
    RequestNotFound,
)


@pytest.fixture
def calls(server_table: tuple[DynamoDBClient, str]) -> CallLog:
    return CallLog(server_table[0])


def _stored(store: DynamoDBRequestStore, clock: ManualClock, **fields: Any) -> Request:
    request = make_request(clock(), **fields)
    store.create(request)
    return request


SCENARIOS: dict[str, tuple[str, type[Exception] | None]] = {
    "create": ("PutItem", None),
    "create a taken id": ("PutItem", RequestExists),
    "get": ("GetItem", None),
    "get an unknown id": ("GetItem", RequestNotFound),
    "update": ("UpdateItem", None),
    "update a stale copy": ("UpdateItem", ConcurrentModification),
    "update a terminal request": ("UpdateItem", InvalidTransition),
    "delete": ("DeleteItem", None),
    "delete an unknown id": ("DeleteItem", None),
}


def _scenario(
    name: str, store: DynamoDBRequestStore, clock: ManualClock
) -> Callable[[], object]:
    """Set up ``name`` and return the one store call it is about."""
    fresh = make_request(clock())
    if name == "create":
        return lambda: store.create(fresh)
    if name in ("get an unknown id", "delete an unknown id"):
        action = store.get if name.startswith("get") else store.delete
        return lambda: action(fresh.id)
    if name == "update an unknown request":
        return lambda: store.update(fresh.approve("carol", now=clock()))
    stored = _stored(store, clock)
    if name == "create a taken id":
        return lambda: store.create(attrs.evolve(fresh, id=stored.id, requester="mallory"))
    if name == "get":
        return lambda: store.get(stored.id)
    if name == "delete":
        return lambda: store.delete(stored.id)
    if name == "update":
        return lambda: store.update(stored.approve("carol", now=clock()))
    if name == "update a stale copy":
        store.update(attrs.evolve(stored, approver_comment="first"))
        return lambda: store.update(stored.deny("dave", now=clock()))
    store.update(stored.deny("carol", now=clock()))
    latest = store.get(stored.id)
    return lambda: store.update(attrs.evolve(latest, status=stored.status))


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_each_operation_is_one_round_trip_on_every_path(
    scenario: str, server_store: DynamoDBRequestStore, clock: ManualClock, calls: CallLog
) -> None:
    """Success or failure, each operation sends exactly one request."""
    operation, raises = SCENARIOS[scenario]
    action = _scenario(scenario, server_store, clock)
    assert calls.during(action, raises) == [operation]


def test_an_update_of_an_unknown_request_reads_once_to_tell_it_apart(
    server_store: DynamoDBRequestStore, clock: ManualClock, calls: CallLog
) -> None:
    """DynamoDB returns no old item when none exists: the one path of two round trips."""
    action = _scenario("update an unknown request", server_store, clock)
    assert calls.during(action, RequestNotFound) == ["UpdateItem", "GetItem"]


@pytest.mark.parametrize(
    "scenario",
    ["create a taken id", "update a stale copy", "update a terminal request"],
)
def test_without_old_items_a_failed_write_is_classified_by_one_read_from_the_first_call(
    scenario: str, server_table: tuple[DynamoDBClient, str], clock: ManualClock, calls: CallLog
) -> None:
    """Where the engine returns no old item, one consistent read tells the failures apart.

    No setting and no earlier failure is needed: the store's first call answers right.
    """
    client, name = server_table
    store = DynamoDBRequestStore(client, name, clock=clock)
    strip_old_items(client)
    operation, raises = SCENARIOS[scenario]
    action = _scenario(scenario, store, clock)
    assert calls.during(action, raises) == [operation, "GetItem"]


def test_without_old_items_a_fresh_store_tells_a_stale_update_from_a_missing_request(
    server_table: tuple[DynamoDBClient, str], clock: ManualClock
) -> None:
    """A new store on such an engine: ConcurrentModification, not RequestNotFound."""
    client, name = server_table
    request = make_request(clock())
    DynamoDBRequestStore(client, name, clock=clock).create(request)
    DynamoDBRequestStore(client, name, clock=clock).update(
        request.approve("carol", now=clock())
    )
    strip_old_items(client)
    with pytest.raises(ConcurrentModification):
        DynamoDBRequestStore(client, name, clock=clock).update(
            request.deny("dave", now=clock())
        )


def test_list_pending_over_expired_requests_reads_on_until_the_page_is_full(
    server_store: DynamoDBRequestStore, clock: ManualClock, calls: CallLog
) -> None:
    """Half the pending requests expired: the page is still full, in a few queries."""
    for number in range(40):
        ttl = timedelta(hours=2) if number % 2 else timedelta(minutes=5)
        _stored(server_store, clock, ttl=ttl)
        clock.advance(timedelta(seconds=1))
    clock.advance(timedelta(hours=1))
    page_calls = calls.during(lambda: server_store.list_pending(limit=10), None)
    assert len(server_store.list_pending(limit=10)) == 10
    assert set(page_calls) == {"Query"}
    assert len(page_calls) <= 3
