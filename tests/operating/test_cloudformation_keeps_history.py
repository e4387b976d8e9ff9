"""The CloudFormation table survives its stack and can be recovered to a point in time."""

import json

import boto3
from moto import mock_aws

from access_requests.adapters.dynamodb import cloudformation_template


def test_deleting_the_stack_leaves_the_table_and_recovery_is_on() -> None:
    """DeletionPolicy and UpdateReplacePolicy Retain; point-in-time recovery enabled."""
    template = cloudformation_template("kept")
    table = template["Resources"]["AccessRequestsTable"]
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert table["Properties"]["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": True
    }
    with mock_aws():
        stacks = boto3.client("cloudformation", region_name="us-east-1")
        stacks.create_stack(StackName="requests", TemplateBody=json.dumps(template))
        client = boto3.client("dynamodb", region_name="us-east-1")
        # Check the stack made the table, then its deletion left it
        assert client.describe_table(TableName="kept")["Table"]["TableStatus"] == "ACTIVE"
        stacks.delete_stack(StackName="requests")
        assert client.list_tables()["TableNames"] == ["kept"]
