"""The async stores: the whole contract suite through a blocking facade, and asyncio cases.

The facade runs each coroutine on one event loop of its own, in a thread of
its own, so the contract's threads may share it as they share a sync store:
every call from any thread is a task on that one loop, which is how an
asyncio service uses its store.
"""

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import AsyncExitStack
from datetime import datetime
from typing import Any, TypeVar

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
from access_requests.contract_tests import ManualClock, RequestStoreContract, make_request
from access_requests.domain import Request, RequestStatus
from access_requests.ports import ConcurrentModification, Page

T = TypeVar("T")
AsyncStore = AsyncInMemoryRequestStore | AsyncDynamoDBRequestStore


class EventLoopThread:
    """One event loop, running in a thread of its own until closed."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the loop and return its result, from any thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def close(self) -> None:
        """Stop the loop, wait for its thread, and close it."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


class BlockingStore:
    """A RequestStore whose every call runs the async store's coroutine to completion."""

    def __init__(self, store: AsyncStore, loop: EventLoopThread) -> None:
        self._store = store
        self._loop = loop

    def create(self, request: Request) -> None:
        self._loop.run(self._store.create(request))

    def get(self, request_id: str) -> Request:
        return self._loop.run(self._store.get(request_id))

    def update(self, request: Request) -> Request:
        return self._loop.run(self._store.update(request))

    def delete(self, request_id: str) -> None:
        self._loop.run(self._store.delete(request_id))

    def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        return self._loop.run(
            self._store.list_by_requester(requester, limit=limit, cursor=cursor)
        )

    def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        return self._loop.run(self._store.list_by_status(status, limit=limit, cursor=cursor))

    def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        return self._loop.run(self._store.list_by_profile(profile, limit=limit, cursor=cursor))

    def list_pending(
        self, *, now: datetime | None = None, limit: int = 100, cursor: str | None = None
    ) -> Page:
        return self._loop.run(self._store.list_pending(now=now, limit=limit, cursor=cursor))

    def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        return self._loop.run(self._store.find_active_approval(requester, profile, now=now))

    def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        return self._loop.run(self._store.expire_overdue(now=now, limit=limit))


@pytest.fixture
def loop() -> Iterator[EventLoopThread]:
    """An event loop in its own thread, closed after the test."""
    running = EventLoopThread()
    yield running
    running.close()


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


class TestAsyncInMemoryRequestStore(RequestStoreContract):
    @pytest.fixture
    def store(self, clock: ManualClock, loop: EventLoopThread) -> BlockingStore:
        return BlockingStore(AsyncInMemoryRequestStore(clock=clock), loop)


class TestAsyncDynamoDBOnMotoServer(RequestStoreContract):
    atomic_conditional_writes = False  # moto does not lock per item

    @pytest.fixture
    def store(
        self,
        clock: ManualClock,
        loop: EventLoopThread,
        moto_server: str,
        server_table_name: str,
    ) -> Iterator[BlockingStore]:
        stack = AsyncExitStack()
        client = loop.run(open_client(stack, moto_server))
        yield BlockingStore(
            AsyncDynamoDBRequestStore(client, server_table_name, clock=clock), loop
        )
        loop.run(stack.aclose())


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
        stored = await store.get(request.id)
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
