"""on_event when DynamoDB fails: what was done is announced, what was not is not."""

from datetime import timedelta
from typing import Any

import pytest
from conftest import recommended_test_client
from fault_injection import INTERNAL_ERROR
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import RequestStatus
from access_requests.events import EventType, RequestEvent
from access_requests.ports import StoreUnavailable


def fail_updates_after(client: DynamoDBClient, done: int) -> None:
    """Answer every attempt of every UpdateItem after the first ``done`` with a 500."""
    seen = 0

    def answer(request: Any, **_: Any) -> Any:
        nonlocal seen
        header = request.headers["amz-sdk-request"]
        attempt = header.decode() if isinstance(header, bytes) else header
        if attempt.split(";")[0] == "attempt=1":
            seen += 1  # a new call, not a retry
        return INTERNAL_ERROR(request, 5) if seen > done else None

    client.meta.events.register("before-send.dynamodb.UpdateItem", answer)


def fail(request: Any, **_: Any) -> Any:
    """Answer an attempt with a 500, as DynamoDB's InternalServerError."""
    return INTERNAL_ERROR(request, 5)


def test_a_sweep_cut_short_announces_the_requests_it_moved(
    moto_server: str,
    server_table: tuple[DynamoDBClient, str],
    clock: ManualClock,
    no_backoff_sleep: list[float],
) -> None:
    """The first expiry is written and announced; then DynamoDB fails and the sweep raises."""
    client = recommended_test_client(moto_server)
    announced: list[RequestEvent] = []
    store = DynamoDBRequestStore(
        client, server_table[1], clock=clock, on_event=announced.append
    )
    for _ in range(3):
        store.create(make_request(clock(), ttl=timedelta(minutes=5)))
    clock.advance(timedelta(hours=1))
    announced.clear()
    fail_updates_after(client, done=1)

    with pytest.raises(StoreUnavailable):
        store.expire_overdue()

    # Check exactly the one expiry written was announced, as stored
    (event,) = announced
    assert event.type is EventType.EXPIRED
    assert store.get(event.request.id) == event.request
    expired = store.list_by_status(RequestStatus.EXPIRED)
    assert [request.id for request in expired] == [event.request.id]


def test_a_failed_create_announces_nothing(
    moto_server: str,
    server_table: tuple[DynamoDBClient, str],
    clock: ManualClock,
    no_backoff_sleep: list[float],
) -> None:
    """No event for a write the store reports as failed."""
    client = recommended_test_client(moto_server)
    announced: list[RequestEvent] = []
    store = DynamoDBRequestStore(
        client, server_table[1], clock=clock, on_event=announced.append
    )
    client.meta.events.register("before-send.dynamodb.PutItem", fail)
    with pytest.raises(StoreUnavailable):
        store.create(make_request(clock()))
    assert announced == []
