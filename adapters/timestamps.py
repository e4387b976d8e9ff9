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
from datetime import UTC, datetime, timedelta

# The shape RFC3339Nano allows: 0 to 9 fractional digits, Z or an offset.
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?"
    r"(?:Z|[+-]([0-9]{2}):([0-9]{2}))"
)

MAX_UTC_OFFSET = timedelta(hours=23, minutes=59)
"""The widest offset ``parse_timestamp`` reads: hours 00 to 23 and minutes 00 to 59,
as Go's time.Parse reads RFC 3339. Every item the Go system can read is read,
so the margin below is widened to it rather than the offsets narrowed to the
zones that exist today (-12:00 to +14:00)."""

STRING_ORDER_MARGIN = MAX_UTC_OFFSET + timedelta(seconds=1)
"""How far from the instant it names a stored timestamp string may sort.

A string at an offset sorts by its local time, up to MAX_UTC_OFFSET from its
UTC instant; within one second, a trimmed fraction or a ``Z`` or offset sorts
apart from nine digits. A bounded read (list_pending's filter, the sweep,
find_active_approval) that widens its bound on a string by this much passes
no item whose instant is inside the bound, at any offset that reads."""


def format_timestamp(moment: datetime) -> str:
    """Return a UTC datetime as RFC 3339 with nine fractional digits and ``Z``."""
    text = moment.isoformat()
    if moment.microsecond:
        return text[:-6] + "000Z"
    return text[:-6] + ".000000000Z"


def format_timestamp_ns(moment: datetime, nanoseconds: int) -> str:
    """Return a UTC datetime and nanoseconds past its microsecond with nine digits and ``Z``."""
    return f"{format_timestamp(moment)[:-4]}{nanoseconds:03d}Z"


def nanoseconds_past_microsecond(text: str) -> int:
    """Return the digits of a timestamp string past the microsecond as nanoseconds, 0 to 999.

    ``text`` is one that ``parse_timestamp`` reads; its fraction (if any)
    starts at the 21st character whatever the offset.
    """
    fraction = text[20:29]
    digits = len(fraction) - len(fraction.lstrip("0123456789"))
    if text[19:20] != "." or digits <= 6:
        return 0
    return int(fraction[6:digits].ljust(3, "0"))


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
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise ValueError(f"is not an RFC 3339 timestamp: {text!r}")
    offset_hours, offset_minutes = match.group(1, 2)
    try:
        if offset_hours is not None and int(offset_hours) > 23:
            raise ValueError("offset hours must be in 00..23")
        if offset_minutes is not None and int(offset_minutes) >= 60:
            raise ValueError("offset minutes must be in 0..59")
        # Within that shape, fromisoformat reads what RFC 3339 means, and
        # drops digits past the microsecond (rounding down).
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo is UTC else moment.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"names no valid instant: {text!r} ({error})") from None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BILLION = 1_000_000_000
_ONE_SECOND = timedelta(seconds=1)


def parse_timestamp_ns(text: str) -> int:
    """Return the instant of an RFC 3339 string as nanoseconds since the Unix epoch, exactly.

    Every digit counts, as Go's time.Parse counts it; ``parse_timestamp`` drops
    those past the microsecond.

    Raises:
        ValueError: ``text`` is not such a timestamp, or names no valid instant.
    """
    moment = parse_timestamp(text)
    fraction = text[19:].partition(".")[2]
    digits = fraction[: len(fraction) - len(fraction.lstrip("0123456789"))]
    whole_seconds = (moment.replace(microsecond=0) - _EPOCH) // _ONE_SECOND
    return whole_seconds * _BILLION + int(digits.ljust(9, "0") or "0")


def format_go_time(nanoseconds: int) -> str:
    """Return an instant in nanoseconds since the epoch as Go's UTC RFC3339Nano writes it."""
    seconds, fraction = divmod(nanoseconds, _BILLION)
    text = (_EPOCH + timedelta(seconds=seconds)).isoformat()[:-6]
    if fraction:
        text += "." + f"{fraction:09d}".rstrip("0")
    return text + "Z"
