"""Delivering one event body to a webhook, with no I/O: what both webhook notifiers drive.

``Webhook`` is a receiver's address and settings, validated once.
``attempts()`` is a generator: it yields each ``Attempt`` (how long to wait
first, then what to post), is sent the ``Outcome`` of posting it, and returns
once the receiver took the event, or raises NotificationFailed once it gives
up. The sync notifier (urllib3) and the async one (aiohttp) only sleep, post
and report what came back; ``BaseWebhookNotifier`` holds the rest of what
they share, as psycopg's ``BaseConnection`` does for its two connections.
"""

from __future__ import annotations

import base64
import logging
import math
from collections.abc import Generator, Mapping
from urllib.parse import unquote, urlsplit

import attrs

from ...domain import InvalidRequest
from . import retry
from .failure import NotificationFailed, url_without_credentials, url_without_userinfo
from .payload import RequestEvent
from .signature import SIGNATURE_HEADER, signature

logger = logging.getLogger("access_requests")

EVENT_HEADER = "X-Sentinel-Event"
EVENT_ID_HEADER = "X-Sentinel-Event-Id"
USER_AGENT = "access-requests-webhook"
RETRY_AFTER_HEADER = "Retry-After"

TIMEOUT = 10
"""Seconds: a notifier's default bound on one attempt."""
MAX_ATTEMPTS = 4
"""A notifier's default number of attempts in all."""


@attrs.frozen
class Webhook:
    """A receiver and how to post to it; build it with ``webhook()``.

    Attributes:
        url: Where to post, without the userinfo (sent as ``authorization``).
        target: The URL as messages name it: no credentials, no query string.
        authorization: A Basic ``Authorization`` header from the URL's userinfo, or None.
        secret: The signing key, or None to send no signature.
        timeout: Seconds that one attempt may take, connecting included.
        max_attempts: Attempts in all, the first included.
    """

    url: str = attrs.field(repr=False)
    target: str
    authorization: str | None = attrs.field(repr=False)
    secret: bytes | None = attrs.field(repr=False)
    timeout: float
    max_attempts: int


def webhook(
    url: str, *, secret: str | bytes | None, timeout: float, max_attempts: int
) -> Webhook:
    """Check a webhook notifier's arguments and return its Webhook.

    Raises:
        ValueError: ``url`` is not an http(s) URL with a host; ``secret`` is
            empty; ``timeout`` is not a positive finite number of seconds;
            ``max_attempts`` is less than 1.
        TypeError: an argument of the wrong type.
    """
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, got {type(url).__name__}")
    try:
        parts = urlsplit(url)
        target = url_without_credentials(url)
        port_is_valid = parts.port is None or parts.port > 0
    except ValueError:
        raise ValueError("url must be an http or https URL; it does not parse") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_is_valid:
        raise ValueError(f"url must be an http or https URL with a host, got {target!r}")
    if any(character.isspace() or not character.isprintable() for character in url):
        raise ValueError(f"url must not hold whitespace or control characters: {target!r}")
    return Webhook(
        url=url_without_userinfo(url),
        target=target,
        authorization=_basic_authorization(parts.username, parts.password),
        secret=_secret(secret),
        timeout=_timeout(timeout),
        max_attempts=_max_attempts(max_attempts),
    )


@attrs.frozen
class Post:
    """One POST to make: the URL, the headers and the body."""

    url: str = attrs.field(repr=False)
    headers: Mapping[str, str] = attrs.field(repr=False)
    body: bytes = attrs.field(repr=False)
    timeout: float


@attrs.frozen
class Attempt:
    """Wait ``wait`` seconds, then make ``post``; ``number`` counts from 1."""

    number: int
    wait: float
    post: Post


@attrs.frozen
class Answered:
    """The receiver answered with this HTTP status."""

    status: int
    reason: str = ""
    retry_after: str | None = None


@attrs.frozen
class Unreachable:
    """No answer came: the client raised ``error``.

    Attributes:
        error: What the HTTP client raised.
        transient: Whether another attempt may fare better (a refused or reset
            connection, a timeout), as the client's own error types tell.
    """

    error: Exception
    transient: bool


Outcome = Answered | Unreachable
Steps = Generator[Attempt, Outcome, None]


def answered(status: int, reason: str | None, headers: Mapping[str, str]) -> Answered:
    """Return the Answered for a response with this status, reason and headers."""
    return Answered(status, reason or "", headers.get(RETRY_AFTER_HEADER))


