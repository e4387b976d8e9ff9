"""Opaque listing cursors, shared by the adapters.

A cursor names the listing it belongs to (which index and which key) and the
position of the last request handed out: its stored created_at string, as it
is, and its id. It is checked against the listing it is given to before any
store is touched.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

import attrs

from ..domain import InvalidRequest, validate_request_id
from ..ports import InvalidCursor
from .timestamps import parse_timestamp

_VERSION = "v1"
_MAX_CURSOR_LENGTH = 4096
_URLSAFE_BASE64 = re.compile(r"[A-Za-z0-9_-]+")


@attrs.frozen
class Position:
    """Where a listing stopped: the last request handed out."""

    created_at: str
    request_id: str


def encode_cursor(listing: str, key: str, position: Position) -> str:
    """Return the cursor that resumes ``listing`` for ``key`` after ``position``."""
    payload = [_VERSION, listing, key, position.created_at, position.request_id]
    raw = json.dumps(payload, separators=(",", ":")).encode("ascii")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


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
    if not cursor or len(cursor) > _MAX_CURSOR_LENGTH:
        raise InvalidCursor(f"must be 1 to {_MAX_CURSOR_LENGTH} characters")
    if not _URLSAFE_BASE64.fullmatch(cursor):
        raise InvalidCursor("it holds characters no cursor has")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        raise InvalidCursor("it does not decode") from None
    if (
        not isinstance(payload, list)
        or len(payload) != 5
        or not all(isinstance(part, str) for part in payload)
    ):
        raise InvalidCursor("it does not decode to a position")
    return payload
