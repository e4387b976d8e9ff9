"""Benchmark 8: client CPU per call on each wire, against a moto server in another process.

Every contender does the same four things to the same table, and turns each
answer into a Request: create (a conditional PutItem), get (a consistent
GetItem), approve (the store's conditional UpdateItem) and a 100-item page (a
Query of the requester index, newest first). CPU is this process's own
(``time.process_time``), so the server's work is not counted. Contenders:

- the store on the direct wire, and on the botocore wire (sync and async);
- raw boto3: the same calls on the boto3 client, items read by hand;
- PynamoDB, with an equivalent Model;
- aiodynamo over aiohttp, with the same conditions;
- the floor: SigV4 written out by hand over urllib3, orjson, items read by hand.

They take turns round by round; each figure is the median over rounds of a
round's mean per call, with the spread of the middle half of the rounds.
Run: ``python -m benchmarks.wire`` (the ``bench`` extra).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import os
import statistics
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import aiohttp
import boto3
import orjson
import urllib3
from aiobotocore.session import get_session
from aiodynamo.client import Client as AiodynamoClient
from aiodynamo.credentials import Key, StaticCredentials
from aiodynamo.expressions import F, HashKey
from aiodynamo.http.aiohttp import AIOHTTP
from aiodynamo.models import ReturnValues
from aiodynamo.types import AttributeType
from yarl import URL

from access_requests.adapters.dynamodb import (
    AsyncDynamoDBRequestStore,
    DynamoDBRequestStore,
    create_table,
)
from access_requests.domain import Request
from access_requests.ports import ManualClock

from . import alternatives
from .client_overhead import REGION, TABLE, PynamoDB, RawClient, moto_server_process
from .requests import START
from .timing import collector_paused

OPERATIONS = ("get", "create", "approve", "page of 100")
DIRECT, BOTOCORE, RAW, FLOOR = "direct wire", "botocore wire", "raw boto3", "floor"
ASYNC_DIRECT, ASYNC_BOTOCORE = "direct wire (async)", "botocore wire (aiobotocore)"
AIODYNAMO = "aiodynamo (aiohttp)"
_KEY, _SECRET = "bench", "bench"


class Contender(Protocol):
    def create(self, request: Request) -> object: ...
    def get(self, request_id: str) -> Request: ...
    def update(self, request: Request) -> Request: ...
    def list_100(self, requester: str) -> list[Request]: ...


class AsyncContender(Protocol):
    async def create(self, request: Request) -> object: ...
    async def get(self, request_id: str) -> Request: ...
    async def update(self, request: Request) -> Request: ...
    async def list_100(self, requester: str) -> list[Request]: ...


class Store:
    """The store, on the wire it was given."""

    def __init__(self, store: DynamoDBRequestStore) -> None:
        self.store = store

    def create(self, request: Request) -> None:
        self.store.create(request)

    def get(self, request_id: str) -> Request:
        return self.store.get(request_id)

    def update(self, request: Request) -> Request:
        return self.store.update(request)

    def list_100(self, requester: str) -> list[Request]:
        return list(self.store.list_by_requester(requester, limit=100))


class AsyncStore:
    """The async store, on the wire it was given."""

    def __init__(self, store: AsyncDynamoDBRequestStore) -> None:
        self.store = store

    async def create(self, request: Request) -> None:
        await self.store.create(request)

    async def get(self, request_id: str) -> Request:
        return await self.store.get(request_id)

    async def update(self, request: Request) -> Request:
        return await self.store.update(request)

    async def list_100(self, requester: str) -> list[Request]:
        return list(await self.store.list_by_requester(requester, limit=100))


class Floor:
    """SigV4 by hand over urllib3, orjson, items read by hand: the least a call costs."""

    def __init__(self, endpoint: str, clock: ManualClock) -> None:
        self.clock = clock
        self.pool = urllib3.connection_from_url(endpoint, maxsize=4)
        self.host = urllib3.util.parse_url(endpoint).netloc
        self.scope_key: tuple[str, bytes] = ("", b"")

    def create(self, request: Request) -> None:
        self._call(
            "PutItem",
            {
                "TableName": TABLE,
                "Item": alternatives.hand_encode(request),
                "ConditionExpression": "attribute_not_exists(#id)",
                "ExpressionAttributeNames": {"#id": "id"},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            },
        )

    def get(self, request_id: str) -> Request:
        answer = self._call(
            "GetItem",
            {"TableName": TABLE, "Key": {"id": {"S": request_id}}, "ConsistentRead": True},
        )
        return alternatives.hand_decode(answer["Item"])

    def update(self, request: Request) -> Request:
        params = alternatives.hand_update_params(TABLE, request, self.clock())
        return alternatives.hand_decode(self._call("UpdateItem", params)["Attributes"])

    def list_100(self, requester: str) -> list[Request]:
        answer = self._call(
            "Query",
            {
                "TableName": TABLE,
                "IndexName": "gsi-requester",
                "KeyConditionExpression": "#key = :key",
                "ExpressionAttributeNames": {"#key": "requester"},
                "ExpressionAttributeValues": {":key": {"S": requester}},
                "ScanIndexForward": False,
                "Limit": 100,
            },
        )
        return [alternatives.hand_decode(item) for item in answer["Items"]]

    def _call(self, operation: str, params: Mapping[str, Any]) -> Any:
        body = orjson.dumps(params)
        answer = self.pool.urlopen(
            "POST", "/", body=body, headers=self._signed(operation, body), retries=False
        )
        if answer.status != 200:
            raise RuntimeError(f"{operation}: {answer.status} {answer.data!r}")
        return orjson.loads(answer.data)

    def _signed(self, operation: str, body: bytes) -> dict[str, str]:
        amz_date = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        day = amz_date[:8]
        target = f"DynamoDB_20120810.{operation}"
        canonical = (
            f"POST\n/\n\ncontent-type:application/x-amz-json-1.0\nhost:{self.host}\n"
            f"x-amz-date:{amz_date}\nx-amz-target:{target}\n\n"
            f"content-type;host;x-amz-date;x-amz-target\n{hashlib.sha256(body).hexdigest()}"
        )
        scope = f"{day}/{REGION}/dynamodb/aws4_request"
        to_sign = (
            f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n"
            f"{hashlib.sha256(canonical.encode()).hexdigest()}"
        )
        signature = hmac.new(self._key(day), to_sign.encode(), hashlib.sha256).hexdigest()
        return {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Date": amz_date,
            "X-Amz-Target": target,
            "Authorization": f"AWS4-HMAC-SHA256 Credential={_KEY}/{scope}, SignedHeaders="
            f"content-type;host;x-amz-date;x-amz-target, Signature={signature}",
        }

    def _key(self, day: str) -> bytes:
        if self.scope_key[0] != day:
            key = f"AWS4{_SECRET}".encode()
            for part in (day, REGION, "dynamodb", "aws4_request"):
                key = hmac.new(key, part.encode(), hashlib.sha256).digest()
            self.scope_key = (day, key)
        return self.scope_key[1]


class Aiodynamo:
    """aiodynamo over aiohttp, with the store's conditions; items read from plain values."""

    def __init__(self, client: AiodynamoClient, clock: ManualClock) -> None:
        self.table = client.table(TABLE)
        self.clock = clock

    async def create(self, request: Request) -> None:
        await self.table.put_item(
            alternatives.plain_encode(request), condition=F("id").does_not_exist()
        )

    async def get(self, request_id: str) -> Request:
        return alternatives.plain_decode(
            await self.table.get_item({"id": request_id}, consistent_read=True)
        )

    async def update(self, request: Request) -> Request:
        params = alternatives.hand_update_params(TABLE, request, self.clock())
        values = params["ExpressionAttributeValues"]
        update = (
            F("status").set(values[":status"]["S"])
            & F("approver").set(values[":approver"]["S"])
            & F("approver_comment").set(values[":approver_comment"]["S"])
            & F("updated_at").set(values[":updated_at"]["S"])
            & F("previous_updated_at").set(values[":token"]["S"])
        )
        condition = (
            F("id").exists()
            & F("updated_at").equals(values[":token"]["S"])
            & F("status").equals("pending")
            & F("requester").attribute_type(AttributeType.string)
            & F("profile").attribute_type(AttributeType.string)
            & F("justification").attribute_type(AttributeType.string)
            & F("duration").attribute_type(AttributeType.number)
            & F("created_at").attribute_type(AttributeType.string)
            & F("expires_at").attribute_type(AttributeType.string)
        )
        written = await self.table.update_item(
            {"id": request.id}, update, condition=condition, return_values=ReturnValues.all_new
        )
        assert written is not None
        return alternatives.plain_decode(written)

    async def list_100(self, requester: str) -> list[Request]:
        page = await self.table.query_single_page(
            HashKey("requester", requester),
            index="gsi-requester",
            scan_forward=False,
            limit=100,
        )
        return [alternatives.plain_decode(item) for item in page.items]


