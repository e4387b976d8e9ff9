"""Unit tests of the Request entity: its rules, its constructor and its transitions."""

import pickle
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from access_requests.domain import (
    DEFAULT_REQUEST_TTL,
    MAX_DURATION,
    AccessRequestError,
    InvalidRequest,
    InvalidTransition,
    Request,
    RequestStatus,
    new_request_id,
)

NOW = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)
TICK = timedelta(microseconds=1)
TERMINAL = [status for status in RequestStatus if status.is_terminal]


def a_request(**fields: Any) -> Request:
    values: dict[str, Any] = {
        "id": "0123456789abcdef",
        "requester": "alice",
        "profile": "prod-admin",
        "justification": "Investigate INC-1234",
        "duration": timedelta(hours=1),
        "status": RequestStatus.PENDING,
        "created_at": NOW,
        "updated_at": NOW,
        "expires_at": NOW + DEFAULT_REQUEST_TTL,
    }
    values.update(fields)
    return Request(**values)


def a_new_request(**arguments: Any) -> Request:
    values: dict[str, Any] = {
        "requester": "alice",
        "profile": "prod",
        "justification": "Investigate INC-1234",
        "duration": timedelta(hours=2),
    }
    values.update(arguments)
    return Request.new(**values)


ACCEPTED = [
    ("id", "fedcba9876543210"),
    ("requester", "a"),
    ("requester", "r" * 256),
    ("requester", "\u00e9\u2603\x00 #pk :v"),
    ("profile", "p"),
    ("profile", "p" * 256),
    ("justification", "j" * 10),
    ("justification", "j" * 500),
    ("duration", TICK),
    ("duration", MAX_DURATION),
    ("updated_at", NOW),
    ("expires_at", NOW + TICK),
    ("approver", ""),
    ("approver", "a" * 256),
    ("approver_comment", ""),
    ("approver_comment", "c" * 1000),
]

REFUSED = [
    ("id", "0123456789abcde"),
    ("id", "0123456789abcdef0"),
    ("id", "0123456789ABCDEF"),
    ("id", "0123456789abcdeg"),
    ("id", ""),
    ("id", 123),
    ("requester", ""),
    ("requester", None),
    ("requester", b"alice"),
    ("requester", "lone \ud800 surrogate"),
    ("profile", ""),
    ("profile", 7),
    ("justification", "j" * 9),
    ("justification", "j" * 501),
    ("justification", None),
    ("duration", timedelta(0)),
    ("duration", -TICK),
    ("duration", MAX_DURATION + TICK),
    ("duration", 3600),
    ("duration", None),
    ("status", "pending"),
    ("status", None),
    ("created_at", datetime(2026, 1, 15, 3, 53, 45)),
    ("created_at", "2026-01-15T03:53:45Z"),
    ("created_at", date(2026, 1, 15)),
    ("updated_at", datetime(2026, 1, 15, 3, 53, 45)),
    ("expires_at", 1768449225),
    ("approver", None),
    ("approver_comment", 5),
]


# What the Go system's Validate allows and this library does not write itself.
READABLE_ONLY = [
    ("requester", "r" * 257),
    ("profile", "p" * 300),
    ("justification", "数据库故障排查"),  # 7 characters, 21 bytes
    ("updated_at", NOW - TICK),
    ("expires_at", NOW),
    ("expires_at", NOW - TICK),
    ("approver", "a" * 257),
    ("approver_comment", "c" * 1500),
]


@pytest.mark.parametrize(("field", "value"), READABLE_ONLY, ids=lambda v: repr(v)[:20])
def test_what_the_go_system_allows_reads_but_is_not_written(field: str, value: Any) -> None:
    """A request may hold what Go's Validate allows; check_writable refuses it by name."""
    request = a_request(**{field: value})
    assert getattr(request, field) == value
    with pytest.raises(InvalidRequest) as raised:
        request.check_writable()
    assert raised.value.field == field


def test_go_counts_the_justification_in_bytes() -> None:
    """Ten characters of three bytes each are 30 bytes; 167 of them are 501 bytes, refused."""
    assert a_request(justification="数" * 10).justification == "数" * 10
    with pytest.raises(InvalidRequest, match="bytes") as raised:
        a_request(justification="数" * 167)
    assert raised.value.field == "justification"
    with pytest.raises(InvalidRequest):
        a_request(justification="é" * 4)  # 8 bytes


def test_a_request_that_cannot_fit_one_item_is_refused() -> None:
    """Go sets no limit on the comment, but DynamoDB's 400 KB item does."""
    assert a_request(approver_comment="c" * 300_000).approver_comment
    with pytest.raises(InvalidRequest, match="one DynamoDB item") as raised:
        a_request(approver_comment="数" * 140_000)
    assert raised.value.field == "request"


