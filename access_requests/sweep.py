"""The sweep in production: a scheduled Lambda, a loop for hosts with no scheduler, a task.

``expire_overdue`` moves at most ``limit`` requests a call; a sweep calls it
until it returns 0. Run where time is short (a Lambda's timeout), it also
stops while the time left still holds the slowest batch seen twice over, and
says it did not finish; the next scheduled run goes on from there (the sweep
is idempotent: each overdue request is moved once, whoever moves it).

- ``sweep`` / ``sweep_async``: one sweep, until done or until time runs low.
- ``make_sweep_handler(store_factory)`` / ``sweep_handler``: the handler of a
  Lambda on an EventBridge schedule.
- ``sweep_every`` / ``sweep_every_async``: sweep now and every ``interval``
  seconds until stopped, surviving a failing store with backoff (the
  ``access-requests expire --every`` loop, a service's thread or task).

The sync and async forms share every decision (``Sweep``, ``Backoff``); they
differ only in how they call the store and how they wait.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import attrs

from .adapters.dynamodb import AccessDenied, TableNotFound
from .adapters.dynamodb.errors import TableDiffers
from .ports import StoreUnavailable

logger = logging.getLogger("access_requests")

BATCH = 100
"""Requests moved per ``expire_overdue`` call in a sweep with a deadline.

At about 10 ms an UpdateItem, a batch takes about a second, so that the
time left is checked often enough for a Lambda's timeout."""

SAFETY_MARGIN = 1.0
"""Seconds a sweep with a deadline always keeps in hand, beyond twice its slowest batch."""

NEEDS_A_PERSON = (TableNotFound, AccessDenied, TableDiffers)
"""Failures that no retry mends: a loop stops on them rather than retrying forever."""


class Sweepable(Protocol):
    """What a sweep needs of a store: ``RequestStore.expire_overdue``."""

    def expire_overdue(self, *, limit: int = 1000) -> int:
        """Move up to ``limit`` overdue pending requests to expired; return how many."""
        ...


class AsyncSweepable(Protocol):
    """What an async sweep needs of a store: ``AsyncRequestStore.expire_overdue``."""

    async def expire_overdue(self, *, limit: int = 1000) -> int:
        """Move up to ``limit`` overdue pending requests to expired; return how many."""
        ...


@attrs.frozen
class SweepResult:
    """What one sweep did.

    Attributes:
        expired: Requests moved to expired.
        batches: ``expire_overdue`` calls made.
        complete: True when the last call moved nothing (nothing overdue is
            left); False when the sweep stopped for lack of time.
        seconds: How long it took.
    """

    expired: int
    batches: int
    complete: bool
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict, as a Lambda returns it."""
        return attrs.asdict(self)


class Sweep:
    """The decisions of one sweep in progress: go on, or stop; and its tally."""

    def __init__(self, time_left: Callable[[], float] | None, margin: float) -> None:
        self._time_left = time_left
        self._margin = margin
        self._started = time.monotonic()
        self._batch_started = self._started
        self.expired = 0
        self.batches = 0
        self.slowest = 0.0
        self.done = False

    def may_start_a_batch(self) -> bool:
        """Whether to call ``expire_overdue`` again; marks the batch's start."""
        if self.done:
            return False
        if self._time_left is not None and self._time_left() < self._margin + 2 * self.slowest:
            return False
        self._batch_started = time.monotonic()
        return True

    def batch_moved(self, count: int) -> None:
        """Count a batch that moved ``count`` requests."""
        self.slowest = max(self.slowest, time.monotonic() - self._batch_started)
        self.batches += 1
        self.expired += count
        self.done = count == 0

    def result(self) -> SweepResult:
        """Return what the sweep did so far."""
        return SweepResult(
            expired=self.expired,
            batches=self.batches,
            complete=self.done,
            seconds=round(time.monotonic() - self._started, 3),
        )


def sweep(
    store: Sweepable,
    *,
    time_left: Callable[[], float] | None = None,
    batch: int = BATCH,
    margin: float = SAFETY_MARGIN,
) -> SweepResult:
    """Move every overdue pending request to expired, or as many as the time left allows.

    Args:
        store: Any RequestStore.
        time_left: Seconds left to work (a Lambda's remaining time); None: no limit.
        batch: Requests per ``expire_overdue`` call.
        margin: Seconds always kept in hand, beyond twice the slowest batch.

    Raises:
        StoreUnavailable: The store failed (what was moved before stays moved).
    """
    progress = Sweep(time_left, margin)
    _run(store, progress, batch)
    return progress.result()


def _run(store: Sweepable, progress: Sweep, batch: int) -> None:
    while progress.may_start_a_batch():
        progress.batch_moved(store.expire_overdue(limit=batch))


