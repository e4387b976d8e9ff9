"""Benchmark 3: InMemoryRequestStore at 1,000, 10,000 and 100,000 stored requests.

Five requesters and five profiles share the requests, so that every listing
has a full 100-item page at every size; a fifth are pending. Each figure is
the median of single calls.
"""

from __future__ import annotations

import functools
import itertools
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

import attrs

from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.domain import Request, RequestStatus
from access_requests.ports import ManualClock

from .requests import sample_requests
from .timing import median_each

SIZES = (1_000, 10_000, 100_000)
CALLS = 300


def _operations(
    store: InMemoryRequestStore, requests: list[Request], clock: ManualClock
) -> dict[str, Callable[[], object]]:
    # New requests are the newest, as Request.new makes them.
    newest = max(request.created_at for request in requests)
    fresh = iter(sample_requests(3 * CALLS, seed=99, requesters=5, profiles=5, start=newest))
    ids = itertools.cycle([request.id for request in requests[:: max(1, len(requests) // 500)]])
    pending = next(r for r in requests if r.status is RequestStatus.PENDING)
    current = [pending]

    def update() -> None:
        current[0] = store.update(attrs.evolve(current[0], approver_comment=str(clock())))

    return {
        "create": lambda: store.create(next(fresh)),
        "get": lambda: store.get(next(ids)),
        "update": update,
        "list_by_requester": functools.partial(
            store.list_by_requester, "engineer-0@example.com", limit=100
        ),
        "list_by_status": functools.partial(
            store.list_by_status, RequestStatus.APPROVED, limit=100
        ),
        "list_by_profile": functools.partial(store.list_by_profile, "profile-0", limit=100),
        "list_pending": functools.partial(store.list_pending, limit=100),
    }


def run(sizes: tuple[int, ...] = SIZES, *, rounds: int = 10) -> dict[int, dict[str, float]]:
    """Return, for each size, each operation's median seconds per call.

    Every size's store is built first; then the sizes take turns, round after
    round, so that a slow spell of the machine falls on all of them alike.
    """
    operations: dict[int, dict[str, Callable[[], object]]] = {}
    for size in sizes:
        requests = sample_requests(size, requesters=5, profiles=5)
        latest = max(request.created_at for request in requests)
        clock = ManualClock(latest + timedelta(hours=1))
        store = InMemoryRequestStore(clock=clock)
        for request in requests:
            store.create(request)
        operations[size] = _operations(store, requests, clock)
        for name, action in operations[size].items():
            if name.startswith("list"):
                assert len(action()) == 100, name  # type: ignore[arg-type]
    samples: dict[int, dict[str, list[float]]] = {
        size: {name: [] for name in operations[size]} for size in sizes
    }
    for _ in range(rounds):
        for size in sizes:
            for name, action in operations[size].items():
                samples[size][name].append(
                    median_each(action, CALLS // rounds, time.perf_counter)
                )
    return {
        size: {name: statistics.median(times) for name, times in figures.items()}
        for size, figures in samples.items()
    }


if __name__ == "__main__":
    for size, figures in run().items():
        print(size, {name: f"{seconds * 1e6:.1f} us" for name, seconds in figures.items()})
