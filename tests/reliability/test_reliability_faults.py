"""Faults: botocore retries them; once retries are spent, StoreUnavailable says what failed.

Faults are injected by ``fault_injection`` before the request reaches the
moto server: throttling, internal errors, unavailability, timeouts and
dropped connections. The client is built with the recommended configuration
(5 attempts in all); backoff sleeps are skipped.
"""

import time
import uuid
from collections.abc import Callable

import pytest
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from conftest import recommended_test_client
from fault_injection import (
    INTERNAL_ERROR,
    THROTTLING,
    THROUGHPUT_EXCEEDED,
    UNAVAILABLE,
    Fault,
    Plan,
    connection_failure,
    error_response,
    inject,
    late_response,
    lost_response,
    skip_backoff_sleeps,
)
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import (
    AccessDenied,
    DynamoDBRequestStore,
    TableNotFound,
)
from access_requests.contract_tests import ManualClock, make_request, suite_clock
from access_requests.domain import Request
from access_requests.ports import RequestNotFound, StoreUnavailable

ATTEMPTS = 5  # recommended_config: 5 attempts in all

FAULTS: dict[str, Fault] = {
    "throttled": THROUGHPUT_EXCEEDED,
    "throttling": THROTTLING,
    "internal error": INTERNAL_ERROR,
    "unavailable": UNAVAILABLE,
    "too many requests": error_response(429, "TooManyRequestsException"),
    "bad gateway": error_response(502, "BadGateway"),
    "gateway timeout": error_response(504, "GatewayTimeout"),
    "read timeout": connection_failure(ReadTimeoutError),
    "dropped connection": connection_failure(ConnectionClosedError),
    "no connection": connection_failure(EndpointConnectionError),
    "connect timeout": connection_failure(ConnectTimeoutError),
    "lost response": lost_response(),
    "lost response, read timeout": lost_response(ReadTimeoutError),
}


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Skip botocore's backoff sleeps, recording them."""
    return skip_backoff_sleeps(monkeypatch)


@pytest.fixture
def clock() -> ManualClock:
    return suite_clock()


@pytest.fixture
def table(module_table: str) -> str:
    """One table for the module; each test works on requests of its own."""
    return module_table


@pytest.fixture
def client(moto_server: str, table: str) -> DynamoDBClient:
    """A client of the test's own: its retry state and its fault hooks end with the test."""
    return recommended_test_client(moto_server)


@pytest.fixture
def store(client: DynamoDBClient, table: str, clock: ManualClock) -> DynamoDBRequestStore:
    return DynamoDBRequestStore(client, table, clock=clock)


OPERATIONS = {
    "create": "PutItem",
    "get": "GetItem",
    "update": "UpdateItem",
    "delete": "DeleteItem",
    "list_by_requester": "Query",
    "list_pending": "Query",
}


def _call(
    operation: str, store: DynamoDBRequestStore, clock: ManualClock
) -> tuple[Callable[[], object], Request]:
    """Store a request and return the call of ``operation`` on it (or a new one)."""
    stored = make_request(clock(), requester=f"requester-{uuid.uuid4()}")
    store.create(stored)
    if operation == "create":
        return lambda: store.create(make_request(clock())), stored
    if operation == "get":
        return lambda: store.get(stored.id), stored
    if operation == "update":
        return lambda: store.update(stored.approve("carol", now=clock())), stored
    if operation == "delete":
        return lambda: store.delete(stored.id), stored
    if operation == "list_by_requester":
        return lambda: store.list_by_requester(stored.requester), stored
    return lambda: store.list_pending(limit=1), stored


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_passing_fault_is_retried_and_the_operation_succeeds(
    operation: str,
    fault: str,
    store: DynamoDBRequestStore,
    client: DynamoDBClient,
    clock: ManualClock,
    no_backoff_sleep: list[float],
) -> None:
    """Two faults in a row, then the backend answers: the caller sees only success."""
    action, _ = _call(operation, store, clock)
    injector = inject(client, OPERATIONS[operation], FAULTS[fault], Plan(attempts=2))
    action()
    assert injector.attempts == 3
    assert len(no_backoff_sleep) == 2


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_lasting_fault_raises_store_unavailable_naming_the_operation_and_table(
    operation: str,
    fault: str,
    store: DynamoDBRequestStore,
    client: DynamoDBClient,
    clock: ManualClock,
) -> None:
    """Once the retries are spent: StoreUnavailable, with the botocore error chained."""
    action, _ = _call(operation, store, clock)
    injector = inject(client, OPERATIONS[operation], FAULTS[fault])
    with pytest.raises(StoreUnavailable) as raised:
        action()
    assert injector.attempts == ATTEMPTS
    assert raised.value.operation.startswith(operation.split("_by_")[0])
    assert raised.value.table == store.table_name
    assert f"{raised.value.operation} on table '{store.table_name}' failed" in str(raised.value)
    assert isinstance(raised.value.__cause__, ClientError | BotoCoreError)