def _new(clock: ManualClock, requester: str) -> Request:
    clock.advance(timedelta(milliseconds=1))
    return Request.new(
        requester=requester,
        profile="prod",
        justification="Investigate INC-1234 in production",
        duration=timedelta(hours=1),
        now=clock(),
    )


def _sync_round(contender: Contender, name: str, clock: ManualClock, calls: int) -> list[float]:
    """Return the total CPU of each operation over ``calls`` turns."""
    totals = [0.0] * len(OPERATIONS)
    for number in range(calls):
        request = _new(clock, f"{name}-{number}")
        start = time.process_time()
        contender.create(request)
        created = time.process_time()
        read = contender.get(request.id)
        got = time.process_time()
        decided = read.approve("carol", "looks right", now=clock())
        approving = time.process_time()
        contender.update(decided)
        approved = time.process_time()
        listed = contender.list_100("lister")
        paged = time.process_time()
        assert read == request
        assert len(listed) == 100
        for index, seconds in enumerate(
            (got - created, created - start, approved - approving, paged - approved)
        ):
            totals[index] += seconds
    return totals


async def _async_round(
    contender: AsyncContender, name: str, clock: ManualClock, calls: int
) -> list[float]:
    """Return the total CPU of each operation over ``calls`` turns."""
    totals = [0.0] * len(OPERATIONS)
    for number in range(calls):
        request = _new(clock, f"{name}-{number}")
        start = time.process_time()
        await contender.create(request)
        created = time.process_time()
        read = await contender.get(request.id)
        got = time.process_time()
        decided = read.approve("carol", "looks right", now=clock())
        approving = time.process_time()
        await contender.update(decided)
        approved = time.process_time()
        listed = await contender.list_100("lister")
        paged = time.process_time()
        assert read == request
        assert len(listed) == 100
        for index, seconds in enumerate(
            (got - created, created - start, approved - approving, paged - approved)
        ):
            totals[index] += seconds
    return totals


