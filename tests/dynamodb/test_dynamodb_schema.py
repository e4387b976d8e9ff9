"""create_table provisions the table; verify_table says how an existing one differs."""

import copy
import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from conftest import REGION
from moto import mock_aws
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import (
    TableExists,
    TableNotFound,
    create_table,
    table_definition,
    verify_table,
)

NAME = "access-requests"


@pytest.fixture
def client() -> Iterator[DynamoDBClient]:
    with mock_aws():
        yield boto3.client("dynamodb", region_name=REGION)


def provision(client: DynamoDBClient, definition: Any, ttl: bool = True) -> None:
    client.create_table(**definition)
    if ttl:
        client.update_time_to_live(
            TableName=NAME,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"},
        )


def test_create_table_provisions_exactly_what_verify_table_expects(
    client: DynamoDBClient,
) -> None:
    """A table from create_table has its key, its three indexes, on-demand billing and TTL."""
    create_table(client, NAME)
    table = client.describe_table(TableName=NAME)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    indexes = {index["IndexName"]: index for index in table["GlobalSecondaryIndexes"]}
    assert indexes["gsi-profile"]["KeySchema"] == [
        {"AttributeName": "profile", "KeyType": "HASH"},
        {"AttributeName": "created_at", "KeyType": "RANGE"},
    ]
    assert set(indexes) == {"gsi-requester", "gsi-status", "gsi-profile"}
    ttl = client.describe_time_to_live(TableName=NAME)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "ttl")
    assert verify_table(client, NAME) == []


def test_create_table_refuses_a_table_that_exists(client: DynamoDBClient) -> None:
    """A second create_table raises TableExists naming the table."""
    create_table(client, NAME)
    with pytest.raises(TableExists, match=NAME):
        create_table(client, NAME)


def test_create_table_carries_on_where_the_backend_has_no_ttl_api(
    client: DynamoDBClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Without a TTL API the table is still made, and a warning says what is missing."""

    def no_ttl_api(**_: Any) -> None:
        raise ClientError(
            {"Error": {"Code": "UnknownOperationException", "Message": "unknown"}},
            "UpdateTimeToLive",
        )

    monkeypatch.setattr(client, "update_time_to_live", no_ttl_api)
    monkeypatch.setattr(client, "describe_time_to_live", no_ttl_api)
    with caplog.at_level(logging.WARNING, logger="access_requests"):
        create_table(client, NAME)
    assert "no TTL API" in caplog.text
    assert verify_table(client, NAME) == [
        "TTL is not enabled: this backend has no TTL API, so expired requests are never removed"
    ]


def test_verify_table_raises_table_not_found_for_no_table(client: DynamoDBClient) -> None:
    """A table that is not there is TableNotFound, as every store operation reports it."""
    with pytest.raises(TableNotFound, match="the table does not exist") as raised:
        verify_table(client, NAME)
    assert (raised.value.operation, raised.value.table) == ("verify_table", NAME)


def test_verify_table_reports_a_missing_index(client: DynamoDBClient) -> None:
    """A missing GSI is reported with the keys it must have."""
    definition = copy.deepcopy(table_definition(NAME))
    definition["GlobalSecondaryIndexes"] = [
        index
        for index in definition["GlobalSecondaryIndexes"]
        if index["IndexName"] != "gsi-status"
    ]
    definition["AttributeDefinitions"] = [
        attribute
        for attribute in definition["AttributeDefinitions"]
        if attribute["AttributeName"] != "status"
    ]
    provision(client, definition)
    assert verify_table(client, NAME) == [
        "global secondary index 'gsi-status' is missing: it must have partition key"
        " 'status' (S), sort key 'created_at' (S) and projection ALL"
    ]


def test_verify_table_reports_a_wrong_key_schema(client: DynamoDBClient) -> None:
    """A table keyed on something else, or with a number key, is reported in words."""
    definition: Any = copy.deepcopy(table_definition(NAME))
    definition["KeySchema"] = [
        {"AttributeName": "requester", "KeyType": "HASH"},
        {"AttributeName": "id", "KeyType": "RANGE"},
    ]
    definition["AttributeDefinitions"].append({"AttributeName": "id", "AttributeType": "N"})
    definition["AttributeDefinitions"] = [
        a
        for a in definition["AttributeDefinitions"]
        if not (a["AttributeName"] == "id" and a["AttributeType"] == "S")
    ]
    provision(client, definition)
    assert verify_table(client, NAME) == [
        "the table has key schema partition key 'requester', sort key 'id',"
        " expected partition key 'id'",
        "the table: key attribute 'id' has type N, expected S (string)",
    ]


def test_verify_table_reports_ttl_disabled(client: DynamoDBClient) -> None:
    """A table without TTL is told how to enable it."""
    provision(client, table_definition(NAME), ttl=False)
    assert verify_table(client, NAME) == [
        "TTL is disabled: enable it on attribute 'ttl' so that DynamoDB removes"
        " expired requests"
    ]


def test_verify_table_reports_ttl_on_another_attribute(client: DynamoDBClient) -> None:
    """TTL on the wrong attribute is as good as none."""
    provision(client, table_definition(NAME), ttl=False)
    client.update_time_to_live(
        TableName=NAME,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"},
    )
    assert verify_table(client, NAME) == [
        "TTL is enabled on attribute 'expires', expected 'ttl'"
    ]


def test_verify_table_reports_every_difference_at_once(client: DynamoDBClient) -> None:
    """Provisioned billing, a KEYS_ONLY index, a wrong index key and no TTL: four lines."""
    definition: Any = copy.deepcopy(table_definition(NAME))
    definition["BillingMode"] = "PROVISIONED"
    throughput = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    definition["ProvisionedThroughput"] = throughput
    for index in definition["GlobalSecondaryIndexes"]:
        index["ProvisionedThroughput"] = throughput
        if index["IndexName"] == "gsi-requester":
            index["Projection"] = {"ProjectionType": "KEYS_ONLY"}
        if index["IndexName"] == "gsi-profile":
            index["KeySchema"] = [{"AttributeName": "profile", "KeyType": "HASH"}]
    provision(client, definition, ttl=False)
    assert verify_table(client, NAME) == [
        "the table's billing mode is PROVISIONED, expected PAY_PER_REQUEST"
        " (on-demand capacity)",
        "index 'gsi-requester' projects KEYS_ONLY, expected ALL",
        "index 'gsi-profile' has key schema partition key 'profile', expected"
        " partition key 'profile', sort key 'created_at'",
        "TTL is disabled: enable it on attribute 'ttl' so that DynamoDB removes"
        " expired requests",
    ]
