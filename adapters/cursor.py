"""Opaque listing cursors, shared by the adapters.

A cursor names the listing it belongs to (which index and which key) and the
position of the last request handed out: its stored created_at string, as it
is, and its id. It is checked against the listing it is given to before any
store is touched.

The cursor is the URL-safe base64 of a flat JSON array of five strings, in
UTF-8 with non-ASCII characters as they are (``ensure_ascii=False``): escaped,
an emoji would take 12 characters, and the store would hand out cursors too
long for it to take back. Its length limit is the longest cursor a store can
hand out, and nothing but a flat array of strings reaches the JSON decoder, so
no cursor can make it recurse deeply.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

import attrs

from ..domain import REQUEST_ID_LENGTH, InvalidRequest, validate_request_id
from ..ports import InvalidCursor
from ..ports.arguments import MAX_KEY_BYTES
from .timestamps import parse_timestamp

_VERSION = "v1"
_URLSAFE_BASE64 = re.compile(r"[A-Za-z0-9_-]+")
# A JSON string as json.dumps writes one: no raw control characters, and only JSON's escapes.
_STRING = r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"'
# What every cursor decodes to, so that nothing nested ever reaches json.loads.
_FLAT_ARRAY_OF_STRINGS = re.compile(rf"\[{_STRING}(?:,{_STRING})*\]")
# The longest created_at a cursor can carry: the Go system's form, nine digits and an offset.
_LONGEST_CREATED_AT = "2026-01-15T03:53:45.123456789+14:00"


@attrs.frozen
class Position:
    """Where a listing stopped: the last request handed out."""

    created_at: str
    request_id: str


def encode_cursor(listing: str, key: str, position: Position) -> str:
    """Return the cursor that resumes ``listing`` for ``key`` after ``position``."""
    payload = [_VERSION, listing, key, position.created_at, position.request_id]
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


# The longest cursor a store can hand out: the longest key, made of the characters that
# JSON escapes longest (a control character as \u00XX: six bytes for each byte of the key).
MAX_CURSOR_LENGTH = len(
    encode_cursor(
        "requester",
        "\x00" * MAX_KEY_BYTES,
        Position(_LONGEST_CREATED_AT, "0" * REQUEST_ID_LENGTH),
    )
)


def decode_cursor(cursor: object, listing: str, key: str) -> Position:
    """Return the position in ``cursor``, if it was handed out by this listing and key.

    Raises:
        InvalidCursor: The cursor does not decode, or belongs to another listing.
    """
    payload = _payload(cursor)
    version, cursor_listing, cursor_key, created_at, request_id = payload
    if version != _VERSION:
        raise InvalidCursor(f"unknown cursor version {version!r}")
    if cursor_listing != listing:
        raise InvalidCursor(f"it belongs to a listing by {cursor_listing}, not by {listing}")
    if cursor_key != key:
        raise InvalidCursor(
            f"it belongs to the listing of {listing} {cursor_key!r}, not {key!r}"
        )
    try:
        parse_timestamp(created_at)
        validate_request_id(request_id)
    except (ValueError, InvalidRequest) as error:
        raise InvalidCursor(f"its position is not valid: {error}") from None
    return Position(created_at=created_at, request_id=request_id)


def _payload(cursor: object) -> list[str]:
    if not isinstance(cursor, str):
        raise InvalidCursor(f"must be a str, got {type(cursor).__name__}")
    if not cursor or len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor(f"must be 1 to {MAX_CURSOR_LENGTH} characters")
    if not _URLSAFE_BASE64.fullmatch(cursor):
        raise InvalidCursor("it holds characters no cursor has")
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        raise InvalidCursor("it does not decode") from None
    if not _FLAT_ARRAY_OF_STRINGS.fullmatch(text):
        raise InvalidCursor("it does not decode to a list of strings")
    payload: list[str] = json.loads(text)
    if len(payload) != 5:
        raise InvalidCursor("it does not decode to a position")
    return payload
