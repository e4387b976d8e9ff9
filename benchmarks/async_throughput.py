"""Benchmark 7: 64 concurrent gets and updates, against a moto server in another process.

Three contenders do the same work: each of 64 workers reads a request of its
own (a consistent GetItem) and writes a decision that keeps it pending (the
store's conditional UpdateItem), round after round:

- ``AsyncDynamoDBRequestStore``: 64 asyncio tasks on one aiobotocore client;
- ``DynamoDBRequestStore``: 64 threads sharing one boto3 client;
- the raw aiobotocore client with the store's calls, items read by hand (the floor).

Throughput is operations (a get or an update) per wall-clock second; client
CPU is this process's own (``time.process_time``) per operation, so the
server's work is not counted. The contenders take turns, trial after trial,
each trial starting with the next one; each figure is the median of the trials.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import attrs
import boto3
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.config import Config

from access_requests.adapters.dynamodb import DynamoDBRequestStore, create_table, operations
from access_requests.aio import AsyncDynamoDBRequestStore
from access_requests.domain import Request, utc_now

from . import alternatives
from .client_overhead import REGION, TABLE, moto_server_process

WORKERS = 64
ASYNC_STORE = "access-requests async (64 tasks)"
SYNC_STORE = "access-requests sync (64 threads)"
RAW = "raw aiobotocore client (floor)"
_MICROSECOND = timedelta(microseconds=1)


class RawAioClient:
    """The raw aiobotocore client: the store's GetItem and UpdateItem, items read by hand."""

    def __init__(self, client: Any) -> None:
        self.client = client

    async def get(self, request_id: str) -> Request:
        response = await self.client.get_item(
            TableName=TABLE, Key={"id": {"S": request_id}}, ConsistentRead=True
        )
        return alternatives.hand_decode(response["Item"])

    async def update(self, request: Request) -> Request:
        response = await self.client.update_item(
            **alternatives.hand_update_params(TABLE, request, utc_now())
        )
        return alternatives.hand_decode(response["Attributes"])


def _check_same_update(request: Request) -> None:
    """Fail unless the hand-written UpdateItem is the store's, but for the new updated_at."""
    theirs = dict(next(operations.update(TABLE, request, utc_now)).params)
    ours = alternatives.hand_update_params(TABLE, request, utc_now())
    for params in (theirs, ours):
        params["ExpressionAttributeValues"] = {
            name: value
            for name, value in params["ExpressionAttributeValues"].items()
            if name != ":updated_at"
        }
    assert ours == theirs, "the raw client's UpdateItem is not the store's"


def _decision(request: Request, worker: int, turn: int) -> Request:
    """A decision that keeps the request pending, so that every round can update it again."""
    return attrs.evolve(request, approver_comment=f"w{worker} r{turn}")


def _async_trial(
    get: Callable[[str], Awaitable[Request]],
    update: Callable[[Request], Awaitable[Request]],
    ids: list[str],
) -> Callable[[int], Coroutine[Any, Any, None]]:
    async def worker(number: int, request_id: str, rounds: int) -> None:
        for turn in range(rounds):
            await update(_decision(await get(request_id), number, turn))

    async def all_workers(rounds: int) -> None:
        await asyncio.gather(
            *(worker(n, request_id, rounds) for n, request_id in enumerate(ids))
        )

    return all_workers


def _threaded_trial(
    store: DynamoDBRequestStore, pool: ThreadPoolExecutor, ids: list[str]
) -> Callable[[int], None]:
    def worker(number: int, request_id: str, rounds: int) -> None:
        for turn in range(rounds):
            store.update(_decision(store.get(request_id), number, turn))

    def all_workers(rounds: int) -> None:
        for future in [
            pool.submit(worker, n, request_id, rounds) for n, request_id in enumerate(ids)
        ]:
            future.result()

    return all_workers


def _seed(store: DynamoDBRequestStore, count: int) -> list[str]:
    made = [
        Request.new(
            requester=f"requester-{number % 50}",
            profile="prod",
            justification="Investigate INC-1234 in production",
            duration=timedelta(hours=1),
        )
        for number in range(count)
    ]
    for request in made:
        store.create(request)
    return [request.id for request in made]


