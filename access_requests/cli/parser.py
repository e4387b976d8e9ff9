"""The command line's words: commands, options and their help."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from typing import NoReturn
from urllib.parse import urlsplit

from ..adapters.dynamodb import TABLE_VARIABLE
from ..adapters.dynamodb.names import require_table_name
from ..domain import RequestStatus
from .durations import MAX_TTL, describe_duration
from .exit_codes import EPILOG, ExitStatus

DEFAULT_TABLE = "access-requests"
# botocore's rule for a region name (DynamoDB's for a table name is the store's).
_REGION = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?")


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose mistakes are one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        """Print ``message`` and where the usage is, then exit with the usage status."""
        print(f"access-requests: error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(ExitStatus.USAGE)


def parse_arguments(version: str, argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Return the command line ``argv`` (default: the process's) as a namespace.

    The options every command shares may come before the command or after it;
    ``verbose`` counts each -v wherever it is.
    """
    args = build_parser(version).parse_args(argv)
    args.verbose += vars(args).pop("verbose_after", 0)
    return args


def table_name(text: str) -> str:
    """Return ``text`` if DynamoDB accepts it as a table name."""
    try:
        return require_table_name(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a table name: 3 to 255 letters, digits, '_', '-' or '.'"
            f" (from --table or {TABLE_VARIABLE})"
        ) from None


def endpoint_url(text: str) -> str:
    """Return ``text`` if it is an http(s) URL with a host."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a URL: write it with http:// or https://,"
            " such as http://localhost:8000"
        )
    return text


def region(text: str) -> str:
    """Return ``text`` if it has the form of an AWS region name."""
    if not _REGION.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an AWS region name, such as eu-west-1"
        )
    return text


def port(text: str) -> int:
    """Return ``text`` as a TCP port number, 0 meaning any free port."""
    if not text.isdigit() or int(text) > 65_535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: 0 to 65535")
    return int(text)


def _add_shared_options(parser: argparse.ArgumentParser, *, first: bool) -> None:
    """Add the options every command takes, before the command (``first``) or after it.

    After the command their default is SUPPRESS, so that an option given
    before the command is not reset by the command's own parser.
    """

    def default(value: object) -> object:
        return value if first else argparse.SUPPRESS

    where = parser.add_argument_group("where the table is")
    where.add_argument(
        "--table",
        type=table_name,
        default=default(os.environ.get(TABLE_VARIABLE)),
        help=f"the table (default: ${TABLE_VARIABLE})",
    )
    where.add_argument(
        "--endpoint-url",
        type=endpoint_url,
        default=default(None),
        help="the DynamoDB endpoint (default: the standard AWS settings,"
        " such as $AWS_ENDPOINT_URL_DYNAMODB)",
    )
    where.add_argument(
        "--region",
        type=region,
        default=default(None),
        help="the AWS region (default: the standard AWS settings)",
    )
    parser.add_argument(
        "--json", action="store_true", default=default(False), help="print JSON for scripts"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        dest="verbose" if first else "verbose_after",
        default=default(0),
        help="log each store operation (-vv: debug, and the traceback of an error)",
    )


def build_parser(version: str) -> argparse.ArgumentParser:
    """Return the parser of ``access-requests`` and its commands."""
    parser = Parser(
        prog="access-requests",
        description="Store access-approval requests in DynamoDB: submit, list, decide.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version}")
    _add_shared_options(parser, first=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, summary: str, under: argparse._SubParsersAction[Parser] = commands
    ) -> Parser:
        added = under.add_parser(name, help=summary)
        _add_shared_options(added, first=False)
        return added

    command("demo", "run an approval story on a local DynamoDB emulator")

    local = command("local", "run a local DynamoDB emulator with the table, until interrupted")
    local.add_argument(
        "--port",
        type=port,
        default=8000,
        help="port on 127.0.0.1 (default 8000; 0: any free port)",
    )

    submit = command("submit", "ask for access")
    submit.add_argument("--requester", required=True)
    submit.add_argument("--profile", required=True, help="the cloud profile to access")
    submit.add_argument("--justification", required=True, help="why, in 10 to 500 characters")
    submit.add_argument(
        "--duration", required=True, help="how long, such as 1h or 30m (8h at most)"
    )
    submit.add_argument(
        "--ttl",
        default="24h",
        help="how long the request stays open for a decision, such as 2h or 3d"
        f" (default 24h, at most {describe_duration(MAX_TTL)})",
    )

    get = command("get", "show one request")
    get.add_argument("request_id", metavar="ID")

    listing = command("list", "list requests, newest first")
    which = listing.add_mutually_exclusive_group(required=True)
    which.add_argument("--requester")
    which.add_argument("--status", choices=[status.value for status in RequestStatus])
    which.add_argument("--profile")
    which.add_argument("--pending", action="store_true", help="pending and not expired")
    listing.add_argument("--limit", type=int, default=20, help="page size (default 20)")
    listing.add_argument("--cursor", help="the next cursor a previous page printed")
    listing.add_argument(
        "--all", action="store_true", help="follow every page, printing each as it comes"
    )

    for name in ("approve", "deny"):
        decide = command(name, f"{name} a pending request")
        decide.add_argument("request_id", metavar="ID")
        decide.add_argument("--approver", required=True, help="who decides")
        decide.add_argument("--comment", default="", help="why (optional)")

    cancel = command("cancel", "cancel a pending request")
    cancel.add_argument("request_id", metavar="ID")

    command("expire", "mark every pending request whose expiry has passed as expired")

    check = command(
        "check", "tell whether a requester has access to a profile now (exit 14 if not)"
    )
    check.add_argument("--requester", required=True)
    check.add_argument("--profile", required=True, help="the cloud profile")

    table = command("table", "provision and check the table")
    actions = table.add_subparsers(dest="table_command", required=True, metavar="ACTION")
    command("create", "create the table, its indexes and TTL", actions)
    command("verify", "list every way the table differs from what is needed", actions)
    command("cloudformation", "print a CloudFormation template of the table", actions)
    return parser
