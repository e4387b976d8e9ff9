"""InMemoryRequestStore: the store a service swaps in for fast tests.

A real adapter with the same semantics as the DynamoDB store, not a fake: it
keeps the lock rule, the status machine and the listing order, and is safe to
share between threads. Listings use sorted indexes (memory_indexes.py), so a
page costs about O(log n + limit) however many requests are stored, and
list_pending however many pending requests have expired.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from datetime import datetime

import attrs

from ..domain import (
    MAX_DURATION,
    Request,
    RequestStatus,
    refuse_creation_ahead,
    utc_now,
    validate_request_id,
)
from ..ports import (
    Clock,
    Page,
    RequestExists,
    RequestNotFound,
    RequestStore,
    documented_by,
    read_clock,
    require_request,
    resolve_key,
    resolve_limit,
    resolve_now,
    resolve_status,
)
from .cursor import Position, decode_cursor, encode_cursor
from .events.in_process import EventCallback, announce, check_on_event
from .lock import copy_of, decision, plan_decision, refused_write
from .memory_indexes import Entry, PendingIndex, SortedIndex
from .sweep import LEFT_ALONE, Sweep
from .timestamps import format_timestamp, format_updated_at, parse_timestamp

_Walk = Callable[[Entry | None], Iterator[str]]
"""Yields the ids of one listing, newest first, starting after a cursor's entry."""


