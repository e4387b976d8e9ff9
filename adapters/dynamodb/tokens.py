"""The lock tokens of items this library did not write, kept as they were read."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from ...domain import Request
from ..timestamps import format_timestamp

_OURS_LENGTH = len("2026-01-15T03:53:45.123456000Z")


class StoredTokens:
    """Remembers updated_at strings that this library would not write itself.

    The Go system writes updated_at with up to nine digits, trailing zeros
    dropped, and may use an offset; a Request holds microseconds. The lock must
    compare the token exactly as stored, so the string read is kept, keyed by
    the request's id and its updated_at as a datetime, until the copy is used
    for an update. Items in this library's own form need no entry: formatting
    the datetime gives the stored string back. Bounded; the oldest entries go
    first, and a copy whose entry has gone gets ConcurrentModification, after
    which reading it again brings the entry back.
    """

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._lock = threading.Lock()
        self._stored: OrderedDict[tuple[str, datetime], str] = OrderedDict()

    def remember(self, request: Request, stored: str) -> None:
        """Note the updated_at string ``request`` was read with, if it is not ours."""
        if len(stored) == _OURS_LENGTH and stored.endswith("000Z"):
            # Ours: the Go system drops trailing zeros, so it never writes this form,
            # and a string of it that read as a timestamp formats back to itself.
            return
        key = (request.id, request.updated_at)
        with self._lock:
            self._stored[key] = stored
            self._stored.move_to_end(key)
            while len(self._stored) > self._capacity:
                self._stored.popitem(last=False)

    def token(self, request: Request) -> str:
        """Return the updated_at to compare with: as read, or as this library writes it."""
        with self._lock:
            stored = self._stored.get((request.id, request.updated_at))
        return stored if stored is not None else format_timestamp(request.updated_at)
