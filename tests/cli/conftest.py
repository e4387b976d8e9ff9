"""The command line runs at the wall clock, so the stores that seed its table read it too."""

import pytest

from access_requests.contract_tests import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    """A clock at the wall clock's time: the store's clock decides creations and decisions."""
    return ManualClock()
