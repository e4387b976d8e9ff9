"""DynamoDB's JSON protocol without botocore's request pipeline: what both direct wires share.

No I/O here. ``exchange`` is a generator that yields what to do (an
``Attempt`` to sign and send, or a ``Pause`` before the next one) and is sent
what happened (the ``Reply``, or the botocore exception that the transport's
failure becomes); it returns the response as a boto3 client returns it, or
raises what a boto3 client raises. The sync wire (``direct``, urllib3) and the
async wire (``direct_async``, aiohttp) only sign, send and sleep.

Parity with the boto3 client, decided once here:

- The request: the same JSON body (bytes go out in base64), the headers
  DynamoDB's JSON 1.0 protocol names, signed with the client's credentials
  as botocore's SigV4Auth signs (``Signer``).
- Retries: botocore's own legacy retry handler, built from the same
  ``_retry.json`` and the client's retry configuration as botocore builds it
  for a client in legacy mode (throttling codes and 429, 5xx, connection
  errors and read timeouts, a CRC32 mismatch of ``x-amz-crc32``; exponential
  backoff from 50 ms). The budget is the client's ``total_max_attempts``;
  a client in standard or adaptive mode with none set gets those modes'
  default of 3 attempts, under the legacy rules.
- The answer: the parsed body (binary values decoded from base64) with
  ``ResponseMetadata`` (RequestId, HTTPStatusCode, HTTPHeaders,
  RetryAttempts); a failure raises the client's own modeled ClientError
  class with botocore's ``response`` shape (Error.Code after the last
  ``#`` of ``__type``, Error.Message, and the modeled fields such as a
  failed condition's ``Item``). Unmodeled keys of a response are kept,
  where botocore drops them.
"""

from __future__ import annotations

import base64
import enum
import functools
import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Callable, Generator, Mapping
from datetime import datetime
from typing import Any

import attrs
import botocore
import botocore.auth
import botocore.loaders
import botocore.retries.standard
import botocore.translate
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    NoCredentialsError,
    ProxyConnectionError,
    ReadTimeoutError,
    SSLError,
)
from botocore.httpsession import mask_proxy_url
from botocore.retryhandler import RetryHandler, create_retry_handler

OPERATIONS = {
    "put_item": "PutItem",
    "get_item": "GetItem",
    "update_item": "UpdateItem",
    "delete_item": "DeleteItem",
    "query": "Query",
}
"""The boto3 methods a store calls, and DynamoDB's names for them."""

_TARGET = "DynamoDB_20120810."
_CONTENT_TYPE = "application/x-amz-json-1.0"
_USER_AGENT = f"access-requests-direct-wire Botocore/{botocore.__version__}"
_ITEM_KEYS = ("Item", "Attributes", "LastEvaluatedKey")


def _encode_binary(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"a parameter of type {type(value).__name__} is not JSON")


try:
    import orjson
except ImportError:  # pragma: no cover - without the ``fast`` extra (tests/wire checks it)
    _loads: Callable[[bytes], Any] = json.loads

    def _dumps(params: Mapping[str, Any]) -> bytes:
        return json.dumps(params, separators=(",", ":"), default=_encode_binary).encode()

    JSON_DECODER = "json"
else:
    _loads = orjson.loads

    def _dumps(params: Mapping[str, Any]) -> bytes:
        encoded: bytes = orjson.dumps(params, default=_encode_binary)
        return encoded

    JSON_DECODER = "orjson"
"""Which JSON library the wire reads and writes with: orjson with the ``fast`` extra."""


@attrs.frozen
class Attempt:
    """One attempt of a call: what to sign and send to the endpoint.

    ``invocation``, ``number`` and ``most`` go out as botocore's
    ``amz-sdk-invocation-id`` and ``amz-sdk-request`` headers, so that a
    server or a proxy tells calls and attempts apart on either wire.
    """

    operation: str
    body: bytes
    invocation: str = ""
    number: int = 1
    most: int = 1


@attrs.frozen
class Pause:
    """Wait this long before the next attempt (botocore's backoff)."""

    seconds: float


@attrs.frozen
class Reply:
    """An HTTP answer, as botocore's retry checkers read one.

    ``headers`` has lowercase names.
    """

    status_code: int
    headers: Mapping[str, str]
    content: bytes


Outcome = Reply | BotoCoreError
"""What an attempt came to: an answer, or the transport's failure as botocore names it."""


