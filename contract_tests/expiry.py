"""Contract: expire_overdue, the sweep that makes expired requests say so."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from ..domain import InvalidRequest, Request, RequestStatus
from ..ports import TICK, ConcurrentModification, RequestStore
from .base import StoreFixtures, everything, run_together
from .clock import ManualClock
from .factory import make_request

TTL = timedelta(hours=1)
APPROVER = "carol@example.com"


def _pending(
    store: RequestStore, clock: ManualClock, count: int, **fields: Any
) -> list[Request]:
    """Store ``count`` pending requests a second apart, expiring TTL after creation."""
    made = []
    for _ in range(count):
        request = make_request(clock(), ttl=TTL, **fields)
        store.create(request)
        made.append(request)
        clock.advance(timedelta(seconds=1))
    return made


def _sweep_until_done(store: RequestStore, **options: Any) -> list[int]:
    """Call expire_overdue until it returns 0; return every call's count."""
    counts = [store.expire_overdue(**options)]
    while counts[-1]:
        counts.append(store.expire_overdue(**options))
    return counts


@contextlib.contextmanager
def _threads_switching_often() -> Iterator[None]:
    """Let Python switch threads every few microseconds, so that in-process stores interleave.

    Without it one thread may finish all its work in one switch interval (5 ms),
    and the race under test would never happen in memory.
    """
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def _ids(requests: list[Request]) -> set[str]:
    return {request.id for request in requests}


def _status_listing(store: RequestStore, status: RequestStatus) -> list[Request]:
    return everything(lambda **page: store.list_by_status(status, **page))


