"""The contract suite against InMemoryRequestStore."""

import pytest

from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.contract_tests import ManualClock, RecordedEvents, RequestStoreContract


class TestInMemoryRequestStore(RequestStoreContract):
    @pytest.fixture
    def store(self, clock: ManualClock, events: RecordedEvents) -> InMemoryRequestStore:
        return InMemoryRequestStore(clock=clock, on_event=events.append)
