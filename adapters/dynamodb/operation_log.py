"""What one store operation did on the wire: one log record when it ends, and a span.

The record says the operation's outcome (``ok``, or the class of the error it
raised), how long it took, its calls and botocore's retries, the table, and
the request id where the operation has one, both in the message and as
``extra`` fields that a JSON formatter picks up as they are::

    operation=get table=requests request_id=0123456789abcdef outcome=RequestNotFound
    duration_ms=15.5 calls=1 retries=0

Never credentials, and nothing of a request but its id. Where
opentelemetry-api is installed, a span carries the same fields (``tracing``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from .tracing import OperationSpan, start_span

logger = logging.getLogger("access_requests")

FIELDS = ("operation", "table", "request_id", "outcome", "duration_ms", "calls", "retries")
"""The ``extra`` fields of every operation's record, in this order."""


class OperationLog:
    """Counts one store operation's calls and retries; logs it at INFO when it ends.

    Use it as a context manager around the operation.
    """

    def __init__(self, operation: str, table: str, request_id: object = None) -> None:
        self.operation = operation
        self.table = table
        self.request_id = request_id if isinstance(request_id, str) else None
        self.calls = 0
        self.retries = 0
        self._started = time.perf_counter()
        self._span: OperationSpan | None = None

    def answered(self, response: Mapping[str, Any]) -> None:
        """Count one call and the retries botocore made for it."""
        self.calls += 1
        self.retries += response.get("ResponseMetadata", {}).get("RetryAttempts", 0)

    def __enter__(self) -> OperationLog:
        self._started = time.perf_counter()
        self._span = start_span(self.operation, self.table)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Log the operation (if INFO is enabled) and end its span, with its outcome."""
        fields = self.fields(error)
        if self._span is not None:
            self._span.finish(fields, error)
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "%s on table %s%s: %s in %.1f ms, %s, %s",
                self.operation,
                self.table,
                f" (request {self.request_id})" if self.request_id else "",
                fields["outcome"],
                fields["duration_ms"],
                _count(self.calls, "call"),
                _count(self.retries, "retry", "retries"),
                extra=fields,
            )

    def fields(self, error: BaseException | None) -> dict[str, Any]:
        """Return the record's fields, the outcome being ``error``'s class or ``ok``."""
        return {
            "operation": self.operation,
            "table": self.table,
            "request_id": self.request_id,
            "outcome": "ok" if error is None else type(error).__name__,
            "duration_ms": round((time.perf_counter() - self._started) * 1000, 1),
            "calls": self.calls,
            "retries": self.retries,
        }


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"
