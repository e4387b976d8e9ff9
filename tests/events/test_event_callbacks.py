"""The in-process rule every store shares: announce each change, never fail a done write."""

import asyncio
import logging
from datetime import timedelta

import attrs
import pytest
from stream_records import CREATED_AT, pending_request

from access_requests.adapters.events.in_process import (
    announce,
    announce_async,
    check_on_event,
)
from access_requests.domain import InvalidRequest, RequestStatus
from access_requests.events import EventType, RequestEvent

CREATED = pending_request(lock_token="2026-01-15T03:53:45.123456Z")
APPROVED = attrs.evolve(
    CREATED,
    status=RequestStatus.APPROVED,
    approver="bob",
    updated_at=CREATED_AT + timedelta(minutes=5),
    lock_token="2026-01-15T03:58:45.123456Z",
)


async def collect(event: RequestEvent) -> None:
    """A coroutine function, as an asyncio service would pass."""
    await asyncio.sleep(0)


def test_each_change_is_announced_in_order() -> None:
    """One event per request as stored by its change."""
    events: list[RequestEvent] = []
    announce(events.append, created=CREATED, updated=[APPROVED])
    assert [(e.type, e.event_id) for e in events] == [
        (EventType.CREATED, "5f0c2a9e41d7b3c8/2026-01-15T03:53:45.123456Z"),
        (EventType.APPROVED, "5f0c2a9e41d7b3c8/2026-01-15T03:58:45.123456Z"),
    ]


def test_what_the_stream_would_not_announce_is_not_announced() -> None:
    """A pending touch and a create of a final request are no lifecycle change."""
    events: list[RequestEvent] = []
    touched = attrs.evolve(CREATED, lock_token="2026-01-15T03:54:00Z")
    announce(events.append, created=APPROVED, updated=[touched])
    assert events == []


def test_no_callback_announces_nothing() -> None:
    """on_event=None is the default of every store."""
    announce(None, created=CREATED)


def test_a_raising_callback_is_logged_and_the_next_change_still_announced(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A failure of the callback never reaches the caller of the write."""
    seen: list[str] = []

    def flaky(event: RequestEvent) -> None:
        seen.append(event.event_id)
        if event.type is EventType.CREATED:
            raise RuntimeError("the chat service is down")

    with caplog.at_level(logging.ERROR, logger="access_requests"):
        announce(flaky, created=CREATED, updated=[APPROVED])
    assert len(seen) == 2
    assert (
        "on_event failed for event 5f0c2a9e41d7b3c8/2026-01-15T03:53:45.123456Z" in caplog.text
    )
    assert "the chat service is down" in caplog.text


def test_a_sync_store_refuses_a_coroutine_function() -> None:
    """Its events would never run: refused when the store is built, naming on_event."""
    with pytest.raises(InvalidRequest, match=r"on_event.*coroutine function"):
        check_on_event(collect, awaits=False)
    check_on_event(collect, awaits=True)


@pytest.mark.parametrize("on_event", ["print", 42])
def test_a_callback_that_is_not_callable_is_refused(on_event: object) -> None:
    """InvalidRequest names on_event."""
    with pytest.raises(InvalidRequest, match="on_event"):
        check_on_event(on_event, awaits=True)


def test_an_awaitable_returned_to_a_sync_store_is_closed_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A lambda wrapping a coroutine function slips past the check; it is reported."""
    with caplog.at_level(logging.ERROR, logger="access_requests"):
        announce(lambda event: collect(event), created=CREATED)
    assert "a sync store cannot await it" in caplog.text


def test_an_async_store_awaits_a_coroutine_function_and_calls_a_plain_one() -> None:
    """Both kinds of callback get every event."""
    events: list[RequestEvent] = []

    async def record(event: RequestEvent) -> None:
        await asyncio.sleep(0)
        events.append(event)

    asyncio.run(announce_async(record, created=CREATED))
    asyncio.run(announce_async(events.append, updated=[APPROVED]))
    assert [e.type for e in events] == [EventType.CREATED, EventType.APPROVED]


def test_an_async_callback_that_raises_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    """Awaited failures are logged too, and the next change still announced."""
    events: list[RequestEvent] = []

    async def flaky(event: RequestEvent) -> None:
        if event.type is EventType.CREATED:
            raise ConnectionError("webhook refused")
        events.append(event)

    with caplog.at_level(logging.ERROR, logger="access_requests"):
        asyncio.run(announce_async(flaky, created=CREATED, updated=[APPROVED]))
    assert [e.type for e in events] == [EventType.APPROVED]
    assert "webhook refused" in caplog.text
