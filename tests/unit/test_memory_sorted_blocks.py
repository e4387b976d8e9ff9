"""SortedBlocks against a plain sorted list, in blocks of every size, through every change."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from access_requests.adapters import memory_sorted
from access_requests.adapters.memory_sorted import SortedBlocks

KEYS = st.integers(min_value=0, max_value=60)
KINDS = st.sampled_from(["add", "remove"])
CHANGES = st.lists(st.tuples(KINDS, st.lists(KEYS, max_size=8)), max_size=30)


@given(
    block=st.sampled_from([1, 2, 3, 1000]),
    initial=st.sets(KEYS, max_size=40),
    changes=CHANGES,
    before=st.one_of(st.none(), KEYS),
    bound=KEYS,
)
def test_every_walk_matches_a_sorted_list(
    block: int,
    initial: set[int],
    changes: list[tuple[str, list[int]]],
    before: int | None,
    bound: int,
) -> None:
    """Whatever enters and leaves, the blocks walk as the sorted list of what they hold."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(memory_sorted, "_BLOCK", block)
        blocks = SortedBlocks((key, "id") for key in initial)
        held = set(initial)
        for change, keys in changes:
            if change == "add":
                for key in sorted(set(keys) - held):
                    blocks.add((key, "id"))
                held |= set(keys)
            else:
                for key in sorted(set(keys) & held):
                    blocks.remove((key, "id"))
                held -= set(keys)
            # Check each change leaves exactly what is held, in order
            assert [key for key, _ in blocks] == sorted(held)
            assert len(blocks) == len(held)
        limit = None if before is None else (before, "id")
        assert [key for key, _ in blocks.descending(limit)] == sorted(
            (key for key in held if before is None or key < before), reverse=True
        )
        after = [key for key, _ in blocks.ascending_after(bound, lambda entry: entry[0])]
        assert after == sorted(key for key in held if key > bound)
