"""The store a service builds from its environment, as the command line does."""

from __future__ import annotations

import logging
import os
from typing import Any

from ...domain import AccessRequestError
from ...ports import Clock
from .client import recommended_client
from .errors import without_credentials
from .store import DynamoDBRequestStore

logger = logging.getLogger("access_requests")

TABLE_VARIABLE = "ACCESS_REQUESTS_TABLE"
"""The environment variable that names the table."""


class TableNotConfigured(AccessRequestError, LookupError):
    """No table was given, and ACCESS_REQUESTS_TABLE is not set."""

    def __init__(self) -> None:
        super().__init__(
            f"no table is configured: set {TABLE_VARIABLE} to the table's name"
            " (or pass table_name)"
        )


def store_from_environment(
    *,
    table_name: str | None = None,
    clock: Clock | None = None,
    **client_overrides: Any,
) -> DynamoDBRequestStore:
    """Return a DynamoDBRequestStore configured by the environment.

    The table is ``$ACCESS_REQUESTS_TABLE``; region, credentials and endpoint
    come from the standard AWS settings (``AWS_DEFAULT_REGION``,
    ``AWS_PROFILE``, ``AWS_ENDPOINT_URL_DYNAMODB``, ...), through
    ``recommended_client``: the settings the ``access-requests`` command reads.

    Args:
        table_name: The table, instead of ``$ACCESS_REQUESTS_TABLE``.
        clock: Where the store reads the time; UTC now by default.
        client_overrides: Passed to ``recommended_client``, such as
            ``region_name``, ``endpoint_url``, ``session`` or a botocore
            Config option.

    Raises:
        TableNotConfigured: No table_name, and ACCESS_REQUESTS_TABLE is unset or empty.
        InvalidAWSSettings: The AWS settings cannot make a client (an unknown
            profile, a config file that does not parse, no region, a
            malformed region or endpoint); a ValueError.
        ValueError: The table name is malformed.
    """
    table = table_name or os.environ.get(TABLE_VARIABLE)
    if not table:
        raise TableNotConfigured()
    client = recommended_client(**client_overrides)
    store = DynamoDBRequestStore(client, table, clock=clock)
    logger.debug(
        "store on table %s at %s, region %s",
        table,
        without_credentials(client.meta.endpoint_url),
        client.meta.region_name,
    )
    return store
