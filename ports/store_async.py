"""The AsyncRequestStore port: RequestStore, awaited."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ..domain import Request, RequestStatus
from .page import Page
from .store import RequestStore, documented_by


class AsyncRequestStore(Protocol):
    """RequestStore with every method a coroutine: same arguments, results and errors.

    Every method may also raise StoreUnavailable. Every store is safe to share
    between the tasks of one event loop.
    """

    @documented_by(RequestStore.create)
    async def create(self, request: Request) -> None: ...

    @documented_by(RequestStore.get)
    async def get(self, request_id: str) -> Request: ...

    @documented_by(RequestStore.update)
    async def update(self, request: Request) -> Request: ...

    @documented_by(RequestStore.delete)
    async def delete(self, request_id: str) -> None: ...

    @documented_by(RequestStore.list_by_requester)
    async def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page: ...

    @documented_by(RequestStore.list_by_status)
    async def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page: ...

    @documented_by(RequestStore.list_by_profile)
    async def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page: ...

    @documented_by(RequestStore.list_pending)
    async def list_pending(
        self, *, now: datetime | None = None, limit: int = 100, cursor: str | None = None
    ) -> Page: ...

    @documented_by(RequestStore.find_active_approval)
    async def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None: ...

    @documented_by(RequestStore.expire_overdue)
    async def expire_overdue(
        self, *, now: datetime | None = None, limit: int = 1000
    ) -> int: ...
