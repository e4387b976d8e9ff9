"""The contract suite against DynamoDBRequestStore on ACCESS_REQUESTS_DYNAMODB_ENDPOINT.

Skipped when the variable is unset. The run creates a uniquely named table
there, empties it around each test, and deletes it at the end. Everything
runs, the contention test included: a real DynamoDB serializes conditional
writes to one item.
"""

import os
from collections.abc import Iterator

import pytest
from conftest import ENDPOINT_VARIABLE, empty_table
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.contract_tests import ManualClock, RecordedEvents, RequestStoreContract

if not os.environ.get(ENDPOINT_VARIABLE):
    pytest.skip(f"{ENDPOINT_VARIABLE} is not set", allow_module_level=True)


class TestDynamoDBOnEndpoint(RequestStoreContract):
    @pytest.fixture
    def store(
        self,
        clock: ManualClock,
        events: RecordedEvents,
        endpoint_table: tuple[DynamoDBClient, str],
    ) -> Iterator[DynamoDBRequestStore]:
        client, name = endpoint_table
        empty_table(client, name)
        yield DynamoDBRequestStore(client, name, clock=clock, on_event=events.append)
        empty_table(client, name)
