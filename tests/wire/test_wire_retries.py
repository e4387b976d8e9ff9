"""The direct wire retries by botocore's legacy rules, with the client's budget and backoff."""

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from conftest import REGION
from fault_proxy import (
    CORRUPT,
    DROP,
    INTERNAL_ERROR,
    LOST,
    THROTTLING,
    TOO_MANY_REQUESTS,
    Fault,
    FaultProxy,
    error,
    late,
)
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb.direct import DirectWire
from access_requests.adapters.dynamodb.wire import Endpoint, Pause, Reply, exchange

ATTEMPTS = 3
READ_TIMEOUT = 1.0


def client_through(proxy: FaultProxy, **config: Any) -> DynamoDBClient:
    """A boto3 client of the proxy, in legacy mode with ATTEMPTS attempts in all."""
    settings = Config(
        retries={"mode": "legacy", "total_max_attempts": ATTEMPTS},
        read_timeout=READ_TIMEOUT,
        connect_timeout=1,
        **config,
    )
    return boto3.client(
        "dynamodb", region_name=REGION, endpoint_url=proxy.endpoint, config=settings
    )


def ending(
    proxy: FaultProxy, send: Any, method: str, params: dict[str, Any]
) -> tuple[Any, ...]:
    """How a call ended: its response or error, its retries, and the attempts the proxy saw."""
    before = len(proxy.seen)
    try:
        response = send(method, params)
    except ClientError as failure:
        metadata = failure.response["ResponseMetadata"]
        result: tuple[Any, ...] = (
            type(failure).__name__,
            metadata["RetryAttempts"],
            metadata.get("MaxAttemptsReached", False),
            "Item" in failure.response,
        )
    except BotoCoreError as failure:
        result = (type(failure).__name__,)
    else:
        result = ("answered", response["ResponseMetadata"]["RetryAttempts"])
    return (*result, len(proxy.seen) - before)


FAULTS = {
    "a 500 once": ([INTERNAL_ERROR], ("answered", 1, 2)),
    "throttling twice": ([THROTTLING, THROTTLING], ("answered", 2, 3)),
    "a 429 once": ([TOO_MANY_REQUESTS], ("answered", 1, 2)),
    "a dropped connection": ([DROP], ("answered", 1, 2)),
    "a CRC32 mismatch": ([CORRUPT], ("answered", 1, 2)),
    "a late answer": ([late(READ_TIMEOUT * 2)], ("answered", 1, 2)),
    "a 500 on every attempt": (
        [INTERNAL_ERROR] * ATTEMPTS,
        ("InternalServerError", 2, True, False, 3),
    ),
    "dropped on every attempt": ([DROP] * ATTEMPTS, ("ConnectionClosedError", 3)),
    "a CRC32 mismatch on every attempt": ([CORRUPT] * ATTEMPTS, ("ChecksumError", 3)),
    "a validation error": (
        [error(400, "ValidationException")],
        ("ClientError", 0, False, False, 1),
    ),
}


@pytest.mark.parametrize(("faults", "expected"), FAULTS.values(), ids=FAULTS.keys())
def test_faults_are_retried_as_botocore_retries_them(
    proxy: FaultProxy, table: str, faults: list[Fault], expected: tuple[Any, ...]
) -> None:
    """Each fault ends the same on both wires, after the same attempts."""
    client = client_through(proxy)
    wire = DirectWire(client)
    params = {"TableName": table, "Key": {"id": {"S": "r-1"}}, "ConsistentRead": True}

    def on_botocore(method: str, params: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = getattr(client, method)(**params)
        return response

    endings = []
    for send in (on_botocore, wire.send):
        proxy.plan("GetItem", *faults)
        endings.append(ending(proxy, send, "get_item", params))
    assert endings == [expected, expected]


def test_a_lost_response_is_retried_into_its_own_applied_write(
    proxy: FaultProxy, table: str
) -> None:
    """A write applied whose answer was lost meets itself on retry, as on botocore."""
    client = client_through(proxy)
    wire = DirectWire(client)

    def on_botocore(method: str, params: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = getattr(client, method)(**params)
        return response

    endings = []
    for send, request_id in ((on_botocore, "lost-botocore"), (wire.send, "lost-direct")):
        params = {
            "TableName": table,
            "Item": {"id": {"S": request_id}},
            "ConditionExpression": "attribute_not_exists(#id)",
            "ExpressionAttributeNames": {"#id": "id"},
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        proxy.plan("PutItem", LOST)
        endings.append(ending(proxy, send, "put_item", params))
    # Check the retry met the applied write, and said that it was a retry
    assert endings == [("ConditionalCheckFailedException", 1, False, True, 2)] * 2


def endpoint_of(**config: Any) -> Endpoint:
    """The direct wire's view of a client built with this Config."""
    client = boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",
        config=Config(**config),
    )
    return Endpoint.of(client)


def pauses_until_given_up(endpoint: Endpoint) -> list[float]:
    """The backoff before each retry of a call that meets a 500 on every attempt."""
    pauses: list[float] = []
    with pytest.raises(ClientError, match="InternalServerError"):
        answer_every_attempt(
            endpoint, Reply(500, {}, b'{"__type":"InternalServerError"}'), pauses
        )
    return pauses


def answer_every_attempt(endpoint: Endpoint, reply: Reply, pauses: list[float]) -> None:
    """Drive a GetItem, answering each attempt with ``reply``, noting each pause."""
    steps = exchange(endpoint, "get_item", {"TableName": "t", "Key": {"id": {"S": "r"}}})
    step = next(steps)
    while True:
        if isinstance(step, Pause):
            pauses.append(step.seconds)
            step = steps.send(None)
        else:
            step = steps.send(reply)


BUDGETS = {
    "legacy, total_max_attempts 5": ({"mode": "legacy", "total_max_attempts": 5}, 5),
    "legacy, max_attempts 2 (retries)": ({"mode": "legacy", "max_attempts": 2}, 3),
    "legacy, DynamoDB's default": ({"mode": "legacy"}, 10),
    "standard, its default": ({"mode": "standard"}, 3),
    "standard, total_max_attempts 4": ({"mode": "standard", "total_max_attempts": 4}, 4),
}


@pytest.mark.parametrize(("retries", "attempts"), BUDGETS.values(), ids=BUDGETS.keys())
def test_the_budget_is_the_clients(retries: dict[str, Any], attempts: int) -> None:
    """A call is attempted as many times as the client's retry configuration allows."""
    assert len(pauses_until_given_up(endpoint_of(retries=retries))) == attempts - 1


def test_backoff_is_botocores_legacy_backoff_for_dynamodb() -> None:
    """Retries wait 50 ms, doubling each time, without jitter."""
    pauses = pauses_until_given_up(endpoint_of(retries={"total_max_attempts": 5}))
    assert pauses == [0.05, 0.1, 0.2, 0.4]
