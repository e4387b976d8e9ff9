"""The table's stream: create_table and the template turn it on; verify_table checks it."""

import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from conftest import REGION
from moto import mock_aws
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import (
    cloudformation_template,
    create_table,
    table_definition,
    verify_table,
)
from access_requests.cli import ExitStatus, main

NAME = "access-requests"


@pytest.fixture
def client() -> Iterator[DynamoDBClient]:
    """A client of moto's in-process DynamoDB."""
    with mock_aws():
        yield boto3.client("dynamodb", region_name=REGION)


def provision(client: DynamoDBClient, stream: Any) -> None:
    """The store's table with ``stream`` as its StreamSpecification (None: no stream)."""
    definition = table_definition(NAME)
    del definition["StreamSpecification"]
    if stream is not None:
        definition["StreamSpecification"] = stream
    client.create_table(**definition)
    client.update_time_to_live(
        TableName=NAME, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )


def test_create_table_makes_a_table_ready_for_events(client: DynamoDBClient) -> None:
    """The stream is on, with both images; verify_table(events=True) finds nothing."""
    create_table(client, NAME)
    table = client.describe_table(TableName=NAME)["Table"]
    assert table["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    assert verify_table(client, NAME, events=True) == []


def test_a_table_without_a_stream_serves_the_store_but_not_events(
    client: DynamoDBClient,
) -> None:
    """Events are checked only when asked for, and then named with the remedy."""
    provision(client, None)
    assert verify_table(client, NAME) == []
    (problem,) = verify_table(client, NAME, events=True)
    assert problem.startswith("the stream is not enabled")
    assert "NEW_AND_OLD_IMAGES" in problem


@pytest.mark.parametrize("view", ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE"])
def test_a_stream_without_both_images_is_reported(client: DynamoDBClient, view: str) -> None:
    """The view type found, the one expected, and why."""
    provision(client, {"StreamEnabled": True, "StreamViewType": view})
    (problem,) = verify_table(client, NAME, events=True)
    assert f"view type is {view}, expected NEW_AND_OLD_IMAGES" in problem
    assert "decision cannot be told from a touch" in problem


def test_the_template_turns_the_stream_on_and_names_it() -> None:
    """CloudFormation's StreamSpecification, and the stream's ARN as an output."""
    template = cloudformation_template(NAME)
    table = template["Resources"]["AccessRequestsTable"]
    assert table["Properties"]["StreamSpecification"] == {
        "StreamViewType": "NEW_AND_OLD_IMAGES"
    }
    assert template["Outputs"]["StreamArn"] == {
        "Value": {"Fn::GetAtt": ["AccessRequestsTable", "StreamArn"]}
    }


def test_table_verify_events_on_the_command_line(
    moto_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``table verify --events`` exits 12 with the stream's problem, 0 once it is right."""
    name = f"cli-{uuid.uuid4().hex[:8]}"
    where = ["--endpoint-url", moto_server, "--table", name, "--json"]
    assert main(["table", "create", *where]) == ExitStatus.OK
    assert main(["table", "verify", "--events", *where]) == ExitStatus.OK
    capsys.readouterr()
    client = boto3.client("dynamodb", region_name=REGION, endpoint_url=moto_server)
    client.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert main(["table", "verify", *where]) == ExitStatus.OK
    assert main(["table", "verify", "--events", *where]) == ExitStatus.TABLE_DIFFERS
    *_, verified = capsys.readouterr().out.splitlines()
    assert json.loads(verified)["problems"][0].startswith("the stream is not enabled")
    client.delete_table(TableName=name)
