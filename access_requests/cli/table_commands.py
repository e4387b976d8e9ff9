"""The commands about the table itself, the local emulator and the demo."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import TextIO

from ..adapters.dynamodb import cloudformation_template, create_table, verify_table
from ..adapters.dynamodb.permissions import iam_policy
from ..domain import InvalidRequest
from ..local import local_dynamodb
from . import render, target
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
    template = cloudformation_template(target.table_name(args))
    print(json.dumps(template, indent=2), file=out)
    return ExitStatus.OK


def table_iam_policy(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    try:
        policy = iam_policy(
            target.table_name(args),
            region=args.region,
            account=args.account,
            provisioning=args.provisioning,
            events=args.events,
        )
    except ValueError as error:
        raise InvalidRequest("--account" if args.account else "--table", str(error)) from None
    print(json.dumps(policy, indent=2), file=out)
    return ExitStatus.OK


def local(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    name = args.table or DEFAULT_TABLE
    with local_dynamodb(args.port) as emulator:
        create_table(emulator.client(), name)
        exports = {**emulator.environment(), "ACCESS_REQUESTS_TABLE": name}
        # Ctrl-C may come as soon as the settings are out, so they are printed
        # inside the try that catches it.
        try:
            if args.json:
                document = {
                    "endpoint_url": emulator.endpoint_url,
                    "table": name,
                    "environment": exports,
                }
                print(render.dumps(document, out), file=out, flush=True)
            else:
                print(
                    f"DynamoDB emulator on {emulator.endpoint_url} with table {name!r}.",
                    file=out,
                )
                print("Point a shell at it with:", file=out)
                for key, value in exports.items():
                    print(f"  export {key}={value}", file=out)
                print("Stop it with Ctrl-C.", file=out, flush=True)
            threading.Event().wait()
        except KeyboardInterrupt:
            print(render.dumps({"stopped": True}, out) if args.json else "stopped", file=out)
    return ExitStatus.OK


def demo(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    from ..demo import run as run_demo  # the demo needs the CLI's rendering, not the reverse

    run_demo(say=lambda line: print(line, file=out))
    return ExitStatus.OK


COMMANDS = {
    "table create": table_create,
    "table verify": table_verify,
    "table cloudformation": table_cloudformation,
    "table iam-policy": table_iam_policy,
    "local": local,
    "demo": demo,
}
