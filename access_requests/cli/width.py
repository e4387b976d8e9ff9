"""How many terminal columns text takes, so that tables line up in every script.

``len()`` counts code points: a wide (East Asian) character takes two columns
and a combining mark none, so names such as ``zoë@例え.jp`` would shift every
column after them.
"""

from __future__ import annotations

import unicodedata

_ELLIPSIS = "\u2026"


def columns(text: str) -> int:
    """Return the number of terminal columns ``text`` takes."""
    return sum(_columns_of(character) for character in text)


def pad(text: str, width: int) -> str:
    """Return ``text`` followed by spaces up to ``width`` columns."""
    return text + " " * max(width - columns(text), 0)


def shorten(text: str, width: int) -> str:
    """Return ``text`` cut to at most ``width`` columns, an ellipsis marking a cut."""
    if columns(text) <= width:
        return text
    kept, used = [], 0
    for character in text:
        used += _columns_of(character)
        if used > width - 1:
            break
        kept.append(character)
    return "".join(kept) + _ELLIPSIS


def _columns_of(character: str) -> int:
    if unicodedata.combining(character):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1