def post(hook: Webhook, event: RequestEvent) -> Post:
    """Return the POST that delivers ``event``'s JSON to ``hook``, signed with its secret.

    Raises:
        InvalidRequest: The event id cannot travel in an HTTP header (an event
            read from the table always can: it is the id and a timestamp).
    """
    if not (event.event_id.isascii() and event.event_id.isprintable()):
        raise InvalidRequest(
            "event_id", f"must be printable ASCII to be sent as {EVENT_ID_HEADER}"
        )
    body = event.to_json().encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: event.type.value,
        EVENT_ID_HEADER: event.event_id,
    }
    if hook.secret is not None:
        headers[SIGNATURE_HEADER] = signature(body, hook.secret)
    if hook.authorization is not None:
        headers["Authorization"] = hook.authorization
    return Post(url=hook.url, headers=headers, body=body, timeout=hook.timeout)


def attempts(hook: Webhook, request: Post, random: retry.Random) -> Steps:
    """Yield each attempt to make ``request``, and be sent how it went.

    Returns once an attempt is answered with 2xx. Raises NotificationFailed,
    with the last client error chained, after an answer or an error that is
    not retried, or after ``hook.max_attempts`` attempts.
    """
    wait = 0.0
    for number in range(1, hook.max_attempts + 1):
        outcome = yield Attempt(number=number, wait=wait, post=request)
        if isinstance(outcome, Answered):
            if retry.is_delivered(outcome.status):
                return
            retried = retry.is_retried(outcome.status)
            status: int | None = outcome.status
        else:
            retried = outcome.transient
            status = None
        if not retried or number == hook.max_attempts:
            cause = outcome.error if isinstance(outcome, Unreachable) else None
            raise _failure(hook, outcome, number, retried) from cause
        retry_after = outcome.retry_after if isinstance(outcome, Answered) else None
        wait = retry.delay_before_retry(number, status, retry_after, random)
        logger.warning(
            "webhook %s: attempt %d of %d failed (%s); retrying in %.2f s",
            hook.target,
            number,
            hook.max_attempts,
            _what_happened(outcome),
            wait,
        )


class BaseWebhookNotifier:
    """What both webhook notifiers share, with no I/O: the receiver and the attempts.

    A subclass takes the arguments of ``webhook()`` and a ``random`` (the
    jitter's source), sleeps between the attempts and makes each post.

    Raises:
        ValueError: An argument out of range (see ``webhook()``).
    """

    def __init__(
        self,
        url: str,
        *,
        secret: str | bytes | None,
        timeout: float,
        max_attempts: int,
        random: retry.Random,
    ) -> None:
        self._hook = webhook(url, secret=secret, timeout=timeout, max_attempts=max_attempts)
        self._random = random

    @property
    def target(self) -> str:
        """The receiver's URL as errors name it: no credentials, no query string."""
        return self._hook.target

    def _attempts(self, event: RequestEvent) -> Steps:
        """Return the attempts to deliver ``event`` (see ``attempts()``)."""
        return attempts(self._hook, post(self._hook, event), self._random)


def _what_happened(outcome: Outcome) -> str:
    if isinstance(outcome, Answered):
        return f"HTTP {outcome.status} {outcome.reason}".rstrip()
    return f"{type(outcome.error).__name__}: {outcome.error}"


def _failure(hook: Webhook, outcome: Outcome, number: int, retried: bool) -> NotificationFailed:
    tries = f"{number} attempt" + ("s" if number > 1 else "")
    verdict = f"gave up after {tries}" if retried else f"not retried, after {tries}"
    return NotificationFailed(hook.target, f"{_what_happened(outcome)} ({verdict})")


def _basic_authorization(username: str | None, password: str | None) -> str | None:
    if username is None:
        return None
    credentials = f"{unquote(username)}:{unquote(password or '')}".encode()
    return "Basic " + base64.b64encode(credentials).decode("ascii")


def _secret(secret: str | bytes | None) -> bytes | None:
    if secret is None:
        return None
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not isinstance(secret, bytes):
        raise TypeError(f"secret must be str, bytes or None, got {type(secret).__name__}")
    if not secret:
        raise ValueError("secret must not be empty (pass None to send no signature)")
    return secret


def _timeout(timeout: float) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"timeout must be a number of seconds, got {type(timeout).__name__}")
    if not (math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def _max_attempts(max_attempts: int) -> int:
    if isinstance(max_attempts, bool) or not isinstance(max_attempts, int):
        raise TypeError(f"max_attempts must be an int, got {type(max_attempts).__name__}")
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    return max_attempts
