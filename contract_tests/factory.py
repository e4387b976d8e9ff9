"""Requests for tests, valid unless a test says otherwise."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs

from ..domain import Request


def make_request(
    now: datetime,
    *,
    requester: str = "alice@example.com",
    profile: str = "prod-admin",
    justification: str = "Investigate the failed deploy of INC-1234",
    duration: timedelta = timedelta(hours=1),
    ttl: timedelta = timedelta(hours=24),
    **fields: Any,
) -> Request:
    """Return a new pending request created at ``now``; ``fields`` override any field."""
    request = Request.new(
        requester=requester,
        profile=profile,
        justification=justification,
        duration=duration,
        now=now,
        ttl=ttl,
    )
    return attrs.evolve(request, **fields) if fields else request
