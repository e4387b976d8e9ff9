"""The errors the domain raises, and the base of every error the library raises."""

from __future__ import annotations


class AccessRequestError(Exception):
    """Base of every error this library raises on purpose."""


class InvalidRequest(AccessRequestError, ValueError):
    """A value breaks a rule of the domain or the port.

    Attributes:
        field: The name of the field or argument that is wrong.
        rule: The rule it breaks, in words.
    """

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule

    def __reduce__(self) -> tuple[type[InvalidRequest], tuple[str, str]]:
        return (type(self), (self.field, self.rule))


class InvalidTransition(AccessRequestError, ValueError):
    """The status machine refuses a change of a request.

    Attributes:
        request_id: The id of the request that was to change.
        reason: Why the change is refused, in words.
    """

    def __init__(self, request_id: str, reason: str) -> None:
        super().__init__(f"request {request_id}: {reason}")
        self.request_id = request_id
        self.reason = reason

    def __reduce__(self) -> tuple[type[InvalidTransition], tuple[str, str]]:
        return (type(self), (self.request_id, self.reason))
