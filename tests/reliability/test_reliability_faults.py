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


@pytest.fixture
def clock() -> ManualClock:
    return suite_clock()


pytestmark = pytest.mark.usefixtures("no_backoff_sleep")

OPERATIONS = {
    "create": "PutItem",
    "get": "GetItem",
    "update": "UpdateItem",
    "delete": "DeleteItem",
    "list_by_requester": "Query",
    "list_pending": "Query",
}


def _call(
    operation: str, own_store: DynamoDBRequestStore, clock: ManualClock
) -> tuple[Callable[[], object], Request]:
    """Store a request and return the call of ``operation`` on it (or a new one)."""
    stored = make_request(clock(), requester=f"requester-{uuid.uuid4()}")
    own_store.create(stored)
    if operation == "create":
        return lambda: own_store.create(make_request(clock())), stored
    if operation == "get":
        return lambda: own_store.get(stored.id), stored
    if operation == "update":
        return lambda: own_store.update(stored.approve("carol", now=clock())), stored
    if operation == "delete":
        return lambda: own_store.delete(stored.id), stored
    if operation == "list_by_requester":
        return lambda: own_store.list_by_requester(stored.requester), stored
    return lambda: own_store.list_pending(limit=1), stored


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_passing_fault_is_retried_and_the_operation_succeeds(
    operation: str,
    fault: str,
    own_store: DynamoDBRequestStore,
    own_client: DynamoDBClient,
    clock: ManualClock,
    no_backoff_sleep: list[float],
) -> None:
    """Two faults in a row, then the backend answers: the caller sees only success."""
    action, _ = _call(operation, own_store, clock)
    injector = inject(own_client, OPERATIONS[operation], FAULTS[fault], Plan(attempts=2))
    action()
    assert injector.attempts == 3
    assert len(no_backoff_sleep) == 2


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_lasting_fault_raises_store_unavailable_naming_the_operation_and_table(
    operation: str,
    fault: str,
    own_store: DynamoDBRequestStore,
    own_client: DynamoDBClient,
    clock: ManualClock,
) -> None:
    """Once the retries are spent: StoreUnavailable, with the botocore error chained."""
    action, _ = _call(operation, own_store, clock)
    injector = inject(own_client, OPERATIONS[operation], FAULTS[fault])
    with pytest.raises(StoreUnavailable) as raised:
        action()
    assert injector.attempts == ATTEMPTS
    assert raised.value.operation.startswith(operation.split("_by_")[0])
    assert raised.value.table == own_store.table_name
    assert f"{raised.value.operation} on table '{own_store.table_name}' failed" in str(
        raised.value
    )
    assert isinstance(raised.value.__cause__, ClientError | BotoCoreError)


def test_a_failed_condition_after_a_lost_response_says_it_was_retried(
    own_client: DynamoDBClient, module_table: str, clock: ManualClock
) -> None:
    """A retried write whose condition failed carries RetryAttempts, as the store needs."""
    item = {"id": {"S": make_request(clock()).id}}
    lost = inject(own_client, "PutItem", lost_response(), Plan(attempts=1))
    with pytest.raises(ClientError) as raised:
        own_client.put_item(
            TableName=module_table,
            Item=item,
            ConditionExpression="attribute_not_exists(#id)",
            ExpressionAttributeNames={"#id": "id"},
        )
    assert raised.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 1
    assert lost.attempts == 2


@pytest.mark.parametrize("delay", [0.5, 0.01])
def test_a_late_response_is_waited_for_up_to_the_read_timeout(
    delay: float, moto_server: str, module_table: str, clock: ManualClock
) -> None:
    """A response later than the read timeout is given up on after it, and the call retried."""
    read_timeout = 0.05
    own_client = recommended_test_client(moto_server, read_timeout=read_timeout)
    own_store = DynamoDBRequestStore(own_client, module_table, clock=clock)
    request = make_request(clock())
    injector = inject(own_client, "PutItem", late_response(delay), Plan(attempts=2))
    started = time.monotonic()
    own_store.create(request)
    waited = time.monotonic() - started
    # Check a response past the timeout costs the timeout and a retry; one within it, its delay.
    attempts, least_wait = (3, 2 * read_timeout) if delay > read_timeout else (1, delay)
    assert injector.attempts == attempts
    assert waited >= least_wait
    assert own_store.get(request.id) == request


@pytest.mark.parametrize("fault", ["throttled", "internal error", "dropped connection"])
def test_a_failed_write_leaves_nothing_behind(
    fault: str, own_store: DynamoDBRequestStore, own_client: DynamoDBClient, clock: ManualClock
) -> None:
    """A create or update that failed for good has written nothing."""
    stored = make_request(clock(), requester=f"requester-{uuid.uuid4()}")
    own_store.create(stored)
    new = make_request(clock())
    create_faults = inject(own_client, "PutItem", FAULTS[fault])
    with pytest.raises(StoreUnavailable):
        own_store.create(new)
    update_faults = inject(own_client, "UpdateItem", FAULTS[fault])
    with pytest.raises(StoreUnavailable):
        own_store.update(stored.approve("carol", now=clock()))
    create_faults.stop()
    update_faults.stop()
    # Check nothing of the failed create, nor of the failed update, is stored.
    with pytest.raises(RequestNotFound):
        own_store.get(new.id)
    assert own_store.get(stored.id) == stored
    assert list(own_store.list_by_requester(stored.requester)) == [stored]


def test_a_missing_table_is_named_with_what_to_check(
    own_client: DynamoDBClient, clock: ManualClock
) -> None:
    """TableNotFound (a StoreUnavailable) names the table and how to provision it."""
    own_store = DynamoDBRequestStore(own_client, "no-such-table", clock=clock)
    for action in (
        lambda: own_store.get("0123456789abcdef"),
        lambda: own_store.create(make_request(clock())),
        lambda: own_store.list_by_status("pending"),  # type: ignore[arg-type]
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
    code: str, own_store: DynamoDBRequestStore, own_client: DynamoDBClient
) -> None:
    """AccessDenied (a StoreUnavailable) says access was denied, and why, without retrying."""
    injector = inject(own_client, "GetItem", error_response(400, code))
    with pytest.raises(AccessDenied) as raised:
        own_store.get("0123456789abcdef")
    assert f"access denied ({code})" in str(raised.value)
    assert f"'{own_store.table_name}'" in str(raised.value)
    assert injector.attempts == 1
