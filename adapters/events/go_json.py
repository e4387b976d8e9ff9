"""Go's encoding/json for the event body: strings as json.Marshal escapes them, and reading.

The body is written by hand (``RequestEvent.to_json``) so that it is Go's,
byte for byte; this module holds what that needs from Go's rules, and reads
a body of either system back into its parts, every stored digit kept.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring
from typing import Any

import attrs

from ...domain import MAX_DURATION, InvalidRequest, Nanoseconds, Request, RequestStatus
from ..timestamps import parse_timestamp_ns

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_THOUSAND = 1000
_MAX_DURATION_NS = MAX_DURATION // timedelta(microseconds=1) * _THOUSAND

# encoding/json escapes these too when it marshals (HTMLEscape is on in
# json.Marshal); encode_basestring already writes the rest as Go 1.22 and
# later do: \" \\ \n \r \t \b \f, other control characters as \u00xx.
_HTML_UNSAFE = re.compile("[<>&\u2028\u2029]")
_HTML_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@attrs.frozen
class Body:
    """An event body's parts, as read, before they are checked as an event.

    Attributes:
        type: The ``Type`` text.
        request: The ``Request``, its lock token the updated_at the body has.
        timestamp_ns: The ``Timestamp`` in nanoseconds since the Unix epoch.
        actor: The ``Actor``.
    """

    type: str
    request: Request
    timestamp_ns: int
    actor: str


def read_body(body: str | bytes) -> Body:
    """Return the parts of a JSON event body of either system.

    Raises:
        InvalidRequest: The body is not such an event; names what is wrong.
    """
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidRequest("event", f"must be a JSON body, got {error}") from None
    fields = _object(document, "event")
    return Body(
        type=_text(fields, "Type"),
        request=_request(_object(fields.get("Request"), "Request")),
        timestamp_ns=nanoseconds_of(_text(fields, "Timestamp"), "Timestamp"),
        actor=_text(fields, "Actor"),
    )


def go_string(text: str) -> str:
    """Return ``text`` as a JSON string, escaped as Go's json.Marshal escapes it."""
    quoted = encode_basestring(text)
    if _HTML_UNSAFE.search(quoted) is None:
        return quoted
    return _HTML_UNSAFE.sub(lambda match: _HTML_ESCAPES[match.group()], quoted)


def nanoseconds_of(text: str, field: str) -> int:
    try:
        return parse_timestamp_ns(text)
    except ValueError as error:
        raise InvalidRequest(field, str(error)) from None


def instant(nanoseconds: int) -> datetime:
    return _EPOCH + timedelta(microseconds=nanoseconds // _THOUSAND)


def _object(value: object, field: str) -> dict[str, Any]:
    if type(value) is not dict:
        raise InvalidRequest(field, f"must be a JSON object, got {_json_kind(value)}")
    return value


def _text(fields: dict[str, Any], field: str) -> str:
    """The string at ``field``, in the event (``Type``) or its request (``Request.id``)."""
    key = field.rpartition(".")[2]
    if key not in fields:
        raise InvalidRequest(field, "is missing")
    value = fields[key]
    if type(value) is not str:
        raise InvalidRequest(field, f"must be a JSON string, got {_json_kind(value)}")
    return value


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {json.dumps(value)}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    return "an array" if isinstance(value, list) else "an object"


def _request(fields: dict[str, Any]) -> Request:
    """Return the request of an event's body, every stored digit kept."""
    texts = {
        key: _text(fields, f"Request.{key}")
        for key in ("id", "requester", "profile", "justification")
    }
    optional = {
        key: _text(fields, f"Request.{key}")
        for key in ("approver", "approver_comment")
        if key in fields
    }
    status_text = _text(fields, "Request.status")
    try:
        status = RequestStatus(status_text)
    except ValueError:
        known = ", ".join(member.value for member in RequestStatus)
        raise InvalidRequest(
            "Request.status", f"must be one of {known}, got {status_text!r}"
        ) from None
    created_at, expires_at = (
        nanoseconds_of(_text(fields, f"Request.{key}"), f"Request.{key}")
        for key in ("created_at", "expires_at")
    )
    updated_at_text = _text(fields, "Request.updated_at")
    updated_at = nanoseconds_of(updated_at_text, "Request.updated_at")
    duration = fields.get("duration")
    if type(duration) is not int:
        raise InvalidRequest(
            "Request.duration",
            f"must be a JSON integer of nanoseconds, got {_json_kind(duration)}",
        )
    exact_duration = _duration(duration)
    try:
        return Request(
            **texts,
            **optional,
            status=status,
            duration=exact_duration,
            created_at=instant(created_at),
            updated_at=instant(updated_at),
            expires_at=instant(expires_at),
            lock_token=updated_at_text,
            nanoseconds=Nanoseconds(
                created_at=created_at % _THOUSAND,
                expires_at=expires_at % _THOUSAND,
                duration=None if duration % _THOUSAND == 0 else duration,
            ),
        )
    except InvalidRequest as error:
        raise InvalidRequest(f"Request.{error.field}", error.rule) from None


def _duration(nanoseconds: int) -> timedelta:
    """A Go duration as a timedelta: one under a microsecond is not zero."""
    if 0 < nanoseconds < _THOUSAND:
        return timedelta(microseconds=1)
    if not 0 < nanoseconds <= _MAX_DURATION_NS:
        raise InvalidRequest(
            "Request.duration",
            f"must be more than 0 and at most 8 hours of nanoseconds, got {nanoseconds}",
        )
    return timedelta(microseconds=nanoseconds // _THOUSAND)
