"""Mistakes a newcomer makes at the command line: each gets one line and its own status."""

import json
import subprocess
from datetime import datetime, timedelta

import pytest
from cli_process import SCRIPT, Cli, environment

from access_requests.cli import ExitStatus
from access_requests.cli.exit_codes import message_of

SUBMIT = ["submit", "--requester", "alice", "--profile", "prod", "--justification"]
SUBMIT += ["Investigate INC-1234"]


def assert_one_line_error(
    result: subprocess.CompletedProcess[str], status: int, says: str
) -> None:
    assert (result.returncode, result.stdout) == (status, "")
    assert result.stderr.startswith("access-requests: error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr


SETTINGS = [
    ("endpoint without scheme", ["--endpoint-url", "localhost:8000"],
     "argument --endpoint-url: 'localhost:8000' is not a URL"),
    ("region with spaces", ["--region", "not a region"],
     "argument --region: 'not a region' is not an AWS region name"),
    ("table with spaces", ["--table", "bad name!"],
     "argument --table: 'bad name!' is not a table name"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("options", "says"), [s[1:] for s in SETTINGS], ids=[s[0] for s in SETTINGS]
)
def test_a_malformed_option_is_a_usage_error_naming_the_option(
    cli_process: Cli, options: list[str], says: str
) -> None:
    """The option and its value are named; nothing is reported as unexpected."""
    assert_one_line_error(cli_process("list", "--pending", *options), ExitStatus.USAGE, says)


ENVIRONMENT = [
    ("endpoint", {"AWS_ENDPOINT_URL_DYNAMODB": "localhost:8000"},
     "Invalid endpoint: localhost:8000"),
    ("region", {"AWS_DEFAULT_REGION": "not a region"}, "region_name 'not a region'"),
    ("table", {"ACCESS_REQUESTS_TABLE": "bad name!"}, "'bad name!' is not a table name"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("settings", "says"), [e[1:] for e in ENVIRONMENT], ids=[e[0] for e in ENVIRONMENT]
)
def test_a_malformed_setting_in_the_environment_is_a_usage_error(
    cli_process: Cli, settings: dict[str, str], says: str
) -> None:
    """The same mistakes made in the environment get the same treatment."""
    assert_one_line_error(
        cli_process("list", "--pending", env=settings), ExitStatus.USAGE, says
    )


DURATIONS = [
    ("zero ttl", ["--duration", "1h", "--ttl", "0s"],
     "--ttl: must be more than 0s and at most 30d, got 0s"),
    ("absurd ttl", ["--duration", "1h", "--ttl", "100000h"],
     "--ttl: must be more than 0s and at most 30d, got 100000h (4166d16h)"),
    ("unknown unit", ["--duration", "1h", "--ttl", "2w"],
     "--ttl: must be a duration such as 1d, 8h, 30m or 1h30m, got '2w'"),
    ("overflowing ttl", ["--duration", "1h", "--ttl", "99999999999999999d"],
     "--ttl: '99999999999999999d' is far too long"),
    ("duration over 8h", ["--duration", "9h"],
     "--duration: must be more than 0s and at most 8h, got 9h"),
    ("zero duration", ["--duration", "0m"],
     "--duration: must be more than 0s and at most 8h, got 0m (0s)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("options", "says"), [d[1:] for d in DURATIONS], ids=[d[0] for d in DURATIONS]
)
def test_a_bad_duration_names_its_option_and_reads_as_typed(
    cli_process: Cli, options: list[str], says: str
) -> None:
    """--ttl and --duration are told apart, and durations are shown as 9h, not 9:00:00."""
    assert_one_line_error(cli_process(*SUBMIT, *options), ExitStatus.INVALID_INPUT, says)


def test_days_are_a_unit_of_duration(cli_process: Cli) -> None:
    """--ttl 1d keeps the request open for exactly one day."""
    result = cli_process(*SUBMIT, "--duration", "1h30m", "--ttl", "1d", "--json")
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    opened = datetime.fromisoformat(created["created_at"][:26])
    closes = datetime.fromisoformat(created["expires_at"][:26])
    assert closes - opened == timedelta(days=1)
    assert created["duration_seconds"] == 5400


@pytest.mark.parametrize(
    "words",
    [
        ["-v", "list", "--pending", "--json"],
        ["--json", "list", "--pending"],
        ["list", "--pending", "--json", "-v"],
        ["--json", "--table", "{table}", "--endpoint-url", "{endpoint}", "list", "--pending"],
        ["--region", "us-east-1", "list", "--pending", "--table", "{table}", "--json"],
    ],
    ids=["-v before", "--json before", "after", "where before", "before and after"],
)
def test_shared_options_go_before_or_after_the_command(
    cli_process: Cli, words: list[str]
) -> None:
    """-v, --json, --table, --endpoint-url and --region are accepted on either side."""
    filled = [w.format(table=cli_process.table, endpoint=cli_process.endpoint) for w in words]
    result = cli_process(*filled)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"items": [], "next_cursor": None}


def test_an_option_after_the_command_wins_over_one_before(cli_process: Cli) -> None:
    """The nearer --table is the one used."""
    result = cli_process(
        "--table", "elsewhere", "list", "--pending", "--table", cli_process.table
    )
    assert result.returncode == 0, result.stderr


def test_table_verify_of_a_missing_table_is_no_table_like_every_command(
    cli_process: Cli,
) -> None:
    """table verify and list both exit 10, naming the table and how to provision it."""
    for words in (["table", "verify"], ["list", "--pending"]):
        result = cli_process(*words, "--table", "no-such-table")
        assert_one_line_error(result, ExitStatus.NO_TABLE, "'no-such-table'")
        assert "the table does not exist" in result.stderr
        assert "access-requests table create" in result.stderr


def test_an_unexpected_error_points_at_the_option_that_shows_its_traceback() -> None:
    """The message names -vv, which is the verbosity that shows the traceback."""
    assert message_of(RuntimeError("boom")) == (
        "unexpected RuntimeError: boom (run with -vv for the traceback)"
    )


def test_help_lists_the_new_exit_statuses() -> None:
    """14 no access and 15 port in use are in --help with the others."""
    result = subprocess.run(
        [SCRIPT, "--help"], capture_output=True, text=True, env=environment(), check=True
    )
    assert "14 no access, 15 port in use" in " ".join(result.stdout.split())


def test_a_port_out_of_range_is_a_usage_error() -> None:
    """local --port 70000 is refused as it is parsed, before any emulator starts."""
    result = subprocess.run(
        [SCRIPT, "local", "--port", "70000"],
        capture_output=True,
        text=True,
        env=environment(),
        check=False,
        timeout=30,
    )
    assert_one_line_error(result, ExitStatus.USAGE, "argument --port: '70000' is not a port")
