"""Contract: on_event, one event per change a store made, the same for every store.

The adapter's ``store`` fixture passes ``on_event=events.append`` (the
``events`` fixture); an adapter without the option sets ``emits_events =
False``. Every expectation is the one the table's stream gives for the same
writes (``event_of_write``), so that a service sees the same events in its
tests (in memory) as in production (from the stream).
"""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from ..domain import InvalidTransition, Request, RequestStatus
from ..events import SYSTEM_ACTOR, EventType, RequestEvent
from ..ports import ConcurrentModification, RequestExists, RequestStore
from .base import StoreFixtures
from .clock import ManualClock
from .factory import make_request
from .recorded_events import RecordedEvents

APPROVER = "carol@example.com"
TTL = timedelta(hours=1)


def _decided(copy: Request, decision: str, at: ManualClock) -> Request:
    if decision == "approve":
        return copy.approve(APPROVER, "on call", now=at())
    if decision == "deny":
        return copy.deny(APPROVER, "not now", now=at())
    return copy.cancel(now=at())


class EventContract(StoreFixtures):
    """Every store calls on_event once per change it made and reports as done."""

    def test_a_create_is_announced_with_the_request_as_stored(
        self, store: RequestStore, events: RecordedEvents, clock: ManualClock
    ) -> None:
        """created, by the requester, at created_at, named by the stored updated_at."""
        self.require("emits_events")
        request = make_request(clock())
        store.create(request)
        stored = store.get(request.id)
        # Check one event, equal to the one the stream gives for this insert
        assert events == [RequestEvent.of_change(stored)]
        (event,) = events
        assert (event.type, event.actor) == (EventType.CREATED, request.requester)
        assert event.timestamp == request.created_at
        assert event.event_id == f"{request.id}/{stored.lock_token}"
        assert event.request.lock_token == stored.lock_token

    def test_a_retried_or_refused_create_is_not_announced_again(
        self, store: RequestStore, events: RecordedEvents, clock: ManualClock
    ) -> None:
        """A caller's retry found its write done; another request under the id wrote nothing."""
        self.require("emits_events")
        request = make_request(clock())
        store.create(request)
        store.create(request)
        with pytest.raises(RequestExists):
            store.create(attrs.evolve(request, profile="another-profile"))
        assert [event.type for event in events] == [EventType.CREATED]

    @pytest.mark.parametrize(
        ("decision", "event_type"),
        [
            ("approve", EventType.APPROVED),
            ("deny", EventType.DENIED),
            ("cancel", EventType.CANCELLED),
        ],
    )
    def test_a_decision_is_announced_with_the_request_as_stored(
        self,
        store: RequestStore,
        events: RecordedEvents,
        clock: ManualClock,
        decision: str,
        event_type: EventType,
    ) -> None:
        """The event of an update: its type, the Go actor, the new updated_at as stored."""
        self.require("emits_events")
        request = make_request(clock())
        store.create(request)
        clock.advance(timedelta(minutes=5))
        stored = store.update(_decided(store.get(request.id), decision, clock))
        event = events[-1]
        # Check the event names the write by the updated_at the store wrote
        assert len(events) == 2
        assert event == RequestEvent.of_change(stored)
        assert event.type is event_type
        assert event.actor == (request.requester if decision == "cancel" else APPROVER)
        assert event.timestamp == stored.updated_at
        assert event.event_id == f"{request.id}/{stored.lock_token}"
        assert event.request == store.get(request.id)

    def test_a_retried_update_is_not_announced_again(
        self, store: RequestStore, events: RecordedEvents, clock: ManualClock
    ) -> None:
        """Two callers with one decision from one copy: both told it is done, one event."""
        self.require("emits_events")
        request = make_request(clock())
        store.create(request)
        approval = store.get(request.id).approve(APPROVER, now=clock())
        first = store.update(approval)
        again = store.update(approval)
        assert again == first
        assert [event.type for event in events] == [EventType.CREATED, EventType.APPROVED]

    def test_a_refused_write_announces_nothing(
        self, store: RequestStore, events: RecordedEvents, clock: ManualClock
    ) -> None:
        """A stale copy, a final request and a touch that kept it pending are no events."""
        self.require("emits_events")
        request = make_request(clock())
        store.create(request)
        copy = store.get(request.id)
        # Check a touch that leaves it pending is written but is no lifecycle change
        touched = store.update(attrs.evolve(copy, approver_comment="looking into it"))
        assert touched.status is RequestStatus.PENDING
        with pytest.raises(ConcurrentModification):
            store.update(copy.deny(APPROVER, now=clock()))
        approved = store.update(touched.approve(APPROVER, now=clock()))
        with pytest.raises(InvalidTransition):
            store.update(attrs.evolve(approved, status=RequestStatus.DENIED))
        assert [event.type for event in events] == [EventType.CREATED, EventType.APPROVED]

    def test_a_delete_announces_nothing(
        self, store: RequestStore, events: RecordedEvents, clock: ManualClock
    ) -> None:
        """A removal is no lifecycle change, as on the stream."""
        self.require("emits_events")
        request = make_request(clock())
        store.create(request)
        store.delete(request.id)
        store.delete(request.id)
        assert [event.type for event in events] == [EventType.CREATED]

    def test_each_request_the_sweep_moves_is_announced_once(
        self, store: RequestStore, events: RecordedEvents, clock: ManualClock
    ) -> None:
        """expired, by the system, at the updated_at the sweep wrote; a second sweep: none."""
        self.require("emits_events")
        overdue = [make_request(clock(), ttl=TTL) for _ in range(3)]
        for request in overdue:
            store.create(request)
        decided = store.update(store.get(overdue[0].id).deny(APPROVER, now=clock()))
        clock.advance(TTL + timedelta(seconds=1))
        events.clear()

        assert store.expire_overdue() == 2
        assert store.expire_overdue() == 0

        # Check one expiry event per request moved, each as stored by the sweep
        assert sorted(event.request.id for event in events) == sorted(
            request.id for request in overdue[1:]
        )
        for event in events:
            stored = store.get(event.request.id)
            assert event == RequestEvent.of_change(stored)
            assert (event.type, event.actor) == (EventType.EXPIRED, SYSTEM_ACTOR)
            assert event.event_id == f"{stored.id}/{stored.lock_token}"
        assert decided.id not in {event.request.id for event in events}

    def test_a_failing_callback_never_fails_a_done_write(
        self, store: RequestStore, events: RecordedEvents, clock: ManualClock
    ) -> None:
        """What on_event raises is logged; the create, update and sweep are done all alike."""
        self.require("emits_events")
        events.failure = RuntimeError("the chat service is down")
        request = make_request(clock(), ttl=TTL)
        late = make_request(clock(), ttl=TTL)
        store.create(request)
        store.create(late)
        approved = store.update(store.get(request.id).approve(APPROVER, now=clock()))
        clock.advance(TTL + timedelta(seconds=1))
        assert store.expire_overdue() == 1
        # Check every write is stored, and every event was offered
        assert store.get(request.id) == approved
        assert store.get(late.id).status is RequestStatus.EXPIRED
        assert events.offered == 4
