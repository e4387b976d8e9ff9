"""Where a store gets the time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from ..domain import as_utc, utc_now

Clock = Callable[[], datetime]
"""A callable that returns the current time, timezone-aware."""

TICK = timedelta(microseconds=1)
"""The least step updated_at moves by on update (a datetime's resolution)."""


def read_clock(clock: Clock) -> datetime:
    """Return the clock's time in UTC, refusing a naive datetime from a bad clock."""
    return as_utc(clock(), "clock()")


def resolve_now(now: datetime | None, clock: Clock) -> datetime:
    """Return the moment an operation works at: ``now`` if given, else the clock's time."""
    return read_clock(clock) if now is None else as_utc(now, "now")


class ManualClock:
    """A Clock that stands still until it is moved; safe to share between threads.

    Pass it as a store's ``clock``: the store reads it by calling it. It starts
    at ``start``, or at the current time.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = utc_now() if start is None else as_utc(start, "start")
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
