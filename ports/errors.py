"""The errors of the RequestStore port.

Every adapter translates its backend's failures into these, so that a caller
handles one set of errors whatever store it was given.
"""

from __future__ import annotations

from ..domain.errors import AccessRequestError


class RequestNotFound(AccessRequestError, LookupError):
    """No request with this id is stored."""

    def __init__(self, request_id: str) -> None:
        super().__init__(f"request {request_id} not found")
        self.request_id = request_id

    def __reduce__(self) -> tuple[type[RequestNotFound], tuple[str]]:
        return (type(self), (self.request_id,))


class RequestExists(AccessRequestError):
    """A request with this id is already stored."""

    def __init__(self, request_id: str) -> None:
        super().__init__(f"request {request_id} already exists")
        self.request_id = request_id

    def __reduce__(self) -> tuple[type[RequestExists], tuple[str]]:
        return (type(self), (self.request_id,))


class ConcurrentModification(AccessRequestError):
    """The stored request changed since the caller read it; read it again."""

    def __init__(self, request_id: str, detail: str = "") -> None:
        message = f"request {request_id} was changed since it was read"
        super().__init__(f"{message}: {detail}" if detail else message)
        self.request_id = request_id
        self.detail = detail

    def __reduce__(self) -> tuple[type[ConcurrentModification], tuple[str, str]]:
        return (type(self), (self.request_id, self.detail))


class InvalidCursor(AccessRequestError, ValueError):
    """A cursor that this listing did not hand out, or that does not decode."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid cursor: {reason}")
        self.reason = reason

    def __reduce__(self) -> tuple[type[InvalidCursor], tuple[str]]:
        return (type(self), (self.reason,))


class CorruptItem(AccessRequestError):
    """A stored item that cannot be decoded into a Request.

    Attributes:
        request_id: The id of the item, as stored (it may itself be the problem).
        attribute: The attribute that cannot be decoded.
        reason: What is wrong with it.
    """

    def __init__(self, request_id: str, attribute: str, reason: str) -> None:
        super().__init__(
            f"stored item {request_id!r} is corrupt: attribute {attribute!r} {reason}"
        )
        self.request_id = request_id
        self.attribute = attribute
        self.reason = reason

    def __reduce__(self) -> tuple[type[CorruptItem], tuple[str, str, str]]:
        return (type(self), (self.request_id, self.attribute, self.reason))


class StoreUnavailable(AccessRequestError):
    """The backend failed, after its own retries; the cause is chained.

    Attributes:
        operation: The store operation that failed, such as ``update``.
        table: The table (or other storage) it was working on.
        reason: What went wrong, in words.
        moved: From ``expire_overdue``: how many requests it had moved to
            expired before it failed (they stay moved); None from the others.
    """

    def __init__(self, operation: str, table: str, reason: str) -> None:
        super().__init__(f"{operation} on table {table!r} failed: {reason}")
        self.operation = operation
        self.table = table
        self.reason = reason
        self.moved: int | None = None

    def __reduce__(self) -> tuple[type[StoreUnavailable], tuple[str, str, str]]:
        return (type(self), (self.operation, self.table, self.reason))
