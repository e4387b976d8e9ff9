"""Contract: the four listings, their limits and their cursors."""

from __future__ import annotations

import base64
import functools
from datetime import datetime, timedelta
from typing import Any

import pytest

from ..domain import InvalidRequest, Request, RequestStatus
from ..ports import (
    DEFAULT_QUERY_LIMIT,
    MAX_QUERY_LIMIT,
    InvalidCursor,
    Page,
    RequestStore,
)
from .base import Listing, StoreFixtures, all_pages
from .clock import ManualClock
from .factory import make_request

LISTINGS = ["requester", "status", "profile", "pending"]

EXPRESSION_SYNTAX = [
    "#pk",
    ":v",
    "#key = :key",
    "a OR b",
    "x' OR '1'='1",
    '"quoted"',
    "(status)",
    "attribute_exists(id)",
    "requester",
    "SET status = :approved",
    " ",
    "\u00fc\u2603\U0001f511",
    "nul\x00byte",
    "\\backslash%s{}",
]

MALFORMED_CURSORS: list[Any] = [
    "",
    "not a cursor",
    "!!!!",
    "e30",
    base64.urlsafe_b64encode(b"[1,2,3]").decode(),
    base64.urlsafe_b64encode(b'["v1","requester","alice","yesterday","0123456789abcdef"]')
    .decode()
    .rstrip("="),
    base64.urlsafe_b64encode(
        b'["v1","requester","alice","2026-01-15T03:53:45.123456000Z","XYZ"]'
    )
    .decode()
    .rstrip("="),
    "A" * 10_000,
    123,
    b"cursor",
]


def _listing(store: RequestStore, kind: str, request: Request) -> Listing:
    """The listing of ``kind`` that includes ``request``."""
    if kind == "requester":
        return functools.partial(store.list_by_requester, request.requester)
    if kind == "status":
        return functools.partial(store.list_by_status, request.status)
    if kind == "profile":
        return functools.partial(store.list_by_profile, request.profile)
    return store.list_pending


def _newest_first(requests: list[Request]) -> list[Request]:
    return sorted(requests, key=lambda request: request.created_at, reverse=True)


def _assert_newest_first(found: list[Request], expected: list[Request]) -> None:
    """Same requests, each once, in non-increasing created_at order."""
    assert len(found) == len({request.id for request in found}), "a request repeats"
    assert sorted(found, key=lambda r: r.id) == sorted(expected, key=lambda r: r.id)
    created = [request.created_at for request in found]
    assert created == sorted(created, reverse=True), "not newest first"


