"""stdout and stderr as a pipeline and a terminal see them: closed pipes, progress, paging."""

import json
import os
import pty
import subprocess
from datetime import timedelta

import pytest
from cli_process import SCRIPT, Cli

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.cli import CLOSED_PIPE
from access_requests.contract_tests import ManualClock
from access_requests.domain import Request


@pytest.fixture
def clock() -> ManualClock:
    """The store's clock at the wall clock's time, as the command reads it."""
    return ManualClock()


def submit_several(store: DynamoDBRequestStore, count: int) -> list[Request]:
    requests = [
        Request.new(
            requester=f"user{number}",
            profile="prod",
            justification="Investigate INC-1234",
            duration=timedelta(hours=1),
        )
        for number in range(count)
    ]
    for request in requests:
        store.create(request)
    return requests


def run_with_terminal(cli: Cli, *words: str, stdout_too: bool = False) -> tuple[str, str]:
    """Run the script with stderr (and stdout, if asked) on a pseudo-terminal.

    Returns what reached the terminal, and what reached stdout's pipe otherwise.
    """
    terminal, attached = pty.openpty()
    process = subprocess.Popen(
        [SCRIPT, *words],
        env=cli.environment(),
        stdout=attached if stdout_too else subprocess.PIPE,
        stderr=attached,
        text=True,
    )
    os.close(attached)
    seen = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # Linux: EIO once the process has closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    out = process.stdout.read() if process.stdout else ""
    assert process.wait(timeout=60) == 0, seen
    os.close(terminal)
    return seen.decode(), out


@pytest.mark.parametrize(
    "words", [["table", "cloudformation"], ["list", "--pending", "--all", "--limit", "1"]]
)
def test_a_closed_pipe_ends_quietly(
    cli_process: Cli, server_store: DynamoDBRequestStore, words: list[str]
) -> None:
    """As with `| head -1`: no error on stderr, and the status a shell gives SIGPIPE."""
    submit_several(server_store, 3)
    process = subprocess.Popen(
        [SCRIPT, *words],
        env=cli_process.environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before the first line is written
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (CLOSED_PIPE, "")


def test_table_create_shows_that_it_waits_on_a_terminal_only(cli_process: Cli) -> None:
    """On a terminal, stderr says what it waits for; in a pipe, stderr stays empty."""
    seen, out = run_with_terminal(cli_process, "table", "create", "--table", "progress-shown")
    assert "creating table 'progress-shown': waiting until it is active" in seen
    assert out == "created table 'progress-shown', with its indexes, TTL and stream\n"
    piped = cli_process("table", "create", "--table", "progress-hidden")
    assert (piped.returncode, piped.stderr) == (0, "")


def test_list_all_prints_each_page_before_reading_the_next(
    cli_process: Cli, server_store: DynamoDBRequestStore
) -> None:
    """On a terminal, the rows of page 1 come before the progress line of page 2."""
    newest_first = submit_several(server_store, 3)[::-1]
    seen, _ = run_with_terminal(
        cli_process, "list", "--pending", "--all", "--limit", "1", stdout_too=True
    )
    assert seen.index(newest_first[0].id) < seen.index("reading page 2")
    assert seen.index(newest_first[1].id) < seen.index("reading page 3")
    assert seen.count("ID  ") == 1, "one header for the whole listing"
    piped = cli_process("list", "--pending", "--all", "--limit", "1")
    assert piped.stderr == ""
    rows = piped.stdout.splitlines()[2:]
    assert [row.split()[0] for row in rows] == [request.id for request in newest_first]


def test_list_all_as_json_is_one_document_a_line(
    cli_process: Cli, server_store: DynamoDBRequestStore
) -> None:
    """Written a request at a time, each line is a whole JSON document (JSON Lines)."""
    ids = {request.id for request in submit_several(server_store, 3)}
    result = cli_process("list", "--pending", "--all", "--limit", "2", "--json")
    assert {json.loads(line)["id"] for line in result.stdout.splitlines()} == ids
    empty = cli_process("list", "--requester", "nobody", "--all", "--json")
    assert empty.stdout == ""
