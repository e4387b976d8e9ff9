"""The IAM policy from the library grants what the library calls, and no more."""

import fnmatch
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from cli_process import Cli
from moto import mock_aws
from moto.core.authorization import enable_iam_authentication
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import (
    AccessDenied,
    DynamoDBRequestStore,
    create_table,
    verify_table,
)
from access_requests.adapters.dynamodb.permissions import (
    PROVISIONING_ACTIONS,
    STORE_ACTIONS,
    STREAM_ACTIONS,
    iam_policy,
)
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import RequestStatus
from access_requests.ports import RequestNotFound

ACCOUNT = "123456789012"  # moto's


def calls_of(client: DynamoDBClient) -> set[str]:
    """Record the IAM action of every call ``client`` makes from now on."""
    seen: set[str] = set()

    def record(model: Any, **_: Any) -> None:
        seen.add(f"dynamodb:{model.name}")

    client.meta.events.register("before-call.dynamodb", record)
    return seen


def every_store_operation(store: DynamoDBRequestStore, clock: ManualClock) -> None:
    """Run each operation of the port, on its success and failure paths."""
    request = make_request(clock())
    store.create(request)
    store.create(request)  # a retry: reads nothing more
    stored = store.get(request.id)
    store.update(stored.approve("carol", now=clock()))
    with pytest.raises(RequestNotFound):
        store.update(make_request(clock()).approve("carol", now=clock()))  # reads once more
    store.list_by_requester(request.requester)
    store.list_by_status(RequestStatus.APPROVED)
    store.list_by_profile(request.profile)
    store.list_pending()
    store.find_active_approval(request.requester, request.profile)
    store.create(make_request(clock(), ttl=timedelta(seconds=1)))
    clock.advance(timedelta(minutes=1))
    assert store.expire_overdue() == 1
    store.delete(request.id)


def test_the_store_statement_names_exactly_what_the_store_calls(
    server_table: tuple[DynamoDBClient, str], clock: ManualClock
) -> None:
    """Every operation, on every path, calls the store statement's actions: all, and no more."""
    client, table = server_table
    seen = calls_of(client)
    every_store_operation(DynamoDBRequestStore(client, table, clock=clock), clock)
    assert seen == set(STORE_ACTIONS)


def test_the_provisioning_statement_names_exactly_what_create_and_verify_call(
    moto_server: str,
) -> None:
    """create_table (its waiter too) and verify_table call exactly the provisioning actions."""
    client = boto3.client("dynamodb", endpoint_url=moto_server)
    seen = calls_of(client)
    create_table(client, "iam-provisioned")
    assert verify_table(client, "iam-provisioned") == []
    called = set(seen)
    client.delete_table(TableName="iam-provisioned")
    assert called == set(PROVISIONING_ACTIONS)


def test_each_resource_matches_the_arns_dynamodb_authorizes(
    server_table: tuple[DynamoDBClient, str],
) -> None:
    """The table's, its indexes' and its stream's ARNs match; another table's do not."""
    client, table = server_table
    table_arn = client.describe_table(TableName=table)["Table"]["TableArn"]
    statements = {
        statement["Sid"]: statement["Resource"]
        for statement in iam_policy(
            table, region="us-east-1", account=ACCOUNT, provisioning=True, events=True
        )["Statement"]
    }

    def granted(sid: str, arn: str) -> bool:
        return any(fnmatch.fnmatchcase(arn, pattern) for pattern in statements[sid])

    # Check the store reaches the table and every index, and nothing of another table
    assert granted("AccessRequestsStore", table_arn)
    assert granted("AccessRequestsStore", f"{table_arn}/index/gsi-status")
    assert not granted("AccessRequestsStore", table_arn.replace(table, "other-table"))
    assert not granted("AccessRequestsStore", f"{table_arn}/stream/2026-01-01T00:00:00.000")
    # Check provisioning is on the table only, and the stream reader on its streams only
    assert granted("AccessRequestsProvisioning", table_arn)
    assert not granted("AccessRequestsProvisioning", f"{table_arn}/index/gsi-status")
    assert granted("AccessRequestsStreams", f"{table_arn}/stream/2026-01-01T00:00:00.000")
    assert not granted("AccessRequestsStreams", table_arn)


@pytest.fixture
def iam_enforced() -> Iterator[Any]:
    """moto in-process, with IAM enforced for the users the test creates."""
    with mock_aws():
        yield boto3.client("iam", region_name="us-east-1")


