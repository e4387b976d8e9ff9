"""The direct wires sign with the client's credentials, refreshed as botocore refreshes them."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import aiobotocore.session
import boto3
import botocore.session
from aiobotocore.credentials import AioRefreshableCredentials
from botocore.credentials import CredentialProvider, RefreshableCredentials
from conftest import REGION
from fault_proxy import FaultProxy

from access_requests.adapters.dynamodb.direct import DirectWire
from access_requests.adapters.dynamodb.direct_async import AsyncDirectWire

# botocore refreshes credentials that expire within 10 minutes before every use,
# and leaves alone those that last longer than 15.
SOON, LATER = timedelta(minutes=5), timedelta(hours=1)


class Issuer:
    """Issues a new access key each time it is asked, valid for ``lifetime``."""

    def __init__(self, lifetime: timedelta) -> None:
        self.lifetime = lifetime
        self.issued = 0

    def metadata(self) -> dict[str, str]:
        """The next credentials, as a credential process or STS would give them."""
        self.issued += 1
        return {
            "access_key": f"AKIDROTATED{self.issued}",
            "secret_key": f"secret {self.issued}",
            "token": f"token {self.issued}",
            "expiry_time": (datetime.now(UTC) + self.lifetime).isoformat(),
        }


class Rotating(CredentialProvider):
    """A credential provider whose credentials botocore refreshes through ``issuer``."""

    METHOD = "rotating"

    def __init__(self, issuer: Issuer) -> None:
        super().__init__()
        self.issuer = issuer

    def load(self) -> RefreshableCredentials:
        return RefreshableCredentials.create_from_metadata(
            self.issuer.metadata(), refresh_using=self.issuer.metadata, method=self.METHOD
        )


class AsyncRotating(CredentialProvider):
    """The same provider for aiobotocore, which awaits its load and its refresh."""

    METHOD = "rotating"

    def __init__(self, issuer: Issuer) -> None:
        super().__init__()
        self.issuer = issuer

    async def load(self) -> AioRefreshableCredentials:
        async def refresh() -> dict[str, str]:
            return self.issuer.metadata()

        return AioRefreshableCredentials.create_from_metadata(
            self.issuer.metadata(), refresh_using=refresh, method=self.METHOD
        )


def signers_of_two_calls(proxy: FaultProxy, send: Any, table: str) -> list[str]:
    """The access keys that signed two calls."""
    before = len(proxy.signers)
    for _ in range(2):
        send("get_item", {"TableName": table, "Key": {"id": {"S": "r"}}})
    return proxy.signers[before:]


def rotating_client(proxy: FaultProxy, issuer: Issuer) -> Any:
    """A boto3 client whose credentials come from ``issuer``, through botocore's refresh."""
    session = botocore.session.get_session()
    session.get_component("credential_provider").insert_before("env", Rotating(issuer))
    return boto3.Session(botocore_session=session).client(
        "dynamodb", region_name=REGION, endpoint_url=proxy.endpoint
    )


def refreshed_before_each_call(signers: list[str]) -> bool:
    """Whether each call was signed with a key issued after the first, none used twice."""
    return len(set(signers)) == len(signers) and "AKIDROTATED1" not in signers


def test_credentials_about_to_expire_are_refreshed_before_each_call(
    proxy: FaultProxy, table: str
) -> None:
    """Within botocore's refresh window, every call is signed with refreshed credentials."""
    client = rotating_client(proxy, Issuer(SOON))
    assert signers_of_two_calls(proxy, DirectWire(client).send, table) == [
        "AKIDROTATED2",
        "AKIDROTATED3",
    ]
    # Check botocore itself refreshes them before each call too (sometimes twice).
    botocore_client = rotating_client(proxy, Issuer(SOON))

    def on_botocore(method: str, params: dict[str, Any]) -> Any:
        return getattr(botocore_client, method)(**params)

    assert refreshed_before_each_call(signers_of_two_calls(proxy, on_botocore, table))


def test_fresh_credentials_are_kept(proxy: FaultProxy, table: str) -> None:
    """Credentials far from expiring sign every call, on the wire as on botocore."""
    client = rotating_client(proxy, Issuer(LATER))
    assert signers_of_two_calls(proxy, DirectWire(client).send, table) == ["AKIDROTATED1"] * 2

    def on_botocore(method: str, params: dict[str, Any]) -> Any:
        return getattr(client, method)(**params)

    assert signers_of_two_calls(proxy, on_botocore, table) == ["AKIDROTATED1"] * 2


def test_the_async_wire_awaits_aiobotocores_refresh(proxy: FaultProxy, table: str) -> None:
    """aiobotocore's refreshable credentials are refreshed, awaited, before each call."""

    async def story() -> list[str]:
        session = aiobotocore.session.get_session()
        resolver = session.get_component("credential_provider")
        resolver.insert_before("env", AsyncRotating(Issuer(SOON)))
        async with (
            session.create_client(
                "dynamodb", region_name=REGION, endpoint_url=proxy.endpoint
            ) as client,
            AsyncDirectWire(client) as wire,
        ):
            before = len(proxy.signers)
            for _ in range(2):
                await wire.send("get_item", {"TableName": table, "Key": {"id": {"S": "r"}}})
            return proxy.signers[before:]

    assert asyncio.run(story()) == ["AKIDROTATED2", "AKIDROTATED3"]
