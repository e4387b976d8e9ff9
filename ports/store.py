"""The RequestStore port: what every store of requests does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from ..domain import Request, RequestStatus
from .page import Page

F = TypeVar("F", bound=Callable[..., Any])


class RequestStore(Protocol):
    """Stores requests; adapters satisfy it without inheriting from it.

    Every method may also raise StoreUnavailable when the backend fails
    after its own retries. Every store is safe to share between threads.
    """

    def create(self, request: Request) -> None:
        """Store a new request.

        Creating the same request again succeeds: the stored item is exactly
        this request, so it is the caller's retry (of a call whose answer was
        lost), not a clash.

        Raises:
            RequestExists: Another request is already stored under this id.
            InvalidRequest: ``request`` is not a Request, breaks this library's
                limits (``Request.check_writable``), or was created more than
                5 minutes after the store's clock; before any I/O.
        """
        ...

    def get(self, request_id: str) -> Request:
        """Return the stored request with this id.

        Raises:
            RequestNotFound: No request has this id.
            InvalidRequest: The id is malformed (raised before any I/O).
            CorruptItem: The stored item cannot be decoded.
        """
        ...

    def update(self, request: Request) -> Request:
        """Write a request's status, approver and comment; return it as stored.

        The lock token is ``request.lock_token``, the updated_at the store
        held when it handed the request out (derived from ``updated_at`` for
        a request built by hand). The write succeeds only if the stored
        request still has that updated_at and is pending, checked atomically
        with the write. The stored updated_at becomes
        ``max(clock(), token + 1 microsecond)``, never a value the item held
        before; no other field is rewritten.

        A retry is safe: where the stored request is exactly this copy's
        decision written over its token (the caller's retry, or a second
        caller making the same decision from the same copy), it is returned
        as stored. The store's clock decides: approve, deny and cancel are
        refused once expires_at has passed by it, approve also once the
        access window (created_at + duration) has ended.

        Raises:
            RequestNotFound: No request has this id.
            ConcurrentModification: The stored updated_at differs from the
                token (this wins over InvalidTransition).
            InvalidTransition: The stored request is terminal, or the store's
                clock refuses the decision; before any write.
            InvalidRequest: ``request`` is not a Request, or its decision
                breaks this library's limits; before any I/O.
            CorruptItem: The stored item would not read; nothing is written.
        """
        ...

    def delete(self, request_id: str) -> None:
        """Remove the request with this id; no error if there is none.

        Raises:
            InvalidRequest: The id is malformed (raised before any I/O).
        """
        ...

    def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of this requester's requests, newest first by created_at.

        Raises:
            InvalidCursor: The cursor is not one this listing handed out.
            InvalidRequest: The requester or the limit is malformed.
            CorruptItem: A stored item cannot be decoded.
        """
        ...

    def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests in this status, newest first.

        Raises:
            InvalidCursor: The cursor is not one this listing handed out.
            InvalidRequest: The status or the limit is malformed.
            CorruptItem: A stored item cannot be decoded.
        """
        ...

    def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests for this profile, newest first.

        Raises:
            InvalidCursor: The cursor is not one this listing handed out.
            InvalidRequest: The profile or the limit is malformed.
            CorruptItem: A stored item cannot be decoded.
        """
        ...

    def list_pending(
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

    def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        """Return the newest request of ``requester`` for ``profile`` granting access now.

        A request grants access while it is approved, ``now <= expires_at``
        and ``now <= created_at + duration`` (``Request.grants_access``).
        ``now`` defaults to the store's clock. Only requests created in the
        last MAX_DURATION (and, for offset timestamps, 14 hours more) are read.

        Raises:
            InvalidRequest: The requester, the profile or ``now`` is malformed.
            CorruptItem: A stored item cannot be decoded.
        """
        ...

    def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        """Move pending requests whose expires_at has passed at ``now`` to expired.

        Each is moved under the lock rule of ``update``: a request decided
        meanwhile is left alone, and a sweep running at the same time moves
        each request once. Returns exactly how many it moved, at most
        ``limit`` (0 or less means 1000), also when a response was lost and
        retried; call again until it returns 0. A stored item that does not
        decode is skipped and named in the log; it never stops the sweep.

        Raises:
            InvalidRequest: ``now`` or the limit is malformed.
            StoreUnavailable: The backend failed part-way, after its retries;
                its ``moved`` says how many requests the sweep had moved by then.
        """
        ...


def documented_by(port_method: Callable[..., Any]) -> Callable[[F], F]:
    """Give a store's method the port's docstring for it, so that each is written once.

    Every store, sync or async, in memory or on DynamoDB, says what its method
    does with the port's words; ``tests/unit/test_store_signatures.py`` holds
    their signatures to the port's.
    """

    def document(method: F) -> F:
        method.__doc__ = port_method.__doc__
        return method

    return document
