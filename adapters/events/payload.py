"""The lifecycle event of a stored change, and its body in the Go system's format.

An event is a fact about a stored change: everything in it comes from the
request as stored after the change, and nothing reads the clock. Its body is
what the Go system's ``json.Marshal`` of its ``notification.Event`` gives.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from json.encoder import encode_basestring
from typing import Any

import attrs

from ...domain import (
    MAX_DURATION,
    InvalidRequest,
    Nanoseconds,
    Request,
    RequestStatus,
    as_utc,
    epoch_nanoseconds,
)
from ..timestamps import format_go_time, format_updated_at, parse_timestamp_ns

SYSTEM_ACTOR = "system"
"""The actor of an expiry, as the Go system names it."""

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


class EventType(StrEnum):
    """What happened to a request, in the Go system's words."""

    CREATED = "request.created"
    APPROVED = "request.approved"
    DENIED = "request.denied"
    EXPIRED = "request.expired"
    CANCELLED = "request.cancelled"


_TYPE_OF_FINAL_STATUS = {
    RequestStatus.APPROVED: EventType.APPROVED,
    RequestStatus.DENIED: EventType.DENIED,
    RequestStatus.EXPIRED: EventType.EXPIRED,
    RequestStatus.CANCELLED: EventType.CANCELLED,
}


def _event_type(value: object) -> EventType:
    if not isinstance(value, EventType):
        raise InvalidRequest("type", f"must be an EventType, got {value!r}")
    return value


def _timestamp(value: datetime) -> datetime:
    return as_utc(value, "timestamp")


@attrs.frozen(kw_only=True)
class RequestEvent:
    """One change of a stored request: created, or moved to a final status.

    Attributes:
        type: What happened.
        request: The request as stored after the change.
        timestamp: The stored instant of the change: created_at for created,
            the new updated_at otherwise; equal for every delivery of one change.
        actor: Who made the change: the requester for created and cancelled,
            the approver for approved and denied, ``"system"`` for expired.
        event_id: ``"<id>/<updated_at as stored by the change>"``: equal for
            every delivery of one change, different for different changes.
        timestamp_nanoseconds: The nanoseconds of the timestamp past its
            microsecond (0 to 999), which a datetime drops.
    """

    type: EventType = attrs.field(converter=_event_type)
    request: Request
    timestamp: datetime = attrs.field(converter=_timestamp)
    actor: str
    event_id: str
    timestamp_nanoseconds: int = attrs.field(default=0, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.request, Request):
            raise InvalidRequest(
                "request", f"must be a Request, got {type(self.request).__name__}"
            )
        for field in ("actor", "event_id"):
            if type(getattr(self, field)) is not str:
                raise InvalidRequest(field, f"must be a str, got {getattr(self, field)!r}")
        if not self.event_id:
            raise InvalidRequest("event_id", "must not be empty")
        nanoseconds = self.timestamp_nanoseconds
        if type(nanoseconds) is not int or not 0 <= nanoseconds < _THOUSAND:
            raise InvalidRequest(
                "timestamp_nanoseconds", f"must be an int of 0 to 999, got {nanoseconds!r}"
            )

    @classmethod
    def of_change(cls, request: Request) -> RequestEvent:
        """Return the event of the change that left ``request`` as it is stored.

        A pending request was created; a final one was moved to its status by
        the write that stored its updated_at. ``request`` carries the stored
        updated_at as its lock token when it was read from a store; one built
        by hand stands for what a store writes for it.

        Raises:
            InvalidRequest: The lock token is not a timestamp.
        """
        token = _stored_updated_at(request)
        status = request.status
        if status is RequestStatus.PENDING:
            return cls(
                type=EventType.CREATED,
                request=request,
                timestamp=request.created_at,
                timestamp_nanoseconds=request.nanoseconds.created_at,
                actor=request.requester,
                event_id=f"{request.id}/{token}",
            )
        changed_at = _updated_at_ns(request)
        return cls(
            type=_TYPE_OF_FINAL_STATUS[status],
            request=request,
            timestamp=_instant(changed_at),
            timestamp_nanoseconds=changed_at % _THOUSAND,
            actor=_actor(request),
            event_id=f"{request.id}/{token}",
        )

    @property
    def timestamp_ns(self) -> int:
        """The timestamp in nanoseconds since the Unix epoch, every stored digit included."""
        return epoch_nanoseconds(self.timestamp) + self.timestamp_nanoseconds

    def to_json(self) -> str:
        """Return the body the Go system's ``json.Marshal`` gives for this event.

        Byte for byte once encoded as UTF-8: keys ``Type``, ``Request``,
        ``Timestamp``, ``Actor``; the request with the Go struct's json tags
        in its order, ``approver`` and ``approver_comment`` left out when
        empty, the duration in integer nanoseconds; times in UTC as
        RFC3339Nano; compact; Go's escaping.
        """
        request = self.request
        parts = [
            '{"Type":"',
            self.type.value,
            '","Request":{"id":"',
            request.id,
            '","requester":',
            _go_string(request.requester),
            ',"profile":',
            _go_string(request.profile),
            ',"justification":',
            _go_string(request.justification),
            ',"duration":',
            str(request.duration_ns),
            ',"status":"',
            request.status.value,
            '","created_at":"',
            format_go_time(request.created_at_ns),
            '","updated_at":"',
            format_go_time(_updated_at_ns(request)),
            '","expires_at":"',
            format_go_time(request.expires_at_ns),
            '"',
        ]
        if request.approver:
            parts += (',"approver":', _go_string(request.approver))
        if request.approver_comment:
            parts += (',"approver_comment":', _go_string(request.approver_comment))
        parts += (
            '},"Timestamp":"',
            format_go_time(self.timestamp_ns),
            '","Actor":',
            _go_string(self.actor),
            "}",
        )
        return "".join(parts)

    @classmethod
    def from_json(cls, body: str | bytes, *, event_id: str | None = None) -> RequestEvent:
        """Return the event a body of either system carries.

        Times may carry any RFC 3339 offset and 0 to 9 fractional digits;
        every digit is kept. The request's lock token is its updated_at as
        the body has it. Keys this library does not know are ignored, as Go
        ignores them.

        Args:
            body: A JSON body as ``to_json`` or the Go system writes it.
            event_id: The event id where the body came with one (the
                ``X-Sentinel-Event-Id`` header); by default it is made from the
                request's id and updated_at as the body has them, which is the
                stored one wherever it was stored in Go's UTC form.

        Raises:
            InvalidRequest: The body is not such an event; names what is wrong.
        """
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidRequest("event", f"must be a JSON body, got {error}") from None
        fields = _object(document, "event")
        type_text = _text(fields, "Type")
        try:
            event_type = EventType(type_text)
        except ValueError:
            known = ", ".join(member.value for member in EventType)
            raise InvalidRequest("Type", f"must be one of {known}, got {type_text!r}") from None
        request = _request(_object(fields.get("Request"), "Request"))
        timestamp = _nanoseconds_of(_text(fields, "Timestamp"), "Timestamp")
        assert request.lock_token is not None  # _request sets it from the body
        return cls(
            type=event_type,
            request=request,
            timestamp=_instant(timestamp),
            timestamp_nanoseconds=timestamp % _THOUSAND,
            actor=_text(fields, "Actor"),
            event_id=f"{request.id}/{request.lock_token}" if event_id is None else event_id,
        )


