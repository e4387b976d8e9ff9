"""Unit tests of the status machine."""

import pytest

from access_requests.domain import RequestStatus


def test_only_pending_is_not_terminal() -> None:
    """Approved, denied, expired and cancelled are final; pending is not."""
    assert [status for status in RequestStatus if not status.is_terminal] == [
        RequestStatus.PENDING
    ]


@pytest.mark.parametrize("target", list(RequestStatus), ids=lambda s: s.value)
def test_pending_may_move_to_any_status_itself_included(target: RequestStatus) -> None:
    """A pending request may become anything, or stay pending."""
    assert RequestStatus.PENDING.can_transition_to(target)


@pytest.mark.parametrize(
    "source", [s for s in RequestStatus if s.is_terminal], ids=lambda s: s.value
)
@pytest.mark.parametrize("target", list(RequestStatus), ids=lambda s: s.value)
def test_a_terminal_status_may_not_move_at_all(
    source: RequestStatus, target: RequestStatus
) -> None:
    """A final request cannot change, not even to its own status."""
    assert not source.can_transition_to(target)


def test_the_values_are_the_go_systems_strings() -> None:
    """Statuses are stored as these strings, shared with the Go system."""
    assert [status.value for status in RequestStatus] == [
        "pending",
        "approved",
        "denied",
        "expired",
        "cancelled",
    ]
