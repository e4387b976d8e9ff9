"""The commands about the table itself, the local emulator and the demo."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import TextIO

from ..adapters.dynamodb import cloudformation_template, create_table, verify_table
from ..local import local_dynamodb
from . import target
from .exit_codes import ExitStatus
from .parser import DEFAULT_TABLE
from .progress import Progress


def table_create(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    name = target.table_name(args)
    client = target.client(args)
    with Progress(sys.stderr, logging=args.verbose > 0).waiting(
        f"creating table {name!r}: waiting until it is active"
    ):
        create_table(client, name)
    if args.json:
        print(json.dumps({"table": name, "created": True}), file=out)
    else:
        print(f"created table {name!r}, with its indexes, TTL and stream", file=out)
    return ExitStatus.OK


def table_verify(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    name = target.table_name(args)
    problems = verify_table(target.client(args), name, events=args.events)
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


COMMANDS = {
    "table create": table_create,
    "table verify": table_verify,
    "table cloudformation": table_cloudformation,
    "local": local,
    "demo": demo,
}
