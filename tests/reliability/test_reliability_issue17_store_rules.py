"""Issue 17's findings on the stores, each shrunk to a few calls with the simulated Go writer.

Each test reproduces one finding on the sync DynamoDB store over a moto
table (and on the in-memory store where the finding is not about items Go
writes): it failed before the fix, and passes now.
"""

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import boto3
import pytest
from conftest import REGION, recommended_test_client
from fault_injection import Plan, error_response, inject, lost_response
from go_system import GoRequest, GoStore, GoTime
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import (
    InvalidRequest,
    InvalidTransition,
    RequestStatus,
    epoch_nanoseconds,
)
from access_requests.ports import (
    ConcurrentModification,
    CorruptItem,
    RequestStore,
    StoreUnavailable,
)

NOW = datetime(2026, 1, 15, 12, 0, 0, 123456, tzinfo=UTC)
HOUR_NS = 3600 * 10**9


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def store(server_store: DynamoDBRequestStore) -> DynamoDBRequestStore:
    return server_store


@pytest.fixture
def go(moto_server: str, server_table: tuple[DynamoDBClient, str]) -> GoStore:
    """The Go system's store on the same table (its expressions name ``id`` directly)."""
    client = boto3.client("dynamodb", region_name=REGION, endpoint_url=moto_server)
    return GoStore(client, server_table[1])


@pytest.fixture(params=["memory", "dynamodb"])
def any_store(request: pytest.FixtureRequest, clock: ManualClock) -> Iterator[RequestStore]:
    """Both sync stores, reading ``clock``."""
    if request.param == "memory":
        yield InMemoryRequestStore(clock=clock)
    else:
        yield request.getfixturevalue("server_store")


def go_request(
    number: int,
    *,
    created_at: GoTime | None = None,
    ttl_ns: int = 24 * HOUR_NS,
    expires_offset: int = 0,
    status: str = "pending",
    duration_ns: int = HOUR_NS,
    approver: str = "",
    approver_comment: str = "",
) -> GoRequest:
    """A request as a Go host writes it, created at NOW unless told."""
    created = created_at or GoTime.at(NOW)
    return GoRequest(
        id=f"{number:016x}",
        requester="gopher",
        profile="prod",
        justification="written by the Go service",
        duration_ns=duration_ns,
        status=status,
        created_at=created,
        updated_at=created,
        expires_at=GoTime(created.unix_ns + ttl_ns, expires_offset),
        approver=approver,
        approver_comment=approver_comment,
    )


def raw(server_table: tuple[DynamoDBClient, str], request_id: str) -> dict[str, Any]:
    client, name = server_table
    response = client.get_item(
        TableName=name, Key={"id": {"S": request_id}}, ConsistentRead=True
    )
    return dict(response["Item"])


# Item 1


def test_a_stale_copy_is_refused_after_go_moved_updated_at_back_under_a_frozen_clock(
    store: DynamoDBRequestStore, go: GoStore
) -> None:
    """Frozen store writes F; Go (clock behind) writes G < F; the store writes again: not F."""
    go.create(go_request(1, created_at=GoTime.at(NOW - timedelta(hours=1))))
    # Check the frozen store writes F over the Go request
    first = store.update(store.get(f"{1:016x}"))
    stale = store.get(f"{1:016x}")
    assert stale.lock_token == first.lock_token
    # Check a Go host whose clock is behind moves updated_at back
    go.update(f"{1:016x}", status="pending", approver="", comment="",
              now=GoTime.at(NOW - timedelta(seconds=30)))  # fmt: skip
    # Check the frozen store writes again, over Go's token
    store.update(store.get(f"{1:016x}"))
    # Check the copy read at F is now refused
    with pytest.raises(ConcurrentModification):
        store.update(stale.approve("bob", now=NOW))


# Item 2


