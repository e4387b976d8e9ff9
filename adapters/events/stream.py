"""Events from the table's stream: DynamoDB Streams records, and a Lambda handler.

DynamoDB Streams sees every write by every system, in order per item, so
the events read from it are the durable ones. The stream must carry both
images (view type NEW_AND_OLD_IMAGES): whether a MODIFY is a decision
depends on the status before it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from ...domain import InvalidRequest, Request
from ...ports import CorruptItem
from ..dynamodb.codec import decode_item, item_id
from ..dynamodb.names import STREAM_VIEW_TYPE
from .notifier import Notifier
from .payload import RequestEvent, event_of_write

logger = logging.getLogger("access_requests")

VIEW_TYPE = STREAM_VIEW_TYPE
"""The stream view type events are read from: NEW_AND_OLD_IMAGES."""

StreamHandler = Callable[[Mapping[str, Any], object], dict[str, list[dict[str, str]]]]
"""A Lambda handler of DynamoDB stream batches, with a partial batch response."""


def event_from_record(record: Mapping[str, Any]) -> RequestEvent | None:
    """Return the event one stream record carries, or None if it is no lifecycle change.

    An INSERT of a pending request is created; a MODIFY from pending to a
    final status is that status's event. Anything else gives None: pending
    to pending, a rewrite of a final request, a REMOVE (by a delete or by
    TTL), an INSERT of a final request. ``record`` is one record as Lambda
    delivers it or as ``dynamodbstreams.get_records`` returns it.

    Raises:
        InvalidRequest: The record is not a DynamoDB Streams record, or lacks
            an image it needs (the stream's view type is not NEW_AND_OLD_IMAGES).
        CorruptItem: An image is not a request.
    """
    if not isinstance(record, Mapping):
        raise InvalidRequest("record", f"must be a mapping, got {type(record).__name__}")
    name = record.get("eventName")
    if name == "REMOVE":
        return None
    if name == "INSERT":
        return event_of_write(_image(record, "NewImage"), before=None)
    if name == "MODIFY":
        before = _image(record, "OldImage")
        return event_of_write(_image(record, "NewImage"), before=before.status)
    raise InvalidRequest("record.eventName", f"must be INSERT, MODIFY or REMOVE, got {name!r}")


def _image(record: Mapping[str, Any], key: str) -> Request:
    change = record.get("dynamodb")
    if not isinstance(change, Mapping):
        raise InvalidRequest("record.dynamodb", f"must be a mapping, got {change!r}"[:120])
    image = change.get(key)
    if image is None:
        view = change.get("StreamViewType", "not named")
        raise InvalidRequest(
            f"record.dynamodb.{key}",
            f"is missing: the stream's view type must be {VIEW_TYPE} (it is {view})",
        )
    if not isinstance(image, Mapping):
        keys = change.get("Keys")
        request_id = item_id(keys) if isinstance(keys, Mapping) else repr(None)
        raise CorruptItem(request_id, key, f"must be an item, got {type(image).__name__}")
    return decode_item(image)


def stream_handler(notifier: Notifier) -> StreamHandler:
    """Return a Lambda handler delivering a DynamoDB stream batch's events through ``notifier``.

    The handler delivers records in order, and answers with Lambda's partial
    batch response (the event source mapping needs FunctionResponseTypes
    ``ReportBatchItemFailures``). A record that is not a request is logged
    and skipped, never reported: a poison record must not block its shard.
    When a delivery fails, or a record cannot be read at all (a stream
    without both images), that record and every later one are reported by
    SequenceNumber, so that Lambda redelivers them in order. Delivery is at
    least once; ``event_id`` lets a consumer drop repeats.
    """

    def handler(event: Mapping[str, Any], context: object) -> dict[str, list[dict[str, str]]]:
        records = _records(event)
        for position, record in enumerate(records):
            try:
                change = event_from_record(record)
            except CorruptItem as error:
                logger.error(
                    "skipped stream record %s: %s", _sequence_number(record, position), error
                )
                continue
            except InvalidRequest:
                return _report_from(records, position, "cannot be read")
            if change is None:
                continue
            try:
                notifier.notify(change)
            except Exception:
                return _report_from(records, position, f"not delivered ({change.event_id})")
        return {"batchItemFailures": []}

    return handler


def _records(event: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    records = event.get("Records") if isinstance(event, Mapping) else None
    if not isinstance(records, list):
        raise InvalidRequest("event.Records", "must be the list of a DynamoDB stream batch")
    return records


def _report_from(
    records: list[Mapping[str, Any]], first: int, why: str
) -> dict[str, list[dict[str, str]]]:
    """Report the record at ``first`` and every later one: Lambda redelivers them in order."""
    logger.exception(
        "stream record %s %s; it and the %d after it are reported for redelivery",
        _sequence_number(records[first], first),
        why,
        len(records) - first - 1,
    )
    failures = [
        {"itemIdentifier": _sequence_number(record, position)}
        for position, record in enumerate(records[first:], start=first)
    ]
    return {"batchItemFailures": failures}


def _sequence_number(record: object, position: int) -> str:
    """A record's SequenceNumber, Lambda's identifier of it in a partial batch response."""
    change = record.get("dynamodb") if isinstance(record, Mapping) else None
    number = change.get("SequenceNumber") if isinstance(change, Mapping) else None
    if not isinstance(number, str) or not number:
        raise InvalidRequest(
            f"Records[{position}].dynamodb.SequenceNumber",
            "is missing: the record cannot be reported",
        )
    return number
