"""Contract: create, get and delete."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest

from ..domain import InvalidRequest, Request, RequestStatus
from ..ports import RequestExists, RequestNotFound, RequestStore
from .base import StoreFixtures
from .clock import ManualClock
from .factory import make_request

MALFORMED_IDS: list[Any] = [
    "",
    "0123456789abcde",
    "0123456789abcdef0",
    "0123456789ABCDEF",
    "0123456789abcdeg",
    " 0123456789abcde",
    "0123456789abcdef\n",
    "../../etc/passwd",
    None,
    123,
    b"0123456789abcdef",
]


class CrudContract(StoreFixtures):
    """Create, get and delete, with their errors."""

    def test_a_created_request_reads_back_equal(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A created request is returned by get exactly as it was given."""
        request = make_request(clock())
        store.create(request)
        assert store.get(request.id) == request

    def test_every_field_is_kept_exactly(self, store: RequestStore, clock: ManualClock) -> None:
        """Longest values, unicode, expression syntax and microseconds survive storage."""
        request = make_request(
            clock(),
            requester="r" * 255 + "é",
            profile="#pk = :v OR (a <> 'b') \u2603 \x00 end",
            justification="j" * 500,
            duration=timedelta(hours=8),
            ttl=timedelta(microseconds=1),
        )
        request = attrs.evolve(
            request,
            approver="approver \u00e9",
            approver_comment="c" * 1000,
            updated_at=request.created_at + timedelta(microseconds=1),
        )
        store.create(request)
        assert store.get(request.id) == request

    @pytest.mark.parametrize("status", list(RequestStatus))
    def test_a_request_in_any_status_can_be_created(
        self, store: RequestStore, clock: ManualClock, status: RequestStatus
    ) -> None:
        """create stores what it is given, whatever its status."""
        request = make_request(clock(), status=status)
        store.create(request)
        assert store.get(request.id).status is status

    def test_create_refuses_a_taken_id_and_keeps_the_original(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A second create with the same id raises RequestExists and changes nothing."""
        original = make_request(clock())
        store.create(original)
        impostor = attrs.evolve(make_request(clock(), requester="mallory"), id=original.id)
        with pytest.raises(RequestExists) as raised:
            store.create(impostor)
        assert raised.value.request_id == original.id
        assert store.get(original.id) == original

    def test_creating_the_same_request_twice_succeeds_so_a_retry_is_safe(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A second create of exactly what is stored is the caller's retry: it succeeds."""
        request = make_request(clock())
        store.create(request)
        store.create(request)
        assert store.get(request.id) == request

    def test_creating_a_request_again_once_it_changed_raises_request_exists(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Once the stored request changed, a repeated create is refused: no overwriting."""
        request = make_request(clock())
        store.create(request)
        approved = store.update(request.approve("carol", now=clock()))
        with pytest.raises(RequestExists):
            store.create(request)
        assert store.get(request.id) == approved

    def test_create_refuses_what_is_not_a_request(self, store: RequestStore) -> None:
        """create raises InvalidRequest naming the argument for anything but a Request."""
        with pytest.raises(InvalidRequest) as raised:
            store.create({"id": "0123456789abcdef"})  # type: ignore[arg-type]
        assert raised.value.field == "request"

    def test_get_of_an_unknown_id_raises_request_not_found(self, store: RequestStore) -> None:
        """get raises RequestNotFound, naming the id, when nothing has it."""
        with pytest.raises(RequestNotFound) as raised:
            store.get("0123456789abcdef")
        assert raised.value.request_id == "0123456789abcdef"

    @pytest.mark.parametrize("request_id", MALFORMED_IDS, ids=repr)
    def test_get_refuses_a_malformed_id(self, store: RequestStore, request_id: Any) -> None:
        """get raises InvalidRequest for an id that no request can have."""
        with pytest.raises(InvalidRequest, match="16 lowercase hex"):
            store.get(request_id)

    def test_delete_removes_the_request(self, store: RequestStore, clock: ManualClock) -> None:
        """After delete, get raises RequestNotFound and the listings leave it out."""
        request = make_request(clock())
        store.create(request)
        store.delete(request.id)
        with pytest.raises(RequestNotFound):
            store.get(request.id)
        assert list(store.list_by_requester(request.requester)) == []
        assert list(store.list_by_status(RequestStatus.PENDING)) == []
        assert list(store.list_by_profile(request.profile)) == []
        assert list(store.list_pending()) == []

    def test_delete_leaves_other_requests_alone(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Deleting one request keeps every other one."""
        kept, removed = make_request(clock()), make_request(clock())
        store.create(kept)
        store.create(removed)
        store.delete(removed.id)
        assert store.get(kept.id) == kept
        assert list(store.list_by_requester(kept.requester)) == [kept]

    def test_delete_of_an_unknown_id_is_not_an_error(self, store: RequestStore) -> None:
        """delete is idempotent: deleting what is not there does nothing."""
        store.delete("0123456789abcdef")
        store.delete("0123456789abcdef")
        with pytest.raises(RequestNotFound):
            store.get("0123456789abcdef")

    @pytest.mark.parametrize("request_id", MALFORMED_IDS, ids=repr)
    def test_delete_refuses_a_malformed_id(self, store: RequestStore, request_id: Any) -> None:
        """delete raises InvalidRequest for an id that no request can have."""
        with pytest.raises(InvalidRequest, match="16 lowercase hex"):
            store.delete(request_id)

    def test_a_deleted_id_can_be_created_again(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Once deleted, an id is free for a new create."""
        first = make_request(clock())
        store.create(first)
        store.delete(first.id)
        second = attrs.evolve(make_request(clock(), requester="bob"), id=first.id)
        store.create(second)
        assert store.get(first.id) == second

    def test_requests_from_request_new_are_independent(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Many requests created at one instant are all kept, each under its own id."""
        created: list[Request] = [make_request(clock()) for _ in range(20)]
        for request in created:
            store.create(request)
        assert [store.get(request.id) for request in created] == created
