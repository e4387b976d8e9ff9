"""The whole contract suite as one class, for a sync store and for an async one."""

from __future__ import annotations

from .access import AccessContract
from .async_bridge import AsyncStoreFixtures
from .concurrency import ConcurrencyContract
from .crud import CrudContract
from .events import EventContract
from .expiry import ExpiryContract
from .listing import ListingContract
from .stateful import StatefulContract
from .update import UpdateContract


class RequestStoreContract(
    CrudContract,
    UpdateContract,
    ListingContract,
    ConcurrencyContract,
    AccessContract,
    ExpiryContract,
    EventContract,
    StatefulContract,
):
    """Every contract mixin at once: the whole behaviour of the port."""


class AsyncRequestStoreContract(AsyncStoreFixtures, RequestStoreContract):
    """The whole contract suite, for an async store: override ``async_store``."""
