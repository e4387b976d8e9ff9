"""Benchmark 4: client-process CPU per operation, against a moto server in another process.

Three clients do the same work over HTTP: this library's DynamoDBRequestStore;
the raw boto3 client with hand-written items (the floor: the same calls, the
same expressions, items turned into Requests by hand); and PynamoDB with an
equivalent Model. CPU is this process's own (``time.process_time``), so the
server's work is not counted. The contenders take turns, call by call.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import boto3

from access_requests.adapters.dynamodb import DynamoDBRequestStore, create_table
from access_requests.domain import Request, RequestStatus
from access_requests.ports import ManualClock

from . import alternatives
from .requests import START

TABLE = "access-requests"
OPERATIONS = ("create", "get", "update", "list 100")
REGION = "us-east-1"


@contextlib.contextmanager
def moto_server_process() -> Iterator[str]:
    """Run moto's server in a process of its own on 127.0.0.1; yield its endpoint."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), 0.2),
            ):
                break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _new(clock: ManualClock, requester: str) -> Request:
    clock.advance(timedelta(milliseconds=1))
    return Request.new(
        requester=requester,
        profile="prod",
        justification="Investigate INC-1234 in production",
        duration=timedelta(hours=1),
        now=clock(),
    )


class Ours:
    """This library."""

    def __init__(self, client: Any, clock: ManualClock) -> None:
        self.store = DynamoDBRequestStore(client, TABLE, clock=clock)

    def create(self, request: Request) -> None:
        self.store.create(request)

    def get(self, request_id: str) -> Request:
        return self.store.get(request_id)

    def update(self, request: Request) -> Request:
        return self.store.update(request)

    def list_100(self, requester: str) -> list[Request]:
        return list(self.store.list_by_requester(requester, limit=100))


class RawClient:
    """The raw boto3 client, with the same calls and hand-written items."""

    def __init__(self, client: Any, clock: ManualClock) -> None:
        self.client = client
        self.clock = clock

    def create(self, request: Request) -> None:
        self.client.put_item(
            TableName=TABLE,
            Item=alternatives.hand_encode(request),
            ConditionExpression="attribute_not_exists(#id)",
            ExpressionAttributeNames={"#id": "id"},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )

    def get(self, request_id: str) -> Request:
        item = self.client.get_item(
            TableName=TABLE, Key={"id": {"S": request_id}}, ConsistentRead=True
        )["Item"]
        return alternatives.hand_decode(item)

    def update(self, request: Request) -> Request:
        params = alternatives.hand_update_params(TABLE, request, self.clock())
        return alternatives.hand_decode(self.client.update_item(**params)["Attributes"])

    def list_100(self, requester: str) -> list[Request]:
        response = self.client.query(
            TableName=TABLE,
            IndexName="gsi-requester",
            KeyConditionExpression="#key = :key",
            ExpressionAttributeNames={"#key": "requester"},
            ExpressionAttributeValues={":key": {"S": requester}},
            ScanIndexForward=False,
            Limit=100,
        )
        return [alternatives.hand_decode(item) for item in response["Items"]]


class PynamoDB:
    """PynamoDB, with a Model of the same attributes and the same conditions."""

    def __init__(self, client: Any, clock: ManualClock) -> None:
        self.clock = clock
        model = alternatives.PynamoRequest
        self.model = model

    def create(self, request: Request) -> None:
        alternatives.to_pynamo(request).save(condition=self.model.id.does_not_exist())

    def get(self, request_id: str) -> Request:
        return alternatives.from_pynamo(self.model.get(request_id, consistent_read=True))

    def update(self, request: Request) -> Request:
        model = alternatives.to_pynamo(request)
        updated_at = max(self.clock(), request.updated_at + timedelta(microseconds=1))
        model.update(
            actions=[
                self.model.status.set(request.status.value),
                self.model.approver.set(request.approver),
                self.model.approver_comment.set(request.approver_comment),
                self.model.updated_at.set(updated_at),
            ],
            condition=(self.model.updated_at == request.updated_at)
            & (self.model.status == RequestStatus.PENDING.value),
        )
        return alternatives.from_pynamo(model)

    def list_100(self, requester: str) -> list[Request]:
        results = self.model.by_requester.query(requester, scan_index_forward=False, limit=100)
        return [alternatives.from_pynamo(model) for model in results]


CONTENDERS: dict[str, Callable[[Any, ManualClock], Any]] = {
    "access-requests": Ours,
    "raw boto3 client (floor)": RawClient,
    "PynamoDB": PynamoDB,
}


def run(*, calls: int = 250) -> dict[str, dict[str, float]]:
    """Return each contender's median client CPU seconds per operation."""
    with moto_server_process() as endpoint:
        os.environ.update(
            {
                "AWS_ACCESS_KEY_ID": "bench",
                "AWS_SECRET_ACCESS_KEY": "bench",
                "AWS_DEFAULT_REGION": REGION,
                "AWS_EC2_METADATA_DISABLED": "true",
            }
        )
        client = boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint)
        create_table(client, TABLE)
        alternatives.PynamoRequest.Meta.host = endpoint  # type: ignore[attr-defined]
        clock = ManualClock(START)
        contenders = {name: make(client, clock) for name, make in CONTENDERS.items()}
        lister = DynamoDBRequestStore(client, TABLE, clock=clock)
        for _ in range(100):
            lister.create(_new(clock, "lister"))
        samples: dict[str, dict[str, list[float]]] = {
            name: {operation: [] for operation in OPERATIONS} for name in contenders
        }
        for number in range(calls + 5):
            for name, contender in contenders.items():
                request = _new(clock, f"{name}-{number}")
                timings = _time_each(contender, request, clock)
                if number >= 5:  # the first few warm connections and caches
                    for operation, seconds in timings.items():
                        samples[name][operation].append(seconds)
    return {
        name: {operation: statistics.median(times) for operation, times in operations.items()}
        for name, operations in samples.items()
    }


def _time_each(contender: Any, request: Request, clock: ManualClock) -> dict[str, float]:
    timings: dict[str, float] = {}
    start = time.process_time()
    contender.create(request)
    timings["create"] = time.process_time() - start
    start = time.process_time()
    read = contender.get(request.id)
    timings["get"] = time.process_time() - start
    assert read == request
    decided = read.approve("carol", "looks right", now=clock())
    start = time.process_time()
    written = contender.update(decided)
    timings["update"] = time.process_time() - start
    assert written.status is RequestStatus.APPROVED
    start = time.process_time()
    listed = contender.list_100("lister")
    timings["list 100"] = time.process_time() - start
    assert len(listed) == 100
    return timings
