"""The fixtures and capabilities every contract mixin shares."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import ClassVar

import pytest

from ..domain import Request
from ..ports import Page, RequestStore, follow
from .clock import ManualClock, suite_clock
from .recorded_events import RecordedEvents


class StoreFixtures:
    """Declares the fixtures an adapter's test class provides.

    Override ``store`` (and, if the adapter needs it, ``clock``) in the test
    class, passing ``on_event=events.append`` where the store takes it; set a
    capability to False, with its reason, to skip the tests that need it. A
    skipped test says which capability it lacks.
    """

    supports_threads: ClassVar[bool] = True
    """One store may be used from several threads at once (False for moto's
    in-process mock, which is not thread-safe)."""

    atomic_conditional_writes: ClassVar[bool] = True
    """The backend serializes conditional writes to one item (False for moto,
    which does not lock per item and can let two conditional writes through)."""

    emits_events: ClassVar[bool] = True
    """The ``store`` fixture passes ``on_event=events.append`` (False for a
    store without lifecycle events in process)."""

    contention_threads: ClassVar[int] = 8
    contention_rounds: ClassVar[int] = 200

    @pytest.fixture
    def clock(self) -> ManualClock:
        """The clock the store reads; tests move it by hand."""
        return suite_clock()

    @pytest.fixture
    def events(self) -> RecordedEvents:
        """The events the store announces: pass ``on_event=events.append``."""
        return RecordedEvents()

    @pytest.fixture
    def store(self, clock: ManualClock, events: RecordedEvents) -> RequestStore:
        """An empty store that reads ``clock`` and announces to ``events``."""
        raise NotImplementedError("override me")

    def require(self, capability: str) -> None:
        """Skip the calling test, with its reason, unless the adapter has ``capability``."""
        if not getattr(self, capability):
            pytest.skip(f"{type(self).__name__}.{capability} is False")


Listing = Callable[..., Page]
"""A listing with its key bound, called as ``listing(limit=..., cursor=...)``."""


def all_pages(listing: Listing, limit: int, max_pages: int = 10_000) -> Iterator[Page]:
    """Yield the pages of a listing, failing if it has not ended within ``max_pages``."""
    for number, page in enumerate(follow(listing, limit=limit), start=1):
        if number > max_pages:
            raise AssertionError(f"the listing did not end within {max_pages} pages")
        yield page


def everything(listing: Listing, limit: int = 100) -> list[Request]:
    """Return every request of a listing, in the order the pages gave them."""
    return [request for page in all_pages(listing, limit) for request in page]


def run_together(workers: int, work: Callable[[int], None]) -> None:
    """Run ``work(n)`` for n in range(workers) in threads released at one moment."""
    start = threading.Barrier(workers)
    failures: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            work(number)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
