"""The command line, against the moto server: output and exit status of every command."""

import json
import uuid
from typing import Any

import pytest
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.cli import ExitStatus, main


class Cli:
    """Runs ``access-requests`` in this process against one table of the moto server."""

    def __init__(self, capsys: pytest.CaptureFixture[str], endpoint: str, table: str) -> None:
        self.capsys = capsys
        self.endpoint = endpoint
        self.table = table

    def __call__(self, *words: str, table: str | None = None) -> tuple[int, str, str]:
        argv = [*words, "--endpoint-url", self.endpoint, "--table", table or self.table]
        status = main(argv)
        captured = self.capsys.readouterr()
        return status, captured.out, captured.err

    def json(self, *words: str) -> Any:
        status, out, err = self(*words, "--json")
        assert status == ExitStatus.OK, err
        return json.loads(out)

    def submit(self, requester: str = "alice", **options: str) -> dict[str, Any]:
        words = ["submit", "--requester", requester, "--profile", "prod"]
        words += ["--justification", "Investigate INC-1234", "--duration", "1h"]
        for name, value in options.items():
            words += [f"--{name}", value]
        result: dict[str, Any] = self.json(*words)
        return result


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str],
    moto_server: str,
    server_table: tuple[DynamoDBClient, str],
) -> Cli:
    return Cli(capsys, moto_server, server_table[1])


def test_submit_prints_the_new_pending_request(cli: Cli) -> None:
    """submit creates a pending request and shows it, as a table or as JSON."""
    status, out, err = cli(
        "submit",
        "--requester",
        "alice",
        "--profile",
        "prod",
        "--justification",
        "Investigate INC-1234",
        "--duration",
        "1h30m",
    )
    assert (status, err) == (0, "")
    assert "status         pending" in out
    assert "duration       1h30m" in out
    created = cli.submit(ttl="2h")
    assert created["status"] == "pending"
    assert created["duration_seconds"] == 3600


def test_get_shows_one_request(cli: Cli) -> None:
    """get prints every field of the request."""
    created = cli.submit()
    status, out, _ = cli("get", created["id"])
    assert status == 0
    assert created["id"] in out
    assert "Investigate INC-1234" in out
    assert cli.json("get", created["id"]) == created


def test_list_pages_through_with_cursors(cli: Cli) -> None:
    """list prints a page and the cursor of the next; --all follows every page."""
    ids = {cli.submit()["id"] for _ in range(3)}
    first = cli.json("list", "--requester", "alice", "--limit", "2")
    assert len(first["items"]) == 2
    rest = cli.json(
        "list", "--requester", "alice", "--limit", "2", "--cursor", first["next_cursor"]
    )
    assert {item["id"] for item in first["items"] + rest["items"]} == ids
    _, lines, _ = cli("list", "--requester", "alice", "--limit", "1", "--all", "--json")
    assert {json.loads(line)["id"] for line in lines.splitlines()} == ids
    status, out, _ = cli("list", "--requester", "alice", "--limit", "2")
    assert status == 0
    assert "next page: --cursor " in out
    assert out.count("pending") == 2


@pytest.mark.parametrize(
    "which", [["--status", "pending"], ["--profile", "prod"], ["--pending"]]
)
def test_every_listing_is_reachable(cli: Cli, which: list[str]) -> None:
    """list by status, by profile and the pending list each find the request."""
    created = cli.submit()
    assert [item["id"] for item in cli.json("list", *which)["items"]] == [created["id"]]


def test_approve_deny_and_cancel_decide_requests(cli: Cli) -> None:
    """Each decision is stored and shown; a second decision is refused."""
    first, second, third = cli.submit(), cli.submit(), cli.submit()
    approved = cli.json("approve", first["id"], "--approver", "carol", "--comment", "ok")
    assert (approved["status"], approved["approver"], approved["approver_comment"]) == (
        "approved",
        "carol",
        "ok",
    )
    assert cli.json("deny", second["id"], "--approver", "dave")["status"] == "denied"
    assert cli.json("cancel", third["id"])["status"] == "cancelled"
    status, out, err = cli("deny", first["id"], "--approver", "dave")
    assert status == ExitStatus.REFUSED_TRANSITION
    assert out == ""
    assert err == (
        f"access-requests: error: request {first['id']}: cannot deny: it is approved,"
        " which is final\n"
    )