def event_of_write(after: Request, *, before: RequestStatus | None) -> RequestEvent | None:
    """Return the event of a write that left ``after`` stored, or None if it is no change.

    The one rule of what is an event, for the stream and for the stores
    alike: an insert of a pending request is created; a write that moves a
    request from pending to a final status is that status's event; nothing
    else is (a pending touch, a rewrite of a final request, an insert of a
    final one).

    Args:
        after: The request as the write stored it.
        before: Its status before the write; None for an insert.
    """
    if before is None:
        return RequestEvent.of_change(after) if after.status is RequestStatus.PENDING else None
    if before is RequestStatus.PENDING and after.status.is_terminal:
        return RequestEvent.of_change(after)
    return None


def _actor(request: Request) -> str:
    if request.status is RequestStatus.EXPIRED:
        return SYSTEM_ACTOR
    if request.status is RequestStatus.CANCELLED:
        return request.requester
    return request.approver


def _stored_updated_at(request: Request) -> str:
    """updated_at exactly as stored; for a request built by hand, as a store writes it."""
    if request.lock_token is not None:
        return request.lock_token
    return format_updated_at(request.updated_at)


def _updated_at_ns(request: Request) -> int:
    if request.lock_token is None:
        return epoch_nanoseconds(request.updated_at)
    return _nanoseconds_of(request.lock_token, "request.lock_token")


def _nanoseconds_of(text: str, field: str) -> int:
    try:
        return parse_timestamp_ns(text)
    except ValueError as error:
        raise InvalidRequest(field, str(error)) from None


def _instant(nanoseconds: int) -> datetime:
    return _EPOCH + timedelta(microseconds=nanoseconds // _THOUSAND)


def _go_string(text: str) -> str:
    """Return ``text`` as a JSON string, escaped as Go's json.Marshal escapes it."""
    quoted = encode_basestring(text)
    if _HTML_UNSAFE.search(quoted) is None:
        return quoted
    return _HTML_UNSAFE.sub(lambda match: _HTML_ESCAPES[match.group()], quoted)


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
        _nanoseconds_of(_text(fields, f"Request.{key}"), f"Request.{key}")
        for key in ("created_at", "expires_at")
    )
    updated_at_text = _text(fields, "Request.updated_at")
    updated_at = _nanoseconds_of(updated_at_text, "Request.updated_at")
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
            created_at=_instant(created_at),
            updated_at=_instant(updated_at),
            expires_at=_instant(expires_at),
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
