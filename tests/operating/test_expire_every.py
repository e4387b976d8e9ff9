"""access-requests expire --every: a sweep loop for hosts with no scheduler."""

import json
import signal
import subprocess
from datetime import timedelta

import pytest
from cli_process import SCRIPT, Cli
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.contract_tests import make_request
from access_requests.domain import utc_now


def start(cli: Cli, *words: str, **settings: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [SCRIPT, *words],
        env=cli.environment(**settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_it_sweeps_each_interval_and_stops_cleanly_on_a_signal(
    cli_process: Cli, server_table: tuple[DynamoDBClient, str], signum: signal.Signals
) -> None:
    """A JSON line a sweep; SIGTERM or SIGINT ends the loop between sweeps, exit 0."""
    client, table = server_table
    store = DynamoDBRequestStore(client, table)
    for _ in range(2):
        store.create(make_request(utc_now() - timedelta(hours=2), ttl=timedelta(hours=1)))
    loop = start(cli_process, "expire", "--every", "1s", "--json")
    assert loop.stdout is not None
    # Check the first sweep moves both, the next finds nothing
    first, second = json.loads(loop.stdout.readline()), json.loads(loop.stdout.readline())
    assert (first["expired"], first["complete"], second["expired"]) == (2, True, 0)
    loop.send_signal(signum)
    _, err = loop.communicate(timeout=30)
    assert (loop.returncode, err) == (0, "access-requests: stopped\n")


def test_it_survives_an_unreachable_store_with_backoff(cli_process: Cli) -> None:
    """Each failed sweep is one warning on stderr naming the cause; the loop goes on."""
    loop = start(
        cli_process, "expire", "--every", "5s", AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:1"
    )
    assert loop.stderr is not None
    warnings = [loop.stderr.readline() for _ in range(2)]
    loop.send_signal(signal.SIGTERM)
    out, rest = loop.communicate(timeout=60)
    assert loop.returncode == 0
    assert out == ""
    for warning, delay in zip(warnings, ("1 s", "2 s"), strict=True):
        assert warning.startswith("access-requests: WARNING: sweep failed (expire_overdue on")
        assert "EndpointConnectionError" in warning
        assert warning.endswith(f"trying again in {delay}\n")
    assert rest.endswith("access-requests: stopped\n")


def test_a_missing_table_ends_the_loop_with_its_exit_status(cli_process: Cli) -> None:
    """No retry creates a table: the loop exits 10 at once, as expire without --every does."""
    result = cli_process("expire", "--every", "1m", "--table", "no-such-table")
    assert result.returncode == 10
    assert "the table does not exist" in result.stderr


def test_a_malformed_interval_is_invalid_input(cli_process: Cli) -> None:
    """--every takes a duration as --ttl does, and says so."""
    result = cli_process("expire", "--every", "soon")
    assert result.returncode == 7
    assert (
        "--every: must be a duration such as 1d, 8h, 30m or 1h30m, got 'soon'" in result.stderr
    )
