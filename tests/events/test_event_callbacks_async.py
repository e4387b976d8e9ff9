"""on_event on the async stores: a coroutine function is awaited, a failure logged."""

import asyncio
import logging
import uuid
from collections.abc import Iterator
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest
from aiobotocore.session import get_session
from conftest import REGION, client_for

from access_requests.adapters.dynamodb import DynamoDBRequestStore, create_table
from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.aio import AsyncDynamoDBRequestStore, AsyncInMemoryRequestStore
from access_requests.contract_tests import make_request, suite_clock
from access_requests.domain import InvalidRequest
from access_requests.events import EventType, RequestEvent


async def story(store: AsyncInMemoryRequestStore | AsyncDynamoDBRequestStore) -> None:
    """Create one request, approve it, create one more that the sweep expires."""
    clock = suite_clock()
    approved = make_request(clock(), ttl=timedelta(hours=1))
    overdue = make_request(clock(), ttl=timedelta(minutes=30))
    await store.create(approved)
    await store.create(overdue)
    await store.create(overdue)  # a caller's retry: no second event
    await store.update((await store.get(approved.id)).approve("carol", now=clock()))
    assert await store.expire_overdue(now=clock() + timedelta(minutes=31)) == 1


@pytest.fixture
def table_name(moto_server: str) -> Iterator[str]:
    """A fresh table on the moto server, deleted after the test."""
    client = client_for(moto_server)
    name = f"access-requests-{uuid.uuid4().hex[:12]}"
    create_table(client, name)
    yield name
    client.delete_table(TableName=name)


def test_the_async_in_memory_store_awaits_a_coroutine_function() -> None:
    """Each change's event reaches an async callback, in order."""
    received: list[RequestEvent] = []

    async def deliver(event: RequestEvent) -> None:
        await asyncio.sleep(0)
        received.append(event)

    asyncio.run(story(AsyncInMemoryRequestStore(clock=suite_clock(), on_event=deliver)))
    assert [e.type for e in received] == [
        EventType.CREATED,
        EventType.CREATED,
        EventType.APPROVED,
        EventType.EXPIRED,
    ]


def test_the_async_dynamodb_store_awaits_a_coroutine_function(
    moto_server: str, table_name: str
) -> None:
    """The same story on DynamoDB gives the same events as in memory."""
    received: list[RequestEvent] = []

    async def deliver(event: RequestEvent) -> None:
        await asyncio.sleep(0)
        received.append(event)

    async def run() -> None:
        async with AsyncExitStack() as stack:
            client = await stack.enter_async_context(
                get_session().create_client(
                    "dynamodb", region_name=REGION, endpoint_url=moto_server
                )
            )
            await story(
                AsyncDynamoDBRequestStore(
                    client, table_name, clock=suite_clock(), on_event=deliver
                )
            )

    asyncio.run(run())
    assert [(e.type, e.actor) for e in received] == [
        (EventType.CREATED, "alice@example.com"),
        (EventType.CREATED, "alice@example.com"),
        (EventType.APPROVED, "carol"),
        (EventType.EXPIRED, "system"),
    ]


def test_a_failing_async_callback_never_fails_a_done_write(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The writes are done, and each failure is logged with its event id."""

    async def refuse(event: RequestEvent) -> None:
        raise ConnectionError(f"webhook down for {event.type.value}")

    store = AsyncInMemoryRequestStore(clock=suite_clock(), on_event=refuse)
    with caplog.at_level(logging.ERROR, logger="access_requests"):
        asyncio.run(story(store))
    assert caplog.text.count("on_event failed for event") == 4
    assert "webhook down for request.expired" in caplog.text


def test_a_sync_store_refuses_a_coroutine_function_when_built(moto_server: str) -> None:
    """Its events would never run: InvalidRequest names on_event."""

    async def deliver(event: RequestEvent) -> None:
        pass

    with pytest.raises(InvalidRequest, match="on_event"):
        InMemoryRequestStore(on_event=deliver)
    with pytest.raises(InvalidRequest, match="on_event"):
        DynamoDBRequestStore(client_for(moto_server), "requests", on_event=deliver)
