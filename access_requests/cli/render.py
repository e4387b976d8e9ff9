"""How requests look on a terminal, and as JSON for scripts."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TextIO

from ..adapters.timestamps import format_timestamp
from ..domain import Request, RequestStatus, utc_now
from ..ports import Page
from . import width
from .durations import describe_duration

COLUMNS = ("id", "status", "requester", "profile", "duration", "created_at", "approver")
_WIDEST = 40
# Widths a column keeps from its first page on, whatever that page held: the
# status a later page may show, and room for typical names.
_NARROWEST = {
    "status": len("pending (expired)"),
    "requester": 16,
    "profile": 16,
    "approver": 16,
}
_UNICODE_ENCODINGS = frozenset({"utf-8", "utf-16", "utf-32", "utf-8-sig", "gb18030"})
_GAP = "  "
# The domain's messages show instants as isoformat() writes them (+00:00).
_ISO_UTC = re.compile(
    r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{6})?\+00:00"
)


def request_json(request: Request, *, now: datetime | None = None) -> dict[str, Any]:
    """Return a request as a JSON-ready dict: timestamps in RFC 3339, duration in seconds.

    ``is_expired`` is true for a request marked expired, and for one still
    stored as pending whose expires_at has passed at ``now`` (default: the
    current time). ``access_window_end`` is when access would end if it were
    approved: created_at + duration.
    """
    return {
        "id": request.id,
        "requester": request.requester,
        "profile": request.profile,
        "justification": request.justification,
        "duration_seconds": request.duration.total_seconds(),
        "status": request.status.value,
        "is_expired": is_expired(request, now or utc_now()),
        "created_at": format_timestamp(request.created_at),
        "updated_at": format_timestamp(request.updated_at),
        "expires_at": format_timestamp(request.expires_at),
        "access_window_end": format_timestamp(request.access_window_end),
        "approver": request.approver,
        "approver_comment": request.approver_comment,
    }


def page_json(page: Page, *, now: datetime | None = None) -> dict[str, Any]:
    """Return a page as a JSON-ready dict of its items and next cursor."""
    return {
        "items": [request_json(request, now=now) for request in page],
        "next_cursor": page.next_cursor,
    }


def is_expired(request: Request, now: datetime) -> bool:
    """Whether the request is expired: marked so, or pending with its expiry passed."""
    return request.status is RequestStatus.EXPIRED or request.is_expired(now)


def dumps(document: object, out: TextIO) -> str:
    """Return ``document`` as compact JSON that ``out`` can write.

    Non-ASCII text is written as it is where ``out`` encodes all of Unicode,
    and as ``\\u`` escapes otherwise (an ASCII-only terminal or pipe): the
    same JSON either way, never an encoding error.
    """
    return json.dumps(document, ensure_ascii=not encodes_unicode(out))


def encodes_unicode(out: TextIO) -> bool:
    """Whether ``out`` can write every character (its encoding is one of Unicode's)."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name in _UNICODE_ENCODINGS
    except LookupError:
        return False


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
        "access_ends": request.access_window_end.strftime("%Y-%m-%d %H:%M:%S"),
        "approver": request.approver or "-",
        "comment": request.approver_comment or "-",
        "justification": request.justification,
    }


class Table:
    """A plain-text table printed a page at a time, its header once.

    The first page sets each column's width (at least its header, and for
    the columns of names and status a typical width); later pages keep those
    widths, shortening a longer value with an ellipsis, so that every row of
    a long listing lines up with the header and a script can cut the columns
    at fixed places.
    """

    def __init__(
        self, columns: Sequence[str] = COLUMNS, *, now: datetime | None = None
    ) -> None:
        self._columns = tuple(columns)
        self._now = now or utc_now()
        self._widths = [
            max(width.columns(column), _NARROWEST.get(column, 0)) for column in self._columns
        ]
        self._started = False

    def lines(self, requests: Iterable[Request]) -> list[str]:
        """Return the lines of these requests, after the header if it is not out yet."""
        rows = [
            [_fit(cells(request, now=self._now)[column]) for column in self._columns]
            for request in requests
        ]
        if not rows:
            return []
        if self._started:
            rows = [
                [
                    width.shorten(cell, size)
                    for cell, size in zip(row, self._widths, strict=True)
                ]
                for row in rows
            ]
        else:
            for row in rows:
                self._widths = [
                    max(known, width.columns(cell))
                    for known, cell in zip(self._widths, row, strict=True)
                ]
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
    values["access_ends"] = format_timestamp(request.access_window_end)
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
        "access_ends",
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
