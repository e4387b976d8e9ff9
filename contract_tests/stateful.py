"""Contract: random sequences of operations, each answer compared with a plain model."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    rule,
    run_state_machine_as_test,
)

from ..domain import InvalidTransition, Request, RequestStatus, refuse_late_decision
from ..ports import (
    TICK,
    ConcurrentModification,
    RequestExists,
    RequestNotFound,
    RequestStore,
    resolve_limit,
    resolve_sweep_limit,
)
from .base import Listing, StoreFixtures, all_pages
from .clock import ManualClock
from .strategies import requests

REQUESTERS = ["alice", "bob", "#pk OR :v"]
PROFILES = ["prod", "dev \x00"]
LIMITS = st.sampled_from([-1, 0, 1, 2, 3, 7])
CLOCK_STEPS = st.sampled_from(
    [
        timedelta(0),
        TICK,
        timedelta(seconds=1),
        timedelta(minutes=30),
        -timedelta(hours=1),
    ]
)
TTLS = st.sampled_from([TICK, timedelta(minutes=30), timedelta(hours=2)])
SWEEP_LIMITS = st.sampled_from([-1, 0, 1, 2, 1000])


class StoreModelMachine(RuleBasedStateMachine):
    """Drives a store with every operation of the port against a dict."""

    ids = Bundle("ids")
    store: RequestStore
    clock: ManualClock

    @classmethod
    def against(cls, store: RequestStore, clock: ManualClock) -> type[StoreModelMachine]:
        """Return this machine bound to ``store``, which reads ``clock``."""
        return type(cls.__name__, (cls,), {"store": store, "clock": clock})

    def __init__(self) -> None:
        super().__init__()
        self.model: dict[str, Request] = {}
        self.copies: list[Request] = []
        # The updated_at each request's last update replaced: a copy holding it
        # that repeats that very decision is a retry, and gets the stored request.
        self.previous: dict[str, Request] = {}

    def teardown(self) -> None:
        for request_id in self.model:
            self.store.delete(request_id)

    @rule(
        target=ids,
        data=st.data(),
        requester=st.sampled_from(REQUESTERS),
        profile=st.sampled_from(PROFILES),
        back=st.integers(min_value=0, max_value=2),
        pending=st.booleans(),
    )
    def create(
        self,
        data: st.DataObject,
        requester: str,
        profile: str,
        back: int,
        pending: bool,
    ) -> str:
        created_at = self.clock() - back * timedelta(seconds=1)
        request = data.draw(
            requests(
                requesters=st.just(requester),
                profiles=st.just(profile),
                statuses=st.just(RequestStatus.PENDING) if pending else None,
                created_ats=st.just(created_at),
                ttls=TTLS,
            )
        )
        if request.id in self.model:
            if request == self.model[request.id]:
                self.store.create(request)  # a repeated create of what is stored succeeds
            else:
                with pytest.raises(RequestExists):
                    self.store.create(request)
            return request.id
        self.store.create(request)
        self.model[request.id] = request
        self.copies.append(request)
        self._check_access_after(request)
        return request.id

    @rule(request_id=ids)
    def create_again(self, request_id: str) -> None:
        if request_id not in self.model:
            return
        original = self.model[request_id]
        with pytest.raises(RequestExists):
            self.store.create(attrs.evolve(original, approver_comment="again"))

    @rule(request_id=ids)
    def get(self, request_id: str) -> None:
        if request_id in self.model:
            read = self.store.get(request_id)
            assert read == self.model[request_id]
            self.copies.append(read)
        else:
            with pytest.raises(RequestNotFound):
                self.store.get(request_id)

    @rule(
        request_id=ids,
        status=st.sampled_from(RequestStatus),
        approver=st.sampled_from(["", "carol", "dave"]),
        comment=st.text(max_size=20),
    )
    def update_fresh(
        self, request_id: str, status: RequestStatus, approver: str, comment: str
    ) -> None:
        if request_id not in self.model:
            return
        current = self.model[request_id]
        self._update(
            attrs.evolve(current, status=status, approver=approver, approver_comment=comment)
        )

    @rule(data=st.data(), status=st.sampled_from(RequestStatus))
    def update_from_a_copy(self, data: st.DataObject, status: RequestStatus) -> None:
        if not self.copies:
            return
        copy = data.draw(st.sampled_from(self.copies))
        self._update(attrs.evolve(copy, status=status, approver_comment="from a copy"))

    @rule(request_id=consumes(ids))
    def delete(self, request_id: str) -> None:
        self.store.delete(request_id)
        self.model.pop(request_id, None)
        self.previous.pop(request_id, None)
        with pytest.raises(RequestNotFound):
            self.store.get(request_id)

    @rule(step=CLOCK_STEPS)
    def move_the_clock(self, step: timedelta) -> None:
        self.clock.advance(step)

    @rule(requester=st.sampled_from(REQUESTERS), limit=LIMITS)
    def list_by_requester(self, requester: str, limit: int) -> None:
        self._check_listing(
            functools.partial(self.store.list_by_requester, requester),
            [r for r in self.model.values() if r.requester == requester],
            limit,
        )

    @rule(profile=st.sampled_from(PROFILES), limit=LIMITS)
    def list_by_profile(self, profile: str, limit: int) -> None:
        self._check_listing(
            functools.partial(self.store.list_by_profile, profile),
            [r for r in self.model.values() if r.profile == profile],
            limit,
        )

    @rule(status=st.sampled_from(RequestStatus), limit=LIMITS)
    def list_by_status(self, status: RequestStatus, limit: int) -> None:
        self._check_listing(
            functools.partial(self.store.list_by_status, status),
            [r for r in self.model.values() if r.status is status],
            limit,
        )

    @rule(offset=CLOCK_STEPS, limit=LIMITS, use_clock=st.booleans())
    def list_pending(self, offset: timedelta, limit: int, use_clock: bool) -> None:
        now = self.clock() if use_clock else self.clock() + offset
        listing = (
            self.store.list_pending
            if use_clock
            else functools.partial(self.store.list_pending, now=now)
        )
        self._check_listing(
            listing,
            [
                r
                for r in self.model.values()
                if r.status is RequestStatus.PENDING and now < r.expires_at
            ],
            limit,
        )

    @rule(offset=CLOCK_STEPS, limit=SWEEP_LIMITS, use_clock=st.booleans())
    def expire_overdue(self, offset: timedelta, limit: int, use_clock: bool) -> None:
        now = self.clock() if use_clock else self.clock() + offset
        overdue = [r for r in self.model.values() if r.is_expired(now)]
        moved = (
            self.store.expire_overdue(limit=limit)
            if use_clock
            else self.store.expire_overdue(now=now, limit=limit)
        )
        # Nothing else writes, so a call moves as many as it may; which ones is the store's.
        assert moved == min(len(overdue), resolve_sweep_limit(limit))
        expired = []
        for request in overdue:
            read = self.store.get(request.id)
            if read.status is RequestStatus.EXPIRED:
                expected = attrs.evolve(
                    request,
                    status=RequestStatus.EXPIRED,
                    updated_at=max(self.clock(), request.updated_at + TICK),
                )
                assert read == expected
                expired.append(read)
            else:
                assert read == request
        assert len(expired) == moved
        for request in expired:
            self.model[request.id] = request
            self.copies.append(request)

    @rule(
        requester=st.sampled_from(REQUESTERS),
        profile=st.sampled_from(PROFILES),
        offset=CLOCK_STEPS,
        use_clock=st.booleans(),
    )
    def find_active_approval(
        self, requester: str, profile: str, offset: timedelta, use_clock: bool
    ) -> None:
        self._check_access(requester, profile, None if use_clock else self.clock() + offset)

    def _update(self, request: Request) -> None:
        stored = self.model.get(request.id)
        if _too_late(request, self.clock()):
            # Check the store's clock refuses a late decision before anything else.
            with pytest.raises(InvalidTransition):
                self.store.update(request)
            return
        if stored is not None and _repeats(stored, self.previous.get(request.id), request):
            # Check a retry of the decision that is stored gets the stored request.
            assert self.store.update(request) == stored
            return
        refusal = _expected_refusal(stored, request)
        if refusal is not None:
            with pytest.raises(refusal):
                self.store.update(request)
            if stored is not None:
                # Check a refused update changed nothing.
                assert self.store.get(request.id) == stored
            return
        assert stored is not None
        expected = attrs.evolve(
            stored,
            status=request.status,
            approver=request.approver,
            approver_comment=request.approver_comment,
            updated_at=max(self.clock(), request.updated_at + TICK),
        )
        assert self.store.update(request) == expected
        self.previous[request.id] = request
        self.model[request.id] = expected
        self.copies.append(expected)
        self._check_access_after(expected)

    def _check_access_after(self, written: Request) -> None:
        """Ask for access right after an approval is written, when it most often grants."""
        if written.status is RequestStatus.APPROVED:
            self._check_access(written.requester, written.profile, None)

    def _check_access(self, requester: str, profile: str, now: datetime | None) -> None:
        """find_active_approval answers with a newest granting request, or None."""
        found = self.store.find_active_approval(requester, profile, now=now)
        at = self.clock() if now is None else now
        granting = [
            r
            for r in self.model.values()
            if r.requester == requester and r.profile == profile and r.grants_access(at)
        ]
        if not granting:
            assert found is None
            return
        # Requests created at one instant are equally newest; any of them may answer.
        newest = max(request.created_at for request in granting)
        assert found in [request for request in granting if request.created_at == newest]

    def _check_listing(self, listing: Listing, expected: list[Request], limit: int) -> None:
        page_size = resolve_limit(limit)
        pages = list(all_pages(listing, limit))
        assert all(len(page) == page_size for page in pages[:-1])
        assert len(pages[-1]) <= page_size
        found = [request for page in pages for request in page]
        assert len(found) == len({request.id for request in found}), "a request repeats"
        assert sorted(found, key=lambda r: r.id) == sorted(expected, key=lambda r: r.id)
        created = [request.created_at for request in found]
        assert created == sorted(created, reverse=True), "not newest first"


def _repeats(stored: Request, previous: Request | None, request: Request) -> bool:
    """Whether ``request`` is the very update that made ``stored``, sent again."""
    return (
        previous is not None
        and previous.updated_at == request.updated_at
        and (stored.status, stored.approver, stored.approver_comment)
        == (request.status, request.approver, request.approver_comment)
    )


def _too_late(request: Request, now: datetime) -> bool:
    """Whether the store's clock at ``now`` refuses ``request``'s decision (section 3)."""
    try:
        refuse_late_decision(request, now)
    except InvalidTransition:
        return True
    return False


def _expected_refusal(stored: Request | None, request: Request) -> type[Exception] | None:
    """The error the port's lock rule gives for updating ``stored`` with ``request``."""
    if stored is None:
        return RequestNotFound
    if stored.updated_at != request.updated_at:
        return ConcurrentModification
    if stored.status.is_terminal:
        return InvalidTransition
    return None


class StatefulContract(StoreFixtures):
    """The store agrees with a plain model over random sequences of operations."""

    stateful_step_count = 25

    def test_the_store_agrees_with_a_plain_model(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Every answer of every operation, in any order, matches a dict of requests."""
        run_state_machine_as_test(
            StoreModelMachine.against(store, clock),
            settings=settings(
                stateful_step_count=self.stateful_step_count,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
