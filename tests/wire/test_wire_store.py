"""A store takes its wire by name; the direct wire logs calls and retries as botocore's does."""

import logging

import pytest
from conftest import client_for
from fault_proxy import INTERNAL_ERROR, FaultProxy

from access_requests.adapters.dynamodb import DynamoDBRequestStore
from access_requests.adapters.dynamodb.wires import WIRES
from access_requests.contract_tests import make_request, suite_clock


def test_an_unknown_wire_is_refused_naming_the_wires(moto_server: str) -> None:
    """A wire other than botocore or direct is a ValueError, before any call."""
    with pytest.raises(ValueError, match="wire must be 'botocore' or 'direct', got 'h2'"):
        DynamoDBRequestStore(client_for(moto_server), "requests", wire="h2")  # type: ignore[arg-type]


def test_the_default_wire_is_botocore(moto_server: str) -> None:
    """Without a choice, a store sends its calls through the client's own methods."""
    assert DynamoDBRequestStore(client_for(moto_server), "requests").wire == "botocore"


def test_the_direct_wire_logs_calls_and_retries_as_botocore_does(
    proxy: FaultProxy, table: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A call retried after a 500 is logged with its retry, on either wire alike."""
    clock = suite_clock()
    lines = []
    for wire in WIRES:
        store = DynamoDBRequestStore(client_for(proxy.endpoint), table, clock=clock, wire=wire)
        request = make_request(clock(), requester=f"requester-{wire}")
        proxy.plan("PutItem", INTERNAL_ERROR)
        with caplog.at_level(logging.INFO, logger="access_requests"):
            caplog.clear()
            store.create(request)
        lines.append(caplog.messages[-1].split(": ")[1].split(", ", 1)[1])
    assert lines == ["1 call, 1 retry"] * 2


def test_the_direct_wire_runs_none_of_the_clients_hooks(moto_server: str, table: str) -> None:
    """The client's event hooks (Stubber, mock_aws, before-send) see only the botocore wire."""
    client = client_for(moto_server)
    seen: list[str] = []
    client.meta.events.register("before-send.dynamodb", lambda **_: seen.append("sent"))
    for wire in WIRES:
        DynamoDBRequestStore(client, table, wire=wire).delete("0123456789abcdef")
    assert seen == ["sent"]
