"""The Lambda handler: in order, poison skipped, a failed delivery reported with the rest."""

import logging
from typing import Any

import attrs
import pytest
from stream_records import insert, pending

from access_requests.adapters.dynamodb.codec import encode_request
from access_requests.domain import InvalidRequest, RequestStatus
from access_requests.events import Notifier, RequestEvent, stream_handler


def approval(number: int) -> dict[str, Any]:
    """A Lambda record of an approval of request ``number``, SequenceNumber ``number``."""
    after = encode_request(attrs.evolve(pending(number), status=RequestStatus.APPROVED))
    after["approver"] = {"S": "bob"}
    after["updated_at"] = {"S": "2026-01-15T04:00:00Z"}
    return {
        "eventName": "MODIFY",
        "dynamodb": {
            "OldImage": encode_request(pending(number)),
            "NewImage": after,
            "SequenceNumber": str(number),
        },
    }


def removal(number: int) -> dict[str, Any]:
    """A Lambda record of a delete, SequenceNumber ``number``."""
    return {"eventName": "REMOVE", "dynamodb": {"SequenceNumber": str(number)}}


@attrs.define
class Recipient:
    """A Notifier that keeps what it got, and fails for the request ids it is told to."""

    failing: set[str] = attrs.field(factory=set)
    delivered: list[RequestEvent] = attrs.field(factory=list)

    def notify(self, event: RequestEvent) -> None:
        if event.request.id in self.failing:
            raise ConnectionError(f"no route to the webhook for {event.request.id}")
        self.delivered.append(event)


def failures(*numbers: int) -> dict[str, list[dict[str, str]]]:
    """The partial batch response that reports these SequenceNumbers."""
    return {"batchItemFailures": [{"itemIdentifier": str(number)} for number in numbers]}


def test_a_recipient_is_a_notifier() -> None:
    """Anything with notify(event) serves."""
    notifier: Notifier = Recipient()
    assert callable(notifier.notify)


def test_a_batch_is_delivered_in_order_and_reports_nothing() -> None:
    """Every event, in record order; a record with no event is passed over."""
    recipient = Recipient()
    batch = {"Records": [insert(1), approval(1), removal(1), insert(2)]}
    assert stream_handler(recipient)(batch, None) == failures()
    assert [(e.type.value, e.request.id[-1]) for e in recipient.delivered] == [
        ("request.created", "1"),
        ("request.approved", "1"),
        ("request.created", "2"),
    ]


def test_a_failed_delivery_reports_that_record_and_every_later_one() -> None:
    """Lambda redelivers from the failure on, in order; nothing after it is attempted."""
    recipient = Recipient(failing={pending(2).id})
    batch = {"Records": [insert(1), insert(2), insert(3), removal(4)]}
    assert stream_handler(recipient)(batch, None) == failures(2, 3, 4)
    assert [e.request.id for e in recipient.delivered] == [pending(1).id]


def test_a_poison_record_is_logged_and_skipped_never_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A record that is not a request must not block its shard."""
    recipient = Recipient()
    poison = insert(2, image={"id": {"S": "lock#2"}, "owner": {"S": "host-1"}})
    batch = {"Records": [insert(1), poison, insert(3)]}
    with caplog.at_level(logging.ERROR, logger="access_requests"):
        assert stream_handler(recipient)(batch, None) == failures()
    assert [e.request.id for e in recipient.delivered] == [pending(1).id, pending(3).id]
    assert "skipped stream record 2" in caplog.text
    assert "lock#2" in caplog.text


def test_a_record_without_its_images_is_reported_not_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A stream with the wrong view type stops the batch loudly instead of losing events."""
    recipient = Recipient()
    keys_only = {"eventName": "INSERT", "dynamodb": {"SequenceNumber": "2"}}
    batch = {"Records": [insert(1), keys_only, insert(3)]}
    with caplog.at_level(logging.ERROR, logger="access_requests"):
        assert stream_handler(recipient)(batch, None) == failures(2, 3)
    assert "NEW_AND_OLD_IMAGES" in caplog.text
    assert [e.request.id for e in recipient.delivered] == [pending(1).id]


def test_a_failed_delivery_is_logged_with_its_event_and_cause(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The log names the record, the event and how many follow it."""
    recipient = Recipient(failing={pending(1).id})
    with caplog.at_level(logging.ERROR, logger="access_requests"):
        stream_handler(recipient)({"Records": [insert(1), insert(2)]}, None)
    assert "stream record 1 not delivered" in caplog.text
    assert pending(1).id in caplog.text
    assert "no route to the webhook" in caplog.text
    assert "the 1 after it" in caplog.text


def test_a_redelivered_batch_gives_the_same_event_ids() -> None:
    """What Lambda sends again is delivered again, with the ids a consumer drops repeats by."""
    recipient = Recipient(failing={pending(2).id})
    handler = stream_handler(recipient)
    batch = {"Records": [insert(1), approval(1), insert(2)]}
    handler(batch, None)
    recipient.failing.clear()
    handler(batch, None)
    ids = [e.event_id for e in recipient.delivered]
    assert ids[:2] == ids[2:4]
    assert len(set(ids)) == 3


def test_an_empty_batch_reports_nothing() -> None:
    """Lambda may send an empty list."""
    assert stream_handler(Recipient())({"Records": []}, None) == failures()


def test_an_event_that_is_no_stream_batch_is_refused() -> None:
    """InvalidRequest names what is missing."""
    with pytest.raises(InvalidRequest, match=r"event\.Records"):
        stream_handler(Recipient())({"detail": {}}, None)
