"""The boto3 client configuration this library recommends for the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError

from .errors import InvalidAWSSettings, settings_error

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

BOTO3_CLIENT = "a boto3 low-level DynamoDB client, as from boto3.client('dynamodb')"
AIOBOTOCORE_CLIENT = (
    "an aiobotocore low-level DynamoDB client, as from"
    " `async with get_session().create_client('dynamodb') as client`"
)


def require_dynamodb_client(client: object, *, expected: str = BOTO3_CLIENT) -> None:
    """Raise TypeError unless ``client`` is a low-level DynamoDB client.

    ``expected`` says, in the error, what kind of client the store takes.
    """
    model = getattr(getattr(client, "meta", None), "service_model", None)
    if getattr(model, "service_name", None) == "dynamodb":
        return
    hint = " (a resource: pass its .meta.client)" if hasattr(client, "Table") else ""
    raise TypeError(f"client must be {expected}, got {type(client).__name__}{hint}")


RECOMMENDED_OPTIONS: dict[str, Any] = {
    "retries": {"mode": "legacy", "total_max_attempts": 5},
    "connect_timeout": 2,
    "read_timeout": 5,
    "tcp_keepalive": True,
}
"""The options of ``recommended_config``, for a botocore Config or an aiobotocore AioConfig."""


def recommended_config(**overrides: Any) -> Config:
    """Return the botocore Config recommended for a DynamoDBRequestStore's client.

    - ``retries``: legacy mode, 5 attempts in all (the first and 4
      retries). Throttling (ThrottlingException,
      ProvisionedThroughputExceededException, HTTP 429), 5xx errors (500,
      502, 503, 504), read timeouts and dropped or refused connections are
      retried with exponential backoff (50 ms, doubling, without jitter);
      only once the 5 attempts are spent does the store raise
      StoreUnavailable. A write whose response was lost and that botocore
      sent again is recognised as the caller's own from what is stored (a
      create finds exactly its item; an update finds its decision over its
      token, which the item's ``previous_updated_at`` records), in every
      retry mode.

      Not standard mode (botocore's default): it retries only while a retry
      quota per client lasts, and a retry that ends in an HTTP 400, such as
      the failed condition of a write that meets its own applied write, never
      gives its units back. After about 35 lost responses the quota is empty,
      botocore stops retrying, and writes that were applied are reported as
      StoreUnavailable: 15 of 200 creates, and 15 of 200 updates, with 30%
      of first responses lost (tests/test_reliability_lost_responses.py).
      Legacy mode has no quota, so nothing that happened earlier can stop a
      retry; the 5 attempts still bound how much a failing backend is
      retried. It is a documented option of the Config alone, so every
      client built from this Config gets it, with no hook on botocore's
      internals (refunding the quota, or a quota that never runs dry, would
      need one, and only ``recommended_client`` could install it). What it
      gives up: jitter, and standard mode's longer backoff for throttling.
    - ``connect_timeout`` 2 s and ``read_timeout`` 5 s: a stalled connection
      is given up and retried, rather than waited on for botocore's default
      of 60 s.
    - ``tcp_keepalive``: connections dropped while idle are noticed.

    Args:
        overrides: Any botocore Config option, replacing the recommendation.
    """
    recommended = Config(**RECOMMENDED_OPTIONS)
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

    Raises:
        InvalidAWSSettings: The settings cannot make a client: an unknown
            profile, a config file that does not parse, no region or a
            malformed one, a malformed endpoint.
    """
    try:
        session = session or boto3.session.Session()
        return session.client(
            "dynamodb",
            region_name=region_name,
            endpoint_url=endpoint_url,
            config=recommended_config(**overrides),
        )
    except BotoCoreError as error:
        raise (settings_error(error) or error) from error
    except ValueError as error:  # botocore's refusal of a malformed endpoint
        raise InvalidAWSSettings(
            f"{error} (check the AWS settings, such as AWS_ENDPOINT_URL_DYNAMODB:"
            " an endpoint is a URL such as http://localhost:8000)"
        ) from error
