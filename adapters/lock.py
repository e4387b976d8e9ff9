"""The lock rule every store shares: the token an update conditions on, and what follows it."""

from __future__ import annotations

from datetime import datetime

from ..domain import InvalidRequest, Request
from ..ports import TICK
from .timestamps import format_updated_at, parse_timestamp


def lock_token(request: Request) -> str:
    """Return the updated_at string ``request`` was read with, or derive it from updated_at.

    A request built by hand carries no token; the stores write updated_at in
    the Go system's RFC3339Nano form, so that form of its updated_at is the
    token it would have been read with.
    """
    token = request.lock_token
    return format_updated_at(request.updated_at) if token is None else token


def next_updated_at(token: str, now: datetime) -> datetime:
    """Return the updated_at an update writes: ``max(now, token + 1 microsecond)``.

    Computed from the token's instant, so that it is strictly later than what
    is stored even when the clock stands still or steps back.

    Raises:
        InvalidRequest: The token is not a timestamp, or no later instant exists.
    """
    try:
        stored = parse_timestamp(token)
    except ValueError as error:
        raise InvalidRequest("lock_token", str(error)) from None
    try:
        return max(now, stored + TICK)
    except OverflowError:
        raise InvalidRequest(
            "updated_at", f"{token} is the last instant a datetime holds; it cannot move on"
        ) from None


def repeats_decision(stored: Request, previous_token: str | None, request: Request) -> bool:
    """Whether ``stored`` is exactly ``request``'s decision, written over its token.

    A write whose response was lost, retried by botocore or by the caller,
    then finds its own result: that is success, not a concurrent change.
    ``previous_token`` is the token the stored request's last update replaced.
    """
    return (
        previous_token == lock_token(request)
        and stored.status is request.status
        and stored.approver == request.approver
        and stored.approver_comment == request.approver_comment
    )
