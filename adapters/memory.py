"""InMemoryRequestStore: the store a service swaps in for fast tests.

A real adapter with the same semantics as the DynamoDB store, not a fake: it
keeps the lock rule, the status machine and the listing order, and is safe to
share between threads. Listings use sorted indexes, so a page costs about
O(log n + limit) however many requests are stored.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, insort
from collections.abc import Callable, Hashable, Iterator
from datetime import datetime

import attrs

from ..domain import (
    Request,
    RequestStatus,
    as_utc,
    refuse_if_final,
    utc_now,
    validate_request_id,
)
from ..ports import (
    Clock,
    ConcurrentModification,
    Page,
    RequestExists,
    RequestNotFound,
    read_clock,
    require_request,
    resolve_key,
    resolve_limit,
    resolve_status,
)
from .cursor import Position, decode_cursor, encode_cursor
from .lock import lock_token, next_updated_at, repeats_decision
from .timestamps import format_timestamp, format_updated_at, parse_timestamp

_Entry = tuple[datetime, str]


class _SortedIndex:
    """Request ids under one key, kept in (created_at, id) order."""

    def __init__(self, key_of: Callable[[Request], Hashable]) -> None:
        self.key_of = key_of
        self._entries: dict[Hashable, list[_Entry]] = {}

    def add(self, request: Request) -> None:
        entries = self._entries.setdefault(self.key_of(request), [])
        insort(entries, (request.created_at, request.id))

    def remove(self, request: Request) -> None:
        key = self.key_of(request)
        entries = self._entries[key]
        del entries[bisect_left(entries, (request.created_at, request.id))]
        if not entries:
            del self._entries[key]

    def newest_first(self, key: Hashable, before: _Entry | None) -> Iterator[str]:
        """Yield the ids under ``key``, newest first, starting after ``before``."""
        entries = self._entries.get(key, [])
        start = len(entries) if before is None else bisect_left(entries, before)
        for position in range(start - 1, -1, -1):
            yield entries[position][1]


class InMemoryRequestStore:
    """A RequestStore that keeps requests in this process, guarded by one lock."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        self._clock: Clock = clock or utc_now
        self._lock = threading.Lock()
        self._requests: dict[str, Request] = {}
        # The token each stored request's last update replaced, as DynamoDB's
        # previous_updated_at: it tells a retried update its own result.
        self._previous_tokens: dict[str, str] = {}
        self._by_requester = _SortedIndex(lambda request: request.requester)
        self._by_status = _SortedIndex(lambda request: request.status)
        self._by_profile = _SortedIndex(lambda request: request.profile)
        self._indexes = (self._by_requester, self._by_status, self._by_profile)

    def create(self, request: Request) -> None:
        """Store a new request; raise RequestExists if its id is taken."""
        require_request(request).check_writable()
        stored = attrs.evolve(request, lock_token=format_updated_at(request.updated_at))
        with self._lock:
            if request.id in self._requests:
                if self._requests[request.id] == request:
                    return  # a repeated create of what is stored: the caller's retry
                raise RequestExists(request.id)
            self._requests[request.id] = stored
            for index in self._indexes:
                index.add(request)

    def get(self, request_id: str) -> Request:
        """Return the request with this id; raise RequestNotFound if there is none."""
        validate_request_id(request_id, "request_id")
        with self._lock:
            stored = self._requests.get(request_id)
        if stored is None:
            raise RequestNotFound(request_id)
        return stored

    def update(self, request: Request) -> Request:
        """Write status, approver and comment under the lock rule of the port."""
        require_request(request).check_decision_writable()
        token = lock_token(request)
        updated_at = next_updated_at(token, read_clock(self._clock))
        with self._lock:
            stored = self._requests.get(request.id)
            if stored is None:
                raise RequestNotFound(request.id)
            if stored.lock_token != token:
                if repeats_decision(stored, self._previous_tokens.get(request.id), request):
                    return stored
                raise ConcurrentModification(
                    request.id,
                    f"stored updated_at is {stored.lock_token}, the copy has {token}",
                )
            refuse_if_final(stored.id, stored.status, "update")
            updated = attrs.evolve(
                stored,
                status=request.status,
                approver=request.approver,
                approver_comment=request.approver_comment,
                updated_at=updated_at,
                lock_token=format_updated_at(updated_at),
            )
            if updated.status is not stored.status:
                self._by_status.remove(stored)
                self._by_status.add(updated)
            self._requests[request.id] = updated
            self._previous_tokens[request.id] = token
            return updated

    def delete(self, request_id: str) -> None:
        """Remove the request with this id, if there is one."""
        validate_request_id(request_id, "request_id")
        with self._lock:
            stored = self._requests.pop(request_id, None)
            self._previous_tokens.pop(request_id, None)
            if stored is not None:
                for index in self._indexes:
                    index.remove(stored)

    def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of this requester's requests, newest first."""
        key = resolve_key(requester, "requester")
        return self._list(self._by_requester, "requester", key, key, limit, cursor)

    def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests in this status, newest first."""
        key = resolve_status(status)
        return self._list(self._by_status, "status", key.value, key, limit, cursor)

    def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        """Return one page of the requests for this profile, newest first."""
        key = resolve_key(profile, "profile")
        return self._list(self._by_profile, "profile", key, key, limit, cursor)

    def list_pending(
        self,
        *,
        now: datetime | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page:
        """Return one page of requests pending and not expired at ``now``."""
        at = read_clock(self._clock) if now is None else as_utc(now, "now")
        return self._list(
            self._by_status,
            "pending",
            "",
            RequestStatus.PENDING,
            limit,
            cursor,
            keep=lambda request: at < request.expires_at,
        )

    def _list(
        self,
        index: _SortedIndex,
        listing: str,
        cursor_key: str,
        index_key: Hashable,
        limit: int,
        cursor: str | None,
        keep: Callable[[Request], bool] | None = None,
    ) -> Page:
        page_size = resolve_limit(limit)
        before = None
        if cursor is not None:
            position = decode_cursor(cursor, listing, cursor_key)
            before = (parse_timestamp(position.created_at), position.request_id)
        items: list[Request] = []
        with self._lock:
            for request_id in index.newest_first(index_key, before):
                if len(items) == page_size:
                    last = items[-1]
                    position = Position(format_timestamp(last.created_at), last.id)
                    return Page(tuple(items), encode_cursor(listing, cursor_key, position))
                request = self._requests[request_id]
                if keep is None or keep(request):
                    items.append(request)
        return Page(tuple(items), None)
