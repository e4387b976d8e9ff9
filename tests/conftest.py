"""Shared fixtures: hypothesis profiles, and the DynamoDB targets.

hypothesis profiles: ``ci`` (derandomized, the default), ``explore`` (many
more random examples) and ``fast``. Choose one with HYPOTHESIS_PROFILE=explore
(or ``make test-explore``).
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import boto3
import pytest
from cli_process import Cli
from fault_injection import Fault, FaultChooser, Plan, inject, skip_backoff_sleeps
from fault_proxy import Fault as NetworkFault
from fault_proxy import FaultProxy
from hypothesis import HealthCheck, settings
from mypy_boto3_dynamodb import DynamoDBClient
from strict_dynamodb import strict

from access_requests.adapters.dynamodb import (
    DynamoDBRequestStore,
    create_table,
    recommended_client,
)
from access_requests.adapters.dynamodb.wires import WIRES, Wire
from access_requests.contract_tests import ManualClock, suite_clock
from access_requests.local import local_dynamodb

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=50,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    deadline=None,
    max_examples=1000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("fast", deadline=None, max_examples=10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ENDPOINT_VARIABLE = "ACCESS_REQUESTS_DYNAMODB_ENDPOINT"
REGION = "us-east-1"
CHECKOUT = Path(__file__).resolve().parents[1]
"""The root of this checkout, where pyproject.toml is."""
# Settings that would point a test's client somewhere else than its target.
_AWS_SETTINGS = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
)


@pytest.fixture(scope="session", autouse=True)
def isolated_aws_settings() -> Iterator[None]:
    """Tests reach only their own targets, with fake credentials, whatever the shell holds."""
    with pytest.MonkeyPatch.context() as patch:
        for name in _AWS_SETTINGS:
            patch.delenv(name, raising=False)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_SESSION_TOKEN", "testing")
        patch.setenv("AWS_DEFAULT_REGION", REGION)
        patch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask 169.254.169.254
        yield


@pytest.fixture(params=WIRES)
def wire(request: pytest.FixtureRequest) -> Wire:
    """Each wire a DynamoDB store sends its calls on: botocore's, and the direct one."""
    wire: Wire = request.param
    return wire


@pytest.fixture(scope="session")
def old_item_stripping_proxy(moto_server: str) -> Iterator[FaultProxy]:
    """A proxy in front of the moto server that answers a failed condition without the old
    item, as some DynamoDB-compatible engines do: such an engine for the direct wire."""
    with FaultProxy(moto_server, strip_old_items=True).running() as proxy:
        yield proxy


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """The endpoint of a moto server on 127.0.0.1, on a free port."""
    with local_dynamodb() as emulator:
        yield emulator.endpoint_url


RECOMMENDED_SESSION = boto3.session.Session()  # loads the service model once for all clients


def recommended_test_client(endpoint: str, **overrides: Any) -> DynamoDBClient:
    """A client as ``recommended_client()`` builds it, held to real DynamoDB's rules.

    Each is new, so that its retry state and its fault hooks end with its test.
    """
    client = recommended_client(
        region_name=REGION, endpoint_url=endpoint, session=RECOMMENDED_SESSION, **overrides
    )
    return strict(client)


@pytest.fixture(scope="module")
def module_table(moto_server: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """One table on the moto server for a test module, named after it."""
    name = request.module.__name__.replace("_", "-")
    client = client_for(moto_server)
    create_table(client, name)
    yield name
    client.delete_table(TableName=name)


@pytest.fixture(scope="module")
def table(module_table: str) -> str:
    """The test module's table (``module_table``), by the name the wire tests give it."""
    return module_table


@pytest.fixture(scope="module")
def proxy(moto_server: str) -> Iterator[FaultProxy]:
    """A fault proxy in front of the moto server, one a test module: its faults stay there."""
    with FaultProxy(moto_server).running() as running:
        yield running


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built once from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", out, CHECKOUT],
        check=True,
    )
    (built,) = out.glob("access_requests-*.whl")
    return built


DIRECT_READ_TIMEOUT = 1.0
"""The read timeout of a direct wire's client in the fault tests, which emulate read
timeouts on the network (a real wait), where botocore's are raised at its hook."""


@pytest.fixture(scope="session")
def fault_proxy(moto_server: str) -> Iterator[FaultProxy]:
    """A fault proxy in front of the moto server, for faults on the network."""
    with FaultProxy(moto_server).running() as proxy:
        yield proxy


