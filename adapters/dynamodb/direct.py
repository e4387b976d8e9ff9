"""DirectWire: DynamoDB's JSON protocol over urllib3, with the settings of a boto3 client.

What to send, when to retry and how to read each answer is ``wire.exchange``,
shared with the async wire; this module signs, sends and sleeps. A urllib3
failure becomes the botocore exception that botocore's own HTTP session
raises for it, so that retries and errors read the same on either wire.
"""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import urllib3
from botocore.exceptions import BotoCoreError
from botocore.httpsession import create_urllib3_context, get_cert_path
from urllib3.exceptions import (
    ConnectTimeoutError as URLLib3ConnectTimeoutError,
)
from urllib3.exceptions import (
    NewConnectionError,
    ProtocolError,
    ProxyError,
)
from urllib3.exceptions import (
    ReadTimeoutError as URLLib3ReadTimeoutError,
)
from urllib3.exceptions import (
    SSLError as URLLib3SSLError,
)

from . import wire
from .wire import Attempt, Endpoint, Outcome, Pause, Reply, Transport, exchange

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

_NO_RETRIES = urllib3.Retry(False)


class DirectWire:
    """Sends a store's calls to DynamoDB directly, as the given boto3 client would.

    Endpoint, region, credentials (refreshed as botocore refreshes them),
    timeouts, TLS verification, proxies and the retry budget are the
    client's; the client itself sends nothing. Safe to share between threads.

    Args:
        client: A boto3 low-level DynamoDB client.
    """

    def __init__(self, client: DynamoDBClient) -> None:
        self._endpoint = Endpoint.of(client)
        self._signer: Any = client._request_signer  # type: ignore[attr-defined]  # tests/wire pins it
        transport = Transport.of(client)
        self._target = self._endpoint.url
        if transport.proxy_url is None or self._target.startswith("https:"):
            self._target = urllib3.util.parse_url(self._target).request_uri
        self._proxy_url = transport.proxy_url
        self._pool = _pool(transport).connection_from_url(self._endpoint.url)

    def send(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Make the boto3 call ``method(**params)``; return or raise as the client would.

        Raises:
            ValueError: ``method`` is not one the direct wire speaks.
            ClientError: DynamoDB's error answer, after the retries.
            BotoCoreError: A transport failure after the retries, or no credentials.
        """
        steps = exchange(self._endpoint, method, params)
        step = next(steps)
        try:
            while True:
                if isinstance(step, Pause):
                    time.sleep(step.seconds)
                    step = steps.send(None)
                else:
                    step = steps.send(self._attempt(step))
        except StopIteration as done:
            response: dict[str, Any] = done.value
            return response

    def _attempt(self, attempt: Attempt) -> Outcome:
        credentials = self._signer._credentials
        frozen = credentials.get_frozen_credentials() if credentials is not None else None
        headers = self._endpoint.signed_headers(attempt, frozen, datetime.now(UTC))
        try:
            answer = self._pool.urlopen(
                "POST",
                self._target,
                body=attempt.body,
                headers=headers,
                retries=_NO_RETRIES,
                assert_same_host=False,
                redirect=False,
                decode_content=False,
                enforce_content_length=False,
            )
        except Exception as error:  # every failure is botocore's to name
            return self._failure(error)
        return Reply(
            answer.status,
            {name.lower(): answer.headers[name] for name in answer.headers},
            answer.data,
        )

    def _failure(self, error: Exception) -> BotoCoreError:
        """The botocore exception that botocore's URLLib3Session raises for ``error``."""
        return wire.botocore_failure(_kind(error), error, self._endpoint.url, self._proxy_url)


def _kind(error: Exception) -> wire.Failure:
    """Tell which failure a urllib3 ``error`` is, as URLLib3Session tells."""
    if isinstance(error, URLLib3SSLError):
        return wire.Failure.TLS
    if isinstance(error, NewConnectionError | socket.gaierror):
        return wire.Failure.UNREACHABLE
    if isinstance(error, ProxyError):
        return wire.Failure.PROXY
    if isinstance(error, URLLib3ConnectTimeoutError):
        return wire.Failure.CONNECT_TIMEOUT
    if isinstance(error, URLLib3ReadTimeoutError):
        return wire.Failure.READ_TIMEOUT
    if isinstance(error, ProtocolError):
        return wire.Failure.CLOSED
    return wire.Failure.OTHER


def _pool(transport: Transport) -> urllib3.PoolManager:
    """A urllib3 pool manager connecting as botocore's URLLib3Session would."""
    https: dict[str, Any] = {
        "ssl_context": create_urllib3_context(),
        "cert_file": transport.cert_file,
        "key_file": transport.key_file,
    }
    if transport.verify:
        https.update(cert_reqs="CERT_REQUIRED", ca_certs=get_cert_path(transport.verify))  # type: ignore[arg-type]
    else:
        https.update(cert_reqs="CERT_NONE", ca_certs=None)
    options: dict[str, Any] = {
        "timeout": urllib3.Timeout(
            connect=transport.connect_timeout, read=transport.read_timeout
        ),
        "maxsize": transport.max_pool_connections,
        "socket_options": transport.socket_options or None,
        **https,
    }
    if transport.proxy_url is not None:
        return urllib3.ProxyManager(
            transport.proxy_url, proxy_headers=transport.proxy_headers, **options
        )
    return urllib3.PoolManager(**options)
