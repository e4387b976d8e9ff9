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
- ``async_access_request_store``: a fresh AsyncInMemoryRequestStore per
  test, reading ``frozen_clock``. A plain fixture: any async test runner
  (anyio, pytest-asyncio) can await its methods.
- ``async_dynamodb_access_request_store``: an AsyncDynamoDBRequestStore on a
  moto server on 127.0.0.1 (one a session), its own table per test, reading
  ``frozen_clock``. An async fixture: run the test with anyio's plugin
  (``@pytest.mark.anyio``) or pytest-asyncio in auto mode. It needs moto's
  server and aiobotocore (``pip install 'access-requests[local,async]'``).
- ``async_dynamodb_access_request_store_factory``: the same store, as a plain
  fixture giving ``async with factory() as store``. Under anyio an async
  fixture cannot be had from ``request.getfixturevalue`` inside an async test
  (the loop is already running); this one can.

The emulator's request lines (werkzeug at INFO) are kept out of the logs a
failed test shows. Nothing heavy is imported until a fixture is used.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .adapters.dynamodb import DynamoDBRequestStore
    from .adapters.memory import InMemoryRequestStore
    from .aio import AsyncDynamoDBRequestStore, AsyncInMemoryRequestStore
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


@pytest.fixture
def async_access_request_store(frozen_clock: ManualClock) -> AsyncInMemoryRequestStore:
    """A fresh, empty async in-memory store that reads ``frozen_clock``."""
    from .aio import AsyncInMemoryRequestStore

    return AsyncInMemoryRequestStore(clock=frozen_clock)


@pytest.fixture(scope="session")
def access_requests_moto_endpoint() -> Iterator[str]:
    """The endpoint of a moto server on 127.0.0.1, for the session."""
    from .local import EmulatorUnavailable, local_dynamodb

    with contextlib.ExitStack() as stack:
        try:
            emulator = stack.enter_context(local_dynamodb())
        except EmulatorUnavailable as error:
            pytest.fail(str(error))
        yield emulator.endpoint_url


StoreFactory = Callable[[], AbstractAsyncContextManager["AsyncDynamoDBRequestStore"]]


@pytest.fixture
def async_dynamodb_access_request_store_factory(
    frozen_clock: ManualClock, access_requests_moto_endpoint: str
) -> StoreFactory:
    """``async with factory() as store``: an AsyncDynamoDBRequestStore on a fresh table."""
    try:
        from aiobotocore.session import get_session
    except ImportError:
        pytest.fail("aiobotocore is needed: pip install 'access-requests[async]'")
    import boto3

    from .adapters.dynamodb import create_table
    from .aio import AsyncDynamoDBRequestStore

    settings = {
        "region_name": "us-east-1",
        "endpoint_url": access_requests_moto_endpoint,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }

    @asynccontextmanager
    async def factory() -> AsyncIterator[AsyncDynamoDBRequestStore]:
        table = f"{PLUGIN_TABLE}-{uuid.uuid4().hex[:12]}"
        create_table(boto3.client("dynamodb", **settings), table)  # type: ignore[call-overload]
        async with get_session().create_client("dynamodb", **settings) as client:  # type: ignore[call-overload]
            yield AsyncDynamoDBRequestStore(client, table, clock=frozen_clock)

    return factory


@pytest.fixture
async def async_dynamodb_access_request_store(
    async_dynamodb_access_request_store_factory: StoreFactory,
) -> AsyncIterator[AsyncDynamoDBRequestStore]:
    """An AsyncDynamoDBRequestStore on the moto server, on a fresh table of its own."""
    async with async_dynamodb_access_request_store_factory() as store:
        yield store