def test_access_is_granted_while_approved_within_both_windows() -> None:
    """grants_access: approved, now <= expires_at and now <= created_at + duration."""
    approved = a_request(status=RequestStatus.APPROVED, approver="carol")
    end = approved.access_window_end
    assert end == NOW + timedelta(hours=1)
    assert approved.grants_access(NOW)
    assert approved.grants_access(end)
    assert not approved.grants_access(end + TICK)
    short = a_request(
        status=RequestStatus.APPROVED, expires_at=NOW + timedelta(minutes=30), approver="c"
    )
    assert short.grants_access(NOW + timedelta(minutes=30))
    assert not short.grants_access(NOW + timedelta(minutes=30) + TICK)
    assert not a_request().grants_access(NOW)
    assert not attrs.evolve(approved, status=RequestStatus.DENIED).grants_access(NOW)


def test_the_lock_token_is_opaque_and_travels_with_the_request() -> None:
    """Outside equality and repr, kept by transitions, evolve and pickling."""
    read = a_request(lock_token="2026-01-15T09:23:45.1234567+05:30")
    assert read == a_request()
    assert "lock_token" not in repr(read)
    assert read.approve("carol", now=NOW).lock_token == read.lock_token
    assert attrs.evolve(read, approver_comment="x").lock_token == read.lock_token
    assert pickle.loads(pickle.dumps(read)).lock_token == read.lock_token
    assert a_request().lock_token is None


@pytest.mark.parametrize(("field", "value"), ACCEPTED, ids=lambda v: repr(v)[:20])
def test_a_value_at_its_bound_is_accepted(field: str, value: Any) -> None:
    """Each field accepts the extreme values its rule allows."""
    assert getattr(a_request(**{field: value}), field) == value


@pytest.mark.parametrize(("field", "value"), REFUSED, ids=lambda v: repr(v)[:20])
def test_a_value_past_its_bound_is_refused_naming_the_field(field: str, value: Any) -> None:
    """Each field refuses a value just past its rule, and the error names the field."""
    with pytest.raises(InvalidRequest) as raised:
        a_request(**{field: value})
    assert raised.value.field == field
    assert str(raised.value).startswith(f"{field}: ")


def test_timestamps_are_normalised_to_utc() -> None:
    """An aware datetime in another zone is kept as the same instant in UTC."""
    india = timezone(timedelta(hours=5, minutes=30))
    request = a_request(created_at=NOW.astimezone(india), updated_at=NOW)
    assert request.created_at == NOW
    assert request.created_at.tzinfo is UTC


def test_a_datetime_that_leaves_the_range_in_utc_is_refused() -> None:
    """The first minute of year 1 at +01:00 has no UTC datetime: InvalidRequest, not a crash."""
    early = datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=1)))
    with pytest.raises(InvalidRequest) as raised:
        a_request(created_at=early)
    assert raised.value.field == "created_at"


def test_a_request_is_immutable_and_hashable() -> None:
    """Fields cannot be assigned; equal requests hash alike."""
    request = a_request()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        request.status = RequestStatus.APPROVED  # type: ignore[misc]
    assert hash(request) == hash(a_request())
    assert request == a_request()


def test_positional_arguments_are_refused() -> None:
    """Every field is keyword-only, so fields cannot be swapped by position."""
    with pytest.raises(TypeError):
        Request("0123456789abcdef", "alice")  # type: ignore[call-arg]


def test_new_makes_a_pending_request_created_now() -> None:
    """new sets a fresh id, pending, created_at = updated_at = now, expires after the ttl."""
    request = a_new_request(now=NOW)
    assert re.fullmatch(r"[0-9a-f]{16}", request.id)
    assert request.status is RequestStatus.PENDING
    assert request.created_at == request.updated_at == NOW
    assert request.expires_at == NOW + timedelta(hours=24)
    assert (request.approver, request.approver_comment) == ("", "")


def test_new_uses_the_current_time_and_a_given_ttl() -> None:
    """Without now, new reads the UTC clock; ttl sets expires_at."""
    before = datetime.now(UTC)
    request = a_new_request(ttl=timedelta(minutes=5))
    after = datetime.now(UTC)
    assert before <= request.created_at <= after
    assert request.expires_at - request.created_at == timedelta(minutes=5)


@pytest.mark.parametrize(
    "ttl", [timedelta(0), -TICK, 60, None], ids=["zero", "negative", "int", "none"]
)
def test_new_refuses_a_ttl_that_is_not_a_positive_timedelta(ttl: Any) -> None:
    """ttl must leave expires_at after created_at."""
    with pytest.raises(InvalidRequest) as raised:
        a_new_request(now=NOW, ttl=ttl)
    assert raised.value.field == "ttl"


def test_new_refuses_a_ttl_past_the_last_datetime() -> None:
    """A ttl that overflows datetime is an InvalidRequest naming ttl."""
    with pytest.raises(InvalidRequest) as raised:
        a_new_request(now=datetime(9999, 12, 31, tzinfo=UTC))
    assert raised.value.field == "ttl"


def test_new_refuses_a_naive_now() -> None:
    """now must be timezone-aware."""
    with pytest.raises(InvalidRequest) as raised:
        a_new_request(now=datetime(2026, 1, 15))
    assert raised.value.field == "now"


