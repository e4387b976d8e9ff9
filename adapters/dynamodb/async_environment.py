"""Async counterparts of ``recommended_config``, ``store_from_environment``, ``create_table``.

For services on asyncio: the same recommendation, settings and table as the
sync ones, through aiobotocore (the ``async`` extra). aiobotocore is needed
to call these, not to import this module.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from ...ports import Clock
from .client import RECOMMENDED_OPTIONS
from .environment import TABLE_VARIABLE, TableNotConfigured
from .errors import (
    InvalidAWSSettings,
    settings_error,
    without_credentials,
)
from .schema import TTL_ON, WAITING, creation_failure, table_definition, ttl_refused

if TYPE_CHECKING:
    from aiobotocore.config import AioConfig
    from aiobotocore.session import AioSession
    from types_aiobotocore_dynamodb import DynamoDBClient

    from ...aio import AsyncDynamoDBRequestStore

logger = logging.getLogger("access_requests")


def recommended_aio_config(**overrides: Any) -> AioConfig:
    """Return ``recommended_config()`` as an aiobotocore AioConfig: the same options.

    Args:
        overrides: Any AioConfig option, replacing the recommendation.
    """
    from aiobotocore.config import AioConfig

    return AioConfig(**{**RECOMMENDED_OPTIONS, **overrides})


@asynccontextmanager
async def async_store_from_environment(
    *,
    table_name: str | None = None,
    clock: Clock | None = None,
    session: AioSession | None = None,
    region_name: str | None = None,
    endpoint_url: str | None = None,
    **config_overrides: Any,
) -> AsyncIterator[AsyncDynamoDBRequestStore]:
    """Yield an AsyncDynamoDBRequestStore configured by the environment, its client open.

    ``async with async_store_from_environment() as store:`` reads what
    ``store_from_environment`` reads (``$ACCESS_REQUESTS_TABLE``, the standard
    AWS settings) and closes the client at the end of the block: enter it
    once for the process, as a FastAPI lifespan does.

    Raises:
        TableNotConfigured: No table_name, and ACCESS_REQUESTS_TABLE is unset or empty.
        InvalidAWSSettings: The AWS settings cannot make a client.
    """
    from aiobotocore.session import get_session

    from ...aio import AsyncDynamoDBRequestStore

    table = table_name or os.environ.get(TABLE_VARIABLE)
    if not table:
        raise TableNotConfigured()
    creating = (session or get_session()).create_client(
        "dynamodb",
        region_name=region_name,
        endpoint_url=endpoint_url,
        config=recommended_aio_config(**config_overrides),
    )
    try:
        client = await creating.__aenter__()
    except BotoCoreError as error:
        raise (settings_error(error) or error) from error
    except ValueError as error:  # botocore's refusal of a malformed endpoint
        raise InvalidAWSSettings(
            f"{error} (check the AWS settings, such as AWS_ENDPOINT_URL_DYNAMODB)"
        ) from error
    try:
        logger.debug(
            "async store on table %s at %s, region %s",
            table,
            without_credentials(client.meta.endpoint_url),
            client.meta.region_name,
        )
        yield AsyncDynamoDBRequestStore(client, table, clock=clock)
    finally:
        await creating.__aexit__(None, None, None)


async def create_table_async(client: DynamoDBClient, table_name: str) -> None:
    """``create_table`` through an aiobotocore client: create, wait until active, enable TTL.

    The same calls as ``create_table``, their failures read by the same functions.

    Raises:
        TableExists: The table is already there.
        StoreUnavailable: DynamoDB failed (AccessDenied for bad credentials).
    """
    try:
        await client.create_table(**table_definition(table_name))
        waiter = client.get_waiter("table_exists")
        await waiter.wait(TableName=table_name, WaiterConfig=WAITING)
    except (ClientError, BotoCoreError) as error:
        raise creation_failure(error, table_name) from error
    try:
        await client.update_time_to_live(TableName=table_name, TimeToLiveSpecification=TTL_ON)
    except ClientError as error:
        ttl_refused(error, table_name)
    logger.info("created table %s", table_name)