async def sweep_async(
    store: AsyncSweepable,
    *,
    time_left: Callable[[], float] | None = None,
    batch: int = BATCH,
    margin: float = SAFETY_MARGIN,
) -> SweepResult:
    """``sweep``, awaiting an async store."""
    progress = Sweep(time_left, margin)
    while progress.may_start_a_batch():
        progress.batch_moved(await store.expire_overdue(limit=batch))
    return progress.result()


Handler = Callable[[Mapping[str, Any], Any], dict[str, Any]]
"""A Lambda handler: ``handler(event, context) -> dict``."""


def make_sweep_handler(
    store_factory: Callable[[], Sweepable], *, batch: int = BATCH, margin: float = SAFETY_MARGIN
) -> Handler:
    """Return a Lambda handler that sweeps the store ``store_factory`` builds.

    The store is built on the first invocation and kept for the container's
    later ones (a factory that fails is tried again on the next). Each
    invocation sweeps until nothing overdue is left, or until the time left
    (``context.get_remaining_time_in_millis()``) no longer holds twice the
    slowest batch plus ``margin``, and returns the ``SweepResult`` as a dict:
    ``{"expired": 120, "batches": 2, "complete": true, "seconds": 1.4}``.

    A failure is logged (with what was moved before it) and raised again, so
    that Lambda records the invocation as failed (its Errors metric, alarms,
    its own retries); the next scheduled invocation sweeps as usual.
    """
    stores: list[Sweepable] = []

    def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        if not stores:
            stores.append(store_factory())
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        time_left = None if remaining is None else (lambda: remaining() / 1000)
        progress = Sweep(time_left, margin)
        try:
            _run(stores[0], progress, batch)
        except Exception:
            logger.exception(
                "sweep failed after moving %d %s to expired",
                progress.expired,
                "request" if progress.expired == 1 else "requests",
                extra={"sweep": progress.result().as_dict()},
            )
            raise
        result = progress.result()
        logger.info("sweep: %s", result.as_dict(), extra={"sweep": result.as_dict()})
        return result.as_dict()

    return handler


def _store_from_environment() -> Sweepable:
    from .adapters.dynamodb import store_from_environment

    return store_from_environment()


sweep_handler: Handler = make_sweep_handler(_store_from_environment)
"""The Lambda handler for the table of ``$ACCESS_REQUESTS_TABLE``
(``access_requests.sweep.sweep_handler``), through ``store_from_environment``."""


class Backoff:
    """How long a loop waits after failures in a row: doubling, at most ``longest``."""

    def __init__(self, first: float, longest: float) -> None:
        self._first = first
        self._longest = longest
        self.failures = 0

    def failed(self) -> float:
        """Count a failure; return how long to wait before trying again."""
        self.failures += 1
        return float(min(self._longest, self._first * 2 ** (self.failures - 1)))

    def succeeded(self) -> None:
        """Start counting again from the first delay."""
        self.failures = 0


def _survives(error: StoreUnavailable) -> bool:
    """Whether a loop waits and tries again after ``error``, rather than stopping."""
    return not isinstance(error, NEEDS_A_PERSON)


def sweep_every(
    store: Sweepable,
    interval: float,
    *,
    stop: threading.Event,
    on_sweep: Callable[[SweepResult], None] = lambda result: None,
    first_retry: float = 1.0,
) -> None:
    """Sweep now and every ``interval`` seconds until ``stop`` is set.

    A StoreUnavailable is logged as a warning and retried after a backoff
    (1 s, doubling, at most ``interval``); the loop goes on. A failure no
    retry mends (TableNotFound, AccessDenied, TableDiffers) or any other
    error ends the loop, raised.

    Args:
        store: Any RequestStore.
        interval: Seconds from the end of one sweep to the start of the next.
        stop: Set it (from a signal handler, another thread) to end the loop;
            a sweep under way finishes its batch first.
        on_sweep: Called with each sweep's result.
        first_retry: Seconds before the first retry after a failure.
    """
    backoff = Backoff(first_retry, interval)
    while not stop.is_set():
        try:
            result = sweep(store, time_left=None)
        except StoreUnavailable as error:
            if not _survives(error):
                raise
            delay = backoff.failed()
            logger.warning("sweep failed (%s); trying again in %.3g s", error, delay)
            stop.wait(delay)
            continue
        backoff.succeeded()
        on_sweep(result)
        stop.wait(interval)


async def sweep_every_async(
    store: AsyncSweepable,
    interval: float,
    *,
    on_sweep: Callable[[SweepResult], None] = lambda result: None,
    first_retry: float = 1.0,
) -> None:
    """``sweep_every`` as an asyncio task, sweeping every ``interval`` s until cancelled."""
    backoff = Backoff(first_retry, interval)
    while True:
        try:
            result = await sweep_async(store, time_left=None)
        except StoreUnavailable as error:
            if not _survives(error):
                raise
            delay = backoff.failed()
            logger.warning("sweep failed (%s); trying again in %.3g s", error, delay)
            await asyncio.sleep(delay)
            continue
        backoff.succeeded()
        on_sweep(result)
        await asyncio.sleep(interval)
