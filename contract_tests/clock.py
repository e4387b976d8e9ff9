"""The clock the contract suite moves by hand, starting at a fixed instant."""

from __future__ import annotations

from datetime import UTC, datetime

from ..ports.clock import ManualClock as _ManualClock

DEFAULT_START = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)


class ManualClock(_ManualClock):
    """The port's ManualClock, starting at DEFAULT_START unless told otherwise.

    A fixed start keeps the contract suite's runs alike.
    """

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        super().__init__(start)
