"""Benchmark: events decoded per second from a stream batch, and what on_event costs a create.

The batch is what a stream carries for 500 requests: each one's INSERT and
the MODIFY that decided it, as Lambda delivers them. Decoding is compared
with decode_item alone on the images the records hold (one for an INSERT,
two for a MODIFY), the floor under any reading of the stream. on_event's
cost is measured where it is largest relative to the write: creates in the
in-memory store, which does no I/O. Run it with ``python -m benchmarks.events``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import attrs
import boto3
from moto import mock_aws

from access_requests.adapters.dynamodb import DynamoDBRequestStore, table_definition
from access_requests.adapters.dynamodb.codec import decode_item, encode_request
from access_requests.adapters.events.in_process import announce
from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.adapters.timestamps import format_updated_at
from access_requests.domain import Request, RequestStatus
from access_requests.events import (
    RequestEvent,
    event_from_record,
    stream_handler,
)

from .requests import sample_requests
from .timing import interleaved_medians

RECORDS = 1000


def stream_batch(records: int = RECORDS) -> dict[str, Any]:
    """A Lambda event of ``records`` records: creations, each followed by its decision."""
    batch: list[dict[str, Any]] = []
    for number, request in enumerate(sample_requests(records // 2)):
        created = attrs.evolve(
            request,
            status=RequestStatus.PENDING,
            approver="",
            approver_comment="",
            updated_at=request.created_at,
        )
        final = request
        if not request.status.is_terminal:
            final = attrs.evolve(
                created.cancel(now=created.created_at), updated_at=request.updated_at
            )
        batch.append(_record("INSERT", 2 * number, None, created))
        batch.append(_record("MODIFY", 2 * number + 1, created, final))
    return {"Records": batch}


def _record(name: str, sequence: int, old: Request | None, new: Request) -> dict[str, Any]:
    change: dict[str, Any] = {
        "Keys": {"id": {"S": new.id}},
        "NewImage": encode_request(new),
        "SequenceNumber": f"{4421584500000000017450439091 + sequence}",
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if old is not None:
        change["OldImage"] = encode_request(old)
    return {"eventName": name, "eventSource": "aws:dynamodb", "dynamodb": change}


class _Discard:
    """A notifier that renders each body, as every real one does, and sends it nowhere."""

    def notify(self, event: RequestEvent) -> None:
        event.to_json()


def run(*, rounds: int = 21) -> dict[str, float]:
    """Return events per second, and the ratios to decode_item alone."""
    batch = stream_batch()
    records = batch["Records"]
    images = [
        image
        for record in records
        for image in (record["dynamodb"].get("OldImage"), record["dynamodb"]["NewImage"])
        if image is not None
    ]
    events = [event_from_record(record) for record in records]
    assert all(event is not None for event in events)
    handler = stream_handler(_Discard())
    assert handler(batch, None) == {"batchItemFailures": []}

    def decode_images() -> None:
        for image in images:
            decode_item(image)

    def decode_events() -> None:
        for record in records:
            event_from_record(record)

    per_batch = interleaved_medians(
        {
            "decode_item": decode_images,
            "event_from_record": decode_events,
            "stream_handler": lambda: handler(batch, None),
        },
        calls=1,
        rounds=rounds,
    )
    return {
        "events_per_second": len(events) / per_batch["event_from_record"],
        "handler_events_per_second": len(events) / per_batch["stream_handler"],
        "ratio_to_decode_item": per_batch["event_from_record"] / per_batch["decode_item"],
        "handler_ratio_to_decode_item": per_batch["stream_handler"] / per_batch["decode_item"],
    }


def on_event_cost(*, creates: int = 300, rounds: int = 11) -> dict[str, float]:
    """Return what ``on_event=list.append`` adds to a create: seconds, and ratios per store.

    The addition (building the event and calling back) is timed on its own,
    since on DynamoDB it is smaller than the noise of one create; a create is
    timed in memory, where nothing else costs anything, and on DynamoDB in
    moto's in-process mock, where it is one PutItem without a network.
    """
    requests = [
        attrs.evolve(
            request,
            status=RequestStatus.PENDING,
            approver="",
            approver_comment="",
            updated_at=request.created_at,
            lock_token=format_updated_at(request.created_at),
        )
        for request in sample_requests(creates)
    ]
    received: list[RequestEvent] = []

    def announce_all() -> None:
        for request in requests:
            announce(received.append, created=request)
        received.clear()

    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        tables = itertools.count()

        def on_dynamodb() -> DynamoDBRequestStore:
            name = f"events-bench-{next(tables)}"
            client.create_table(**table_definition(name))
            return DynamoDBRequestStore(client, name)

        per_batch = interleaved_medians(
            {
                "announce": announce_all,
                "memory": _creating(InMemoryRequestStore, requests, rounds),
                "dynamodb": _creating(on_dynamodb, requests, rounds),
            },
            calls=1,
            rounds=rounds,
        )
    added = per_batch["announce"]
    return {
        "seconds": added / creates,
        "memory": 1 + added / per_batch["memory"],
        "dynamodb": 1 + added / per_batch["dynamodb"],
    }


def _creating(
    store_of: Callable[[], Any], requests: list[Request], rounds: int
) -> Callable[[], None]:
    """Create every request in a fresh store each round; the stores are made beforehand."""
    stores = iter([store_of() for _ in range(rounds + 1)])  # and one for the warm-up

    def create_all() -> None:
        store = next(stores)
        for request in requests:
            store.create(request)

    return create_all


def markdown(figures: dict[str, float]) -> list[str]:
    """The section of docs/benchmarks.md for this benchmark."""
    return [
        "## Events from a stream batch",
        "",
        f"A Lambda batch of {RECORDS:,} records (500 creations, 500 decisions):"
        f" `event_from_record` reads {figures['events_per_second']:,.0f} events a second,"
        f" {figures['ratio_to_decode_item']:.2f}x the time of `decode_item` alone on the"
        f" {RECORDS * 3 // 2:,} images; `stream_handler` with each body rendered"
        f" (`to_json`) reads {figures['handler_events_per_second']:,.0f} a second"
        f" ({figures['handler_ratio_to_decode_item']:.2f}x).",
        "",
        f"`on_event=events.append` adds {figures['on_event_seconds'] * 1e6:.1f} us to a"
        f" create: {figures['on_event_memory']:.2f}x an in-memory create (no I/O at all),"
        f" {figures['on_event_dynamodb']:.3f}x a create on DynamoDB in moto's in-process"
        " mock (no network; a real round trip is longer still).",
        "",
    ]


if __name__ == "__main__":
    costs = on_event_cost()
    figures = {**run(), **{f"on_event_{name}": value for name, value in costs.items()}}
    print("\n".join(markdown(figures)))
