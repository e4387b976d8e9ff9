"""The table a command works on, and the client that reaches it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import boto3

from ..adapters.dynamodb import (
    TABLE_VARIABLE,
    DynamoDBRequestStore,
    recommended_client,
    recommended_config,
    store_from_environment,
)
from .exit_codes import UsageError

# Where AWS serves DynamoDB (its partitions' domains): anywhere else is an emulator.
_AWS_DOMAINS = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient


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


def streams_client(
    args: argparse.Namespace, *, beside: DynamoDBClient
) -> DynamoDBStreamsClient:
    """Return a DynamoDB Streams client reaching the streams of the tables ``beside`` reaches.

    An emulator (moto, DynamoDB Local) serves the streams API at its DynamoDB
    endpoint, so a client pointed at one, by --endpoint-url or by
    AWS_ENDPOINT_URL_DYNAMODB, reads streams there too; on AWS the streams
    API has endpoints of its own, which botocore finds for the region.
    """
    endpoint = beside.meta.endpoint_url
    on_aws = urlsplit(endpoint).hostname or ""
    # ``beside`` was built from the same settings, so botocore has accepted them.
    return boto3.session.Session().client(
        "dynamodbstreams",
        region_name=beside.meta.region_name,
        endpoint_url=None if on_aws.endswith(_AWS_DOMAINS) else endpoint,
        config=recommended_config(),
    )


def store(args: argparse.Namespace) -> DynamoDBRequestStore:
    """Return the store on the command's table, built as a service builds it."""
    return store_from_environment(
        table_name=table_name(args), region_name=args.region, endpoint_url=args.endpoint_url
    )
