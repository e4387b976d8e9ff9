"""Benchmark: the in-memory sweep's cost per request moved, at 100k and 1M pending.

Each store holds ``pending`` pending requests, one created a second after the
other, 1 in 100 still live (spread evenly among them) and the rest overdue,
as in a service whose sweep fell behind. Nothing has listed them, so they
are all still in the live index too, the costliest case for the sweep. Each
figure is the median, over ROUNDS sweeps of SWEEP requests each, of the time
per request moved; the stores take turns. The goal: the figure at 1M is
within 2x of the one at 100k (the sweep's cost per request does not grow
with the backlog, so clearing it is linear).

Run: ``.venv/bin/python -m benchmarks.sweep_scaling``.
"""

from __future__ import annotations

import gc
import statistics
import time
from datetime import timedelta

from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.ports import ManualClock

from .requests import START, pending_request
from .timing import collector_paused

PENDING = (100_000, 1_000_000)
LIVE_EVERY = 100
SWEEP = 1_000
ROUNDS = 7
TTL = timedelta(hours=1)


def _store(pending: int) -> InMemoryRequestStore:
    """A store of ``pending`` pending requests, 1 in LIVE_EVERY live, the rest overdue."""
    now = START + timedelta(seconds=pending) + TTL
    store = InMemoryRequestStore(clock=ManualClock(now))
    with collector_paused():
        for number in range(pending):
            created_at = START + timedelta(seconds=number)
            live = number % LIVE_EVERY == LIVE_EVERY - 1
            store.create(
                pending_request(number, created_at, timedelta(days=30) if live else TTL)
            )
    return store


def run(pending_counts: tuple[int, ...] = PENDING, *, rounds: int = ROUNDS) -> dict[int, float]:
    """Return, for each count of pending requests, the seconds per request one sweep moves."""
    stores = {pending: _store(pending) for pending in pending_counts}
    # Millions of stored objects would make every measurement's collection take seconds.
    gc.freeze()
    samples: dict[int, list[float]] = {pending: [] for pending in pending_counts}
    for _ in range(rounds):
        for pending, store in stores.items():
            with collector_paused():
                start = time.perf_counter()
                moved = store.expire_overdue(limit=SWEEP)
                elapsed = time.perf_counter() - start
            assert moved == SWEEP, moved
            samples[pending].append(elapsed / moved)
    gc.unfreeze()
    return {pending: statistics.median(times) for pending, times in samples.items()}


def rows(figures: dict[int, float]) -> list[str]:
    """The figures as lines, each with its ratio to the smallest store's."""
    smallest = figures[min(figures)]
    return [
        f"{pending:>9,} pending: expire_overdue {seconds * 1e6:.1f} us per request moved"
        f" ({seconds / smallest:.2f}x {min(figures):,})"
        for pending, seconds in figures.items()
    ]


if __name__ == "__main__":
    results = run()
    for line in rows(results):
        print(line)
    ratio = results[max(results)] / results[min(results)]
    print(("met      " if ratio <= 2 else "NOT MET  ") + f"1M within 2x of 100k: {ratio:.2f}x")
