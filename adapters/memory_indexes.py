"""The indexes of InMemoryRequestStore: sorted blocks that a listing bisects into.

A listing bisects to where it starts and walks ``limit`` entries, so a page
costs O(log n + limit) whatever else is stored; a request enters or leaves an
index in O(log n) and a move within one block (memory_sorted.py), wherever it
lies, so the sweep's cost for each request it moves does not grow with n.
Not thread-safe on their own: the store calls them under its lock.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from datetime import UTC, datetime
from itertools import islice, takewhile

from ..domain import Request
from .memory_sorted import SortedBlocks

Entry = tuple[datetime, str]
"""(created_at, id): the order every listing walks, newest first."""

_Expiry = tuple[datetime, datetime, str]
"""(expires_at, created_at, id)."""

_MOVED_ONE_AT_A_TIME = 4
"""While at most one in this many live entries enter or leave the live index at
once, they move one at a time; more, and it is rebuilt from the pending
requests that expire after the new watermark, which costs about as much."""

_BEFORE_ANY_REQUEST = datetime.min.replace(tzinfo=UTC)


def _ids(entries: Iterator[Entry]) -> Iterator[str]:
    return (request_id for _, request_id in entries)


class SortedIndex:
    """Request ids under one key, kept in (created_at, id) order."""

    def __init__(self, key_of: Callable[[Request], Hashable]) -> None:
        self.key_of = key_of
        self._entries: dict[Hashable, SortedBlocks[Entry]] = {}

    def add(self, request: Request) -> None:
        entries = self._entries.setdefault(self.key_of(request), SortedBlocks())
        entries.add((request.created_at, request.id))

    def remove(self, request: Request) -> None:
        key = self.key_of(request)
        entries = self._entries[key]
        entries.remove((request.created_at, request.id))
        if not entries:
            del self._entries[key]

    def newest_first(self, key: Hashable, before: Entry | None) -> Iterator[str]:
        """Yield the ids under ``key``, newest first, starting after ``before``."""
        entries = self._entries.get(key)
        return iter(()) if entries is None else _ids(entries.descending(before))

    def created_since(self, key: Hashable, earliest: datetime | None) -> Iterator[str]:
        """Yield the ids under ``key`` created at ``earliest`` or later, newest first."""
        entries = self._entries.get(key)
        if entries is None:
            return iter(())
        newest_first = entries.descending()
        if earliest is not None:
            newest_first = takewhile(lambda entry: entry[0] >= earliest, newest_first)
        return _ids(newest_first)


class PendingIndex:
    """Pending requests by expires_at, and the live ones by created_at.

    Live means not yet expired at the watermark, the ``now`` of the latest
    listing. A listing first moves the watermark to its own ``now``, then
    walks the live entries only, so that it never passes an expired request.
    Moving the watermark forward takes out the requests that expired in
    between, each once; moving it back (a caller passed an earlier ``now``)
    puts back those that expire between the two. Either costs O(k log n) for
    the k requests that expire between the two moments, or, where they are
    more than a quarter of the live ones, one rebuild of the live index from
    the requests that expire after the new watermark: O(m log m) for the m
    live at it, however many expired. Taking out a request (the sweep's, once
    it expired it) costs O(log n).
    When ``now`` follows a clock, each request moves out once; when callers
    alternate two distant nows, what expires between them moves every call.
    """

    def __init__(self) -> None:
        self._by_expiry: SortedBlocks[_Expiry] = SortedBlocks()
        self._live: SortedBlocks[Entry] = SortedBlocks()
        self._watermark = _BEFORE_ANY_REQUEST

    def __len__(self) -> int:
        return len(self._by_expiry)

    def add(self, request: Request) -> None:
        self._by_expiry.add(_expiry(request))
        if request.expires_at > self._watermark:
            self._live.add((request.created_at, request.id))

    def remove(self, request: Request) -> None:
        self._by_expiry.remove(_expiry(request))
        if request.expires_at > self._watermark:
            self._live.remove((request.created_at, request.id))

    def live_newest_first(self, now: datetime, before: Entry | None) -> Iterator[str]:
        """Yield the ids of requests pending and not expired at ``now``, newest first."""
        self._move_watermark(now)
        return _ids(self._live.descending(before))

    def overdue(self, now: datetime, limit: int) -> list[str]:
        """Return the ids of up to ``limit`` requests expired at ``now``, soonest first."""
        expired = takewhile(lambda expiry: expiry[0] <= now, self._by_expiry)
        return [request_id for _, _, request_id in islice(expired, limit)]

    def _move_watermark(self, now: datetime) -> None:
        if now == self._watermark:
            return
        forward = now > self._watermark
        earlier, later = sorted((now, self._watermark))
        self._watermark = now
        count = self._by_expiry.count_after
        live = count(now, _expires_at)
        moving = count(earlier, _expires_at) - count(later, _expires_at)
        if moving * _MOVED_ONE_AT_A_TIME > live:
            after_now = self._by_expiry.ascending_after(now, _expires_at)
            self._live = SortedBlocks((created_at, i) for _, created_at, i in after_now)
            return
        between = takewhile(
            lambda expiry: expiry[0] <= later,
            self._by_expiry.ascending_after(earlier, _expires_at),
        )
        for _, created_at, request_id in between:
            if forward:
                self._live.remove((created_at, request_id))
            else:
                self._live.add((created_at, request_id))


def _expires_at(expiry: _Expiry) -> datetime:
    return expiry[0]


def _expiry(request: Request) -> _Expiry:
    return (request.expires_at, request.created_at, request.id)
