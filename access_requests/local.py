"""A DynamoDB emulator on 127.0.0.1, for the demo and for services under development.

It is moto's server, from the ``local`` extra (``pip install
'access-requests[local]'``). Nothing it holds outlives the process.
"""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import attrs
import boto3

from .domain import AccessRequestError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

REGION = "us-east-1"
# Throwaway credentials: the emulator checks none, but botocore signs every call.
_ACCESS_KEY = "local"
_SECRET_KEY = "local"


class EmulatorUnavailable(AccessRequestError):
    """The emulator's package (moto's server) is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "the local DynamoDB emulator needs moto's server: "
            "pip install 'access-requests[local]'"
        )


class PortInUse(AccessRequestError):
    """Another process already listens on the port the emulator was asked for."""

    def __init__(self, port: int) -> None:
        super().__init__(
            f"port {port} on 127.0.0.1 is already in use: pass another --port,"
            " or --port 0 for any free one"
        )
        self.port = port


@attrs.frozen
class LocalDynamoDB:
    """A running emulator: where it listens, and how to reach it."""

    endpoint_url: str

    def client(self) -> DynamoDBClient:
        """Return a DynamoDB client for the emulator, with throwaway credentials."""
        return boto3.client(
            "dynamodb",
            region_name=REGION,
            endpoint_url=self.endpoint_url,
            aws_access_key_id=_ACCESS_KEY,
            aws_secret_access_key=_SECRET_KEY,
        )

    def environment(self) -> dict[str, str]:
        """Return the settings that point boto3 (and this library's CLI) at the emulator."""
        return {
            "AWS_ENDPOINT_URL_DYNAMODB": self.endpoint_url,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": _ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": _SECRET_KEY,
        }


@contextmanager
def local_dynamodb(port: int = 0) -> Iterator[LocalDynamoDB]:
    """Run the emulator on 127.0.0.1 (a free port unless ``port`` is given) while inside.

    Raises:
        EmulatorUnavailable: moto's server is not installed.
        PortInUse: Something else listens on ``port``.
    """
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        raise EmulatorUnavailable() from error
    if port:
        _refuse_if_taken(port)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        host, bound = server.get_host_and_port()
        yield LocalDynamoDB(f"http://{host}:{bound}")
    finally:
        server.stop()


def _refuse_if_taken(port: int) -> None:
    """Raise PortInUse if ``port`` on 127.0.0.1 cannot be bound.

    moto's server binds in a thread of its own and, when the port is taken,
    waits forever for a server that never starts; so the port is tried here
    first, where the failure can be reported.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the server will: a port left in TIME_WAIT by a previous run is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(port) from error
            raise