class Failure(enum.Enum):
    """How an attempt failed to get an answer, as botocore's HTTP sessions tell it."""

    TLS = enum.auto()
    UNREACHABLE = enum.auto()
    PROXY = enum.auto()
    CONNECT_TIMEOUT = enum.auto()
    READ_TIMEOUT = enum.auto()
    CLOSED = enum.auto()
    OTHER = enum.auto()


def botocore_failure(
    failure: Failure, error: Exception, endpoint_url: str, proxy_url: str | None
) -> BotoCoreError:
    """Return the botocore exception that botocore's HTTP session raises for ``error``.

    Each wire tells which ``failure`` its HTTP client's ``error`` is; the
    exception and its arguments are botocore's, the same on either wire.
    """
    if failure is Failure.TLS:
        return SSLError(endpoint_url=endpoint_url, error=error)
    if failure is Failure.UNREACHABLE:
        return EndpointConnectionError(endpoint_url=endpoint_url, error=error)
    if failure is Failure.PROXY:
        return ProxyConnectionError(proxy_url=mask_proxy_url(proxy_url or ""), error=error)
    if failure is Failure.CONNECT_TIMEOUT:
        return ConnectTimeoutError(endpoint_url=endpoint_url, error=error)
    if failure is Failure.READ_TIMEOUT:
        return ReadTimeoutError(endpoint_url=endpoint_url, error=error)
    if failure is Failure.CLOSED:
        return ConnectionClosedError(error=error, request=None, endpoint_url=endpoint_url)
    return HTTPClientError(error=error)


Exchange = Generator[Attempt | Pause, Outcome | None, dict[str, Any]]
"""One call in progress: yields attempts and pauses, is sent each attempt's outcome."""


@attrs.frozen
class Endpoint:
    """Where and how a wire talks to DynamoDB, taken from a botocore or aiobotocore client.

    Attributes:
        url: The request URL (the client's endpoint, with its path or ``/``).
        region: The region that requests are signed for.
        signing_name: The service name that requests are signed for.
        retries: botocore's legacy retry handler, with the client's budget.
        most_attempts: The budget: how many attempts in all a call may make.
        raise_for: The client's modeled ClientError class for an error code.
    """

    url: str
    region: str
    signing_name: str
    signer: Signer
    retries: Callable[..., float | None]
    most_attempts: int
    raise_for: Callable[[str], type[ClientError]]

    @classmethod
    def of(cls, client: Any) -> Endpoint:
        """Read a client's endpoint, region, signing name and retry budget."""
        meta = client.meta
        retries, most_attempts = legacy_retries(
            meta.config.retries, meta.service_model.endpoint_prefix
        )
        url = meta.endpoint_url
        if url.count("/") == 2:
            url += "/"
        return cls(
            url=url,
            region=meta.region_name,
            signing_name=meta.service_model.signing_name,
            signer=Signer(url, meta.region_name, meta.service_model.signing_name),
            retries=retries,
            most_attempts=most_attempts,
            raise_for=client.exceptions.from_code,
        )

    def signed_headers(
        self, attempt: Attempt, credentials: ReadOnlyCredentials | None, now: datetime
    ) -> dict[str, str]:
        """Return the headers of ``attempt``, signed at ``now`` as botocore's SigV4Auth signs.

        Raises:
            NoCredentialsError: There are no credentials, as botocore raises it.
        """
        return self.signer.headers(attempt, credentials, now)


