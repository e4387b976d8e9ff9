"""Every name on the wire: the table's attributes, its keys and indexes, and the listings.

The Go system reads and writes these names, so each is written here once and
every other module of the adapter (codec, schema, operations, queries) takes
it from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import attrs

ID = "id"
REQUESTER = "requester"
PROFILE = "profile"
JUSTIFICATION = "justification"
DURATION = "duration"
STATUS = "status"
CREATED_AT = "created_at"
UPDATED_AT = "updated_at"
EXPIRES_AT = "expires_at"
APPROVER = "approver"
APPROVER_COMMENT = "approver_comment"
TTL = "ttl"
"""expires_at as Unix seconds, for DynamoDB's TTL (the Go system writes it too)."""
PREVIOUS_UPDATED_AT = "previous_updated_at"
"""This library's own attribute: the lock token an update replaced, so that a
write retried after its response was lost knows itself. The Go system drops it
when it rewrites an item; nothing needs it to read one."""

STREAM_VIEW_TYPE: Final = "NEW_AND_OLD_IMAGES"
"""What the table's stream carries: both images, since whether a MODIFY is a
decision depends on the status before it (``access_requests.events``)."""

PARTITION_KEY = ID
SORT_KEY = CREATED_AT
"""Every index's sort key: newest first is descending created_at."""


@attrs.frozen
class Listing:
    """One listing: its name in cursors, the index it queries and that index's key."""

    name: str
    index: str
    key: str


BY_REQUESTER = Listing("requester", "gsi-requester", REQUESTER)
BY_STATUS = Listing("status", "gsi-status", STATUS)
BY_PROFILE = Listing("profile", "gsi-profile", PROFILE)
PENDING = Listing("pending", BY_STATUS.index, STATUS)

INDEXES: Mapping[str, str] = {
    listing.index: listing.key for listing in (BY_REQUESTER, BY_STATUS, BY_PROFILE)
}
"""Each global secondary index and its partition key; all sort on created_at."""

_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")


def require_table_name(table_name: object) -> str:
    """Return ``table_name`` if DynamoDB accepts it as a table name, else raise ValueError."""
    if not isinstance(table_name, str) or not _TABLE_NAME.fullmatch(table_name):
        raise ValueError(
            f"table_name must be 3 to 255 letters, digits, '_', '-' or '.', got {table_name!r}"
        )
    return table_name
