"""The sweep's rules, shared by every store's expire_overdue.

A sweep moves each overdue pending request to expired through the lock rule
of update, from the copy it read: a request decided, changed or deleted
since the read is left alone, and a request another sweep already expired
is not counted as this sweep's move. Its own write whose response was lost
and retried is counted (the updated_at it wrote tells it, lock.py), so the
count is exactly what it moved, and it stops at its limit. A poison item
(one that does not decode) is skipped and named in the log: it never stops
the sweep.
"""

from __future__ import annotations

import logging
from datetime import datetime

import attrs

from ..domain import InvalidTransition, Request
from ..ports import (
    Clock,
    ConcurrentModification,
    CorruptItem,
    RequestNotFound,
    resolve_now,
    resolve_sweep_limit,
)

logger = logging.getLogger("access_requests")

LEFT_ALONE = (ConcurrentModification, InvalidTransition, RequestNotFound)
"""What a sweep's write may be told when the request was decided, changed or
deleted since the sweep read it: the request is left alone, not an error."""


@attrs.define
class Sweep:
    """One expire_overdue in progress: when it works, how many it may move, which it did.

    Attributes:
        at: The moment the sweep works at: requests expired by then are moved.
        most: How many requests it may move.
        moved: How many requests it has moved so far.
        expired: Each request it moved, as its write stored it (for on_event).
    """

    at: datetime
    most: int
    moved: int = 0
    expired: list[Request] = attrs.field(factory=list)

    @classmethod
    def start(cls, now: datetime | None, limit: object, clock: Clock) -> Sweep:
        """Begin a sweep at ``now`` (the clock's time if None) moving at most ``limit``."""
        return cls(resolve_now(now, clock), resolve_sweep_limit(limit))

    def expiry(self, request: Request) -> Request | None:
        """Return the write that expires ``request``, or None if it is not overdue."""
        return request.expire(now=self.at) if request.is_expired(self.at) else None

    def skip(self, poison: CorruptItem) -> bool:
        """Skip an item that does not decode, naming it in the log; the sweep goes on."""
        logger.warning(
            "expire_overdue skips the corrupt item %s (attribute %s %s)",
            poison.request_id,
            poison.attribute,
            poison.reason,
        )
        return False

    def count(self, stored: Request | None, wrote: bool) -> bool:
        """Count an expiry stored (``wrote``: by this sweep); return True once it is done.

        ``stored`` is None where the item written does not read back (the
        decision was written all the same): it counts, with nothing to announce.
        """
        if wrote:
            self.moved += 1
            if stored is not None:
                self.expired.append(stored)
        return self.moved >= self.most
