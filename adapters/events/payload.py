"""The lifecycle event of a stored change, and its body in the Go system's format.

An event is a fact about a stored change: everything in it comes from the
request as stored after the change, and nothing reads the clock. Its body is
what the Go system's ``json.Marshal`` of its ``notification.Event`` gives.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import attrs

from ...domain import (
    InvalidRequest,
    Request,
    RequestStatus,
    as_utc,
    epoch_nanoseconds,
)
from ..timestamps import format_go_time, format_updated_at
from .go_json import go_string, instant, nanoseconds_of, read_body

SYSTEM_ACTOR = "system"
"""The actor of an expiry, as the Go system names it."""

_THOUSAND = 1000


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
            timestamp=instant(changed_at),
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
            go_string(request.requester),
            ',"profile":',
            go_string(request.profile),
            ',"justification":',
            go_string(request.justification),
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
            parts += (',"approver":', go_string(request.approver))
        if request.approver_comment:
            parts += (',"approver_comment":', go_string(request.approver_comment))
        parts += (
            '},"Timestamp":"',
            format_go_time(self.timestamp_ns),
            '","Actor":',
            go_string(self.actor),
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
        fields = read_body(body)
        try:
            event_type = EventType(fields.type)
        except ValueError:
            known = ", ".join(member.value for member in EventType)
            raise InvalidRequest(
                "Type", f"must be one of {known}, got {fields.type!r}"
            ) from None
        request = fields.request
        return cls(
            type=event_type,
            request=request,
            timestamp=instant(fields.timestamp_ns),
            timestamp_nanoseconds=fields.timestamp_ns % _THOUSAND,
            actor=fields.actor,
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
    return nanoseconds_of(request.lock_token, "request.lock_token")
