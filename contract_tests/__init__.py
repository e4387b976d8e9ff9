"""The contract suite every RequestStore adapter must pass.

Subclass ``RequestStoreContract`` in a test module (the class name must
start with ``Test``) and override the ``store`` fixture::

    class TestMyStore(RequestStoreContract):
        @pytest.fixture
        def store(self, clock):
            return MyStore(clock=clock)

An async store runs the same suite through ``AsyncRequestStoreContract``:
override ``async_store`` instead (``event_loop_thread`` is the loop its
calls run on, for setting it up)::

    class TestMyAsyncStore(AsyncRequestStoreContract):
        @pytest.fixture
        def async_store(self, clock, event_loop_thread):
            return MyAsyncStore(clock=clock)

The mixins can also be used one by one. A capability the adapter lacks is
declared by setting its class attribute to False; the tests that need it are
then skipped with that reason. This import path is stable.
"""

from .access import AccessContract
from .async_bridge import AsyncStoreFixtures, BlockingStore, EventLoopThread, blocking
from .base import StoreFixtures, all_pages, everything
from .clock import DEFAULT_START, ManualClock, suite_clock
from .concurrency import ConcurrencyContract
from .crud import CrudContract
from .expiry import ExpiryContract
from .factory import make_request
from .listing import ListingContract
from .stateful import StatefulContract, StoreModelMachine
from .update import UpdateContract


class RequestStoreContract(
    CrudContract,
    UpdateContract,
    ListingContract,
    ConcurrencyContract,
    AccessContract,
    ExpiryContract,
    StatefulContract,
):
    """Every contract mixin at once: the whole behaviour of the port."""


class AsyncRequestStoreContract(AsyncStoreFixtures, RequestStoreContract):
    """The whole contract suite, for an async store: override ``async_store``."""


__all__ = [
    "DEFAULT_START",
    "AccessContract",
    "AsyncRequestStoreContract",
    "AsyncStoreFixtures",
    "BlockingStore",
    "ConcurrencyContract",
    "CrudContract",
    "EventLoopThread",
    "ExpiryContract",
    "ListingContract",
    "ManualClock",
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
