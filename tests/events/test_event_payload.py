"""The event body, held to Go's json.Marshal of its notification.Event.

Every expected body here is written by hand from Go's documented encoding
rules, never from this library's output:

- encoding/json writes struct fields in declaration order under their json
  tags (``Type``, ``Request``, ``Timestamp``, ``Actor`` have none), compact,
  and leaves out an ``omitempty`` string field that is empty.
- Strings: ``json.Marshal`` escapes HTML (``<`` ``>`` ``&`` as ``\\u003c``
  ``\\u003e`` ``\\u0026``) and U+2028, U+2029 as ``\\u2028``, ``\\u2029``;
  ``"`` and ``\\`` are backslash-escaped; ``\\n`` ``\\r`` ``\\t`` and, since
  Go 1.22, ``\\b`` ``\\f`` take their short forms; every other control
  character is ``\\u00`` and two lowercase hex digits; DEL and everything
  else is written as raw UTF-8.
- A time.Duration is an int64: integer nanoseconds.
- time.Time's MarshalJSON is RFC3339Nano (``2006-01-02T15:04:05.999999999Z07:00``):
  trailing zeros of the fraction dropped, no dot when none is left, ``Z``
  for UTC.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from access_requests.adapters.timestamps import parse_timestamp
from access_requests.domain import InvalidRequest, Nanoseconds, Request, RequestStatus
from access_requests.events import EventType, RequestEvent

CREATED_AT = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)


def stored(
    status: RequestStatus = RequestStatus.PENDING,
    *,
    lock_token: str = "2026-01-15T03:53:45.123456Z",
    **changes: Any,
) -> Request:
    """A request as a store hands it out: its stored updated_at is its lock token."""
    fields: dict[str, Any] = {
        "id": "5f0c2a9e41d7b3c8",
        "requester": "alice@example.com",
        "profile": "prod-admin",
        "justification": "Deploy hotfix for INC-4521",
        "duration": timedelta(hours=2),
        "status": status,
        "created_at": CREATED_AT,
        "updated_at": CREATED_AT,
        "expires_at": CREATED_AT + timedelta(days=1),
        "lock_token": lock_token,
    }
    fields.update(changes)
    if "updated_at" not in changes and status is not RequestStatus.PENDING:
        fields["updated_at"] = parse_timestamp(lock_token)
    return Request(**fields)


def test_a_created_event_is_the_body_go_marshals() -> None:
    """A created event: Go's keys in Go's order, no approver keys, times trimmed."""
    event = RequestEvent.of_change(stored())
    assert event.to_json().encode() == (
        b'{"Type":"request.created","Request":{"id":"5f0c2a9e41d7b3c8",'
        b'"requester":"alice@example.com","profile":"prod-admin",'
        b'"justification":"Deploy hotfix for INC-4521","duration":7200000000000,'
        b'"status":"pending","created_at":"2026-01-15T03:53:45.123456Z",'
        b'"updated_at":"2026-01-15T03:53:45.123456Z",'
        b'"expires_at":"2026-01-16T03:53:45.123456Z"},'
        b'"Timestamp":"2026-01-15T03:53:45.123456Z","Actor":"alice@example.com"}'
    )


def test_an_approved_event_escapes_html_as_go_does() -> None:
    """<, > and & are \\u003c, \\u003e, \\u0026; a whole second has no fraction."""
    request = stored(
        RequestStatus.APPROVED,
        lock_token="2026-01-15T04:10:00Z",
        approver="bob",
        approver_comment="LGTM <ship it> & go",
    )
    assert RequestEvent.of_change(request).to_json().encode() == (
        b'{"Type":"request.approved","Request":{"id":"5f0c2a9e41d7b3c8",'
        b'"requester":"alice@example.com","profile":"prod-admin",'
        b'"justification":"Deploy hotfix for INC-4521","duration":7200000000000,'
        b'"status":"approved","created_at":"2026-01-15T03:53:45.123456Z",'
        b'"updated_at":"2026-01-15T04:10:00Z","expires_at":"2026-01-16T03:53:45.123456Z",'
        b'"approver":"bob","approver_comment":"LGTM \\u003cship it\\u003e \\u0026 go"},'
        b'"Timestamp":"2026-01-15T04:10:00Z","Actor":"bob"}'
    )


def test_a_denied_event_escapes_control_characters_and_keeps_utf8_raw() -> None:
    """Quotes, backslashes, short escapes, \\u00xx in lowercase hex, raw UTF-8 and DEL."""
    comment = 'say "no"\\ \n\r\t \x00\x01\x0b\x1f \b\f \x7f \u2028\u2029 é日😀 \ufffd'
    request = stored(
        RequestStatus.DENIED,
        lock_token="2026-01-15T04:10:00.5Z",
        approver="bob",
        approver_comment=comment,
    )
    body = RequestEvent.of_change(request).to_json().encode()
    assert body.endswith(
        b'"approver":"bob","approver_comment":'
        b'"say \\"no\\"\\\\ \\n\\r\\t \\u0000\\u0001\\u000b\\u001f \\b\\f \x7f'
        b' \\u2028\\u2029 \xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80 \xef\xbf\xbd"},'
        b'"Timestamp":"2026-01-15T04:10:00.5Z","Actor":"bob"}'
    )


def test_go_digits_past_the_microsecond_are_written_to_the_nanosecond() -> None:
    """An expiry of a Go item: every stored digit of times and duration, actor system."""
    request = stored(
        RequestStatus.EXPIRED,
        lock_token="2026-01-15T12:00:00.000000001Z",
        updated_at=datetime(2026, 1, 15, 12, tzinfo=UTC),
        duration=timedelta(hours=1),
        expires_at=datetime(2026, 1, 15, 11, 53, 45, 100000, tzinfo=UTC),
        nanoseconds=Nanoseconds(created_at=789, duration=3_600_000_000_001),
    )
    assert RequestEvent.of_change(request).to_json().encode() == (
        b'{"Type":"request.expired","Request":{"id":"5f0c2a9e41d7b3c8",'
        b'"requester":"alice@example.com","profile":"prod-admin",'
        b'"justification":"Deploy hotfix for INC-4521","duration":3600000000001,'
        b'"status":"expired","created_at":"2026-01-15T03:53:45.123456789Z",'
        b'"updated_at":"2026-01-15T12:00:00.000000001Z",'
        b'"expires_at":"2026-01-15T11:53:45.1Z"},'
        b'"Timestamp":"2026-01-15T12:00:00.000000001Z","Actor":"system"}'
    )


def test_a_go_duration_under_a_microsecond_is_written_as_stored() -> None:
    """A 1 ns Go duration reads as 1 µs but is written back as 1."""
    request = stored(duration=timedelta(microseconds=1), nanoseconds=Nanoseconds(duration=1))
    assert '"duration":1,' in RequestEvent.of_change(request).to_json()


def test_a_cancel_stored_with_an_offset_is_written_in_utc_and_named_as_stored() -> None:
    """Go writes a UTC time; the event id keeps updated_at exactly as stored."""
    request = stored(
        RequestStatus.CANCELLED,
        lock_token="2026-01-15T09:30:00.25+05:30",
        updated_at=datetime(2026, 1, 15, 4, 0, 0, 250000, tzinfo=UTC),
    )
    event = RequestEvent.of_change(request)
    assert event.event_id == "5f0c2a9e41d7b3c8/2026-01-15T09:30:00.25+05:30"
    assert event.to_json().endswith(
        '"updated_at":"2026-01-15T04:00:00.25Z","expires_at":"2026-01-16T03:53:45.123456Z"},'
        '"Timestamp":"2026-01-15T04:00:00.25Z","Actor":"alice@example.com"}'
    )


@pytest.mark.parametrize(
    ("status", "event_type", "actor"),
    [
        (RequestStatus.APPROVED, EventType.APPROVED, "bob"),
        (RequestStatus.DENIED, EventType.DENIED, "bob"),
        (RequestStatus.CANCELLED, EventType.CANCELLED, "alice@example.com"),
        (RequestStatus.EXPIRED, EventType.EXPIRED, "system"),
    ],
)
def test_a_decision_is_named_by_its_stored_updated_at(
    status: RequestStatus, event_type: EventType, actor: str
) -> None:
    """Type from the status, the Go actor rule, timestamp and id from the new updated_at."""
    request = stored(status, lock_token="2026-01-15T04:10:00.000123456Z", approver="bob")
    event = RequestEvent.of_change(request)
    assert (event.type, event.actor) == (event_type, actor)
    assert event.event_id == "5f0c2a9e41d7b3c8/2026-01-15T04:10:00.000123456Z"
    assert event.timestamp == datetime(2026, 1, 15, 4, 10, 0, 123, tzinfo=UTC)
    assert event.timestamp_ns % 1000 == 456


def test_a_creation_is_stamped_with_created_at() -> None:
    """created: the requester acts, at created_at; the id names the stored updated_at."""
    event = RequestEvent.of_change(stored())
    assert event.type is EventType.CREATED
    assert (event.actor, event.timestamp) == ("alice@example.com", CREATED_AT)
    assert event.event_id == "5f0c2a9e41d7b3c8/2026-01-15T03:53:45.123456Z"


def test_a_request_built_by_hand_is_named_as_a_store_writes_it() -> None:
    """Without a lock token, updated_at is taken in Go's UTC form, as the stores write it."""
    request = attrs.evolve(
        stored(), lock_token=None, updated_at=CREATED_AT.replace(microsecond=0)
    )
    assert RequestEvent.of_change(request).event_id == "5f0c2a9e41d7b3c8/2026-01-15T03:53:45Z"


