"""WebhookNotifier: posts each event to an HTTP(S) receiver, through urllib3.

Every rule (headers, signature, retries, backoff) is in ``webhook_delivery``
and ``retry``; this module only sleeps and posts. urllib3 is the HTTP client
botocore already uses, so it adds nothing to a service's dependencies; each
notifier keeps one PoolManager, so its connections are reused across events.
"""

from __future__ import annotations

import random as random_module
import time
from collections.abc import Callable
from types import TracebackType

import urllib3
from urllib3.exceptions import HTTPError, ProtocolError, ProxyError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from . import webhook_delivery
from .payload import RequestEvent
from .retry import Random
from .webhook_delivery import Outcome, Post, Unreachable

# What a later attempt may not meet: refused, reset or dropped connections
# (NewConnectionError is a ConnectTimeoutError), timeouts and proxy failures.
# Any other urllib3 error (a TLS certificate refused, say) would recur.
_TRANSIENT = (Urllib3Timeout, ProtocolError, ProxyError)


class WebhookNotifier(webhook_delivery.BaseWebhookNotifier):
    """A Notifier that POSTs each event's JSON to a webhook.

    Headers: ``Content-Type: application/json``, ``X-Sentinel-Event`` (the
    event type, as the Go system sends it), ``X-Sentinel-Event-Id``, and with
    a secret ``X-Sentinel-Signature: sha256=<hex HMAC-SHA256 of the body>``.
    Credentials in the URL (``https://user:password@host/...``) are sent as
    HTTP Basic authentication. Redirects are not followed.

    Args:
        url: The receiver, http or https.
        secret: The key to sign each body with, shared with the receiver; None
            sends no signature.
        timeout: Seconds one attempt may take: urllib3's total timeout, which
            bounds connecting, and each read by what connecting left.
        max_attempts: Attempts in all before NotificationFailed (see ``retry``
            for which failures are retried and how long it waits).
        sleep: How to wait between attempts; ``time.sleep`` by default.
        random: The jitter's source of floats in [0, 1); ``random.random`` by default.

    Raises:
        ValueError: An argument out of range (see ``webhook_delivery.webhook``).
    """

    def __init__(
        self,
        url: str,
        *,
        secret: str | bytes | None = None,
        timeout: float = webhook_delivery.TIMEOUT,
        max_attempts: int = webhook_delivery.MAX_ATTEMPTS,
        sleep: Callable[[float], object] = time.sleep,
        random: Random = random_module.random,
    ) -> None:
        super().__init__(
            url, secret=secret, timeout=timeout, max_attempts=max_attempts, random=random
        )
        self._sleep = sleep
        self._pool = urllib3.PoolManager()

    def __repr__(self) -> str:
        return f"WebhookNotifier({self.target!r})"

    def notify(self, event: RequestEvent) -> None:
        """Deliver ``event``, retrying as ``retry`` says.

        Raises:
            NotificationFailed: The receiver refused it, or did not take it in
                ``max_attempts`` attempts.
        """
        steps = self._attempts(event)
        attempt = next(steps)
        while True:
            if attempt.wait > 0:
                self._sleep(attempt.wait)
            try:
                attempt = steps.send(self._post(attempt.post))
            except StopIteration:
                return

    def _post(self, request: Post) -> Outcome:
        try:
            response = self._pool.request(
                "POST",
                request.url,
                body=request.body,
                headers=dict(request.headers),
                timeout=urllib3.Timeout(total=request.timeout),
                retries=False,
                redirect=False,
            )
        except HTTPError as error:
            return Unreachable(error, transient=isinstance(error, _TRANSIENT))
        return webhook_delivery.answered(response.status, response.reason, response.headers)

    def close(self) -> None:
        """Close the notifier's pooled connections."""
        self._pool.clear()

    def __enter__(self) -> WebhookNotifier:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
