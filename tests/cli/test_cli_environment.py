"""store_from_environment: the store a service builds from the settings the CLI reads."""

from datetime import timedelta

import pytest
from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import (
    TableNotConfigured,
    TableNotFound,
    store_from_environment,
)
from access_requests.domain import Request


def test_the_table_and_endpoint_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
    moto_server: str,
    server_table: tuple[DynamoDBClient, str],
) -> None:
    """ACCESS_REQUESTS_TABLE and AWS_ENDPOINT_URL_DYNAMODB are all a service sets."""
    monkeypatch.setenv("ACCESS_REQUESTS_TABLE", server_table[1])
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", moto_server)
    store = store_from_environment()
    assert store.table_name == server_table[1]
    request = Request.new(
        requester="alice",
        profile="prod",
        justification="Investigate INC-1234",
        duration=timedelta(hours=1),
    )
    store.create(request)
    assert store.get(request.id) == request


@pytest.mark.parametrize("value", [None, ""], ids=["unset", "empty"])
def test_without_a_table_the_error_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    """ACCESS_REQUESTS_TABLE is named in the error, raised before any I/O."""
    if value is None:
        monkeypatch.delenv("ACCESS_REQUESTS_TABLE", raising=False)
    else:
        monkeypatch.setenv("ACCESS_REQUESTS_TABLE", value)
    with pytest.raises(TableNotConfigured, match="set ACCESS_REQUESTS_TABLE"):
        store_from_environment()


def test_client_options_and_an_explicit_table_override_the_environment(
    monkeypatch: pytest.MonkeyPatch,
    moto_server: str,
    server_table: tuple[DynamoDBClient, str],
) -> None:
    """table_name wins over the variable, and region_name reaches the client.

    The table exists in us-east-1 only, so a store in eu-west-1 does not find it.
    """
    monkeypatch.setenv("ACCESS_REQUESTS_TABLE", "from-environment")
    here = store_from_environment(table_name=server_table[1], endpoint_url=moto_server)
    assert here.table_name == server_table[1]
    assert here.list_pending().items == ()
    elsewhere = store_from_environment(
        table_name=server_table[1], endpoint_url=moto_server, region_name="eu-west-1"
    )
    with pytest.raises(TableNotFound):
        elsewhere.list_pending()
