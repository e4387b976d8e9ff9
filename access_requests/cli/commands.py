"""What each command about requests does, through the public API of the library."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from typing import TextIO

from ..domain import MAX_DURATION, Request, RequestStatus, utc_now
from ..ports import Page
from . import render, target
from .durations import MAX_TTL, parse_duration, require_within
from .exit_codes import ExitStatus
from .progress import Progress

Command = Callable[[argparse.Namespace, TextIO], ExitStatus]


def show(args: argparse.Namespace, out: TextIO, request: Request) -> ExitStatus:
    """Print one request, as lines of fields or as JSON."""
    now = utc_now()
    if args.json:
        print(json.dumps(render.request_json(request, now=now), ensure_ascii=False), file=out)
    else:
        print(render.details(request, now=now), file=out)
    return ExitStatus.OK


def submit(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    duration = require_within(
        parse_duration(args.duration, "--duration"), MAX_DURATION, "--duration"
    )
    ttl = require_within(parse_duration(args.ttl, "--ttl"), MAX_TTL, "--ttl")
    request = Request.new(
        requester=args.requester,
        profile=args.profile,
        justification=args.justification,
        duration=duration,
        ttl=ttl,
    )
    target.store(args).create(request)
    return show(args, out, request)


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
        print(json.dumps(render.page_json(page, now=now), ensure_ascii=False), file=out)
        return ExitStatus.OK
    print(render.table(page, now=now), file=out)
    if page.next_cursor is not None:
        print(f"\nnext page: --cursor {page.next_cursor}", file=out)
    return ExitStatus.OK


def _list_every_page(
    args: argparse.Namespace, out: TextIO, listing: Callable[..., Page]
) -> ExitStatus:
    """Print each page as it arrives, so that a long listing shows its first rows at once.

    The JSON is the same document as for one page, written a request at a time.
    """
    now = utc_now()
    rows = render.Table(now=now)
    progress = Progress(sys.stderr, logging=args.verbose > 0)
    cursor, pages, count = args.cursor, 0, 0
    if args.json:
        out.write('{"items": [')
    while True:
        progress.show(f"reading page {pages + 1} ({count} shown so far)")
        page = listing(limit=args.limit, cursor=cursor)
        progress.clear()
        for request in page:
            if args.json:
                document = json.dumps(render.request_json(request, now=now), ensure_ascii=False)
                out.write(f"{', ' if count else ''}{document}")
            count += 1
        if not args.json:
            for line in rows.lines(page):
                print(line, file=out)
        out.flush()
        pages, cursor = pages + 1, page.next_cursor
        if cursor is None:
            break
    if args.json:
        print('], "next_cursor": null}', file=out)
    elif not rows.started:
        print(render.table([]), file=out)
    return ExitStatus.OK


def approve(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = target.store(args)
    current = store.get(args.request_id)
    return show(args, out, store.update(current.approve(args.approver, args.comment)))


def deny(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = target.store(args)
    current = store.get(args.request_id)
    return show(args, out, store.update(current.deny(args.approver, args.comment)))


def cancel(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = target.store(args)
    return show(args, out, store.update(store.get(args.request_id).cancel()))


def expire(args: argparse.Namespace, out: TextIO) -> ExitStatus:
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
        print(json.dumps({"expired": moved}), file=out)
    else:
        noun = "request" if moved == 1 else "requests"
        print(f"marked {moved} pending {noun} past their expiry as expired", file=out)
    return ExitStatus.OK


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