@pytest.fixture
def own_client(
    moto_server: str, module_table: str, wire: Wire, fault_proxy: FaultProxy
) -> DynamoDBClient:
    """A recommended client of the test's own: its retry state and fault hooks end with it.

    For the direct wire, its endpoint is the fault proxy, where faults are injected.
    """
    if wire == "direct":
        return recommended_test_client(fault_proxy.endpoint, read_timeout=DIRECT_READ_TIMEOUT)
    return recommended_test_client(moto_server)


@pytest.fixture
def own_store(
    own_client: DynamoDBClient, module_table: str, clock: ManualClock, wire: Wire
) -> DynamoDBRequestStore:
    """DynamoDBRequestStore on the module's table through ``own_client``, on each wire:
    each test works on requests of its own."""
    return DynamoDBRequestStore(own_client, module_table, clock=clock, wire=wire)


FaultOnEachWire = tuple[Fault, NetworkFault | None]
"""A fault as botocore's hook injects it, and as the network does (None: it cannot)."""


class InjectFault(Protocol):
    """Injects ``fault`` into the calls of ``operation`` that ``plan`` chooses."""

    def __call__(
        self, operation: str, fault: FaultOnEachWire, plan: Plan | None = None, seed: int = 0
    ) -> FaultChooser: ...


@pytest.fixture
def inject_fault(
    wire: Wire, own_client: DynamoDBClient, fault_proxy: FaultProxy
) -> Iterator[InjectFault]:
    """Injects a fault into ``own_client``'s calls: at its hook on the botocore wire, on
    the network on the direct one. Every injection ends with the test."""
    injected: list[FaultChooser] = []

    def inject_one(
        operation: str, fault: FaultOnEachWire, plan: Plan | None = None, seed: int = 0
    ) -> FaultChooser:
        at_hook, on_network = fault
        if wire == "botocore":
            injected.append(inject(own_client, operation, at_hook, plan, seed))
        elif on_network is None:
            pytest.skip("a fault proxy cannot emulate this fault for one attempt")
        else:
            injected.append(fault_proxy.inject(operation, on_network, plan, seed))
        return injected[-1]

    yield inject_one
    for injector in injected:
        injector.stop()


@pytest.fixture
def no_backoff_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Skip botocore's backoff sleeps, recording them."""
    return skip_backoff_sleeps(monkeypatch)


def client_for(endpoint: str) -> DynamoDBClient:
    """A low-level DynamoDB client for ``endpoint``, held to real DynamoDB's rules."""
    return strict(boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint))


@pytest.fixture
def server_table(moto_server: str) -> Iterator[tuple[DynamoDBClient, str]]:
    """A fresh table on the moto server, deleted after the test."""
    client = client_for(moto_server)
    name = f"access-requests-{uuid.uuid4().hex[:12]}"
    create_table(client, name)
    yield client, name
    client.delete_table(TableName=name)


@pytest.fixture
def clock() -> ManualClock:
    """A clock standing still until the test moves it."""
    return suite_clock()


@pytest.fixture
def server_store(
    server_table: tuple[DynamoDBClient, str], clock: ManualClock
) -> DynamoDBRequestStore:
    """DynamoDBRequestStore on a fresh table of the moto server, reading ``clock``."""
    client, name = server_table
    return DynamoDBRequestStore(client, name, clock=clock)


@pytest.fixture(scope="session")
def endpoint_table() -> Iterator[tuple[DynamoDBClient, str]]:
    """A table of this run's own on ACCESS_REQUESTS_DYNAMODB_ENDPOINT, deleted at the end."""
    endpoint = os.environ.get(ENDPOINT_VARIABLE)
    if not endpoint:
        pytest.skip(f"{ENDPOINT_VARIABLE} is not set")
    client = client_for(endpoint)
    name = f"access-requests-test-{uuid.uuid4().hex[:12]}"
    create_table(client, name)
    yield client, name
    client.delete_table(TableName=name)


def empty_table(client: DynamoDBClient, table_name: str) -> None:
    """Delete every item of a table, so that the next test starts from nothing."""
    for page in client.get_paginator("scan").paginate(
        TableName=table_name,
        ProjectionExpression="#id",
        ExpressionAttributeNames={"#id": "id"},
        ConsistentRead=True,
    ):
        keys: list[Any] = [{"DeleteRequest": {"Key": item}} for item in page.get("Items", [])]
        for start in range(0, len(keys), 25):
            pending: dict[str, Any] = {table_name: keys[start : start + 25]}
            while pending:
                response = client.batch_write_item(RequestItems=pending)
                pending = dict(response.get("UnprocessedItems") or {})


@pytest.fixture
def cli_process(moto_server: str, server_table: tuple[DynamoDBClient, str]) -> Cli:
    """The installed script, pointed at a fresh table of the moto server."""
    return Cli(moto_server, server_table[1])