def test_a_go_request_that_expires_before_it_was_created_breaks_no_listing(
    store: DynamoDBRequestStore, go: GoStore
) -> None:
    """Go's Validate allows expires_at <= created_at; every listing reads past it."""
    go.create(go_request(1, ttl_ns=-HOUR_NS))
    go.create(go_request(2, ttl_ns=-1, status="approved", approver="bob"))
    go.create(go_request(3))
    # Check every listing reads all three, or the ones it owes
    assert len(store.list_by_requester("gopher")) == 3
    assert len(store.list_by_profile("prod")) == 3
    assert len(store.list_by_status(RequestStatus.PENDING)) == 2
    assert store.find_active_approval("gopher", "prod") is None
    assert [r.id for r in store.list_pending()] == [f"{3:016x}"]
    # Check the sweep expires the one that expired before it was created
    assert store.expire_overdue() == 1
    assert store.get(f"{1:016x}").status is RequestStatus.EXPIRED


# Item 3


@pytest.mark.parametrize(
    ("approver", "comment"), [("a" * 300, ""), ("", "c" * 1500)], ids=["approver", "comment"]
)
def test_the_sweep_expires_an_overdue_go_request_with_long_texts(
    store: DynamoDBRequestStore, go: GoStore, approver: str, comment: str
) -> None:
    """Go allows a 300-character approver on a pending request; the sweep does not refuse it."""
    created = GoTime.at(NOW - timedelta(days=2))
    go.create(go_request(1, created_at=created, approver=approver, approver_comment=comment))
    go.create(go_request(2, created_at=GoTime.at(NOW - timedelta(days=3))))
    assert store.expire_overdue() == 2
    stored = store.get(f"{1:016x}")
    assert stored.status is RequestStatus.EXPIRED
    assert (stored.approver, stored.approver_comment) == (approver, comment)


@pytest.mark.parametrize(
    ("field", "text"), [("approver", "a" * 257), ("approver_comment", "c" * 1001)]
)
def test_a_caller_still_cannot_write_a_long_approver_or_comment(
    any_store: RequestStore, field: str, text: str
) -> None:
    """The limits hold on what a caller writes: a text it changes, refused with nothing written.

    Only the stored item tells a changed text from a carried one, so the store
    checks it with the lock, in the write's own round trip (it was refused
    before any I/O before issue 17, item 3).
    """
    request = make_request(NOW)
    any_store.create(request)
    denied = attrs.evolve(any_store.get(request.id), status=RequestStatus.DENIED)
    long = (
        attrs.evolve(denied, approver=text)
        if field == "approver"
        else attrs.evolve(denied, approver_comment=text)
    )
    with pytest.raises(InvalidRequest, match=field):
        any_store.update(long)
    assert any_store.get(request.id) == request


# Item 4


def test_find_active_approval_decides_past_the_microsecond_as_go_does(
    store: DynamoDBRequestStore, go: GoStore
) -> None:
    """.1234567 + 1 h + 500 ns grants at +1 h + 0.3 us; 999 ns stops at .123456999, as Go."""
    go.create(go_request(1, created_at=GoTime.at(NOW, 700), status="approved",
                         duration_ns=HOUR_NS + 500, approver="bob"))  # fmt: skip
    found = store.find_active_approval(
        "gopher", "prod", now=NOW + timedelta(hours=1, microseconds=1)
    )
    assert found is not None
    assert found.id == f"{1:016x}"
    go.create(attrs.evolve(go_request(2, status="approved", approver="bob"),
                           requester="tiny", duration_ns=999))  # fmt: skip
    assert store.find_active_approval("tiny", "prod", now=NOW) is not None
    assert (
        store.find_active_approval("tiny", "prod", now=NOW + timedelta(microseconds=1)) is None
    )


# Item 5


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("justification", {"S": "short"}),
        ("expires_at", {"S": "NaN"}),
        ("created_at", {"S": "2026"}),
        ("duration", {"N": "-1"}),
        ("duration", {"N": "0"}),
        ("duration", {"N": str(8 * HOUR_NS + 1)}),
        ("requester", {"S": ""}),
    ],
    ids=lambda value: str(value)[:16],
)
def test_an_update_of_an_item_outside_gos_bounds_writes_nothing(
    store: DynamoDBRequestStore,
    server_table: tuple[DynamoDBClient, str],
    attribute: str,
    value: dict[str, str],
) -> None:
    """Types right, values wrong: CorruptItem, and the item is as it was (one round trip)."""
    request = make_request(NOW)
    store.create(request)
    copy = store.get(request.id)
    client, name = server_table
    item = raw(server_table, request.id)
    if attribute == "requester":
        del item["requester"]  # an index key cannot be empty; a missing one reads as corrupt
    else:
        item[attribute] = value
    client.put_item(TableName=name, Item=item)
    with pytest.raises(CorruptItem) as raised:
        store.update(copy.deny("bob", now=NOW))
    assert raised.value.attribute == attribute
    assert raw(server_table, request.id) == item


