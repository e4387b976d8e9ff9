"""The direct wire connects as the caller's client would: endpoint, timeouts, TLS, proxies.

Some of these settings botocore keeps only on private attributes; the first
tests here fail loudly when a botocore or aiobotocore release renames them.
"""

import asyncio
import socket
import time
from typing import Any

import boto3
import pytest
from aiobotocore.session import get_session
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from conftest import REGION
from fault_proxy import FaultProxy, late
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb.direct import DirectWire
from access_requests.adapters.dynamodb.wire import Endpoint, Transport

PRIVATE_SESSION_ATTRIBUTES = ("_verify", "_cert_file", "_key_file", "_proxy_config")


def boto3_client(**options: Any) -> DynamoDBClient:
    """A boto3 DynamoDB client built with these options."""
    return boto3.client("dynamodb", region_name=REGION, **options)


def test_botocores_private_attributes_the_wire_reads_are_still_there() -> None:
    """The signer's credentials and the HTTP session's settings are where the wire looks."""
    client = boto3_client()
    credentials = client._request_signer._credentials  # type: ignore[attr-defined]
    assert callable(credentials.get_frozen_credentials)
    session = client._endpoint.http_session  # type: ignore[attr-defined]
    for name in (*PRIVATE_SESSION_ATTRIBUTES, "_socket_options"):
        assert hasattr(session, name), f"botocore's URLLib3Session has no {name} any more"
    assert callable(session._proxy_config.proxy_url_for)
    assert callable(session._proxy_config.proxy_headers_for)


def test_aiobotocores_private_attributes_the_wire_reads_are_still_there() -> None:
    """aiobotocore keeps the same settings under the same names, its credentials awaitable."""

    async def look() -> None:
        async with get_session().create_client("dynamodb", region_name=REGION) as client:
            credentials = client._request_signer._credentials  # type: ignore[attr-defined]
            frozen = await credentials.get_frozen_credentials()
            assert frozen.access_key == "testing"
            session = client._endpoint.http_session  # type: ignore[attr-defined]
            for name in PRIVATE_SESSION_ATTRIBUTES:
                assert hasattr(session, name), f"aiobotocore's AIOHTTPSession lost {name}"

    asyncio.run(look())


def test_the_clients_connection_settings_are_the_wires() -> None:
    """Timeouts, pool size, TLS verification, certificate, proxies and keepalive carry over."""
    client = boto3_client(
        endpoint_url="http://dynamodb.internal:8000",
        verify="/etc/ssl/our-ca.pem",
        config=Config(
            connect_timeout=1.5,
            read_timeout=2.5,
            max_pool_connections=7,
            proxies={"http": "http://user:secret@proxy.internal:3128"},
            client_cert=("/etc/ssl/client.pem", "/etc/ssl/client.key"),
            tcp_keepalive=True,
        ),
    )
    transport = Transport.of(client)
    assert (transport.connect_timeout, transport.read_timeout) == (1.5, 2.5)
    assert transport.max_pool_connections == 7
    assert transport.verify == "/etc/ssl/our-ca.pem"
    assert (transport.cert_file, transport.key_file) == (
        "/etc/ssl/client.pem",
        "/etc/ssl/client.key",
    )
    assert transport.proxy_url == "http://user:secret@proxy.internal:3128"
    assert transport.proxy_headers["Proxy-Authorization"].startswith("Basic ")
    assert (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1) in transport.socket_options


def test_verification_can_be_turned_off_as_on_the_client() -> None:
    """verify=False on the client means no certificate check on the wire."""
    assert Transport.of(boto3_client(verify=False)).verify is False


class Caught(Exception):
    """A request stopped before it left, with the URL it was going to."""


def url_botocore_sends_to(client: DynamoDBClient) -> str:
    """The URL the client sends a GetItem to, caught before it leaves."""

    def catch(request: Any, **_: Any) -> None:
        raise Caught(request.url)

    client.meta.events.register("before-send.dynamodb", catch)
    with pytest.raises(Caught) as caught:
        client.get_item(TableName="t", Key={"id": {"S": "r"}})
    return str(caught.value)


ENDPOINTS = {
    "the region's": {},
    "another region's": {"region_name": "ap-southeast-2"},
    "FIPS": {"config": Config(use_fips_endpoint=True)},
    "an explicit endpoint": {"endpoint_url": "http://127.0.0.1:8000"},
    "an explicit endpoint with a path": {"endpoint_url": "https://example.com/dynamodb/"},
}


@pytest.mark.parametrize("options", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_requests_go_where_botocore_sends_them(options: dict[str, Any]) -> None:
    """The wire's URL is the one botocore's endpoint resolution gives the client."""
    options = {"region_name": REGION, **options}
    client = boto3.client("dynamodb", **options)
    assert Endpoint.of(client).url == url_botocore_sends_to(boto3.client("dynamodb", **options))


def test_the_read_timeout_is_the_clients(proxy: FaultProxy, table: str) -> None:
    """An answer later than the client's read timeout is given up after that timeout."""
    client = boto3_client(
        endpoint_url=proxy.endpoint,
        config=Config(read_timeout=0.3, retries={"mode": "legacy", "total_max_attempts": 1}),
    )
    proxy.plan("GetItem", late(3.0))
    started = time.monotonic()
    with pytest.raises(ReadTimeoutError):
        DirectWire(client).send("get_item", {"TableName": table, "Key": {"id": {"S": "r"}}})
    # Check it gave up after its 0.3 s, long before the answer came (a margin for load).
    assert 0.3 <= time.monotonic() - started < 2.0


def test_a_refused_connection_is_botocores_endpoint_connection_error() -> None:
    """Nothing listening at the endpoint: EndpointConnectionError, as on botocore."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = boto3_client(
        endpoint_url=f"http://127.0.0.1:{port}",
        config=Config(retries={"mode": "legacy", "total_max_attempts": 2}),
    )
    with pytest.raises(EndpointConnectionError):
        DirectWire(client).send("get_item", {"TableName": "t", "Key": {"id": {"S": "r"}}})


def test_requests_go_through_the_clients_proxy(
    proxy: FaultProxy, moto_server: str, table: str
) -> None:
    """With an HTTP proxy on the client, the wire's requests pass through that proxy."""
    client = boto3_client(
        endpoint_url=moto_server, config=Config(proxies={"http": proxy.endpoint})
    )
    before = len(proxy.seen)
    response = DirectWire(client).send(
        "get_item", {"TableName": table, "Key": {"id": {"S": "r"}}}
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert proxy.seen[before:] == ["GetItem"]
