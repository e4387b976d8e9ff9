"""What delivers events: the Notifier ports, sync and async."""

from __future__ import annotations

from typing import Protocol

from .payload import RequestEvent


class Notifier(Protocol):
    """Delivers events to someone who acts on them (a topic, a webhook...)."""

    def notify(self, event: RequestEvent) -> None:
        """Deliver ``event``; return once it is delivered.

        Raises:
            Exception: The event was not delivered; a stream handler then
                reports it, and every later record, for redelivery.
        """
        ...


class AsyncNotifier(Protocol):
    """A Notifier for asyncio services."""

    async def notify(self, event: RequestEvent) -> None:
        """Deliver ``event``; return once it is delivered.

        Raises:
            Exception: The event was not delivered.
        """
        ...
