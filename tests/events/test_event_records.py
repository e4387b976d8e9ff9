"""Events from DynamoDB Streams records: one record gives at most one event."""

from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from stream_records import CREATED_AT, pending_request

from access_requests.adapters.dynamodb.codec import encode_request
from access_requests.domain import InvalidRequest, RequestStatus
from access_requests.events import EventType, event_from_record
from access_requests.ports import CorruptItem

DECIDED_AT = "2026-01-15T04:10:00.5Z"

PENDING = pending_request()


def decided(status: RequestStatus, updated_at: str = DECIDED_AT) -> dict[str, Any]:
    """The item of PENDING once ``status`` was written at ``updated_at``."""
    item = encode_request(attrs.evolve(PENDING, status=status, approver="bob"))
    item["updated_at"] = {"S": updated_at}
    return item


def record(
    name: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    *,
    view: str = "NEW_AND_OLD_IMAGES",
    sequence_number: str = "4421584500000000017450439091",
    **extra: Any,
) -> dict[str, Any]:
    """A record as Lambda delivers it (AWS's documented shape)."""
    change: dict[str, Any] = {
        "ApproximateCreationDateTime": 1768449225,
        "Keys": {"id": {"S": PENDING.id}},
        "SequenceNumber": sequence_number,
        "SizeBytes": 312,
        "StreamViewType": view,
    }
    if old is not None:
        change["OldImage"] = old
    if new is not None:
        change["NewImage"] = new
    return {
        "eventID": "c4ca4238a0b923820dcc509a6f75849b",
        "eventName": name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": change,
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/requests/stream/2026",
        **extra,
    }


def test_an_insert_of_a_pending_request_is_created() -> None:
    """The requester created it, at created_at; the id names the stored updated_at."""
    event = event_from_record(record("INSERT", new=encode_request(PENDING)))
    assert event is not None
    assert (event.type, event.actor, event.timestamp) == (
        EventType.CREATED,
        "alice",
        CREATED_AT,
    )
    assert event.event_id == "5f0c2a9e41d7b3c8/2026-01-15T03:53:45.123456Z"
    assert event.request == PENDING


@pytest.mark.parametrize(
    ("status", "event_type", "actor"),
    [
        (RequestStatus.APPROVED, EventType.APPROVED, "bob"),
        (RequestStatus.DENIED, EventType.DENIED, "bob"),
        (RequestStatus.CANCELLED, EventType.CANCELLED, "alice"),
        (RequestStatus.EXPIRED, EventType.EXPIRED, "system"),
    ],
)
def test_a_modify_from_pending_to_a_final_status_is_that_status_event(
    status: RequestStatus, event_type: EventType, actor: str
) -> None:
    """Type, actor, the new updated_at as timestamp and in the id."""
    event = event_from_record(record("MODIFY", encode_request(PENDING), decided(status)))
    assert event is not None
    assert (event.type, event.actor) == (event_type, actor)
    assert event.timestamp == datetime(2026, 1, 15, 4, 10, 0, 500000, tzinfo=UTC)
    assert event.event_id == f"{PENDING.id}/{DECIDED_AT}"
    assert event.request.status is status
    assert event.request.lock_token == DECIDED_AT


def test_a_decision_written_by_go_with_an_offset_keeps_its_stored_form() -> None:
    """A record written by hand as the Go system stores items: offsets, trimmed digits."""
    old = {
        "id": {"S": "00000000000000ff"},
        "requester": {"S": "carol"},
        "profile": {"S": "staging"},
        "justification": {"S": "Rotate the keys now"},
        "duration": {"N": "3600000000001"},
        "status": {"S": "pending"},
        "created_at": {"S": "2026-01-15T05:00:00.1+02:00"},
        "updated_at": {"S": "2026-01-15T05:00:00.1+02:00"},
        "expires_at": {"S": "2026-01-16T05:00:00.1+02:00"},
        "ttl": {"N": "1768532400"},
    }
    new = {
        **old,
        "status": {"S": "denied"},
        "updated_at": {"S": "2026-01-15T05:30:00.000000007+02:00"},
        "approver": {"S": "dave"},
        "approver_comment": {"S": "not today"},
    }
    event = event_from_record(record("MODIFY", old, new))
    assert event is not None
    assert (event.type, event.actor) == (EventType.DENIED, "dave")
    assert event.event_id == "00000000000000ff/2026-01-15T05:30:00.000000007+02:00"
    assert event.timestamp_ns % 1000 == 7
    assert event.to_json().endswith(
        '"Timestamp":"2026-01-15T03:30:00.000000007Z","Actor":"dave"}'
    )


