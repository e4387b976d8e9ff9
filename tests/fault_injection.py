"""A fault injector for a test's DynamoDB client: lost responses, 5xx, throttling, timeouts.

``inject`` hooks one client's calls of one operation at botocore's
``before-send`` event, after every other hook has seen the request, where the
HTTP request would leave for the backend. A faulted attempt is answered there
by the fault instead of the network, so botocore's own retry handler sees
exactly what it would see from a real backend or a real network: an error
response, or the exception that urllib3's failure becomes. Faults:

- ``lost_response``: the request reaches the backend and is applied; its
  response is dropped, and botocore sees a dropped connection or a read
  timeout. Its retry then meets its own applied write.
- ``late_response``: the request is applied, and its response comes after
  ``delay`` seconds; past the client's read timeout the client gives up after
  that timeout with a ReadTimeoutError, as urllib3 would.
- ``error_response`` (``INTERNAL_ERROR``, ``THROTTLING``, ...): DynamoDB's
  error answer; the request never reaches the backend.
- ``connection_failure``: the network fails before the backend sees anything.

A ``Plan`` chooses the calls and the attempts that meet the fault from one
draw a call, in call order. The draws of every 100 calls are a shuffle of
0.00, 0.01, ..., 0.99 by a seeded ``random.Random``: a share of 0.3 is
exactly 30 calls of every 100, and a run is the same every time, so CI cannot
fail by luck. ``lost_response`` and ``late_response`` send the request
themselves, so they need a backend over HTTP (the moto server); the other
faults work on moto in-process too.
"""

import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import attrs
import botocore.endpoint
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import BotoCoreError, ConnectionClosedError, ReadTimeoutError
from botocore.httpsession import URLLib3Session
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import direct

_EVENT = "before-send.dynamodb"
_DRAWS = 100  # calls a shuffle of draws covers
_ATTEMPT = re.compile(r"attempt=(\d+)")
_ERROR_TYPE = "com.amazonaws.dynamodb.v20120810#"
# The backend as the network reaches it, shared by the faults that forward a request.
_NETWORK = URLLib3Session(timeout=30)


class Fault(Protocol):
    """Answers one attempt in place of the network: a response, or the network's error.

    ``read_timeout`` is the client's: how long it waits for a response.
    """

    def __call__(self, request: AWSPreparedRequest, read_timeout: float) -> AWSResponse: ...


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def error_response(status: int, code: str) -> Fault:
    """A fault that answers with DynamoDB's error ``code`` and HTTP ``status``.

    The request never reaches the backend.
    """

    def respond(request: AWSPreparedRequest, read_timeout: float) -> AWSResponse:
        body = json.dumps({"__type": f"{_ERROR_TYPE}{code}", "message": code}).encode()
        headers = HTTPHeaders()
        headers["x-amzn-requestid"] = "injected-fault"
        headers["content-type"] = "application/x-amz-json-1.0"
        return AWSResponse(request.url, status, headers, _Body(body))

    return respond


INTERNAL_ERROR = error_response(500, "InternalServerError")
UNAVAILABLE = error_response(503, "ServiceUnavailable")
THROTTLING = error_response(400, "ThrottlingException")
THROUGHPUT_EXCEEDED = error_response(400, "ProvisionedThroughputExceededException")


def connection_failure(error: type[BotoCoreError]) -> Fault:
    """A fault that fails the connection with ``error`` before the backend sees anything."""

    def fail(request: AWSPreparedRequest, read_timeout: float) -> AWSResponse:
        raise error(endpoint_url=request.url)

    return fail


def _forward(request: AWSPreparedRequest) -> AWSResponse:
    """Send ``request`` to the backend and return its response, read in full.

    The backend answers once it has applied the request: a write is stored.
    """
    return _NETWORK.send(request)


def lost_response(
    error: type[BotoCoreError] = ConnectionClosedError,
    meanwhile: Callable[[], object] | None = None,
) -> Fault:
    """A fault that lets the backend apply the request, then drops its response.

    Args:
        error: What the client sees instead of the response: ConnectionClosedError
            (the connection dropped) or ReadTimeoutError.
        meanwhile: Runs after the backend applied the request and before the
            client sees the error (and retries), as another writer would.
    """

    def lose(request: AWSPreparedRequest, read_timeout: float) -> AWSResponse:
        _forward(request)
        if meanwhile is not None:
            meanwhile()
        raise error(endpoint_url=request.url, error="the response was lost")

    return lose


def late_response(delay: float) -> Fault:
    """A fault that lets the backend apply the request and answers after ``delay`` seconds.

    The client waits for at most its read timeout: past it, the wait ends with
    ReadTimeoutError after the read timeout, as urllib3's would; within it, the
    backend's response arrives late.
    """

    def answer_late(request: AWSPreparedRequest, read_timeout: float) -> AWSResponse:
        response = _forward(request)
        time.sleep(min(delay, read_timeout))
        if delay > read_timeout:
            raise ReadTimeoutError(endpoint_url=request.url)
        return response

    return answer_late


class Headers(Protocol):
    """A request's headers, by name: botocore's, or the HTTP server's."""

    def __getitem__(self, name: str) -> Any: ...


