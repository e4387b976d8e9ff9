"""Properties of the event body: every event reads back exactly, to the nanosecond."""

import json
from datetime import UTC, timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

from access_requests.adapters.timestamps import format_go_time
from access_requests.contract_tests.strategies import requests
from access_requests.domain import (
    MAX_DURATION,
    Nanoseconds,
    Request,
    RequestStatus,
    epoch_nanoseconds,
)
from access_requests.events import EventType, RequestEvent

_DIGITS = st.integers(min_value=0, max_value=999)


@st.composite
def stored_requests(draw: st.DrawFn) -> Request:
    """Any request as a store hands it out, with Go's digits past the microsecond."""
    request = draw(requests())
    updated_at_ns = epoch_nanoseconds(request.updated_at) + draw(_DIGITS)
    duration_ns = request.duration // timedelta(microseconds=1) * 1000
    if request.duration < MAX_DURATION:  # Go's Validate: at most 8 hours, to the nanosecond
        duration_ns += draw(_DIGITS)
    return attrs.evolve(
        request,
        lock_token=format_go_time(updated_at_ns),
        nanoseconds=Nanoseconds(
            created_at=draw(_DIGITS),
            expires_at=draw(_DIGITS),
            duration=None if duration_ns % 1000 == 0 else duration_ns,
        ),
    )


@st.composite
def events(draw: st.DrawFn) -> RequestEvent:
    """Events of stored changes, and events as any sender may have filled them."""
    request = draw(stored_requests())
    if draw(st.booleans()):
        return RequestEvent.of_change(request)
    moment = draw(st.datetimes(timezones=st.just(UTC)))
    assert request.lock_token is not None
    return RequestEvent(
        type=draw(st.sampled_from(EventType)),
        request=request,
        timestamp=moment,
        timestamp_nanoseconds=draw(_DIGITS),
        actor=draw(st.text()),
        event_id=f"{request.id}/{request.lock_token}",
    )


def exactly(event: RequestEvent) -> tuple[object, ...]:
    """What equality leaves out of a request: its lock token and Go's digits."""
    return (event, event.request.lock_token, event.request.nanoseconds, event.timestamp_ns)


@given(events())
def test_every_event_reads_back_from_its_body_exactly(event: RequestEvent) -> None:
    """from_json(to_json(e)) is e, every stored digit included, and writes the same body."""
    body = event.to_json()
    again = RequestEvent.from_json(body)
    assert exactly(again) == exactly(event)
    assert again.to_json() == body


@given(events())
def test_every_body_is_json_carrying_the_texts_as_they_are(event: RequestEvent) -> None:
    """Any JSON reader gets the same texts back: the escaping loses nothing."""
    document = json.loads(event.to_json())
    request = event.request
    assert list(document) == ["Type", "Request", "Timestamp", "Actor"]
    assert document["Actor"] == event.actor
    assert document["Request"]["requester"] == request.requester
    assert document["Request"]["justification"] == request.justification
    assert document["Request"].get("approver", "") == request.approver
    assert document["Request"].get("approver_comment", "") == request.approver_comment


@given(stored_requests())
def test_a_change_is_named_by_the_stored_updated_at(request: Request) -> None:
    """Every delivery of one change gets one id; a decision is timed by its updated_at."""
    event = RequestEvent.of_change(request)
    assert event.event_id == f"{request.id}/{request.lock_token}"
    if request.status is RequestStatus.PENDING:
        assert event.timestamp_ns == request.created_at_ns
    else:
        assert request.lock_token is not None
        assert format_go_time(event.timestamp_ns) == request.lock_token
