"""SortedBlocks: a sorted sequence kept in blocks, for the in-memory store's indexes.

One sorted list makes every entry that enters or leaves it move all the
entries after it (a memmove of the list's tail): at the front of a million
entries, as the sweep takes the oldest pending requests out, that is a
millisecond per entry. In blocks of at most 2,000, an entry enters or leaves
in O(log n) comparisons and a move of one block, wherever it lies; walks
yield the entries in order across the blocks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any, Generic, TypeVar

T = TypeVar("T", bound=tuple[Any, ...])

_BLOCK = 1000
"""Entries a new block holds; a block splits in two when it passes twice this."""


class SortedBlocks(Generic[T]):
    """Distinct tuples in ascending order, in blocks. Not thread-safe on its own."""

    def __init__(self, entries: Iterable[T] = ()) -> None:
        ordered = sorted(entries)
        self._blocks = [
            ordered[start : start + _BLOCK] for start in range(0, len(ordered), _BLOCK)
        ]
        self._lasts = [block[-1] for block in self._blocks]
        self._length = len(ordered)

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[T]:
        return chain.from_iterable(self._blocks)

    def add(self, entry: T) -> None:
        """Insert ``entry``, which it does not hold."""
        self._length += 1
        if not self._blocks:
            self._blocks.append([entry])
            self._lasts.append(entry)
            return
        place = min(bisect_left(self._lasts, entry), len(self._blocks) - 1)
        block = self._blocks[place]
        insort(block, entry)
        self._lasts[place] = block[-1]
        if len(block) > 2 * _BLOCK:
            self._blocks[place : place + 1] = [block[:_BLOCK], block[_BLOCK:]]
            self._lasts[place : place + 1] = [block[_BLOCK - 1], block[-1]]

    def remove(self, entry: T) -> None:
        """Take out ``entry``, which it holds."""
        place = bisect_left(self._lasts, entry)
        block = self._blocks[place]
        del block[bisect_left(block, entry)]
        self._length -= 1
        if block:
            self._lasts[place] = block[-1]
        else:
            del self._blocks[place]
            del self._lasts[place]

    def descending(self, before: T | None = None) -> Iterator[T]:
        """Yield the entries less than ``before`` (all if None), greatest first."""
        if not self._blocks:
            return
        if before is None:
            place = len(self._blocks) - 1
            stop = len(self._blocks[place])
        else:
            place = bisect_left(self._lasts, before)
            if place == len(self._blocks):
                place -= 1
                stop = len(self._blocks[place])
            else:
                stop = bisect_left(self._blocks[place], before)
        block = self._blocks[place]
        for position in range(stop - 1, -1, -1):
            yield block[position]
        for earlier in range(place - 1, -1, -1):
            yield from reversed(self._blocks[earlier])

    def count_after(self, bound: Any, key: Callable[[T], Any]) -> int:
        """How many entries have a ``key`` greater than ``bound``; O(log n + n / block).

        ``key`` must follow the entries' order (their first element does).
        """
        place = bisect_right(self._lasts, bound, key=key)
        if place == len(self._blocks):
            return 0
        block = self._blocks[place]
        later = sum(map(len, self._blocks[place + 1 :]))
        return later + len(block) - bisect_right(block, bound, key=key)

    def ascending_after(self, bound: Any, key: Callable[[T], Any]) -> Iterator[T]:
        """Yield the entries whose ``key`` is greater than ``bound``, least first.

        ``key`` must follow the entries' order (their first element does).
        """
        place = bisect_right(self._lasts, bound, key=key)
        if place == len(self._blocks):
            return
        block = self._blocks[place]
        for position in range(bisect_right(block, bound, key=key), len(block)):
            yield block[position]
        for later in range(place + 1, len(self._blocks)):
            yield from self._blocks[later]
