"""A real webhook receiver on 127.0.0.1, answering as a test scripts it.

``http.server`` in a thread of its own: each request is recorded (headers,
raw body, and whether its signature verifies with ``verify_signature``),
then answered with the next scripted ``Reply``; once the script runs out,
with 200.
"""

from __future__ import annotations

import socket
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import attrs

from access_requests.adapters.events.signature import verify_signature


@attrs.frozen
class Reply:
    """How the receiver answers one request: after ``delay`` seconds, with ``status``."""

    status: int = 200
    headers: Mapping[str, str] = attrs.field(factory=dict)
    delay: float = 0.0


@attrs.frozen
class Delivery:
    """One request the receiver got."""

    path: str
    headers: Mapping[str, str]
    body: bytes
    signature_valid: bool | None


class Receiver:
    """The receiver's state: its URL, its script and what it received."""

    def __init__(self, port: int, secret: str | None) -> None:
        self.url = f"http://127.0.0.1:{port}/hooks/access"
        self.secret = secret
        self.received: list[Delivery] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self.stopping = threading.Event()

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with ``replies``, in order."""
        with self._lock:
            self._script.extend(replies)

    def record(self, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Record one request and return how to answer it."""
        valid = None
        if self.secret is not None:
            valid = verify_signature(body, headers.get("X-Sentinel-Signature"), self.secret)
        with self._lock:
            self.received.append(Delivery(path, dict(headers), body, valid))
            return self._script.popleft() if self._script else Reply()


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            reply = receiver.record(self.path, dict(self.headers.items()), body)
            if reply.delay and receiver.stopping.wait(reply.delay):
                return
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that timed out and left is part of the tests, not an error."""


@contextmanager
def running_receiver(secret: str | None = None) -> Iterator[Receiver]:
    """Run a receiver on a free port of 127.0.0.1 until the block ends."""
    server = _QuietServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    receiver = Receiver(server.server_address[1], secret)
    server.RequestHandlerClass = _handler(receiver)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: a connection to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks/access"
