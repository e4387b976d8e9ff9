"""Lifecycle events: what changed, in the Go system's payload, from the stream or in process."""

from .in_process import AsyncEventCallback, EventCallback
from .notifier import AsyncNotifier, Notifier
from .payload import SYSTEM_ACTOR, EventType, RequestEvent
from .stream import VIEW_TYPE, StreamHandler, event_from_record, stream_handler
from .table_stream import StreamNotEnabled, read_events, table_stream_arn

__all__ = [
    "SYSTEM_ACTOR",
    "VIEW_TYPE",
    "AsyncEventCallback",
    "AsyncNotifier",
    "EventCallback",
    "EventType",
    "Notifier",
    "RequestEvent",
    "StreamHandler",
    "StreamNotEnabled",
    "event_from_record",
    "read_events",
    "stream_handler",
    "table_stream_arn",
]
