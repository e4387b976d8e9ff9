"""Events in process: a store's ``on_event`` callback, called after each change it made.

One rule for every store, sync and async: the callback gets the event of a
change once the store has made it and reports it as done; whatever it
raises is logged and never turns a done write into an error. What is a
change is the stream's rule (``event_of_write``), so that a store and the
stream give the same events. These events are best effort (lost if the
process dies); the table's stream is the durable source.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator

from ...domain import InvalidRequest, Request, RequestStatus
from .payload import RequestEvent, event_of_write

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


def announce(
    on_event: EventCallback | None,
    *,
    created: Request | None = None,
    updated: Iterable[Request] = (),
) -> None:
    """Call ``on_event`` with the event of each change this call of the store wrote.

    Never raises for the callback: what it raises is logged, and the next
    change is still announced.

    Args:
        on_event: The store's callback, or None.
        created: The request a create wrote, as stored.
        updated: Each request an update (or the sweep) wrote over a pending
            one, as stored; one that stayed pending is no change.
    """
    if on_event is None:
        return
    for event in _changes(created, updated):
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
    on_event: AsyncEventCallback | None,
    *,
    created: Request | None = None,
    updated: Iterable[Request] = (),
) -> None:
    """Call ``on_event`` with the event of each change, awaiting what it returns.

    As ``announce``: never raises for the callback (cancellation aside).
    """
    if on_event is None:
        return
    for event in _changes(created, updated):
        try:
            returned = on_event(event)
            if inspect.isawaitable(returned):
                await returned
        except Exception:
            _log_failure(event)


def _changes(created: Request | None, updated: Iterable[Request]) -> Iterator[RequestEvent]:
    changes = [] if created is None else [event_of_write(created, before=None)]
    changes += (event_of_write(request, before=RequestStatus.PENDING) for request in updated)
    yield from (event for event in changes if event is not None)


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
