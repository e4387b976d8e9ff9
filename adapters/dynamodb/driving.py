"""What a driver of operations does with each answer, whether it awaits or not."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from .calls import Answer, ConditionFailed
from .errors import CONDITION_FAILED, error_code, translate

logger = logging.getLogger("access_requests")

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
