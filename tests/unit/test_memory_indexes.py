"""Unit tests of the in-memory store's pending index, against a plain filter."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from access_requests.adapters import memory_indexes, memory_sorted
from access_requests.adapters.memory_indexes import PendingIndex
from access_requests.contract_tests import make_request
from access_requests.domain import Request

START = datetime(2026, 1, 15, tzinfo=UTC)
MINUTES = st.integers(min_value=0, max_value=120)


def _requests(shape: list[tuple[int, int]]) -> list[Request]:
    """Requests created ``created`` minutes after START, expiring ``ttl`` + 1 minutes later."""
    return [
        make_request(START + timedelta(minutes=created), ttl=timedelta(minutes=ttl + 1))
        for created, ttl in shape
    ]


def _live_at(requests: list[Request], now: datetime) -> list[str]:
    """The ids list_pending owes at ``now``, newest first."""
    live = sorted((r.created_at, r.id) for r in requests if now < r.expires_at)
    return [request_id for _, request_id in reversed(live)]


@given(
    one_at_a_time=st.sampled_from([0, 2, 1000]),
    block=st.sampled_from([1, 2, 1000]),
    shape=st.lists(st.tuples(MINUTES, MINUTES), max_size=30),
    nows=st.lists(st.integers(min_value=-10, max_value=260), min_size=1, max_size=8),
    removed=st.integers(min_value=0, max_value=30),
)
def test_the_live_walk_matches_a_filter_at_any_sequence_of_nows(
    one_at_a_time: int,
    block: int,
    shape: list[tuple[int, int]],
    nows: list[int],
    removed: int,
) -> None:
    """Forward, backward, one or many at once, in blocks of any size: the live walk is exact."""
    requests = _requests(shape)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(memory_indexes, "_MOVED_ONE_AT_A_TIME", one_at_a_time)
        patch.setattr(memory_sorted, "_BLOCK", block)
        index = PendingIndex()
        for request in requests:
            index.add(request)
        for number, minutes in enumerate(nows):
            now = START + timedelta(minutes=minutes)
            # Check removing a request between moves keeps both lists in step.
            if number == 1 and requests:
                index.remove(requests.pop(removed % len(requests)))
            assert list(index.live_newest_first(now, None)) == _live_at(requests, now)
            overdue = index.overdue(now, 1000)
            assert sorted(overdue) == sorted(r.id for r in requests if now >= r.expires_at)


def test_overdue_gives_the_soonest_expired_first_up_to_the_limit() -> None:
    """The sweep takes the requests that expired first, at most ``limit`` of them."""
    requests = _requests([(0, 30), (0, 10), (0, 20), (0, 90)])
    index = PendingIndex()
    for request in requests:
        index.add(request)
    now = START + timedelta(hours=1)
    assert index.overdue(now, 2) == [requests[1].id, requests[2].id]
    assert index.overdue(now, 10) == [requests[1].id, requests[2].id, requests[0].id]


def test_a_walk_resumes_after_the_cursor_entry() -> None:
    """Starting after an entry yields the older live requests only."""
    requests = _requests([(0, 60), (1, 60), (2, 60)])
    index = PendingIndex()
    for request in requests:
        index.add(request)
    middle = (requests[1].created_at, requests[1].id)
    assert list(index.live_newest_first(START, middle)) == [requests[0].id]
