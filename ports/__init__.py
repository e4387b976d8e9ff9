"""The port: the RequestStore protocol and its async twin, Page, errors and clock."""

from ..domain.errors import AccessRequestError, InvalidRequest, InvalidTransition
from .arguments import (
    DEFAULT_QUERY_LIMIT,
    DEFAULT_SWEEP_LIMIT,
    MAX_QUERY_LIMIT,
    require_request,
    resolve_key,
    resolve_limit,
    resolve_status,
    resolve_sweep_limit,
)
from .clock import TICK, Clock, ManualClock, read_clock, resolve_now
from .errors import (
    ConcurrentModification,
    CorruptItem,
    InvalidCursor,
    RequestExists,
    RequestNotFound,
    StoreUnavailable,
)
from .page import Page, follow
from .store import RequestStore, documented_by
from .store_async import AsyncRequestStore

__all__ = [
    "DEFAULT_QUERY_LIMIT",
    "DEFAULT_SWEEP_LIMIT",
    "MAX_QUERY_LIMIT",
    "TICK",
    "AccessRequestError",
    "AsyncRequestStore",
    "Clock",
    "ConcurrentModification",
    "CorruptItem",
    "InvalidCursor",
    "InvalidRequest",
    "InvalidTransition",
    "ManualClock",
    "Page",
    "RequestExists",
    "RequestNotFound",
    "RequestStore",
    "StoreUnavailable",
    "documented_by",
    "follow",
    "read_clock",
    "require_request",
    "resolve_key",
    "resolve_limit",
    "resolve_now",
    "resolve_status",
    "resolve_sweep_limit",
]
