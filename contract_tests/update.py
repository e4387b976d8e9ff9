"""Contract: update, its lock rule and the status machine it enforces."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest

from ..domain import InvalidRequest, InvalidTransition, Request, RequestStatus
from ..ports import TICK, ConcurrentModification, RequestNotFound, RequestStore
from .base import StoreFixtures
from .clock import ManualClock
from .factory import make_request

TERMINAL = [status for status in RequestStatus if status.is_terminal]


def _stored(store: RequestStore, clock: ManualClock, **fields: Any) -> Request:
    request = make_request(clock(), **fields)
    store.create(request)
    return request


class UpdateContract(StoreFixtures):
    """update: optimistic locking on updated_at and the status machine."""

    def test_update_writes_the_decision_and_returns_it_as_stored(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """An approval is stored with its approver and comment, and returned as read back."""
        request = _stored(store, clock)
        clock.advance(timedelta(minutes=5))
        result = store.update(request.approve("carol", "on call", now=clock()))
        # Check the result carries the decision and a new updated_at from the clock.
        assert result.status is RequestStatus.APPROVED
        assert (result.approver, result.approver_comment) == ("carol", "on call")
        assert result.updated_at == clock()
        # Check the store holds exactly what update returned.
        assert store.get(request.id) == result

    @pytest.mark.parametrize("action", ["approve", "deny", "cancel", "expire"])
    def test_every_transition_can_be_stored(
        self, store: RequestStore, clock: ManualClock, action: str
    ) -> None:
        """Each transition of a pending request is stored with its status."""
        request = _stored(store, clock, ttl=timedelta(hours=1))
        if action == "expire":
            clock.advance(timedelta(hours=1))
            changed = request.expire(now=clock())
        elif action == "cancel":
            changed = request.cancel(now=clock())
        else:
            changed = getattr(request, action)("carol", now=clock())
        result = store.update(changed)
        assert result.status is changed.status
        assert store.get(request.id) == result

    def test_a_pending_request_can_stay_pending_with_a_new_comment(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """pending to pending is a transition, so a comment can change on its own."""
        request = _stored(store, clock)
        result = store.update(attrs.evolve(request, approver_comment="looking"))
        assert result.status is RequestStatus.PENDING
        assert result.approver_comment == "looking"
        assert store.get(request.id) == result

    def test_update_never_rewrites_the_other_fields(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Only status, approver, approver_comment and updated_at are written."""
        request = _stored(store, clock)
        forged = attrs.evolve(
            request.approve("carol", now=clock()),
            requester="mallory",
            profile="root",
            justification="I changed my mind about this",
            duration=timedelta(hours=8),
            # Forged times that keep the decision in time: the store's clock judges
            # the times a copy carries, before any I/O (section 3).
            created_at=request.created_at + timedelta(minutes=1),
            expires_at=request.expires_at + timedelta(days=365),
        )
        result = store.update(forged)
        expected = attrs.evolve(
            request,
            status=RequestStatus.APPROVED,
            approver="carol",
            updated_at=result.updated_at,
        )
        assert result == expected
        assert store.get(request.id) == expected

    def test_a_stale_token_raises_concurrent_modification_and_changes_nothing(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A copy read before another write cannot overwrite that write."""
        request = _stored(store, clock)
        first = store.update(request.approve("carol", now=clock()))
        with pytest.raises(ConcurrentModification) as raised:
            store.update(request.deny("dave", now=clock()))
        assert raised.value.request_id == request.id
        assert store.get(request.id) == first

    def test_a_token_from_the_future_is_refused(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """The token must equal the stored updated_at, not merely be later."""
        request = _stored(store, clock)
        ahead = attrs.evolve(request, updated_at=request.updated_at + timedelta(hours=1))
        with pytest.raises(ConcurrentModification):
            store.update(ahead.approve("carol", now=clock()))
        assert store.get(request.id) == request

    def test_under_a_frozen_clock_two_updates_give_two_tokens(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """With time standing still, each update still moves updated_at on by 1 microsecond."""
        request = _stored(store, clock)
        first = store.update(attrs.evolve(request, approver_comment="one"))
        second = store.update(attrs.evolve(first, approver_comment="two"))
        # Check each token is strictly later than the one it replaced.
        assert first.updated_at == request.updated_at + TICK
        assert second.updated_at == first.updated_at + TICK
        # Check the older token is refused and nothing changes.
        with pytest.raises(ConcurrentModification):
            store.update(attrs.evolve(first, approver_comment="three"))
        assert store.get(request.id) == second

    def test_a_clock_that_steps_backwards_still_moves_updated_at_forward(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A clock set back an hour cannot make updated_at go back, nor revive a token."""
        request = _stored(store, clock)
        clock.advance(timedelta(minutes=10))
        first = store.update(attrs.evolve(request, approver_comment="one"))
        clock.advance(timedelta(hours=-1))
        second = store.update(attrs.evolve(first, approver_comment="two"))
        assert request.updated_at < first.updated_at < second.updated_at
        assert second.updated_at == first.updated_at + TICK
        with pytest.raises(ConcurrentModification):
            store.update(attrs.evolve(request, approver_comment="stale"))
        with pytest.raises(ConcurrentModification):
            store.update(attrs.evolve(first, approver_comment="stale"))
        assert store.get(request.id) == second

    def test_updated_at_follows_the_clock_when_it_is_ahead(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """When the clock is past the token, the new updated_at is the clock's time."""
        request = _stored(store, clock)
        later = clock.advance(timedelta(seconds=42))
        assert store.update(request.cancel(now=later)).updated_at == later

    def test_update_of_an_unknown_request_raises_request_not_found(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """update never creates: a request that is not stored is not found."""
        request = make_request(clock())
        with pytest.raises(RequestNotFound) as raised:
            store.update(request.approve("carol", now=clock()))
        assert raised.value.request_id == request.id
        with pytest.raises(RequestNotFound):
            store.get(request.id)

    def test_update_after_delete_raises_request_not_found(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A copy of a deleted request cannot bring it back."""
        request = _stored(store, clock)
        store.delete(request.id)
        with pytest.raises(RequestNotFound):
            store.update(request.approve("carol", now=clock()))
        with pytest.raises(RequestNotFound):
            store.get(request.id)

    @pytest.mark.parametrize("stored_status", TERMINAL, ids=lambda s: s.value)
    @pytest.mark.parametrize("new_status", list(RequestStatus), ids=lambda s: s.value)
    def test_a_terminal_request_cannot_be_changed_at_all(
        self,
        store: RequestStore,
        clock: ManualClock,
        stored_status: RequestStatus,
        new_status: RequestStatus,
    ) -> None:
        """Even a copy built by hand with attrs.evolve cannot move a final request."""
        stored = _stored(store, clock, status=stored_status, approver="carol")
        forged = attrs.evolve(
            stored, status=new_status, approver="mallory", approver_comment="forged"
        )
        with pytest.raises(InvalidTransition) as raised:
            store.update(forged)
        assert raised.value.request_id == stored.id
        assert store.get(stored.id) == stored

    def test_a_stale_token_on_a_terminal_request_is_a_concurrent_modification(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """When the copy is stale and the stored request final, the stale copy is reported."""
        request = _stored(store, clock)
        denied = store.update(request.deny("carol", now=clock()))
        with pytest.raises(ConcurrentModification):
            store.update(request.approve("dave", now=clock()))
        assert store.get(request.id) == denied

    def test_update_refuses_what_is_not_a_request(self, store: RequestStore) -> None:
        """update raises InvalidRequest naming the argument for anything but a Request."""
        with pytest.raises(InvalidRequest) as raised:
            store.update("0123456789abcdef")  # type: ignore[arg-type]
        assert raised.value.field == "request"

    def test_a_status_change_moves_the_request_between_status_listings(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """After an approval the request is listed as approved and no longer as pending."""
        request = _stored(store, clock)
        result = store.update(request.approve("carol", now=clock()))
        assert list(store.list_by_status(RequestStatus.APPROVED)) == [result]
        assert list(store.list_by_status(RequestStatus.PENDING)) == []
        assert list(store.list_pending()) == []
        assert list(store.list_by_requester(request.requester)) == [result]
