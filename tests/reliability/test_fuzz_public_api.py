"""Fuzz: whatever a caller passes to a store, only an AccessRequestError comes out.

Every public method of every store is called with arbitrary values in every
argument: wrong types, None, huge and unicode strings (lone surrogates and NUL
included), naive and aware datetimes up to datetime.min and datetime.max,
floats, bools, bytes, valid requests, and crafted cursors (deep JSON nesting
among them). The README documents no other error from a store's methods (not
even TypeError: a wrong type is InvalidRequest), so anything else that
escapes fails the test. The stores: InMemoryRequestStore, and
DynamoDBRequestStore on moto in-process. Methods that are not on a store yet
(``expire_overdue``, ``find_active_approval``) are skipped, with that reason,
until they land.
"""

import base64
import contextlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import boto3
import pytest
from conftest import REGION
from hypothesis import given
from hypothesis import strategies as st
from moto import mock_aws
from strict_dynamodb import strict

from access_requests.adapters.cursor import Position, encode_cursor
from access_requests.adapters.dynamodb import DynamoDBRequestStore, create_table
from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.contract_tests import make_request, suite_clock
from access_requests.contract_tests.strategies import request_ids, requests
from access_requests.domain import AccessRequestError, Request, RequestStatus
from access_requests.ports import Clock, RequestStore

EDGES = timezone(timedelta(hours=14)), timezone(timedelta(hours=-14)), UTC


def _base64(payload: bytes) -> str:
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")


def repeated(text: str, times: int) -> st.SearchStrategy[str]:
    """``text`` ``times`` over, built when drawn, so that hypothesis's reports stay short."""
    return st.just(times).map(lambda count: text * count)


def base64_of(payload: bytes, times: int = 1) -> st.SearchStrategy[str]:
    """The cursor-like base64 of ``payload`` ``times`` over."""
    return st.just(times).map(lambda count: _base64(payload * count))


