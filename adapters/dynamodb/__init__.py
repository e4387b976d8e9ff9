"""The DynamoDB adapter: the sync and async stores, their item codec and their table.

The table's item format is the Go system's, so that both can share one table.
"""

from .async_environment import (
    async_store_from_environment,
    create_table_async,
    recommended_aio_config,
)
from .client import recommended_client, recommended_config
from .environment import TABLE_VARIABLE, TableNotConfigured, store_from_environment
from .errors import AccessDenied, InvalidAWSSettings, TableDiffers, TableNotFound
from .names import INDEXES
from .permissions import iam_policy
from .schema import (
    TableExists,
    cloudformation_template,
    create_table,
    table_definition,
    verify_table,
)
from .store import DynamoDBRequestStore
from .store_async import AsyncDynamoDBRequestStore

__all__ = [
    "INDEXES",
    "TABLE_VARIABLE",
    "AccessDenied",
    "AsyncDynamoDBRequestStore",
    "DynamoDBRequestStore",
    "InvalidAWSSettings",
    "TableDiffers",
    "TableExists",
    "TableNotConfigured",
    "TableNotFound",
    "async_store_from_environment",
    "cloudformation_template",
    "create_table",
    "create_table_async",
    "iam_policy",
    "recommended_aio_config",
    "recommended_client",
    "recommended_config",
    "store_from_environment",
    "table_definition",
    "verify_table",
]
