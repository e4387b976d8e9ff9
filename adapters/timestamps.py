"""Timestamps as stored: RFC 3339 strings.

This library writes created_at and expires_at in UTC with exactly nine
fractional digits and ``Z``, so that string order is time order (they are
sort keys). It writes updated_at exactly as the Go system's
``t.UTC().Format(time.RFC3339Nano)`` does (trailing zeros of the fraction
dropped, no fraction at a whole second, ``Z``), because the Go system's
update conditions on its own re-formatting of the value it read. The Go
system writes all three as RFC3339Nano, with ``Z`` or a ``+hh:mm``/``-hh:mm``
offset. Every form is read; a datetime holds microseconds, so further digits
are dropped on reading (rounding down, so a later instant never reads as
earlier).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_CANONICAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}000Z")
_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,9}))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))"
)


def format_timestamp(moment: datetime) -> str:
    """Return a UTC datetime as RFC 3339 with nine fractional digits and ``Z``."""
    text = moment.isoformat()
    if moment.microsecond:
        return text[:-6] + "000Z"
    return text[:-6] + ".000000000Z"


def format_updated_at(moment: datetime) -> str:
    """Return a UTC datetime as Go's RFC3339Nano writes it: ``…45.12345Z``, ``…46Z``."""
    text = moment.isoformat()[:-6]
    if moment.microsecond:
        text = text.rstrip("0")
    return text + "Z"


def parse_timestamp(text: str) -> datetime:
    """Return the UTC instant of an RFC 3339 string in this library's or the Go form.

    Raises:
        ValueError: ``text`` is not such a timestamp, or names no valid instant.
    """
    try:
        if _CANONICAL.fullmatch(text):
            return datetime.fromisoformat(text)
        match = _RFC3339.fullmatch(text)
        if match is not None:
            return _instant(*match.groups())
    except (ValueError, OverflowError) as error:
        raise ValueError(f"names no valid instant: {text!r} ({error})") from None
    raise ValueError(f"is not an RFC 3339 timestamp: {text!r}")


def _instant(
    year: str,
    month: str,
    day: str,
    hour: str,
    minute: str,
    second: str,
    fraction: str | None,
    zulu: str | None,
    sign: str | None,
    offset_hours: str | None,
    offset_minutes: str | None,
) -> datetime:
    zone = UTC
    if not zulu:
        if int(offset_minutes or "") >= 60:
            raise ValueError("offset minutes must be in 0..59")
        offset = timedelta(hours=int(offset_hours or ""), minutes=int(offset_minutes or ""))
        zone = timezone(-offset if sign == "-" else offset)
    local = datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second),
        int((fraction or "").ljust(6, "0")[:6]),
        zone,
    )
    return local.astimezone(UTC)
