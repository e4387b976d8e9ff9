"""hypothesis strategies for valid requests, with knobs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from ..domain import (
    MAX_COMMENT_LENGTH,
    MAX_DURATION,
    MAX_JUSTIFICATION_LENGTH,
    MAX_NAME_LENGTH,
    MIN_JUSTIFICATION_LENGTH,
    Request,
    RequestStatus,
)

EARLIEST = datetime(1, 1, 2)
LATEST = datetime(9998, 1, 1)
_LONGEST_GAP = timedelta(days=366)


def request_ids() -> st.SearchStrategy[str]:
    """Valid request ids: 16 lowercase hex characters."""
    return st.from_regex(r"[0-9a-f]{16}", fullmatch=True)


def names() -> st.SearchStrategy[str]:
    """Valid requesters, profiles: any text (no lone surrogates) of 1 to 256 characters."""
    return st.text(min_size=1, max_size=MAX_NAME_LENGTH)


def utc_datetimes(
    earliest: datetime = EARLIEST, latest: datetime = LATEST
) -> st.SearchStrategy[datetime]:
    """UTC datetimes with microseconds, from ``earliest`` to ``latest`` (naive bounds)."""
    return st.datetimes(min_value=earliest, max_value=latest, timezones=st.just(UTC))


@st.composite
def requests(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] | None = None,
    requesters: st.SearchStrategy[str] | None = None,
    profiles: st.SearchStrategy[str] | None = None,
    statuses: st.SearchStrategy[RequestStatus] | None = None,
    created_ats: st.SearchStrategy[datetime] | None = None,
    ttls: st.SearchStrategy[timedelta] | None = None,
) -> Request:
    """Any valid Request; each knob narrows one field, the rest range over all valid values.

    Args:
        ids: Request ids; random valid ids by default.
        requesters: Requesters; any valid text by default.
        profiles: Profiles; any valid text by default.
        statuses: Statuses; every status by default.
        created_ats: created_at values, in UTC; years 1 to 9997 by default.
        ttls: expires_at minus created_at; 1 microsecond to a year by default.
    """
    created_at = draw(created_ats if created_ats is not None else utc_datetimes())
    ttl = draw(
        ttls
        if ttls is not None
        else st.timedeltas(min_value=timedelta(microseconds=1), max_value=_LONGEST_GAP)
    )
    since_created = draw(st.timedeltas(min_value=timedelta(0), max_value=_LONGEST_GAP))
    status = draw(statuses if statuses is not None else st.sampled_from(RequestStatus))
    return Request(
        id=draw(ids if ids is not None else request_ids()),
        requester=draw(requesters if requesters is not None else names()),
        profile=draw(profiles if profiles is not None else names()),
        justification=draw(
            st.text(min_size=MIN_JUSTIFICATION_LENGTH, max_size=MAX_JUSTIFICATION_LENGTH)
        ),
        duration=draw(
            st.timedeltas(min_value=timedelta(microseconds=1), max_value=MAX_DURATION)
        ),
        status=status,
        created_at=created_at,
        updated_at=created_at + since_created,
        expires_at=created_at + ttl,
        approver=draw(st.text(max_size=MAX_NAME_LENGTH)),
        approver_comment=draw(st.text(max_size=MAX_COMMENT_LENGTH)),
    )
