"""The rules a store applies with its own clock: when a write comes too late or too early.

Pure: each takes the store's ``now`` and raises before any write. A store
reads its clock once per write and passes it here, so that a caller whose
host clock is wrong can neither decide a request after its time nor create
one that lies in the future.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .errors import InvalidRequest, InvalidTransition
from .request import Request, as_utc, epoch_nanoseconds
from .status import RequestStatus

CLOCK_SKEW_ALLOWANCE = timedelta(minutes=5)
"""How far after the store's clock a new request's created_at may lie (host clock skew)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BY_EXPIRES_AT = {
    RequestStatus.APPROVED: "approve",
    RequestStatus.DENIED: "deny",
    RequestStatus.CANCELLED: "cancel",
}


def refuse_late_decision(request: Request, now: datetime) -> Request:
    """Return ``request`` if the store may write its decision at ``now``; else raise.

    ``request`` is the decided copy: its status is the decision, and its
    created_at, expires_at and duration are the stored request's (the lock
    token it carries ensures that the stored request is the one it was read
    as). Approve, deny and cancel are refused once expires_at has passed;
    approve also once the access window (created_at + duration, to the
    nanosecond, as ``Request.grants_access`` decides) has ended, since it
    would grant nothing. An expiry is timed by the moment the sweep works at
    (``expire_overdue``'s ``now``, the store's clock by default) and
    ``Request.expire``; a request that stays pending decides nothing.

    Raises:
        InvalidTransition: The decision comes too late.
        InvalidRequest: ``now`` is not a timezone-aware datetime.
    """
    at = as_utc(now, "now")
    status = request.status
    action = _BY_EXPIRES_AT.get(status)
    if action is not None and at >= request.expires_at:
        raise InvalidTransition(
            request.id,
            f"cannot {action}: it expired at {request.expires_at.isoformat()}"
            f" (the store's clock is at {at.isoformat()})",
        )
    window_end = request.created_at_ns + request.duration_ns
    if status is RequestStatus.APPROVED and epoch_nanoseconds(at) > window_end:
        raise InvalidTransition(
            request.id,
            f"cannot approve: its access window ended at {_instant_text(window_end)},"
            f" so it would grant nothing (the store's clock is at {at.isoformat()})",
        )
    return request


def refuse_creation_ahead(request: Request, now: datetime) -> Request:
    """Return ``request`` unless its created_at is over CLOCK_SKEW_ALLOWANCE after ``now``.

    A request created in the future would grant access, once approved, for
    as long as it stays in the future.

    Raises:
        InvalidRequest: created_at is too far ahead, or ``now`` is not timezone-aware.
    """
    at = as_utc(now, "now")
    if request.created_at - at > CLOCK_SKEW_ALLOWANCE:
        raise InvalidRequest(
            "created_at",
            f"must not be more than {CLOCK_SKEW_ALLOWANCE} after the store's clock"
            f" ({request.created_at.isoformat()} is after {at.isoformat()})",
        )
    return request


def _instant_text(nanoseconds: int) -> str:
    """An instant in nanoseconds as isoformat, with nine digits if it needs them."""
    microseconds, rest = divmod(nanoseconds, 1000)
    try:
        moment = _EPOCH + timedelta(microseconds=microseconds)
    except OverflowError:
        return f"{nanoseconds} ns after the Unix epoch"
    text = moment.isoformat()
    if not rest:
        return text
    head, _, zone = text.rpartition("+")
    return f"{head if '.' in head else head + '.000000'}{rest:03d}+{zone}"
