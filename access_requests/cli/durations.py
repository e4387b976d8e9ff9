"""Durations as a person types and reads them: ``1d``, ``9h``, ``1h30m``, ``90s``."""

from __future__ import annotations

import re
from datetime import timedelta

from ..domain import InvalidRequest

MAX_TTL = timedelta(days=30)
"""The longest a request may stay open, as ``submit --ttl``.

A request that waits a month for a decision has been forgotten; a longer ttl
is far more likely a slip (``100000h``) than a wish.
"""

_UNITS = (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))
_DURATION = re.compile("".join(rf"(?:([0-9]+){unit})?" for unit, _ in _UNITS))
_EXAMPLES = "such as 1d, 8h, 30m or 1h30m"


def parse_duration(text: str, option: str) -> timedelta:
    """Return ``text`` (days, hours, minutes, seconds, such as ``1h30m``) as a timedelta.

    Args:
        text: What the person typed.
        option: The option it was given to, such as ``--ttl``, named in the error.

    Raises:
        InvalidRequest: ``text`` is not such a duration; its field is ``option``.
    """
    match = _DURATION.fullmatch(text.strip())
    if match is None or not text.strip():
        raise InvalidRequest(option, f"must be a duration {_EXAMPLES}, got {text!r}")
    seconds = sum(
        int(part or 0) * size for part, (_, size) in zip(match.groups(), _UNITS, strict=True)
    )
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise InvalidRequest(option, f"{text!r} is far too long") from None


def require_within(
    duration: timedelta, longest: timedelta, option: str, typed: str | None = None
) -> timedelta:
    """Return ``duration`` if it is more than 0 and at most ``longest``.

    Args:
        duration: The duration to check.
        longest: The most it may be.
        option: The option it was given to, named in the error.
        typed: What the person typed, echoed as typed in the error (with
            its value in days and hours where that reads differently).

    Raises:
        InvalidRequest: It is not; the message shows both as a person writes them.
    """
    if not timedelta(0) < duration <= longest:
        described = describe_duration(duration)
        got = described if typed is None or typed.strip() == described else typed.strip()
        if got != described:
            got += f" ({described})"
        raise InvalidRequest(
            option, f"must be more than 0s and at most {describe_duration(longest)}, got {got}"
        )
    return duration


def describe_duration(duration: timedelta) -> str:
    """Return a duration the way ``parse_duration`` reads it, such as ``1d2h`` or ``1h30m``.

    A fraction of a second (the Go system stores nanoseconds) is shown as
    decimal seconds, such as ``1.5s``.
    """
    whole = int(duration.total_seconds())
    text = ""
    for unit, size in _UNITS[:-1]:
        count, whole = divmod(whole, size)
        text += f"{count}{unit}" if count else ""
    if duration.microseconds:
        return text + f"{whole}.{duration.microseconds:06d}".rstrip("0") + "s"
    return text + (f"{whole}s" if whole or not text else "")


__all__ = ["MAX_TTL", "describe_duration", "parse_duration", "require_within"]
