"""A clock that tests move by hand."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from ..domain import as_utc

DEFAULT_START = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)


class ManualClock:
    """A Clock that stands still until it is moved; safe to share between threads.

    Pass it as a store's ``clock``: the store reads it by calling it.
    """

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        self._now = as_utc(start, "start")
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta = timedelta(seconds=1)) -> datetime:
        """Move the clock by ``delta`` (which may be negative) and return the new time."""
        with self._lock:
            self._now += delta
            return self._now

    def set(self, moment: datetime) -> None:
        """Set the clock to ``moment``, earlier or later than now."""
        with self._lock:
            self._now = as_utc(moment, "moment")

    def __repr__(self) -> str:
        return f"ManualClock({self().isoformat()})"
