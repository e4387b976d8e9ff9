"""The rules every listing of the port follows, whatever the adapter."""

from __future__ import annotations

from ..domain import (
    MAX_NAME_LENGTH,
    InvalidRequest,
    Request,
    RequestStatus,
    validate_text,
)

DEFAULT_QUERY_LIMIT = 100
MAX_QUERY_LIMIT = 1000
DEFAULT_SWEEP_LIMIT = 1000


def resolve_limit(limit: object) -> int:
    """Return the page size a listing uses for ``limit``.

    0 or less means DEFAULT_QUERY_LIMIT; more than MAX_QUERY_LIMIT is capped.
    """
    if type(limit) is not int:
        raise InvalidRequest("limit", f"must be an int, got {type(limit).__name__}")
    if limit <= 0:
        return DEFAULT_QUERY_LIMIT
    return min(limit, MAX_QUERY_LIMIT)


def resolve_sweep_limit(limit: object) -> int:
    """Return how many requests one expire_overdue may move; 0 or less means the default."""
    if type(limit) is not int:
        raise InvalidRequest("limit", f"must be an int, got {type(limit).__name__}")
    return DEFAULT_SWEEP_LIMIT if limit <= 0 else limit


def resolve_key(value: object, field: str) -> str:
    """Return a requester or profile to list by, refusing what no request can have."""
    return validate_text(value, field, 1, MAX_NAME_LENGTH)


def resolve_status(value: object) -> RequestStatus:
    """Return the status to list by; its value string is accepted too."""
    if isinstance(value, RequestStatus):
        return value
    try:
        return RequestStatus(value)
    except ValueError:
        known = ", ".join(status.value for status in RequestStatus)
        raise InvalidRequest(
            "status", f"must be a RequestStatus ({known}), got {value!r}"
        ) from None


def require_request(value: object) -> Request:
    """Return ``value`` if it is a Request, else raise InvalidRequest."""
    if not isinstance(value, Request):
        raise InvalidRequest("request", f"must be a Request, got {type(value).__name__}")
    return value
