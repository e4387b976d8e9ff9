"""Events to deliver in the notifier tests: a creation and an approval of one request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs

from access_requests.adapters.events.payload import RequestEvent
from access_requests.domain import Request

CREATED_AT = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)


def pending_request() -> Request:
    """A pending request whose justification needs Go's HTML escaping."""
    return Request.new(
        requester="alice",
        profile="prod-admin",
        justification="deploy <hotfix> & roll back",
        duration=timedelta(hours=1),
        now=CREATED_AT,
    )


def created_event() -> RequestEvent:
    """The event of creating ``pending_request()``."""
    return RequestEvent.of_change(pending_request())


def approved_event() -> RequestEvent:
    """The event of approving it ten minutes later."""
    approved = pending_request().approve("bob", "ok", now=CREATED_AT + timedelta(minutes=10))
    return RequestEvent.of_change(
        attrs.evolve(approved, updated_at=CREATED_AT + timedelta(minutes=10))
    )