class ExpiryContract(StoreFixtures):
    """expire_overdue moves overdue pending requests to expired under the lock rule."""

    def test_only_overdue_pending_requests_are_moved_and_counted(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Pending requests past expires_at become expired; nothing else changes."""
        overdue = _pending(store, clock, 3)
        decided = [
            make_request(clock(), ttl=TTL, status=status, approver=APPROVER)
            for status in RequestStatus
            if status.is_terminal
        ]
        for request in decided:
            store.create(request)
        clock.advance(TTL)
        # expires_at exactly now is overdue; a microsecond later is not yet.
        at_now = make_request(clock() - TTL, ttl=TTL)
        not_yet = make_request(clock() - TTL, ttl=TTL + TICK)
        for request in (at_now, not_yet):
            store.create(request)
        counts = _sweep_until_done(store)
        # Check the count is exactly the overdue pending requests.
        assert sum(counts) == len(overdue) + 1
        for request in [*overdue, at_now]:
            assert store.get(request.id).status is RequestStatus.EXPIRED
        # Check decided and not-yet-expired requests are exactly as they were.
        for request in [*decided, not_yet]:
            assert store.get(request.id) == request

    def test_a_moved_request_is_written_under_the_lock_rule(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Only status and updated_at change, and a copy read before the sweep is stale."""
        (request,) = _pending(store, clock, 1)
        clock.advance(TTL + timedelta(minutes=5))
        assert store.expire_overdue() == 1
        expired = store.get(request.id)
        assert expired == attrs.evolve(
            request, status=RequestStatus.EXPIRED, updated_at=clock()
        )
        # Check an approver's copy from before the sweep is refused as stale, also
        # where the store's clock is back at the moment of the decision.
        clock.set(request.created_at)
        with pytest.raises(ConcurrentModification):
            store.update(request.approve(APPROVER, now=request.created_at))
        assert store.get(request.id) == expired

    def test_now_decides_what_is_overdue_and_defaults_to_the_store_clock(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """An earlier now moves fewer requests; without now the store's clock is used."""
        first, second = _pending(store, clock, 2)
        # Check a now before every expires_at moves nothing, even with the clock past them.
        clock.advance(2 * TTL)
        assert store.expire_overdue(now=first.expires_at - TICK) == 0
        # Check a now between the two moves only the first.
        assert store.expire_overdue(now=first.expires_at) == 1
        assert store.get(second.id).status is RequestStatus.PENDING
        # Check the clock is the default now.
        assert store.expire_overdue() == 1
        assert store.get(second.id).status is RequestStatus.EXPIRED

    def test_nothing_overdue_moves_nothing(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """An empty store, or one whose requests are all still live, gives 0."""
        assert store.expire_overdue() == 0
        live = _pending(store, clock, 2)
        assert store.expire_overdue() == 0
        assert [store.get(request.id) for request in live] == live

    def test_limit_caps_each_call_and_calling_again_moves_the_rest(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """With 7 overdue and limit 3, the calls move 3, 3, 1 and then 0."""
        overdue = _pending(store, clock, 7)
        clock.advance(TTL)
        assert _sweep_until_done(store, limit=3) == [3, 3, 1, 0]
        assert _ids(_status_listing(store, RequestStatus.EXPIRED)) == _ids(overdue)

    @pytest.mark.parametrize("limit", [0, -1])
    def test_a_limit_of_zero_or_less_means_the_default(
        self, store: RequestStore, clock: ManualClock, limit: int
    ) -> None:
        """limit 0 or less moves up to 1000, so a handful all go in one call."""
        overdue = _pending(store, clock, 5)
        clock.advance(TTL)
        assert store.expire_overdue(limit=limit) == len(overdue)

    def test_a_request_decided_meanwhile_is_left_alone(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """An approver with a fresh copy decides just before the sweep: the approval stands."""
        decided, other = _pending(store, clock, 2)
        fresh = store.get(decided.id)
        # The approver decides in time by the store's clock; the sweep runs later.
        approved = store.update(fresh.approve(APPROVER, now=clock()))
        clock.advance(TTL)
        # Check the sweep moves only the request still pending.
        assert store.expire_overdue() == 1
        assert store.get(decided.id) == approved
        assert store.get(other.id).status is RequestStatus.EXPIRED

    def test_after_a_sweep_the_listings_and_get_agree(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Overdue requests stay pending until swept; afterwards every view says expired."""
        overdue = _pending(store, clock, 4)
        clock.advance(timedelta(minutes=30))
        live = _pending(store, clock, 3)
        clock.set(overdue[-1].expires_at)
        # Check before the sweep: listed as pending by status, but not by list_pending.
        assert _ids(everything(store.list_pending)) == _ids(live)
        assert _ids(_status_listing(store, RequestStatus.PENDING)) == _ids(overdue + live)
        assert store.get(overdue[0].id).status is RequestStatus.PENDING
        assert store.expire_overdue() == len(overdue)
        # Check after the sweep: pending, list_pending and expired each tell the same story.
        expired = _status_listing(store, RequestStatus.EXPIRED)
        assert _ids(expired) == _ids(overdue)
        assert everything(store.list_pending) == _status_listing(store, RequestStatus.PENDING)
        assert _ids(everything(store.list_pending)) == _ids(live)
        for request in expired:
            assert store.get(request.id) == request

    def test_a_naive_now_is_refused(self, store: RequestStore) -> None:
        """now must be timezone-aware."""
        with pytest.raises(InvalidRequest) as raised:
            store.expire_overdue(now=datetime(2026, 1, 15, 12, 0))
        assert raised.value.field == "now"

    @pytest.mark.parametrize("bad", ["10", 1.5, None, True], ids=repr)
    def test_a_limit_that_is_not_an_int_is_refused(self, store: RequestStore, bad: Any) -> None:
        """limit must be an int; anything else raises InvalidRequest naming it."""
        with pytest.raises(InvalidRequest) as raised:
            store.expire_overdue(limit=bad)
        assert raised.value.field == "limit"

    def test_approvers_racing_a_sweep_each_win_or_lose_cleanly(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Every request ends approved by its approver or expired by the sweep, never both."""
        self.require("supports_threads")
        self.require("atomic_conditional_writes")
        approvers = 4
        requests = _pending(store, clock, 24)
        copies = [store.get(request.id) for request in requests]
        # The sweep works at a moment when all are overdue; the approvers decide
        # at the store's clock, before any expires_at.
        overdue_at = clock() + TTL
        approved: dict[str, Request] = {}
        refused: set[str] = set()
        swept: list[int] = []
        record = threading.Lock()

        def work(number: int) -> None:
            if number == approvers:
                swept.extend(_sweep_until_done(store, limit=5, now=overdue_at))
                return
            for copy in copies[number::approvers]:
                try:
                    written = store.update(copy.approve(APPROVER, now=clock()))
                except ConcurrentModification:
                    with record:
                        refused.add(copy.id)
                else:
                    with record:
                        approved[copy.id] = written

        with _threads_switching_often():
            run_together(approvers + 1, work)
        # A sweep call that lost every race returns 0 early; one more finds what is left.
        swept.append(store.expire_overdue(now=overdue_at))
        # Check every request was won by exactly one side.
        assert approved.keys() | refused == _ids(requests)
        assert not approved.keys() & refused
        # Check each approver's answer is what the store holds.
        for request_id, written in approved.items():
            assert store.get(request_id) == written
        # Check every refused approval was the sweep's, and the sweep counted each once.
        expired = _status_listing(store, RequestStatus.EXPIRED)
        assert _ids(expired) == refused
        assert sum(swept) == len(refused)

    def test_two_sweeps_at_once_move_each_request_once(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Sweeps running together share the work: their counts add up to the overdue."""
        self.require("supports_threads")
        self.require("atomic_conditional_writes")
        overdue = _pending(store, clock, 30)
        clock.advance(TTL)
        counts: list[list[int]] = [[], []]

        def work(number: int) -> None:
            counts[number] = _sweep_until_done(store, limit=4)

        with _threads_switching_often():
            run_together(2, work)
        counts.append(_sweep_until_done(store))
        # Check together they moved every overdue request exactly once.
        assert sum(map(sum, counts)) == len(overdue)
        assert _ids(_status_listing(store, RequestStatus.EXPIRED)) == _ids(overdue)

    def test_two_sweeps_in_a_row_move_nothing_the_second_time(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A sweep after a sweep finds nothing left to move."""
        overdue = _pending(store, clock, 5)
        clock.advance(TTL)
        assert store.expire_overdue() == len(overdue)
        assert store.expire_overdue() == 0
