"""The command line's words: commands, options and their help."""

from __future__ import annotations

import argparse
import os
import re
from datetime import timedelta

from ..domain import InvalidRequest, RequestStatus
from .exit_codes import EPILOG

DEFAULT_TABLE = "access-requests"
_DURATION = re.compile(r"(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?")


def parse_duration(text: str) -> timedelta:
    """Return ``1h30m``, ``45m`` or ``90s`` (hours, minutes, seconds) as a timedelta."""
    match = _DURATION.fullmatch(text.strip())
    if not text.strip() or match is None:
        raise InvalidRequest("duration", f"must look like 1h, 30m or 1h30m, got {text!r}")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def build_parser(version: str) -> argparse.ArgumentParser:
    """Return the parser of ``access-requests`` and its commands."""
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_argument_group("where the table is")
    where.add_argument(
        "--table",
        default=os.environ.get("ACCESS_REQUESTS_TABLE"),
        help="the table (default: $ACCESS_REQUESTS_TABLE)",
    )
    where.add_argument(
        "--endpoint-url",
        help="the DynamoDB endpoint (default: the standard AWS settings,"
        " such as $AWS_ENDPOINT_URL_DYNAMODB)",
    )
    where.add_argument("--region", help="the AWS region (default: the standard AWS settings)")
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    common.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more (-vv for debug)"
    )

    parser = argparse.ArgumentParser(
        prog="access-requests",
        description="Store access-approval requests in DynamoDB: submit, list, decide.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser(
        "demo", parents=[common], help="run an approval story on a local DynamoDB emulator"
    )

    local = commands.add_parser(
        "local",
        parents=[common],
        help="run a local DynamoDB emulator with the table, until interrupted",
    )
    local.add_argument(
        "--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)"
    )

    submit = commands.add_parser("submit", parents=[common], help="ask for access")
    submit.add_argument("--requester", required=True)
    submit.add_argument("--profile", required=True, help="the cloud profile to access")
    submit.add_argument("--justification", required=True, help="why, in 10 to 500 characters")
    submit.add_argument(
        "--duration", required=True, type=str, help="how long, such as 1h or 30m (8h at most)"
    )
    submit.add_argument(
        "--ttl", default="24h", help="how long the request stays open (default 24h)"
    )

    get = commands.add_parser("get", parents=[common], help="show one request")
    get.add_argument("request_id", metavar="ID")

    listing = commands.add_parser("list", parents=[common], help="list requests, newest first")
    which = listing.add_mutually_exclusive_group(required=True)
    which.add_argument("--requester")
    which.add_argument("--status", choices=[status.value for status in RequestStatus])
    which.add_argument("--profile")
    which.add_argument("--pending", action="store_true", help="pending and not expired")
    listing.add_argument("--limit", type=int, default=20, help="page size (default 20)")
    listing.add_argument("--cursor", help="the next cursor a previous page printed")
    listing.add_argument("--all", action="store_true", help="follow every page")

    for name, verb in (("approve", "approve"), ("deny", "deny")):
        decide = commands.add_parser(name, parents=[common], help=f"{verb} a pending request")
        decide.add_argument("request_id", metavar="ID")
        decide.add_argument("--approver", required=True, help="who decides")
        decide.add_argument("--comment", default="", help="why (optional)")

    cancel = commands.add_parser("cancel", parents=[common], help="cancel a pending request")
    cancel.add_argument("request_id", metavar="ID")

    table = commands.add_parser("table", help="provision and check the table")
    table_commands = table.add_subparsers(dest="table_command", required=True, metavar="ACTION")
    table_commands.add_parser(
        "create", parents=[common], help="create the table, its indexes and TTL"
    )
    table_commands.add_parser(
        "verify", parents=[common], help="list every way the table differs from what is needed"
    )
    table_commands.add_parser(
        "cloudformation", parents=[common], help="print a CloudFormation template of the table"
    )
    return parser
