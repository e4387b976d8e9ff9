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
        name: str,
        summary: str,
        under: argparse._SubParsersAction[Parser] = commands,
        details: str = "",
    ) -> Parser:
        description = (
            summary[0].upper() + summary[1:] + "." + (f" {details}" if details else "")
        )
        added = under.add_parser(name, help=summary, description=description, epilog=EPILOG)
        _add_shared_options(added, first=False)
        return added

    command(
        "demo",
        "run an approval story on a local DynamoDB emulator",
        details="Needs the local extra (moto's server); nothing outlives the process.",
    )

    local = command(
        "local",
        "run a local DynamoDB emulator with the table, until interrupted",
        details="Prints the exports that point this command line and boto3 at it"
        " (with --json: one JSON document of them).",
    )
    local.add_argument(
        "--port",
        type=port,
        default=8000,
        help="port on 127.0.0.1 (default 8000; 0: any free port)",
    )

    submit = command(
        "submit",
        "ask for access",
        details="Stores a new pending request and prints it (with --quiet, only its id).",
    )
    submit.add_argument("--requester", required=True)
    submit.add_argument("--profile", required=True, help="the cloud profile to access")
    submit.add_argument(
        "--justification",
        required=True,
        help="why, in 10 to 500 characters (at most 500 bytes of UTF-8)",
    )
    submit.add_argument(
        "--duration", required=True, help="how long, such as 1h or 30m (8h at most)"
    )
    submit.add_argument(
        "--ttl",
        default="24h",
        help="how long the request stays open for a decision, such as 2h or 3d"
        f" (default 24h, at most {describe_duration(MAX_TTL)})",
    )
    submit.add_argument(
        "-q",
        "--quiet",
        "--id-only",
        action="store_true",
        help="print only the new request's id: ID=$(access-requests submit -q ...)",
    )

    get = command(
        "get",
        "show one request",
        details="Every field, and when access would end if it were approved"
        " (created_at + duration).",
    )
    get.add_argument("request_id", metavar="ID")

    listing = command(
        "list",
        "list requests, newest first",
        details="One page (--limit, --cursor), or every page with --all; with --all"
        " --json, one JSON document per line.",
    )
    which = listing.add_mutually_exclusive_group(required=True)
    which.add_argument("--requester")
    which.add_argument("--status", choices=[status.value for status in RequestStatus])
    which.add_argument("--profile")
    which.add_argument("--pending", action="store_true", help="pending and not expired")
    listing.add_argument("--limit", type=int, default=20, help="page size (default 20)")
    listing.add_argument("--cursor", help="the next cursor a previous page printed")
    listing.add_argument(
        "--all",
        action="store_true",
        help="follow every page, printing each as it comes (with --json: JSON Lines)",
    )

    for name in ("approve", "deny"):
        decide = command(
            name,
            f"{name} a pending request",
            details="Reads the request, then writes the decision on condition that"
            " nobody changed it meanwhile (exit 5 if somebody did).",
        )
        decide.add_argument("request_id", metavar="ID")
        decide.add_argument("--approver", required=True, help="who decides")
        decide.add_argument("--comment", default="", help="why (optional)")

    cancel = command("cancel", "cancel a pending request")
    cancel.add_argument("request_id", metavar="ID")

    expire = command(
        "expire",
        "mark every pending request whose expiry has passed as expired",
        details="Once, until nothing overdue is left; or with --every, again and again"
        " until SIGINT or SIGTERM, for a host with no scheduler.",
    )
    expire.add_argument(
        "--every",
        metavar="DURATION",
        help="sweep now and then every DURATION (such as 5m), until interrupted;"
        " a failing store is retried with backoff",
    )

    check = command(
        "check",
        "tell whether a requester has access to a profile now (exit 14 if not)",
        details="Prints the newest approved request that grants access now, and when"
        " that access ends.",
    )
    check.add_argument("--requester", required=True)
    check.add_argument("--profile", required=True, help="the cloud profile")

    table = command("table", "provision and check the table")
    actions = table.add_subparsers(dest="table_command", required=True, metavar="ACTION")
    command("create", "create the table, its indexes and TTL", actions)
    verify = command("verify", "list every way the table differs from what is needed", actions)
    verify.add_argument(
        "--events",
        action="store_true",
        help="also check the stream lifecycle events are read from (NEW_AND_OLD_IMAGES)",
    )
    command(
        "cloudformation",
        "print a CloudFormation template of the table",
        actions,
        details=f"The table is named by --table or ${TABLE_VARIABLE}; nothing is assumed.",
    )
    policy = command(
        "iam-policy",
        "print the least-privilege IAM policy for the table",
        actions,
        details="The store's actions on the table and its indexes; with --provisioning,"
        " create and verify; with --events, reading the table's stream.",
    )
    policy.add_argument("--account", help="the table's 12-digit AWS account id (default: any)")
    policy.add_argument(
        "--provisioning",
        action="store_true",
        help="add the statement for table create and table verify",
    )
    policy.add_argument(
        "--events", action="store_true", help="add the statement for reading the table's stream"
    )

    events = command("events", "read the table's lifecycle events from its stream")
    reads = events.add_subparsers(dest="events_command", required=True, metavar="ACTION")
    tail = command(
        "tail", "print the events the stream holds as JSON lines, one per change", reads
    )
    tail.add_argument(
        "--follow", action="store_true", help="keep printing new events until interrupted"
    )
    return parser
