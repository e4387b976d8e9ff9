"""Output a script relies on: ids alone, JSON Lines, fixed columns, the emulator's settings."""

import json
import re
import signal
import subprocess
from datetime import timedelta

from cli_process import SCRIPT, Cli, environment
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.contract_tests import make_request
from access_requests.domain import utc_now


def test_submit_quiet_prints_only_the_id(cli_process: Cli) -> None:
    """ID=$(access-requests submit -q ...) gets the id and nothing else."""
    for option in ("-q", "--quiet", "--id-only"):
        result = cli_process(
            "submit", "--requester", "alice", "--profile", "prod",
            "--justification", "Investigate INC-1234", "--duration", "1h", option,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert re.fullmatch(r"[0-9a-f]{16}\n", result.stdout)
        assert cli_process("get", result.stdout.strip()).returncode == 0


def test_list_all_json_is_one_request_a_line_so_a_cut_run_stays_valid(
    cli_process: Cli, server_table: tuple[DynamoDBClient, str]
) -> None:
    """Each line parses alone: the first line of a listing is a whole request."""
    client, table = server_table
    store = DynamoDBRequestStore(client, table)
    for _ in range(5):
        store.create(make_request(utc_now()))
    result = cli_process("list", "--pending", "--all", "--limit", "2", "--json")
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert all(json.loads(line)["status"] == "pending" for line in lines)
    first_only = subprocess.run(
        f"'{SCRIPT}' list --pending --all --limit 2 --json | head -1",
        shell=True,
        env=cli_process.environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(first_only.stdout)["id"] == json.loads(lines[0])["id"]


def test_list_all_columns_stay_where_the_header_put_them(
    cli_process: Cli, server_table: tuple[DynamoDBClient, str]
) -> None:
    """A longer requester on a later page is shortened, not shifting every column after it."""
    client, table = server_table
    store = DynamoDBRequestStore(client, table)
    now = utc_now()
    store.create(
        make_request(now - timedelta(minutes=2), requester="a-very-long-requester-name")
    )
    store.create(make_request(now - timedelta(minutes=1), requester="bo"))
    store.create(make_request(now, requester="al"))
    result = cli_process("list", "--status", "pending", "--all", "--limit", "1")
    lines = result.stdout.splitlines()
    header, rows = lines[0], lines[2:]
    assert len(rows) == 3
    for row in rows:
        assert row.index("1h  ") == header.index("DURATION")
    assert "a-very-long-req\u2026" in rows[2]


def test_local_json_prints_the_endpoint_and_settings_as_one_document() -> None:
    """local --json: one line of JSON with the endpoint, the table and the exports."""
    emulator = subprocess.Popen(
        [SCRIPT, "local", "--port", "0", "--table", "scripted", "--json"],
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert emulator.stdout is not None
        document = json.loads(emulator.stdout.readline())
    finally:
        emulator.send_signal(signal.SIGINT)
        out, _ = emulator.communicate(timeout=30)
    assert document["table"] == "scripted"
    assert document["endpoint_url"].startswith("http://127.0.0.1:")
    assert document["environment"]["AWS_ENDPOINT_URL_DYNAMODB"] == document["endpoint_url"]
    assert document["environment"]["ACCESS_REQUESTS_TABLE"] == "scripted"
    assert (emulator.returncode, json.loads(out)) == (0, {"stopped": True})
