"""Faults: botocore retries them; once retries are spent, StoreUnavailable says what failed.

Faults are injected with a botocore ``before-send`` hook, so that the request
never reaches the moto server: throttling, internal errors, unavailability,
timeouts and dropped connections. The client is built with the recommended
configuration (standard retries, 5 attempts); backoff sleeps are skipped.
"""

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import boto3
import botocore.endpoint
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from conftest import REGION
from mypy_boto3_dynamodb import DynamoDBClient
from strict_dynamodb import strict

from access_requests.adapters.dynamodb import (
    AccessDenied,
    DynamoDBRequestStore,
    TableNotFound,
    create_table,
    recommended_client,
)
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import Request
from access_requests.ports import RequestNotFound, StoreUnavailable

ATTEMPTS = 5  # recommended_config: standard retries, 5 attempts in all
SESSION = boto3.session.Session()  # loads the service model once for all the clients


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def error_response(status: int, code: str) -> Callable[[AWSPreparedRequest], AWSResponse]:
    """A fault that answers with DynamoDB's error ``code`` and HTTP ``status``."""

    def respond(request: AWSPreparedRequest) -> AWSResponse:
        body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": code}
        headers = HTTPHeaders()
        headers["x-amzn-requestid"] = "injected-fault"
        headers["content-type"] = "application/x-amz-json-1.0"
        return AWSResponse(request.url, status, headers, _Body(json.dumps(body).encode()))

    return respond


def raising(error: type[BotoCoreError]) -> Callable[[AWSPreparedRequest], AWSResponse]:
    """A fault that fails the connection with ``error``, as the network would."""

    def fail(request: AWSPreparedRequest) -> AWSResponse:
        raise error(endpoint_url=request.url)

    return fail


FAULTS = {
    "throttled": error_response(400, "ProvisionedThroughputExceededException"),
    "throttling": error_response(400, "ThrottlingException"),
    "internal error": error_response(500, "InternalServerError"),
    "unavailable": error_response(503, "ServiceUnavailable"),
    "read timeout": raising(ReadTimeoutError),
    "dropped connection": raising(ConnectionClosedError),
    "no connection": raising(EndpointConnectionError),
}


@attrs.define
class FaultInjector:
    """Answers the next ``times`` requests of ``operation`` with ``fault`` (all, if None)."""

    fault: Callable[[AWSPreparedRequest], AWSResponse]
    times: int | None
    sent: int = 0

    def __call__(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        self.sent += 1
        if self.times is None or self.sent <= self.times:
            return self.fault(request)
        return None


def inject(
    client: DynamoDBClient, operation: str, fault: str, times: int | None
) -> FaultInjector:
    injector = FaultInjector(FAULTS[fault], times)
    # A before-send handler may answer with the response; botocore's stubs say None.
    client.meta.events.register_first(
        f"before-send.dynamodb.{operation}",
        injector,  # type: ignore[arg-type]
    )
    return injector


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Skip botocore's backoff sleeps, recording them."""
    delays: list[float] = []

    class Time:
        @staticmethod
        def sleep(seconds: float) -> None:
            delays.append(seconds)

    monkeypatch.setattr(botocore.endpoint, "time", Time)
    return delays


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="module")
def table(moto_server: str) -> Iterator[str]:
    """One table for the module; each test works on requests of its own."""
    client = recommended_client(region_name=REGION, endpoint_url=moto_server)
    create_table(client, "faults")
    yield "faults"
    client.delete_table(TableName="faults")


@pytest.fixture
def client(moto_server: str, table: str) -> DynamoDBClient:
    """A client of the test's own, so that its fault hooks end with the test."""
    return strict(
        recommended_client(region_name=REGION, endpoint_url=moto_server, session=SESSION)
    )


@pytest.fixture
def store(client: DynamoDBClient, clock: ManualClock) -> DynamoDBRequestStore:
    return DynamoDBRequestStore(client, "faults", clock=clock)


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
    injector = inject(client, OPERATIONS[operation], fault, times=2)
    action()
    assert injector.sent == 3
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
    injector = inject(client, OPERATIONS[operation], fault, times=None)
    with pytest.raises(StoreUnavailable) as raised:
        action()
    assert injector.sent == ATTEMPTS
    assert raised.value.operation.startswith(operation.split("_by_")[0])
    assert raised.value.table == "faults"
    assert f"{raised.value.operation} on table 'faults' failed" in str(raised.value)
    assert isinstance(raised.value.__cause__, ClientError | BotoCoreError)


@pytest.mark.parametrize("fault", ["throttled", "internal error", "dropped connection"])
def test_a_failed_write_leaves_nothing_behind(
    fault: str, store: DynamoDBRequestStore, client: DynamoDBClient, clock: ManualClock
) -> None:
    """A create or update that failed for good has written nothing."""
    stored = make_request(clock(), requester=f"requester-{uuid.uuid4()}")
    store.create(stored)
    new = make_request(clock())
    create_faults = inject(client, "PutItem", fault, times=None)
    with pytest.raises(StoreUnavailable):
        store.create(new)
    update_faults = inject(client, "UpdateItem", fault, times=None)
    with pytest.raises(StoreUnavailable):
        store.update(stored.approve("carol", now=clock()))
    create_faults.times = update_faults.times = 0
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
    FAULTS[code] = error_response(400, code)
    try:
        injector = inject(client, "GetItem", code, times=None)
        with pytest.raises(AccessDenied) as raised:
            store.get("0123456789abcdef")
    finally:
        del FAULTS[code]
    assert f"access denied ({code})" in str(raised.value)
    assert "'faults'" in str(raised.value)
    assert injector.sent == 1
