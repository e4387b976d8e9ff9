"""Lifecycle events (spec section 7): the public import path of ``adapters.events``."""

from .adapters.events import (
    SYSTEM_ACTOR,
    VIEW_TYPE,
    AsyncNotifier,
    EventType,
    Notifier,
    RequestEvent,
    StreamHandler,
    event_from_record,
    stream_handler,
)

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
