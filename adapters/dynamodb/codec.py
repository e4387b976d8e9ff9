"""The item codec: Request to DynamoDB item and back, in the Go system's format.

One private cattrs converter, built the preconf way (``make_converter`` and
``configure_converter``); ``cattrs.global_converter`` is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ...domain import WHOLE_MICROSECONDS, InvalidRequest, Nanoseconds, Request, RequestStatus
from ...ports import CorruptItem
from ..lock import decision
from ..timestamps import (
    format_timestamp,
    format_timestamp_ns,
    format_updated_at,
    nanoseconds_past_microsecond,
    parse_timestamp,
)
from .names import TTL

AttributeValue = dict[str, str]
"""One attribute in DynamoDB's low-level form, such as ``{"S": "pending"}``."""

Item = dict[str, AttributeValue]
"""A request as a DynamoDB item in low-level form."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,30}")
_SECOND = timedelta(seconds=1)
_MICROSECOND = timedelta(microseconds=1)


def _string_attribute(value: str) -> AttributeValue:
    return {"S": value}


def _timestamp_attribute(value: datetime) -> AttributeValue:
    return {"S": format_timestamp(value)}


def _updated_at_attribute(value: datetime) -> AttributeValue:
    return {"S": format_updated_at(value)}


def _duration_attribute(value: timedelta) -> AttributeValue:
    return {"N": str(value // _MICROSECOND * 1000)}


def _status_attribute(value: RequestStatus) -> AttributeValue:
    return {"S": value.value}


def _string(value: Any, _: object = None) -> str:
    """The text of an S attribute. Structure hooks take the target type; it is unused."""
    if type(value) is dict and len(value) == 1:
        text = value.get("S")
        if type(text) is str:
            return text
    raise ValueError(f"must be an S attribute, got {_describe(value)}")


def _timestamp(value: Any, _: object = None) -> datetime:
    return parse_timestamp(_string(value))


def _duration(value: Any, _: object = None) -> timedelta:
    if type(value) is dict and len(value) == 1:
        number = value.get("N")
        if type(number) is str and _WHOLE_NUMBER.fullmatch(number):
            nanoseconds = int(number)
            if 0 < nanoseconds < 1000:
                return _MICROSECOND  # a positive Go duration under a microsecond is not zero
            return timedelta(microseconds=nanoseconds // 1000)
    raise ValueError(f"must be an N attribute of whole nanoseconds, got {_describe(value)}")


def _status(value: Any, _: object = None) -> RequestStatus:
    text = _string(value)
    try:
        return RequestStatus(text)
    except ValueError:
        raise ValueError(f"holds the unknown status {text!r}") from None


def _describe(value: Any) -> str:
    if isinstance(value, dict) and len(value) == 1:
        ((kind, content),) = value.items()
        return f"{kind} {content!r}"[:80]
    return repr(value)[:80]


def make_converter() -> cattrs.Converter:
    """Return a new converter between Request and items; see configure_converter."""
    converter = cattrs.Converter()
    configure_converter(converter)
    return converter


def configure_converter(converter: cattrs.Converter) -> None:
    """Configure ``converter`` for the item format shared with the Go system.

    - ``str`` fields (id, requester, profile, justification, approver,
      approver_comment) are S attributes holding the text as it is.
    - ``created_at`` and ``expires_at`` are S attributes: RFC 3339 in UTC
      with exactly nine fractional digits and ``Z``, so that string order is
      time order (created_at is every index's sort key).
    - ``updated_at`` is an S attribute exactly as Go's
      ``t.UTC().Format(time.RFC3339Nano)`` writes it (trailing zeros dropped,
      no fraction at a whole second), since the Go system's update conditions
      on its own re-formatting of the value it read.
    - Every timestamp reads in any RFC3339Nano form (0 to 9 digits, ``Z`` or
      an offset), rounded down to the microsecond; the digits of created_at
      and expires_at past the microsecond (a Go writer's) go to
      ``Request.nanoseconds`` (``decode_item``), and are written back as the
      last three of the nine digits (``encode_request``), so that a round
      trip is exact and the access check follows them, as Go's does.
    - ``lock_token`` is not written; reading sets it to the stored updated_at
      string, exactly as it is, which update conditions on.
    - ``timedelta`` (duration) is an N attribute of whole nanoseconds. A Go
      duration that is not a whole number of microseconds reads rounded down
      (a positive one under a microsecond as one microsecond), and keeps its
      exact nanoseconds in ``Request.nanoseconds.duration``, which
      ``encode_request`` writes back.
    - ``RequestStatus`` is an S attribute holding the status's value.
    - A missing approver or approver_comment reads as empty (attrs defaults).
    - ``ttl`` is not a field: ``encode_request`` adds it, reading ignores it,
      as it ignores any attribute it does not know.
    """
    converter.register_unstructure_hook(str, _string_attribute)
    converter.register_structure_hook(str, _string)
    converter.register_unstructure_hook(datetime, _timestamp_attribute)
    converter.register_structure_hook(datetime, _timestamp)
    converter.register_unstructure_hook(timedelta, _duration_attribute)
    converter.register_structure_hook(timedelta, _duration)
    converter.register_unstructure_hook(RequestStatus, _status_attribute)
    converter.register_structure_hook(RequestStatus, _status)
    converter.register_unstructure_hook(
        Request,
        make_dict_unstructure_fn(
            Request,
            converter,
            updated_at=override(unstruct_hook=_updated_at_attribute),
            lock_token=override(omit=True),
            nanoseconds=override(omit=True),
        ),
    )
    converter.register_structure_hook(
        Request,
        make_dict_structure_fn(
            Request,
            converter,
            lock_token=override(rename="updated_at", struct_hook=_string),
            nanoseconds=override(omit=True),
        ),
    )


_CONVERTER = make_converter()
_unstructure = _CONVERTER.get_unstructure_hook(Request)
_structure = _CONVERTER.get_structure_hook(Request)


def encode_request(request: Request) -> Item:
    """Return the item that stores ``request``, ttl included."""
    item: Item = _unstructure(request)
    digits = request.nanoseconds
    if digits != WHOLE_MICROSECONDS:
        item["created_at"] = {"S": format_timestamp_ns(request.created_at, digits.created_at)}
        item["expires_at"] = {"S": format_timestamp_ns(request.expires_at, digits.expires_at)}
        item["duration"] = {"N": str(request.duration_ns)}
    item[TTL] = {"N": str(ttl_seconds(request.expires_at))}
    return item


def encode_decision(request: Request) -> Item:
    """Return the attributes an update writes of ``request`` besides updated_at."""
    return {name: _CONVERTER.unstructure(value) for name, value in decision(request).items()}


def decode_item(item: Mapping[str, Any]) -> Request:
    """Return the Request an item stores.

    Raises:
        CorruptItem: The item lacks an attribute, has one of the wrong type, or
            holds a value no Request can have; it names the id and the attribute.
    """
    try:
        request: Request = _structure(item, Request)
    except ClassValidationError as error:
        attribute, reason = _first_failure(error)
        raise CorruptItem(item_id(item), attribute, reason) from error
    digits = _nanoseconds(item)
    if digits == WHOLE_MICROSECONDS:
        return request
    try:
        return attrs.evolve(request, nanoseconds=digits)
    except InvalidRequest as error:  # a duration over 8 h by Go's nanoseconds
        raise CorruptItem(item_id(item), error.field, error.rule) from error


def _nanoseconds(item: Mapping[str, Any]) -> Nanoseconds:
    """The digits past the microsecond of an item that decoded: Go's, or none."""
    duration = int(item["duration"]["N"])
    return Nanoseconds(
        created_at=nanoseconds_past_microsecond(item["created_at"]["S"]),
        expires_at=nanoseconds_past_microsecond(item["expires_at"]["S"]),
        duration=duration if duration % 1000 else None,
    )


def ttl_seconds(expires_at: datetime) -> int:
    """Return expires_at as Unix seconds, rounded down, as the ttl attribute holds it."""
    return (expires_at - _EPOCH) // _SECOND


def item_id(item: Mapping[str, Any]) -> str:
    """Return an item's id for an error message, whatever shape the item is in."""
    value = item.get("id")
    if isinstance(value, dict) and isinstance(value.get("S"), str):
        return str(value["S"])
    return repr(value)


def _first_failure(error: ClassValidationError) -> tuple[str, str]:
    """Return the attribute and reason of the first failure cattrs collected."""
    for failure in error.exceptions:
        if isinstance(failure, InvalidRequest):
            return failure.field, failure.rule
        for note in getattr(failure, "__notes__", ()):
            name = getattr(note, "name", None)
            if isinstance(name, str):
                return name, "is missing" if isinstance(failure, KeyError) else str(failure)
    return "item", str(error)
