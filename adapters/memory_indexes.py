"""The indexes of InMemoryRequestStore: sorted lists that a listing bisects into.

A listing bisects to where it starts and walks ``limit`` entries, so a page
costs O(log n + limit) whatever else is stored. Not thread-safe on their own:
the store calls them under its lock.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Hashable, Iterator
from datetime import UTC, datetime

from ..domain import Request

Entry = tuple[datetime, str]
"""(created_at, id): the order every listing walks, newest first."""

_Expiry = tuple[datetime, datetime, str]
"""(expires_at, created_at, id)."""

_MOVED_ONE_AT_A_TIME = 256
"""Up to this many entries enter or leave a list one at a time, each a memmove
of the list; more are merged into one new copy of it, which costs about as
much as a few hundred memmoves (measured at a million entries)."""

_BEFORE_ANY_REQUEST = datetime.min.replace(tzinfo=UTC)


def _newest_first(entries: list[Entry], before: Entry | None) -> Iterator[str]:
    """Yield the ids of sorted ``entries``, newest first, starting after ``before``."""
    start = len(entries) if before is None else bisect_left(entries, before)
    for position in range(start - 1, -1, -1):
        yield entries[position][1]


class SortedIndex:
    """Request ids under one key, kept in (created_at, id) order."""

    def __init__(self, key_of: Callable[[Request], Hashable]) -> None:
        self.key_of = key_of
        self._entries: dict[Hashable, list[Entry]] = {}

    def add(self, request: Request) -> None:
        entries = self._entries.setdefault(self.key_of(request), [])
        insort(entries, (request.created_at, request.id))

    def remove(self, request: Request) -> None:
        key = self.key_of(request)
        entries = self._entries[key]
        del entries[bisect_left(entries, (request.created_at, request.id))]
        if not entries:
            del self._entries[key]

    def newest_first(self, key: Hashable, before: Entry | None) -> Iterator[str]:
        """Yield the ids under ``key``, newest first, starting after ``before``."""
        return _newest_first(self._entries.get(key, []), before)

    def created_since(self, key: Hashable, earliest: datetime | None) -> Iterator[str]:
        """Yield the ids under ``key`` created at ``earliest`` or later, newest first."""
        entries = self._entries.get(key, [])
        stop = 0 if earliest is None else bisect_left(entries, earliest, key=_created_at)
        for position in range(len(entries) - 1, stop - 1, -1):
            yield entries[position][1]


class PendingIndex:
    """Pending requests by expires_at, and the live ones by created_at.

    Live means not yet expired at the watermark, the ``now`` of the latest
    listing. A listing first moves the watermark to its own ``now``, then
    walks the live entries only, so that it never passes an expired request.
    Moving the watermark forward takes out the requests that expired in
    between, each once; moving it back (a caller passed an earlier ``now``)
    puts back those that expire between the two. Either costs O(k log n) for
    the k requests that expire between the two moments, plus a memmove of
    the live list for each (or one copy of it when hundreds move at once).
    When ``now`` follows a clock, each request moves out once; when callers
    alternate two distant nows, what expires between them moves every call.
    """

    def __init__(self) -> None:
        self._by_expiry: list[_Expiry] = []
        self._live: list[Entry] = []
        self._watermark = _BEFORE_ANY_REQUEST

    def add(self, request: Request) -> None:
        insort(self._by_expiry, _expiry(request))
        if request.expires_at > self._watermark:
            insort(self._live, (request.created_at, request.id))

    def remove(self, request: Request) -> None:
        del self._by_expiry[bisect_left(self._by_expiry, _expiry(request))]
        if request.expires_at > self._watermark:
            del self._live[bisect_left(self._live, (request.created_at, request.id))]

    def live_newest_first(self, now: datetime, before: Entry | None) -> Iterator[str]:
        """Yield the ids of requests pending and not expired at ``now``, newest first."""
        self._move_watermark(now)
        return _newest_first(self._live, before)

    def overdue(self, now: datetime, limit: int) -> list[str]:
        """Return the ids of up to ``limit`` requests expired at ``now``, soonest first."""
        stop = min(self._expired_by(now), limit)
        return [request_id for _, _, request_id in self._by_expiry[:stop]]

    def _expired_by(self, moment: datetime) -> int:
        """How many pending requests have expires_at at or before ``moment``."""
        return bisect_right(self._by_expiry, moment, key=lambda expiry: expiry[0])

    def _move_watermark(self, now: datetime) -> None:
        if now == self._watermark:
            return
        earlier, later = sorted((now, self._watermark))
        between = [
            (created_at, request_id)
            for _, created_at, request_id in self._by_expiry[
                self._expired_by(earlier) : self._expired_by(later)
            ]
        ]
        if now > self._watermark:
            self._live = _without(self._live, between)
        else:
            self._live = _with(self._live, between)
        self._watermark = now


def _without(entries: list[Entry], leaving: list[Entry]) -> list[Entry]:
    """Return sorted ``entries`` without ``leaving``, all of which it holds; may reuse it."""
    if len(leaving) <= _MOVED_ONE_AT_A_TIME:
        for entry in leaving:
            del entries[bisect_left(entries, entry)]
        return entries
    kept: list[Entry] = []
    start = 0
    for position in sorted(bisect_left(entries, entry) for entry in leaving):
        kept += entries[start:position]
        start = position + 1
    kept += entries[start:]
    return kept


def _with(entries: list[Entry], arriving: list[Entry]) -> list[Entry]:
    """Return sorted ``entries`` with ``arriving`` in their places; may reuse it."""
    if len(arriving) <= _MOVED_ONE_AT_A_TIME:
        for entry in arriving:
            insort(entries, entry)
        return entries
    merged: list[Entry] = []
    start = 0
    for entry in sorted(arriving):
        position = bisect_left(entries, entry, start)
        merged += entries[start:position]
        merged.append(entry)
        start = position
    merged += entries[start:]
    return merged


def _created_at(entry: Entry) -> datetime:
    return entry[0]


def _expiry(request: Request) -> _Expiry:
    return (request.expires_at, request.created_at, request.id)
