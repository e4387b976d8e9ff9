"""Two sets of rules on time: what every request may hold, what a store decides by its clock.

Go's Validate does not compare created_at, updated_at and expires_at (Go hosts
with skewed clocks write any order), so only what this library writes is held
to that order. A store decides with its own clock: a decision comes too late
once expires_at has passed, an approval once the access window has ended, and
a creation too early when created_at is more than five minutes ahead.
"""

from datetime import datetime, timedelta

import pytest
from test_domain_request import NOW, TICK, a_request

from access_requests.domain import (
    CLOCK_SKEW_ALLOWANCE,
    InvalidRequest,
    InvalidTransition,
    Nanoseconds,
    Request,
    RequestStatus,
    refuse_creation_ahead,
    refuse_late_decision,
)


@pytest.mark.parametrize("expires_at", [NOW, NOW - TICK, NOW - timedelta(days=3)])
def test_a_request_may_expire_at_or_before_it_was_created(expires_at: datetime) -> None:
    """Go's Validate allows it, so it reads; this library never writes it."""
    request = a_request(expires_at=expires_at)
    assert request.expires_at == expires_at
    with pytest.raises(InvalidRequest, match="after created_at") as raised:
        request.check_writable()
    assert raised.value.field == "expires_at"


def test_a_request_that_expired_before_it_was_created_can_be_expired() -> None:
    """The sweep's transition applies to such a Go request like any other."""
    request = a_request(expires_at=NOW - timedelta(hours=1))
    assert request.is_expired(NOW)
    assert request.expire(now=NOW).status is RequestStatus.EXPIRED


@pytest.mark.parametrize("action", ["approve", "deny", "cancel"])
def test_a_decision_is_refused_once_expires_at_has_passed_by_the_store_clock(
    action: str,
) -> None:
    """Whatever the caller's clock said, the store's clock at expires_at refuses it."""
    pending = a_request(expires_at=NOW + timedelta(minutes=30))
    decided = _decide(pending, action, now=NOW)
    # Check the decision is written just before expires_at
    assert refuse_late_decision(decided, pending.expires_at - TICK) is decided
    # Check it is refused at expires_at, naming when it expired
    with pytest.raises(InvalidTransition, match=r"expired at 2026-01-15T04:23:45\.123456"):
        refuse_late_decision(decided, pending.expires_at)


def test_an_approval_is_refused_once_the_access_window_has_ended() -> None:
    """Nothing would be granted, so approve is refused, and the message says when it ended."""
    approved = a_request().approve("bob", now=NOW)
    window_end = NOW + timedelta(hours=1)
    # Check the last moment of the window still takes the approval
    assert refuse_late_decision(approved, window_end) is approved
    # Check a microsecond later it is refused, naming the end of the window
    with pytest.raises(
        InvalidTransition, match=r"access window ended at 2026-01-15T04:53:45\.123456"
    ):
        refuse_late_decision(approved, window_end + TICK)


@pytest.mark.parametrize("action", ["deny", "cancel"])
def test_deny_and_cancel_are_taken_after_the_window_until_expires_at(action: str) -> None:
    """Only an approval grants, so only it is refused after the window."""
    decided = _decide(a_request(), action, now=NOW)
    assert refuse_late_decision(decided, NOW + timedelta(hours=2)) is decided


def test_the_access_window_is_decided_to_the_nanosecond() -> None:
    """A Go request of 1 h + 500 ns created at .1234567 takes an approval at +1 h + 0.4 us."""
    request = a_request(
        created_at=NOW, nanoseconds=Nanoseconds(created_at=700, duration=3600 * 10**9 + 500)
    ).approve("bob", now=NOW)
    # Check that 1 h + 1.2 us after .123456 is within the window (it ends at +1 h + 1.2 us)
    assert refuse_late_decision(request, NOW + timedelta(hours=1, microseconds=1)) is request
    with pytest.raises(InvalidTransition, match=r"04:53:45\.1234572"):
        refuse_late_decision(request, NOW + timedelta(hours=1, microseconds=2))


def test_a_request_that_stays_pending_or_expires_is_not_timed_here() -> None:
    """Staying pending decides nothing; an expiry is timed by the sweep's moment."""
    pending = a_request()
    assert refuse_late_decision(pending, NOW + timedelta(days=9)) is pending
    expired = pending.expire(now=pending.expires_at)
    assert refuse_late_decision(expired, NOW) is expired


def test_a_creation_up_to_five_minutes_ahead_of_the_store_clock_is_taken() -> None:
    """The allowance is for clock skew between the caller's host and the store."""
    request = a_request()
    assert timedelta(minutes=5) == CLOCK_SKEW_ALLOWANCE
    assert refuse_creation_ahead(request, NOW - CLOCK_SKEW_ALLOWANCE) is request


def test_a_creation_more_than_five_minutes_ahead_of_the_store_clock_is_refused() -> None:
    """A request created six days ahead would grant for six days once approved."""
    request = a_request(created_at=NOW + timedelta(days=6), updated_at=NOW + timedelta(days=6),
                        expires_at=NOW + timedelta(days=7))  # fmt: skip
    with pytest.raises(
        InvalidRequest, match="more than 0:05:00 after the store's clock"
    ) as raised:
        refuse_creation_ahead(request, NOW)
    assert raised.value.field == "created_at"


def test_the_store_clock_must_be_timezone_aware() -> None:
    """A naive store clock is refused by name, as every naive now is."""
    with pytest.raises(InvalidRequest, match="now"):
        refuse_late_decision(a_request(), datetime(2026, 1, 15))


def _decide(request: Request, action: str, *, now: datetime) -> Request:
    if action == "cancel":
        return request.cancel(now=now)
    decided: Request = getattr(request, action)("bob", now=now)
    return decided
