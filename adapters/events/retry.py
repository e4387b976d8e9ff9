"""When a webhook delivery is tried again, and after how long: one rule for sync and async.

- Retried: a network error that a later attempt may not meet (connection
  refused or reset, a timeout), HTTP 429 and every 5xx.
- Never retried: any other answer (a 4xx says the request itself is wrong;
  a redirect is not followed, as GitHub's and Stripe's webhooks do not), and
  a network error that would recur (a TLS certificate the client refuses).
- The wait before retry n (n = 1 after the first attempt) is "full jitter"
  exponential backoff: a uniform draw from [0, min(MAX_BACKOFF, BASE_BACKOFF * 2**(n-1))),
  so that receivers recovering from an outage are not hit by every sender at once.
- A 429 or 503 that carries ``Retry-After`` in seconds is waited for instead,
  for at most MAX_RETRY_AFTER: the receiver said when it can take more. An
  HTTP-date or a malformed value falls back to the backoff.
"""

from __future__ import annotations

from collections.abc import Callable

BASE_BACKOFF = 0.5
"""Seconds: the ceiling of the first backoff draw."""
MAX_BACKOFF = 20.0
"""Seconds: no backoff draw's ceiling exceeds it."""
MAX_RETRY_AFTER = 30.0
"""Seconds: the longest a Retry-After header makes a notifier wait."""

_RETRY_AFTER_STATUSES = frozenset({429, 503})

Random = Callable[[], float]
"""A source of uniform floats in [0, 1), such as ``random.random``."""


def is_delivered(status: int) -> bool:
    """Tell whether an answer with this HTTP status means the receiver took the event."""
    return 200 <= status <= 299


def is_retried(status: int) -> bool:
    """Tell whether an answer with this HTTP status is worth another attempt."""
    return status == 429 or 500 <= status <= 599


def backoff(retry: int, random: Random) -> float:
    """Return the seconds to wait before retry number ``retry`` (1 for the first)."""
    ceiling = min(MAX_BACKOFF, BASE_BACKOFF * 2.0 ** (retry - 1))
    return ceiling * random()


def retry_after(status: int, header: str | None) -> float | None:
    """Return the seconds a 429 or 503 asks to wait, capped, or None if it does not say.

    Only whole non-negative seconds count (``Retry-After: 120``).
    """
    if status not in _RETRY_AFTER_STATUSES or header is None:
        return None
    value = header.strip()
    if not value.isascii() or not value.isdigit():
        return None
    return min(float(int(value)), MAX_RETRY_AFTER)


def delay_before_retry(
    retry: int, status: int | None, header: str | None, random: Random
) -> float:
    """Return the seconds to wait before retry ``retry`` after this answer.

    Args:
        retry: The number of the retry about to be made, 1 for the first.
        status: The HTTP status of the failed attempt, or None after a network error.
        header: Its ``Retry-After`` header, if any.
        random: The source of the jitter.
    """
    asked = None if status is None else retry_after(status, header)
    return backoff(retry, random) if asked is None else asked