def test_where_no_condition_can_tell_the_error_says_the_decision_was_written(
    store: DynamoDBRequestStore, server_table: tuple[DynamoDBClient, str]
) -> None:
    """A malformed timestamp of plausible length passes every condition: CorruptItem says so."""
    request = make_request(NOW)
    store.create(request)
    copy = store.get(request.id)
    client, name = server_table
    item = raw(server_table, request.id)
    item["created_at"] = {"S": "2026-13-45T99:99:99Z"}
    client.put_item(TableName=name, Item=item)
    with pytest.raises(CorruptItem, match="the decision was written") as raised:
        store.update(copy.deny("bob", now=NOW))
    assert raised.value.attribute == "created_at"
    assert raw(server_table, request.id)["status"] == {"S": "denied"}


# Item 6


def test_one_undecodable_pending_item_does_not_stop_the_sweep(
    store: DynamoDBRequestStore,
    server_table: tuple[DynamoDBClient, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """5 overdue, a corrupt one in the middle: the 4 others move at once; the log names it."""
    requests = [
        make_request(NOW - timedelta(days=5 - n), ttl=timedelta(hours=1)) for n in range(5)
    ]
    for request in requests:
        store.create(request)
    client, name = server_table
    poison = raw(server_table, requests[2].id)
    poison["status"] = {"S": "pending"}
    poison["duration"] = {"S": "1h"}
    client.put_item(TableName=name, Item=poison)
    with caplog.at_level(logging.WARNING):
        assert store.expire_overdue() == 4
    assert requests[2].id in caplog.text
    assert all(
        store.get(r.id).status is RequestStatus.EXPIRED
        for r in requests
        if r is not requests[2]
    )


# Item 7


@pytest.fixture
def hooked_client(moto_server: str, module_table: str) -> DynamoDBClient:
    """A recommended client of the test's own, whose faults botocore's hooks inject.

    The sweep's count is the operations' rule, the same on either wire; the
    lost-response runs hold both wires to retrying a lost write.
    """
    return recommended_test_client(moto_server)


def test_the_sweep_moves_at_most_its_limit_and_counts_what_it_moved_when_responses_are_lost(
    hooked_client: DynamoDBClient,
    module_table: str,
    no_backoff_sleep: list[float],
) -> None:
    """300 overdue, 10% of first responses lost: calls of limit 10 return what they moved."""
    # A clock of this test's own, far from the module's other requests.
    clock = ManualClock(datetime(2031, 3, 1, tzinfo=UTC))
    store = DynamoDBRequestStore(hooked_client, module_table, clock=clock)
    for number in range(300):
        store.create(
            make_request(clock() - timedelta(days=2, seconds=number), ttl=timedelta(hours=1))
        )
    inject(hooked_client, "UpdateItem", lost_response(), Plan(share=0.1, attempts=1), seed=3)
    total = 0
    while True:
        before = _expired(store)
        moved = store.expire_overdue(limit=10)
        # Check each call returns exactly what it moved, and never more than its limit
        assert moved == _expired(store) - before
        assert moved <= 10
        total += moved
        if moved == 0:
            break
    assert total == 300


def test_a_sweep_interrupted_by_a_lasting_failure_says_how_many_it_moved(
    hooked_client: DynamoDBClient, module_table: str, no_backoff_sleep: list[float]
) -> None:
    """StoreUnavailable mid-sweep carries the count of what the sweep had moved."""
    clock = ManualClock(datetime(2032, 5, 1, tzinfo=UTC))
    store = DynamoDBRequestStore(hooked_client, module_table, clock=clock)
    for number in range(40):
        store.create(
            make_request(clock() - timedelta(days=2, seconds=number), ttl=timedelta(hours=1))
        )
    plan = Plan(share=0.1, attempts=None, lasting_share=0.1)
    inject(
        hooked_client, "UpdateItem", error_response(500, "InternalServerError"), plan, seed=5
    )
    before = _expired(store)
    with pytest.raises(StoreUnavailable) as raised:
        store.expire_overdue(limit=1000)
    assert raised.value.moved == _expired(store) - before
    assert raised.value.moved < 40


def _expired(store: DynamoDBRequestStore) -> int:
    count, cursor = 0, None
    while True:
        page = store.list_by_status(RequestStatus.EXPIRED, limit=1000, cursor=cursor)
        count += len(page)
        if page.next_cursor is None:
            return count
        cursor = page.next_cursor


# Item 8


def test_create_refuses_a_created_at_more_than_five_minutes_after_the_store_clock(
    any_store: RequestStore,
) -> None:
    """A request created 6 days ahead would grant for 6 days once approved: refused."""
    with pytest.raises(InvalidRequest, match="created_at"):
        any_store.create(make_request(NOW + timedelta(days=6)))
    any_store.create(make_request(NOW + timedelta(minutes=5)))


# Item 9


def test_update_refuses_a_decision_once_the_store_clock_passed_expires_at(
    any_store: RequestStore, clock: ManualClock
) -> None:
    """The caller's clock says it is early; the store's says two days after expires_at."""
    request = make_request(NOW, ttl=timedelta(hours=1))
    any_store.create(request)
    copy = any_store.get(request.id)
    clock.set(NOW + timedelta(days=2, hours=1))
    for decided in (
        copy.approve("bob", now=NOW),
        copy.deny("bob", now=NOW),
        copy.cancel(now=NOW),
    ):
        with pytest.raises(InvalidTransition, match="expired at"):
            any_store.update(decided)
    assert any_store.get(request.id).status is RequestStatus.PENDING


def test_update_refuses_an_approval_once_the_access_window_has_ended(
    any_store: RequestStore, clock: ManualClock
) -> None:
    """Approving after created_at + duration grants nothing: refused, naming when it ended."""
    request = make_request(NOW, ttl=timedelta(days=1))
    any_store.create(request)
    copy = any_store.get(request.id)
    clock.set(request.access_window_end + timedelta(microseconds=1))
    with pytest.raises(InvalidTransition, match="access window ended at"):
        any_store.update(copy.approve("bob", now=NOW))
    assert any_store.update(copy.deny("bob", now=NOW)).status is RequestStatus.DENIED


# Item 10


def test_bounded_reads_see_items_at_the_widest_offsets_go_reads(
    store: DynamoDBRequestStore, go: GoStore
) -> None:
    """+20:00 expires_at sorts 20 h late; -20:00 created_at sorts 20 h early: both are seen."""
    overdue = go_request(1, created_at=GoTime.at(NOW - timedelta(days=1, hours=2), 0, 20 * 60),
                         expires_offset=20 * 60)  # fmt: skip
    go.create(overdue)
    created = GoTime.at(NOW - timedelta(hours=3), 0, -20 * 60)
    granting = go_request(
        2, created_at=created, status="approved", duration_ns=4 * HOUR_NS, approver="bob"
    )
    go.create(granting)
    found = store.find_active_approval("gopher", "prod")
    assert found is not None
    assert found.id == granting.id
    assert store.expire_overdue() == 1
    assert store.get(overdue.id).status is RequestStatus.EXPIRED


def test_the_store_clock_decides_to_the_nanosecond_of_go_digits(
    store: DynamoDBRequestStore, go: GoStore, clock: ManualClock
) -> None:
    """An approval at the last microsecond of a Go window of 1 h + 500 ns is taken."""
    go.create(go_request(1, created_at=GoTime.at(NOW, 700), duration_ns=HOUR_NS + 500))
    copy = store.get(f"{1:016x}")
    assert epoch_nanoseconds(NOW + timedelta(hours=1, microseconds=1)) <= (
        copy.created_at_ns + copy.duration_ns
    )
    clock.set(NOW + timedelta(hours=1, microseconds=1))
    assert store.update(copy.approve("bob", now=NOW)).status is RequestStatus.APPROVED
