"""The clock the contract suite moves by hand: the port's ManualClock, from a fixed instant."""

from __future__ import annotations

from datetime import UTC, datetime

from ..ports.clock import ManualClock

DEFAULT_START = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)
"""Where the suite's clocks start, so that its runs are alike."""


def suite_clock() -> ManualClock:
    """A ManualClock at DEFAULT_START, as the suite's ``clock`` fixture gives."""
    return ManualClock(DEFAULT_START)


__all__ = ["DEFAULT_START", "ManualClock", "suite_clock"]
