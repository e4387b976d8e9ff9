"""A fault proxy on 127.0.0.1 in front of a DynamoDB endpoint: faults on the network itself.

``fault_injection`` faults a botocore client at its ``before-send`` hook; the
direct wire has no such hook, so its faults happen here, where a real network
fails: between the client and the backend. Any client pointed at the proxy's
``endpoint`` meets them, a boto3 client as well as a direct wire, so the two
can be held to the same behaviour. Faults are planned per operation
(``X-Amz-Target``), for the next requests in order; every other request is
forwarded as it is:

- ``error(status, code)``: DynamoDB's error answer; the backend never sees it.
- ``DROP``: the connection closes before the backend sees anything.
- ``LOST``: the backend applies the request; the connection then closes
  without the response.
- ``late(seconds)``: the backend applies the request; its response comes late.
- ``stall(seconds)``: nothing answers for that long, then the connection
  closes; the backend never sees the request.
- ``CORRUPT``: the backend's response, one byte of its body changed, with the
  backend's ``x-amz-crc32`` (a CRC32 mismatch).

With ``strip_old_items``, the proxy also takes the old item out of every failed
condition's answer, as some DynamoDB-compatible engines answer (what
``call_log.strip_old_items`` does at a botocore client's hooks).
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import threading
import time
import zlib
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import attrs
from fault_injection import FaultChooser, Plan

_ERROR_TYPE = "com.amazonaws.dynamodb.v20120810#"


@attrs.frozen
class Fault:
    """What happens to one request: ``kind`` and its details."""

    kind: str
    status: int = 0
    code: str = ""
    seconds: float = 0.0


DROP = Fault("drop")
LOST = Fault("lost")
CORRUPT = Fault("corrupt")


def error(status: int, code: str) -> Fault:
    """DynamoDB's error answer ``code`` with HTTP ``status``."""
    return Fault("error", status=status, code=code)


def stall(seconds: float) -> Fault:
    """No answer for ``seconds``, then a closed connection; the backend never sees it."""
    return Fault("stall", seconds=seconds)


def late(seconds: float) -> Fault:
    """The backend's answer, ``seconds`` late."""
    return Fault("late", seconds=seconds)


INTERNAL_ERROR = error(500, "InternalServerError")
THROTTLING = error(400, "ThrottlingException")
TOO_MANY_REQUESTS = error(429, "TooManyRequestsException")


class FaultProxy:
    """Forwards requests to ``backend``, faulting those planned.

    Attributes:
        endpoint: Where clients send their requests.
        seen: Every request's operation, in order, faulted or not.
        signers: The access key id that signed each request, in order.
    """

    def __init__(self, backend: str, *, strip_old_items: bool = False) -> None:
        self._backend = urlsplit(backend).netloc
        self._strip_old_items = strip_old_items
        self._plans: dict[str, deque[Fault]] = defaultdict(deque)
        self._lock = threading.Lock()
        self.seen: list[str] = []
        self.signers: list[str] = []
        self._injectors: list[NetworkInjector] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
                signer = self.headers.get("Authorization", "").partition("Credential=")[2]
                with proxy._lock:
                    proxy.signers.append(signer.partition("/")[0])
                proxy.answer(self, operation, body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the tests say what happened."""

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"

    def plan(self, operation: str, *faults: Fault) -> None:
        """Fault the next requests of ``operation``, one fault each, in order."""
        with self._lock:
            self._plans[operation].extend(faults)

    def inject(
        self, operation: str, fault: Fault, plan: Plan | None = None, seed: int = 0
    ) -> NetworkInjector:
        """Fault the attempts of ``operation`` that ``plan`` chooses (by default, all).

        Attempts are told apart by botocore's headers, which either wire sends.
        """
        injector = NetworkInjector(operation, plan or Plan(), seed, proxy=self, fault=fault)
        with self._lock:
            self._injectors.append(injector)
        return injector

    def withdraw(self, injector: NetworkInjector) -> None:
        """Let the requests ``injector`` would fault pass again."""
        with self._lock:
            if injector in self._injectors:
                self._injectors.remove(injector)

    def answer(
        self, handler: http.server.BaseHTTPRequestHandler, operation: str, body: bytes
    ) -> None:
        """Answer one request, as planned."""
        with self._lock:
            self.seen.append(operation)
            planned = self._plans[operation]
            fault = planned.popleft() if planned else None
            injectors = [each for each in self._injectors if each.operation == operation]
        for injector in injectors:
            if injector.chooses(handler.headers):
                fault = injector.fault
        if fault is not None and fault.kind == "error":
            document = {"__type": _ERROR_TYPE + fault.code, "message": fault.code}
            _respond(handler, fault.status, [], json.dumps(document).encode())
            return
        if fault is not None and fault.kind == "stall":
            time.sleep(fault.seconds)
        if fault == DROP or (fault is not None and fault.kind == "stall"):
            handler.close_connection = True
            return
        status, headers, content = self._forward(handler, body)
        if fault == LOST:
            handler.close_connection = True
            return
        if fault is not None and fault.kind == "late":
            time.sleep(fault.seconds)
        if fault == CORRUPT:
            content = content[:-2] + bytes([content[-2] ^ 1]) + content[-1:]
        elif self._strip_old_items and b"ConditionalCheckFailed" in content:
            document = json.loads(content)
            document.pop("Item", None)
            content = json.dumps(document).encode()
            headers = [
                (name, value) for name, value in headers if name.lower() != "x-amz-crc32"
            ]
            headers.append(("x-amz-crc32", str(zlib.crc32(content))))
        _respond(handler, status, headers, content)

    def _forward(
        self, handler: http.server.BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self._backend, timeout=30)
        try:
            headers = {
                name: value
                for name, value in handler.headers.items()
                if name.lower() not in ("host", "connection")
            }
            connection.request("POST", handler.path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            kept = [
                (name, value)
                for name, value in response.getheaders()
                if name.lower() not in ("connection", "content-length", "server", "date")
            ]
            return response.status, kept, content
        finally:
            connection.close()

    @contextmanager
    def running(self) -> Iterator[FaultProxy]:
        """Serve until the block ends."""
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=10)


@attrs.define(eq=False)
class NetworkInjector(FaultChooser):
    """Faults the attempts of one operation that its plan chooses, at a fault proxy."""

    proxy: FaultProxy = attrs.field(repr=False, kw_only=True)
    fault: Fault = attrs.field(kw_only=True)

    def stop(self) -> None:
        """Let every call of the operation reach the backend again."""
        self.proxy.withdraw(self)


def _respond(
    handler: http.server.BaseHTTPRequestHandler,
    status: int,
    headers: list[tuple[str, str]],
    content: bytes,
) -> None:
    handler.send_response(status)
    if not any(name.lower() == "x-amzn-requestid" for name, _ in headers):
        handler.send_header("x-amzn-requestid", "fault-proxy")
    if not any(name.lower() == "content-type" for name, _ in headers):
        handler.send_header("Content-Type", "application/x-amz-json-1.0")
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(content)))
    handler.end_headers()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
        handler.wfile.write(content)
