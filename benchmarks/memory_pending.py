"""Benchmark 5: InMemoryRequestStore's list_pending among 1k, 100k and 1M expired pending.

Each store holds the same 1,000 live pending requests, spread evenly among
the expired ones by created_at, so that a walk of the pending requests that
filtered out the expired ones would pass about ``expired / 1,000`` of them
for every request it returns. The expired ones are still pending (nothing
has swept them), as in a service that never runs expire_overdue. Each figure
is the median of single calls, the stores taking turns; the one-off cost of
the first listing after they expired (which takes them out of the live
index) and of sweeping them are measured once each.
"""

from __future__ import annotations

import functools
import gc
import statistics
import time
from datetime import timedelta

from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.ports import ManualClock

from .requests import START, pending_request
from .timing import collector_paused, median_each

EXPIRED = (1_000, 100_000, 1_000_000)
LIVE = 1_000
CALLS = 300
SWEEP = 1_000
TTL = timedelta(hours=1)


def _store(expired: int) -> tuple[InMemoryRequestStore, float]:
    """A store of ``expired`` expired and LIVE live pending requests, one a second.

    Returns it, and the seconds the first list_pending took (it moves the
    expired requests out of the live index).
    """
    total = expired + LIVE
    every = total // LIVE
    now = START + timedelta(seconds=total) + TTL
    clock = ManualClock(now)
    store = InMemoryRequestStore(clock=clock)
    # Created oldest first, as Request.new makes them, so every index appends; with
    # the collector paused, which would otherwise scan the growing store again and again.
    with collector_paused():
        for number in range(total):
            created_at = START + timedelta(seconds=number)
            live = number % every == every - 1 and number // every < LIVE
            ttl = now - created_at + timedelta(days=1) if live else TTL
            store.create(pending_request(number, created_at, ttl))
        start = time.perf_counter()
        first = store.list_pending(limit=100)
        moved_out = time.perf_counter() - start
    assert len(first) == 100
    return store, moved_out


def _pending_rows(results: dict[int, dict[str, float]]) -> list[str]:
    none = results[0]["list_pending"]
    rows = []
    for expired, figures in results.items():
        listing = figures["list_pending"]
        row = (
            f"{expired:>9,} expired pending: list_pending {listing * 1e6:.1f} us"
            f" ({listing / none:.2f}x none),"
            f" first listing {figures['first listing'] * 1e3:.1f} ms"
        )
        if expired:
            row += f", expire_overdue {figures['expire_overdue per request'] * 1e6:.1f} us each"
        rows.append(row)
    return rows


def run(
    expired_counts: tuple[int, ...] = EXPIRED, *, rounds: int = 10
) -> dict[int, dict[str, float]]:
    """Return, for none and each count of expired pending requests, seconds per operation.

    ``list_pending`` is the median of single 100-item pages; ``first listing``
    is the one call that moved the expired requests out of the live index;
    ``expire_overdue per request`` is one sweep of SWEEP requests, per request.
    """
    counts = (0, *expired_counts)
    stores: dict[int, InMemoryRequestStore] = {}
    figures: dict[int, dict[str, float]] = {}
    for expired in counts:
        stores[expired], moved_out = _store(expired)
        figures[expired] = {"first listing": moved_out}
    # Millions of stored objects would make every measurement's collection take seconds.
    gc.freeze()
    samples: dict[int, list[float]] = {expired: [] for expired in counts}
    for _ in range(rounds):
        for expired, store in stores.items():
            action = functools.partial(store.list_pending, limit=100)
            samples[expired].append(median_each(action, CALLS // rounds, time.perf_counter))
    for expired, store in stores.items():
        figures[expired]["list_pending"] = statistics.median(samples[expired])
        if expired:
            with collector_paused():
                start = time.perf_counter()
                moved = store.expire_overdue(limit=SWEEP)
                elapsed = time.perf_counter() - start
            assert moved == min(SWEEP, expired)
            figures[expired]["expire_overdue per request"] = elapsed / moved
    gc.unfreeze()
    return figures


if __name__ == "__main__":
    from .report import pending_goal

    results = run()
    for line in _pending_rows(results):
        print(line)
    goal = pending_goal(results)
    print(("met      " if goal.met else "NOT MET  ") + f"{goal.name}: {goal.figure:.2f}x")
