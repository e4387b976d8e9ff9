"""The Go system's request store, simulated from its documented behaviour.

Built from Go's documentation and the spec's description of the Go store,
never from this library's code, so that the tests that use it check the two
systems against each other:

- ``time.RFC3339Nano`` is ``"2006-01-02T15:04:05.999999999Z07:00"``: the
  fraction's trailing zeros are dropped, and the dot with them when none is
  left; ``Z07:00`` writes ``Z`` at offset zero, else ``+hh:mm``/``-hh:mm``.
  Parsing takes 1 to 9 fractional digits and keeps the offset written, so
  that formatting the parsed time again gives its form back, trimmed.
- Time is kept to the nanosecond: an instant is whole nanoseconds since the
  Unix epoch together with the offset it is shown in.
- The store writes whole items with PutItem: durations as int64 nanoseconds,
  ``ttl`` as ``ExpiresAt.Unix()``, approver fields only when not empty.
- Update reads the item, parses updated_at, formats it again, and writes the
  whole item with ``attribute_exists(id) AND updated_at = :old_updated_at``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
from mypy_boto3_dynamodb import DynamoDBClient

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND_NS = 10**9
_PATTERN = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})"
)


class GoConditionFailed(Exception):
    """The Go store's ErrConcurrentModification (or ErrRequestExists on create)."""


@attrs.frozen
class GoTime:
    """A Go time.Time: nanoseconds since the epoch, shown at ``offset_minutes`` from UTC."""

    unix_ns: int
    offset_minutes: int = 0

    def format(self) -> str:
        """``t.Format(time.RFC3339Nano)``."""
        seconds, nanos = divmod(self.unix_ns, _SECOND_NS)
        zone = timezone(timedelta(minutes=self.offset_minutes))
        local = (_EPOCH + timedelta(seconds=seconds)).astimezone(zone)
        text = local.strftime("%Y-%m-%dT%H:%M:%S")
        fraction = f"{nanos:09d}".rstrip("0")
        if fraction:
            text += "." + fraction
        if self.offset_minutes == 0:
            return text + "Z"
        sign = "+" if self.offset_minutes > 0 else "-"
        hours, minutes = divmod(abs(self.offset_minutes), 60)
        return f"{text}{sign}{hours:02d}:{minutes:02d}"

    def utc(self) -> GoTime:
        """``t.UTC()``."""
        return GoTime(self.unix_ns)

    def unix(self) -> int:
        """``t.Unix()``: whole seconds, rounded down."""
        return self.unix_ns // _SECOND_NS

    def add(self, nanoseconds: int) -> GoTime:
        """``t.Add(d)``."""
        return GoTime(self.unix_ns + nanoseconds, self.offset_minutes)

    @classmethod
    def parse(cls, text: str) -> GoTime:
        """``time.Parse(time.RFC3339Nano, text)``."""
        match = _PATTERN.fullmatch(text)
        if match is None:
            raise ValueError(f"parsing time {text!r}")
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        offset = 0
        if zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            offset = sign * (int(zone[1:3]) * 60 + int(zone[4:6]))
        local = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=UTC
        )
        seconds = (local - _EPOCH) // timedelta(seconds=1) - offset * 60
        nanos = int((fraction or "").ljust(9, "0"))
        return cls(seconds * _SECOND_NS + nanos, offset)

    @classmethod
    def at(cls, moment: datetime, nanoseconds: int = 0, offset_minutes: int = 0) -> GoTime:
        """The instant ``moment`` (and ``nanoseconds`` more), shown at an offset."""
        micros = (moment - _EPOCH) // timedelta(microseconds=1)
        return cls(micros * 1000 + nanoseconds, offset_minutes)


@attrs.define
class GoRequest:
    """The Go system's Request struct."""

    id: str
    requester: str
    profile: str
    justification: str
    duration_ns: int
    status: str
    created_at: GoTime
    updated_at: GoTime
    expires_at: GoTime
    approver: str = ""
    approver_comment: str = ""

    def item(self) -> dict[str, Any]:
        """The item Go's marshalling writes for this request."""
        item: dict[str, Any] = {
            "id": {"S": self.id},
            "requester": {"S": self.requester},
            "profile": {"S": self.profile},
            "justification": {"S": self.justification},
            "duration": {"N": str(self.duration_ns)},
            "status": {"S": self.status},
            "created_at": {"S": self.created_at.format()},
            "updated_at": {"S": self.updated_at.format()},
            "expires_at": {"S": self.expires_at.format()},
            "ttl": {"N": str(self.expires_at.unix())},
        }
        if self.approver:
            item["approver"] = {"S": self.approver}
        if self.approver_comment:
            item["approver_comment"] = {"S": self.approver_comment}
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> GoRequest:
        """What Go's unmarshalling reads from an item; unknown attributes are dropped."""
        return cls(
            id=item["id"]["S"],
            requester=item["requester"]["S"],
            profile=item["profile"]["S"],
            justification=item["justification"]["S"],
            duration_ns=int(item["duration"]["N"]),
            status=item["status"]["S"],
            created_at=GoTime.parse(item["created_at"]["S"]),
            updated_at=GoTime.parse(item["updated_at"]["S"]),
            expires_at=GoTime.parse(item["expires_at"]["S"]),
            approver=item.get("approver", {}).get("S", ""),
            approver_comment=item.get("approver_comment", {}).get("S", ""),
        )


class GoStore:
    """The Go system's DynamoDBStore on one table."""

    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def create(self, request: GoRequest) -> None:
        """PutItem with ``attribute_not_exists(id)``."""
        self._put(request, "attribute_not_exists(id)", {})

    def get(self, request_id: str) -> GoRequest:
        """GetItem, unmarshalled."""
        response = self._client.get_item(
            TableName=self._table, Key={"id": {"S": request_id}}, ConsistentRead=True
        )
        return GoRequest.from_item(dict(response["Item"]))

    def update(
        self, request_id: str, *, status: str, approver: str, comment: str, now: GoTime
    ) -> GoRequest:
        """Read, decide, and write the whole item under the lock on updated_at."""
        request = self.get(request_id)
        old = request.updated_at.format()
        request.status = status
        request.approver = approver
        request.approver_comment = comment
        request.updated_at = now
        self._put(
            request,
            "attribute_exists(id) AND updated_at = :old_updated_at",
            {":old_updated_at": {"S": old}},
        )
        return request

    def _put(self, request: GoRequest, condition: str, values: dict[str, Any]) -> None:
        extra: dict[str, Any] = {"ExpressionAttributeValues": values} if values else {}
        try:
            self._client.put_item(
                TableName=self._table,
                Item=request.item(),
                ConditionExpression=condition,
                **extra,
            )
        except self._client.exceptions.ConditionalCheckFailedException as error:
            raise GoConditionFailed(request.id) from error
