"""What each command about requests does, through the public API of the library."""

from __future__ import annotations

import argparse
import functools
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TextIO

from ..adapters.timestamps import format_timestamp
from ..domain import MAX_DURATION, InvalidRequest, Request, RequestStatus, utc_now
from ..domain.request import MAX_JUSTIFICATION_BYTES, MIN_JUSTIFICATION_LENGTH
from ..ports import Page
from ..sweep import SweepResult, sweep_every
from . import render, target
from .durations import MAX_TTL, parse_duration, require_within
from .exit_codes import ExitStatus
from .progress import Progress

Command = Callable[[argparse.Namespace, TextIO], ExitStatus]


def show(args: argparse.Namespace, out: TextIO, request: Request) -> ExitStatus:
    """Print one request, as lines of fields or as JSON."""
    now = utc_now()
    if args.json:
        print(render.dumps(render.request_json(request, now=now), out), file=out)
    else:
        print(render.details(request, now=now), file=out)
    return ExitStatus.OK


def submit(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    duration = require_within(
        parse_duration(args.duration, "--duration"), MAX_DURATION, "--duration", args.duration
    )
    ttl = require_within(parse_duration(args.ttl, "--ttl"), MAX_TTL, "--ttl", args.ttl)
    _require_justification(args.justification)
    request = Request.new(
        requester=args.requester,
        profile=args.profile,
        justification=args.justification,
        duration=duration,
        ttl=ttl,
    )
    target.store(args).create(request)
    if args.quiet:
        print(request.id, file=out)
        return ExitStatus.OK
    return show(args, out, request)


def _require_justification(text: str) -> None:
    """Refuse a justification as the help describes it: in characters, then in bytes.

    The domain checks bytes first (the Go system's rule), which would tell a
    person who typed 3 characters about bytes.
    """
    if not MIN_JUSTIFICATION_LENGTH <= len(text) <= MAX_JUSTIFICATION_BYTES:
        raise InvalidRequest(
            "--justification",
            f"must be {MIN_JUSTIFICATION_LENGTH} to {MAX_JUSTIFICATION_BYTES} characters,"
            f" got {len(text)}",
        )
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_JUSTIFICATION_BYTES:
        raise InvalidRequest(
            "--justification",
            f"must fit in {MAX_JUSTIFICATION_BYTES} bytes of UTF-8 (a character outside"
            f" ASCII takes 2 to 4), got {size} bytes in {len(text)} characters",
        )


def get(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    return show(args, out, target.store(args).get(args.request_id))


def list_requests(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = target.store(args)
    listing: Callable[..., Page]
    if args.requester is not None:
        listing = functools.partial(store.list_by_requester, args.requester)
    elif args.status is not None:
        listing = functools.partial(store.list_by_status, RequestStatus(args.status))
    elif args.profile is not None:
        listing = functools.partial(store.list_by_profile, args.profile)
    else:
        listing = store.list_pending
    if args.all:
        return _list_every_page(args, out, listing)
    now = utc_now()
    page = listing(limit=args.limit, cursor=args.cursor)
    if args.json:
        print(render.dumps(render.page_json(page, now=now), out), file=out)
        return ExitStatus.OK
    print(render.table(page, now=now), file=out)
    if page.next_cursor is not None:
        print(f"\nnext page: --cursor {page.next_cursor}", file=out)
    return ExitStatus.OK


def _list_every_page(
    args: argparse.Namespace, out: TextIO, listing: Callable[..., Page]
) -> ExitStatus:
    """Print each page as it arrives, so that a long listing shows its first rows at once.

    With --json, each request is one line of JSON (JSON Lines): a run cut
    short leaves every line it wrote whole, and ``jq`` reads them one by one.
    """
    now = utc_now()
    rows = render.Table(now=now)
    progress = Progress(sys.stderr, logging=args.verbose > 0)
    cursor, pages, count = args.cursor, 0, 0
    while True:
        progress.show(f"reading page {pages + 1} ({count} shown so far)")
        page = listing(limit=args.limit, cursor=cursor)
        progress.clear()
        count += len(page)
        if args.json:
            for request in page:
                print(render.dumps(render.request_json(request, now=now), out), file=out)
        else:
            for line in rows.lines(page):
                print(line, file=out)
        out.flush()
        pages, cursor = pages + 1, page.next_cursor
        if cursor is None:
            break
    if not args.json and not rows.started:
        print(render.table([]), file=out)
    return ExitStatus.OK


def approve(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    _require_approver(args.approver)
    store = target.store(args)
    current = store.get(args.request_id)
    return show(args, out, store.update(current.approve(args.approver, args.comment)))


def deny(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    _require_approver(args.approver)
    store = target.store(args)
    current = store.get(args.request_id)
    return show(args, out, store.update(current.deny(args.approver, args.comment)))


def _require_approver(approver: str) -> None:
    """An empty --approver is a mistake in the input (7), not a refused transition (6)."""
    if not approver.strip():
        raise InvalidRequest("--approver", "must name who decides, got an empty value")


def cancel(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = target.store(args)
    return show(args, out, store.update(store.get(args.request_id).cancel()))


def expire(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    if args.every is not None:
        return _expire_every(args, out)
    store = target.store(args)
    progress = Progress(sys.stderr, logging=args.verbose > 0)
    moved = 0
    while True:
        progress.show(f"marking overdue requests expired ({moved} so far)")
        batch = store.expire_overdue()
        moved += batch
        if batch == 0:
            break
    progress.clear()
    if args.json:
        print(render.dumps({"expired": moved}, out), file=out)
    else:
        print(_marked(moved), file=out)
    return ExitStatus.OK


def _marked(moved: int) -> str:
    if moved == 1:
        return "marked 1 pending request past its expiry as expired"
    return f"marked {moved} pending requests past their expiry as expired"


def _expire_every(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    """Sweep now and every --every, until SIGINT or SIGTERM: a line per sweep."""
    interval = require_within(
        parse_duration(args.every, "--every"), MAX_TTL, "--every", args.every
    ).total_seconds()
    store = target.store(args)
    stop = threading.Event()

    def report(result: SweepResult) -> None:
        at = format_timestamp(utc_now())
        if args.json:
            print(render.dumps({"at": at, **result.as_dict()}, out), file=out, flush=True)
        else:
            print(f"{at}  {_marked(result.expired)}", file=out, flush=True)

    with _stopping_on_signals(stop):
        sweep_every(store, interval, stop=stop, on_sweep=report)
    print("access-requests: stopped", file=sys.stderr)
    return ExitStatus.OK


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """Set ``stop`` on SIGINT or SIGTERM while inside, so that a loop ends between batches."""

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    caught = (signal.SIGINT, signal.SIGTERM)
    saved = {signum: signal.signal(signum, handle) for signum in caught}
    try:
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)


def check(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = target.store(args)
    granting = store.find_active_approval(args.requester, args.profile)
    if granting is not None:
        return show(args, out, granting)
    if args.json:
        print("null", file=out)
    else:
        print(
            f"no access: {args.requester!r} holds no approved request that grants"
            f" {args.profile!r} now",
            file=out,
        )
    return ExitStatus.NO_ACCESS


COMMANDS: dict[str, Command] = {
    "submit": submit,
    "get": get,
    "list": list_requests,
    "approve": approve,
    "deny": deny,
    "cancel": cancel,
    "expire": expire,
    "check": check,
}
