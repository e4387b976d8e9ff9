"""Retried writes tell the truth.

A write whose response is lost after DynamoDB applied it is sent again by
botocore; the retry then fails its condition against the caller's own write.
The store recognises its own write in the old item returned with the failure
and reports success; a genuine conflict is still reported. The response is
lost on purpose by ``fault_injection``, against the moto server: the write is
applied, botocore sees a dropped connection and retries.
"""

from collections.abc import Callable

import attrs
import pytest
from call_log import CallLog
from conftest import client_for
from fault_injection import Plan, inject, lost_response
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.contract_tests import ManualClock, make_request
from access_requests.ports import ConcurrentModification, RequestExists


def lose_first_response(
    client: DynamoDBClient, operation: str, meanwhile: Callable[[], object] | None = None
) -> None:
    """Lose the response to the first attempt of each ``operation``; botocore sends it again.

    ``meanwhile`` runs between the lost response and the retry, as another
    writer would.
    """
    inject(client, operation, lost_response(meanwhile=meanwhile), Plan(attempts=1))


pytestmark = pytest.mark.usefixtures("no_backoff_sleep")


@pytest.fixture
def store(server_store: DynamoDBRequestStore) -> DynamoDBRequestStore:
    return server_store


@pytest.fixture
def client(server_table: tuple[DynamoDBClient, str]) -> DynamoDBClient:
    return server_table[0]


@pytest.fixture
def other_writer(
    server_table: tuple[DynamoDBClient, str], clock: ManualClock, moto_server: str
) -> DynamoDBRequestStore:
    """A second store on the same table, with a client of its own."""
    return DynamoDBRequestStore(client_for(moto_server), server_table[1], clock=clock)


def test_a_create_retried_after_its_response_was_lost_succeeds(
    store: DynamoDBRequestStore, client: DynamoDBClient, clock: ManualClock
) -> None:
    """The retry finds the caller's own item and reports success, not RequestExists."""
    calls = CallLog(client)
    request = make_request(clock())
    lose_first_response(client, "PutItem")
    store.create(request)
    # Check the item was written twice on the wire, and is stored once, intact.
    assert calls.operations == ["PutItem", "PutItem"]
    assert store.get(request.id) == request


def test_an_update_retried_after_its_response_was_lost_succeeds(
    store: DynamoDBRequestStore, client: DynamoDBClient, clock: ManualClock
) -> None:
    """The retry finds the caller's own write and returns it, not ConcurrentModification."""
    request = make_request(clock())
    store.create(request)
    calls = CallLog(client)
    lose_first_response(client, "UpdateItem")
    result = store.update(request.approve("carol", "ok", now=clock()))
    assert calls.operations == ["UpdateItem", "UpdateItem"]
    assert result == store.get(request.id)
    assert (result.status.value, result.approver) == ("approved", "carol")


def test_a_retried_create_still_reports_a_genuine_conflict(
    store: DynamoDBRequestStore, client: DynamoDBClient, clock: ManualClock
) -> None:
    """When the id holds someone else's request, the retry still raises RequestExists."""
    original = make_request(clock())
    store.create(original)
    impostor = attrs.evolve(make_request(clock(), requester="mallory"), id=original.id)
    lose_first_response(client, "PutItem")
    with pytest.raises(RequestExists):
        store.create(impostor)
    assert store.get(original.id) == original


def test_a_retried_update_from_a_stale_copy_is_still_refused(
    store: DynamoDBRequestStore, client: DynamoDBClient, clock: ManualClock
) -> None:
    """A stale copy is refused on the first attempt and on the retry alike."""
    request = make_request(clock())
    store.create(request)
    current = store.update(attrs.evolve(request, approver_comment="first"))
    lose_first_response(client, "UpdateItem")
    with pytest.raises(ConcurrentModification):
        store.update(request.deny("dave", now=clock()))
    assert store.get(request.id) == current


def test_a_write_overtaken_before_its_retry_is_reported_as_a_conflict(
    store: DynamoDBRequestStore,
    other_writer: DynamoDBRequestStore,
    client: DynamoDBClient,
    clock: ManualClock,
) -> None:
    """If another writer changes the request between the lost response and the retry,
    the retry reports ConcurrentModification: the caller's write is no longer what is stored.
    """
    request = make_request(clock())
    store.create(request)

    def another_approver_acts() -> None:
        latest = other_writer.get(request.id)
        other_writer.update(attrs.evolve(latest, approver_comment="second writer"))

    lose_first_response(client, "UpdateItem", meanwhile=another_approver_acts)
    with pytest.raises(ConcurrentModification):
        store.update(attrs.evolve(request, approver_comment="first writer"))
    assert store.get(request.id).approver_comment == "second writer"
