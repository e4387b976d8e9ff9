"""The table the store needs: provisioning it, and checking an existing one."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from ...domain import AccessRequestError
from .errors import error_code, translate
from .names import INDEXES, PARTITION_KEY, SORT_KEY
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
    }


def cloudformation_template(table_name: str) -> dict[str, Any]:
    """Return a CloudFormation template of exactly the table ``create_table`` makes."""
    definition = table_definition(table_name)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"access-requests: the table {table_name} of access-approval requests",
        "Resources": {
            "AccessRequestsTable": {
                "Type": "AWS::DynamoDB::Table",
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
                },
            }
        },
        "Outputs": {
            "TableName": {"Value": {"Ref": "AccessRequestsTable"}},
            "TableArn": {"Value": {"Fn::GetAtt": ["AccessRequestsTable", "Arn"]}},
        },
    }


def create_table(client: DynamoDBClient, table_name: str) -> None:
    """Create the store's table, wait until it is active, and enable TTL on ``ttl``.

    Where the backend has no TTL API, log a warning and carry on.

    Raises:
        TableExists: The table is already there.
        StoreUnavailable: DynamoDB failed (AccessDenied for bad credentials).
    """
    try:
        client.create_table(**table_definition(table_name))
        client.get_waiter("table_exists").wait(
            TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 300}
        )
    except ClientError as error:
        if error_code(error) == "ResourceInUseException":
            raise TableExists(table_name) from None
        raise translate(error, "create_table", table_name) from error
    except BotoCoreError as error:
        raise translate(error, "create_table", table_name) from error
    try:
        client.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )
    except ClientError as error:
        if not _lacks_ttl_api(error):
            raise translate(error, "create_table", table_name) from error
        logger.warning(
            "table %s: this backend has no TTL API (%s); expired requests will not"
            " be removed by DynamoDB",
            table_name,
            error_code(error),
        )
    logger.info("created table %s", table_name)


def verify_table(client: DynamoDBClient, table_name: str) -> list[str]:
    """Return every way an existing table differs from what the store needs; empty if none.

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
    return problems


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
