"""AsyncDirectWire: DynamoDB's JSON protocol over aiohttp, with an aiobotocore client's setup.

What to send, when to retry and how to read each answer is ``wire.exchange``,
shared with the sync wire; this module signs, sends and sleeps. An aiohttp
failure becomes the botocore exception that aiobotocore's own HTTP session
raises for it. aiohttp is needed to make a wire, not to import this module.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError
from botocore.httpsession import create_urllib3_context, get_cert_path

from ..closing import AsyncClosing
from . import wire
from .wire import Attempt, Endpoint, Outcome, Pause, Reply, Transport, exchange

if TYPE_CHECKING:
    import aiohttp
    from types_aiobotocore_dynamodb import DynamoDBClient


class AsyncDirectWire(AsyncClosing):
    """Sends a store's calls to DynamoDB directly, as the given aiobotocore client would.

    Endpoint, region, credentials (refreshed as aiobotocore refreshes them),
    timeouts, TLS verification, proxies and the retry budget are the
    client's; the client itself sends nothing. The wire opens its own
    connections on the first call: close it (``aclose`` or ``async with``).

    Args:
        client: An aiobotocore low-level DynamoDB client.
    """

    def __init__(self, client: DynamoDBClient) -> None:
        self._endpoint = Endpoint.of(client)
        self._signer: Any = client._request_signer  # type: ignore[attr-defined]  # tests/wire pins it
        self._transport = Transport.of(client)
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    async def send(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Make the aiobotocore call ``method(**params)``; return or raise as the client would.

        Raises:
            ValueError: ``method`` is not one the direct wire speaks.
            RuntimeError: The wire was closed.
            ClientError: DynamoDB's error answer, after the retries.
            BotoCoreError: A transport failure after the retries, or no credentials.
        """
        steps = exchange(self._endpoint, method, params)
        step = next(steps)
        try:
            while True:
                if isinstance(step, Pause):
                    await asyncio.sleep(step.seconds)
                    step = steps.send(None)
                else:
                    step = steps.send(await self._attempt(step))
        except StopIteration as done:
            response: dict[str, Any] = done.value
            return response

    async def aclose(self) -> None:
        """Close the wire's connections; a closed wire sends nothing more."""
        self._closed = True
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()

    async def _attempt(self, attempt: Attempt) -> Outcome:
        credentials = self._signer._credentials
        frozen = await credentials.get_frozen_credentials() if credentials is not None else None
        headers = self._endpoint.signed_headers(attempt, frozen, datetime.now(UTC))
        headers["Accept-Encoding"] = "identity"
        session = self._session or self._open()
        transport = self._transport
        try:
            async with session.post(
                self._endpoint.url,
                data=attempt.body,
                headers=headers,
                proxy=transport.proxy_url,
                proxy_headers=transport.proxy_headers or None,
                allow_redirects=False,
            ) as answer:
                content = await answer.read()
                raw_headers = answer.raw_headers
                status = answer.status
        except asyncio.CancelledError:
            raise
        except Exception as error:  # every failure is botocore's to name
            return self._failure(error)
        named: dict[str, str] = {}
        for name, value in raw_headers:
            key, text = name.decode("latin-1").lower(), value.decode("latin-1")
            named[key] = f"{named[key]}, {text}" if key in named else text
        return Reply(status, named, content)

    def _open(self) -> aiohttp.ClientSession:
        import aiohttp

        if self._closed:
            raise RuntimeError("the direct wire is closed")
        transport = self._transport
        connector = aiohttp.TCPConnector(
            limit=transport.max_pool_connections, ssl=_tls(transport)
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                sock_connect=transport.connect_timeout, sock_read=transport.read_timeout
            ),
            auto_decompress=False,
            skip_auto_headers=("Content-Type",),
        )
        return self._session

    def _failure(self, error: Exception) -> BotoCoreError:
        """The botocore exception that aiobotocore's AIOHTTPSession raises for ``error``."""
        proxy_url = self._transport.proxy_url
        return wire.botocore_failure(_kind(error), error, self._endpoint.url, proxy_url)


def _kind(error: Exception) -> wire.Failure:
    """Tell which failure an aiohttp ``error`` is, as AIOHTTPSession tells."""
    import aiohttp
    import aiohttp.http_exceptions

    if isinstance(error, aiohttp.ClientSSLError):
        return wire.Failure.TLS
    if isinstance(error, aiohttp.ClientProxyConnectionError | aiohttp.ClientHttpProxyError):
        return wire.Failure.PROXY
    if isinstance(
        error,
        aiohttp.ServerDisconnectedError
        | aiohttp.ClientPayloadError
        | aiohttp.http_exceptions.BadStatusLine,
    ):
        return wire.Failure.CLOSED
    if isinstance(error, aiohttp.ServerTimeoutError):
        if str(error).lower().startswith("connect"):
            return wire.Failure.CONNECT_TIMEOUT
        return wire.Failure.READ_TIMEOUT
    if isinstance(error, aiohttp.ClientConnectorError | aiohttp.ClientConnectionError):
        return wire.Failure.UNREACHABLE
    if isinstance(error, socket.gaierror):
        return wire.Failure.UNREACHABLE
    if isinstance(error, asyncio.TimeoutError):
        return wire.Failure.READ_TIMEOUT
    return wire.Failure.OTHER


def _tls(transport: Transport) -> ssl.SSLContext:
    """The TLS context aiobotocore's AIOHTTPSession would build for these settings."""
    context: ssl.SSLContext = create_urllib3_context()
    if transport.verify:
        context.check_hostname = True
        context.load_verify_locations(get_cert_path(transport.verify))  # type: ignore[arg-type]
    else:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if transport.cert_file:
        context.load_cert_chain(transport.cert_file, transport.key_file)
    return context
