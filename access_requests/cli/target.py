"""The table a command works on, and the client that reaches it."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from botocore.exceptions import InvalidRegionError

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
    """Return the recommended DynamoDB client for --region and --endpoint-url."""
    with _settings_checked():
        return recommended_client(region_name=args.region, endpoint_url=args.endpoint_url)


def store(args: argparse.Namespace) -> DynamoDBRequestStore:
    """Return the store on the command's table, built as a service builds it."""
    name = table_name(args)
    with _settings_checked():
        return store_from_environment(
            table_name=name, region_name=args.region, endpoint_url=args.endpoint_url
        )


@contextmanager
def _settings_checked() -> Iterator[None]:
    """Report a malformed setting from the environment as the usage error it is.

    The options are checked as they are parsed; this catches what botocore
    reads from the environment or the shared config, such as
    AWS_ENDPOINT_URL_DYNAMODB=localhost:8000, which it refuses with a bare
    ValueError.
    """
    try:
        yield
    except InvalidRegionError:
        raise  # a ValueError too, with a message and an exit status of its own
    except ValueError as error:
        raise UsageError(
            f"{error} (check the AWS settings, such as AWS_ENDPOINT_URL_DYNAMODB:"
            " an endpoint is a URL such as http://localhost:8000)"
        ) from error
