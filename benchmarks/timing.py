"""Measuring: medians of repeated, interleaved runs, so that noise hits every side alike.

The garbage collector is paused while a measurement runs, as timeit does, so
that a collection of everything else in the process is not charged to
whatever happened to be running.
"""

from __future__ import annotations

import contextlib
import gc
import statistics
import time
from collections.abc import Callable, Iterator, Mapping


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the garbage collector while inside (it runs once before)."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def per_call(action: Callable[[], object], calls: int, clock: Callable[[], float]) -> float:
    """Return the mean time of one call of ``action`` over ``calls`` calls, by ``clock``."""
    start = clock()
    for _ in range(calls):
        action()
    return (clock() - start) / calls


def interleaved_medians(
    contenders: Mapping[str, Callable[[], object]],
    *,
    calls: int,
    rounds: int,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Time each contender ``rounds`` times, taking turns, and return each one's median.

    Every round runs every contender once for ``calls`` calls, so a noisy
    moment on a shared machine slows all of them rather than one.
    """
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for action in contenders.values():
        action()  # warm up: imports, caches, generated code
    with collector_paused():
        for _ in range(rounds):
            for name, action in contenders.items():
                samples[name].append(per_call(action, calls, clock))
    return {name: statistics.median(times) for name, times in samples.items()}


def median_each(action: Callable[[], object], times: int, clock: Callable[[], float]) -> float:
    """Return the median duration of ``times`` single calls of ``action``, after a warm-up."""
    for _ in range(max(1, times // 10)):
        action()
    samples = []
    with collector_paused():
        for _ in range(times):
            start = clock()
            action()
            samples.append(clock() - start)
    return statistics.median(samples)
