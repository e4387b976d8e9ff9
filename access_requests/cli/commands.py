"""What each command does, through the public API of the library."""

from __future__ import annotations

import argparse
import functools
import json
import threading
from collections.abc import Callable
from typing import Any, TextIO

from ..adapters.dynamodb import (
    DynamoDBRequestStore,
    cloudformation_template,
    create_table,
    recommended_client,
    verify_table,
)
from ..domain import Request, RequestStatus
from ..local import local_dynamodb
from ..ports import Page, follow
from . import render
from .exit_codes import ExitStatus, UsageError
from .parser import DEFAULT_TABLE, parse_duration

Command = Callable[[argparse.Namespace, TextIO], ExitStatus]


def run(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    """Run the command ``args`` names, printing to ``out``."""
    name = args.command if args.command != "table" else f"table {args.table_command}"
    return COMMANDS[name](args, out)


def _table_name(args: argparse.Namespace) -> str:
    if args.table:
        return str(args.table)
    raise UsageError("no table given: pass --table or set ACCESS_REQUESTS_TABLE")


def _client(args: argparse.Namespace) -> Any:
    return recommended_client(region_name=args.region, endpoint_url=args.endpoint_url)


def _store(args: argparse.Namespace) -> DynamoDBRequestStore:
    return DynamoDBRequestStore(_client(args), _table_name(args))


def _show(args: argparse.Namespace, out: TextIO, request: Request) -> ExitStatus:
    if args.json:
        print(json.dumps(render.request_json(request), ensure_ascii=False), file=out)
    else:
        print(render.details(request), file=out)
    return ExitStatus.OK


def submit(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = _store(args)
    request = Request.new(
        requester=args.requester,
        profile=args.profile,
        justification=args.justification,
        duration=parse_duration(args.duration),
        ttl=parse_duration(args.ttl),
    )
    store.create(request)
    return _show(args, out, request)


def get(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    return _show(args, out, _store(args).get(args.request_id))


def list_requests(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = _store(args)
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
        items = [request for page in follow(listing, limit=args.limit) for request in page]
        page = Page(tuple(items), None)
    else:
        page = listing(limit=args.limit, cursor=args.cursor)
    if args.json:
        print(json.dumps(render.page_json(page), ensure_ascii=False), file=out)
        return ExitStatus.OK
    print(render.table(page), file=out)
    if page.next_cursor is not None:
        print(f"\nnext page: --cursor {page.next_cursor}", file=out)
    return ExitStatus.OK


def approve(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = _store(args)
    current = store.get(args.request_id)
    return _show(args, out, store.update(current.approve(args.approver, args.comment)))


def deny(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = _store(args)
    current = store.get(args.request_id)
    return _show(args, out, store.update(current.deny(args.approver, args.comment)))


def cancel(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    store = _store(args)
    return _show(args, out, store.update(store.get(args.request_id).cancel()))


def table_create(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    name = _table_name(args)
    create_table(_client(args), name)
    if args.json:
        print(json.dumps({"table": name, "created": True}), file=out)
    else:
        print(f"created table {name!r}, with its indexes and TTL", file=out)
    return ExitStatus.OK


def table_verify(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    name = _table_name(args)
    problems = verify_table(_client(args), name)
    if args.json:
        print(json.dumps({"table": name, "problems": problems}), file=out)
    elif problems:
        print(f"table {name!r} differs from what the store needs:", file=out)
        for problem in problems:
            print(f"- {problem}", file=out)
    else:
        print(f"table {name!r} is as the store needs it", file=out)
    return ExitStatus.TABLE_DIFFERS if problems else ExitStatus.OK


def table_cloudformation(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    print(json.dumps(cloudformation_template(args.table or DEFAULT_TABLE), indent=2), file=out)
    return ExitStatus.OK


def local(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    name = args.table or DEFAULT_TABLE
    with local_dynamodb(args.port) as emulator:
        create_table(emulator.client(), name)
        print(f"DynamoDB emulator on {emulator.endpoint_url} with table {name!r}.", file=out)
        print("Point a shell at it with:", file=out)
        for key, value in {**emulator.environment(), "ACCESS_REQUESTS_TABLE": name}.items():
            print(f"  export {key}={value}", file=out)
        print("Stop it with Ctrl-C.", file=out, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped", file=out)
    return ExitStatus.OK


def demo(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    from ..demo import run as run_demo  # the demo needs the CLI's rendering, not the reverse

    run_demo(say=lambda line: print(line, file=out))
    return ExitStatus.OK


COMMANDS: dict[str, Command] = {
    "submit": submit,
    "get": get,
    "list": list_requests,
    "approve": approve,
    "deny": deny,
    "cancel": cancel,
    "table create": table_create,
    "table verify": table_verify,
    "table cloudformation": table_cloudformation,
    "local": local,
    "demo": demo,
}
