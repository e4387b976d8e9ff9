"""The events a store under test announced: the list its ``on_event`` appends to."""

from __future__ import annotations

from ..events import RequestEvent


class RecordedEvents(list[RequestEvent]):
    """A list of events whose ``append`` is a store's ``on_event``.

    Attributes:
        failure: What ``append`` raises instead of recording, to play a
            callback that fails; None records every event.
        offered: How many events the store offered, recorded or not.
    """

    failure: Exception | None = None
    offered: int = 0

    def append(self, event: RequestEvent) -> None:
        """Record ``event``, or raise ``failure``."""
        self.offered += 1
        if self.failure is not None:
            raise self.failure
        super().append(event)
