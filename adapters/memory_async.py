"""AsyncInMemoryRequestStore: the in-memory store, awaited, for an asyncio service's tests."""

from __future__ import annotations

from datetime import datetime

from ..domain import Request, RequestStatus
from ..ports import Clock, Page, RequestStore, documented_by
from .memory import InMemoryRequestStore


class AsyncInMemoryRequestStore:
    """An AsyncRequestStore that keeps requests in this process.

    Each method calls the same method of one ``InMemoryRequestStore`` and
    awaits nothing: there is one implementation of every rule, and the sync
    store's lock is held only for moments, so no call blocks the event loop
    for long.

    Args:
        clock: Where the store reads the time; UTC now by default.
    """

    def __init__(self, *, clock: Clock | None = None) -> None:
        self._store = InMemoryRequestStore(clock=clock)

    @documented_by(RequestStore.create)
    async def create(self, request: Request) -> None:
        self._store.create(request)

    @documented_by(RequestStore.get)
    async def get(self, request_id: str) -> Request:
        return self._store.get(request_id)

    @documented_by(RequestStore.update)
    async def update(self, request: Request) -> Request:
        return self._store.update(request)

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
        return self._store.expire_overdue(now=now, limit=limit)
