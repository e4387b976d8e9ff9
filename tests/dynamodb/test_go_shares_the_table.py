"""The Go system and this library on one table, in both directions.

The Go side is ``go_system.GoStore``, simulated from Go's documented
behaviour. Vectors are items exactly as the Go system writes them: 0 to 9
fractional digits, ``Z`` and local offsets, a justification counted in bytes,
texts longer than this library writes, durations under a microsecond, and an
updated_at before created_at from a host whose clock is behind.
"""

import pickle
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
import boto3
import pytest
from conftest import REGION
from go_system import GoRequest, GoStore, GoTime
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.contract_tests import ManualClock, everything, make_request
from access_requests.domain import Request, RequestStatus
from access_requests.ports import ConcurrentModification

START = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)
HOUR_NS = 3600 * 10**9


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START + timedelta(minutes=1))


@pytest.fixture
def go(moto_server: str, server_table: tuple[DynamoDBClient, str]) -> GoStore:
    # The Go system writes bare attribute names, so its client is not held to strict().
    client = boto3.client("dynamodb", region_name=REGION, endpoint_url=moto_server)
    return GoStore(client, server_table[1])


@pytest.fixture
def python(
    server_table: tuple[DynamoDBClient, str], clock: ManualClock
) -> DynamoDBRequestStore:
    client, name = server_table
    return DynamoDBRequestStore(client, name, clock=clock)


def go_request(
    number: int, offset_minutes: int = 0, nanoseconds: int = 0, **fields: object
) -> GoRequest:
    """A pending request as the Go system makes one, created ``number`` minutes after START."""
    created = GoTime.at(START + timedelta(minutes=number), nanoseconds, offset_minutes)
    values: dict[str, object] = {
        "id": f"{number:016x}",
        "requester": "gopher",
        "profile": "prod",
        "justification": "written by the Go service",
        "duration_ns": 2 * HOUR_NS,
        "status": "pending",
        "created_at": created,
        "updated_at": created,
        "expires_at": created.add(24 * HOUR_NS),
    }
    values.update(fields)
    return GoRequest(**values)  # type: ignore[arg-type]


VECTORS: dict[str, Callable[[], GoRequest]] = {
    "whole second, Z": lambda: go_request(1),
    "one digit": lambda: go_request(2, nanoseconds=500_000_000 - 123_456_000),
    "nine digits": lambda: go_request(3, nanoseconds=789),
    "+05:30": lambda: go_request(4, offset_minutes=330, nanoseconds=250),
    "-05:00": lambda: go_request(5, offset_minutes=-300, nanoseconds=1),
    "+14:00": lambda: go_request(6, offset_minutes=14 * 60),
    "-12:00": lambda: go_request(7, offset_minutes=-12 * 60),
    "justification in bytes": lambda: go_request(8, justification="数据库故障排查"),
    "300-character requester": lambda: go_request(9, requester="r" * 300),
    "long approver comment": lambda: go_request(10, approver_comment="c" * 1500),
    "999 ns duration": lambda: go_request(11, duration_ns=999),
    "updated_at before created_at": lambda: go_request(
        12, updated_at=GoTime.at(START + timedelta(minutes=12)).add(-3 * 10**9)
    ),
}


@pytest.mark.parametrize("vector", list(VECTORS))
def test_every_go_vector_reads_lists_and_updates(
    vector: str, go: GoStore, python: DynamoDBRequestStore, clock: ManualClock
) -> None:
    """A request the Go system wrote reads, appears in each listing, and takes an update."""
    written = VECTORS[vector]()
    go.create(written)
    # Check it reads, with the lock token exactly as the Go system stored it.
    read = python.get(written.id)
    assert read.lock_token == written.updated_at.format()
    assert read.requester == written.requester
    # Check every listing that should hold it does.
    for listing in (
        lambda **page: python.list_by_requester(written.requester, **page),
        lambda **page: python.list_by_profile("prod", **page),
        lambda **page: python.list_by_status(RequestStatus.PENDING, **page),
        lambda **page: python.list_pending(**page),
    ):
        assert [request.id for request in everything(listing, limit=1)] == [written.id]
    # Check an update from that copy succeeds, and the Go system can update after it.
    python.update(seen(read))
    go.update(
        written.id, status="approved", approver="dave", comment="", now=GoTime.at(clock())
    )
    assert python.get(written.id).status is RequestStatus.APPROVED


def seen(request: Request) -> Request:
    """An update that keeps the request pending: a comment from the Python service."""
    return attrs.evolve(request, approver_comment="seen by the python service")


def test_the_go_system_updates_a_request_this_library_created(
    go: GoStore, python: DynamoDBRequestStore, clock: ManualClock
) -> None:
    """Go re-formats the updated_at it read, and its condition finds it as stored."""
    request = make_request(START)
    python.create(request)
    go.update(
        request.id, status="approved", approver="carol", comment="", now=GoTime.at(clock())
    )
    assert python.get(request.id).status is RequestStatus.APPROVED


@pytest.mark.parametrize(
    "moment",
    [START, START.replace(microsecond=0), START.replace(microsecond=120000)],
    ids=["microseconds", "whole second", "trailing zeros"],
)
def test_the_go_system_updates_a_request_this_library_updated(
    moment: datetime, go: GoStore, python: DynamoDBRequestStore, clock: ManualClock
) -> None:
    """After a Python update stamped at ``moment``, the Go system's update still applies."""
    request = make_request(START - timedelta(hours=1))
    python.create(request)
    clock.set(moment)
    python.update(seen(request))
    go.update(request.id, status="denied", approver="carol", comment="", now=GoTime.at(clock()))
    assert python.get(request.id).status is RequestStatus.DENIED


def test_a_go_update_between_read_and_write_is_a_concurrent_modification(
    go: GoStore, python: DynamoDBRequestStore, clock: ManualClock
) -> None:
    """Two Go writes within one microsecond still differ: the stale copy loses."""
    written = go_request(20, nanoseconds=100)
    go.create(written)
    copy = python.get(written.id)
    go.update(
        written.id,
        status="pending",
        approver="",
        comment="edited",
        now=written.updated_at.add(500),
    )
    with pytest.raises(ConcurrentModification):
        python.update(copy.approve("carol", now=clock()))


def test_a_copy_updated_through_another_store_and_after_pickling_succeeds(
    go: GoStore,
    python: DynamoDBRequestStore,
    server_table: tuple[DynamoDBClient, str],
    clock: ManualClock,
) -> None:
    """The token travels with the Request: no store needs to have read it."""
    written = go_request(21, offset_minutes=330, nanoseconds=7)
    go.create(written)
    copy = pickle.loads(pickle.dumps(python.get(written.id)))
    client, name = server_table
    other = DynamoDBRequestStore(client, name, clock=clock)
    result = other.update(copy.approve("carol", now=clock()))
    assert result.status is RequestStatus.APPROVED
