"""Async counterparts of the environment and the table; the async plugin under anyio."""

import asyncio

import boto3
import pytest
from aiobotocore.session import get_session

from access_requests.adapters.dynamodb import recommended_config, verify_table
from access_requests.adapters.dynamodb.async_environment import (
    async_store_from_environment,
    create_table_async,
    recommended_aio_config,
)
from access_requests.adapters.dynamodb.errors import InvalidAWSSettings
from access_requests.contract_tests import make_request
from access_requests.domain import utc_now

pytest_plugins = ["pytester"]


def test_the_aio_config_holds_the_same_recommendation() -> None:
    """Retries, timeouts and keepalive as recommended_config(); overrides replace them."""
    config, aio = recommended_config(), recommended_aio_config()
    for option in ("retries", "connect_timeout", "read_timeout", "tcp_keepalive"):
        assert getattr(aio, option) == getattr(config, option)
    overridden = recommended_aio_config(read_timeout=9)
    assert overridden.read_timeout == 9  # type: ignore[attr-defined]


def test_create_table_async_makes_the_table_verify_accepts(moto_server: str) -> None:
    """Created through aiobotocore, the table has its indexes and TTL."""
    settings = {"region_name": "us-east-1", "endpoint_url": moto_server}

    async def create() -> None:
        async with get_session().create_client("dynamodb", **settings) as client:  # type: ignore[call-overload]
            await create_table_async(client, "created-async")

    asyncio.run(create())
    client = boto3.client("dynamodb", **settings)  # type: ignore[call-overload]
    assert verify_table(client, "created-async") == []
    client.delete_table(TableName="created-async")


def test_the_async_store_from_the_environment_works_and_closes(
    moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ACCESS_REQUESTS_TABLE and the AWS settings, as store_from_environment reads them."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", moto_server)
    monkeypatch.setenv("ACCESS_REQUESTS_TABLE", "from-environment-async")

    async def scenario() -> str:
        async with get_session().create_client("dynamodb") as client:
            await create_table_async(client, "from-environment-async")
        async with async_store_from_environment() as store:
            request = make_request(utc_now())
            await store.create(request)
            return (await store.get(request.id)).id

    assert len(asyncio.run(scenario())) == 16


def test_the_async_store_from_the_environment_raises_the_librarys_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unknown profile is InvalidAWSSettings, as from the sync one."""
    monkeypatch.setenv("ACCESS_REQUESTS_TABLE", "requests")
    monkeypatch.setenv("AWS_PROFILE", "nosuch")

    async def scenario() -> None:
        async with async_store_from_environment():
            pass

    with pytest.raises(InvalidAWSSettings, match="the AWS profile 'nosuch'"):
        asyncio.run(scenario())


SERVICE_TESTS = """
import pytest


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_the_store_is_had_by_name_inside_the_test(request):
    factory = request.getfixturevalue("async_dynamodb_access_request_store_factory")
    async with factory() as store:
        assert len(await store.list_pending()) == 0


@pytest.mark.anyio
async def test_a_failure_shows_no_emulator_lines(async_dynamodb_access_request_store):
    await async_dynamodb_access_request_store.list_pending()
    assert False, "the service's own failure"
"""


def test_under_anyio_the_async_store_is_had_by_name_and_failures_stay_quiet(
    pytester: pytest.Pytester,
) -> None:
    """getfixturevalue inside an anyio test works; a failed test shows no werkzeug lines."""
    pytester.makepyfile(test_service=SERVICE_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    assert "the service's own failure" in result.stdout.str()
    assert "werkzeug" not in result.stdout.str()
