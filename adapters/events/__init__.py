"""Lifecycle events: what changed, in the Go system's payload, from the stream or in process."""

from .async_webhook import AsyncWebhookNotifier
from .failure import NotificationFailed
from .multi import AsyncMultiNotifier, MultiNotifier
from .notifier import AsyncNotifier, Notifier
from .payload import SYSTEM_ACTOR, EventType, RequestEvent
from .signature import verify_signature
from .sns import AsyncSNSNotifier, SNSNotifier
from .stream import VIEW_TYPE, StreamHandler, event_from_record, stream_handler
from .webhook import WebhookNotifier

__all__ = [
    "SYSTEM_ACTOR",
    "VIEW_TYPE",
    "AsyncMultiNotifier",
    "AsyncNotifier",
    "AsyncSNSNotifier",
    "AsyncWebhookNotifier",
    "EventType",
    "MultiNotifier",
    "NotificationFailed",
    "Notifier",
    "RequestEvent",
    "SNSNotifier",
    "StreamHandler",
    "WebhookNotifier",
    "event_from_record",
    "stream_handler",
    "verify_signature",
]
