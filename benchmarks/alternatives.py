"""What a user would write instead of this library's codec, doing the same conversions.

Every alternative turns a Request into the same item and back into the same
Request, with the same timestamp forms (``format_timestamp`` for the sort
keys, ``format_updated_at`` for updated_at, ``parse_timestamp``), durations
in nanoseconds and the ttl attribute, so that the comparison is of the codec
machinery alone:

- ``hand``: dicts written out by hand, the floor;
- ``boto3``: boto3's TypeSerializer / TypeDeserializer on a plain dict;
- ``pynamodb``: a PynamoDB Model with equivalent attributes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from pynamodb.attributes import Attribute, NumberAttribute, UnicodeAttribute
from pynamodb.constants import STRING
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from access_requests.adapters.dynamodb.codec import ttl_seconds
from access_requests.adapters.timestamps import (
    format_timestamp,
    format_updated_at,
    parse_timestamp,
)
from access_requests.domain import Request, RequestStatus

Item = dict[str, dict[str, str]]
_MICROSECOND = timedelta(microseconds=1)
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def hand_encode(request: Request) -> Item:
    """The item, written out by hand."""
    return {
        "id": {"S": request.id},
        "requester": {"S": request.requester},
        "profile": {"S": request.profile},
        "justification": {"S": request.justification},
        "duration": {"N": str(request.duration // _MICROSECOND * 1000)},
        "status": {"S": request.status.value},
        "created_at": {"S": format_timestamp(request.created_at)},
        "updated_at": {"S": format_updated_at(request.updated_at)},
        "expires_at": {"S": format_timestamp(request.expires_at)},
        "approver": {"S": request.approver},
        "approver_comment": {"S": request.approver_comment},
        "ttl": {"N": str(ttl_seconds(request.expires_at))},
    }


def hand_update_params(table: str, request: Request, now: datetime) -> dict[str, Any]:
    """The UpdateItem the store sends for ``request`` at ``now``, written out by hand."""
    token = request.lock_token
    assert token is not None, "a request read from the table carries its lock token"
    updated_at = max(now, request.updated_at + _MICROSECOND)
    return {
        "TableName": table,
        "Key": {"id": {"S": request.id}},
        "UpdateExpression": "SET #status = :status, #approver = :approver,"
        " #approver_comment = :approver_comment, #updated_at = :updated_at,"
        " #previous_updated_at = :token",
        "ConditionExpression": "attribute_exists(#id) AND #updated_at = :token"
        " AND #status = :pending AND attribute_type(#requester, :S)"
        " AND attribute_type(#profile, :S) AND attribute_type(#justification, :S)"
        " AND attribute_type(#duration, :N) AND attribute_type(#created_at, :S)"
        " AND attribute_type(#expires_at, :S)",
        "ExpressionAttributeNames": {
            f"#{name}": name
            for name in (
                "id",
                "status",
                "approver",
                "approver_comment",
                "updated_at",
                "previous_updated_at",
                "requester",
                "profile",
                "justification",
                "duration",
                "created_at",
                "expires_at",
            )
        },
        "ExpressionAttributeValues": {
            ":status": {"S": request.status.value},
            ":approver": {"S": request.approver},
            ":approver_comment": {"S": request.approver_comment},
            ":updated_at": {"S": format_updated_at(updated_at)},
            ":token": {"S": token},
            ":pending": {"S": RequestStatus.PENDING.value},
            ":S": {"S": "S"},
            ":N": {"S": "N"},
        },
        "ReturnValues": "ALL_NEW",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }


def hand_decode(item: Item) -> Request:
    """The Request read out of the item by hand, the stored updated_at its lock token."""
    return Request(
        id=item["id"]["S"],
        requester=item["requester"]["S"],
        profile=item["profile"]["S"],
        justification=item["justification"]["S"],
        duration=timedelta(microseconds=int(item["duration"]["N"]) // 1000),
        status=RequestStatus(item["status"]["S"]),
        created_at=parse_timestamp(item["created_at"]["S"]),
        updated_at=parse_timestamp(item["updated_at"]["S"]),
        expires_at=parse_timestamp(item["expires_at"]["S"]),
        approver=item.get("approver", {}).get("S", ""),
        approver_comment=item.get("approver_comment", {}).get("S", ""),
        lock_token=item["updated_at"]["S"],
    )


def plain_encode(request: Request) -> dict[str, Any]:
    """The item as plain Python values, with the same conversions."""
    return {
        "id": request.id,
        "requester": request.requester,
        "profile": request.profile,
        "justification": request.justification,
        "duration": request.duration // _MICROSECOND * 1000,
        "status": request.status.value,
        "created_at": format_timestamp(request.created_at),
        "updated_at": format_updated_at(request.updated_at),
        "expires_at": format_timestamp(request.expires_at),
        "approver": request.approver,
        "approver_comment": request.approver_comment,
        "ttl": ttl_seconds(request.expires_at),
    }


def boto3_encode(request: Request) -> dict[str, Any]:
    """A plain dict with the same conversions, typed by boto3's TypeSerializer."""
    return {name: _serializer.serialize(value) for name, value in plain_encode(request).items()}


