"""The status of a request and the machine that moves it."""

from __future__ import annotations

import enum


class RequestStatus(enum.Enum):
    """Where a request stands. Only a pending request can still change."""

    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    EXPIRED = "expired"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        """True for every status but pending: such a request is final."""
        return self is not RequestStatus.PENDING

    def can_transition_to(self, other: RequestStatus) -> bool:
        """Whether a request in this status may be stored with status ``other``.

        A pending request may move to any status, pending included; a terminal
        request cannot be changed at all, not even to the status it has.
        """
        return self is RequestStatus.PENDING and isinstance(other, RequestStatus)
