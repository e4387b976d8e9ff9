"""AsyncWebhookNotifier: posts each event to an HTTP(S) receiver, through aiohttp.

The same rules as WebhookNotifier, from the same ``webhook_delivery`` and
``retry``: this module only awaits the waits and the posts. aiohttp comes
with aiobotocore (the ``async`` extra); it is imported when the first event
is sent, so that ``access_requests.events`` imports without it.
"""

from __future__ import annotations

import asyncio
import random as random_module
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from ..closing import AsyncClosing
from . import webhook_delivery
from .payload import RequestEvent
from .retry import Random
from .webhook_delivery import Outcome, Post, Unreachable

if TYPE_CHECKING:
    import aiohttp


class AsyncWebhookNotifier(webhook_delivery.BaseWebhookNotifier, AsyncClosing):
    """An AsyncNotifier that POSTs each event's JSON to a webhook.

    Sends what WebhookNotifier sends and retries as it does. It owns one
    aiohttp session, opened with the first event on the running event loop
    (so use a notifier on one loop): close it with ``aclose()``, or use the
    notifier as an async context manager. Like WebhookNotifier, it ignores
    the proxy environment variables.

    Args:
        url: The receiver, http or https.
        secret: The key to sign each body with; None sends no signature.
        timeout: Seconds one attempt may take, connecting and reading the answer included.
        max_attempts: Attempts in all before NotificationFailed.
        sleep: How to wait between attempts; ``asyncio.sleep`` by default.
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
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        random: Random = random_module.random,
    ) -> None:
        super().__init__(
            url, secret=secret, timeout=timeout, max_attempts=max_attempts, random=random
        )
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"AsyncWebhookNotifier({self.target!r})"

    async def notify(self, event: RequestEvent) -> None:
        """Deliver ``event``, retrying as ``retry`` says.

        Raises:
            NotificationFailed: The receiver refused it, or did not take it in
                ``max_attempts`` attempts.
        """
        steps = self._attempts(event)
        attempt = next(steps)
        while True:
            if attempt.wait > 0:
                await self._sleep(attempt.wait)
            try:
                attempt = steps.send(await self._post(attempt.post))
            except StopIteration:
                return

    async def _post(self, request: Post) -> Outcome:
        import aiohttp

        if self._session is None:
            # No cookies: one receiver's cookie must not ride along to the next event.
            self._session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        try:
            async with self._session.post(
                request.url,
                data=request.body,
                headers=dict(request.headers),
                timeout=aiohttp.ClientTimeout(total=request.timeout),
                allow_redirects=False,
            ) as response:
                await response.read()
                return webhook_delivery.answered(
                    response.status, response.reason, response.headers
                )
        except (aiohttp.ClientError, TimeoutError) as error:
            return Unreachable(error, transient=_is_transient(error))

    async def aclose(self) -> None:
        """Close the notifier's session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def _is_transient(error: Exception) -> bool:
    """Tell whether another attempt may fare better than the one that raised ``error``."""
    import aiohttp

    # A refused TLS certificate or a URL aiohttp cannot use would recur; every
    # other connection, payload or timeout error may not.
    return not isinstance(error, aiohttp.ClientSSLError | aiohttp.InvalidURL)
