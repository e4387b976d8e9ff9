"""AsyncInMemoryRequestStore: the in-memory store, awaited, for an asyncio service's tests."""

from __future__ import annotations

from datetime import datetime

from ..adapters.memory import InMemoryRequestStore
from ..domain import Request, RequestStatus
from ..ports import Clock, Page


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

    async def create(self, request: Request) -> None:
        """Store a new request; raise RequestExists if its id is taken."""
        self._store.create(request)

    async def get(self, request_id: str) -> Request:
        """Return the request with this id; raise RequestNotFound if there is none."""
        return self._store.get(request_id)

    async def update(self, request: Request) -> Request:
        """Write status, approver and comment under the lock rule; return the request."""
        return self._store.update(request)

    async def delete(self, request_id: str) -> None:
        """Remove the request with this id, if there is one."""
        self._store.delete(request_id)

    async def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of this requester's requests, newest first."""
        return self._store.list_by_requester(requester, limit=limit, cursor=cursor)

    async def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests in this status, newest first."""
        return self._store.list_by_status(status, limit=limit, cursor=cursor)

    async def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests for this profile, newest first."""
        return self._store.list_by_profile(profile, limit=limit, cursor=cursor)

    async def list_pending(
        self, *, now: datetime | None = None, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of requests pending and not expired at ``now``."""
        return self._store.list_pending(now=now, limit=limit, cursor=cursor)

    async def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        """Return the newest request of ``requester`` for ``profile`` granting access now."""
        return self._store.find_active_approval(requester, profile, now=now)

    async def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        """Move pending requests whose expires_at has passed to expired; return how many."""
        return self._store.expire_overdue(now=now, limit=limit)