def test_a_go_insert_is_stamped_with_created_at_to_the_nanosecond() -> None:
    """created_at's stored digits past the microsecond reach the event."""
    item = encode_request(PENDING)
    item["created_at"] = {"S": "2026-01-15T03:53:45.123456789Z"}
    event = event_from_record(record("INSERT", new=item))
    assert event is not None
    assert event.timestamp_ns % 1000 == 789


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("MODIFY", encode_request(PENDING), decided(RequestStatus.PENDING)),
        (
            "MODIFY",
            decided(RequestStatus.APPROVED),
            decided(RequestStatus.APPROVED, "2026-02-01T00:00:00Z"),
        ),
        ("MODIFY", decided(RequestStatus.EXPIRED), decided(RequestStatus.DENIED)),
        ("INSERT", None, decided(RequestStatus.APPROVED)),
        ("REMOVE", encode_request(PENDING), None),
        ("REMOVE", decided(RequestStatus.DENIED), None),
    ],
    ids=[
        "a pending touch",
        "a Go rewrite of a final request",
        "a final request changed again",
        "an insert of a final request",
        "a delete",
        "a delete of a decided request",
    ],
)
def test_a_write_that_is_no_lifecycle_change_gives_no_event(
    name: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> None:
    """Only a creation and the one move out of pending are events."""
    assert event_from_record(record(name, old, new)) is None


def test_a_removal_by_ttl_gives_no_event() -> None:
    """DynamoDB's TTL deletes as the service principal; the request is gone, not decided."""
    removal = record(
        "REMOVE",
        encode_request(PENDING),
        userIdentity={"type": "Service", "principalId": "dynamodb.amazonaws.com"},
    )
    assert event_from_record(removal) is None


def test_a_removal_on_a_keys_only_stream_gives_no_event() -> None:
    """A REMOVE needs no image."""
    assert event_from_record(record("REMOVE", view="KEYS_ONLY")) is None


@pytest.mark.parametrize(
    ("name", "old", "new", "view", "missing"),
    [
        ("INSERT", None, None, "KEYS_ONLY", "NewImage"),
        ("MODIFY", None, decided(RequestStatus.APPROVED), "NEW_IMAGE", "OldImage"),
        ("MODIFY", encode_request(PENDING), None, "OLD_IMAGE", "NewImage"),
    ],
)
def test_a_record_without_the_images_it_needs_names_the_view_type(
    name: str, old: dict[str, Any] | None, new: dict[str, Any] | None, view: str, missing: str
) -> None:
    """InvalidRequest says which image is missing and which view type is needed."""
    with pytest.raises(InvalidRequest, match="NEW_AND_OLD_IMAGES") as refused:
        event_from_record(record(name, old, new, view=view))
    assert refused.value.field == f"record.dynamodb.{missing}"
    assert f"it is {view}" in refused.value.rule


@pytest.mark.parametrize(
    "image",
    [
        {"id": {"S": "lock#5f0c2a9e41d7b3c8"}, "owner": {"S": "host-1"}},
        {**encode_request(PENDING), "duration": {"S": "2h"}},
        {**encode_request(PENDING), "status": {"S": "archived"}},
    ],
    ids=["an item of another kind", "a duration of the wrong type", "an unknown status"],
)
def test_an_image_that_is_not_a_request_is_corrupt(image: dict[str, Any]) -> None:
    """CorruptItem names the attribute at fault."""
    with pytest.raises(CorruptItem):
        event_from_record(record("INSERT", new=image))


def test_an_image_of_the_wrong_shape_is_corrupt_naming_the_key() -> None:
    """The id comes from the record's Keys."""
    with pytest.raises(CorruptItem, match=r"5f0c2a9e41d7b3c8.*NewImage"):
        event_from_record(record("INSERT", new=["not", "an", "item"]))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"eventName": "UPDATE"}, "record.eventName"),
        ({"eventName": "INSERT", "dynamodb": None}, "record.dynamodb"),
    ],
)
def test_a_record_that_is_not_a_stream_record_is_refused(
    bad: dict[str, Any], field: str
) -> None:
    """InvalidRequest names what is wrong with it."""
    with pytest.raises(InvalidRequest) as refused:
        event_from_record(bad)
    assert refused.value.field == field


def test_a_redelivered_record_gives_the_same_event_and_another_change_another_id() -> None:
    """At least once: every delivery of one change carries one event id."""
    approval = record("MODIFY", encode_request(PENDING), decided(RequestStatus.APPROVED))
    first, again = event_from_record(approval), event_from_record(dict(approval))
    creation = event_from_record(record("INSERT", new=encode_request(PENDING)))
    assert first is not None
    assert again is not None
    assert creation is not None
    assert first == again
    assert first.to_json() == again.to_json()
    assert first.event_id != creation.event_id
