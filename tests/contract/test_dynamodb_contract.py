"""The contract suite against DynamoDBRequestStore, on every DynamoDB target.

- moto in-process (``mock_aws``): not thread-safe, and moto does not lock per
  item, so the thread tests are skipped there with that reason;
- a moto server over HTTP on 127.0.0.1: shared between threads, but still
  without per-item locking, so the contention test is skipped;
- the moto server again, through a client that strips the old item from
  every failed condition, as some DynamoDB-compatible engines answer: the
  store must give the same answers there, from the first call;
- any DynamoDB endpoint named by ACCESS_REQUESTS_DYNAMODB_ENDPOINT: see
  test_dynamodb_endpoint_contract.py.
"""

import uuid
from collections.abc import Iterator

import boto3
import pytest
from call_log import strip_old_items
from conftest import REGION, client_for
from moto import mock_aws
from mypy_boto3_dynamodb import DynamoDBClient
from strict_dynamodb import strict

from access_requests.adapters.dynamodb import DynamoDBRequestStore, create_table
from access_requests.contract_tests import ManualClock, RecordedEvents, RequestStoreContract


@pytest.fixture(scope="class")
def mocked_client() -> Iterator[DynamoDBClient]:
    """A client of moto's in-process mock, active for one test class only.

    While the mock is active it answers every boto3 client in the process, so
    it must not outlive the class that asked for it.
    """
    with mock_aws():
        yield strict(boto3.client("dynamodb", region_name=REGION))


class TestDynamoDBOnMotoInProcess(RequestStoreContract):
    supports_threads = False  # moto's in-process mock loses updates across threads
    atomic_conditional_writes = False  # moto does not lock per item

    @pytest.fixture
    def store(
        self, clock: ManualClock, events: RecordedEvents, mocked_client: DynamoDBClient
    ) -> Iterator[DynamoDBRequestStore]:
        name = f"access-requests-{uuid.uuid4().hex[:12]}"
        create_table(mocked_client, name)
        yield DynamoDBRequestStore(mocked_client, name, clock=clock, on_event=events.append)
        mocked_client.delete_table(TableName=name)


class TestDynamoDBOnMotoServer(RequestStoreContract):
    atomic_conditional_writes = False  # moto does not lock per item

    @pytest.fixture
    def store(
        self,
        clock: ManualClock,
        events: RecordedEvents,
        server_table: tuple[DynamoDBClient, str],
    ) -> DynamoDBRequestStore:
        client, name = server_table
        return DynamoDBRequestStore(client, name, clock=clock, on_event=events.append)


class TestDynamoDBOnAnEngineThatReturnsNoOldItem(RequestStoreContract):
    atomic_conditional_writes = False  # moto does not lock per item

    @pytest.fixture
    def store(
        self,
        clock: ManualClock,
        events: RecordedEvents,
        moto_server: str,
        server_table: tuple[DynamoDBClient, str],
    ) -> DynamoDBRequestStore:
        client = client_for(moto_server)
        strip_old_items(client)
        return DynamoDBRequestStore(
            client, server_table[1], clock=clock, on_event=events.append
        )
