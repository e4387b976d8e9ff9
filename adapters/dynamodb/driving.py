"""What a DynamoDB store holds, and what it does with each answer, whether it awaits or not."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from ...domain import utc_now
from ...ports import Clock
from .calls import Answer, ConditionFailed
from .errors import CONDITION_FAILED, error_code, translate

logger = logging.getLogger("access_requests")

ClientT = TypeVar("ClientT")
BOTO3_CLIENT = "a boto3 low-level DynamoDB client, as from boto3.client('dynamodb')"
_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")


class TableStore(Generic[ClientT]):
    """What a DynamoDB store works with: its client, its table and its clock.

    Shared by the sync and the async store, which differ only in how they
    make each call.
    """

    def __init__(
        self, client: ClientT, table_name: str, *, clock: Clock | None, expected: str
    ) -> None:
        require_dynamodb_client(client, expected=expected)
        self._client = client
        self._table = require_table_name(table_name)
        self._clock: Clock = clock or utc_now

    @property
    def table_name(self) -> str:
        """The table this store reads and writes."""
        return self._table


CLIENT_FAILURES = (ClientError, BotoCoreError)
"""What a botocore or aiobotocore client call raises that ``interpret_failure`` reads."""


class OperationLog:
    """Counts one store operation's calls and retries, and logs it at INFO when it ends.

    Logs the operation, the table, milliseconds, calls and botocore's retry
    attempts: never credentials, and nothing of a request but what the caller
    logs itself.
    """

    def __init__(self, operation: str, table: str) -> None:
        self.operation = operation
        self.table = table
        self.calls = 0
        self.retries = 0
        self._started = time.perf_counter()

    def answered(self, response: Mapping[str, Any]) -> None:
        """Count one call and the retries botocore made for it."""
        self.calls += 1
        self.retries += response.get("ResponseMetadata", {}).get("RetryAttempts", 0)

    def close(self) -> None:
        """Log the operation, if INFO is enabled."""
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "%s on table %s: %.1f ms, %d call(s), %d retry attempt(s)",
                self.operation,
                self.table,
                (time.perf_counter() - self._started) * 1000,
                self.calls,
                self.retries,
            )


def interpret_failure(
    error: Exception, operation: str, table: str, log: OperationLog
) -> ConditionFailed:
    """Return a refused condition as an answer; raise every other failure as the port's error.

    Raises:
        StoreUnavailable: The backend failed after botocore's retries (or a
            subclass: TableNotFound, AccessDenied).
    """
    if isinstance(error, ClientError):
        log.answered(error.response)
        if error_code(error) == CONDITION_FAILED:
            old: Any = error.response.get("Item")
            return ConditionFailed(old)
    if isinstance(error, ParamValidationError):
        raise error
    raise translate(error, operation, table) from error


def interpret_response(response: Mapping[str, Any], log: OperationLog) -> Answer:
    """Count a call that succeeded, and return its response as the answer."""
    log.answered(response)
    return response


def require_dynamodb_client(
    client: object,
    *,
    expected: str = BOTO3_CLIENT,
) -> None:
    """Raise TypeError unless ``client`` is a low-level DynamoDB client.

    ``expected`` says, in the error, what kind of client the store takes.
    """
    model = getattr(getattr(client, "meta", None), "service_model", None)
    if getattr(model, "service_name", None) == "dynamodb":
        return
    hint = " (a resource: pass its .meta.client)" if hasattr(client, "Table") else ""
    raise TypeError(f"client must be {expected}, got {type(client).__name__}{hint}")


def require_table_name(table_name: object) -> str:
    """Return ``table_name`` if DynamoDB accepts it as a table name, else raise ValueError."""
    if not isinstance(table_name, str) or not _TABLE_NAME.fullmatch(table_name):
        raise ValueError(
            f"table_name must be 3 to 255 letters, digits, '_', '-' or '.', got {table_name!r}"
        )
    return table_name