def test_new_request_ids_are_random_hex() -> None:
    """Ids are 16 lowercase hex characters and do not repeat."""
    ids = {new_request_id() for _ in range(10_000)}
    assert len(ids) == 10_000
    assert all(re.fullmatch(r"[0-9a-f]{16}", request_id) for request_id in ids)


@pytest.mark.parametrize("action", ["approve", "deny"])
def test_approve_and_deny_record_the_approver_and_leave_updated_at(action: str) -> None:
    """A decision sets status, approver and comment; updated_at is the store's to stamp."""
    request = a_request()
    decided = getattr(request, action)("carol", "looks fine", now=NOW)
    expected = RequestStatus.APPROVED if action == "approve" else RequestStatus.DENIED
    assert decided.status is expected
    assert (decided.approver, decided.approver_comment) == ("carol", "looks fine")
    assert decided.updated_at == request.updated_at
    assert request.status is RequestStatus.PENDING


def test_cancel_and_expire_set_their_status() -> None:
    """cancel before expiry and expire after it each set their status, and only it."""
    request = a_request()
    assert request.cancel(now=NOW).status is RequestStatus.CANCELLED
    expired = request.expire(now=request.expires_at)
    assert expired.status is RequestStatus.EXPIRED
    assert attrs.evolve(expired, status=RequestStatus.PENDING) == request


@pytest.mark.parametrize("status", TERMINAL, ids=lambda s: s.value)
@pytest.mark.parametrize("action", ["approve", "deny", "cancel", "expire"])
def test_a_terminal_request_refuses_every_transition(
    status: RequestStatus, action: str
) -> None:
    """Once final, a request cannot be approved, denied, cancelled or expired."""
    request = a_request(status=status, approver="carol")
    with pytest.raises(InvalidTransition, match="final") as raised:
        _act(request, action, request.expires_at + timedelta(days=1))
    assert raised.value.request_id == request.id


@pytest.mark.parametrize("action", ["approve", "deny", "cancel"])
def test_a_decision_is_refused_once_expires_at_has_passed(action: str) -> None:
    """At expires_at exactly, and after it, approve, deny and cancel are refused."""
    request = a_request()
    _act(request, action, request.expires_at - TICK)
    for late in (request.expires_at, request.expires_at + timedelta(hours=1)):
        with pytest.raises(InvalidTransition, match="expired"):
            _act(request, action, late)


def test_expire_is_refused_before_expires_at() -> None:
    """A request cannot be expired a microsecond early."""
    request = a_request()
    with pytest.raises(InvalidTransition, match="before"):
        request.expire(now=request.expires_at - TICK)


@pytest.mark.parametrize("approver", ["", "   "], ids=["empty", "blank"])
@pytest.mark.parametrize("action", ["approve", "deny"])
def test_a_decision_needs_an_approver(action: str, approver: str) -> None:
    """approve and deny without an approver are refused transitions."""
    with pytest.raises(InvalidTransition, match="without an approver"):
        getattr(a_request(), action)(approver, now=NOW)


def test_an_overlong_approver_or_comment_is_an_invalid_request() -> None:
    """The approver and comment keep their length rules through approve."""
    with pytest.raises(InvalidRequest) as raised:
        a_request().approve("a" * 257, now=NOW)
    assert raised.value.field == "approver"
    with pytest.raises(InvalidRequest) as raised:
        a_request().approve("carol", "c" * 1001, now=NOW)
    assert raised.value.field == "approver_comment"


@pytest.mark.parametrize("action", ["approve", "deny", "cancel", "expire"])
def test_a_transition_refuses_a_naive_now(action: str) -> None:
    """now must be timezone-aware in every transition."""
    with pytest.raises(InvalidRequest) as raised:
        _act(a_request(), action, datetime(2026, 1, 15))
    assert raised.value.field == "now"


def test_is_expired_only_for_pending_requests_at_or_past_expires_at() -> None:
    """is_expired is true from expires_at on, and never for a terminal request."""
    request = a_request()
    assert not request.is_expired(request.expires_at - TICK)
    assert request.is_expired(request.expires_at)
    assert not request.cancel(now=NOW).is_expired(request.expires_at)


def test_the_errors_are_value_errors_of_the_library() -> None:
    """InvalidRequest and InvalidTransition are ValueErrors and AccessRequestErrors."""
    for error in (InvalidRequest("f", "r"), InvalidTransition("0123456789abcdef", "r")):
        assert isinstance(error, ValueError)
        assert isinstance(error, AccessRequestError)


def test_the_errors_survive_pickling() -> None:
    """Errors keep their attributes across processes."""
    error = pickle.loads(pickle.dumps(InvalidRequest("requester", "too long")))
    assert (error.field, error.rule) == ("requester", "too long")
    transition = pickle.loads(pickle.dumps(InvalidTransition("0123456789abcdef", "no")))
    assert (transition.request_id, transition.reason) == ("0123456789abcdef", "no")


def _act(request: Request, action: str, now: datetime) -> Request:
    if action in ("approve", "deny"):
        result: Request = getattr(request, action)("carol", now=now)
        return result
    result = getattr(request, action)(now=now)
    return result
