"""An OpenTelemetry span per store operation, where opentelemetry-api is installed (``otel``).

Without it, nothing here costs more than one failed import at start. With it
and no tracer provider configured, the API's spans are no-ops. A span is
named ``access_requests.<operation>`` (kind CLIENT) and carries the fields
the operation's log record carries, under ``access_requests.*``, besides the
database conventions ``db.system`` and ``db.operation``; a failed operation
records its exception and sets the span's status to ERROR.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

try:
    from opentelemetry import trace
except ImportError:  # the extra is not installed: no spans
    trace = None  # type: ignore[assignment]


class OperationSpan(Protocol):
    """What the operation log does with a span."""

    def finish(self, fields: Mapping[str, Any], error: BaseException | None) -> None:
        """Set the fields as attributes, the outcome as status, and end the span."""
        ...


class _Span:
    """A started span, current while the operation runs (so botocore's spans nest in it)."""

    def __init__(self, operation: str, table: str) -> None:
        assert trace is not None
        tracer = trace.get_tracer("access_requests")
        self._span = tracer.start_span(
            f"access_requests.{operation}",
            kind=trace.SpanKind.CLIENT,
            attributes={"db.system": "dynamodb", "db.operation": operation},
        )
        self._current: AbstractContextManager[Any] = trace.use_span(
            self._span, end_on_exit=False
        )
        self._current.__enter__()

    def finish(self, fields: Mapping[str, Any], error: BaseException | None) -> None:
        assert trace is not None
        self._span.set_attributes(
            {
                f"access_requests.{name}": value
                for name, value in fields.items()
                if value is not None
            }
        )
        if error is not None:
            self._span.record_exception(error)
            self._span.set_status(trace.Status(trace.StatusCode.ERROR, type(error).__name__))
        self._current.__exit__(None, None, None)
        self._span.end()


def start_span(operation: str, table: str) -> OperationSpan | None:
    """Start the operation's span; None where opentelemetry-api is not installed."""
    return None if trace is None else _Span(operation, table)
