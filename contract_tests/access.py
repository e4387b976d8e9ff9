"""Contract: find_active_approval, the access check a credential issuer makes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from ..domain import MAX_DURATION, InvalidRequest, Request, RequestStatus
from ..ports import TICK, RequestStore
from .base import StoreFixtures
from .clock import ManualClock
from .factory import make_request

APPROVER = "carol@example.com"


def _approved(store: RequestStore, created_at: datetime, **fields: Any) -> Request:
    """Store a request created at ``created_at`` and already approved."""
    request = make_request(
        created_at, status=RequestStatus.APPROVED, approver=APPROVER, **fields
    )
    store.create(request)
    return request


def _find(store: RequestStore, request: Request, now: datetime | None = None) -> Request | None:
    """What find_active_approval answers for ``request``'s requester and profile."""
    return store.find_active_approval(request.requester, request.profile, now=now)


class AccessContract(StoreFixtures):
    """find_active_approval answers as ``Request.grants_access`` decides."""

    def test_access_ends_with_the_duration_when_that_comes_first(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """At created_at + duration access is granted; a microsecond later it is not."""
        request = _approved(store, clock(), duration=timedelta(hours=1))
        end = request.access_window_end
        assert end < request.expires_at
        # Check from creation to the last instant of the window, the request grants.
        for now in (request.created_at, end - TICK, end):
            assert _find(store, request, now) == request
        # Check one microsecond past the window, nothing grants.
        assert _find(store, request, end + TICK) is None

    def test_access_ends_at_expires_at_when_that_comes_first(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """At expires_at access is granted; a microsecond later it is not."""
        request = _approved(
            store, clock(), duration=timedelta(hours=2), ttl=timedelta(minutes=30)
        )
        end = request.expires_at
        assert end < request.access_window_end
        assert _find(store, request, end) == request
        assert _find(store, request, end + TICK) is None

    def test_a_request_created_after_now_grants_by_the_same_rule(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A created_at ahead of now (a skewed clock wrote it) still grants, as in Go."""
        request = _approved(store, clock() + timedelta(minutes=5))
        assert _find(store, request) == request

    def test_now_defaults_to_the_store_clock(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Without ``now``, the answer is the one at the store's clock."""
        request = _approved(store, clock(), duration=timedelta(hours=1))
        assert _find(store, request) == request
        # Check once the clock passes the window, nothing grants.
        clock.set(request.access_window_end + TICK)
        assert _find(store, request) is None

    def test_the_granting_request_is_returned_as_stored(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A request approved through update is found exactly as update returned it."""
        request = make_request(clock())
        store.create(request)
        clock.advance(timedelta(minutes=5))
        approved = store.update(request.approve(APPROVER, now=clock()))
        found = _find(store, request)
        assert found == approved
        assert found is not None
        assert found.updated_at == approved.updated_at

    def test_another_profile_or_another_requester_gets_nothing(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """An approval is for its own requester and profile only."""
        request = _approved(store, clock(), requester="alice", profile="prod")
        find = store.find_active_approval
        assert find("alice", "prod") == request
        assert find("alice", "staging") is None
        assert find("bob", "prod") is None
        # Check a prefix of the key is another key.
        assert find("alic", "prod") is None
        assert find("alice", "pro") is None

    @pytest.mark.parametrize(
        "status",
        [status for status in RequestStatus if status is not RequestStatus.APPROVED],
        ids=lambda status: status.value,
    )
    def test_only_an_approved_request_grants_access(
        self, store: RequestStore, clock: ManualClock, status: RequestStatus
    ) -> None:
        """A pending, denied, cancelled or expired request grants nothing."""
        request = make_request(clock(), status=status, approver=APPROVER)
        store.create(request)
        assert _find(store, request) is None

    def test_a_newer_denied_request_does_not_hide_an_approval(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """The answer is the newest granting request, not the newest request."""
        approved = _approved(store, clock())
        clock.advance(timedelta(minutes=1))
        store.create(make_request(clock(), status=RequestStatus.DENIED, approver=APPROVER))
        assert _find(store, approved) == approved

    def test_the_newest_of_several_granting_requests_is_returned(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Among granting requests, the one created last wins, whatever its window."""
        granting = []
        for duration in (timedelta(hours=8), timedelta(hours=4), timedelta(hours=1)):
            granting.append(_approved(store, clock(), duration=duration))
            clock.advance(timedelta(minutes=1))
        # Check newer requests for another profile or in another status change nothing.
        _approved(store, clock(), profile="staging")
        store.create(make_request(clock()))
        newest = granting[-1]
        assert _find(store, newest) == newest
        # Check once the newest one's window ends, the next newest still granting answers.
        assert _find(store, newest, newest.access_window_end + TICK) == granting[1]

    def test_a_request_created_max_duration_ago_grants_to_the_end_of_its_window(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """The oldest request that can grant, created exactly MAX_DURATION ago, is found."""
        now = clock()
        oldest = _approved(store, now - MAX_DURATION, duration=MAX_DURATION)
        assert _find(store, oldest) == oldest
        assert _find(store, oldest, now + TICK) is None

    def test_a_request_created_longer_ago_than_max_duration_can_no_longer_grant(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Old approvals with far-off expires_at grant nothing; a recent one still does."""
        now = clock()
        old = [
            _approved(
                store,
                now - timedelta(hours=hours_ago),
                duration=MAX_DURATION,
                ttl=timedelta(days=30),
            )
            for hours_ago in (9, 24, 30)
        ]
        assert _find(store, old[0]) is None
        # Check a recent approval whose window has ended grants nothing either.
        ended = _approved(store, now - timedelta(hours=7), duration=timedelta(hours=1))
        assert _find(store, ended) is None
        # Check a recent approval whose window is open is found among them.
        open_window = _approved(store, now - timedelta(hours=6), duration=MAX_DURATION)
        assert _find(store, ended) == open_window

    def test_a_naive_now_is_refused(self, store: RequestStore) -> None:
        """now must be timezone-aware."""
        with pytest.raises(InvalidRequest) as raised:
            store.find_active_approval("alice", "prod", now=datetime(2026, 1, 15, 12, 0))
        assert raised.value.field == "now"

    @pytest.mark.parametrize("bad", ["", "x" * 2049, None, 7, "\ud800"], ids=repr)
    def test_a_key_no_request_can_have_is_refused(self, store: RequestStore, bad: Any) -> None:
        """An empty, overlong or non-text requester or profile raises InvalidRequest."""
        with pytest.raises(InvalidRequest) as raised:
            store.find_active_approval(bad, "prod")
        assert raised.value.field == "requester"
        with pytest.raises(InvalidRequest) as raised:
            store.find_active_approval("alice", bad)
        assert raised.value.field == "profile"
