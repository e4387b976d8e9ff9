"""AsyncInMemoryRequestStore: the in-memory store, awaited, for an asyncio service's tests."""

from __future__ import annotations

from datetime import datetime

from ..domain import Request, RequestStatus, utc_now
from ..ports import Clock, Page, RequestStore, documented_by
from .events.in_process import AsyncEventCallback, announce_async, check_on_event
from .memory import InMemoryRequestStore
from .sweep import Sweep


class AsyncInMemoryRequestStore:
    """An AsyncRequestStore that keeps requests in this process.

    Each method calls the same method of one ``InMemoryRequestStore`` and
    awaits nothing but ``on_event``: there is one implementation of every
    rule, and the sync store's lock is held only for moments, so no call
    blocks the event loop for long.

    Args:
        clock: Where the store reads the time; UTC now by default.
        on_event: Called with the RequestEvent of each change this store made,
            once it is done (a coroutine function is awaited); what it raises
            is logged, never raised (``access_requests.events``).
    """

    def __init__(
        self, *, clock: Clock | None = None, on_event: AsyncEventCallback | None = None
    ) -> None:
        check_on_event(on_event, awaits=True)
        self._on_event = on_event
        # The sync store announces nothing itself: its writes report what
        # they stored, and this store awaits on_event with it.
        self._clock: Clock = clock or utc_now
        self._store = InMemoryRequestStore(clock=self._clock)

    @documented_by(RequestStore.create)
    async def create(self, request: Request) -> None:
        await announce_async(self._on_event, created=self._store._create(request))

    @documented_by(RequestStore.get)
    async def get(self, request_id: str) -> Request:
        return self._store.get(request_id)

    @documented_by(RequestStore.update)
    async def update(self, request: Request) -> Request:
        stored, wrote = self._store._write(request)
        if wrote:
            await announce_async(self._on_event, updated=[stored])
        return stored

    @documented_by(RequestStore.delete)
    async def delete(self, request_id: str) -> None:
        self._store.delete(request_id)

    @documented_by(RequestStore.list_by_requester)
    async def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        return self._store.list_by_requester(requester, limit=limit, cursor=cursor)

    @documented_by(RequestStore.list_by_status)
    async def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        return self._store.list_by_status(status, limit=limit, cursor=cursor)

    @documented_by(RequestStore.list_by_profile)
    async def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        return self._store.list_by_profile(profile, limit=limit, cursor=cursor)

    @documented_by(RequestStore.list_pending)
    async def list_pending(
        self, *, now: datetime | None = None, limit: int = 100, cursor: str | None = None
    ) -> Page:
        return self._store.list_pending(now=now, limit=limit, cursor=cursor)

    @documented_by(RequestStore.find_active_approval)
    async def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        return self._store.find_active_approval(requester, profile, now=now)

    @documented_by(RequestStore.expire_overdue)
    async def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        sweep = Sweep.start(now, limit, self._clock)
        try:
            self._store._sweep(sweep)
        finally:
            await announce_async(self._on_event, updated=sweep.expired)
        return sweep.moved
