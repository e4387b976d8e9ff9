"""Timestamps as stored: RFC 3339 strings whose string order is time order.

This library writes UTC with exactly nine fractional digits and ``Z``. The Go
system it shares a table with writes RFC3339Nano: 0 to 9 fractional digits,
trailing zeros dropped, and ``Z`` or a ``+hh:mm``/``-hh:mm`` offset. Both are
read; a datetime holds microseconds, so further digits are dropped on reading
(rounding down, so a later instant never reads as earlier).
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


def is_canonical(text: str, moment: datetime) -> bool:
    """Whether ``text`` is exactly how this library writes ``moment``."""
    return text == format_timestamp(moment)
