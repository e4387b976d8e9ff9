"""One page of a listing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs

from ..domain import Request


@attrs.frozen
class Page:
    """Requests of one listing, newest first, and the cursor of the page after.

    Attributes:
        items: The requests on this page.
        next_cursor: Pass it back as ``cursor`` to get the next page; None when
            this is the last page. The page after a cursor may be empty.
    """

    items: tuple[Request, ...]
    next_cursor: str | None = None

    def __iter__(self) -> Iterator[Request]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def follow(listing: Callable[..., Page], *, limit: int = 100) -> Iterator[Page]:
    """Yield every page of a listing, following next_cursor until it is None.

    ``listing`` is a listing with its key bound, such as
    ``functools.partial(store.list_by_requester, "alice")``; it is called as
    ``listing(limit=limit, cursor=cursor)``.
    """
    cursor: str | None = None
    while True:
        page = listing(limit=limit, cursor=cursor)
        yield page
        cursor = page.next_cursor
        if cursor is None:
            return
