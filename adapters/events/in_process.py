"""Events in process: a store's ``on_event`` callback, called after each change it made.

One rule for every store, sync and async: the callback gets the event of a
change once the store has made it and reports it as done; whatever it
raises is logged and never turns a done write into an error. These events
are best effort (lost if the process dies); the table's stream is the
durable source.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable

from ...domain import InvalidRequest, Request
from .payload import RequestEvent

logger = logging.getLogger("access_requests")

EventCallback = Callable[[RequestEvent], object]
"""What a sync store calls with each event: ``events.append``, a notifier's ``notify``."""

AsyncEventCallback = Callable[[RequestEvent], Awaitable[object] | object]
"""What an async store calls with each event: a callable or a coroutine function."""


def check_on_event(on_event: object, *, awaits: bool) -> None:
    """Refuse an ``on_event`` a store cannot call, when the store is built.

    Args:
        on_event: None, or the callback.
        awaits: Whether the store awaits what the callback returns (the async
            stores); a sync store refuses a coroutine function, whose events
            it would never run.

    Raises:
        InvalidRequest: ``on_event`` is not callable, or is a coroutine
            function given to a sync store.
    """
    if on_event is None:
        return
    if not callable(on_event):
        raise InvalidRequest(
            "on_event", f"must be a callable taking a RequestEvent, got {on_event!r}"
        )
    if not awaits and inspect.iscoroutinefunction(on_event):
        raise InvalidRequest(
            "on_event",
            f"{on_event!r} is a coroutine function: a sync store cannot await it"
            " (give it to an async store, or pass a plain function)",
        )


def announce(on_event: EventCallback | None, changed: Iterable[Request]) -> None:
    """Call ``on_event`` with the event of each change, each request as stored by it.

    Never raises for the callback: what it raises is logged, and the next
    change is still announced.
    """
    if on_event is None:
        return
    for request in changed:
        event = RequestEvent.of_change(request)
        try:
            returned = on_event(event)
        except Exception:
            _log_failure(event)
            continue
        if inspect.isawaitable(returned):
            _discard(returned)
            logger.error(
                "on_event returned an awaitable for event %s; a sync store cannot await it",
                event.event_id,
            )


async def announce_async(
    on_event: AsyncEventCallback | None, changed: Iterable[Request]
) -> None:
    """Call ``on_event`` with the event of each change, awaiting what it returns.

    Never raises for the callback (cancellation aside): what it raises is
    logged, and the next change is still announced.
    """
    if on_event is None:
        return
    for request in changed:
        event = RequestEvent.of_change(request)
        try:
            returned = on_event(event)
            if inspect.isawaitable(returned):
                await returned
        except Exception:
            _log_failure(event)


def _log_failure(event: RequestEvent) -> None:
    logger.exception(
        "on_event failed for event %s (%s); the change is stored all the same",
        event.event_id,
        event.type.value,
    )


def _discard(awaitable: object) -> None:
    """Close a coroutine nobody will await, so that it does not warn when collected."""
    close = getattr(awaitable, "close", None)
    if callable(close):
        close()
