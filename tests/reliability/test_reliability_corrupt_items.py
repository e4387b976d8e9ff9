"""Corrupt items: get and every listing raise CorruptItem naming the id and the attribute.

Nothing is silently skipped or defaulted. Items are written straight into the
table (on the moto server), as another writer or a bad migration would.
"""

from typing import Any

import pytest
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.adapters.dynamodb.codec import encode_request
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import RequestStatus
from access_requests.ports import CorruptItem, RequestStore

# (what is wrong, attribute, new value or None to remove it, listings that see it)
CORRUPTIONS: list[tuple[str, str, Any, list[str]]] = [
    ("missing attribute", "justification", None, ["requester", "profile", "status", "pending"]),
    ("wrong type", "duration", {"S": "1h"}, ["requester", "profile", "status", "pending"]),
    ("number as text", "approver", {"N": "7"}, ["requester", "profile", "status", "pending"]),
    (
        "unparsable timestamp",
        "expires_at",
        {"S": "next tuesday"},
        ["requester", "profile", "status", "pending"],
    ),
    (
        "unparsable sort key",
        "created_at",
        {"S": "2026-01-15 03:53:45"},
        ["requester", "profile", "status", "pending"],
    ),
    ("unknown status", "status", {"S": "revoked"}, ["requester", "profile"]),
    ("malformed id", "id", {"S": "NOT-AN-ID"}, ["requester", "profile", "status", "pending"]),
]


def _listing(store: RequestStore, kind: str) -> Any:
    if kind == "requester":
        return store.list_by_requester("alice")
    if kind == "profile":
        return store.list_by_profile("prod")
    if kind == "status":
        return store.list_by_status(RequestStatus.PENDING)
    return store.list_pending()


def _write_corrupt(
    table: tuple[DynamoDBClient, str], clock: ManualClock, attribute: str, value: Any
) -> str:
    """Store one good request, then one corrupt item; return the corrupt item's id."""
    client, name = table
    good = make_request(clock(), requester="alice", profile="prod")
    client.put_item(TableName=name, Item=encode_request(good))
    corrupt = make_request(clock(), requester="alice", profile="prod")
    item: dict[str, Any] = encode_request(corrupt)
    if value is None:
        del item[attribute]
    else:
        item[attribute] = value
    client.put_item(TableName=name, Item=item)
    return str(item["id"]["S"])


@pytest.mark.parametrize(
    ("attribute", "value"),
    [(case[1], case[2]) for case in CORRUPTIONS if case[1] != "id"],
    ids=[case[0] for case in CORRUPTIONS if case[1] != "id"],
)
def test_get_of_a_corrupt_item_names_its_id_and_attribute(
    attribute: str,
    value: Any,
    server_table: tuple[DynamoDBClient, str],
    server_store: DynamoDBRequestStore,
    clock: ManualClock,
) -> None:
    """get raises CorruptItem; the error says which item and which attribute."""
    request_id = _write_corrupt(server_table, clock, attribute, value)
    with pytest.raises(CorruptItem) as raised:
        server_store.get(request_id)
    assert (raised.value.request_id, raised.value.attribute) == (request_id, attribute)
    assert request_id in str(raised.value)
    assert attribute in str(raised.value)


@pytest.mark.parametrize(
    ("attribute", "value", "kind"),
    [(case[1], case[2], kind) for case in CORRUPTIONS for kind in case[3]],
    ids=[f"{case[0]}-{kind}" for case in CORRUPTIONS for kind in case[3]],
)
def test_a_listing_with_a_corrupt_item_raises_instead_of_skipping_it(
    attribute: str,
    value: Any,
    kind: str,
    server_table: tuple[DynamoDBClient, str],
    server_store: DynamoDBRequestStore,
    clock: ManualClock,
) -> None:
    """A page is never returned with a corrupt item left out or patched up."""
    request_id = _write_corrupt(server_table, clock, attribute, value)
    with pytest.raises(CorruptItem) as raised:
        _listing(server_store, kind)
    assert (raised.value.request_id, raised.value.attribute) == (request_id, attribute)
