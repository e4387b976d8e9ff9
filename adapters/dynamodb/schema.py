"""The table the store needs: provisioning it, and checking an existing one."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from ...domain import AccessRequestError
from .errors import error_code, translate
from .names import INDEXES, PARTITION_KEY, SORT_KEY, STREAM_VIEW_TYPE
from .names import TTL as TTL_ATTRIBUTE

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import CreateTableInputTypeDef

logger = logging.getLogger("access_requests")

_NO_TTL_API = frozenset(
    {"UnknownOperationException", "NotImplementedException", "InvalidAction"}
)


class TableExists(AccessRequestError):
    """create_table was asked for a table that already exists."""

    def __init__(self, table: str) -> None:
        super().__init__(f"table {table!r} already exists; verify_table tells whether it fits")
        self.table = table


def table_definition(table_name: str) -> CreateTableInputTypeDef:
    """Return the CreateTable parameters of the store's table."""
    key_attributes = [PARTITION_KEY, SORT_KEY, *INDEXES.values()]
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in key_attributes
        ],
        "KeySchema": [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": key, "KeyType": "HASH"},
                    {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index, key in INDEXES.items()
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": STREAM_VIEW_TYPE},
    }


def cloudformation_template(table_name: str) -> dict[str, Any]:
    """Return a CloudFormation template of the table ``create_table`` makes, kept safe.

    The table holds the history of who was granted what: deleting the stack,
    or a change that replaces the table, leaves it in place
    (``DeletionPolicy`` and ``UpdateReplacePolicy`` Retain), and
    point-in-time recovery is on, so that a bad write can be undone (35 days).
    """
    definition = table_definition(table_name)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"access-requests: the table {table_name} of access-approval requests",
        "Resources": {
            "AccessRequestsTable": {
                "Type": "AWS::DynamoDB::Table",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "TableName": table_name,
                    "BillingMode": definition["BillingMode"],
                    "AttributeDefinitions": definition["AttributeDefinitions"],
                    "KeySchema": definition["KeySchema"],
                    "GlobalSecondaryIndexes": definition["GlobalSecondaryIndexes"],
                    "TimeToLiveSpecification": {
                        "AttributeName": TTL_ATTRIBUTE,
                        "Enabled": True,
                    },
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                    "StreamSpecification": {"StreamViewType": STREAM_VIEW_TYPE},
                },
            }
        },
        "Outputs": {
            "TableName": {"Value": {"Ref": "AccessRequestsTable"}},
            "TableArn": {"Value": {"Fn::GetAtt": ["AccessRequestsTable", "Arn"]}},
            "StreamArn": {"Value": {"Fn::GetAtt": ["AccessRequestsTable", "StreamArn"]}},
        },
    }


def create_table(client: DynamoDBClient, table_name: str) -> None:
    """Create the store's table and its stream, wait until it is active, and enable TTL.

    The stream carries both images (NEW_AND_OLD_IMAGES), for lifecycle events.

    Where the backend has no TTL API, log a warning and carry on.
    ``create_table_async`` (``async_environment``) makes the same calls and
    reads their failures with the same two functions below.

    Raises:
        TableExists: The table is already there.
        StoreUnavailable: DynamoDB failed (AccessDenied for bad credentials).
    """
    try:
        client.create_table(**table_definition(table_name))
        client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig=WAITING)
    except (ClientError, BotoCoreError) as error:
        raise creation_failure(error, table_name) from error
    try:
        client.update_time_to_live(TableName=table_name, TimeToLiveSpecification=TTL_ON)
    except ClientError as error:
        ttl_refused(error, table_name)
    logger.info("created table %s", table_name)


WAITING: Any = {"Delay": 1, "MaxAttempts": 300}
"""How ``create_table`` waits for the table: every second, for 5 minutes at most."""

