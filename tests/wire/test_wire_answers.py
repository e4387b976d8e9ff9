"""The direct wire answers every call the store makes exactly as the boto3 client does."""

import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import client_for
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import create_table
from access_requests.adapters.dynamodb.direct import DirectWire
from access_requests.adapters.dynamodb.wire import JSON_DECODER

Send = Callable[[str, dict[str, Any]], dict[str, Any]]
# Headers that differ between any two responses of a server (and the checksum, as the
# twin tables' names differ in the bodies).
_PER_RESPONSE = {"date", "x-amzn-requestid", "server", "x-amz-crc32"}


def same_shape(response: dict[str, Any]) -> dict[str, Any]:
    """The response without what differs from one answer to the next (request id, date)."""
    metadata = dict(response["ResponseMetadata"])
    metadata.pop("RequestId", None)
    metadata["HTTPHeaders"] = {
        name: value
        for name, value in metadata["HTTPHeaders"].items()
        if name not in _PER_RESPONSE
    }
    return {**response, "ResponseMetadata": metadata}


def outcome(send: Send, method: str, params: dict[str, Any]) -> tuple[str, Any]:
    """What a call came to: its response, or its error's class, message and response."""
    try:
        return "answered", same_shape(send(method, params))
    except ClientError as error:
        return f"raised {type(error).__name__}: {error}", same_shape(dict(error.response))


@pytest.fixture(scope="module")
def twin_tables(moto_server: str) -> Iterator[tuple[DynamoDBClient, str, str]]:
    """Two empty tables of the store's schema on the moto server, one for each wire."""
    client = client_for(moto_server)
    names = [f"wire-{side}-{uuid.uuid4().hex[:8]}" for side in ("a", "b")]  # of one length
    for name in names:
        create_table(client, name)
    yield client, names[0], names[1]
    for name in names:
        client.delete_table(TableName=name)


def item(request_id: str, requester: str = "alice", **extra: Any) -> dict[str, Any]:
    """An item as the store writes one."""
    return {
        "id": {"S": request_id},
        "requester": {"S": requester},
        "profile": {"S": "prod"},
        "status": {"S": "pending"},
        "created_at": {"S": f"2026-01-15T03:53:{len(request_id):02d}.000000000Z"},
        "updated_at": {"S": "2026-01-15T03:53:45.12345Z"},
        "duration": {"N": "3600000000000"},
        **extra,
    }


def put(table: str, new: dict[str, Any]) -> dict[str, Any]:
    """The store's create: a conditional PutItem returning the old item when it fails."""
    return {
        "TableName": table,
        "Item": new,
        "ConditionExpression": "attribute_not_exists(#id)",
        "ExpressionAttributeNames": {"#id": "id"},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }


def update(table: str, request_id: str, token: str) -> dict[str, Any]:
    """The store's update: a conditional UpdateItem returning the new or the old item."""
    return {
        "TableName": table,
        "Key": {"id": {"S": request_id}},
        "UpdateExpression": "SET #status = :status, #updated_at = :updated_at",
        "ConditionExpression": "attribute_exists(#id) AND #updated_at = :token",
        "ExpressionAttributeNames": {
            "#id": "id",
            "#status": "status",
            "#updated_at": "updated_at",
        },
        "ExpressionAttributeValues": {
            ":status": {"S": "approved"},
            ":updated_at": {"S": "2026-01-15T03:54:00Z"},
            ":token": {"S": token},
        },
        "ReturnValues": "ALL_NEW",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }


def scenario(table: str) -> list[tuple[str, dict[str, Any]]]:
    """Every kind of call the store makes, and each way it can end."""
    binary: dict[str, Any] = {"blob": {"B": b"\x00\xffbytes"}, "blobs": {"BS": [b"\x01"]}}
    nested: dict[str, Any] = {
        "doc": {"M": {"inner": {"L": [{"B": b"\x03"}, {"S": "x"}, {"NULL": True}]}}}
    }

    def read(request_id: str) -> tuple[str, dict[str, Any]]:
        key = {"id": {"S": request_id}}
        return "get_item", {"TableName": table, "Key": key, "ConsistentRead": True}

    calls: list[tuple[str, dict[str, Any]]] = [
        ("put_item", put(table, item("r-1"))),
        ("put_item", put(table, item("r-1"))),  # refused: the old item comes back
        ("put_item", put(table, item("r-22", **binary, **nested))),
        ("put_item", put(table, item("r-333", requester="bob"))),
        read("r-1"),
        (
            "get_item",
            {"TableName": table, "Key": {"id": {"S": "r-22"}}, "ConsistentRead": True},
        ),
        (
            "get_item",
            {"TableName": table, "Key": {"id": {"S": "none"}}, "ConsistentRead": True},
        ),
        ("update_item", update(table, "r-1", "2026-01-15T03:53:45.12345Z")),
        ("update_item", update(table, "r-1", "2026-01-15T03:53:45.12345Z")),  # stale token
        ("update_item", update(table, "none", "2026-01-15T03:53:45.12345Z")),  # no old item
        ("delete_item", {"TableName": table, "Key": {"id": {"S": "r-333"}}}),
        ("delete_item", {"TableName": table, "Key": {"id": {"S": "none"}}}),
    ]
    query = {
        "TableName": table,
        "IndexName": "gsi-requester",
        "KeyConditionExpression": "#key = :key",
        "ExpressionAttributeNames": {"#key": "requester"},
        "ExpressionAttributeValues": {":key": {"S": "alice"}},
        "ScanIndexForward": False,
    }
    calls.append(("query", {**query, "Limit": 1}))  # a page with LastEvaluatedKey
    calls.append(("query", query))
    calls.append(("get_item", {"TableName": "no-such-table", "Key": {"id": {"S": "r-1"}}}))
    return calls


def test_every_call_of_the_store_answers_as_on_botocore(
    twin_tables: tuple[DynamoDBClient, str, str],
) -> None:
    """Responses, failed conditions with their old items, and errors are botocore's exactly."""
    client, botocore_table, direct_table = twin_tables
    wire = DirectWire(client)

    def on_botocore(method: str, params: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = getattr(client, method)(**params)
        return response

    theirs = [outcome(on_botocore, *call) for call in scenario(botocore_table)]
    ours = [outcome(wire.send, *call) for call in scenario(direct_table)]
    # Check the table names aside, call by call
    for (method, _), mine, botocores in zip(scenario("t"), ours, theirs, strict=True):
        assert repr(mine).replace(direct_table, "T") == repr(botocores).replace(
            botocore_table, "T"
        ), method
    # Check that the scenario met each way a call ends
    endings = {ending for ending, _ in ours}
    assert "raised ConditionalCheckFailedException: An error occurred" in " ".join(endings)
    assert any("ResourceNotFoundException" in ending for ending in endings)
    assert ours[1][1]["Item"]["id"] == {"S": "r-1"}
    assert ours[5][1]["Item"]["blob"] == {"B": b"\x00\xffbytes"}


def test_a_method_the_wire_does_not_speak_is_refused(moto_server: str) -> None:
    """A boto3 method outside the store's five is a ValueError naming those it speaks."""
    wire = DirectWire(client_for(moto_server))
    with pytest.raises(ValueError, match="does not speak 'scan'; it speaks put_item"):
        wire.send("scan", {"TableName": "t"})


def test_the_fast_decoder_is_used_where_installed() -> None:
    """With the ``fast`` extra (installed for the tests), orjson reads the answers."""
    assert JSON_DECODER == "orjson"


def test_the_standard_json_reads_and_writes_the_same_without_orjson() -> None:
    """Without orjson, the standard library writes the same body and reads the same answer."""
    script = (
        "import sys; sys.modules['orjson'] = None\n"
        "from access_requests.adapters.dynamodb import wire\n"
        "assert wire.JSON_DECODER == 'json', wire.JSON_DECODER\n"
        "body = wire._dumps({'Item': {'b': {'B': b'\\x00'}, 'n': {'N': '1'}}})\n"
        "print(body.decode())\n"
        'reply = wire.Reply(200, {}, b\'{"Item":{"b":{"B":"AA=="}}}\')\n'
        "print(wire._parse(reply)['Item'])\n"
    )
    printed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert printed == ['{"Item":{"b":{"B":"AA=="},"n":{"N":"1"}}}', "{'b': {'B': b'\\x00'}}"]