class ListingContract(StoreFixtures):
    """list_by_requester, list_by_status, list_by_profile and list_pending."""

    def _fill(
        self, store: RequestStore, clock: ManualClock, count: int, **fields: Any
    ) -> list[Request]:
        """Create ``count`` requests a second apart, oldest first."""
        created = []
        for _ in range(count):
            request = make_request(clock(), **fields)
            store.create(request)
            created.append(request)
            clock.advance(timedelta(seconds=1))
        return created

    def test_list_by_requester_returns_only_theirs_newest_first(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Another requester's requests are left out; the newest comes first."""
        alice = self._fill(store, clock, 3, requester="alice")
        self._fill(store, clock, 2, requester="bob")
        page = store.list_by_requester("alice")
        assert list(page) == _newest_first(alice)
        assert page.next_cursor is None

    def test_list_by_profile_returns_only_that_profile_newest_first(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Another profile's requests are left out; the newest comes first."""
        self._fill(store, clock, 2, profile="staging")
        prod = self._fill(store, clock, 3, profile="prod")
        assert list(store.list_by_profile("prod")) == _newest_first(prod)

    def test_list_by_status_returns_only_that_status_newest_first(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Each status lists exactly its own requests."""
        by_status = {
            status: self._fill(store, clock, 2, status=status) for status in RequestStatus
        }
        for status, requests in by_status.items():
            assert list(store.list_by_status(status)) == _newest_first(requests)

    def test_list_by_status_takes_the_status_value_too(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """'pending' lists the same as RequestStatus.PENDING."""
        requests = self._fill(store, clock, 2)
        page = store.list_by_status("pending")  # type: ignore[arg-type]
        assert list(page) == _newest_first(requests)

    def test_listing_a_key_nothing_has_gives_one_empty_page(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """An unknown requester, profile or status gives an empty last page."""
        self._fill(store, clock, 2)
        for page in (
            store.list_by_requester("nobody"),
            store.list_by_profile("nowhere"),
            store.list_by_status(RequestStatus.DENIED),
        ):
            assert (list(page), page.next_cursor) == ([], None)

    def test_list_pending_leaves_out_expired_and_decided_requests(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Only requests pending and not yet expired at now are listed."""
        start = clock()
        short = make_request(start, ttl=timedelta(minutes=1))
        long = make_request(start, ttl=timedelta(hours=2))
        decided = make_request(start, status=RequestStatus.APPROVED, approver="c")
        for request in (short, long, decided):
            store.create(request)
        # Check before the short one expires, both pending ones are listed.
        assert set(store.list_pending(now=start)) == {short, long}
        # Check at its expires_at exactly, the short one is expired.
        assert list(store.list_pending(now=short.expires_at)) == [long]
        # Check the store's clock is the default now.
        clock.set(long.expires_at)
        assert list(store.list_pending()) == []
        assert list(store.list_pending(now=start)) != []

    def test_list_pending_fills_every_page_among_expired_requests(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Expired requests in between do not shorten a page: each but the last is full."""
        live: list[Request] = []
        for number in range(30):
            ttl = timedelta(hours=2) if number % 3 == 0 else timedelta(minutes=30)
            request = make_request(clock(), ttl=ttl)
            store.create(request)
            if ttl == timedelta(hours=2):
                live.append(request)
            clock.advance(timedelta(seconds=1))
        now = clock() + timedelta(hours=1)
        pages = list(all_pages(functools.partial(store.list_pending, now=now), 3))
        assert all(len(page) == 3 for page in pages[:-1])
        assert len(pages[-1]) <= 3
        found = [request for page in pages for request in page]
        assert found == _newest_first(live)

    @pytest.mark.parametrize("kind", LISTINGS)
    def test_limit_one_pages_through_one_at_a_time(
        self, store: RequestStore, clock: ManualClock, kind: str
    ) -> None:
        """With limit 1 every page holds one request and every request comes once."""
        requests = self._fill(store, clock, 4)
        pages = list(all_pages(_listing(store, kind, requests[0]), 1))
        assert all(len(page) == 1 for page in pages[:4])
        assert [request for page in pages for request in page] == _newest_first(requests)
        assert len(pages) in (4, 5)

    @pytest.mark.parametrize("limit", [0, -1, -1000])
    def test_a_limit_of_zero_or_less_means_the_default(
        self, store: RequestStore, clock: ManualClock, limit: int
    ) -> None:
        """0 or a negative limit gives pages of DEFAULT_QUERY_LIMIT."""
        requests = self._fill(store, clock, DEFAULT_QUERY_LIMIT + 1)
        page = store.list_by_requester(requests[0].requester, limit=limit)
        assert len(page) == DEFAULT_QUERY_LIMIT
        assert page.next_cursor is not None
        rest = store.list_by_requester(
            requests[0].requester, limit=limit, cursor=page.next_cursor
        )
        assert list(page) + list(rest) == _newest_first(requests)

    def test_a_limit_above_the_maximum_is_capped(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """MAX_QUERY_LIMIT is the largest page, whatever limit asks for."""
        requests = [make_request(clock()) for _ in range(MAX_QUERY_LIMIT + 1)]
        for request in requests:
            store.create(request)
        for limit in (MAX_QUERY_LIMIT, MAX_QUERY_LIMIT + 1, 5000):
            page = store.list_by_status(RequestStatus.PENDING, limit=limit)
            assert len(page) == MAX_QUERY_LIMIT
            rest = store.list_by_status(
                RequestStatus.PENDING, limit=limit, cursor=page.next_cursor
            )
            assert (len(rest), rest.next_cursor) == (1, None)
            _assert_newest_first(list(page) + list(rest), requests)

    @pytest.mark.parametrize("kind", LISTINGS)
    def test_cursors_give_every_request_once_when_created_at_is_shared(
        self, store: RequestStore, clock: ManualClock, kind: str
    ) -> None:
        """Many requests with one created_at are each listed exactly once."""
        same_instant = [make_request(clock()) for _ in range(25)]
        clock.advance(timedelta(seconds=1))
        later = [make_request(clock()) for _ in range(5)]
        for request in same_instant + later:
            store.create(request)
        for limit in (1, 2, 7, 25):
            pages = list(all_pages(_listing(store, kind, later[0]), limit))
            assert all(len(page) == limit for page in pages[:-1])
            found = [request for page in pages for request in page]
            _assert_newest_first(found, same_instant + later)
            assert set(found[:5]) == set(later)

    def test_after_an_exhausted_cursor_comes_an_empty_last_page(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A page exactly as long as what is left may carry a cursor; it leads nowhere."""
        requests = self._fill(store, clock, 4)
        page = store.list_by_profile(requests[0].profile, limit=4)
        assert len(page) == 4
        if page.next_cursor is not None:
            rest = store.list_by_profile(requests[0].profile, limit=4, cursor=page.next_cursor)
            assert (list(rest), rest.next_cursor) == ([], None)

    def test_a_cursor_stays_valid_when_its_request_is_deleted(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """A cursor is a position: deleting the request it points at loses nothing else."""
        requests = _newest_first(self._fill(store, clock, 5))
        page = store.list_by_requester(requests[0].requester, limit=2)
        store.delete(page.items[-1].id)
        rest = store.list_by_requester(requests[0].requester, limit=10, cursor=page.next_cursor)
        assert list(rest) == requests[2:]

    def test_a_page_is_iterable_and_sized(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Page behaves as a sized sequence of its items, with a next_cursor."""
        requests = self._fill(store, clock, 3)
        page = store.list_by_requester(requests[0].requester, limit=2)
        assert isinstance(page, Page)
        assert len(page) == 2
        assert list(page) == list(page.items) == _newest_first(requests)[:2]
        assert isinstance(page.items, tuple)
        assert isinstance(page.next_cursor, str)

    @pytest.mark.parametrize("kind", LISTINGS)
    @pytest.mark.parametrize("cursor", MALFORMED_CURSORS, ids=lambda c: repr(c)[:30])
    def test_a_malformed_cursor_raises_invalid_cursor(
        self, store: RequestStore, clock: ManualClock, kind: str, cursor: Any
    ) -> None:
        """A cursor that does not decode to a valid position is refused."""
        request = make_request(clock())
        store.create(request)
        with pytest.raises(InvalidCursor):
            _listing(store, kind, request)(limit=1, cursor=cursor)

    @pytest.mark.parametrize(
        ("source", "target"),
        [
            (source, target)
            for source in LISTINGS
            for target in LISTINGS
            if not source == target == "pending"  # list_pending has no key
        ],
    )
    def test_a_cursor_from_another_listing_raises_invalid_cursor(
        self, store: RequestStore, clock: ManualClock, source: str, target: str
    ) -> None:
        """A cursor only resumes the listing, and the key, that handed it out."""
        alice = self._fill(store, clock, 2, requester="alice", profile="prod")
        bob = self._fill(
            store,
            clock,
            2,
            requester="bob",
            profile="dev",
            status=RequestStatus.DENIED,
            approver="carol",
        )
        cursor = _listing(store, source, alice[0])(limit=1).next_cursor
        assert cursor is not None
        # The same kind of listing, but for bob's key, or another kind for alice's.
        other = bob[0] if source == target else alice[0]
        with pytest.raises(InvalidCursor):
            _listing(store, target, other)(limit=1, cursor=cursor)

    def test_expression_syntax_in_keys_is_stored_and_matched_literally(
        self, store: RequestStore, clock: ManualClock
    ) -> None:
        """Requesters and profiles made of expression syntax are only ever data."""
        made = {
            text: make_request(clock(), requester=text, profile=text[::-1] or text)
            for text in EXPRESSION_SYNTAX
        }
        for request in made.values():
            store.create(request)
        for text, request in made.items():
            assert list(store.list_by_requester(text)) == [request], text
            assert list(store.list_by_profile(request.profile)) == [request], text
            assert store.get(request.id) == request
        assert len(store.list_by_status(RequestStatus.PENDING)) == len(made)

    @pytest.mark.parametrize("bad", ["", "x" * 2049, None, 7, "\ud800"], ids=repr)
    def test_listing_by_a_key_no_request_can_have_is_refused(
        self, store: RequestStore, bad: Any
    ) -> None:
        """An empty, overlong or non-text requester or profile raises InvalidRequest."""
        with pytest.raises(InvalidRequest) as raised:
            store.list_by_requester(bad)
        assert raised.value.field == "requester"
        with pytest.raises(InvalidRequest) as raised:
            store.list_by_profile(bad)
        assert raised.value.field == "profile"

    @pytest.mark.parametrize("bad", ["approve", "PENDING", None, 1], ids=repr)
    def test_listing_by_an_unknown_status_is_refused(
        self, store: RequestStore, bad: Any
    ) -> None:
        """A status that is not a RequestStatus (or its value) raises InvalidRequest."""
        with pytest.raises(InvalidRequest) as raised:
            store.list_by_status(bad)
        assert raised.value.field == "status"

    @pytest.mark.parametrize("bad", ["10", 1.5, None, True], ids=repr)
    def test_a_limit_that_is_not_an_int_is_refused(self, store: RequestStore, bad: Any) -> None:
        """limit must be an int; anything else raises InvalidRequest naming it."""
        with pytest.raises(InvalidRequest) as raised:
            store.list_by_requester("alice", limit=bad)
        assert raised.value.field == "limit"
        with pytest.raises(InvalidRequest):
            store.list_pending(limit=bad)

    def test_list_pending_refuses_a_naive_now(self, store: RequestStore) -> None:
        """now must be timezone-aware."""
        with pytest.raises(InvalidRequest) as raised:
            store.list_pending(now=datetime(2026, 1, 15, 12, 0))
        assert raised.value.field == "now"
