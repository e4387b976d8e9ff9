"""The table a command works on, and the client that reaches it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..adapters.dynamodb import (
    TABLE_VARIABLE,
    DynamoDBRequestStore,
    recommended_client,
    store_from_environment,
)
from .exit_codes import UsageError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def table_name(args: argparse.Namespace) -> str:
    """Return the table the command names, from --table or ACCESS_REQUESTS_TABLE."""
    if args.table:
        return str(args.table)
    raise UsageError(f"no table given: pass --table or set {TABLE_VARIABLE}")


def client(args: argparse.Namespace) -> DynamoDBClient:
    """Return the recommended DynamoDB client for --region and --endpoint-url.

    A setting botocore refuses (a profile, the config file, the region, the
    endpoint) is raised as InvalidAWSSettings, a usage error.
    """
    return recommended_client(region_name=args.region, endpoint_url=args.endpoint_url)


def store(args: argparse.Namespace) -> DynamoDBRequestStore:
    """Return the store on the command's table, built as a service builds it."""
    return store_from_environment(
        table_name=table_name(args), region_name=args.region, endpoint_url=args.endpoint_url
    )
