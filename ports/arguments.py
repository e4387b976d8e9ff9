"""The rules every listing of the port follows, whatever the adapter."""

from __future__ import annotations

from ..domain import (
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


MAX_KEY_BYTES = 2048
"""DynamoDB's limit on an index key: no stored request has a longer requester or profile."""


def resolve_key(value: object, field: str) -> str:
    """Return a requester or profile to look up, refusing what no stored request can have.

    The Go system sets no length limit, so a key longer than this library
    writes is still looked up; DynamoDB's index key limit bounds it.
    """
    key = validate_text(value, field, 1)
    if len(key) * 4 > MAX_KEY_BYTES and len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise InvalidRequest(field, f"must be at most {MAX_KEY_BYTES} bytes of UTF-8")
    return key


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