Figures = dict[str, dict[str, tuple[float, float, float]]]
"""Contender -> operation -> (median, first quartile, third quartile) CPU seconds per call."""


def run(*, rounds: int = 15, calls: int = 20) -> Figures:
    """Return each contender's CPU per call, for each operation."""
    with (
        moto_server_process() as endpoint,
        asyncio.Runner() as runner,
    ):
        os.environ.update(
            {
                "AWS_ACCESS_KEY_ID": _KEY,
                "AWS_SECRET_ACCESS_KEY": _SECRET,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_EC2_METADATA_DISABLED": "true",
            }
        )
        clock = ManualClock(START)
        client = boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint)
        create_table(client, TABLE)
        alternatives.PynamoRequest.Meta.host = endpoint  # type: ignore[attr-defined]
        lister = DynamoDBRequestStore(client, TABLE, clock=clock)
        for _ in range(100):
            lister.create(_new(clock, "lister"))
        contenders: dict[str, Contender] = {
            DIRECT: Store(DynamoDBRequestStore(client, TABLE, clock=clock, wire="direct")),
            BOTOCORE: Store(DynamoDBRequestStore(client, TABLE, clock=clock)),
            RAW: RawClient(client, clock),
            "PynamoDB": PynamoDB(client, clock),
            FLOOR: Floor(endpoint, clock),
        }
        opened = contextlib.AsyncExitStack()
        async_contenders = runner.run(_async_contenders(endpoint, clock, opened))
        samples: dict[str, list[list[float]]] = {
            name: [] for name in [*contenders, *async_contenders]
        }

        def once(name: str, warm: bool) -> None:
            count = 2 if warm else calls
            if name in contenders:
                totals = _sync_round(contenders[name], name, clock, count)
            else:
                totals = runner.run(_async_round(async_contenders[name], name, clock, count))
            if not warm:
                samples[name].append([total / calls for total in totals])

        for name in samples:
            once(name, warm=True)
        with collector_paused():
            for _ in range(rounds):
                for name in samples:
                    once(name, warm=False)
        runner.run(opened.aclose())
    return {
        name: {
            operation: _summary([each[index] for each in rounds_of])
            for index, operation in enumerate(OPERATIONS)
        }
        for name, rounds_of in samples.items()
    }