TTL_ON: Any = {"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
"""The TimeToLiveSpecification that ``create_table`` sets."""


def creation_failure(error: ClientError | BotoCoreError, table_name: str) -> Exception:
    """Return the error to raise for a failed CreateTable or wait for the table.

    TableExists for a table already there; otherwise the port's error.
    """
    if isinstance(error, ClientError) and error_code(error) == "ResourceInUseException":
        return TableExists(table_name)
    return translate(error, "create_table", table_name)


def ttl_refused(error: ClientError, table_name: str) -> None:
    """Raise the port's error for a failed UpdateTimeToLive; warn where there is no TTL API."""
    if not _lacks_ttl_api(error):
        raise translate(error, "create_table", table_name) from error
    logger.warning(
        "table %s: this backend has no TTL API (%s); expired requests will not"
        " be removed by DynamoDB",
        table_name,
        error_code(error),
    )


def verify_table(client: DynamoDBClient, table_name: str, *, events: bool = False) -> list[str]:
    """Return every way an existing table differs from what the store needs; empty if none.

    Args:
        client: A boto3 low-level DynamoDB client.
        table_name: The table.
        events: Also check the stream that lifecycle events are read from.

    Raises:
        TableNotFound: There is no such table, as every store operation reports it.
        StoreUnavailable: DynamoDB failed (AccessDenied for bad credentials).
    """
    try:
        table = client.describe_table(TableName=table_name)["Table"]
    except ClientError as error:
        raise translate(error, "verify_table", table_name) from error
    except BotoCoreError as error:
        raise translate(error, "verify_table", table_name) from error
    types = {
        definition["AttributeName"]: definition["AttributeType"]
        for definition in table.get("AttributeDefinitions", [])
    }
    problems = _key_problems(
        "the table", table.get("KeySchema", []), [(PARTITION_KEY, "HASH")], types
    )
    billing = table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    if billing != "PAY_PER_REQUEST":
        problems.append(
            f"the table's billing mode is {billing}, expected PAY_PER_REQUEST"
            " (on-demand capacity)"
        )
    indexes = {index["IndexName"]: index for index in table.get("GlobalSecondaryIndexes", [])}
    for name, key in INDEXES.items():
        index = indexes.get(name)
        if index is None:
            problems.append(
                f"global secondary index {name!r} is missing: it must have partition"
                f" key {key!r} (S), sort key {SORT_KEY!r} (S) and projection ALL"
            )
            continue
        problems += _key_problems(
            f"index {name!r}",
            index.get("KeySchema", []),
            [(key, "HASH"), (SORT_KEY, "RANGE")],
            types,
        )
        projection = index.get("Projection", {}).get("ProjectionType")
        if projection != "ALL":
            problems.append(f"index {name!r} projects {projection}, expected ALL")
    problems += _ttl_problems(client, table_name)
    if events:
        problems += stream_problems(table)
    return problems


def stream_problems(table: Mapping[str, Any]) -> list[str]:
    """Return what keeps events from being read from a table's stream; empty if nothing.

    Args:
        table: The table as DescribeTable describes it.
    """
    specification = table.get("StreamSpecification") or {}
    if not specification.get("StreamEnabled"):
        return [
            f"the stream is not enabled: lifecycle events are read from it; enable it"
            f" with view type {STREAM_VIEW_TYPE}"
        ]
    view = specification.get("StreamViewType")
    if view != STREAM_VIEW_TYPE:
        return [
            f"the stream's view type is {view}, expected {STREAM_VIEW_TYPE}: without the"
            " old image a decision cannot be told from a touch (the view type of an"
            " existing stream cannot change: disable it, then enable it again)"
        ]
    return []


def _key_problems(
    what: str,
    key_schema: Any,
    expected: list[tuple[str, str]],
    types: Mapping[str, str],
) -> list[str]:
    found = [(key["AttributeName"], key["KeyType"]) for key in key_schema]
    problems = []
    if found != expected:
        problems.append(
            f"{what} has key schema {_describe_keys(found)},"
            f" expected {_describe_keys(expected)}"
        )
    for name, _ in expected:
        if name in dict(found) and types.get(name, "S") != "S":
            problems.append(
                f"{what}: key attribute {name!r} has type {types[name]}, expected S (string)"
            )
    return problems


def _describe_keys(keys: list[tuple[str, str]]) -> str:
    roles = {"HASH": "partition key", "RANGE": "sort key"}
    return ", ".join(f"{roles.get(kind, kind)} {name!r}" for name, kind in keys) or "none"


def _ttl_problems(client: DynamoDBClient, table_name: str) -> list[str]:
    try:
        description = client.describe_time_to_live(TableName=table_name)
    except ClientError as error:
        if _lacks_ttl_api(error):
            return [
                "TTL is not enabled: this backend has no TTL API, so expired requests"
                " are never removed"
            ]
        raise translate(error, "verify_table", table_name) from error
    ttl = description.get("TimeToLiveDescription", {})
    status = ttl.get("TimeToLiveStatus", "DISABLED")
    attribute = ttl.get("AttributeName")
    if status not in ("ENABLED", "ENABLING"):
        return [
            f"TTL is {status.lower()}: enable it on attribute {TTL_ATTRIBUTE!r}"
            " so that DynamoDB removes expired requests"
        ]
    if attribute != TTL_ATTRIBUTE:
        return [f"TTL is enabled on attribute {attribute!r}, expected {TTL_ATTRIBUTE!r}"]
    return []


def _lacks_ttl_api(error: ClientError) -> bool:
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return error_code(error) in _NO_TTL_API or status == 501
