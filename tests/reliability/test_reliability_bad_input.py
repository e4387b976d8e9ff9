"""Bad input, table-driven: each raises the documented error, and never reaches DynamoDB.

Every row runs against the in-memory store and against DynamoDBRequestStore
on the moto server; on DynamoDB a botocore hook counts the requests sent
while the row runs, which must be none.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from call_log import CallLog

from access_requests.adapters.cursor import MAX_CURSOR_LENGTH, Position, encode_cursor
from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.contract_tests import make_request, suite_clock
from access_requests.domain import (
    InvalidRequest,
    InvalidTransition,
    Request,
    RequestStatus,
)
from access_requests.ports import InvalidCursor, RequestStore

NAIVE = datetime(2026, 1, 15, 3, 53, 45)
STAMP = "2026-01-15T03:53:45.123456000Z"


@attrs.frozen
class Seed:
    """What the rows work from: a stored request and cursors the store handed out."""

    store: Any  # the rows feed it arguments of the wrong type, on purpose
    request: Request
    alice_cursor: str
    pending_status_cursor: str


Row = tuple[str, Callable[[Seed], object], type[Exception], str]


def _evolved(**fields: Any) -> Callable[[Seed], object]:
    return lambda seed: attrs.evolve(seed.request, **fields)


def _created(**fields: Any) -> Callable[[Seed], object]:
    return lambda seed: seed.store.create(attrs.evolve(seed.request, **fields))


def _updated(**fields: Any) -> Callable[[Seed], object]:
    return lambda seed: seed.store.update(attrs.evolve(seed.request, **fields))


ROWS: list[Row] = [
    # Request fields at and past their bounds, and of the wrong type.
    ("requester empty", _evolved(requester=""), InvalidRequest, "requester"),
    ("requester too long", _created(requester="r" * 257), InvalidRequest, "requester"),
    ("requester not text", _evolved(requester=7), InvalidRequest, "requester"),
    ("requester lone surrogate", _evolved(requester="\ud800"), InvalidRequest, "requester"),
    ("profile empty", _evolved(profile=""), InvalidRequest, "profile"),
    ("profile too long", _created(profile="p" * 257), InvalidRequest, "profile"),
    (
        "justification too short",
        _evolved(justification="j" * 9),
        InvalidRequest,
        "justification",
    ),
    (
        "justification too long",
        _evolved(justification="j" * 501),
        InvalidRequest,
        "justification",
    ),
    ("duration zero", _evolved(duration=timedelta(0)), InvalidRequest, "duration"),
    (
        "duration past 8 hours",
        _evolved(duration=timedelta(hours=8, microseconds=1)),
        InvalidRequest,
        "duration",
    ),
    ("duration in seconds", _evolved(duration=3600), InvalidRequest, "duration"),
    ("status as text", _evolved(status="approved"), InvalidRequest, "status"),
    ("id uppercase", _evolved(id="0123456789ABCDEF"), InvalidRequest, "id"),
    ("id too short", _evolved(id="0123456789abcde"), InvalidRequest, "id"),
    ("created_at naive", _evolved(created_at=NAIVE), InvalidRequest, "created_at"),
    ("created_at as text", _evolved(created_at=STAMP), InvalidRequest, "created_at"),
    (
        "updated_at before created_at",
        _created(updated_at=NAIVE.replace(tzinfo=UTC) - timedelta(days=1)),
        InvalidRequest,
        "updated_at",
    ),
    (
        "expires_at at created_at",
        lambda seed: seed.store.create(
            attrs.evolve(seed.request, expires_at=seed.request.created_at)
        ),
        InvalidRequest,
        "expires_at",
    ),
    ("approver too long", _created(approver="a" * 257), InvalidRequest, "approver"),
    (
        "comment too long",
        _created(approver_comment="c" * 1001),
        InvalidRequest,
        "approver_comment",
    ),
    (
        "new with a negative ttl",
        lambda seed: make_request(seed.request.created_at, ttl=-timedelta(hours=1)),
        InvalidRequest,
        "ttl",
    ),
    (
        "approve with a naive now",
        lambda seed: seed.request.approve("carol", now=NAIVE),
        InvalidRequest,
        "now",
    ),
    (
        "approve without an approver",
        lambda seed: seed.request.approve(" ", now=seed.request.created_at),
        InvalidTransition,
        "approver",
    ),
    # Store calls with malformed ids and arguments of the wrong type.
    ("get empty id", lambda seed: seed.store.get(""), InvalidRequest, "request_id"),
    (
        "get uppercase id",
        lambda seed: seed.store.get("0123456789ABCDEF"),
        InvalidRequest,
        "hex",
    ),
    ("get None", lambda seed: seed.store.get(None), InvalidRequest, "request_id"),
    ("get int id", lambda seed: seed.store.get(123), InvalidRequest, "request_id"),
    ("get path", lambda seed: seed.store.get("../../etc/passwd"), InvalidRequest, "hex"),
    (
        "delete bytes id",
        lambda seed: seed.store.delete(b"0123456789abcdef"),
        InvalidRequest,
        "request_id",
    ),
    (
        "delete 17 chars",
        lambda seed: seed.store.delete("0123456789abcdef0"),
        InvalidRequest,
        "hex",
    ),
    ("create a dict", lambda seed: seed.store.create({"id": "x"}), InvalidRequest, "request"),
    ("create None", lambda seed: seed.store.create(None), InvalidRequest, "request"),
    (
        "update text",
        lambda seed: seed.store.update("0123456789abcdef"),
        InvalidRequest,
        "request",
    ),
    ("create with empty requester", _created(requester=""), InvalidRequest, "requester"),
    # Listing keys DynamoDB itself would refuse (an empty key) or no request can have.
    (
        "list empty requester",
        lambda seed: seed.store.list_by_requester(""),
        InvalidRequest,
        "requester",
    ),
    (
        "list long requester",
        lambda seed: seed.store.list_by_requester("r" * 2049),
        InvalidRequest,
        "requester",
    ),
    (
        "list None requester",
        lambda seed: seed.store.list_by_requester(None),
        InvalidRequest,
        "requester",
    ),
    (
        "list empty profile",
        lambda seed: seed.store.list_by_profile(""),
        InvalidRequest,
        "profile",
    ),
    (
        "list int profile",
        lambda seed: seed.store.list_by_profile(42),
        InvalidRequest,
        "profile",
    ),
    (
        "list unknown status",
        lambda seed: seed.store.list_by_status("approve"),
        InvalidRequest,
        "status",
    ),
    (
        "list None status",
        lambda seed: seed.store.list_by_status(None),
        InvalidRequest,
        "status",
    ),
    # Limits that are not ints.
    (
        "limit text",
        lambda seed: seed.store.list_by_requester("alice", limit="10"),
        InvalidRequest,
        "limit",
    ),
    (
        "limit float",
        lambda seed: seed.store.list_by_profile("prod", limit=1.5),
        InvalidRequest,
        "limit",
    ),
    ("limit None", lambda seed: seed.store.list_pending(limit=None), InvalidRequest, "limit"),
    (
        "limit bool",
        lambda seed: seed.store.list_by_status(RequestStatus.PENDING, limit=True),
        InvalidRequest,
        "limit",
    ),
    # now for list_pending.
    (
        "pending naive now",
        lambda seed: seed.store.list_pending(now=NAIVE),
        InvalidRequest,
        "now",
    ),
    (
        "pending text now",
        lambda seed: seed.store.list_pending(now=STAMP),
        InvalidRequest,
        "now",
    ),
    # Malformed and foreign cursors.
    (
        "cursor empty",
        lambda seed: seed.store.list_by_requester("alice", cursor=""),
        InvalidCursor,
        "characters",
    ),
    (
        "cursor garbage",
        lambda seed: seed.store.list_by_requester("alice", cursor="@@@"),
        InvalidCursor,
        "characters",
    ),
    (
        "cursor not base64 json",
        lambda seed: seed.store.list_by_requester("alice", cursor="bm90IGpzb24"),
        InvalidCursor,
        "decode",
    ),
    ("cursor int", lambda seed: seed.store.list_pending(cursor=5), InvalidCursor, "str"),
    (
        "cursor huge",
        lambda seed: seed.store.list_pending(cursor="A" * (MAX_CURSOR_LENGTH + 1)),
        InvalidCursor,
        "characters",
    ),
    (
        "cursor of another requester",
        lambda seed: seed.store.list_by_requester("bob", cursor=seed.alice_cursor),
        InvalidCursor,
        "'alice'",
    ),
    (
        "cursor of another index",
        lambda seed: seed.store.list_by_profile("prod", cursor=seed.alice_cursor),
        InvalidCursor,
        "listing by requester",
    ),
    (
        "status cursor to list_pending",
        lambda seed: seed.store.list_pending(cursor=seed.pending_status_cursor),
        InvalidCursor,
        "listing by status",
    ),
    (
        "cursor with a forged timestamp",
        lambda seed: seed.store.list_by_requester(
            "alice",
            cursor=encode_cursor("requester", "alice", Position("yesterday", seed.request.id)),
        ),
        InvalidCursor,
        "position",
    ),
    (
        "cursor with a forged id",
        lambda seed: seed.store.list_by_requester(
            "alice", cursor=encode_cursor("requester", "alice", Position(STAMP, "x"))
        ),
        InvalidCursor,
        "position",
    ),
]


@pytest.fixture(params=["memory", "dynamodb"])
def target(request: pytest.FixtureRequest) -> tuple[RequestStore, CallLog | None]:
    clock = suite_clock()
    if request.param == "memory":
        return InMemoryRequestStore(clock=clock), None
    client, name = request.getfixturevalue("server_table")
    return DynamoDBRequestStore(client, name, clock=clock), CallLog(client)


def _seed(store: RequestStore) -> Seed:
    clock = suite_clock()
    request = make_request(clock(), requester="alice", profile="prod")
    store.create(request)
    store.create(make_request(clock(), requester="alice", profile="prod"))
    alice = store.list_by_requester("alice", limit=1).next_cursor
    pending = store.list_by_status(RequestStatus.PENDING, limit=1).next_cursor
    assert alice is not None
    assert pending is not None
    return Seed(store, request, alice, pending)


def test_there_are_at_least_forty_rows() -> None:
    """The table covers the public API broadly."""
    assert len(ROWS) >= 40


@pytest.mark.parametrize(
    ("action", "error", "named"), [row[1:] for row in ROWS], ids=[row[0] for row in ROWS]
)
def test_bad_input_raises_the_documented_error_before_any_io(
    action: Callable[[Seed], object],
    error: type[Exception],
    named: str,
    target: tuple[RequestStore, CallLog | None],
) -> None:
    """The error names what is wrong; DynamoDB is never called; nothing stored changes."""
    store, calls = target
    seed = _seed(store)
    before = list(store.list_by_requester("alice"))
    sent = len(calls.operations) if calls else 0
    with pytest.raises(error) as raised:
        action(seed)
    assert named in str(raised.value)
    if calls is not None:
        assert calls.operations[sent:] == [], "a bad input reached DynamoDB"
    assert list(store.list_by_requester("alice")) == before