TEXTS = st.one_of(
    st.text(),
    st.text(st.characters(categories=["Cs", "Cc", "So"])),  # lone surrogates, NUL, emoji
    repeated("x", 100_000),
    repeated("\N{GRINNING FACE}", 300),
    st.sampled_from(
        [
            "",
            "\x00",
            "\ud800",
            "alice\udfff",
            "pending",
            "PENDING",
            " pending",
            "0123456789abcdef",
            "0123456789ABCDEF",
            "2026-01-15T03:53:45.123456000Z",
        ]
    ),
)
DATETIMES = st.one_of(
    st.datetimes(),  # naive
    st.datetimes(timezones=st.sampled_from(EDGES)),
    st.sampled_from(
        [datetime.min, datetime.max]
        + [
            moment.replace(tzinfo=zone)
            for moment in (datetime.min, datetime.max)
            for zone in EDGES
        ]
    ),
)
NUMBERS = st.one_of(
    st.booleans(),
    st.integers(),
    st.sampled_from([0, -1, 1, 1000, 1001, 2**63, -(2**63), 10**100]),
    st.floats(),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=10,
)
# Text a store could hold, and so put into a cursor: no lone surrogates.
VALID_TEXTS = st.text() | st.text(st.characters(categories=["Cc", "So"])) | st.just("alice")
CURSORS = st.one_of(
    base64_of(b"[", 3000),
    base64_of(b"{", 3000),
    base64_of(b"[", 3000).map(lambda cursor: cursor + _base64(b"]" * 3000)),
    base64_of(b'["v1","requester","alice",' + b"[" * 3000),
    repeated("A", 100_000),
    st.binary().map(_base64),
    JSON.map(lambda value: _base64(json.dumps(value).encode())),
    st.builds(
        encode_cursor,
        st.sampled_from(["requester", "status", "profile", "pending"]) | VALID_TEXTS,
        VALID_TEXTS,
        st.builds(
            Position,
            st.sampled_from(["2026-01-15T03:53:45.123456000Z", "2026-01-15T03:53:45+14:00"])
            | VALID_TEXTS,
            request_ids() | VALID_TEXTS,
        ),
    ),
    st.from_regex(r"[A-Za-z0-9_-]{1,200}", fullmatch=True),
)
ANYTHING = st.one_of(
    st.none(),
    NUMBERS,
    TEXTS,
    st.binary(),
    DATETIMES,
    st.timedeltas(),
    st.sampled_from(RequestStatus),
    CURSORS,
    requests(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    st.builds(object),
)
KEYS = TEXTS | ANYTHING
LIMITS = NUMBERS | ANYTHING
OPTIONS = {
    "limit": LIMITS,
    "cursor": CURSORS | ANYTHING,
    "now": DATETIMES | ANYTHING,
}


def keywords(*names: str) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the keyword arguments ``names``, each with any value."""
    return st.fixed_dictionaries({}, optional={name: OPTIONS[name] for name in names})


def no_keywords() -> st.SearchStrategy[dict[str, Any]]:
    return st.just({})


# Each method, with the arguments to call it with: (positional, keyword).
METHODS: dict[str, st.SearchStrategy[tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "create": st.tuples(st.tuples(requests() | ANYTHING), no_keywords()),
    "get": st.tuples(st.tuples(request_ids() | KEYS), no_keywords()),
    "update": st.tuples(st.tuples(requests() | ANYTHING), no_keywords()),
    "delete": st.tuples(st.tuples(request_ids() | KEYS), no_keywords()),
    "list_by_requester": st.tuples(st.tuples(KEYS), keywords("limit", "cursor")),
    "list_by_status": st.tuples(
        st.tuples(st.sampled_from(RequestStatus) | KEYS), keywords("limit", "cursor")
    ),
    "list_by_profile": st.tuples(st.tuples(KEYS), keywords("limit", "cursor")),
    "list_pending": st.tuples(st.just(()), keywords("now", "limit", "cursor")),
    "expire_overdue": st.tuples(st.just(()), keywords("now", "limit")),
    "find_active_approval": st.tuples(st.tuples(KEYS, KEYS), keywords("now")),
}
STORES: dict[str, type[object]] = {
    "memory": InMemoryRequestStore,
    "dynamodb": DynamoDBRequestStore,
}


def _cases() -> list[Any]:
    return [
        pytest.param(
            store,
            method,
            id=f"{store}-{method}",
            marks=pytest.mark.skipif(
                not hasattr(store_class, method),
                reason=f"{store_class.__name__}.{method} has not landed yet",
            ),
        )
        for store, store_class in STORES.items()
        for method in METHODS
    ]


StoreFactory = Callable[[str, Clock], RequestStore]


@pytest.fixture(scope="module")
def new_store() -> Iterator[StoreFactory]:
    """Makes a store of a kind with a clock; DynamoDB stores share one table on moto."""
    with mock_aws():
        client = strict(boto3.client("dynamodb", region_name=REGION))
        create_table(client, "fuzz")

        def new(kind: str, clock: Clock) -> RequestStore:
            if kind == "memory":
                return InMemoryRequestStore(clock=clock)
            return DynamoDBRequestStore(client, "fuzz", clock=clock)

        yield new


@pytest.fixture(scope="module")
def stores(new_store: StoreFactory) -> dict[str, RequestStore]:
    """One store of each kind, holding a few requests, for every example of the module."""
    clock = suite_clock()
    held = {kind: new_store(kind, clock) for kind in STORES}
    for store in held.values():
        for requester in ("alice", "\N{GRINNING FACE}" * 256):
            store.create(make_request(clock(), requester=requester))
    return held


def only_access_request_errors(call: Callable[[], object]) -> None:
    """Make ``call``; an AccessRequestError is an answer, anything else escapes and fails."""
    with contextlib.suppress(AccessRequestError):
        call()


@pytest.mark.parametrize(("store", "method"), _cases())
@given(arguments=st.data())
def test_no_argument_makes_a_store_raise_anything_but_access_request_error(
    stores: dict[str, RequestStore], store: str, method: str, arguments: st.DataObject
) -> None:
    """Any values in any argument of any method: only AccessRequestError subclasses escape."""
    positional, keyword = arguments.draw(METHODS[method], label="arguments")
    call = getattr(stores[store], method)
    only_access_request_errors(lambda: call(*positional, **keyword))


@pytest.mark.parametrize("store", list(STORES))
@given(request=requests(statuses=st.just(RequestStatus.PENDING)), now=DATETIMES | ANYTHING)
def test_a_created_request_updated_with_any_decision_raises_only_access_request_errors(
    stores: dict[str, RequestStore], store: str, request: Request, now: Any
) -> None:
    """A pending request from any time, stored, then approved at any ``now``, and updated."""

    def create_and_update() -> None:
        stores[store].create(request)
        stores[store].update(request.approve("carol", now=now))

    only_access_request_errors(create_and_update)


END_OF_TIME = datetime.max.replace(tzinfo=UTC)


def at_the_end_of_time(value: object) -> bool:
    """Whether ``value`` is an aware datetime in the last second of time (issue 10 item 6)."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return False
    try:
        return value.astimezone(UTC) > END_OF_TIME - timedelta(seconds=1)
    except OverflowError:
        return False  # before datetime.min or after datetime.max in UTC: InvalidRequest


@pytest.mark.parametrize("store", list(STORES))
@given(
    request=requests(statuses=st.just(RequestStatus.PENDING)),
    now=(DATETIMES | ANYTHING).filter(lambda value: not at_the_end_of_time(value)),
)
def test_a_clock_that_returns_anything_makes_a_store_raise_only_access_request_errors(
    new_store: StoreFactory, store: str, request: Request, now: Any
) -> None:
    """Every method that reads the clock, on a store whose clock returns ``now``.

    A clock at the end of time is left to
    ``test_an_update_at_the_end_of_time_raises_only_access_request_errors``.
    """
    clocked = new_store(store, lambda: now)
    calls: list[Callable[[], object]] = [
        lambda: clocked.create(request),
        lambda: clocked.update(attrs.evolve(request, approver_comment="first")),
        lambda: clocked.update(
            clocked.get(request.id).approve("carol", now=request.created_at)
        ),
        lambda: clocked.list_pending(),
    ]
    if hasattr(clocked, "expire_overdue"):
        calls.append(lambda: clocked.expire_overdue())
    if hasattr(clocked, "find_active_approval"):
        calls.append(lambda: clocked.find_active_approval(request.requester, request.profile))
    for call in calls:
        only_access_request_errors(call)


def _updated_at_the_end_of_time() -> tuple[Request, Clock]:
    request = make_request(END_OF_TIME - timedelta(days=1), ttl=timedelta(days=1))
    # The store's clock is at the moment of the request, which it refuses to see created ahead.
    return attrs.evolve(request, updated_at=END_OF_TIME), lambda: request.created_at


def _clock_at_the_end_of_time() -> tuple[Request, Clock]:
    return make_request(suite_clock()()), lambda: END_OF_TIME


@pytest.mark.parametrize(
    "case",
    [_updated_at_the_end_of_time, _clock_at_the_end_of_time],
    ids=["updated_at at datetime.max", "clock at datetime.max"],
)
@pytest.mark.parametrize("store", list(STORES))
def test_an_update_at_the_end_of_time_raises_only_access_request_errors(
    new_store: StoreFactory, store: str, case: Callable[[], tuple[Request, Clock]]
) -> None:
    """Two updates of a request updated at datetime.max, or by a clock stuck there."""
    request, clock = case()
    clocked = new_store(store, clock)
    clocked.create(request)
    first = attrs.evolve(clocked.get(request.id), approver_comment="first")
    only_access_request_errors(lambda: clocked.update(first))
    second = attrs.evolve(clocked.get(request.id), approver_comment="second")
    only_access_request_errors(lambda: clocked.update(second))
