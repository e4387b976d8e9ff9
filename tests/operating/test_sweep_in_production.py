"""The sweep in production: a scheduled Lambda's handler, and loops that survive failures."""

import asyncio
import json
import logging
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from cli_process import environment
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests import InMemoryRequestStore
from access_requests.adapters.dynamodb import DynamoDBRequestStore, TableNotFound
from access_requests.aio import AsyncInMemoryRequestStore
from access_requests.contract_tests import ManualClock, make_request
from access_requests.domain import utc_now
from access_requests.ports import StoreUnavailable
from access_requests.sweep import (
    SweepResult,
    make_sweep_handler,
    sweep,
    sweep_async,
    sweep_every,
    sweep_every_async,
)


def overdue_store(count: int) -> InMemoryRequestStore:
    """An in-memory store holding ``count`` pending requests whose expiry has passed."""
    clock = ManualClock()
    store = InMemoryRequestStore(clock=clock)
    for _ in range(count):
        store.create(make_request(clock(), ttl=timedelta(minutes=1)))
    clock.advance(timedelta(hours=1))
    return store


class LambdaContext:
    """The part of Lambda's context the handler reads: the time left, from a script."""

    def __init__(self, *remaining_ms: int) -> None:
        self._remaining = list(remaining_ms)

    def get_remaining_time_in_millis(self) -> int:
        return self._remaining.pop(0) if len(self._remaining) > 1 else self._remaining[0]


class FailingOnce:
    """A store whose ``expire_overdue`` fails once, at its ``failing_call``-th call."""

    def __init__(
        self, store: InMemoryRequestStore, failing_call: int, error: Exception
    ) -> None:
        self.store = store
        self.calls = 0
        self._failing_call = failing_call
        self._error = error

    def expire_overdue(self, *, limit: int = 1000) -> int:
        self.calls += 1
        if self.calls == self._failing_call:
            raise self._error
        return self.store.expire_overdue(limit=limit)


def test_the_handler_sweeps_until_nothing_is_overdue_and_returns_what_it_moved() -> None:
    """250 overdue requests, 100 a batch: 3 batches move them, a 4th finds none."""
    handler = make_sweep_handler(lambda: overdue_store(250))
    result = handler({}, LambdaContext(60_000))
    assert (result["expired"], result["batches"], result["complete"]) == (250, 4, True)
    assert json.loads(json.dumps(result)) == result


def test_the_handler_stops_while_the_time_left_still_holds_a_batch() -> None:
    """With under a second left after two batches, it stops and says it did not finish."""
    store = overdue_store(250)
    handler = make_sweep_handler(lambda: store)
    result = handler({}, LambdaContext(5_000, 4_000, 900))
    assert (result["expired"], result["batches"], result["complete"]) == (200, 2, False)
    # Check the next invocation goes on from there
    assert handler({}, LambdaContext(5_000))["expired"] == 50


def test_the_margin_grows_with_the_slowest_batch() -> None:
    """A batch that took 0.3 s needs 2 x 0.3 s more than the margin before another starts."""
    store = overdue_store(250)

    class Slow:
        def expire_overdue(self, *, limit: int = 1000) -> int:
            threading.Event().wait(0.3)
            return store.expire_overdue(limit=limit)

    result = sweep(Slow(), time_left=lambda: 1.5, margin=1.0)
    assert (result.batches, result.complete) == (1, False)


def test_the_store_is_built_once_a_container_and_a_failed_build_is_tried_again() -> None:
    """The factory runs on the first invocation, not on later ones; a failing one runs again."""
    builds: list[int] = []

    def factory() -> InMemoryRequestStore:
        builds.append(1)
        if len(builds) == 1:
            raise StoreUnavailable("describe", "requests", "not yet")
        return overdue_store(3)

    handler = make_sweep_handler(factory)
    with pytest.raises(StoreUnavailable):
        handler({}, LambdaContext(60_000))
    assert handler({}, LambdaContext(60_000))["expired"] == 3
    assert handler({}, LambdaContext(60_000))["expired"] == 0
    assert len(builds) == 2


