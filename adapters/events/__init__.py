"""Lifecycle events: what changed, in the Go system's payload, from the stream or in process."""

from .notifier import AsyncNotifier, Notifier
from .payload import SYSTEM_ACTOR, EventType, RequestEvent
from .stream import VIEW_TYPE, StreamHandler, event_from_record, stream_handler

__all__ = [
    "SYSTEM_ACTOR",
    "VIEW_TYPE",
    "AsyncNotifier",
    "EventType",
    "Notifier",
    "RequestEvent",
    "StreamHandler",
    "event_from_record",
    "stream_handler",
]
