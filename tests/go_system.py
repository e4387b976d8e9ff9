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
- ``Validate`` holds the fields only: requester and profile not empty, a
  justification of 10 to 500 bytes, a duration of more than 0 and at most 8
  hours, a known status. It compares no timestamps and limits no other text,
  so ``go_requests`` draws everything it allows: long names and comments on
  pending requests, expires_at at or before created_at, updated_at anywhere,
  durations and fractions to the nanosecond, offsets up to +-23:59.
- FindApprovedRequest queries the requester's index newest first (as
  DynamoDB orders the strings) and returns the first approved request for
  the profile with ``now <= ExpiresAt`` and ``now <= CreatedAt + Duration``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
from hypothesis import strategies as st
from mypy_boto3_dynamodb import DynamoDBClient

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND_NS = 10**9
MAX_DURATION_NS = 8 * 3600 * _SECOND_NS
WIDEST_OFFSET_MINUTES = 23 * 60 + 59
STATUSES = ("pending", "approved", "denied", "expired", "cancelled")
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

    def validate(self) -> None:
        """Go's ``Validate``: the fields' own rules, and no comparison of timestamps."""
        problems = [
            "requester is required" if not self.requester else "",
            "profile is required" if not self.profile else "",
            "justification must be 10 to 500 bytes"
            if not 10 <= len(self.justification.encode()) <= 500
            else "",
            "duration must be positive and at most 8h"
            if not 0 < self.duration_ns <= MAX_DURATION_NS
            else "",
            f"unknown status {self.status}" if self.status not in STATUSES else "",
        ]
        wrong = [problem for problem in problems if problem]
        if wrong:
            raise ValueError("; ".join(wrong))

    def grants_access(self, now: GoTime) -> bool:
        """FindApprovedRequest's test of one request, to the nanosecond."""
        return (
            self.status == "approved"
            and now.unix_ns <= self.expires_at.unix_ns
            and now.unix_ns <= self.created_at.unix_ns + self.duration_ns
        )

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
        """Validate, then PutItem with ``attribute_not_exists(id)``."""
        request.validate()
        self._put(request, "attribute_not_exists(id)", {})

    def find_approved_request(
        self, requester: str, profile: str, now: GoTime
    ) -> GoRequest | None:
        """FindApprovedRequest: the newest granting request, in the index's string order."""
        pages = self._client.get_paginator("query").paginate(
            TableName=self._table,
            IndexName="gsi-requester",
            KeyConditionExpression="requester = :requester",
            ExpressionAttributeValues={":requester": {"S": requester}},
            ScanIndexForward=False,
        )
        for page in pages:
            for item in page.get("Items", []):
                request = GoRequest.from_item(dict(item))
                if request.profile == profile and request.grants_access(now):
                    return request
        return None

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
        request.validate()
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


def go_times(
    around_ns: int, spread_ns: int, offsets: st.SearchStrategy[int] | None = None
) -> st.SearchStrategy[GoTime]:
    """Go times within ``spread_ns`` of ``around_ns``, at ``offsets`` (any Go reads)."""
    return st.builds(
        GoTime,
        st.integers(around_ns - spread_ns, around_ns + spread_ns),
        offsets
        if offsets is not None
        else st.integers(-WIDEST_OFFSET_MINUTES, WIDEST_OFFSET_MINUTES),
    )


def go_durations() -> st.SearchStrategy[int]:
    """Durations Go's Validate takes: under a microsecond, whole seconds, any nanoseconds."""
    return st.one_of(
        st.integers(1, 999),
        st.integers(1, 8 * 3600).map(lambda seconds: seconds * _SECOND_NS),
        st.integers(1, MAX_DURATION_NS),
    )


def go_texts(shortest: int, longest: int) -> st.SearchStrategy[str]:
    """Text Go stores as it is: any characters but lone surrogates."""
    return st.text(
        st.characters(exclude_categories=["Cs"]), min_size=shortest, max_size=longest
    )


def go_justifications() -> st.SearchStrategy[str]:
    """Justifications of 10 to 500 bytes of UTF-8, as Go counts them."""
    return go_texts(10, 500).filter(lambda text: 10 <= len(text.encode()) <= 500)


@st.composite
def go_requests(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] | None = None,
    requesters: st.SearchStrategy[str] | None = None,
    profiles: st.SearchStrategy[str] | None = None,
    statuses: st.SearchStrategy[str] | None = None,
    created_ats: st.SearchStrategy[GoTime] | None = None,
    ttls_ns: st.SearchStrategy[int] | None = None,
) -> GoRequest:
    """Any request Go's Validate accepts, as a Go host with any clock writes it.

    expires_at is created_at plus a ttl that may be 0 or negative; updated_at
    lies anywhere around created_at; each timestamp has its own offset; the
    approver and comment may be long, also on a pending request.
    """
    created_at = draw(created_ats or go_times(1_768_449_225 * _SECOND_NS, 10**15))
    ttl = draw(ttls_ns or st.integers(-2 * 86_400 * _SECOND_NS, 2 * 86_400 * _SECOND_NS))
    offsets = st.integers(-WIDEST_OFFSET_MINUTES, WIDEST_OFFSET_MINUTES)
    request = GoRequest(
        id=draw(ids or st.from_regex(r"[0-9a-f]{16}", fullmatch=True)),
        requester=draw(requesters or go_texts(1, 300)),
        profile=draw(profiles or go_texts(1, 300)),
        justification=draw(go_justifications()),
        duration_ns=draw(go_durations()),
        status=draw(statuses or st.sampled_from(STATUSES)),
        created_at=created_at,
        updated_at=draw(go_times(created_at.unix_ns, 3 * 86_400 * _SECOND_NS, offsets)),
        expires_at=GoTime(created_at.unix_ns + ttl, draw(offsets)),
        approver=draw(go_texts(0, 300)),
        approver_comment=draw(go_texts(0, 1500)),
    )
    request.validate()
    return request
