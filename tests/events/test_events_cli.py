"""``access-requests events tail``: the table's events as JSON lines, on the moto server."""

import json
import queue
import subprocess
import threading
from datetime import timedelta
from typing import Any

import pytest
from cli_process import SCRIPT, environment
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.cli import ExitStatus, main
from access_requests.domain import Request
from access_requests.events import RequestEvent


def tail(endpoint: str, table: str, capsys: pytest.CaptureFixture[str], *words: str) -> Any:
    """Run ``events tail`` in this process; return its status, stdout lines and stderr."""
    status = main(["events", "tail", *words, "--endpoint-url", endpoint, "--table", table])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err


def submitted(store: DynamoDBRequestStore, requester: str) -> Request:
    """A pending request of ``requester``, created through the library."""
    request = Request.new(
        requester=requester,
        profile="prod",
        justification="Investigate INC-1234",
        duration=timedelta(hours=1),
    )
    store.create(request)
    return request


def test_tail_prints_one_json_line_per_change(
    moto_server: str,
    server_table: tuple[DynamoDBClient, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every line is the Go system's body of one event; a delete prints nothing."""
    client, name = server_table
    store = DynamoDBRequestStore(client, name)
    ann = submitted(store, "ann")
    approved = store.update(store.get(ann.id).approve("bob", "ok"))
    store.delete(ann.id)

    status, lines, err = tail(moto_server, name, capsys)

    assert status == ExitStatus.OK, err
    assert [json.loads(line)["Type"] for line in lines] == [
        "request.created",
        "request.approved",
    ]
    assert lines[1] == RequestEvent.of_change(approved).to_json()


def test_tail_follow_prints_new_changes_as_they_come(
    moto_server: str, server_table: tuple[DynamoDBClient, str]
) -> None:
    """The installed script, pointed at the table as a person points it, prints each change."""
    client, name = server_table
    store = DynamoDBRequestStore(client, name)
    ann = submitted(store, "ann")
    settings = {"AWS_ENDPOINT_URL_DYNAMODB": moto_server, "ACCESS_REQUESTS_TABLE": name}
    process = subprocess.Popen(
        [SCRIPT, "events", "tail", "--follow"],
        env=environment(**settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None

    def read() -> None:
        for line in process.stdout or ():
            lines.put(line)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        # Check what the stream held is printed, then what comes while it follows
        assert json.loads(lines.get(timeout=30))["Request"]["id"] == ann.id
        store.update(store.get(ann.id).cancel())
        cancelled = json.loads(lines.get(timeout=30))
        assert (cancelled["Type"], cancelled["Actor"]) == ("request.cancelled", "ann")
        assert process.poll() is None
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=30)


def test_tail_of_a_table_without_a_stream_says_how_to_enable_it(
    moto_server: str,
    server_table: tuple[DynamoDBClient, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Exit status 12 (table differs) and one line naming the view type."""
    client, name = server_table
    client.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    status, lines, err = tail(moto_server, server_table[1], capsys)
    assert status == ExitStatus.TABLE_DIFFERS
    assert lines == []
    assert "NEW_AND_OLD_IMAGES" in err
    assert err.count("\n") == 1
