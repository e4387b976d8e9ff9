"""The smaller frictions of issue 19, item 9, each gone."""

import json
import subprocess
from datetime import timedelta

import pytest
from cli_process import SCRIPT, Cli, environment
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.adapters.timestamps import format_timestamp
from access_requests.contract_tests import make_request
from access_requests.domain import utc_now

SUBMIT = ["submit", "--requester", "alice", "--profile", "prod", "--duration", "1h"]


def overdue(server_table: tuple[DynamoDBClient, str], count: int) -> list[str]:
    client, table = server_table
    store = DynamoDBRequestStore(client, table)
    requests = [
        make_request(utc_now() - timedelta(hours=2), ttl=timedelta(hours=1))
        for _ in range(count)
    ]
    for request in requests:
        store.create(request)
    return [request.id for request in requests]


def test_a_request_marked_expired_is_expired_in_json(
    cli_process: Cli, server_table: tuple[DynamoDBClient, str]
) -> None:
    """is_expired is true before the sweep (pending, past its expiry) and after it (expired)."""
    [request_id] = overdue(server_table, 1)
    before = json.loads(cli_process("get", request_id, "--json").stdout)
    assert (before["status"], before["is_expired"]) == ("pending", True)
    assert cli_process("expire").returncode == 0
    after = json.loads(cli_process("get", request_id, "--json").stdout)
    assert (after["status"], after["is_expired"]) == ("expired", True)


@pytest.mark.parametrize(
    ("count", "says"),
    [
        (1, "marked 1 pending request past its expiry as expired\n"),
        (2, "marked 2 pending requests past their expiry as expired\n"),
    ],
)
def test_expire_says_request_or_requests(
    cli_process: Cli, server_table: tuple[DynamoDBClient, str], count: int, says: str
) -> None:
    """One request is 'its expiry', two are 'their expiry'."""
    overdue(server_table, count)
    assert cli_process("expire").stdout == says


def test_an_overlong_ttl_is_echoed_as_typed(cli_process: Cli) -> None:
    """--ttl 100000h is shown as 100000h, with the days it makes beside it."""
    result = cli_process(*SUBMIT, "--justification", "Investigate INC-1234", "--ttl", "100000h")
    assert result.returncode == 7
    assert (
        "--ttl: must be more than 0s and at most 30d, got 100000h (4166d16h)" in result.stderr
    )


@pytest.mark.parametrize(
    ("justification", "says"),
    [
        ("short", "--justification: must be 10 to 500 characters, got 5"),
        ("é" * 300, "must fit in 500 bytes of UTF-8 (a character outside ASCII takes 2 to 4),"
                    " got 600 bytes in 300 characters"),
    ],
)  # fmt: skip
def test_the_justification_error_counts_as_the_help_does(
    cli_process: Cli, justification: str, says: str
) -> None:
    """The help says characters; so does the error, and it says bytes only where they decide."""
    result = cli_process(*SUBMIT, "--justification", justification)
    assert result.returncode == 7
    assert says in result.stderr
    helped = cli_process("submit", "--help").stdout
    assert "10 to 500 characters (at most 500 bytes of UTF-8)" in " ".join(helped.split())


@pytest.mark.parametrize("decision", ["approve", "deny"])
def test_an_empty_approver_is_invalid_input(cli_process: Cli, decision: str) -> None:
    """--approver "" exits 7 (invalid input), before any call."""
    result = cli_process(decision, "0123456789abcdef", "--approver", "")
    assert result.returncode == 7
    assert "--approver: must name who decides, got an empty value" in result.stderr


@pytest.mark.parametrize(
    ("words", "says"),
    [
        (["submit"], "Ask for access. Stores a new pending request"),
        (["list"], "List requests, newest first."),
        (["expire"], "until SIGINT or SIGTERM"),
        (["table", "iam-policy"], "Print the least-privilege IAM policy for the table."),
        (
            ["table", "cloudformation"],
            "The table is named by --table or $ACCESS_REQUESTS_TABLE",
        ),
    ],
)
def test_each_command_help_describes_the_command(words: list[str], says: str) -> None:
    """A subcommand's --help starts with what it does, and lists the exit statuses."""
    result = subprocess.run(
        [SCRIPT, *words, "--help"],
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert says in " ".join(result.stdout.split())
    assert "16 output failed" in result.stdout


def test_table_cloudformation_needs_the_table_named() -> None:
    """Without --table or ACCESS_REQUESTS_TABLE, it says so rather than assuming a name."""
    result = subprocess.run(
        [SCRIPT, "table", "cloudformation"],
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert "no table given: pass --table or set ACCESS_REQUESTS_TABLE" in result.stderr


def test_get_check_and_json_show_when_access_would_end(
    cli_process: Cli, server_table: tuple[DynamoDBClient, str]
) -> None:
    """created_at + duration, as access_window_end in JSON and access_ends in the details."""
    client, table = server_table
    store = DynamoDBRequestStore(client, table)
    request = make_request(utc_now(), duration=timedelta(hours=2))
    store.create(request)
    approved = store.update(store.get(request.id).approve("carol"))
    ends = format_timestamp(request.created_at + timedelta(hours=2))
    assert (
        json.loads(cli_process("get", request.id, "--json").stdout)["access_window_end"] == ends
    )
    assert f"access_ends    {ends}" in cli_process("get", request.id).stdout
    checked = cli_process("check", "--requester", approved.requester, "--profile", "prod-admin")
    assert f"access_ends    {ends}" in checked.stdout