def test_a_lock_token_that_is_no_timestamp_is_refused() -> None:
    """A decision is timed by it, and every body writes it as updated_at."""
    decided = stored(RequestStatus.APPROVED, approver="bob")
    with pytest.raises(InvalidRequest, match="lock_token"):
        RequestEvent.of_change(attrs.evolve(decided, lock_token="yesterday"))
    created = RequestEvent.of_change(attrs.evolve(stored(), lock_token="yesterday"))
    with pytest.raises(InvalidRequest, match="lock_token"):
        created.to_json()


GO_BODY = (
    '{"Type":"request.approved","Request":{"id":"5f0c2a9e41d7b3c8",'
    '"requester":"alice@example.com","profile":"prod-admin",'
    '"justification":"Deploy \\u003chotfix\\u003e","duration":3600000000001,'
    '"status":"approved","created_at":"2026-01-15T05:53:45.123456789+02:00",'
    '"updated_at":"2026-01-15T06:10:00+02:00","expires_at":"2026-01-16T05:53:45+02:00",'
    '"approver":"bob"},"Timestamp":"2026-01-15T06:10:00.987654321+02:00","Actor":"bob"}'
)
"""What the Go system's notifier sends: local times with their offset, its own Timestamp."""


def test_a_body_from_the_go_system_reads_with_every_digit() -> None:
    """Offsets and nanoseconds are kept; the stored updated_at is the lock token."""
    event = RequestEvent.from_json(GO_BODY)
    request = event.request
    assert (event.type, event.actor) == (EventType.APPROVED, "bob")
    assert event.timestamp == datetime(2026, 1, 15, 4, 10, 0, 987654, tzinfo=UTC)
    assert event.timestamp_ns % 1000 == 321
    assert request.justification == "Deploy <hotfix>"
    assert request.created_at == datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)
    assert (request.created_at_ns % 1000, request.duration_ns) == (789, 3_600_000_000_001)
    assert (request.approver, request.approver_comment) == ("bob", "")
    assert request.lock_token == "2026-01-15T06:10:00+02:00"
    assert event.event_id == "5f0c2a9e41d7b3c8/2026-01-15T06:10:00+02:00"


