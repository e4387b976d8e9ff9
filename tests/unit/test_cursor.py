"""Cursors: every cursor a store hands out is taken back; no crafted cursor escapes as anything
but InvalidCursor."""

import base64
import json
from collections.abc import Callable, Iterator

import boto3
import pytest
from conftest import REGION
from hypothesis import given
from hypothesis import strategies as st
from moto import mock_aws
from strict_dynamodb import strict

from access_requests.adapters.cursor import (
    MAX_CURSOR_LENGTH,
    Position,
    decode_cursor,
    encode_cursor,
)
from access_requests.adapters.dynamodb import DynamoDBRequestStore, create_table
from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import Request, RequestStatus
from access_requests.ports import InvalidCursor, Page, RequestStore

REQUEST_ID = "0123456789abcdef"
# The longest created_at a stored item can have: the Go system's nine digits and an offset.
GO_CREATED_AT = "2026-01-15T03:53:45.123456789+14:00"
# Keys of 2048 bytes, DynamoDB's limit on an index key, each of the characters that encode
# longest: control characters (escaped by JSON), quotes and backslashes, emoji, accents.
LONGEST_KEYS = {
    "NUL": "\x00" * 2048,
    "control": "\x1f" * 2048,
    "quote": '"' * 2048,
    "backslash": "\\" * 2048,
    "emoji": "\N{GRINNING FACE}" * 512,
    "accent": "\N{LATIN SMALL LETTER E WITH ACUTE}" * 1024,
}


def cursor_of(payload: bytes) -> str:
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")


@pytest.mark.parametrize("key", list(LONGEST_KEYS.values()), ids=list(LONGEST_KEYS))
def test_the_cursor_of_the_longest_key_a_table_can_hold_is_taken_back(key: str) -> None:
    """A key of 2048 bytes of any characters, and the longest created_at, fit in a cursor."""
    position = Position(GO_CREATED_AT, REQUEST_ID)
    cursor = encode_cursor("requester", key, position)
    assert len(cursor) <= MAX_CURSOR_LENGTH
    assert decode_cursor(cursor, "requester", key) == position


@given(
    key=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=512),
    created_at=st.sampled_from(
        ["2026-01-15T03:53:45.123456000Z", "2026-01-15T03:53:45Z", GO_CREATED_AT]
    ),
)
def test_every_cursor_decodes_to_the_position_it_was_made_from(
    key: str, created_at: str
) -> None:
    """Any text key of up to 512 characters (2048 bytes) round-trips through a cursor."""
    position = Position(created_at, REQUEST_ID)
    assert decode_cursor(encode_cursor("profile", key, position), "profile", key) == position


def test_a_cursor_written_with_json_escapes_is_still_taken_back() -> None:
    """Cursors handed out before non-ASCII went unescaped still decode."""
    key = "\N{GRINNING FACE} alice"
    payload = ["v1", "requester", key, GO_CREATED_AT, REQUEST_ID]
    cursor = cursor_of(json.dumps(payload, separators=(",", ":")).encode("ascii"))
    assert decode_cursor(cursor, "requester", key) == Position(GO_CREATED_AT, REQUEST_ID)


NESTED = {
    "3000 [": b"[" * 3000,
    "3000 {": b"{" * 3000,
    "3000 [ closed": b"[" * 3000 + b"]" * 3000,
    "nested after a string": b'["v1",' + b"[" * 3000,
    "nested list of strings": b'[["v1","requester","alice","' + GO_CREATED_AT.encode() + b'"]]',
    "object": b'{"v1":"requester"}',
    "spaces": b'["v1", "requester", "alice", "x", "y"]',
    "invalid UTF-8": b'["\xff"]',
}


@pytest.mark.parametrize("payload", list(NESTED.values()), ids=list(NESTED))
def test_a_cursor_that_is_not_a_flat_list_of_strings_is_invalid(payload: bytes) -> None:
    """Deep nesting, objects or bad bytes raise InvalidCursor, never RecursionError."""
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor_of(payload), "requester", "alice")


def test_a_cursor_longer_than_any_a_store_hands_out_is_refused_before_decoding() -> None:
    with pytest.raises(InvalidCursor, match=f"1 to {MAX_CURSOR_LENGTH} characters"):
        decode_cursor("A" * (MAX_CURSOR_LENGTH + 1), "requester", "alice")


@pytest.fixture(params=["memory", "dynamodb"])
def store(request: pytest.FixtureRequest, clock: ManualClock) -> Iterator[RequestStore]:
    """An empty store: in memory, or DynamoDB on moto in-process."""
    if request.param == "memory":
        yield InMemoryRequestStore(clock=clock)
        return
    with mock_aws():
        client = strict(boto3.client("dynamodb", region_name=REGION))
        create_table(client, "cursors")
        yield DynamoDBRequestStore(client, "cursors", clock=clock)


def test_a_requester_of_256_emoji_can_follow_every_page(
    store: RequestStore, clock: ManualClock
) -> None:
    """The longest requester of the widest characters pages one request at a time to the end."""
    requester = "\N{GRINNING FACE}" * 256
    created = []
    for _ in range(3):
        created.append(make_request(clock(), requester=requester))
        store.create(created[-1])
        clock.advance()
    seen: list[Request] = []
    cursor = None
    while True:
        page = store.list_by_requester(requester, limit=1, cursor=cursor)
        seen.extend(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == created[::-1]


@pytest.mark.parametrize("payload", list(NESTED.values())[:3], ids=list(NESTED)[:3])
def test_every_listing_refuses_a_deeply_nested_cursor(
    payload: bytes, store: RequestStore
) -> None:
    """InvalidCursor from every listing of every store, for urlsafe_b64encode(b"[" * 3000)."""
    cursor = cursor_of(payload)
    listings: list[Callable[[], Page]] = [
        lambda: store.list_by_requester("alice", cursor=cursor),
        lambda: store.list_by_profile("prod", cursor=cursor),
        lambda: store.list_by_status(RequestStatus.PENDING, cursor=cursor),
        lambda: store.list_pending(cursor=cursor),
    ]
    for listing in listings:
        with pytest.raises(InvalidCursor):
            listing()
