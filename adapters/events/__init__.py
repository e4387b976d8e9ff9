"""Lifecycle events: what changed, in the Go system's payload, from the stream or in process."""

from .async_webhook import AsyncWebhookNotifier
from .failure import NotificationFailed
from .in_process import AsyncEventCallback, EventCallback
from .multi import AsyncMultiNotifier, MultiNotifier
from .notifier import AsyncNotifier, Notifier
from .payload import SYSTEM_ACTOR, EventType, RequestEvent
from .signature import verify_signature
from .sns import AsyncSNSNotifier, SNSNotifier
from .stream import VIEW_TYPE, StreamHandler, event_from_record, stream_handler
from .table_stream import StreamNotEnabled, read_events, table_stream_arn
from .webhook import WebhookNotifier

__all__ = [
    "SYSTEM_ACTOR",
    "VIEW_TYPE",
    "AsyncEventCallback",
    "AsyncMultiNotifier",
    "AsyncNotifier",
    "AsyncSNSNotifier",
    "AsyncWebhookNotifier",
    "EventCallback",
    "EventType",
    "MultiNotifier",
    "NotificationFailed",
    "Notifier",
    "RequestEvent",
    "SNSNotifier",
    "StreamHandler",
    "StreamNotEnabled",
    "WebhookNotifier",
    "event_from_record",
    "read_events",
    "stream_handler",
    "table_stream_arn",
    "verify_signature",
]
