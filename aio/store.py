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
        """Store a new request.

        Raises:
            RequestExists: A request with this id is already stored.
            InvalidRequest: ``request`` is not a writable Request; before any I/O.
        """
        ...

    async def get(self, request_id: str) -> Request:
        """Return the stored request with this id.

        Raises:
            RequestNotFound: No request has this id.
            InvalidRequest: The id is malformed (raised before any I/O).
            CorruptItem: The stored item cannot be decoded.
        """
        ...

    async def update(self, request: Request) -> Request:
        """Write a request's status, approver and comment; return it as stored.

        Succeeds only if the stored request still has the updated_at of
        ``request.lock_token`` and is pending, checked atomically with the write.

        Raises:
            RequestNotFound: No request has this id.
            ConcurrentModification: The stored updated_at differs from the
                token (this wins over InvalidTransition).
            InvalidTransition: The stored request is terminal.
            InvalidRequest: ``request`` is not a Request, or its decision
                breaks this library's limits; before any I/O.
        """
        ...

    async def delete(self, request_id: str) -> None:
        """Remove the request with this id; no error if there is none.

        Raises:
            InvalidRequest: The id is malformed (raised before any I/O).
        """
        ...

    async def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of this requester's requests, newest first by created_at.

        Raises:
            InvalidCursor: The cursor is not one this listing handed out.
            InvalidRequest: The requester or the limit is malformed.
            CorruptItem: A stored item cannot be decoded.
        """
        ...

    async def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests in this status, newest first.

        Raises:
            InvalidCursor: The cursor is not one this listing handed out.
            InvalidRequest: The status or the limit is malformed.
            CorruptItem: A stored item cannot be decoded.
        """
        ...

    async def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests for this profile, newest first.

        Raises:
            InvalidCursor: The cursor is not one this listing handed out.
            InvalidRequest: The profile or the limit is malformed.
            CorruptItem: A stored item cannot be decoded.
        """
        ...

    async def list_pending(
        self,
        *,
        now: datetime | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page:
        """Return one page of requests pending and not expired at ``now``, newest first.

        ``now`` defaults to the store's clock. Every page but the last is full.

        Raises:
            InvalidCursor: The cursor is not one this listing handed out.
            InvalidRequest: ``now`` or the limit is malformed.
            CorruptItem: A stored item cannot be decoded.
        """
        ...

    async def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        """Return the newest request of ``requester`` for ``profile`` granting access now.

        Raises:
            InvalidRequest: The requester, the profile or ``now`` is malformed.
            CorruptItem: A stored item cannot be decoded.
        """
        ...

    async def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        """Move pending requests whose expires_at has passed at ``now`` to expired.

        Returns how many it moved, at most ``limit``; call again until it returns 0.

        Raises:
            InvalidRequest: ``now`` or the limit is malformed.
            CorruptItem: A stored item cannot be decoded.
        """
        ...
