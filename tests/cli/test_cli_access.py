"""expire and check: the sweep of overdue requests and the access check, from the shell."""

import json
from datetime import timedelta

import pytest
from cli_process import Cli

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.cli import ExitStatus
from access_requests.contract_tests import ManualClock
from access_requests.domain import Request, utc_now


@pytest.fixture
def clock() -> ManualClock:
    """The store's clock at the wall clock's time, as the command reads it."""
    return ManualClock()


def stored(
    store: DynamoDBRequestStore,
    *,
    requester: str = "alice",
    profile: str = "prod",
    ago: int = 0,
) -> Request:
    """A pending request created ``ago`` hours before now, open for an hour."""
    request = Request.new(
        requester=requester,
        profile=profile,
        justification="Investigate INC-1234",
        duration=timedelta(hours=1),
        now=utc_now() - timedelta(hours=ago),
        ttl=timedelta(hours=1),
    )
    store.create(request)
    return request


def test_expire_marks_every_overdue_request_and_says_how_many(
    cli_process: Cli, server_store: DynamoDBRequestStore
) -> None:
    """Two overdue requests are marked expired; the current one stays pending."""
    overdue = [stored(server_store, ago=2), stored(server_store, ago=3)]
    current = stored(server_store)
    result = cli_process("expire")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "marked 2 pending requests past their expiry as expired\n"
    for request in overdue:
        assert server_store.get(request.id).status.value == "expired"
    assert server_store.get(current.id).status.value == "pending"
    again = cli_process("expire", "--json")
    assert json.loads(again.stdout) == {"expired": 0}


def test_check_prints_the_granting_request_and_exits_0(
    cli_process: Cli, server_store: DynamoDBRequestStore
) -> None:
    """An approved request within its window grants access; check shows it as get does."""
    request = stored(server_store)
    server_store.update(server_store.get(request.id).approve("carol"))
    result = cli_process("check", "--requester", "alice", "--profile", "prod")
    assert result.returncode == 0, result.stderr
    assert result.stdout == cli_process("get", request.id).stdout
    assert "status         approved" in result.stdout


def test_check_without_access_prints_one_line_and_exits_14(
    cli_process: Cli, server_store: DynamoDBRequestStore
) -> None:
    """A pending request grants nothing: one line, and the no-access status."""
    stored(server_store)
    result = cli_process("check", "--requester", "alice", "--profile", "prod")
    assert result.returncode == ExitStatus.NO_ACCESS
    assert result.stdout == (
        "no access: 'alice' holds no approved request that grants 'prod' now\n"
    )
    as_json = cli_process("check", "--requester", "alice", "--profile", "prod", "--json")
    assert (as_json.returncode, as_json.stdout) == (14, "null\n")
