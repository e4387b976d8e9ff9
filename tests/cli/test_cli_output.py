"""What the command line prints: instants in one form, aligned columns, overdue requests."""

import re
import unicodedata
from datetime import timedelta

import pytest
from cli_process import Cli

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.cli import ExitStatus
from access_requests.contract_tests import ManualClock
from access_requests.domain import Request, utc_now

ZULU = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z"


@pytest.fixture
def clock() -> ManualClock:
    """The store's clock at the wall clock's time, as the command reads it."""
    return ManualClock()


def stored(
    store: DynamoDBRequestStore, requester: str = "alice", **times: timedelta
) -> Request:
    """A pending request for ``prod``, created ``ago`` before now, open for ``ttl``."""
    request = Request.new(
        requester=requester,
        profile="prod",
        justification="Investigate INC-1234",
        duration=timedelta(hours=1),
        now=utc_now() - times.get("ago", timedelta(0)),
        ttl=times.get("ttl", timedelta(hours=24)),
    )
    store.create(request)
    return request


def overdue(store: DynamoDBRequestStore) -> Request:
    """A request still stored as pending whose expiry passed an hour ago."""
    return stored(store, ago=timedelta(hours=2), ttl=timedelta(hours=1))


def test_a_refusal_shows_instants_as_the_rest_of_the_output_does(
    cli_process: Cli, server_store: DynamoDBRequestStore
) -> None:
    """approve of an expired request says when it expired, in the ...Z form."""
    request = overdue(server_store)
    result = cli_process("approve", request.id, "--approver", "carol")
    assert result.returncode == ExitStatus.REFUSED_TRANSITION
    assert re.fullmatch(
        rf"access-requests: error: request {request.id}: cannot approve:"
        rf" it expired at {ZULU} \(now is {ZULU}\)\n",
        result.stderr,
    ), result.stderr
    assert "+00:00" not in result.stderr


def test_get_and_list_mark_a_pending_request_past_its_expiry(
    cli_process: Cli, server_store: DynamoDBRequestStore
) -> None:
    """Until something marks it expired, it shows as pending (expired), not as pending."""
    late, current = overdue(server_store), stored(server_store)
    shown = cli_process("get", late.id)
    assert re.search(r"^status +pending \(expired\)$", shown.stdout, re.MULTILINE)
    listed = cli_process("list", "--requester", "alice")
    rows = {line.split()[0]: line for line in listed.stdout.splitlines()[2:]}
    assert "pending (expired)" in rows[late.id]
    assert "pending (expired)" not in rows[current.id]
    as_json = cli_process("get", late.id, "--json")
    assert '"status": "pending", "is_expired": true' in as_json.stdout


def display_columns(text: str) -> int:
    """Terminal columns, counted independently of the code under test."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


@pytest.mark.parametrize("requester", ["zoë@例え.jp", "zoe\u0308@例え.jp", "山田太郎"])
def test_columns_line_up_with_wide_and_combining_characters(
    cli_process: Cli, server_store: DynamoDBRequestStore, requester: str
) -> None:
    """Each row's profile starts in the same terminal column as the PROFILE header."""
    stored(server_store, requester)
    stored(server_store, "bob@example.com")
    result = cli_process("list", "--profile", "prod")
    assert result.returncode == 0, result.stderr
    header, _, *rows = result.stdout.splitlines()
    where = display_columns(header[: header.index("PROFILE")])
    assert len(rows) == 2
    for row in rows:
        assert display_columns(row[: row.index("prod")]) == where, result.stdout
