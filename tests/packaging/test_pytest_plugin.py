"""The pytest plugin, as a service's test suite uses it (run with pytester)."""

import pytest

pytest_plugins = ["pytester"]

SERVICE = '''
"""A throwaway service: it embeds the library and approves what its on-call may approve."""

from access_requests.ports import RequestStore


def approve_everything_pending(store: RequestStore, approver: str) -> int:
    approved = 0
    for request in store.list_pending():
        store.update(request.approve(approver, "approved by the on-call bot"))
        approved += 1
    return approved
'''

SERVICE_TESTS = """
from datetime import timedelta

import pytest

from access_requests import Request, RequestStatus
from approvals import approve_everything_pending


def ask(store, now, requester="alice"):
    request = Request.new(
        requester=requester,
        profile="prod",
        justification="Investigate INC-1234",
        duration=timedelta(hours=1),
        now=now,
    )
    store.create(request)
    return request


@pytest.fixture(params=["memory", "dynamodb"])
def store(request, access_request_store, frozen_clock):
    if request.param == "memory":
        return access_request_store
    return request.getfixturevalue("dynamodb_access_request_store")


def test_the_bot_approves_what_is_pending(store, frozen_clock):
    ask(store, frozen_clock(), "alice")
    ask(store, frozen_clock(), "bob")
    assert approve_everything_pending(store, "bot") == 2
    assert len(store.list_by_status(RequestStatus.APPROVED)) == 2


def test_the_bot_leaves_expired_requests_alone(store, frozen_clock):
    ask(store, frozen_clock())
    frozen_clock.advance(timedelta(days=2))
    assert approve_everything_pending(store, "bot") == 0


def test_each_test_gets_an_empty_store(store):
    assert len(store.list_by_status(RequestStatus.PENDING)) == 0


def test_the_clock_is_frozen(frozen_clock):
    assert frozen_clock() == frozen_clock()
"""


def test_a_service_uses_the_fixtures_without_any_set_up(pytester: pytest.Pytester) -> None:
    """The fixtures come from the installed plugin: no conftest, no imports of fixtures."""
    pytester.makepyfile(approvals=SERVICE, test_approvals=SERVICE_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=7)


def test_the_plugin_is_registered_as_an_entry_point(pytester: pytest.Pytester) -> None:
    """``pytest --fixtures`` lists the plugin's fixtures with their docs."""
    result = pytester.runpytest_subprocess("--fixtures")
    output = result.stdout.str()
    for fixture in ("access_request_store", "dynamodb_access_request_store", "frozen_clock"):
        assert fixture in output


ASYNC_SERVICE_TESTS = """
from datetime import timedelta

import pytest

from access_requests import Request, RequestStatus


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(params=["memory", "dynamodb"])
def store(request, async_access_request_store):
    if request.param == "memory":
        return async_access_request_store
    return request.getfixturevalue("async_dynamodb_access_request_store")


@pytest.mark.anyio
async def test_an_async_service_approves_a_request(store, frozen_clock):
    request = Request.new(
        requester="alice",
        profile="prod",
        justification="Investigate INC-1234",
        duration=timedelta(hours=1),
        now=frozen_clock(),
    )
    await store.create(request)
    approved = await store.update(request.approve("carol", now=frozen_clock()))
    assert approved.status is RequestStatus.APPROVED
    assert await store.find_active_approval("alice", "prod") == approved
"""


def test_an_asyncio_service_uses_the_async_fixtures_with_anyio(
    pytester: pytest.Pytester,
) -> None:
    """The async in-memory and DynamoDB fixtures, awaited in anyio's test runner."""
    pytester.makepyfile(test_async_approvals=ASYNC_SERVICE_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
