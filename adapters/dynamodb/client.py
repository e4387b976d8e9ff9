"""The boto3 client configuration this library recommends for the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def recommended_config(**overrides: Any) -> Config:
    """Return the botocore Config recommended for a DynamoDBRequestStore's client.

    - ``retries``: standard mode, 5 attempts in all (the first and 4
      retries). Throttling, 5xx errors, timeouts and dropped connections are
      retried with exponential backoff and jitter; only once they are spent
      does the store raise StoreUnavailable. A write whose response was lost
      and that botocore sent again is recognised as the caller's own.
    - ``connect_timeout`` 2 s and ``read_timeout`` 5 s: a stalled connection
      is given up and retried, rather than waited on for botocore's default
      of 60 s.
    - ``tcp_keepalive``: connections dropped while idle are noticed.

    Args:
        overrides: Any botocore Config option, replacing the recommendation.
    """
    recommended = Config(
        retries={"mode": "standard", "total_max_attempts": 5},
        connect_timeout=2,
        read_timeout=5,
        tcp_keepalive=True,
    )
    return recommended.merge(Config(**overrides)) if overrides else recommended


def recommended_client(
    *,
    region_name: str | None = None,
    endpoint_url: str | None = None,
    session: boto3.session.Session | None = None,
    **overrides: Any,
) -> DynamoDBClient:
    """Return a low-level DynamoDB client built with ``recommended_config``.

    Region, credentials and endpoint come from the standard AWS settings
    (environment, shared config, ``AWS_ENDPOINT_URL_DYNAMODB``) unless given.
    """
    session = session or boto3.session.Session()
    return session.client(
        "dynamodb",
        region_name=region_name,
        endpoint_url=endpoint_url,
        config=recommended_config(**overrides),
    )