def test_a_failed_condition_after_a_lost_response_says_it_was_retried(
    client: DynamoDBClient, table: str, clock: ManualClock
) -> None:
    """A retried write whose condition failed carries RetryAttempts, as the store needs."""
    item = {"id": {"S": make_request(clock()).id}}
    lost = inject(client, "PutItem", lost_response(), Plan(attempts=1))
    with pytest.raises(ClientError) as raised:
        client.put_item(
            TableName=table,
            Item=item,
            ConditionExpression="attribute_not_exists(#id)",
            ExpressionAttributeNames={"#id": "id"},
        )
    assert raised.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 1
    assert lost.attempts == 2


@pytest.mark.parametrize("delay", [0.5, 0.01])
def test_a_late_response_is_waited_for_up_to_the_read_timeout(
    delay: float, moto_server: str, table: str, clock: ManualClock
) -> None:
    """A response later than the read timeout is given up on after it, and the call retried."""
    read_timeout = 0.05
    client = recommended_test_client(moto_server, read_timeout=read_timeout)
    store = DynamoDBRequestStore(client, table, clock=clock)
    request = make_request(clock())
    injector = inject(client, "PutItem", late_response(delay), Plan(attempts=2))
    started = time.monotonic()
    store.create(request)
    waited = time.monotonic() - started
    # Check a response past the timeout costs the timeout and a retry; one within it, its delay.
    attempts, least_wait = (3, 2 * read_timeout) if delay > read_timeout else (1, delay)
    assert injector.attempts == attempts
    assert waited >= least_wait
    assert store.get(request.id) == request


@pytest.mark.parametrize("fault", ["throttled", "internal error", "dropped connection"])
def test_a_failed_write_leaves_nothing_behind(
    fault: str, store: DynamoDBRequestStore, client: DynamoDBClient, clock: ManualClock
) -> None:
    """A create or update that failed for good has written nothing."""
    stored = make_request(clock(), requester=f"requester-{uuid.uuid4()}")
    store.create(stored)
    new = make_request(clock())
    create_faults = inject(client, "PutItem", FAULTS[fault])
    with pytest.raises(StoreUnavailable):
        store.create(new)
    update_faults = inject(client, "UpdateItem", FAULTS[fault])
    with pytest.raises(StoreUnavailable):
        store.update(stored.approve("carol", now=clock()))
    create_faults.stop()
    update_faults.stop()
    # Check nothing of the failed create, nor of the failed update, is stored.
    with pytest.raises(RequestNotFound):
        store.get(new.id)
    assert store.get(stored.id) == stored
    assert list(store.list_by_requester(stored.requester)) == [stored]


def test_a_missing_table_is_named_with_what_to_check(
    client: DynamoDBClient, clock: ManualClock
) -> None:
    """TableNotFound (a StoreUnavailable) names the table and how to provision it."""
    store = DynamoDBRequestStore(client, "no-such-table", clock=clock)
    for action in (
        lambda: store.get("0123456789abcdef"),
        lambda: store.create(make_request(clock())),
        lambda: store.list_by_status("pending"),  # type: ignore[arg-type]
    ):
        with pytest.raises(TableNotFound) as raised:
            action()
        assert "'no-such-table'" in str(raised.value)
        assert "does not exist" in str(raised.value)
        assert "create_table" in str(raised.value)


@pytest.mark.parametrize(
    "code", ["AccessDeniedException", "UnrecognizedClientException", "ExpiredTokenException"]
)
def test_denied_access_gets_its_own_message(
    code: str, store: DynamoDBRequestStore, client: DynamoDBClient
) -> None:
    """AccessDenied (a StoreUnavailable) says access was denied, and why, without retrying."""
    injector = inject(client, "GetItem", error_response(400, code))
    with pytest.raises(AccessDenied) as raised:
        store.get("0123456789abcdef")
    assert f"access denied ({code})" in str(raised.value)
    assert f"'{store.table_name}'" in str(raised.value)
    assert injector.attempts == 1
