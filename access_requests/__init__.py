"""access-requests: a store of access-approval requests.

The domain (``access_requests.domain``), the RequestStore port
(``access_requests.ports``) and its adapters (``access_requests.adapters``)
are re-exported here for convenience.
"""

from importlib.metadata import PackageNotFoundError, version

from .adapters.memory import InMemoryRequestStore
from .domain import (
    DEFAULT_REQUEST_TTL,
    MAX_DURATION,
    AccessRequestError,
    InvalidRequest,
    InvalidTransition,
    Request,
    RequestStatus,
    new_request_id,
)
from .ports import (
    DEFAULT_QUERY_LIMIT,
    MAX_QUERY_LIMIT,
    Clock,
    ConcurrentModification,
    CorruptItem,
    InvalidCursor,
    Page,
    RequestExists,
    RequestNotFound,
    RequestStore,
    StoreUnavailable,
)

try:
    __version__ = version("access-requests")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "DEFAULT_QUERY_LIMIT",
    "DEFAULT_REQUEST_TTL",
    "MAX_DURATION",
    "MAX_QUERY_LIMIT",
    "AccessRequestError",
    "Clock",
    "ConcurrentModification",
    "CorruptItem",
    "InMemoryRequestStore",
    "InvalidCursor",
    "InvalidRequest",
    "InvalidTransition",
    "Page",
    "Request",
    "RequestExists",
    "RequestNotFound",
    "RequestStatus",
    "RequestStore",
    "StoreUnavailable",
    "__version__",
    "new_request_id",
]
