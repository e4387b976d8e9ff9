"""The async direct wire answers and retries as the aiobotocore client does."""

import asyncio
from typing import Any

import pytest
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError
from conftest import REGION
from fault_proxy import (
    CORRUPT,
    DROP,
    INTERNAL_ERROR,
    LOST,
    THROTTLING,
    Fault,
    FaultProxy,
    late,
)

from access_requests.adapters.dynamodb.direct_async import AsyncDirectWire

ATTEMPTS = 3
READ_TIMEOUT = 1.0


async def ending(proxy: FaultProxy, send: Any, method: str, params: Any) -> tuple[Any, ...]:
    """How a call ended: its response or error, its retries, and the attempts the proxy saw."""
    before = len(proxy.seen)
    try:
        response = await send(method, params)
    except ClientError as failure:
        metadata = failure.response["ResponseMetadata"]
        result: tuple[Any, ...] = (
            type(failure).__name__,
            metadata["RetryAttempts"],
            "Item" in failure.response,
        )
    except BotoCoreError as failure:
        result = (type(failure).__name__,)
    else:
        result = ("answered", response["ResponseMetadata"]["RetryAttempts"])
    return (*result, len(proxy.seen) - before)


FAULTS = {
    "no fault": ([], ("answered", 0, 1)),
    "a 500 once": ([INTERNAL_ERROR], ("answered", 1, 2)),
    "throttling twice": ([THROTTLING, THROTTLING], ("answered", 2, 3)),
    "a dropped connection": ([DROP], ("answered", 1, 2)),
    "a CRC32 mismatch": ([CORRUPT], ("answered", 1, 2)),
    "a late answer": ([late(READ_TIMEOUT * 2)], ("answered", 1, 2)),
    "a 500 on every attempt": (
        [INTERNAL_ERROR] * ATTEMPTS,
        ("InternalServerError", 2, False, 3),
    ),
    "dropped on every attempt": ([DROP] * ATTEMPTS, ("ConnectionClosedError", 3)),
    "late on every attempt": ([late(READ_TIMEOUT * 2)] * ATTEMPTS, ("ReadTimeoutError", 3)),
}


@pytest.mark.parametrize(("faults", "expected"), FAULTS.values(), ids=FAULTS.keys())
def test_faults_end_as_on_aiobotocore(
    proxy: FaultProxy, table: str, faults: list[Fault], expected: tuple[Any, ...]
) -> None:
    """Each fault ends as on aiobotocore, after the same attempts."""
    params = {"TableName": table, "Key": {"id": {"S": "r-1"}}, "ConsistentRead": True}

    async def story() -> list[tuple[Any, ...]]:
        config = AioConfig(
            retries={"mode": "legacy", "total_max_attempts": ATTEMPTS},
            read_timeout=READ_TIMEOUT,
        )
        async with (
            get_session().create_client(
                "dynamodb", region_name=REGION, endpoint_url=proxy.endpoint, config=config
            ) as client,
            AsyncDirectWire(client) as wire,
        ):

            async def on_aiobotocore(method: str, params: Any) -> Any:
                return await getattr(client, method)(**params)

            endings = []
            for send in (on_aiobotocore, wire.send):
                proxy.plan("GetItem", *faults)
                endings.append(await ending(proxy, send, "get_item", params))
            return endings

    assert asyncio.run(story()) == [expected, expected]


def test_a_lost_response_is_retried_into_its_own_applied_write(
    proxy: FaultProxy, table: str
) -> None:
    """A write whose answer was lost meets itself on retry, with the old item and its retry."""

    async def story() -> tuple[Any, ...]:
        async with (
            get_session().create_client(
                "dynamodb", region_name=REGION, endpoint_url=proxy.endpoint
            ) as client,
            AsyncDirectWire(client) as wire,
        ):
            proxy.plan("PutItem", LOST)
            params = {
                "TableName": table,
                "Item": {"id": {"S": "lost-async"}},
                "ConditionExpression": "attribute_not_exists(#id)",
                "ExpressionAttributeNames": {"#id": "id"},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
            return await ending(proxy, wire.send, "put_item", params)

    assert asyncio.run(story()) == ("ConditionalCheckFailedException", 1, True, 2)
