"""The lock rule every store shares: the token an update conditions on, and what follows it.

Each store checks the lock its own way (DynamoDB in a condition expression,
the in-memory store under its lock); what a write sends and what a refused
write is told are decided here, once, for both.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs

from ..domain import (
    DECISION_FIELDS,
    InvalidRequest,
    Request,
    RequestStatus,
    epoch_nanoseconds,
    refuse_if_final,
    refuse_late_decision,
)
from ..ports import TICK, ConcurrentModification, RequestNotFound
from .timestamps import format_go_time, format_updated_at, parse_timestamp


def lock_token(request: Request) -> str:
    """Return the updated_at string ``request`` was read with, or derive it from updated_at.

    A request built by hand carries no token; the stores write updated_at in
    the Go system's RFC3339Nano form, so that form of its updated_at is the
    token it would have been read with.
    """
    token = request.lock_token
    return format_updated_at(request.updated_at) if token is None else token


def _next_updated_at(token: str, now: datetime) -> datetime:
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


@attrs.frozen
class UpdatedAt:
    """The updated_at one update writes.

    Attributes:
        moment: Its instant, to the microsecond (``Request.updated_at``).
        text: The string stored, in Go's RFC3339Nano form, with this write's
            own digits past the microsecond: the item's next lock token.
    """

    moment: datetime
    text: str


class _WriteSerials:
    """The digits past the microsecond of this process's writes: 1 to 999 in turn.

    Starts at a random place, so that two processes are unlikely to be in step.
    """

    def __init__(self) -> None:
        self._next = secrets.randbelow(999)
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            serial = self._next
            self._next = (serial + 1) % 999
        return serial + 1


_SERIALS = _WriteSerials()


def written_updated_at(token: str, now: datetime) -> UpdatedAt:
    """Return the updated_at an update over ``token`` writes at the store's ``now``.

    Its microsecond is ``max(now, token + 1 microsecond)``, the token's instant
    rounded down first, and its nanoseconds past the microsecond are a serial
    of this process's writes, 1 to 999 in turn. So the written string:

    - names an instant strictly later than the token's, also where the token
      holds a Go writer's nanoseconds, and whatever the clock does;
    - is never one the item may have held before in this library's
      whole-microsecond form (every updated_at written before this rule, and
      every one a clock of whole microseconds gives), since the serial is
      never 0: a stale copy read at such a value is refused even where a Go
      host whose clock is behind moved updated_at back below it meanwhile,
      and the store's clock stands still (max(F, G + 1 us) = F again is
      what let the stale copy in before);
    - repeats a value this process wrote only after 999 more of its writes,
      and then only within the same microsecond (a clock frozen that long,
      with Go moving updated_at back below it each time); another process
      matches it only by writing the same microsecond with the same serial.

    Go's time.Parse keeps all nine digits and its RFC3339Nano format writes
    them back (trailing zeros dropped), so the Go system's re-formatting of
    the token it read is this string, and its update conditions on it.

    Raises:
        InvalidRequest: The token is not a timestamp, or no later instant exists.
    """
    moment = _next_updated_at(token, now)
    nanoseconds = epoch_nanoseconds(moment) + _SERIALS.take()
    return UpdatedAt(moment, format_go_time(nanoseconds))


@attrs.frozen
class DecisionWrite:
    """One update, planned before any I/O.

    Attributes:
        request: The decided copy: its decision is what the update writes.
        token: The updated_at string the write conditions on.
        updated_at: What it writes in its place.
    """

    request: Request
    token: str
    updated_at: UpdatedAt


def plan_decision(request: Request, now: datetime) -> DecisionWrite:
    """Return the write of ``request``'s decision at the store's ``now``, checked before I/O.

    The store's clock decides whether the decision comes too late
    (``refuse_late_decision``); the caller's does not. The decision's texts
    are held to this library's limits where the write changes them, which
    only the stored item can tell: the store checks that with the lock.

    Raises:
        InvalidTransition: The decision comes too late by the store's clock.
        InvalidRequest: The token is not a timestamp, or ``now`` is not aware.
    """
    token = lock_token(request)
    refuse_late_decision(request, now)
    return DecisionWrite(request, token, written_updated_at(token, now))


def decision(request: Request) -> dict[str, Any]:
    """Return what an update writes of ``request`` besides updated_at: its decision fields."""
    return {name: getattr(request, name) for name in DECISION_FIELDS}


@attrs.frozen
class StoredCopy:
    """What a store found in place of the copy a refused write conditioned on.

    Attributes:
        token: The stored updated_at string.
        previous_token: The token the stored request's last update replaced, if known.
        status: The stored status's value, if it has a text one.
        read: Decodes the stored request (raising CorruptItem where it cannot).
    """

    token: str | None
    previous_token: str | None
    status: str | None
    read: Callable[[], Request]


def copy_of(stored: Request, previous_token: str | None) -> StoredCopy:
    """Return a stored Request, as a refused write sees it."""
    return StoredCopy(stored.lock_token, previous_token, stored.status.value, lambda: stored)


def refused_write(write: DecisionWrite, stored: StoredCopy | None) -> tuple[Request, bool]:
    """Tell a write refused by the lock what happened, in the port's order.

    Returns the stored request, and whether this write wrote it: True where
    the stored updated_at is the one this write chose (its own write, whose
    response was lost and retried: no other write writes that string),
    False where it is exactly this decision over this token written by
    another call (the caller's retry, or another sweep from the same copy).
    Raises otherwise.

    Raises:
        RequestNotFound: Nothing is stored under the id.
        ConcurrentModification: The stored token is another (this wins over a
            final status: the caller's copy is out of date), or the stored
            request changed meanwhile.
        InvalidTransition: The stored request is final.
        CorruptItem: The stored item would not read, so nothing was written.
        InvalidRequest: The decision changes a text to one over this
            library's limits, so nothing was written.
    """
    request, token = write.request, write.token
    if stored is None:
        raise RequestNotFound(request.id)
    if stored.token == write.updated_at.text:
        return stored.read(), True
    if stored.token != token:
        if stored.previous_token == token:
            found = stored.read()
            if decision(found) == decision(request):
                return found, False
        raise ConcurrentModification(
            request.id, f"stored updated_at is {stored.token}, the copy has {token}"
        )
    if stored.status in _FINAL:
        refuse_if_final(request.id, RequestStatus(stored.status), "update")
    request.check_decision_writable(stored.read())
    raise ConcurrentModification(request.id, "the stored request changed meanwhile")


_FINAL = frozenset(status.value for status in RequestStatus if status.is_terminal)
