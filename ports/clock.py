"""Where a store gets the time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..domain import as_utc

Clock = Callable[[], datetime]
"""A callable that returns the current time, timezone-aware."""


def read_clock(clock: Clock) -> datetime:
    """Return the clock's time in UTC, refusing a naive datetime from a bad clock."""
    return as_utc(clock(), "clock()")