def test_a_body_from_the_go_system_is_written_back_as_go_writes_a_utc_time() -> None:
    """Reading then writing moves every time to UTC and keeps everything else."""
    assert RequestEvent.from_json(GO_BODY).to_json() == (
        '{"Type":"request.approved","Request":{"id":"5f0c2a9e41d7b3c8",'
        '"requester":"alice@example.com","profile":"prod-admin",'
        '"justification":"Deploy \\u003chotfix\\u003e","duration":3600000000001,'
        '"status":"approved","created_at":"2026-01-15T03:53:45.123456789Z",'
        '"updated_at":"2026-01-15T04:10:00Z","expires_at":"2026-01-16T03:53:45Z",'
        '"approver":"bob"},"Timestamp":"2026-01-15T04:10:00.987654321Z","Actor":"bob"}'
    )


def test_an_event_id_from_a_header_wins_over_the_body() -> None:
    """A webhook receiver passes X-Sentinel-Event-Id along."""
    event = RequestEvent.from_json(GO_BODY, event_id="5f0c2a9e41d7b3c8/elsewhere")
    assert event.event_id == "5f0c2a9e41d7b3c8/elsewhere"


def test_a_body_reads_from_bytes_and_ignores_unknown_keys() -> None:
    """Go ignores keys it does not know; so does from_json."""
    body = GO_BODY.replace('"Actor":"bob"}', '"Actor":"bob","Extra":[1]}').encode()
    assert RequestEvent.from_json(body) == RequestEvent.from_json(GO_BODY)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("not json", "event"),
        ("[]", "event"),
        (GO_BODY.replace('"Type":"request.approved"', '"Type":"request.touched"'), "Type"),
        (GO_BODY.replace('"Type":"request.approved",', ""), "Type"),
        (GO_BODY.replace('"Actor":"bob"', '"Actor":null'), "Actor"),
        (GO_BODY.replace('"Timestamp":"2026', '"Timestamp":"yesterday'), "Timestamp"),
        ('{"Type":"request.created","Request":null}', "Request"),
        (GO_BODY.replace('"duration":3600000000001', '"duration":3.6e12'), "Request.duration"),
        (GO_BODY.replace('"duration":3600000000001', '"duration":"1h"'), "Request.duration"),
        (GO_BODY.replace('"duration":3600000000001', '"duration":0'), "Request.duration"),
        (
            GO_BODY.replace('"duration":3600000000001', f'"duration":{10**30}'),
            "Request.duration",
        ),
        (GO_BODY.replace('"id":"5f0c2a9e41d7b3c8"', '"id":"x"'), "Request.id"),
        (GO_BODY.replace('"requester":"alice@example.com",', ""), "Request.requester"),
        (GO_BODY.replace('"status":"approved"', '"status":"done"'), "Request.status"),
        (GO_BODY.replace('"created_at":"2026', '"created_at":"26'), "Request.created_at"),
        (GO_BODY.replace('"approver":"bob"', '"approver":7'), "Request.approver"),
        (GO_BODY.replace(r"Deploy \u003chotfix\u003e", "Go"), "Request.justification"),
    ],
)
def test_a_body_that_is_no_event_is_refused_naming_what_is_wrong(body: str, field: str) -> None:
    """InvalidRequest names the key at fault."""
    with pytest.raises(InvalidRequest) as refused:
        RequestEvent.from_json(body)
    assert refused.value.field == field


def test_an_event_refuses_a_type_it_does_not_know() -> None:
    """The type is an EventType, the timestamp timezone-aware."""
    event = RequestEvent.of_change(stored())
    with pytest.raises(InvalidRequest, match="type"):
        attrs.evolve(event, type="request.created")
    with pytest.raises(InvalidRequest, match="timestamp"):
        attrs.evolve(event, timestamp=datetime(2026, 1, 1))
    with pytest.raises(InvalidRequest, match="event_id"):
        attrs.evolve(event, event_id="")
