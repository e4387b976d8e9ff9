"""The AsyncRequestStore port: RequestStore, awaited."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ..domain import Request, RequestStatus
from ..ports import Page


class AsyncRequestStore(Protocol):
    """RequestStore with every method a coroutine: same arguments, results and errors.

    The full contract of each method is in ``access_requests.ports.RequestStore``.
    Every method may also raise StoreUnavailable. Every store is safe to share
    between the tasks of one event loop.
    """

    async def create(self, request: Request) -> None:
        """``RequestStore.create``, awaited: the same result and errors."""
        ...

    async def get(self, request_id: str) -> Request:
        """``RequestStore.get``, awaited: the same result and errors."""
        ...

    async def update(self, request: Request) -> Request:
        """``RequestStore.update``, awaited: the same result and errors."""
        ...

    async def delete(self, request_id: str) -> None:
        """``RequestStore.delete``, awaited: the same result and errors."""
        ...

    async def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """``RequestStore.list_by_requester``, awaited: the same result and errors."""
        ...

    async def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """``RequestStore.list_by_status``, awaited: the same result and errors."""
        ...

    async def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """``RequestStore.list_by_profile``, awaited: the same result and errors."""
        ...

    async def list_pending(
        self,
        *,
        now: datetime | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page:
        """``RequestStore.list_pending``, awaited: the same result and errors."""
        ...

    async def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        """``RequestStore.find_active_approval``, awaited: the same result and errors."""
        ...

    async def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        """``RequestStore.expire_overdue``, awaited: the same result and errors."""
        ...