class Signer:
    """SigV4 for the one kind of request the wire sends: the bytes botocore's SigV4Auth signs.

    botocore's SigV4Auth on an AWSRequest costs about 140 us a call, most of
    it in generic header and URL handling (an email.message header map,
    several urlsplit calls), more than the rest of a direct call together.
    Every request here is a POST of the same headers to one URL, so the
    canonical host and path are taken once from SigV4Auth itself, and the
    signing key once a day for each secret; each call then hashes the body
    and signs as SigV4 says. tests/wire/test_wire_signing.py holds the result
    to SigV4Auth's, header for header, with and without a session token.
    """

    def __init__(self, url: str, region: str, service: str) -> None:
        template = AWSRequest(method="POST", url=url, headers={})
        unused = ReadOnlyCredentials("template", "template", None)
        botocore_signer = botocore.auth.SigV4Auth(unused, service, region)
        self._host = botocore_signer.headers_to_sign(template)["host"]
        self._path = botocore_signer.canonical_request(template).split("\n")[1]
        self._scope = f"/{region}/{service}/aws4_request"
        self._region = region
        self._service = service
        self._key: tuple[str, str, bytes] = ("", "", b"")
        self._key_lock = threading.Lock()

    def headers(
        self, attempt: Attempt, credentials: ReadOnlyCredentials | None, now: datetime
    ) -> dict[str, str]:
        """Return the signed headers of ``attempt`` at ``now`` (UTC)."""
        if credentials is None:
            raise NoCredentialsError()
        stamp = now.strftime("%Y%m%dT%H%M%SZ")
        day = stamp[:8]
        target = _TARGET + attempt.operation
        token = credentials.token
        if token:
            names = "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
            canonical_headers = (
                f"content-type:{_CONTENT_TYPE}\nhost:{self._host}\nx-amz-date:{stamp}\n"
                f"x-amz-security-token:{' '.join(token.split())}\nx-amz-target:{target}\n"
            )
        else:
            names = "content-type;host;x-amz-date;x-amz-target"
            canonical_headers = (
                f"content-type:{_CONTENT_TYPE}\nhost:{self._host}\nx-amz-date:{stamp}\n"
                f"x-amz-target:{target}\n"
            )
        canonical = (
            f"POST\n{self._path}\n\n{canonical_headers}\n{names}\n"
            f"{hashlib.sha256(attempt.body).hexdigest()}"
        )
        scope = day + self._scope
        to_sign = (
            f"AWS4-HMAC-SHA256\n{stamp}\n{scope}\n"
            f"{hashlib.sha256(canonical.encode()).hexdigest()}"
        )
        key = self._signing_key(credentials.secret_key or "", day)
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        headers = {
            "X-Amz-Target": target,
            "Content-Type": _CONTENT_TYPE,
            "User-Agent": _USER_AGENT,
            "X-Amz-Date": stamp,
            "Authorization": f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope},"
            f" SignedHeaders={names}, Signature={signature}",
        }
        if token:
            headers["X-Amz-Security-Token"] = token
        headers["amz-sdk-invocation-id"] = attempt.invocation
        headers["amz-sdk-request"] = f"attempt={attempt.number}; max={attempt.most}"
        return headers

    def _signing_key(self, secret: str, day: str) -> bytes:
        known_secret, known_day, key = self._key
        if known_secret == secret and known_day == day:
            return key
        key = f"AWS4{secret}".encode()
        for part in (day, self._region, self._service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        with self._key_lock:
            self._key = (secret, day, key)
        return key


def legacy_retries(
    client_retries: Mapping[str, Any] | None, service: str
) -> tuple[RetryHandler, int]:
    """Build botocore's legacy retry handler as botocore does, with the client's budget.

    Returns:
        The handler, and how many attempts in all it allows a call.
    """
    retries = dict(client_retries or {})
    if "total_max_attempts" in retries:
        retries["max_attempts"] = retries.pop("total_max_attempts") - 1
    elif retries.get("mode", "legacy") != "legacy":
        retries["max_attempts"] = botocore.retries.standard.DEFAULT_MAX_ATTEMPTS - 1
    model = _retry_model()
    config = botocore.translate.build_retry_config(
        service, model.get("retry", {}), model.get("definitions", {}), retries
    )
    handler: RetryHandler = create_retry_handler(config, service)
    return handler, int(config["__default__"]["max_attempts"])


@functools.cache
def _retry_model() -> dict[str, Any]:
    model: dict[str, Any] = botocore.loaders.create_loader().load_data("_retry")
    return model


def exchange(endpoint: Endpoint, method: str, params: Mapping[str, Any]) -> Exchange:
    """Make one call as a boto3 client would, retrying by botocore's legacy rules.

    Raises:
        ValueError: ``method`` is not one the direct wire speaks.
        ClientError: DynamoDB answered with an error (the client's modeled class).
        BotoCoreError: The transport failed on the last attempt, or the last
            answer failed its CRC32 check (ChecksumError).
    """
    try:
        operation = OPERATIONS[method]
    except KeyError:
        raise ValueError(
            f"the direct wire does not speak {method!r}; it speaks {', '.join(OPERATIONS)}"
        ) from None
    body, invocation = _dumps(params), str(uuid.uuid4())
    context: dict[str, Any] = {"context": {"retries": {}}}
    attempts = 1
    while True:
        outcome = yield Attempt(operation, body, invocation, attempts, endpoint.most_attempts)
        if isinstance(outcome, Reply):
            response = _parse(outcome)
            delay = endpoint.retries(attempts, (outcome, response), None, request_dict=context)
            if delay is None:
                response["ResponseMetadata"]["RetryAttempts"] = attempts - 1
                if outcome.status_code >= 300:
                    error: Any = response
                    raise endpoint.raise_for(response["Error"]["Code"])(error, operation)
                return response
        elif outcome is None:
            raise TypeError("an Attempt is sent its outcome")
        else:
            delay = endpoint.retries(attempts, None, outcome, request_dict=context)
            if delay is None:
                raise outcome  # not retryable, or the last attempt: botocore raises it too
        yield Pause(delay)
        attempts += 1


def _parse(reply: Reply) -> dict[str, Any]:
    """Return the answer as botocore parses it, with its ResponseMetadata."""
    try:
        body = _loads(reply.content) if reply.content else {}
    except ValueError:
        body = {"message": reply.content.decode("utf-8", "replace")}
    if not isinstance(body, dict):
        body = {}
    if b'"B' in reply.content:
        _decode_binaries(body)
    metadata: dict[str, Any] = {}
    request_id = reply.headers.get("x-amzn-requestid")
    if request_id is not None:
        metadata["RequestId"] = request_id
    metadata["HTTPStatusCode"] = reply.status_code
    metadata["HTTPHeaders"] = dict(reply.headers)
    metadata["RetryAttempts"] = 0
    if reply.status_code < 300:
        body["ResponseMetadata"] = metadata
        return body
    code = body.pop("__type", None) or str(reply.status_code)
    code = code.split(":", 1)[0].rsplit("#", 1)[-1]
    message = body.get("message", body.get("Message", ""))
    return {"Error": {"Message": message, "Code": code}, "ResponseMetadata": metadata, **body}


def _decode_binaries(body: dict[str, Any]) -> None:
    """Decode the base64 of binary attribute values in place, as botocore does."""
    for name in _ITEM_KEYS:
        if isinstance(item := body.get(name), dict):
            _decode_item(item)
    for item in body.get("Items") or ():
        _decode_item(item)


def _decode_item(item: dict[str, Any]) -> None:
    for value in item.values():
        _decode_value(value)


def _decode_value(value: dict[str, Any]) -> None:
    if "B" in value:
        value["B"] = base64.b64decode(value["B"])
    elif "BS" in value:
        value["BS"] = [base64.b64decode(each) for each in value["BS"]]
    elif "M" in value:
        _decode_item(value["M"])
    elif "L" in value:
        for each in value["L"]:
            _decode_value(each)


@attrs.frozen
class Transport:
    """How a client's HTTP session connects, as the caller configured the client.

    The timeouts and the pool size are the client's public Config. botocore
    keeps TLS verification (``verify=``, AWS_CA_BUNDLE, REQUESTS_CA_BUNDLE),
    the client certificate, proxies (``proxies=``, HTTPS_PROXY) and socket
    options (``tcp_keepalive``) only on its HTTP session, so they are read
    from there: ``client._endpoint.http_session`` and its ``_verify``,
    ``_cert_file``, ``_key_file``, ``_proxy_config`` and ``_socket_options``,
    the same names in botocore and aiobotocore
    (tests/wire/test_wire_client_settings.py fails when they change).

    Attributes:
        verify: True, False, or the path of a CA bundle.
    """

    connect_timeout: float
    read_timeout: float
    max_pool_connections: int
    verify: bool | str
    cert_file: str | None
    key_file: str | None
    proxy_url: str | None
    proxy_headers: dict[str, str]
    socket_options: list[tuple[int, int, int]]

    @classmethod
    def of(cls, client: Any) -> Transport:
        """Read a botocore or aiobotocore client's connection settings."""
        config = client.meta.config
        session = client._endpoint.http_session
        proxy_url = session._proxy_config.proxy_url_for(client.meta.endpoint_url)
        return cls(
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
            max_pool_connections=config.max_pool_connections,
            verify=session._verify,
            cert_file=session._cert_file,
            key_file=session._key_file,
            proxy_url=proxy_url,
            proxy_headers=session._proxy_config.proxy_headers_for(proxy_url or ""),
            socket_options=list(session._socket_options or ()),
        )
