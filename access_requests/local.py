"""A DynamoDB emulator on 127.0.0.1, for the demo and for services under development.

It is moto's server, from the ``local`` extra (``pip install
'access-requests[local]'``). Nothing it holds outlives the process.
"""

from __future__ import annotations

import logging
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
    """
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        raise EmulatorUnavailable() from error
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        host, bound = server.get_host_and_port()
        yield LocalDynamoDB(f"http://{host}:{bound}")
    finally:
        server.stop()
