"""How requests look on a terminal, and as JSON for scripts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from ..adapters.timestamps import format_timestamp
from ..domain import Request
from ..ports import Page

COLUMNS = ("id", "status", "requester", "profile", "duration", "created_at", "approver")
_WIDEST = 40


def request_json(request: Request) -> dict[str, Any]:
    """Return a request as a JSON-ready dict: timestamps in RFC 3339, duration in seconds."""
    return {
        "id": request.id,
        "requester": request.requester,
        "profile": request.profile,
        "justification": request.justification,
        "duration_seconds": request.duration.total_seconds(),
        "status": request.status.value,
        "created_at": format_timestamp(request.created_at),
        "updated_at": format_timestamp(request.updated_at),
        "expires_at": format_timestamp(request.expires_at),
        "approver": request.approver,
        "approver_comment": request.approver_comment,
    }


def page_json(page: Page) -> dict[str, Any]:
    """Return a page as a JSON-ready dict of its items and next cursor."""
    return {
        "items": [request_json(request) for request in page],
        "next_cursor": page.next_cursor,
    }


def describe_duration(duration: timedelta) -> str:
    """Return a duration as hours and minutes, such as ``1h30m``."""
    minutes, seconds = divmod(int(duration.total_seconds()), 60)
    hours, minutes = divmod(minutes, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return text + (f"{seconds}s" if seconds or not text else "")


def cells(request: Request) -> dict[str, str]:
    """Return the values a table shows for a request, one per column name."""
    return {
        "id": request.id,
        "status": request.status.value,
        "requester": request.requester,
        "profile": request.profile,
        "duration": describe_duration(request.duration),
        "created_at": request.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        "expires_at": request.expires_at.strftime("%Y-%m-%d %H:%M:%S"),
        "approver": request.approver or "-",
        "comment": request.approver_comment or "-",
        "justification": request.justification,
    }


def table(requests: Iterable[Request], columns: Sequence[str] = COLUMNS) -> str:
    """Return requests as a plain-text table, one row each, long values shortened."""
    rows = [[_fit(cells(request)[column]) for column in columns] for request in requests]
    if not rows:
        return "(no requests)"
    widths = [
        max(len(column), *(len(row[number]) for row in rows))
        for number, column in enumerate(columns)
    ]
    lines = [
        "  ".join(
            column.upper().ljust(width) for column, width in zip(columns, widths, strict=True)
        ),
        "  ".join("-" * width for width in widths),
    ]
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def details(request: Request) -> str:
    """Return one request as aligned ``field: value`` lines."""
    values = cells(request)
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
    width = max(len(name) for name in order)
    return "\n".join(f"{name.ljust(width)}  {_printable(values[name])}" for name in order)


def _fit(value: str) -> str:
    value = _printable(value)
    return value if len(value) <= _WIDEST else value[: _WIDEST - 1] + "\u2026"


def _printable(value: str) -> str:
    """Show control characters escaped, so that a value cannot rewrite the terminal."""
    if value.isprintable():
        return value
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in value)