def test_the_table_commands_provision_and_verify(cli: Cli) -> None:
    """table create makes a table that table verify accepts; a missing one is no table."""
    name = f"cli-{uuid.uuid4().hex[:8]}"
    status, out, _ = cli("table", "create", table=name)
    assert (status, out) == (0, f"created table {name!r}, with its indexes, TTL and stream\n")
    status, out, _ = cli("table", "verify", table=name)
    assert (status, out) == (0, f"table {name!r} is as the store needs it\n")
    status, out, err = cli("table", "verify", table="absent")
    assert (status, out) == (ExitStatus.NO_TABLE, "")
    assert "table 'absent' failed: the table does not exist" in err
    status, _, err = cli("table", "create", table=name)
    assert status == ExitStatus.EXISTS
    assert "already exists" in err


def test_table_cloudformation_prints_the_template(cli: Cli) -> None:
    """The template is JSON describing the table with its indexes and TTL."""
    status, out, _ = cli("table", "cloudformation")
    template = json.loads(out)
    table = template["Resources"]["AccessRequestsTable"]
    assert status == 0
    assert table["Properties"]["TableName"] == cli.table
    assert table["Properties"]["TimeToLiveSpecification"] == {
        "AttributeName": "ttl",
        "Enabled": True,
    }


ERRORS = [
    ("not found", ["get", "0123456789abcdef"], ExitStatus.NOT_FOUND, "not found"),
    ("malformed id", ["get", "nope"], ExitStatus.INVALID_INPUT, "16 lowercase hex"),
    (
        "short justification",
        ["submit", "--requester", "a", "--profile", "p", "--justification", "short",
         "--duration", "1h"],
        ExitStatus.INVALID_INPUT,
        "justification: must be 10 to 500",
    ),
    (
        "too long",
        ["submit", "--requester", "a", "--profile", "p", "--justification", "0123456789",
         "--duration", "9h"],
        ExitStatus.INVALID_INPUT,
        "--duration: must be more than 0s and at most 8h, got 9h",
    ),
    (
        "unreadable duration",
        ["submit", "--requester", "a", "--profile", "p", "--justification", "0123456789",
         "--duration", "soon"],
        ExitStatus.INVALID_INPUT,
        "--duration: must be a duration such as 1d, 8h, 30m or 1h30m, got 'soon'",
    ),
    ("bad cursor", ["list", "--pending", "--cursor", "garbage"], ExitStatus.INVALID_INPUT,
     "invalid cursor"),
    ("unknown request to approve", ["approve", "0123456789abcdef", "--approver", "c"],
     ExitStatus.NOT_FOUND, "not found"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("words", "status", "says"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_each_error_is_one_line_and_its_own_exit_status(
    cli: Cli, words: list[str], status: ExitStatus, says: str
) -> None:
    """No traceback: one line on stderr, nothing on stdout, a distinct status."""
    code, out, err = cli(*words)
    assert code == status
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("access-requests: error: ")
    assert says in err


def test_a_missing_table_is_its_own_exit_status(cli: Cli) -> None:
    """The table's name, and how to provision it, are in the message."""
    code, _, err = cli("list", "--pending", table="no-such-table")
    assert code == ExitStatus.NO_TABLE
    assert "'no-such-table'" in err
    assert "access-requests table create" in err


def test_no_table_at_all_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --table or ACCESS_REQUESTS_TABLE the command says what to pass."""
    monkeypatch.delenv("ACCESS_REQUESTS_TABLE", raising=False)
    assert main(["get", "0123456789abcdef"]) == ExitStatus.USAGE
    assert "pass --table or set ACCESS_REQUESTS_TABLE" in capsys.readouterr().err


def test_the_table_comes_from_the_environment(
    cli: Cli, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """ACCESS_REQUESTS_TABLE and AWS_ENDPOINT_URL_DYNAMODB are enough."""
    created = cli.submit()
    monkeypatch.setenv("ACCESS_REQUESTS_TABLE", cli.table)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", cli.endpoint)
    assert main(["get", created["id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == created["id"]


def test_an_unreachable_endpoint_is_unavailable(cli: Cli) -> None:
    """A refused connection, once retries are spent, is StoreUnavailable's status."""
    cli.endpoint = "http://127.0.0.1:9"
    code, _, err = cli("get", "0123456789abcdef")
    assert code == ExitStatus.UNAVAILABLE
    assert "get on table" in err


def test_usage_errors_are_argparses(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing argument exits 2 with argparse's usage line."""
    with pytest.raises(SystemExit) as raised:
        main(["approve"])
    assert raised.value.code == ExitStatus.USAGE
    assert "the following arguments are required" in capsys.readouterr().err


def test_verbose_logging_never_shows_credentials(
    cli: Cli, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At -vv the library logs, and the secret key is nowhere in what it prints."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "super-secret-key-0000")
    name = f"cli-{uuid.uuid4().hex[:8]}"
    status, out, err = cli("table", "create", "-vv", table=name)
    assert status == 0
    assert "access-requests: INFO: created table" in err
    assert "super-secret-key-0000" not in out + err
