"""The contract suite on an async store: every call runs on one event loop of its own.

The suite's tests are sync (they start threads, as services do); an async
store is driven through ``BlockingStore``, which runs each coroutine on one
event loop in a thread of its own. Every call from any thread is then a task
on that one loop, which is how an asyncio service uses its store.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar, cast

import pytest

from ..ports import AsyncRequestStore, RequestStore
from .base import StoreFixtures
from .recorded_events import RecordedEvents

T = TypeVar("T")


class EventLoopThread:
    """One event loop, running in a thread of its own until closed."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the loop and return its result, from any thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def close(self) -> None:
        """Stop the loop, wait for its thread, and close it."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


class BlockingStore:
    """A store whose every coroutine method is run to completion on one event loop.

    Any async store (an AsyncRequestStore, or one with more methods) becomes
    a sync one with the same methods, arguments, results and errors.
    """

    def __init__(self, store: object, loop: EventLoopThread) -> None:
        self._store = store
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._store, name)
        if not inspect.iscoroutinefunction(method):
            return method

        @functools.wraps(method)
        def run(*args: Any, **kwargs: Any) -> Any:
            return self._loop.run(method(*args, **kwargs))

        return run


def blocking(store: AsyncRequestStore, loop: EventLoopThread) -> RequestStore:
    """Return ``store`` as a RequestStore whose calls run on ``loop``."""
    return cast(RequestStore, BlockingStore(store, loop))


class AsyncStoreFixtures(StoreFixtures):
    """The fixtures of the contract suite for an async store.

    Override ``async_store``; the suite's ``store`` is it, driven through
    ``BlockingStore`` on ``event_loop_thread``, where the override may also
    run the coroutines that set the store up and tear it down.
    """

    @pytest.fixture
    def event_loop_thread(self) -> Iterator[EventLoopThread]:
        """One event loop in a thread of its own, closed after the test."""
        loop = EventLoopThread()
        yield loop
        loop.close()

    @pytest.fixture
    def async_store(
        self, clock: Any, events: RecordedEvents, event_loop_thread: EventLoopThread
    ) -> AsyncRequestStore:
        """An empty async store that reads ``clock`` and announces to ``events``."""
        raise NotImplementedError("override me")

    @pytest.fixture
    def store(
        self, async_store: AsyncRequestStore, event_loop_thread: EventLoopThread
    ) -> RequestStore:
        """The async store, each call run to completion on ``event_loop_thread``."""
        return blocking(async_store, event_loop_thread)
