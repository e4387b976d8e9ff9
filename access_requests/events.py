"""Lifecycle events (spec section 7): the public import path of ``adapters.events``."""

from .adapters.events import (
    SYSTEM_ACTOR,
    VIEW_TYPE,
    AsyncEventCallback,
    AsyncNotifier,
    EventCallback,
    EventType,
    Notifier,
    RequestEvent,
    StreamHandler,
    StreamNotEnabled,
    event_from_record,
    read_events,
    stream_handler,
    table_stream_arn,
)

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