async def _async_contenders(
    endpoint: str, clock: ManualClock, opened: contextlib.AsyncExitStack
) -> dict[str, AsyncContender]:
    aio = await opened.enter_async_context(
        get_session().create_client(
            "dynamodb",
            region_name=REGION,
            endpoint_url=endpoint,
        )
    )
    http = await opened.enter_async_context(aiohttp.ClientSession())
    direct = await opened.enter_async_context(
        AsyncDynamoDBRequestStore(aio, TABLE, clock=clock, wire="direct")
    )
    aiodynamo = AiodynamoClient(
        AIOHTTP(http), StaticCredentials(Key(_KEY, _SECRET)), REGION, endpoint=URL(endpoint)
    )
    return {
        ASYNC_DIRECT: AsyncStore(direct),
        ASYNC_BOTOCORE: AsyncStore(AsyncDynamoDBRequestStore(aio, TABLE, clock=clock)),
        AIODYNAMO: Aiodynamo(aiodynamo, clock),
    }


def _summary(values: list[float]) -> tuple[float, float, float]:
    low, _, high = statistics.quantiles(values, n=4)
    return statistics.median(values), low, high


def ratios(figures: Figures) -> dict[str, dict[str, float]]:
    """The ratios of medians the issue asks for, by operation."""

    def ratio(top: str, bottom: str, operation: str) -> float:
        return figures[top][operation][0] / figures[bottom][operation][0]

    return {
        operation: {
            "direct / botocore": ratio(DIRECT, BOTOCORE, operation),
            "direct / floor": ratio(DIRECT, FLOOR, operation),
            "direct / aiodynamo": ratio(DIRECT, AIODYNAMO, operation),
            "async direct / aiobotocore": ratio(ASYNC_DIRECT, ASYNC_BOTOCORE, operation),
            "async direct / aiodynamo": ratio(ASYNC_DIRECT, AIODYNAMO, operation),
        }
        for operation in OPERATIONS
    }


def goals(figures: Figures) -> list[tuple[str, float, float]]:
    """Each goal of issue 20: its name, the figure, and the most it may be."""
    by = ratios(figures)
    floor = max(by[operation]["direct / floor"] for operation in OPERATIONS)
    return [
        ("sync get, direct / botocore", by["get"]["direct / botocore"], 0.60),
        ("sync 100-item page, direct / botocore", by["page of 100"]["direct / botocore"], 0.45),
        ("async get, direct / aiobotocore", by["get"]["async direct / aiobotocore"], 0.70),
        ("every operation, direct / floor (the most of the four)", floor, 1.25),
        ("100-item page, direct / aiodynamo", by["page of 100"]["direct / aiodynamo"], 1.0),
        (
            "100-item page, async direct / aiodynamo",
            by["page of 100"]["async direct / aiodynamo"],
            1.0,
        ),
    ]


def markdown(figures: Figures) -> list[str]:
    """The benchmark's table: median CPU per call and the middle half of the rounds."""
    lines = [
        "| contender | " + " | ".join(OPERATIONS) + " |",
        "|---|" + "---|" * len(OPERATIONS),
    ]
    for name, row in figures.items():
        cells = [
            f"{median * 1e6:,.0f} us ({low * 1e6:,.0f}-{high * 1e6:,.0f})"
            for median, low, high in (row[operation] for operation in OPERATIONS)
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| ratio of medians | " + " | ".join(OPERATIONS) + " |"]
    lines.append("|---|" + "---|" * len(OPERATIONS))
    by = ratios(figures)
    for name in by[OPERATIONS[0]]:
        lines.append(
            f"| {name} | " + " | ".join(f"{by[op][name]:.2f}" for op in OPERATIONS) + " |"
        )
    lines.append("")
    for name, figure, most in goals(figures):
        met = "met" if figure <= most else "NOT MET"
        lines.append(f"- {met}: {name} {figure:.2f} (at most {most:.2f})")
    return lines


def main() -> None:
    """Run the benchmark and print its table."""
    print("\n".join(markdown(run())))


if __name__ == "__main__":
    main()
