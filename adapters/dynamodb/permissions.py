"""The IAM policy that lets a service, an operator or a stream reader use the table, no more.

Each statement names exactly the DynamoDB actions that the library's own
calls make (``tests/operating/test_iam_policy.py`` records every call of every
operation and holds the statements to them):

- ``AccessRequestsStore``: what ``DynamoDBRequestStore`` and
  ``AsyncDynamoDBRequestStore`` call. GetItem (get, and the one consistent
  read after a failed condition without an old item), PutItem (create),
  UpdateItem (update, the sweep), DeleteItem (delete), Query (every listing,
  the access check and the sweep, on the indexes).
- ``AccessRequestsProvisioning`` (``provisioning=True``): what
  ``create_table`` and ``verify_table`` call. CreateTable, DescribeTable (the
  waiter until the table is active, and verify), UpdateTimeToLive and
  DescribeTimeToLive.
- ``AccessRequestsStreams`` (``events=True``): reading the table's stream,
  as a Lambda event source mapping or ``events tail`` does: DescribeStream,
  GetRecords, GetShardIterator and ListStreams on the table's stream ARNs, and
  DescribeTable on the table (where the latest stream ARN is found).
"""

from __future__ import annotations

import re
from typing import Any

from .names import require_table_name

STORE_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
)
"""What the stores call, on the table and its indexes."""

PROVISIONING_ACTIONS = (
    "dynamodb:CreateTable",
    "dynamodb:DescribeTable",
    "dynamodb:UpdateTimeToLive",
    "dynamodb:DescribeTimeToLive",
)
"""What ``create_table`` and ``verify_table`` call, on the table."""

STREAM_ACTIONS = (
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
)
"""What a reader of the table's stream calls, on the stream's ARNs."""

_TABLE_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):dynamodb:(?P<region>[a-z0-9-]+|\*)"
    r":(?P<account>[0-9]{12}|\*):table/(?P<table>[A-Za-z0-9_.-]{3,255})"
)
_REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-[0-9]+")
_ACCOUNT = re.compile(r"[0-9]{12}")


def iam_policy(
    table: str,
    *,
    region: str | None = None,
    account: str | None = None,
    provisioning: bool = False,
    events: bool = False,
) -> dict[str, Any]:
    """Return an IAM policy document granting what the library calls on ``table``, and no more.

    Args:
        table: The table's name, or its ARN (``arn:aws:dynamodb:REGION:ACCOUNT:table/NAME``,
            as the CloudFormation template's ``TableArn`` output gives it).
        region: The table's region; ``*`` (any) when neither this nor the ARN says.
        account: The table's 12-digit account id; ``*`` (any) when neither this
            nor the ARN says.
        provisioning: Add the statement for ``create_table`` and ``verify_table``
            (an operator's or a deployment's role, not a service's).
        events: Add the statement for reading the table's stream.

    Raises:
        ValueError: The table, region or account is malformed, or the ARN
            contradicts ``region`` or ``account``.
    """
    partition, region, account, name = _table_parts(table, region, account)
    table_arn = f"arn:{partition}:dynamodb:{region}:{account}:table/{name}"
    statements: list[dict[str, Any]] = [
        _allow("AccessRequestsStore", STORE_ACTIONS, [table_arn, f"{table_arn}/index/*"])
    ]
    if provisioning:
        statements.append(
            _allow("AccessRequestsProvisioning", PROVISIONING_ACTIONS, [table_arn])
        )
    if events:
        statements.append(
            _allow("AccessRequestsStreams", STREAM_ACTIONS, [f"{table_arn}/stream/*"])
        )
        statements.append(
            _allow("AccessRequestsStreamDiscovery", ("dynamodb:DescribeTable",), [table_arn])
        )
    return {"Version": "2012-10-17", "Statement": statements}


def _allow(sid: str, actions: tuple[str, ...], resources: list[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": list(actions), "Resource": resources}


def _table_parts(
    table: str, region: str | None, account: str | None
) -> tuple[str, str, str, str]:
    """Return the table's partition, region, account and name, from its ARN or the arguments."""
    if table.startswith("arn:"):
        match = _TABLE_ARN.fullmatch(table)
        if match is None:
            raise ValueError(
                f"{table!r} is not a DynamoDB table ARN, such as"
                " arn:aws:dynamodb:eu-west-1:123456789012:table/access-requests"
            )
        for given, found, what in (
            (region, match["region"], "region"),
            (account, match["account"], "account"),
        ):
            if given is not None and given != found:
                raise ValueError(
                    f"the table ARN names {what} {found!r}, but {given!r} was given"
                )
        return match["partition"], match["region"], match["account"], match["table"]
    require_table_name(table)
    if region is not None and not _REGION.fullmatch(region):
        raise ValueError(f"{region!r} is not an AWS region name, such as eu-west-1")
    if account is not None and not _ACCOUNT.fullmatch(account):
        raise ValueError(f"{account!r} is not an AWS account id: 12 digits")
    return "aws", region or "*", account or "*", table
