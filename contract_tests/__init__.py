"""The contract suite every RequestStore adapter must pass.

Subclass ``RequestStoreContract`` in a test module (the class name must
start with ``Test``) and override the ``store`` fixture; a store with
lifecycle events passes ``on_event=events.append`` (one without them sets
``emits_events = False``)::

    class TestMyStore(RequestStoreContract):
        @pytest.fixture
        def store(self, clock, events):
            return MyStore(clock=clock, on_event=events.append)

An async store runs the same suite through ``AsyncRequestStoreContract``:
override ``async_store`` instead (``event_loop_thread`` is the loop its
calls run on, for setting it up)::

    class TestMyAsyncStore(AsyncRequestStoreContract):
        @pytest.fixture
        def async_store(self, clock, events, event_loop_thread):
            return MyAsyncStore(clock=clock, on_event=events.append)

The mixins can also be used one by one. A capability the adapter lacks is
declared by setting its class attribute to False; the tests that need it are
then skipped with that reason. This import path is stable.

``make_request``, ``ManualClock``, ``suite_clock`` and ``DEFAULT_START`` need
neither pytest nor hypothesis: a service's own tests may use them alone. The
suite itself is imported when first named.
"""

import importlib
from typing import TYPE_CHECKING

from .clock import DEFAULT_START, ManualClock, suite_clock
from .factory import make_request

if TYPE_CHECKING:
    from .access import AccessContract
    from .async_bridge import AsyncStoreFixtures, BlockingStore, EventLoopThread, blocking
    from .base import StoreFixtures, all_pages, everything
    from .concurrency import ConcurrencyContract
    from .crud import CrudContract
    from .events import EventContract
    from .expiry import ExpiryContract
    from .listing import ListingContract
    from .recorded_events import RecordedEvents
    from .stateful import StatefulContract, StoreModelMachine
    from .suite import AsyncRequestStoreContract, RequestStoreContract
    from .update import UpdateContract

# The suite's names and their modules, which import pytest and hypothesis.
_SUITE = {
    "AccessContract": ".access",
    "AsyncStoreFixtures": ".async_bridge",
    "BlockingStore": ".async_bridge",
    "EventLoopThread": ".async_bridge",
    "blocking": ".async_bridge",
    "StoreFixtures": ".base",
    "all_pages": ".base",
    "everything": ".base",
    "ConcurrencyContract": ".concurrency",
    "CrudContract": ".crud",
    "EventContract": ".events",
    "RecordedEvents": ".recorded_events",
    "ExpiryContract": ".expiry",
    "ListingContract": ".listing",
    "StatefulContract": ".stateful",
    "StoreModelMachine": ".stateful",
    "RequestStoreContract": ".suite",
    "AsyncRequestStoreContract": ".suite",
    "UpdateContract": ".update",
}


def __getattr__(name: str) -> object:
    """Import a name of the suite when it is first asked for (PEP 562)."""
    module = _SUITE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


__all__ = [
    "DEFAULT_START",
    "AccessContract",
    "AsyncRequestStoreContract",
    "AsyncStoreFixtures",
    "BlockingStore",
    "ConcurrencyContract",
    "CrudContract",
    "EventContract",
    "EventLoopThread",
    "ExpiryContract",
    "ListingContract",
    "ManualClock",
    "RecordedEvents",
    "RequestStoreContract",
    "StatefulContract",
    "StoreFixtures",
    "StoreModelMachine",
    "UpdateContract",
    "all_pages",
    "blocking",
    "everything",
    "make_request",
    "suite_clock",
]
