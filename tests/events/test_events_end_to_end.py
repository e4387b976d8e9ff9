"""End to end on the moto server: Go writes, this library decides, the sweep expires.

The table's stream goes through ``stream_handler`` (as Lambda would call it,
batch by batch, redelivering what it reports) to a webhook receiver on
127.0.0.1 through ``WebhookNotifier``; the receiver verifies every
signature, and gets one body per change: the Go system's payload.
"""

import json
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs
import boto3
import pytest
from conftest import REGION
from go_system import GoRequest, GoStore, GoTime
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.contract_tests import ManualClock
from access_requests.events import (
    RequestEvent,
    WebhookNotifier,
    stream_handler,
    verify_signature,
)

START = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)
HOUR_NS = 3600 * 10**9
SECRET = "webhook secret of the test"


@attrs.define
class Receiver:
    """What a webhook receiver got: each body with its event headers, in arrival order."""

    url: str
    deliveries: list[tuple[str, str, bytes]] = attrs.field(factory=list)
    unsigned: list[bytes] = attrs.field(factory=list)
    failures_left: int = 0

    def bodies_by_event_id(self) -> dict[str, bytes]:
        """One body per event id, as a receiver that drops repeats keeps them."""
        return {event_id: body for _, event_id, body in self.deliveries}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1 that can be told to fail its next deliveries."""
    got = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if not verify_signature(body, self.headers["X-Sentinel-Signature"], SECRET):
                got.unsigned.append(body)
                self.send_response(401)
            elif got.failures_left:
                got.failures_left -= 1
                self.send_response(503)
            else:
                event = (self.headers["X-Sentinel-Event"], self.headers["X-Sentinel-Event-Id"])
                got.deliveries.append((*event, body))
                self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    got.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/access"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield got
    server.shutdown()
    server.server_close()
    thread.join()


def stream_batches(client: DynamoDBClient, table: str, size: int) -> list[list[Any]]:
    """The stream's records in batches of ``size``, as Lambda's event source mapping reads."""
    arn = client.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    streams = boto3.client(
        "dynamodbstreams", region_name=REGION, endpoint_url=_endpoint(client)
    )
    (shard,) = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = streams.get_records(ShardIterator=iterator)["Records"]
    return [list(records[start : start + size]) for start in range(0, len(records), size)]


def _endpoint(client: DynamoDBClient) -> str:
    return client.meta.endpoint_url


def run_like_lambda(handler: Any, batch: list[Mapping[str, Any]]) -> int:
    """Call the handler, redelivering what it reports until nothing is; return the calls."""
    calls = 0
    while batch:
        calls += 1
        assert calls <= 10, f"the batch is still reported after {calls - 1} deliveries"
        answer = handler({"Records": batch}, None)
        reported = {failure["itemIdentifier"] for failure in answer["batchItemFailures"]}
        batch = [r for r in batch if r["dynamodb"]["SequenceNumber"] in reported]
    return calls


def test_go_creates_the_library_approves_the_sweep_expires_one_event_each(
    moto_server: str, server_table: tuple[DynamoDBClient, str], receiver: Receiver
) -> None:
    """Every change by every writer reaches the webhook once per event id, in order."""
    client, table = server_table
    go = GoStore(boto3.client("dynamodb", region_name=REGION, endpoint_url=moto_server), table)
    clock = ManualClock(START + timedelta(minutes=1))
    store = DynamoDBRequestStore(client, table, clock=clock)

    # Check the Go system creates two requests from a laptop two hours east of UTC
    for number, requester in enumerate(("ann", "ben")):
        created = GoTime.at(START, nanoseconds=number + 1, offset_minutes=120)
        go.create(
            GoRequest(
                id=f"{number + 1:016x}",
                requester=requester,
                profile="prod-admin",
                justification="Investigate INC-4521",
                duration_ns=HOUR_NS,
                status="pending",
                created_at=created,
                updated_at=created,
                expires_at=created.add(2 * HOUR_NS),
            )
        )
    # Check this library approves one; a caller's retry writes nothing more
    copy = store.get(f"{1:016x}")
    approved = store.update(copy.approve("carol", "on call", now=clock()))
    store.update(copy.approve("carol", "on call", now=clock()))
    # Check the sweep expires the other, and a second sweep finds nothing
    clock.advance(timedelta(hours=3))
    assert store.expire_overdue() == 1
    assert store.expire_overdue() == 0
    expired = store.get(f"{2:016x}")

    # Check the stream, in batches of 2, with the receiver down for the first two posts
    receiver.failures_left = 2
    # One attempt a delivery, so that a failure is Lambda's to redeliver.
    handler = stream_handler(WebhookNotifier(receiver.url, secret=SECRET, max_attempts=1))
    calls = [run_like_lambda(handler, batch) for batch in stream_batches(client, table, 2)]

    assert calls[0] == 3  # the first batch was redelivered twice
    assert receiver.unsigned == []  # every post carried a valid signature
    received = receiver.bodies_by_event_id()
    assert [(kind, event_id) for kind, event_id, _ in receiver.deliveries] == [
        ("request.created", f"{1:016x}/2026-01-15T05:53:45.123456001+02:00"),
        ("request.created", f"{2:016x}/2026-01-15T05:53:45.123456002+02:00"),
        ("request.approved", f"{1:016x}/{approved.lock_token}"),
        ("request.expired", f"{2:016x}/{expired.lock_token}"),
    ]
    # Check each body is the Go payload of the change, as stored
    bodies = [json.loads(body) for body in received.values()]
    assert [body["Actor"] for body in bodies] == ["ann", "ben", "carol", "system"]
    assert received[f"{1:016x}/{approved.lock_token}"] == (
        RequestEvent.of_change(approved).to_json().encode()
    )
    assert bodies[3]["Request"]["status"] == "expired"
    assert bodies[3]["Timestamp"] == expired.lock_token
    assert bodies[0]["Request"]["updated_at"] == "2026-01-15T03:53:45.123456001Z"
