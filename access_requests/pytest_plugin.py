"""pytest fixtures for services that embed access-requests.

Installed with the package (entry point ``pytest11``), so a service's tests
can ask for them by name without any set-up:

- ``frozen_clock``: a ManualClock holding the time the test started; move it
  with ``frozen_clock.advance(...)``.
- ``access_request_store``: a fresh InMemoryRequestStore per test, reading
  ``frozen_clock``.
- ``dynamodb_access_request_store``: a DynamoDBRequestStore on moto's
  in-process DynamoDB, its table provisioned, reading ``frozen_clock``.
  It needs moto (``pip install 'access-requests[local]'``).

Nothing heavy is imported until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .adapters.dynamodb import DynamoDBRequestStore
    from .adapters.memory import InMemoryRequestStore
    from .ports import ManualClock

PLUGIN_TABLE = "access-requests"


@pytest.fixture
def frozen_clock() -> ManualClock:
    """The time the test started, standing still until the test moves it."""
    from .ports import ManualClock

    return ManualClock()


@pytest.fixture
def access_request_store(frozen_clock: ManualClock) -> InMemoryRequestStore:
    """A fresh, empty in-memory store that reads ``frozen_clock``."""
    from .adapters.memory import InMemoryRequestStore

    return InMemoryRequestStore(clock=frozen_clock)


@pytest.fixture
def dynamodb_access_request_store(
    frozen_clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[DynamoDBRequestStore]:
    """A DynamoDBRequestStore on moto's in-process DynamoDB, with the table provisioned."""
    try:
        import boto3
        from moto import mock_aws
    except ImportError:
        pytest.fail(
            "dynamodb_access_request_store needs moto: pip install 'access-requests[local]'"
        )
    from .adapters.dynamodb import DynamoDBRequestStore, create_table

    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client, PLUGIN_TABLE)
        yield DynamoDBRequestStore(client, PLUGIN_TABLE, clock=frozen_clock)