def test_a_failure_is_logged_with_what_moved_raised_and_the_next_invocation_sweeps(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Lambda records the failure; the log says 100 moved before it; the next one finishes."""
    failing = FailingOnce(overdue_store(250), 2, StoreUnavailable("query", "t", "throttled"))
    handler = make_sweep_handler(lambda: failing)
    with caplog.at_level(logging.INFO, "access_requests"), pytest.raises(StoreUnavailable):
        handler({}, LambdaContext(60_000))
    failure = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert failure.getMessage() == "sweep failed after moving 100 requests to expired"
    assert failure.sweep["expired"] == 100  # type: ignore[attr-defined]
    assert failure.exc_info is not None
    assert handler({}, LambdaContext(60_000))["expired"] == 150


def test_the_shipped_handler_sweeps_the_table_of_the_environment(
    moto_server: str, server_table: tuple[DynamoDBClient, str]
) -> None:
    """access_requests.sweep.sweep_handler, imported as Lambda does, reads the environment."""
    client, table = server_table
    store = DynamoDBRequestStore(client, table)
    for _ in range(3):
        store.create(make_request(utc_now() - timedelta(hours=2), ttl=timedelta(hours=1)))
    invoke = "from access_requests.sweep import sweep_handler; print(sweep_handler({}, None))"
    result = subprocess.run(
        [sys.executable, "-c", invoke],
        env=environment(AWS_ENDPOINT_URL_DYNAMODB=moto_server, ACCESS_REQUESTS_TABLE=table),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "'expired': 3, 'batches': 2, 'complete': True" in result.stdout


def test_the_async_sweep_follows_the_same_rules() -> None:
    """sweep_async on an async store moves the same requests in the same batches."""
    clock = ManualClock()
    store = AsyncInMemoryRequestStore(clock=clock)

    async def scenario() -> SweepResult:
        for _ in range(150):
            await store.create(make_request(clock(), ttl=timedelta(minutes=1)))
        clock.advance(timedelta(hours=1))
        return await sweep_async(store)

    result = asyncio.run(scenario())
    assert (result.expired, result.batches, result.complete) == (150, 3, True)


def run_until_swept(
    loop: Callable[[threading.Event, Callable[[SweepResult], None]], None],
) -> list[SweepResult]:
    """Run ``loop`` until its first sweep that succeeds; return the sweeps it reported."""
    stop = threading.Event()
    results: list[SweepResult] = []

    def report(result: SweepResult) -> None:
        results.append(result)
        stop.set()

    loop(stop, report)
    return results


def test_the_loop_survives_an_unavailable_store_with_backoff(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two failures in a row are logged, retried after 0.01 s, then 0.02 s; the sweep runs."""
    store = overdue_store(5)
    flaky = FailingOnce(store, 1, StoreUnavailable("query", "t", "throttled"))
    again = FailingOnce(store, 1, StoreUnavailable("query", "t", "throttled again"))

    class TwiceFailing:
        def expire_overdue(self, *, limit: int = 1000) -> int:
            if flaky.calls < 1:
                return flaky.expire_overdue(limit=limit)
            if again.calls < 1:
                return again.expire_overdue(limit=limit)
            return store.expire_overdue(limit=limit)

    with caplog.at_level(logging.WARNING, "access_requests"):
        results = run_until_swept(
            lambda stop, report: sweep_every(
                TwiceFailing(), 60, stop=stop, on_sweep=report, first_retry=0.01
            )
        )
    assert [result.expired for result in results] == [5]
    assert [record.getMessage() for record in caplog.records] == [
        "sweep failed (query on table 't' failed: throttled); trying again in 0.01 s",
        "sweep failed (query on table 't' failed: throttled again); trying again in 0.02 s",
    ]


def test_the_loop_stops_on_a_failure_no_retry_mends() -> None:
    """A missing table is raised at once: retrying it forever would hide it."""
    missing = FailingOnce(overdue_store(1), 1, TableNotFound("query", "t"))
    with pytest.raises(TableNotFound):
        run_until_swept(
            lambda stop, report: sweep_every(missing, 60, stop=stop, on_sweep=report)
        )


def test_the_async_loop_survives_errors_until_cancelled() -> None:
    """A service's background task: a failure is retried, each sweep told, until cancelled."""
    clock = ManualClock()
    store = AsyncInMemoryRequestStore(clock=clock)
    failures = [StoreUnavailable("query", "t", "throttled")]

    class Flaky:
        async def expire_overdue(self, *, limit: int = 1000) -> int:
            if failures:
                raise failures.pop()
            return await store.expire_overdue(limit=limit)

    async def scenario() -> list[SweepResult]:
        await store.create(make_request(clock(), ttl=timedelta(minutes=1)))
        clock.advance(timedelta(hours=1))
        results: list[SweepResult] = []
        task = asyncio.create_task(
            sweep_every_async(Flaky(), 0.01, on_sweep=results.append, first_retry=0.01)
        )
        while len(results) < 2:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return results

    results = asyncio.run(scenario())
    assert [result.expired for result in results[:2]] == [1, 0]
