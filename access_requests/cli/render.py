"""How requests look on a terminal, and as JSON for scripts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from ..adapters.timestamps import format_timestamp
from ..domain import Request, utc_now
from ..ports import Page
from . import width
from .durations import describe_duration

COLUMNS = ("id", "status", "requester", "profile", "duration", "created_at", "approver")
_WIDEST = 40
_GAP = "  "
# The domain's messages show instants as isoformat() writes them (+00:00).
_ISO_UTC = re.compile(
    r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{6})?\+00:00"
)


def request_json(request: Request, *, now: datetime | None = None) -> dict[str, Any]:
    """Return a request as a JSON-ready dict: timestamps in RFC 3339, duration in seconds.

    ``is_expired`` is true for a request still stored as pending whose
    expires_at has passed at ``now`` (default: the current time).
    """
    return {
        "id": request.id,
        "requester": request.requester,
        "profile": request.profile,
        "justification": request.justification,
        "duration_seconds": request.duration.total_seconds(),
        "status": request.status.value,
        "is_expired": request.is_expired(now or utc_now()),
        "created_at": format_timestamp(request.created_at),
        "updated_at": format_timestamp(request.updated_at),
        "expires_at": format_timestamp(request.expires_at),
        "approver": request.approver,
        "approver_comment": request.approver_comment,
    }


def page_json(page: Page, *, now: datetime | None = None) -> dict[str, Any]:
    """Return a page as a JSON-ready dict of its items and next cursor."""
    return {
        "items": [request_json(request, now=now) for request in page],
        "next_cursor": page.next_cursor,
    }


def status(request: Request, now: datetime) -> str:
    """Return the request's status, marking one whose expiry has passed but is not stored."""
    if request.is_expired(now):
        return "pending (expired)"
    return request.status.value


def cells(request: Request, *, now: datetime | None = None) -> dict[str, str]:
    """Return the values a table shows for a request, one per column name."""
    return {
        "id": request.id,
        "status": status(request, now or utc_now()),
        "requester": request.requester,
        "profile": request.profile,
        "duration": describe_duration(request.duration),
        "created_at": request.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        "expires_at": request.expires_at.strftime("%Y-%m-%d %H:%M:%S"),
        "approver": request.approver or "-",
        "comment": request.approver_comment or "-",
        "justification": request.justification,
    }


class Table:
    """A plain-text table printed a page at a time, its header once.

    Each column is as wide as the widest value shown so far: a later page with
    a longer value widens its column from there on, rather than waiting for
    every page before printing anything.
    """

    def __init__(
        self, columns: Sequence[str] = COLUMNS, *, now: datetime | None = None
    ) -> None:
        self._columns = tuple(columns)
        self._now = now or utc_now()
        self._widths = [width.columns(column) for column in self._columns]
        self._started = False

    def lines(self, requests: Iterable[Request]) -> list[str]:
        """Return the lines of these requests, after the header if it is not out yet."""
        rows = [
            [_fit(cells(request, now=self._now)[column]) for column in self._columns]
            for request in requests
        ]
        for row in rows:
            self._widths = [
                max(known, width.columns(cell))
                for known, cell in zip(self._widths, row, strict=True)
            ]
        if not rows:
            return []
        header = [] if self._started else self._header()
        self._started = True
        return header + [self._line(row) for row in rows]

    @property
    def started(self) -> bool:
        """Whether any row has been returned."""
        return self._started

    def _header(self) -> list[str]:
        return [
            self._line([column.upper() for column in self._columns]),
            self._line(["-" * size for size in self._widths]),
        ]

    def _line(self, row: Sequence[str]) -> str:
        return _GAP.join(
            width.pad(cell, size) for cell, size in zip(row, self._widths, strict=True)
        ).rstrip()


def table(
    requests: Iterable[Request],
    columns: Sequence[str] = COLUMNS,
    *,
    now: datetime | None = None,
) -> str:
    """Return requests as a plain-text table, one row each, long values shortened."""
    lines = Table(columns, now=now).lines(requests)
    return "\n".join(lines) if lines else "(no requests)"


def details(request: Request, *, now: datetime | None = None) -> str:
    """Return one request as aligned ``field: value`` lines."""
    values = cells(request, now=now)
    values["created_at"] = format_timestamp(request.created_at)
    values["updated_at"] = format_timestamp(request.updated_at)
    values["expires_at"] = format_timestamp(request.expires_at)
    order = (
        "id",
        "status",
        "requester",
        "profile",
        "justification",
        "duration",
        "created_at",
        "updated_at",
        "expires_at",
        "approver",
        "comment",
    )
    size = max(len(name) for name in order)
    return "\n".join(f"{name.ljust(size)}  {_printable(values[name])}" for name in order)


def in_message(text: str) -> str:
    """Return an error message with its instants in the form the rest of the output uses."""
    return _ISO_UTC.sub(
        lambda match: format_timestamp(datetime.fromisoformat(match.group())), text
    )


def _fit(value: str) -> str:
    return width.shorten(_printable(value), _WIDEST)


def _printable(value: str) -> str:
    """Show control characters escaped, so that a value cannot rewrite the terminal."""
    if value.isprintable():
        return value
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in value)