def boto3_decode(item: dict[str, Any]) -> Request:
    """The item untyped by boto3's TypeDeserializer, then the same conversions back."""
    return plain_decode(
        {name: _deserializer.deserialize(value) for name, value in item.items()}
    )


def plain_decode(plain: dict[str, Any]) -> Request:
    """The Request read out of an item of plain Python values, the same conversions back."""
    duration: Decimal | int | float = plain["duration"]
    return Request(
        id=plain["id"],
        requester=plain["requester"],
        profile=plain["profile"],
        justification=plain["justification"],
        duration=timedelta(microseconds=int(duration) // 1000),
        status=RequestStatus(plain["status"]),
        created_at=parse_timestamp(plain["created_at"]),
        updated_at=parse_timestamp(plain["updated_at"]),
        expires_at=parse_timestamp(plain["expires_at"]),
        approver=plain.get("approver", ""),
        approver_comment=plain.get("approver_comment", ""),
        lock_token=plain["updated_at"],
    )


class Rfc3339Attribute(Attribute[datetime]):
    """A datetime stored as this library stores it."""

    attr_type = STRING

    def serialize(self, value: datetime) -> str:
        return format_timestamp(value)

    def deserialize(self, value: str) -> datetime:
        return parse_timestamp(value)


class GoUpdatedAtAttribute(Rfc3339Attribute):
    """updated_at, stored in Go's RFC3339Nano form as this library stores it."""

    def serialize(self, value: datetime) -> str:
        return format_updated_at(value)


class _ByRequester(GlobalSecondaryIndex["PynamoRequest"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = "gsi-requester"
        projection = AllProjection()

    requester = UnicodeAttribute(hash_key=True)
    created_at = Rfc3339Attribute(range_key=True)


class PynamoRequest(Model):
    """The request as a PynamoDB Model, attribute for attribute."""

    class Meta:
        table_name = "access-requests"
        region = "us-east-1"

    id = UnicodeAttribute(hash_key=True)
    requester = UnicodeAttribute()
    profile = UnicodeAttribute()
    justification = UnicodeAttribute()
    duration = NumberAttribute()
    status = UnicodeAttribute()
    created_at = Rfc3339Attribute()
    updated_at = GoUpdatedAtAttribute()
    expires_at = Rfc3339Attribute()
    approver = UnicodeAttribute(default="")
    approver_comment = UnicodeAttribute(default="")
    ttl = NumberAttribute()
    by_requester = _ByRequester()


def to_pynamo(request: Request) -> PynamoRequest:
    """The request as a PynamoDB model instance."""
    return PynamoRequest(
        request.id,
        requester=request.requester,
        profile=request.profile,
        justification=request.justification,
        duration=request.duration // _MICROSECOND * 1000,
        status=request.status.value,
        created_at=request.created_at,
        updated_at=request.updated_at,
        expires_at=request.expires_at,
        approver=request.approver,
        approver_comment=request.approver_comment,
        ttl=ttl_seconds(request.expires_at),
    )


def from_pynamo(model: PynamoRequest) -> Request:
    """The Request a PynamoDB model instance holds."""
    return Request(
        id=model.id,
        requester=model.requester,
        profile=model.profile,
        justification=model.justification,
        duration=timedelta(microseconds=int(model.duration) // 1000),
        status=RequestStatus(model.status),
        created_at=model.created_at,
        updated_at=model.updated_at,
        expires_at=model.expires_at,
        approver=model.approver,
        approver_comment=model.approver_comment,
    )


def pynamodb_encode(request: Request) -> dict[str, dict[str, Any]]:
    """The item, from a PynamoDB model instance."""
    return to_pynamo(request).serialize()


def pynamodb_decode(item: dict[str, Any]) -> Request:
    """The Request, through PynamoDB's ``from_raw_data``."""
    return from_pynamo(PynamoRequest.from_raw_data(item))