def client_of_a_user_holding(iam: Any, policy: dict[str, Any], name: str) -> DynamoDBClient:
    """A DynamoDB client of a new IAM user holding ``policy``, and nothing else.

    moto checks actions against the resource ``*`` only, so each statement's
    resources are widened to ``*`` here; the ARNs are checked above.
    """
    widened = {
        **policy,
        "Statement": [{**statement, "Resource": "*"} for statement in policy["Statement"]],
    }
    iam.create_user(UserName=name)
    iam.put_user_policy(
        UserName=name, PolicyName="access-requests", PolicyDocument=json.dumps(widened)
    )
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return boto3.client(
        "dynamodb",
        region_name="us-east-1",
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )


def test_a_user_holding_the_policy_runs_the_store_but_cannot_provision(
    iam_enforced: Any, clock: ManualClock
) -> None:
    """With the store statement alone, every operation works; create_table is AccessDenied."""
    create_table(boto3.client("dynamodb", region_name="us-east-1"), "iam-store")
    service = client_of_a_user_holding(iam_enforced, iam_policy("iam-store"), "service")
    with enable_iam_authentication():
        # Check every operation of the store is allowed
        every_store_operation(DynamoDBRequestStore(service, "iam-store", clock=clock), clock)
        # Check provisioning is not
        with pytest.raises(AccessDenied, match="AccessDenied"):
            create_table(service, "iam-another")


def test_an_operator_holding_the_provisioning_statement_creates_and_verifies(
    iam_enforced: Any,
) -> None:
    """With provisioning=True, create_table and verify_table work under enforced IAM."""
    policy = iam_policy("iam-provisioned", provisioning=True)
    operator = client_of_a_user_holding(iam_enforced, policy, "operator")
    with enable_iam_authentication():
        create_table(operator, "iam-provisioned")
        assert verify_table(operator, "iam-provisioned") == []


def test_the_statements_are_separate_and_the_stream_statement_names_its_actions() -> None:
    """Store, provisioning and stream reading are statements of their own, only when asked."""
    assert [s["Sid"] for s in iam_policy("requests")["Statement"]] == ["AccessRequestsStore"]
    every = iam_policy("requests", provisioning=True, events=True)["Statement"]
    assert [s["Sid"] for s in every] == [
        "AccessRequestsStore",
        "AccessRequestsProvisioning",
        "AccessRequestsStreams",
        "AccessRequestsStreamDiscovery",
    ]
    assert every[2]["Action"] == list(STREAM_ACTIONS)
    assert every[2]["Resource"] == ["arn:aws:dynamodb:*:*:table/requests/stream/*"]


def test_a_table_arn_gives_its_partition_region_and_account() -> None:
    """An ARN (as CloudFormation's TableArn output gives it) is taken apart, not re-guessed."""
    arn = "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/requests"
    assert iam_policy(arn)["Statement"][0]["Resource"] == [arn, f"{arn}/index/*"]


@pytest.mark.parametrize(
    ("table", "options", "says"),
    [
        ("bad name!", {}, "table_name must be 3 to 255"),
        ("requests", {"account": "12345"}, "not an AWS account id: 12 digits"),
        ("requests", {"region": "Europe"}, "not an AWS region name"),
        ("arn:aws:s3:::bucket", {}, "not a DynamoDB table ARN"),
        (
            "arn:aws:dynamodb:eu-west-1:123456789012:table/requests",
            {"region": "us-east-1"},
            "the table ARN names region 'eu-west-1', but 'us-east-1' was given",
        ),
    ],
)
def test_malformed_input_names_what_is_wrong(
    table: str, options: dict[str, str], says: str
) -> None:
    """A table, region, account or ARN that cannot be right raises ValueError saying so."""
    with pytest.raises(ValueError, match=says):
        iam_policy(table, **options)  # type: ignore[arg-type]


def test_the_command_prints_the_policy_for_the_table(cli_process: Cli) -> None:
    """table iam-policy prints the document for --table, --region, --account and the extras."""
    result = cli_process(
        "table", "iam-policy", "--region", "eu-west-1", "--account", ACCOUNT, "--provisioning"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == iam_policy(
        cli_process.table, region="eu-west-1", account=ACCOUNT, provisioning=True
    )
    wrong = cli_process("table", "iam-policy", "--account", "12345")
    assert (wrong.returncode, wrong.stdout) == (7, "")
    assert "--account: '12345' is not an AWS account id" in wrong.stderr