@attrs.frozen
class Plan:
    """Which calls of the operation meet the fault, and on how many of their attempts.

    Each call draws one number in [0, 1) from the injector (see the module's
    docstring). A call that draws below ``share`` meets the fault on its first
    ``attempts`` attempts; one that draws below ``lasting_share`` (a part of
    ``share``) meets it on every attempt.

    Attributes:
        share: The share of calls that meet the fault; 1.0 for every call.
        attempts: How many attempts of such a call meet it, from the first;
            None for every attempt.
        lasting_share: The share of calls that meet it on every attempt.
    """

    share: float = 1.0
    attempts: int | None = None
    lasting_share: float = 0.0

    def faulted_attempts(self, draw: float) -> int | None:
        """Return how many attempts of a call that drew ``draw`` meet the fault (None: all)."""
        if draw < self.lasting_share:
            return None
        if draw < self.share:
            return self.attempts
        return 0


@attrs.define
class FaultChooser:
    """Counts the calls and attempts of one operation, and chooses those the plan faults.

    Shared by ``FaultInjector`` (at a botocore client's hook) and by
    ``fault_proxy`` (on the network, for either wire): both tell calls and
    attempts apart by botocore's ``amz-sdk-invocation-id`` and
    ``amz-sdk-request`` headers, which the direct wire sends too.

    Attributes:
        calls: Calls of the operation seen, each with its first attempt.
        attempts: Attempts of the operation seen, retries included.
        faulted_calls: Calls that met the fault at least once.
        lasting_calls: Calls that met the fault on every attempt.
        faulted: Attempts that met the fault.
    """

    operation: str
    plan: Plan
    seed: int
    calls: int = 0
    attempts: int = 0
    faulted_calls: int = 0
    lasting_calls: int = 0
    faulted: int = 0
    _random: random.Random = attrs.field(init=False)
    _draws: list[float] = attrs.field(init=False, factory=list)
    _lock: threading.Lock = attrs.field(init=False, factory=threading.Lock)
    _faulted_attempts: dict[str, int | None] = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def _draw(self) -> float:
        if not self._draws:
            self._draws = [step / _DRAWS for step in range(_DRAWS)]
            self._random.shuffle(self._draws)
        return self._draws.pop()

    def chooses(self, headers: Headers) -> bool:
        """Count one attempt, sent with these headers; tell whether it meets the fault."""
        call, attempt = _call_and_attempt(headers)
        with self._lock:
            self.attempts += 1
            if attempt == 1:
                self.calls += 1
                faulted = self.plan.faulted_attempts(self._draw())
                self._faulted_attempts[call] = faulted
                self.faulted_calls += faulted != 0
                self.lasting_calls += faulted is None
            faulted = self._faulted_attempts[call]
            if faulted is not None and attempt > faulted:
                return False
            self.faulted += 1
            return True

    def stop(self) -> None:
        """Let every call of the operation reach the backend again."""


@attrs.define
class FaultInjector(FaultChooser):
    """Faults one botocore client's calls of one operation, at its ``before-send`` hook."""

    client: DynamoDBClient = attrs.field(repr=False, kw_only=True)
    fault: Fault = attrs.field(kw_only=True)

    def send(
        self, event_name: str, request: AWSPreparedRequest, **_: Any
    ) -> AWSResponse | None:
        """Answer ``request`` with the fault if the plan chooses it; else let it go out."""
        if event_name.rsplit(".", 1)[-1] != self.operation:
            return None
        if not self.chooses(request.headers):
            return None
        # botocore-stubs leave Config's options out.
        read_timeout = self.client.meta.config.read_timeout  # type: ignore[attr-defined]
        return self.fault(request, float(read_timeout))

    def start(self) -> None:
        """Hook onto the client, after every other hook, so that they all see the request."""
        # A before-send handler may answer with the response; botocore's stubs say None.
        self.client.meta.events.register_last(
            _EVENT,
            self.send,  # type: ignore[arg-type]
            unique_id=self._unique_id,
        )

    def stop(self) -> None:
        """Let every call of the operation reach the backend again."""
        self.client.meta.events.unregister(_EVENT, unique_id=self._unique_id)

    @property
    def _unique_id(self) -> str:
        return f"fault-injector-{id(self)}"


def _call_and_attempt(headers: Headers) -> tuple[str, int]:
    """The call and its attempt number, as botocore's headers tell the backend."""
    call, attempts = (
        _text(headers[name]) for name in ("amz-sdk-invocation-id", "amz-sdk-request")
    )
    attempt = _ATTEMPT.search(attempts)
    if attempt is None:
        raise AssertionError(f"no attempt number in {attempts!r}")
    return call, int(attempt[1])


def _text(header: str | bytes) -> str:
    return header.decode() if isinstance(header, bytes) else header


def inject(
    client: DynamoDBClient,
    operation: str,
    fault: Fault,
    plan: Plan | None = None,
    seed: int = 0,
) -> FaultInjector:
    """Fault ``client``'s calls of ``operation`` (such as PutItem) as ``plan`` chooses.

    The plan defaults to every attempt of every call. The injector stays on
    the client for the client's life, or until its ``stop``.
    """
    injector = FaultInjector(operation, plan or Plan(), seed, client=client, fault=fault)
    injector.start()
    return injector


def skip_backoff_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Skip the sleeps between attempts (botocore's, every retry mode's, and the direct
    wire's), returning their lengths."""
    delays: list[float] = []

    class Time:
        @staticmethod
        def sleep(seconds: float) -> None:
            delays.append(seconds)

    monkeypatch.setattr(botocore.endpoint, "time", Time)
    monkeypatch.setattr(direct, "time", Time)
    return delays
