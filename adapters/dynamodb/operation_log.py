"""What one store operation did on the wire, logged when it ends."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

logger = logging.getLogger("access_requests")


class OperationLog:
    """Counts one store operation's calls and retries, and logs it at INFO when it ends.

    Logs the operation, the table, milliseconds, calls and botocore's retry
    attempts: never credentials, and nothing of a request but what the caller
    logs itself. Use it as a context manager around the operation.
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

    def __enter__(self) -> OperationLog:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
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
