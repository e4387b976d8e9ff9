"""AsyncClosing: ``async with`` for an async adapter that opens what it must close.

The async DynamoDB store, its direct wire and the async webhook notifier each
own connections that ``aclose()`` closes; entering one returns it, leaving
closes it, the same for all three.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self


class AsyncClosing:
    """Makes a class with ``aclose()`` an async context manager that closes on exit."""

    async def aclose(self) -> None:
        """Close what the object opened."""
        raise NotImplementedError("override me")

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