def run(
    *, workers: int = WORKERS, rounds: int = 2, trials: int = 8
) -> dict[str, dict[str, float]]:
    """Return each contender's median operations per second and client CPU seconds per one."""
    operations_per_trial = workers * rounds * 2
    with (
        moto_server_process() as endpoint,
        asyncio.Runner() as runner,
        ThreadPoolExecutor(workers) as pool,
    ):
        sync_client = boto3.client(
            "dynamodb",
            region_name=REGION,
            endpoint_url=endpoint,
            config=Config(max_pool_connections=workers),
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        create_table(sync_client, TABLE)
        sync_store = DynamoDBRequestStore(sync_client, TABLE)
        # Each contender works on requests of its own, among a few hundred stored.
        ids = _seed(sync_store, 3 * workers + 100)
        _check_same_update(sync_store.get(ids[0]))
        exits = contextlib.AsyncExitStack()
        aio_client = runner.run(
            exits.enter_async_context(
                get_session().create_client(
                    "dynamodb",
                    region_name=REGION,
                    endpoint_url=endpoint,
                    config=AioConfig(max_pool_connections=workers),
                    aws_access_key_id="bench",
                    aws_secret_access_key="bench",
                )
            )
        )
        try:
            async_store = AsyncDynamoDBRequestStore(aio_client, TABLE)
            raw = RawAioClient(aio_client)
            tasks, floor, threads = (ids[n * workers : (n + 1) * workers] for n in range(3))
            async_trial = _async_trial(async_store.get, async_store.update, tasks)
            raw_trial = _async_trial(raw.get, raw.update, floor)
            contenders: dict[str, Callable[[int], object]] = {
                ASYNC_STORE: lambda rounds: runner.run(async_trial(rounds)),
                SYNC_STORE: _threaded_trial(sync_store, pool, threads),
                RAW: lambda rounds: runner.run(raw_trial(rounds)),
            }
            for action in contenders.values():
                action(1)  # opens the connections, warms the caches
            samples: dict[str, dict[str, list[float]]] = {
                name: {"throughput": [], "cpu": []} for name in contenders
            }
            turns = list(contenders.items())
            for trial in range(trials):
                # Each trial starts with the next contender, so none always runs first.
                start = trial % len(turns)
                for name, action in turns[start:] + turns[:start]:
                    wall, cpu = time.perf_counter(), time.process_time()
                    action(rounds)
                    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                    samples[name]["throughput"].append(operations_per_trial / wall)
                    samples[name]["cpu"].append(cpu / operations_per_trial)
        finally:
            runner.run(exits.aclose())
    return {
        name: {figure: statistics.median(values) for figure, values in figures.items()}
        for name, figures in samples.items()
    }


def markdown(figures: dict[str, dict[str, float]]) -> list[str]:
    """The section of docs/benchmarks.md for this benchmark."""
    lines = [
        f"## 7. {WORKERS} concurrent gets and updates (moto server in another process)",
        "",
        f"Each of {WORKERS} workers reads a request of its own and writes a decision that"
        " keeps it pending, round after round; an operation is one get or one update."
        " Client CPU is this process's own. moto's server closes every connection"
        " (`Connection: close`), so each call of every contender opens a new one, and the"
        " server, not the client, sets the pace.",
        "",
        "| contender | operations per second | client CPU per operation |",
        "|---|---|---|",
    ]
    for name, row in figures.items():
        lines.append(f"| {name} | {row['throughput']:,.0f} | {row['cpu'] * 1e6:,.0f} us |")
    lines.append("")
    for goal, met in goals(figures):
        lines.append(f"- {'met' if met else 'NOT MET'}: {goal}")
    return [*lines, ""]


def goals(figures: dict[str, dict[str, float]]) -> list[tuple[str, bool]]:
    """Each goal of issue 12's benchmark, with whether it was met."""
    cpu = figures[ASYNC_STORE]["cpu"] / figures[RAW]["cpu"]
    throughput = figures[ASYNC_STORE]["throughput"] / figures[SYNC_STORE]["throughput"]
    return [
        (
            f"client CPU per operation, async store / raw aiobotocore: {cpu:.2f}x (<= 1.10x)",
            cpu <= 1.10,
        ),
        (
            f"throughput, async store / sync store on {WORKERS} threads:"
            f" {throughput:.2f}x (>= 1.0x)",
            throughput >= 1.0,
        ),
    ]


if __name__ == "__main__":
    results = run()
    for name, row in results.items():
        print(f"{name:36} {row['throughput']:8.0f} ops/s {row['cpu'] * 1e6:8.1f} us CPU/op")
    for goal, met in goals(results):
        print(("  met      " if met else "  NOT MET  ") + goal)
