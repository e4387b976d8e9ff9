"""The async stores: the whole contract suite through the shipped bridge, and asyncio cases."""

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from contextlib import AsyncExitStack
from datetime import datetime
from typing import Any

import attrs
import pytest
from aiobotocore.session import get_session
from conftest import REGION, client_for
from types_aiobotocore_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import create_table
from access_requests.aio import (
    AsyncDynamoDBRequestStore,
    AsyncInMemoryRequestStore,
    AsyncRequestStore,
)
from access_requests.contract_tests import (
    AsyncRequestStoreContract,
    EventLoopThread,
    ManualClock,
    RecordedEvents,
    make_request,
)
from access_requests.domain import Request, RequestStatus
from access_requests.ports import ConcurrentModification


async def open_client(stack: AsyncExitStack, endpoint: str) -> DynamoDBClient:
    """An aiobotocore DynamoDB client for ``endpoint``, closed with ``stack``."""
    session = get_session()
    return await stack.enter_async_context(
        session.create_client("dynamodb", region_name=REGION, endpoint_url=endpoint)
    )


@pytest.fixture
def server_table_name(moto_server: str) -> Iterator[str]:
    """A fresh table on the moto server, made with the sync client, deleted after the test."""
    client = client_for(moto_server)
    name = f"access-requests-{uuid.uuid4().hex[:12]}"
    create_table(client, name)
    yield name
    client.delete_table(TableName=name)


class TestAsyncInMemoryRequestStore(AsyncRequestStoreContract):
    @pytest.fixture
    def async_store(
        self, clock: ManualClock, events: RecordedEvents, event_loop_thread: EventLoopThread
    ) -> AsyncInMemoryRequestStore:
        return AsyncInMemoryRequestStore(clock=clock, on_event=events.append)


class TestAsyncDynamoDBOnMotoServer(AsyncRequestStoreContract):
    atomic_conditional_writes = False  # moto does not lock per item

    @pytest.fixture
    def async_store(
        self,
        clock: ManualClock,
        events: RecordedEvents,
        event_loop_thread: EventLoopThread,
        moto_server: str,
        server_table_name: str,
    ) -> Iterator[AsyncDynamoDBRequestStore]:
        stack = AsyncExitStack()
        client = event_loop_thread.run(open_client(stack, moto_server))
        yield AsyncDynamoDBRequestStore(
            client, server_table_name, clock=clock, on_event=events.append
        )
        event_loop_thread.run(stack.aclose())


def test_tasks_contending_for_one_request_lose_no_update() -> None:
    """64 tasks update one request from the same copy: exactly one wins, the rest are told."""

    async def contend() -> None:
        store = AsyncInMemoryRequestStore()
        request = make_request(ManualClock()())
        await store.create(request)
        fresh = await store.get(request.id)
        attempts = [
            store.update(attrs.evolve(fresh, approver_comment=f"task {number}"))
            for number in range(64)
        ]
        outcomes = await asyncio.gather(*attempts, return_exceptions=True)
        wins = [outcome for outcome in outcomes if isinstance(outcome, Request)]
        losses = [o for o in outcomes if isinstance(o, ConcurrentModification)]
        # Check exactly one won, and every other task was told it lost.
        assert len(wins) == 1
        assert len(losses) == 63
        # Check the stored request is the winner's write.
        assert await store.get(request.id) == wins[0]

    asyncio.run(contend())


def test_async_dynamodb_store_creates_reads_and_updates_over_http(
    moto_server: str, server_table_name: str
) -> None:
    """The async DynamoDB store keeps a request and its approval, over HTTP."""

    async def story() -> None:
        async with AsyncExitStack() as stack:
            client = await open_client(stack, moto_server)
            store: AsyncRequestStore = AsyncDynamoDBRequestStore(client, server_table_name)
            request = make_request(datetime.now().astimezone())
            await store.create(request)
            # Check the request reads back as written.
            stored = await store.get(request.id)
            assert stored == request
            # Check the approval is stored and read back.
            approved = await store.update(stored.approve("bob@example.com", "go ahead"))
            assert approved.status is RequestStatus.APPROVED
            assert await store.get(request.id) == approved

    asyncio.run(story())


async def settled(store: AsyncDynamoDBRequestStore, request_id: str) -> Request:
    """The stored request once two reads 20 ms apart agree.

    A cancelled call's request may still be in the server's hands; moto
    applies an UpdateItem's SET clauses one by one without a lock, so a read
    made meanwhile can see half of it (DynamoDB never shows one).
    """
    stored = await store.get(request_id)
    for _ in range(100):
        await asyncio.sleep(0.02)
        again = await store.get(request_id)
        if again == stored and again.lock_token == stored.lock_token:
            return again
        stored = again
    raise AssertionError(f"request {request_id} did not settle in 2 seconds")


def test_a_task_cancelled_mid_update_leaves_the_request_whole(
    moto_server: str, server_table_name: str
) -> None:
    """Cancelled at every point of its calls, an update is applied whole or not at all.

    And the caller's retry of the same update, from the same copy, then succeeds.
    """

    async def cancel_at(steps: int, store: AsyncDynamoDBRequestStore) -> None:
        request = make_request(datetime.now().astimezone())
        await store.create(request)
        copy = await store.get(request.id)
        decision = copy.approve("carol", "on call")
        task = asyncio.ensure_future(store.update(decision))
        for _ in range(steps):
            await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        stored = await settled(store, request.id)
        # Check the request is either untouched or carries the whole decision.
        if stored.status is RequestStatus.PENDING:
            assert stored == copy
        else:
            assert (stored.status, stored.approver, stored.approver_comment) == (
                RequestStatus.APPROVED,
                "carol",
                "on call",
            )
        # Check the caller's retry of the same update is told where it stands.
        assert (await store.update(decision)).status is RequestStatus.APPROVED

    async def story() -> None:
        async with AsyncExitStack() as stack:
            client = await open_client(stack, moto_server)
            store = AsyncDynamoDBRequestStore(client, server_table_name)
            for steps in range(0, 40, 2):
                await cancel_at(steps, store)

    asyncio.run(story())


def test_async_dynamodb_store_refuses_a_sync_client(moto_server: str) -> None:
    """A boto3 resource is refused with a hint, before any call."""
    import boto3

    resource: Any = boto3.resource("dynamodb", region_name=REGION, endpoint_url=moto_server)
    with pytest.raises(TypeError, match="aiobotocore"):
        AsyncDynamoDBRequestStore(resource, "requests")