class InMemoryRequestStore:
    """A RequestStore that keeps requests in this process, guarded by one lock.

    Listings walk sorted indexes: a page costs O(log n + limit), list_pending
    walks only the requests still live at ``now`` however many have expired
    (see PendingIndex for a ``now`` earlier than the last one), and
    find_active_approval reads only the requester's requests created in the
    last MAX_DURATION. expire_overdue finds the overdue requests in
    O(log n + limit), then moves each through update's lock rule.

    Args:
        clock: Where the store reads the time; UTC now by default.
        on_event: Called with the RequestEvent of each change this store made,
            once it is done (``events.append`` in a test); what it raises is
            logged, never raised (``access_requests.events``).
    """

    def __init__(
        self, *, clock: Clock | None = None, on_event: EventCallback | None = None
    ) -> None:
        check_on_event(on_event, awaits=False)
        self._on_event = on_event
        self._clock: Clock = clock or utc_now
        self._lock = threading.Lock()
        self._requests: dict[str, Request] = {}
        # The token each stored request's last update replaced, as DynamoDB's
        # previous_updated_at: it tells a retried update its own result.
        self._previous_tokens: dict[str, str] = {}
        self._by_requester = SortedIndex(lambda request: request.requester)
        self._by_status = SortedIndex(lambda request: request.status)
        self._by_profile = SortedIndex(lambda request: request.profile)
        self._indexes = (self._by_requester, self._by_status, self._by_profile)
        self._pending = PendingIndex()

    @documented_by(RequestStore.create)
    def create(self, request: Request) -> None:
        announce(self._on_event, created=self._create(request))

    def _create(self, request: Request) -> Request | None:
        """Create as the port says; return the request as stored if this call wrote it."""
        require_request(request).check_writable()
        refuse_creation_ahead(request, read_clock(self._clock))
        stored = attrs.evolve(request, lock_token=format_updated_at(request.updated_at))
        with self._lock:
            if request.id in self._requests:
                if self._requests[request.id] == request:
                    return None  # a repeated create of what is stored: the caller's retry
                raise RequestExists(request.id)
            self._requests[request.id] = stored
            for index in self._indexes:
                index.add(request)
            if request.status is RequestStatus.PENDING:
                self._pending.add(request)
        return stored

    @documented_by(RequestStore.get)
    def get(self, request_id: str) -> Request:
        validate_request_id(request_id, "request_id")
        with self._lock:
            stored = self._requests.get(request_id)
        if stored is None:
            raise RequestNotFound(request_id)
        return stored

    @documented_by(RequestStore.update)
    def update(self, request: Request) -> Request:
        stored, wrote = self._write(request)
        if wrote:
            announce(self._on_event, updated=[stored])
        return stored

    def _write(self, request: Request) -> tuple[Request, bool]:
        """Update as the port says; also tell whether this call wrote, or found it written."""
        write = plan_decision(require_request(request), read_clock(self._clock))
        with self._lock:
            stored = self._requests.get(request.id)
            # The condition DynamoDB checks: the item exists, holds the token, is
            # pending, and keeps any text over the limits that the decision carries.
            if (
                stored is None
                or stored.lock_token != write.token
                or stored.status is not RequestStatus.PENDING
                or any(
                    getattr(stored, field) != getattr(request, field)
                    for field in request.decision_texts_over_limits()
                )
            ):
                previous = self._previous_tokens.get(request.id)
                found = None if stored is None else copy_of(stored, previous)
                return refused_write(write, found)
            updated = attrs.evolve(
                stored,
                **decision(request),
                updated_at=write.updated_at.moment,
                lock_token=write.updated_at.text,
            )
            if updated.status is not stored.status:
                self._by_status.remove(stored)
                self._by_status.add(updated)
                self._pending.remove(stored)  # only a pending request can change
            self._requests[request.id] = updated
            self._previous_tokens[request.id] = write.token
            return updated, True

    @documented_by(RequestStore.delete)
    def delete(self, request_id: str) -> None:
        validate_request_id(request_id, "request_id")
        with self._lock:
            stored = self._requests.pop(request_id, None)
            self._previous_tokens.pop(request_id, None)
            if stored is not None:
                for index in self._indexes:
                    index.remove(stored)
                if stored.status is RequestStatus.PENDING:
                    self._pending.remove(stored)

    @documented_by(RequestStore.list_by_requester)
    def list_by_requester(
        self, requester: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        key = resolve_key(requester, "requester")
        walk = functools.partial(self._by_requester.newest_first, key)
        return self._list("requester", key, walk, limit, cursor)

    @documented_by(RequestStore.list_by_status)
    def list_by_status(
        self, status: RequestStatus, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        key = resolve_status(status)
        walk = functools.partial(self._by_status.newest_first, key)
        return self._list("status", key.value, walk, limit, cursor)

    @documented_by(RequestStore.list_by_profile)
    def list_by_profile(
        self, profile: str, *, limit: int = 100, cursor: str | None = None
    ) -> Page:
        key = resolve_key(profile, "profile")
        walk = functools.partial(self._by_profile.newest_first, key)
        return self._list("profile", key, walk, limit, cursor)

    @documented_by(RequestStore.list_pending)
    def list_pending(
        self,
        *,
        now: datetime | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page:
        at = resolve_now(now, self._clock)
        walk = functools.partial(self._pending.live_newest_first, at)
        return self._list("pending", "", walk, limit, cursor)

    @documented_by(RequestStore.find_active_approval)
    def find_active_approval(
        self, requester: str, profile: str, *, now: datetime | None = None
    ) -> Request | None:
        requester = resolve_key(requester, "requester")
        profile = resolve_key(profile, "profile")
        at = resolve_now(now, self._clock)
        # Timestamps here are instants, not the strings DynamoDB sorts, so the
        # margin the DynamoDB store adds for offset timestamps is not needed.
        earliest = _earliest_granting(at)
        with self._lock:
            for request_id in self._by_requester.created_since(requester, earliest):
                request = self._requests[request_id]
                if request.profile == profile and request.grants_access(at):
                    return request
        return None

    @documented_by(RequestStore.expire_overdue)
    def expire_overdue(self, *, now: datetime | None = None, limit: int = 1000) -> int:
        sweep = Sweep.start(now, limit, self._clock)
        try:
            self._sweep(sweep)
        finally:
            announce(self._on_event, updated=sweep.expired)
        return sweep.moved

    def _sweep(self, sweep: Sweep) -> None:
        """Move what ``sweep`` finds overdue, counting each move in it."""
        with self._lock:
            overdue = [
                self._requests[found] for found in self._pending.overdue(sweep.at, sweep.most)
            ]
        for request in overdue:
            expiry = sweep.expiry(request)
            if expiry is None:
                continue
            try:
                stored, wrote = self._write(expiry)
            except LEFT_ALONE:
                continue
            if sweep.count(stored, wrote):
                break

    def _list(
        self,
        listing: str,
        cursor_key: str,
        walk: _Walk,
        limit: int,
        cursor: str | None,
    ) -> Page:
        page_size = resolve_limit(limit)
        before = None
        if cursor is not None:
            position = decode_cursor(cursor, listing, cursor_key)
            before = (parse_timestamp(position.created_at), position.request_id)
        items: list[Request] = []
        with self._lock:
            for request_id in walk(before):
                if len(items) == page_size:
                    last = items[-1]
                    position = Position(format_timestamp(last.created_at), last.id)
                    return Page(tuple(items), encode_cursor(listing, cursor_key, position))
                items.append(self._requests[request_id])
        return Page(tuple(items), None)


def _earliest_granting(now: datetime) -> datetime | None:
    """The earliest created_at that can grant access at ``now``; None if any can."""
    try:
        return now - MAX_DURATION
    except OverflowError:
        return None
